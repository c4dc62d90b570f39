//! Detector throughput (bytes/s) over generated in-memory text: prose with no
//! personal data, mixed ja/en text with about 2% personal-data lines, and a
//! dense customer CSV; plus the whole per-file path (decoding included) for
//! UTF-8 and Shift_JIS; and the cost of the name engine (the same texts with
//! and without the name detectors). `cargo bench --bench detect`.

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
