//! Findings: what was found, where, and how sure we are — and masking, so that
//! no raw personal data leaves the process unless the user asks for it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

/// The policy's categories of personal data (a closed vocabulary: these ids are
/// a public contract, see DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 氏名.
    Name,
    /// 住所.
    Address,
    /// 郵便番号.
    PostalCode,
    /// 電話番号.
    Phone,
    /// 電子メールアドレス.
    Email,
    /// 生年月日.
    BirthDate,
    /// 性別.
    Gender,
    /// 職業.
    Occupation,
    /// 口座番号.
    BankAccount,
    /// クレジットカード番号.
    PaymentCard,
    /// 個人番号 (My Number).
    MyNumber,
    /// 公的な識別番号.
    GovernmentId,
    /// 住宅の図面.
    FloorPlan,
}

impl Category {
    /// Every category, in contract order.
    pub const ALL: [Category; 13] = [
        Category::Name,
        Category::Address,
        Category::PostalCode,
        Category::Phone,
        Category::Email,
        Category::BirthDate,
        Category::Gender,
        Category::Occupation,
        Category::BankAccount,
        Category::PaymentCard,
        Category::MyNumber,
        Category::GovernmentId,
        Category::FloorPlan,
    ];

    /// Its bit in a set of categories held as `u16` (records and rules
    /// compare sets of categories by masks).
    pub fn bit(self) -> u16 {
        1 << self as u16
    }

    /// A set of categories as bits.
    pub fn bits(list: &[Category]) -> u16 {
        list.iter().fold(0, |m, &c| m | c.bit())
    }

    /// The categories of a set of bits, in contract order.
    pub fn of_bits(bits: u16) -> Vec<Category> {
        Category::ALL.into_iter().filter(|c| bits & c.bit() != 0).collect()
    }

    /// The contract id (`postal_code`, …).
    pub fn id(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Address => "address",
            Category::PostalCode => "postal_code",
            Category::Phone => "phone",
            Category::Email => "email",
            Category::BirthDate => "birth_date",
            Category::Gender => "gender",
            Category::Occupation => "occupation",
            Category::BankAccount => "bank_account",
            Category::PaymentCard => "payment_card",
            Category::MyNumber => "my_number",
            Category::GovernmentId => "government_id",
            Category::FloorPlan => "floor_plan",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Category::Name => "Name",
            Category::Address => "Address",
            Category::PostalCode => "Postal code",
            Category::Phone => "Phone number",
            Category::Email => "E-mail address",
            Category::BirthDate => "Birth date",
            Category::Gender => "Gender",
            Category::Occupation => "Occupation",
            Category::BankAccount => "Bank account",
            Category::PaymentCard => "Payment card",
            Category::MyNumber => "My Number",
            Category::GovernmentId => "Government ID",
            Category::FloorPlan => "Floor plan",
        }
    }

    /// The Japanese label used in the policy.
    pub fn label_ja(self) -> &'static str {
        match self {
            Category::Name => "氏名",
            Category::Address => "住所",
            Category::PostalCode => "郵便番号",
            Category::Phone => "電話番号",
            Category::Email => "電子メールアドレス",
            Category::BirthDate => "生年月日",
            Category::Gender => "性別",
            Category::Occupation => "職業",
            Category::BankAccount => "口座番号",
            Category::PaymentCard => "クレジットカード番号",
            Category::MyNumber => "個人番号",
            Category::GovernmentId => "公的な識別番号",
            Category::FloorPlan => "住宅の図面",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Right shape, little else.
    Low,
    /// Right shape and a passing check, or context.
    Medium,
    /// Validated and in context.
    High,
}

impl Confidence {
    /// One level up (saturating).
    pub fn raise(self) -> Confidence {
        match self {
            Confidence::Low => Confidence::Medium,
            _ => Confidence::High,
        }
    }

    /// `low`, `medium` or `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Whether data identifies a person (`identify` decides it per record and
/// per location from `patterns/combinations.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Identifies only when collated with other data (a bare postal code,
    /// birth date or phone number).
    Linkable,
    /// Identifies in combination, without a name (birth date + gender +
    /// postal code).
    Combination,
    /// Identifies a person (a name, a My Number; a name with contact data).
    Direct,
}

impl Level {
    /// `linkable`, `combination` or `direct`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Linkable => "linkable",
            Level::Combination => "combination",
            Level::Direct => "direct",
        }
    }

    /// The Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            Level::Linkable => "照合により識別可能",
            Level::Combination => "組み合わせで識別",
            Level::Direct => "直接識別",
        }
    }
}

