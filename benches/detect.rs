//! Detector throughput (bytes/s) over generated in-memory text: prose with no
//! personal data, mixed ja/en text with about 2% personal-data lines, and a
//! dense customer CSV; plus the whole per-file path (decoding included) for
//! UTF-8 and Shift_JIS; the per-file path on the four kinds of content that
//! `scripts/bench-vs-ripgrep.sh` compares with ripgrep (group `kinds`: server
//! logs, source code, ja/en prose, a customer table); and the cost of the
//! name engine (the same texts with and without the name detectors).
//! `cargo bench --bench detect`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piimap::Category;
use piimap::detect::{DetectorSet, Layout};
use piimap::scan::{Evidence, scan_text};

const PROSE: &[&str] = &[
    "お世話になっております。本件について確認をお願いします。",
    "次回の打ち合わせは来週です。資料を添付いたします。",
    "工事日程を調整しております。見積書の内容をご確認ください。",
    "Thanks for your message. Please review the attached document.",
    "The meeting moved to Friday. Let me know if anything is unclear.",
    "注文番号 20240115-0042 の金額は ￥12,800 です。バージョン 2.8.4",
];

const PII: &[&str] = &[
    "電話番号：090-1234-5678",
    "〒100-0001 東京都千代田区千代田1-1",
    "メール：taro.yamada@example.co.jp",
    "マイナンバー：1234 5678 9018",
    "生年月日：昭和60年4月1日",
    "カード番号：4111 1111 1111 1111",
    "Phone: +44 20 7946 0958",
    "お名前：山田 太郎 様",
    "Customer: John Smith, account holder",
];