/// One piece of personal data found at one place. Ordered by path, then
/// position, then the rest. Serialisable for the incremental state, which
/// keeps a location's evidence between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The item's path as the user gave the target (`share/a/b.txt`); shared
    /// by every finding of the item. Not kept in the state: a location's
    /// evidence takes the location's path back.
    #[serde(skip)]
    pub path: Arc<str>,
    /// 1-based line of the original text; `None` for whole-file findings
    /// (floor plans) and for text pulled out of binary formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column, in characters of the original (decoded) line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The policy category.
    pub category: Category,
    /// The detector id.
    pub detector: Arc<str>,
    /// The column header the value sits under, for delimited text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Arc<str>>,
    /// How sure the finding is.
    pub confidence: Confidence,
    /// The value with most of it hidden.
    pub masked: SmolStr,
    /// The raw value, only kept with `--show-values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why a whole-file finding was made (the floor-plan signals that fired).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// A well-known dummy value (`patterns/test-data.toml`): reported at low
    /// confidence, and not failing the scan unless asked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test_data: bool,
    /// The commit that added the value, in a `--history` scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<Arc<str>>,
    /// A keyed hash of the category and normalised value, for baselines and
    /// de-duplication; empty for whole-file findings and when the scan has no
    /// key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    /// The record the value belongs to, by its first line: the row of a
    /// table, the paragraph of a form, else the line. `None` for whole-file
    /// findings and text from binary formats (the file is the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// What the finding's record identifies (set by `identify`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiability: Option<Level>,
    /// The value under a key that lives only in this process (0 for
    /// whole-file and column findings): tells values apart when people are
    /// counted, never written anywhere.
    #[serde(skip)]
    pub subject: u64,
    /// The row of a database table: its primary key, else `#` and its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The sheet of a spreadsheet (`line` is then the row, `column` the
    /// column number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    /// The page of a PDF or the slide of a presentation (`line` is then
    /// the line of the page's text, or the paragraph of the slide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// Where on the page's picture a value read by OCR is: left, top,
    /// width and height in pixels of the image (a PDF page rendered with
    /// its long side at `read::ocr::PAGE_PIXELS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[u32; 4]>,
}

/// A numbered part of a document, whose lines are numbered from 1 again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Part {
    /// A PDF page (1-based).
    Page(u32),
    /// A presentation slide (1-based).
    Slide(u32),
}

impl Part {
    /// The page number, if this is a page.
    pub fn page(self) -> Option<u32> {
        match self {
            Part::Page(n) => Some(n),
            Part::Slide(_) => None,
        }
    }

    /// The slide number, if this is a slide.
    pub fn slide(self) -> Option<u32> {
        match self {
            Part::Slide(n) => Some(n),
            Part::Page(_) => None,
        }
    }
}

impl Finding {
    /// A finding of `detector` at `path` and nothing more: no position, no
    /// value, no record, low confidence.
    pub fn empty(path: Arc<str>, category: Category, detector: Arc<str>) -> Finding {
        Finding {
            path,
            line: None,
            column: None,
            category,
            detector,
            field: None,
            confidence: Confidence::Low,
            masked: SmolStr::default(),
            value: None,
            reasons: Vec::new(),
            test_data: false,
            commit: None,
            fingerprint: String::new(),
            record: None,
            identifiability: None,
            subject: 0,
            row: None,
            sheet: None,
            part: None,
            bbox: None,
        }
    }

    /// A finding about a whole item or column rather than one value (a
    /// floor plan, a classified column): no position, no value, no record.
    pub fn about_item(
        path: Arc<str>,
        category: Category,
        detector: &str,
        field: Option<Arc<str>>,
        confidence: Confidence,
        masked: String,
        reasons: Vec<String>,
    ) -> Finding {
        Finding {
            field,
            confidence,
            masked: SmolStr::from(masked),
            reasons,
            ..Finding::empty(path, category, Arc::from(detector))
        }
    }
}

impl Finding {
    /// Whether it sums a table's column up (`detector = "column"`) rather
    /// than report one value.
    pub fn is_column(&self) -> bool {
        &*self.detector == "column"
    }

    /// The record it belongs to within its location: keyed by commit (a
    /// history scan), sheet, page or slide, row and first line; all `None`
    /// is the item itself (whole-file findings, drawings).
    pub fn record_key(&self) -> RecordKey<'_> {
        (self.commit.as_deref(), self.sheet.as_deref(), self.part, self.row.as_deref(), self.record)
    }
}

/// See [`Finding::record_key`].
pub type RecordKey<'a> =
    (Option<&'a str>, Option<&'a str>, Option<Part>, Option<&'a str>, Option<u64>);

/// Hands each record of one location's batch — its findings other than
/// column findings, in batch order — to `each`, records in the order of
/// their first findings. Nothing is allocated per record: the observers of a
/// scan (`crate::subject`, `crate::incident`) see every record of a share.
pub fn for_each_record<'a>(findings: &'a [Finding], mut each: impl FnMut(&[&'a Finding])) {
    let records = Records::of(findings, |f| !f.is_column());
    let mut members: Vec<&Finding> = Vec::new();
    for record in records.iter() {
        members.clear();
        members.extend(record.iter().map(|&i| &findings[i as usize]));
        each(&members);
    }
}

/// The records of a batch: the indices of the findings `keep` takes, record
/// by record ([`Finding::record_key`]), records in the order of their first
/// findings and findings in batch order; two vectors, whatever the number of
/// records.
pub(crate) struct Records {
    order: Vec<u32>,
    start: Vec<u32>,
}

impl Records {
    pub(crate) fn of(findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Records {
        // The record of each finding, numbered by first appearance. A
        // record's findings mostly come together: the last record is tried
        // before the map.
        let mut by_record: rustc_hash::FxHashMap<RecordKey<'_>, u32> = Default::default();
        let mut last: Option<(RecordKey<'_>, u32)> = None;
        let mut of: Vec<u32> = Vec::with_capacity(findings.len());
        let mut counts: Vec<u32> = Vec::new();
        for f in findings {
            if !keep(f) {
                of.push(u32::MAX);
                continue;
            }
            let record = f.record_key();
            let n = match last {
                Some((key, n)) if key == record => n,
                _ => *by_record.entry(record).or_insert_with(|| {
                    counts.push(0);
                    counts.len() as u32 - 1
                }),
            };
            last = Some((record, n));
            counts[n as usize] += 1;
            of.push(n);
        }
        // The findings in record order (a stable counting sort).
        let mut start: Vec<u32> = Vec::with_capacity(counts.len() + 1);
        let mut total = 0;
        for c in &counts {
            start.push(total);
            total += c;
        }
        start.push(total);
        let mut next = start.clone();
        let mut order = vec![0u32; total as usize];
        for (i, &n) in of.iter().enumerate().filter(|&(_, &n)| n != u32::MAX) {
            order[next[n as usize] as usize] = i as u32;
            next[n as usize] += 1;
        }
        Records { order, start }
    }

    /// Each record's findings, as indices into the batch.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.start.windows(2).map(|r| &self.order[r[0] as usize..r[1] as usize])
    }
}

impl Ord for Finding {
    fn cmp(&self, other: &Finding) -> std::cmp::Ordering {
        // The findings of one item share their path: comparing the pointer
        // first keeps sorting a million findings of one table cheap.
        let path = if Arc::ptr_eq(&self.path, &other.path) {
            std::cmp::Ordering::Equal
        } else {
            self.path.cmp(&other.path)
        };
        path.then_with(|| position(self).cmp(&position(other)))
            .then_with(|| details(self).cmp(&details(other)))
            .then_with(|| self.fingerprint.cmp(&other.fingerprint))
    }
}

/// Sorts `findings` (of one item: they share their path) in [`Ord`]'s
/// order. A text's come in order of where they stand, each strictly
/// before the next: that is told from where alone, and they are left as
/// they are. Comparing every field of each pair, which the sort does
/// though they are in order already, was 2% of a customer table's scan.
pub fn sort(findings: &mut [Finding]) {
    // Where (sheet, part, line, column: the order's first keys after the
    // path) is the same but for a later line, or column on the line.
    let strictly_before = |a: &Finding, b: &Finding| {
        Arc::ptr_eq(&a.path, &b.path)
            && a.sheet == b.sheet
            && a.part == b.part
            && (a.line < b.line || a.line == b.line && a.column < b.column)
    };
    if !findings.is_sorted_by(strictly_before) {
        findings.sort();
    }
}

/// What orders findings at one path: where (line, column, or record for
/// table rows), what, by which detector.
#[allow(clippy::type_complexity)]
fn position(
    f: &Finding,
) -> (
    Option<&str>,
    Option<Part>,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    Category,
    &str,
    Option<&str>,
    Confidence,
) {
    (
        f.sheet.as_deref(),
        f.part,
        f.line,
        f.column,
        f.record,
        f.category,
        &f.detector,
        f.field.as_deref(),
        f.confidence,
    )
}

/// The rest, for a total order.
#[allow(clippy::type_complexity)]
fn details(
    f: &Finding,
) -> (&str, Option<&str>, &[String], Option<&str>, Option<Level>, bool, Option<&str>, u64) {
    (
        &f.masked,
        f.value.as_deref(),
        &f.reasons,
        f.row.as_deref(),
        f.identifiability,
        f.test_data,
        f.commit.as_deref(),
        f.subject,
    )
}

impl PartialOrd for Finding {
    fn partial_cmp(&self, other: &Finding) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The in-process key of [`subject_key`]: random per run, never stored.
static SUBJECT_KEY: std::sync::OnceLock<foldhash::fast::RandomState> = std::sync::OnceLock::new();

/// The bytes [`subject_key`] hashes at a time.
const SUBJECT_CHUNK: usize = 256;

/// The value's [`canonical`] form hashed under a key that lives only in this
/// process (foldhash, seeded at random): enough to tell the values of one
/// scan apart, cheap enough for every finding, and never written anywhere.
/// The hasher takes the form [`SUBJECT_CHUNK`] bytes at a time, and the
/// last part (empty for an empty form) as it is: a call per character made
/// this a twentieth of a dense table's scan.
pub fn subject_key(category: Category, value: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = SUBJECT_KEY.get_or_init(Default::default).build_hasher();
    h.write_u8(category as u8);
    if value.len() <= SHORT_VALUE {
        let mut form = [0u8; SUBJECT_CHUNK];
        let n = short_canonical(value, &mut form);
        h.write(&form[..n]);
        return h.finish();
    }
    long_subject_key(h, value)
}

/// [`subject_key`] of a value longer than [`SHORT_VALUE`], from the hasher
/// `h` that has its category: the value a piece at a time, its form cut
/// into chunks as one form would be. Rare, and out of the way of the
/// short values' path.
#[cold]
fn long_subject_key(mut h: foldhash::fast::FoldHasher, value: &str) -> u64 {
    use std::hash::Hasher;
    let mut form = [0u8; SUBJECT_CHUNK];
    let (mut chunk, mut filled, mut rest) = ([0u8; SUBJECT_CHUNK], 0, value);
    while !rest.is_empty() {
        let mut cut = SHORT_VALUE.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (piece, tail) = rest.split_at(cut);
        let n = short_canonical(piece, &mut form);
        for &b in &form[..n] {
            if filled == SUBJECT_CHUNK {
                h.write(&chunk);
                filled = 0;
            }
            chunk[filled] = b;
            filled += 1;
        }
        rest = tail;
    }
    h.write(&chunk[..filled]);
    h.finish()
}

/// The longest value (or piece of one) [`short_canonical`] takes: its
/// canonical form, at most half as long again (`İ`, two bytes, is `i̇` in
/// lower case, three), fits in one of the hasher's chunks.
const SHORT_VALUE: usize = SUBJECT_CHUNK / 2;

/// What an ASCII byte is in [`canonical`] form: itself in lower case for a
/// letter or digit, 0 (dropped) for anything else. A byte indexes it
/// without a bounds check; past ASCII it is never read.
const ASCII_CANONICAL: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The [`canonical`] bytes of `value` (at most [`SHORT_VALUE`] bytes) into
/// `buf`; returns their length. Every value found passes here: an ASCII
/// byte is a table lookup and a store, kept or overwritten by the next,
/// without a branch, eight at a time where eight are ASCII; a kanji or
/// kana (most of a Japanese name or address, and their own canonical form)
/// a copy of its three bytes, a kanji of U+5000–U+9FFF told by its lead
/// byte alone. Read byte by byte with a test for a full chunk at each, the
/// keys of 8 MB of a customer table took 171 M instructions; read so a
/// byte at a time, 128 M; with the words of ASCII and the kanji by lead
/// byte, 100 M.
fn short_canonical(value: &str, buf: &mut [u8; SUBJECT_CHUNK]) -> usize {
    const _: () = assert!(SUBJECT_CHUNK == 1 << u8::BITS, "a byte indexes a chunk");
    debug_assert!(value.len() <= SHORT_VALUE);
    let bytes = value.as_bytes();
    let (mut i, mut n) = (0, 0);
    // `n` stays below a chunk less two (see SHORT_VALUE): as a byte, it
    // indexes `buf` without a bounds check.
    #[inline(always)]
    fn ascii(buf: &mut [u8; SUBJECT_CHUNK], n: &mut usize, b: u8) {
        let c = ASCII_CANONICAL[usize::from(b)];
        buf[usize::from(*n as u8)] = c;
        *n += usize::from(c != 0);
    }
    while i < bytes.len() {
        if let Some(word) = bytes[i..].first_chunk::<8>()
            && u64::from_ne_bytes(*word) & 0x8080_8080_8080_8080 == 0
        {
            word.iter().for_each(|&b| ascii(buf, &mut n, b));
            i += 8;
            continue;
        }
        let b = bytes[i];
        if b.is_ascii() {
            ascii(buf, &mut n, b);
            i += 1;
        } else if let Some(&[lead, b1, b2]) = bytes[i..].first_chunk::<3>()
            && ((0xE5..=0xE9).contains(&lead)
                || lead & 0xF0 == 0xE0
                    && is_kanji_or_kana(
                        u32::from(lead & 0x0F) << 12
                            | u32::from(b1 & 0x3F) << 6
                            | u32::from(b2 & 0x3F),
                    ))
        {
            for (k, b) in [lead, b1, b2].into_iter().enumerate() {
                buf[usize::from((n + k) as u8)] = b;
            }
            (i, n) = (i + 3, n + 3);
        } else {
            let c = value[i..].chars().next().expect("i is at a character");
            canonical_char(c, |c| n += c.encode_utf8(&mut buf[n..]).len());
            i += c.len_utf8();
        }
    }
    n
}

/// The key of the keyed hash that fingerprints values. Never a plain hash: a
/// phone number's plain hash is found by hashing every possible number.
#[derive(Clone, PartialEq, Eq)]
pub struct FingerprintKey([u8; 32]);

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FingerprintKey(…)")
    }
}

impl FingerprintKey {
    /// A key from a secret or a stored salt (any length).
    pub fn derive(secret: &str) -> FingerprintKey {
        FingerprintKey(blake3::derive_key("piimap 2026 value fingerprint v1", secret.as_bytes()))
    }

    /// A fresh key for one run: its fingerprints only compare within the run.
    pub fn random() -> FingerprintKey {
        FingerprintKey::derive(&random_hex())
    }

    /// The fingerprint of a value: 128 bits of `keyed_hash(category ∥ value)`,
    /// hex, with the value reduced to its letters and digits in lower case so
    /// `090-1234-5678` and `０９０１２３４５６７８` are one value.
    pub fn fingerprint(&self, category: Category, value: &str) -> String {
        let input = format!("{}\0{}", category.id(), canonical(value));
        let hash = blake3::keyed_hash(&self.0, input.as_bytes());
        hash.as_bytes()[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A value reduced to its letters and digits, lower case, full-width folded:
/// the form in which two writings of one value compare equal.
pub fn canonical(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    each_canonical_char(value, |c| out.push(c));
    out
}

/// Hands the characters of [`canonical`] to `each`, without building the
/// string.
fn each_canonical_char(value: &str, mut each: impl FnMut(char)) {
    value.chars().for_each(|c| canonical_char(c, &mut each));
}

/// Hands what `c` is in [`canonical`] form to `each`: nothing, or its
/// full-width-folded lower case (one character or more).
fn canonical_char(c: char, mut each: impl FnMut(char)) {
    if !is_alphanumeric(c) {
        return;
    }
    let c = if ('\u{FF10}'..='\u{FF5A}').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
    } else {
        c
    };
    // Kana and kanji skip the search of the case tables.
    if is_caseless_cjk(c) {
        each(c);
    } else {
        c.to_lowercase().for_each(each);
    }
}

/// Whether code point `c` is a kanji (U+4E00–U+9FFF) or a kana
/// (U+3041–U+3096, U+30A1–U+30FA): a letter without case, so its own
/// [`canonical`] form.
fn is_kanji_or_kana(c: u32) -> bool {
    matches!(c, 0x4E00..=0x9FFF | 0x3041..=0x3096 | 0x30A1..=0x30FA)
}

/// `c.is_alphanumeric()`, told at once for kanji and kana (every character
/// of U+4E00–U+9FFF, U+3041–U+3096 and U+30A1–U+30FA is a letter: a test
/// checks each), which make most of a Japanese value and otherwise each
/// take a search of the Unicode tables.
fn is_alphanumeric(c: char) -> bool {
    is_kanji_or_kana(c as u32) || c.is_alphanumeric()
}

/// Whether `c` is in the block of CJK punctuation, kana and kanji
/// (U+3000–U+9FFF), which holds no letter with case: most characters of a
/// Japanese value, whose lower case is then themselves without a search of
/// the case tables.
fn is_caseless_cjk(c: char) -> bool {
    ('\u{3000}'..='\u{9FFF}').contains(&c)
}

/// `s` in lower case, borrowed when it already is (ASCII without capitals,
/// Japanese: [`is_caseless_cjk`]).
///
/// Read by bytes: the test-data rules ask it of every e-mail and address
/// found, and decoding each character was a third of their cost on a
/// customer table. The block's characters are exactly those whose UTF-8
/// form leads with a byte from 0xE3 to 0xE9, which two more follow.
pub(crate) fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    let mut rest = s.as_bytes();
    let lower = loop {
        match rest {
            [] => break true,
            [b, tail @ ..] if b.is_ascii() && !b.is_ascii_uppercase() => rest = tail,
            [0xE3..=0xE9, _, _, tail @ ..] => rest = tail,
            _ => break false,
        }
    };
    if lower { std::borrow::Cow::Borrowed(s) } else { std::borrow::Cow::Owned(s.to_lowercase()) }
}

/// A set of values compared in [`canonical`] form: allowlisted values and a
/// project's own test data.
#[derive(Debug, Clone, Default)]
pub struct ValueList(Vec<String>);

impl ValueList {
    /// The list of `values`.
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> ValueList {
        let mut list: Vec<String> = values.into_iter().map(canonical).collect();
        list.sort();
        list.dedup();
        ValueList(list)
    }

    /// Whether `value` is one of them, however written.
    pub fn contains(&self, value: &str) -> bool {
        !self.0.is_empty() && self.0.binary_search(&canonical(value)).is_ok()
    }
}

/// 128 random bits, hex: from the OS-seeded keys of std's `RandomState`.
pub fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    (0..2)
        .map(|i| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u8(i);
            format!("{:016x}", h.finish())
        })
        .collect()
}

/// Hides most of a value while keeping enough to recognise it: the first two
/// characters of an e-mail's local part and its domain; the first three
/// characters of an address (the prefecture); nothing of a gender or birth date;
/// otherwise the last few digits or letters, with separators kept so the shape
/// stays readable.
///
/// A [`SmolStr`], collected from its characters or parts: masks of up to
/// 23 bytes (phones, dates, names, most e-mails) are held in place, not on
/// the heap. Every finding has one, and on a dense customer table
/// allocating and freeing them was about 3% of a scan's instructions.
pub fn mask(category: Category, value: &str) -> SmolStr {
    fn head(s: &str, n: usize) -> &str {
        &s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]
    }
    let joined = |parts: &[&str]| parts.iter().copied().collect::<SmolStr>();
    match category {
        // The last `@` found by `memrchr`: `rsplit_once`'s search by
        // character cost 233 instructions an address.
        Category::Email => match memchr::memrchr(b'@', value.as_bytes()) {
            Some(at) => {
                let (local, domain) = (&value[..at], &value[at + 1..]);
                joined(&[head(local, 2.min(local.chars().count() / 2)), "***@", domain])
            }
            None => SmolStr::new_static("***"),
        },
        // Two or three possible values: even the length would tell.
        Category::Gender => SmolStr::new_static("***"),
        Category::Address | Category::Occupation | Category::Name => {
            let keep = if category == Category::Address { 3 } else { 1 };
            joined(&[head(value, keep), "***"])
        }
        // Phones, card numbers, most dates: ASCII, byte by byte.
        _ if value.is_ascii() => mask_ascii(category, value),
        _ => mask_chars(category, value),
    }
}