/// Deterministic text of about `size` bytes; `pii_per_mille` lines in 1000 hold personal data.
fn corpus(size: usize, pii_per_mille: u64) -> String {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(size + 256);
    while out.len() < size {
        let r = next();
        let line = if r % 1000 < pii_per_mille {
            PII[(r / 1000) as usize % PII.len()]
        } else {
            PROSE[(r / 1000) as usize % PROSE.len()]
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn csv(rows: usize) -> String {
    let mut out = String::from("氏名,生年月日,性別,郵便番号,住所,電話番号,メールアドレス,職業\n");
    for i in 0..rows {
        out.push_str(&format!(
            "山田 太郎,1985/04/{:02},男,100-{:04},東京都千代田区千代田{}-1,090-1234-{:04},user{i}@example.com,会社員\n",
            i % 28 + 1,
            i % 10000,
            i % 9 + 1,
            i % 10000
        ));
    }
    out
}

/// Deterministic pseudo-random numbers for the generated texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len() as u64) as usize]
    }

    /// A release number such as `4.2.73`.
    fn version(&mut self) -> String {
        format!("{}.{}.{}", self.next(9), self.next(30), self.next(100))
    }

    /// A month and a day.
    fn month_day(&mut self) -> (u64, u64) {
        (self.next(12) + 1, self.next(28) + 1)
    }
}

/// About `size` bytes of one kind, shaped as `scripts/synth.py kinds` writes
/// it: server logs (1% with an e-mail), source code (no personal data),
/// ja/en prose (3% names with 様, 2% phones) or a customer table.
fn kind(name: &str, size: usize) -> String {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let mut out = String::with_capacity(size + 256);
    if name == "csv" {
        out.push_str("id,name,phone,email,address,birth_date\n");
    }
    let mut row = 0;
    while out.len() < size {
        row += 1;
        let line = match name {
            "logs" => format!(
                "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {} req={:08x}-{:04x}-{:04x}-{:04x}-{:012x} ip=10.{}.{}.{} GET /api/v2/orders/{:010} {} {}ms bytes={}{}",
                r.next(12) + 1,
                r.next(28) + 1,
                r.next(24),
                r.next(60),
                r.next(60),
                r.next(1000),
                r.pick(&["INFO", "INFO", "WARN", "DEBUG"]),
                r.next(1 << 32),
                r.next(1 << 16),
                r.next(1 << 16),
                r.next(1 << 16),
                r.next(1 << 48),
                r.next(256),
                r.next(256),
                r.next(256),
                r.next(10_000_000_000),
                r.pick(&["200", "201", "404", "500"]),
                r.next(2000),
                r.next(99_999),
                if r.next(100) == 0 {
                    format!(" user=user{row}@example.co.jp")
                } else {
                    String::new()
                }
            ),
            "code" => match r.next(5) {
                0 => {
                    format!("    assert_eq!(parse(\"{}\"), Ok({}));", r.next(1 << 40), r.next(1000))
                }
                1 => format!("    const MASK_{}: u64 = 0x{:016x};", r.next(64), r.next(u64::MAX)),
                2 => format!(
                    "    if (count > {}) {{ total = count * {} + {}; }}",
                    r.next(10_000),
                    r.next(64),
                    r.next(100)
                ),
                3 => format!(
                    "    // TODO(perf): revisit after #{}, see line {}",
                    r.next(9999),
                    r.next(3000)
                ),
                _ => format!(
                    "    for (int i = 0; i < {}; i += {}) {{",
                    r.next(1 << 16),
                    r.next(9) + 1
                ),
            },
            "prose" => match r.next(100) {
                0..3 => format!(
                    "{}{}様より、お問い合わせがありました。",
                    r.pick(&["佐藤", "鈴木", "高橋"]),
                    r.pick(&["太郎", "花子", "健一"])
                ),
                3..5 => format!(
                    "ご連絡先は090-{:04}-{:04}までお願いします。",
                    r.next(10_000),
                    r.next(10_000)
                ),
                5..50 => {
                    let (version, year, (month, day)) =
                        (r.version(), 2019 + r.next(8), r.month_day());
                    format!(
                        "バージョン{version}で修正済みです。{year}年{month}月{day}日に出荷予定です。合計金額は{},{:03}円です。",
                        r.next(999),
                        r.next(1000)
                    )
                }
                _ => {
                    let (version, (month, day)) = (r.version(), r.month_day());
                    format!(
                        "Release {version} ships on 2026-{month:02}-{day:02}. See ticket #{} and page {}.",
                        r.next(99_999),
                        r.next(400)
                    )
                }
            },
            _ => format!(
                "{row},{} {},090-{:04}-{:04},user{row}@example.com,東京都千代田区千代田{}-{}-{},{}年{}月{}日",
                r.pick(&["佐藤", "鈴木", "高橋", "田中"]),
                r.pick(&["太郎", "花子", "健一", "美咲"]),
                r.next(10_000),
                r.next(10_000),
                r.next(9) + 1,
                r.next(30) + 1,
                r.next(20) + 1,
                1940 + r.next(65),
                r.next(12) + 1,
                r.next(28) + 1
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn detect(c: &mut Criterion) {
    let detectors = DetectorSet::load(&[]).expect("built-in patterns");
    let mut group = c.benchmark_group("detect");
    group.sample_size(10);
    for (name, text) in [
        ("prose-no-pii", corpus(8 << 20, 0)),
        ("mixed-2pct-pii", corpus(8 << 20, 20)),
        ("customer-csv", csv(50_000)),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let mut scratch = detectors.scratch();
        let mut hits = Vec::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                hits.clear();
                detectors.detect(
                    black_box(&text),
                    None,
                    Layout::default(),
                    &mut scratch,
                    &mut hits,
                );
                hits.len()
            })
        });
    }
    let text = corpus(8 << 20, 20);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    for (name, bytes) in [("file-utf8", text.as_bytes()), ("file-shift-jis", &sjis[..])] {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                scan_text(&detectors, "bench.txt", black_box(bytes), &Evidence::default()).len()
            })
        });
    }
    group.finish();

    // The whole per-file path (header sniffing, detection, findings) on the
    // kinds the end-to-end comparison with ripgrep uses.
    let mut group = c.benchmark_group("kinds");
    group.sample_size(10);
    for name in ["logs", "code", "prose", "csv"] {
        let text = kind(name, 4 << 20);
        let file = if name == "csv" { "bench.csv" } else { "bench.txt" };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                scan_text(&detectors, file, black_box(text.as_bytes()), &Evidence::default()).len()
            })
        });
    }
    group.finish();

    // What person names cost: the same texts without the name detectors.
    let without = DetectorSet::load_except(&[], &[Category::Name]).expect("built-in patterns");
    let mut group = c.benchmark_group("names");
    group.sample_size(10);
    for (name, text) in [("prose", corpus(8 << 20, 0)), ("mixed-2pct-pii", corpus(8 << 20, 20))] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (engine, set) in [("with-names", &detectors), ("without-names", &without)] {
            let mut scratch = set.scratch();
            let mut hits = Vec::new();
            group.bench_function(format!("{name}/{engine}"), |b| {
                b.iter(|| {
                    hits.clear();
                    set.detect(black_box(&text), None, Layout::default(), &mut scratch, &mut hits);
                    hits.len()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, detect);
criterion_main!(benches);