/// How many of a value's `significant` characters (digits and Latin letters)
/// [`mask`] leaves visible at its end.
fn kept(category: Category, significant: usize) -> usize {
    match significant {
        // A birth date is low-entropy: any visible digit gives much of it away.
        _ if category == Category::BirthDate => 0,
        0..=5 => 0,
        6..=9 => 2,
        _ => 4,
    }
}

/// [`mask_chars`] of an ASCII value, without decoding characters.
fn mask_ascii(category: Category, value: &str) -> SmolStr {
    let significant = value.bytes().filter(u8::is_ascii_alphanumeric).count();
    let hidden = significant - kept(category, significant);
    let mut seen = 0;
    let masked = value.bytes().map(|b| {
        seen += usize::from(b.is_ascii_alphanumeric());
        if b.is_ascii_alphanumeric() && seen <= hidden { '*' } else { char::from(b) }
    });
    masked.collect()
}

/// `value` with its significant characters but the last few [`kept`] as `*`.
/// Digits and Latin letters (half- or full-width) carry the value; kanji
/// such as 年月日 or 平成 are structure and stay visible.
fn mask_chars(category: Category, value: &str) -> SmolStr {
    let is_significant =
        |c: char| c.is_ascii_alphanumeric() || ('\u{FF10}'..='\u{FF5A}').contains(&c);
    let significant = value.chars().filter(|&c| is_significant(c)).count();
    let hidden = significant - kept(category, significant);
    let mut seen = 0;
    let masked = value.chars().map(|c| {
        seen += usize::from(is_significant(c));
        if is_significant(c) && seen <= hidden { '*' } else { c }
    });
    masked.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings strictly in place order are left as they are; any other
    /// order, ties of place included, is sorted in full.
    #[test]
    fn findings_are_sorted_as_ord_sorts_them() {
        let path: Arc<str> = Arc::from("t.csv");
        let at = |line, column, category| {
            let mut f = Finding::about_item(
                Arc::clone(&path),
                category,
                "d",
                None,
                Confidence::High,
                "***".into(),
                Vec::new(),
            );
            (f.line, f.column) = (Some(line), Some(column));
            f
        };
        let cases = [
            // In order: left alone, and sorted.
            vec![at(1, 1, Category::Name), at(1, 9, Category::Phone), at(2, 1, Category::Email)],
            // Out of order.
            vec![at(2, 1, Category::Email), at(1, 9, Category::Phone), at(1, 1, Category::Name)],
            // A tie of place, its categories the wrong way round.
            vec![at(1, 1, Category::Phone), at(1, 1, Category::Name), at(3, 1, Category::Name)],
        ];
        for case in cases {
            let mut sorted = case.clone();
            sort(&mut sorted);
            let mut want = case;
            want.sort();
            assert!(sorted.is_sorted());
            assert_eq!(sorted, want);
        }
        // Findings of another path, though further on, are sorted in full:
        // the path comes first.
        let mut other = at(2, 1, Category::Name);
        other.path = Arc::from("a.csv");
        let mut two = vec![at(1, 1, Category::Name), other];
        sort(&mut two);
        assert_eq!((&*two[0].path, &*two[1].path), ("a.csv", "t.csv"));
    }

    #[test]
    fn masks_keep_little() {
        assert_eq!(mask(Category::Email, "taro.yamada@example.co.jp"), "ta***@example.co.jp");
        assert_eq!(mask(Category::Email, "a@example.com"), "***@example.com");
        // The domain is what follows the last `@`.
        assert_eq!(mask(Category::Email, "\"a@b\"@example.jp"), "\"a***@example.jp");
        assert_eq!(mask(Category::Email, "no-at-sign"), "***");
        assert_eq!(mask(Category::Phone, "090-1234-5678"), "***-****-5678");
        assert_eq!(mask(Category::PostalCode, "100-0001"), "***-**01");
        assert_eq!(mask(Category::Gender, "女性"), "***");
        assert_eq!(mask(Category::Gender, "F"), "***");
        assert_eq!(mask(Category::BirthDate, "1985年4月1日"), "****年*月*日");
        assert_eq!(mask(Category::Address, "東京都千代田区千代田1-1"), "東京都***");
        assert_eq!(mask(Category::MyNumber, "6214 9832 0257"), "**** **** 0257");
        assert_eq!(mask(Category::Name, "山田太郎"), "山***");
        assert_eq!(mask(Category::Address, "京都"), "京都***", "shorter than what is kept");
        assert_eq!(mask(Category::Email, "山田@例え.jp"), "山***@例え.jp");
        assert_eq!(mask(Category::Email, "no-at-sign"), "***");
    }

    #[test]
    fn ascii_values_are_masked_as_characters_are() {
        let values = [
            "",
            "-",
            "090-1234-5678",
            "0312345678",
            "4111 1111 1111 1111",
            "1985/04/01",
            "S60.4.1",
            "AB1234567",
            "+81 90 1234 5678",
            "12345",
            "123456",
            "123456789",
            "1234567890",
            "a-b",
        ];
        for value in values {
            for category in [Category::Phone, Category::BirthDate, Category::PaymentCard] {
                assert_eq!(mask_ascii(category, value), mask_chars(category, value), "{value}");
            }
        }
    }

    #[test]
    fn masks_too_long_to_hold_in_place_are_whole() {
        // Past the 23 bytes a `SmolStr` holds without the heap.
        let domain = format!("{}.example.jp", "sub.".repeat(20));
        let email = format!("taro@{domain}");
        assert_eq!(mask(Category::Email, &email), format!("ta***@{domain}").as_str());
        let digits = "1234567890".repeat(8);
        let masked = mask(Category::Phone, &digits);
        assert_eq!(masked, format!("{}7890", "*".repeat(76)).as_str());
        assert!(masked.is_heap_allocated());
        let date = "２０００年１２月３１日".repeat(3);
        assert_eq!(mask(Category::BirthDate, &date), "****年**月**日".repeat(3).as_str());
        let short = mask(Category::Phone, "090-1234-5678");
        assert!(!short.is_heap_allocated(), "a phone's mask is held in place");
    }

    #[test]
    fn kanji_and_kana_are_told_letters_without_the_tables() {
        for c in char::MIN..=char::MAX {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn japanese_has_no_case() {
        for c in ('\u{3000}'..='\u{9FFF}').filter(|&c| is_caseless_cjk(c)) {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
        assert!(!is_caseless_cjk('Ａ') && !is_caseless_cjk('A') && !is_caseless_cjk('É'));
        for (s, borrowed) in
            [("abc-1", true), ("山田 たろう", true), ("", true), ("Abc", false), ("émile", false)]
        {
            let lower = lowercase(s);
            assert_eq!(lower, s.to_lowercase());
            assert_eq!(matches!(lower, std::borrow::Cow::Borrowed(_)), borrowed, "{s}");
        }
        // Read by bytes, it agrees with the rule by characters on every one,
        // whatever its neighbours.
        let mut s = String::new();
        for c in char::MIN..=char::MAX {
            let stays = (c.is_ascii() && !c.is_ascii_uppercase()) || is_caseless_cjk(c);
            for before in ["a", "@[`{~"] {
                s.clear();
                s.push_str(before);
                s.extend([c, '山']);
                let lower = lowercase(&s);
                let borrowed = matches!(lower, std::borrow::Cow::Borrowed(_));
                assert_eq!(borrowed, stays, "{before} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn subject_keys_ignore_formatting_whatever_the_script() {
        let key = |c, v| subject_key(c, v);
        // Values up to SHORT_VALUE bytes are read at once, longer ones in
        // pieces: a value and its full-width writing, three times as long,
        // take one path each here and must agree.
        assert_eq!(
            key(Category::Phone, "090-1234-5678"),
            key(Category::Phone, "０９０−１２３４−５６７８")
        );
        assert_eq!(
            key(Category::Email, "Taro.Yamada@Example.com"),
            key(Category::Email, "taroyamadaexamplecom")
        );
        let long = "A1-".repeat(40);
        let wide: String = long
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    char::from_u32(c as u32 + 0xFEE0).unwrap()
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(key(Category::Name, &long), key(Category::Name, &wide));
        assert_ne!(key(Category::Phone, "090-1234-5678"), key(Category::Phone, "090-1234-5679"));
        assert_ne!(key(Category::Phone, "0901234"), key(Category::PostalCode, "0901234"));
    }

    #[test]
    fn a_subject_key_hashes_the_canonical_form() {
        use std::hash::{BuildHasher, Hasher};
        // What the key is by definition: the category, then the bytes of
        // the canonical form, through the same keyed hasher and cut alike.
        let reference = |category: Category, value: &str| {
            let mut h = SUBJECT_KEY.get_or_init(Default::default).build_hasher();
            h.write_u8(category as u8);
            let form = canonical(value);
            if form.is_empty() {
                h.write(&[]);
            }
            form.as_bytes().chunks(SUBJECT_CHUNK).for_each(|part| h.write(part));
            h.finish()
        };
        let values = [
            "",
            "090-1234-5678",
            "Taro.Yamada@Example.com",
            "山田 太郎",
            "ヤマダ・タロウ",
            "やまだ　たろう",
            "東京都千代田区千代田1-1 メゾン青葉308号室",
            "佐々木〇〆 ー〜、。「」",
            "０９０（１２３４）５６７８ ＡＢＣ ｘｙｚ ：；",
            "Émile Zoë Straße İstanbul ΣΊΣΥΦΟΣ",
            "ｶﾀｶﾅ 한국어 𠮷野家 🙂 \u{FEFF}x",
            // Words of eight ASCII bytes, whole and cut by a kanji; kanji
            // whose lead byte (E4) also leads symbols that are no letters.
            "taro.yamada@example.co.jp",
            "abcdefg山田hijklmnopqrstu-VWXYZ",
            "一丁目 ䷀ 乙 㐂 丈",
        ];
        let long: String = values.concat().repeat(6);
        assert!(canonical(&long).len() > 2 * SUBJECT_CHUNK, "past two of the hasher's chunks");
        // The longest value read by the short path, at its longest form.
        let widest = "İ".repeat(SHORT_VALUE / 2);
        assert_eq!(canonical(&widest).len(), SHORT_VALUE * 3 / 2);
        for value in values.iter().copied().chain([long.as_str(), widest.as_str()]) {
            for category in [Category::Name, Category::Phone] {
                assert_eq!(subject_key(category, value), reference(category, value), "{value}");
            }
        }
    }

    #[test]
    fn fingerprints_are_keyed_and_ignore_formatting() {
        let key = FingerprintKey::derive("secret");
        let a = key.fingerprint(Category::Phone, "090-1234-5678");
        assert_eq!(a, key.fingerprint(Category::Phone, "０９０１２３４５６７８"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, key.fingerprint(Category::MyNumber, "090-1234-5678"));
        assert_ne!(
            a,
            FingerprintKey::derive("other").fingerprint(Category::Phone, "090-1234-5678")
        );
        assert_ne!(random_hex(), random_hex());
    }

    #[test]
    fn category_ids_are_the_contract() {
        let ids: Vec<_> = Category::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(
            ids,
            [
                "name",
                "address",
                "postal_code",
                "phone",
                "email",
                "birth_date",
                "gender",
                "occupation",
                "bank_account",
                "payment_card",
                "my_number",
                "government_id",
                "floor_plan"
            ]
        );
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.id());
        }
        // Counts by category are arrays indexed by the category itself.
        for (i, c) in Category::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i, "{}", c.id());
        }
    }
}
