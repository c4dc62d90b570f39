//! Validators: the checks that need code (check digits, numbering plans, dates).
//!
//! A detector's regex finds the shape; its validator, named in the pattern file,
//! decides whether the shape is real. A validator sees only the captured value
//! (already folded to ASCII by `normalize`) and answers yes or no. The set is
//! closed: pattern files name one of these variants, and a typo is a
//! load error.

use serde::Deserialize;

/// The check a detector applies to its captured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// Payment card: Luhn check digit, a known issuer prefix and its length.
    Luhn,
    /// IBAN: country length and the ISO 13616 mod-97 check.
    IbanMod97,
    /// Japanese Individual Number (My Number): 12 digits, weighted mod-11 check digit.
    MyNumber,
    /// Japanese phone number: the MIC numbering plan (prefix and digit count).
    PhoneJp,
    /// International number with `+`: E.164 length, not a Japanese number.
    PhoneIntl,
    /// As `PhoneIntl`, written with a space, hyphen or brackets: a bare `+`
    /// and digits is as often arithmetic or a constant.
    PhoneIntlGrouped,
    /// Any 10 or 11 digits (for numbers labelled as phones).
    PhoneLoose,
    /// E-mail address: rejects asset names such as `icon@2x.png`.
    Email,
    /// A calendar date between 1900 and today (Western or Japanese era).
    BirthDate,
    /// Japanese postal code: the prefix `000` is never assigned.
    PostalJp,
    /// Japanese driver's licence: a public-safety-commission code as prefix.
    DriversLicenceJp,
    /// US social security number: area, group and serial rules.
    UsSsn,
    /// Japan Post Bank 記号番号: a 1xxxx 記号 takes a number ending in 1.
    Yucho,
    /// Words, not a code identifier (a CI file's `job: TestBasicLinux`): no
    /// digit, no `_ . / \\ $ { }` and no lower-case letter before a capital.
    Words,
}

impl Validator {
    /// The name pattern files use (`phone-jp`).
    pub fn name(self) -> &'static str {
        match self {
            Validator::Luhn => "luhn",
            Validator::IbanMod97 => "iban-mod97",
            Validator::MyNumber => "my-number",
            Validator::PhoneJp => "phone-jp",
            Validator::PhoneIntl => "phone-intl",
            Validator::PhoneIntlGrouped => "phone-intl-grouped",
            Validator::PhoneLoose => "phone-loose",
            Validator::Email => "email",
            Validator::BirthDate => "birth-date",
            Validator::PostalJp => "postal-jp",
            Validator::DriversLicenceJp => "drivers-licence-jp",
            Validator::UsSsn => "us-ssn",
            Validator::Yucho => "yucho",
            Validator::Words => "words",
        }
    }

    /// True when `value` passes the check.
    pub fn check(self, value: &str) -> bool {
        match self {
            Validator::Luhn => payment_card(value),
            Validator::IbanMod97 => iban(value),
            Validator::MyNumber => my_number(&digits(value)),
            Validator::PhoneJp => phone_jp(value),
            Validator::PhoneIntl => phone_intl(value),
            Validator::PhoneIntlGrouped => {
                value[1..].contains([' ', '-', '(']) && phone_intl(value)
            }
            Validator::PhoneLoose => phone_loose(value),
            Validator::Email => email(value),
            Validator::BirthDate => birth_date(value),
            Validator::PostalJp => !digits(value).starts_with("000"),
            Validator::DriversLicenceJp => drivers_licence_jp(&digits(value)),
            Validator::UsSsn => us_ssn(&digits(value)),
            Validator::Yucho => yucho(value),
            Validator::Words => words(value),
        }
    }
}

fn words(value: &str) -> bool {
    let b = value.as_bytes();
    !b.iter().any(|c| c.is_ascii_digit() || b"_./\\${}".contains(c))
        && !b.windows(2).any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn digit_values(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Luhn check over a digit string.
fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| if i % 2 == 1 { if x * 2 > 9 { x * 2 - 9 } else { x * 2 } } else { x })
        .sum();
    sum.is_multiple_of(10)
}

fn payment_card(value: &str) -> bool {
    let d = digits(value);
    let n = d.len();
    let p = |len: usize| d[..len].parse::<u32>().unwrap_or(0);
    // Issuer prefixes and lengths (ISO/IEC 7812 IIN ranges as published by the schemes).
    let maestro = |two: u32| (two == 50 || (56..=69).contains(&two)) && (12..=19).contains(&n);
    // Maestro UK used 0604; generators still issue it.
    let maestro_uk = p(4) == 604 && d.starts_with('0') && (12..=19).contains(&n);
    let issuer = match d.as_bytes().first() {
        Some(b'4') => matches!(n, 13 | 16 | 19), // Visa
        Some(b'5') => ((51..=55).contains(&p(2)) && n == 16) || maestro(p(2)), // Mastercard, Maestro
        Some(b'2') => {
            ((2221..=2720).contains(&p(4)) && n == 16) // Mastercard 2-series
                || (p(4) == 2131 && n == 15) // JCB 15-digit
        }
        Some(b'1') => p(4) == 1800 && n == 15, // JCB 15-digit
        Some(b'0') => maestro_uk,
        Some(b'3') => {
            ((p(2) == 34 || p(2) == 37) && n == 15)                                      // Amex
                || (p(2) == 35 && (16..=19).contains(&n)) // JCB: 3528-3589 issued; generators use all of 35xx
                || ((p(2) == 36 || p(2) == 38 || p(2) == 39 || (300..=305).contains(&p(3)))
                    && (14..=19).contains(&n)) // Diners
        }
        Some(b'6') => {
            ((p(4) == 6011 || p(2) == 65 || (644..=649).contains(&p(3)) || p(2) == 62)
                && (16..=19).contains(&n)) // Discover, UnionPay
                || maestro(p(2))
        }
        _ => false,
    };
    // A run of one repeated digit passes Luhn for some lengths but is filler, not a card.
    issuer && !d.bytes().all(|b| b == d.as_bytes()[0]) && luhn(&digit_values(&d))
}

/// The BBAN (the account part after the country and check digits) of each
/// country in the IBAN Registry (SWIFT, ISO 13616), in the registry's own
/// notation: `n` digits, `a` capital letters, `c` either, each after its
/// count. The length and the letter/digit places are the structure
/// python-stdnum checks: a number that passes mod-97 but breaks its
/// country's format is no IBAN (1 in 97 random strings passes the sum).
const IBAN_FORMATS: &[(&str, &str)] = &[
    ("AD", "4n4n12c"),
    ("AE", "3n16n"),
    ("AL", "8n16c"),
    ("AT", "5n11n"),
    ("AZ", "4a20c"),
    ("BA", "3n3n8n2n"),
    ("BE", "3n7n2n"),
    ("BG", "4a4n2n8c"),
    ("BH", "4a14c"),
    ("BI", "5n5n11n2n"),
    ("BL", "5n5n11c2n"),
    ("BR", "8n5n10n1a1c"),
    ("BY", "4c4n16c"),
    ("CH", "5n12c"),
    ("CR", "4n14n"),
    ("CY", "3n5n16c"),
    ("CZ", "4n6n10n"),
    ("DE", "8n10n"),
    ("DJ", "5n5n11n2n"),
    ("DK", "4n9n1n"),
    ("DO", "4c20n"),
    ("EE", "2n2n11n1n"),
    ("EG", "4n4n17n"),
    ("ES", "4n4n1n1n10n"),
    ("FI", "3n11n"),
    ("FK", "2a12n"),
    ("FO", "4n9n1n"),
    ("FR", "5n5n11c2n"),
    ("GB", "4a6n8n"),
    ("GE", "2a16n"),
    ("GF", "5n5n11c2n"),
    ("GI", "4a15c"),
    ("GL", "4n9n1n"),
    ("GP", "5n5n11c2n"),
    ("GR", "3n4n16c"),
    ("GT", "4c20c"),
    ("HR", "7n10n"),
    ("HU", "3n4n1n15n1n"),
    ("IE", "4a6n8n"),
    ("IL", "3n3n13n"),
    ("IQ", "4a3n12n"),
    ("IS", "4n2n6n10n"),
    ("IT", "1a5n5n12c"),
    ("JO", "4a4n18c"),
    ("KW", "4a22c"),
    ("KZ", "3n13c"),
    ("LB", "4n20c"),
    ("LC", "4a24c"),
    ("LI", "5n12c"),
    ("LT", "5n11n"),
    ("LU", "3n13c"),
    ("LV", "4a13c"),
    ("LY", "3n3n15n"),
    ("MC", "5n5n11c2n"),
    ("MD", "2c18c"),
    ("ME", "3n13n2n"),
    ("MF", "5n5n11c2n"),
    ("MK", "3n10c2n"),
    ("MN", "4n12n"),
    ("MQ", "5n5n11c2n"),
    ("MR", "5n5n11n2n"),
    ("MT", "4a5n18c"),
    ("MU", "4a2n2n12n3n3a"),
    ("NC", "5n5n11c2n"),
    ("NL", "4a10n"),
    ("NO", "4n6n1n"),
    ("OM", "3n16c"),
    ("PF", "5n5n11c2n"),
    ("PK", "4a16c"),
    ("PL", "8n16n"),
    ("PM", "5n5n11c2n"),
    ("PS", "4a21c"),
    ("PT", "4n4n11n2n"),
    ("QA", "4a21c"),
    ("RE", "5n5n11c2n"),
    ("RO", "4a16c"),
    ("RS", "3n13n2n"),
    ("RU", "9n5n15c"),
    ("SA", "2n18c"),
    ("SC", "4a2n2n16n3a"),
    ("SD", "2n12n"),
    ("SE", "3n16n1n"),
    ("SI", "5n8n2n"),
    ("SK", "4n6n10n"),
    ("SM", "1a5n5n12c"),
    ("SO", "4n3n12n"),
    ("ST", "4n4n11n2n"),
    ("SV", "4a20n"),
    ("TF", "5n5n11c2n"),
    ("TL", "3n14n2n"),
    ("TN", "2n3n13n2n"),
    ("TR", "5n1n16c"),
    ("UA", "6n19c"),
    ("VA", "3n15n"),
    ("VG", "4a16n"),
    ("WF", "5n5n11c2n"),
    ("XK", "4n10n2n"),
    ("YE", "4a4n18c"),
    ("YT", "5n5n11c2n"),
];

/// Whether `bban` has the structure `format` (registry notation) gives.
fn bban_fits(bban: &[u8], format: &str) -> bool {
    let mut at = 0;
    let mut count = 0;
    for c in format.bytes() {
        if c.is_ascii_digit() {
            count = count * 10 + usize::from(c - b'0');
            continue;
        }
        let Some(part) = bban.get(at..at + count) else {
            return false;
        };
        let fits = |b: &u8| match c {
            b'n' => b.is_ascii_digit(),
            b'a' => b.is_ascii_uppercase(),
            _ => b.is_ascii_digit() || b.is_ascii_uppercase(),
        };
        if !part.iter().all(fits) {
            return false;
        }
        at += count;
        count = 0;
    }
    at == bban.len()
}

fn iban(value: &str) -> bool {
    // Written in groups of any size, with spaces or hyphens (`ES 58 0049…`).
    let s: String = value.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let Some(&(_, format)) = IBAN_FORMATS.iter().find(|(cc, _)| s.starts_with(cc)) else {
        return false;
    };
    let b = s.as_bytes();
    if b.len() < 5 || !b[2..4].iter().all(u8::is_ascii_digit) || !bban_fits(&b[4..], format) {
        return false;
    }
    let rearranged = s[4..].bytes().chain(s[..4].bytes());
    let mut rem: u32 = 0;
    for b in rearranged {
        let v = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// My Number check digit (省令 第5条): weights 6,5,4,3,2,7,6,5,4,3,2 over the
/// first 11 digits; `cd = 0` when `sum % 11 <= 1`, else `11 - sum % 11`.
fn my_number(d: &str) -> bool {
    let v = digit_values(d);
    if v.len() != 12 || v.iter().all(|&x| x == v[0]) {
        return false;
    }
    const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let s: u32 = v[..11].iter().zip(W).map(|(a, b)| a * b).sum();
    let r = s % 11;
    let cd = if r <= 1 { 0 } else { 11 - r };
    v[11] == cd
}

/// Japanese numbering plan (総務省): see `../shared/reference/japan-formats.md` §2.
/// Every phone finding comes here: the digits and their groups are kept in
/// arrays, not a string per group.
fn phone_jp(value: &str) -> bool {
    let international = value.trim_start().starts_with('+');
    // The digits as written and the lengths of their groups, e.g. 03-1234-5678
    // gives 0312345678 in groups of 2, 4 and 4. A number has at most 14
    // digits (11, and +81 and its (0)), so more cannot be one.
    let mut digits = [0u8; 24];
    let mut lens = [0usize; 24];
    let (mut n, mut groups) = (0, 0);
    for g in value.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()) {
        if n + g.len() > digits.len() {
            return false;
        }
        digits[n..n + g.len()].copy_from_slice(g.as_bytes());
        lens[groups] = g.len();
        (n, groups) = (n + g.len(), groups + 1);
    }
    // Where the national number starts: its first digit and group.
    let (mut at, mut first) = (0, 0);
    if international {
        // +81 drops the trunk 0; "+81 (0)3 ..." writes it in parentheses;
        // +819012345678: the country code runs into the number.
        if groups == 0 || lens[0] < 2 || digits[..2] != *b"81" {
            return false;
        }
        at = 2;
        if lens[0] == 2 {
            first = 1;
        } else {
            lens[0] -= 2;
        }
        if first < groups && digits[at] == b'0' {
            if lens[first] != 1 {
                return false;
            }
            (at, first) = (at + 1, first + 1);
        }
        if first == groups {
            return false;
        }
        // The trunk 0 back in front: two digits at least went before it.
        at -= 1;
        digits[at] = b'0';
        lens[first] += 1;
    }
    numbering_plan(&digits[at..n], &lens[first..groups])
}

/// Whether the national number `b` (its digits, trunk 0 first), written in
/// groups of `groups` digits, fits the Japanese numbering plan.
fn numbering_plan(b: &[u8], groups: &[usize]) -> bool {
    if b.len() < 10 || b[0] != b'0' || b[1] == b'0' {
        return false;
    }
    // 0AB0 special services have fixed lengths; 0A0 is mobile/IP/M2M (11
    // digits); everything else is a geographic fixed line (10 digits). Where
    // the number is written in groups, its first group tells 0A0 apart from
    // a two-digit area code: 03-0763-5333 is a Tokyo number, not 030.
    let special =
        ["0120", "0570", "0990", "0180", "0800"].iter().find(|p| b.starts_with(p.as_bytes()));
    let zero_a_zero = if groups.len() > 1 { groups[0] == 3 && b[2] == b'0' } else { b[2] == b'0' };
    let fixed = special.is_none() && !zero_a_zero;
    let valid = match special {
        Some(&"0800") => b.len() == 11,
        Some(_) => b.len() == 10,
        // MIC leaves 0A0-0xxx unassigned, but generated and sample data use it
        // freely; the prefix and length alone are what set a mobile number apart.
        None if zero_a_zero => {
            matches!(b[1], b'2' | b'5' | b'6' | b'7' | b'8' | b'9') && b.len() == 11
        }
        None => b.len() == 10,
    };
    if !valid {
        return false;
    }
    if fixed && groups.len() == 3 {
        // 市外局番 + 市内局番 is always 6 digits and the subscriber number 4.
        // MIC also says the local exchange starts with 2-9, but like
        // libphonenumber we accept 0/1 there: sample and test data (and the
        // ubiquitous 03-1234-5678) ignore that rule.
        let (area, local, sub) = (groups[0], groups[1], groups[2]);
        if area + local != 6 || sub != 4 {
            return false;
        }
        // The only two-digit area codes are 03 (Tokyo), 04 and 06 (Osaka):
        // 01-2345-6789 or 05-… is a code, not a phone number.
        if area == 2 && !matches!(b[1], b'3' | b'4' | b'6') {
            return false;
        }
    }
    true
}

/// A labelled number of phone length (10 or 11 digits) that no numbering plan
/// check accepts, e.g. generated data without the leading 0.
fn phone_loose(value: &str) -> bool {
    (10..=11).contains(&digits(value).len())
}

fn phone_intl(value: &str) -> bool {
    let d = digits(value);
    !d.starts_with("81") && (8..=15).contains(&d.len())
}

/// File extensions that follow `@` in asset names (`icon@2x.png`), never real TLDs in use
/// for mail.
const ASSET_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "ts", "json", "map",
    "woff", "woff2", "ttf", "pdf", "mp4", "webm", "txt", "html", "xml",
];

/// Whether an e-mail's domain is no asset name's. Its `@` and dots are
/// found by `memchr`: searched for as characters, they cost 500
/// instructions an address of a customer table.
fn email(value: &str) -> bool {
    let Some(at) = memchr::memrchr(b'@', value.as_bytes()) else {
        return false;
    };
    let domain = &value[at + 1..];
    let tld = memchr::memrchr(b'.', domain.as_bytes()).map_or(domain, |dot| &domain[dot + 1..]);
    let first_label = memchr::memchr(b'.', domain.as_bytes()).map_or(domain, |dot| &domain[..dot]);
    let retina = first_label.len() >= 2
        && first_label.ends_with('x')
        && first_label[..first_label.len() - 1].bytes().all(|b| b.is_ascii_digit());
    !retina && !ASSET_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(tld))
}

const MONTHS: &[&str] =
    &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Japanese eras: name, initial, first Western year.
const ERAS: &[(&str, char, u32)] = &[
    ("明治", 'M', 1868),
    ("大正", 'T', 1912),
    ("昭和", 'S', 1926),
    ("平成", 'H', 1989),
    ("令和", 'R', 2019),
    ("㍾", 'M', 1868),
    ("㍽", 'T', 1912),
    ("㍼", 'S', 1926),
    ("㍻", 'H', 1989),
    ("㋿", 'R', 2019),
];

/// Era lengths in years, to reject 昭和70年 and the like.
fn era_max_year(start: u32) -> u32 {
    match start {
        1868 => 45,
        1912 => 15,
        1926 => 64,
        1989 => 31,
        _ => 99,
    }
}

fn birth_date(value: &str) -> bool {
    date_readings(value)
        .into_iter()
        .flatten()
        .any(|(y, m, d)| (1900..=2026).contains(&y) && is_date(m, d))
}

/// A date as `(year, month, day)`.
pub(crate) type Ymd = (u32, u32, u32);

/// The numbers of a date as written (the first three kept, and how many
/// there are) and whether three letters stand together in it, read by
/// bytes, a character past ASCII at a time (its length from its lead
/// byte): such a character ends a number as it would read as a character,
/// and `元` (the first year of an era) counts as 1, told by its bytes.
/// Decoded as characters, a customer table's dates took 1.1% of its
/// scan's instructions.
fn date_numbers(v: &str) -> ([u32; 3], usize, bool) {
    const GAN: &[u8] = "元".as_bytes();
    let bytes = v.as_bytes();
    let mut nums = [0u32; 3];
    let mut count = 0;
    let mut push = |n| {
        if let Some(slot) = nums.get_mut(count) {
            *slot = n;
        }
        count += 1;
    };
    let mut cur: Option<u32> = None;
    let (mut letters, mut word) = (0, false);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            let d = u32::from(b - b'0');
            cur = Some(cur.unwrap_or(0).saturating_mul(10).saturating_add(d));
            (letters, i) = (0, i + 1);
            continue;
        }
        if let Some(n) = cur.take() {
            push(n);
        }
        if b.is_ascii() {
            letters = if b.is_ascii_alphabetic() { letters + 1 } else { 0 };
            word |= letters == 3;
            i += 1;
        } else {
            if bytes[i..].starts_with(GAN) {
                push(1);
            }
            // A lead byte's leading ones count its character's bytes.
            (letters, i) = (0, i + b.leading_ones() as usize);
        }
    }
    if let Some(n) = cur {
        push(n);
    }
    (nums, count, word)
}

/// The `(year, month, day)` readings of a date as written — Western with any
/// separators, compact `19850401`, month names, eras (`昭和60年4月1日`,
/// `S60.4.1`, `平成元年`) — unchecked: one reading, or two for `01/04/1985`
/// (US and UK order), none when it is not a date's shape. `value` is folded
/// to ASCII digits already. Allocates nothing in the common case: the
/// validator and the data-subject index read every birth date.
pub(crate) fn date_readings(value: &str) -> [Option<Ymd>; 2] {
    const NONE: [Option<Ymd>; 2] = [None, None];
    let v = value.trim();
    let (nums, count, word) = date_numbers(v);
    if count > 3 {
        return NONE;
    }
    let nums = &nums[..count];
    // Month names only where three letters stand together, as in each of
    // [`MONTHS`]: most dates have no letter, and an era's initial
    // (`S60.4.1`) stands alone.
    let month_by_name = if word {
        let lower = v.to_ascii_lowercase();
        MONTHS.iter().position(|m| lower.contains(m)).map(|i| i as u32 + 1)
    } else {
        None
    };
    if let Some(m) = month_by_name {
        let [a, b] = nums[..] else { return NONE };
        return [Some(if a > 31 { (a, m, b) } else { (b, m, a) }), None];
    }
    // An era date starts with its era: most dates start with a digit.
    let era = if v.starts_with(|c: char| c.is_ascii_digit()) {
        None
    } else {
        ERAS.iter().find(|(name, initial, _)| v.starts_with(name) || v.starts_with(*initial))
    };
    if let Some(&(_, _, start)) = era {
        let [y, m, d] = nums[..] else { return NONE };
        if y == 0 || y > era_max_year(start) {
            return NONE;
        }
        return [Some((start + y - 1, m, d)), None];
    }
    match nums[..] {
        [compact] if v.len() == 8 => {
            [Some((compact / 10000, compact / 100 % 100, compact % 100)), None]
        }
        [y, m, d] if y >= 1000 => [Some((y, m, d)), None],
        // 04/01/1985 (US) or 01/04/1985 (UK).
        [a, b, y] if y >= 1000 => {
            let us = (a <= 12).then_some((y, a, b));
            let uk = (b <= 12 && a != b).then_some((y, b, a));
            if us.is_some() { [us, uk] } else { [uk, None] }
        }
        _ => NONE,
    }
}

/// Whether month `m` has a day `d` (29 February in any year: a birth
/// date's year is not checked for leaps).
pub(crate) fn is_date(m: u32, d: u32) -> bool {
    let days = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Public-safety-commission codes that open a licence number (see japan-formats.md §5).
fn drivers_licence_jp(d: &str) -> bool {
    if d.len() != 12 {
        return false;
    }
    let psc: u32 = d[..2].parse().unwrap_or(0);
    matches!(psc, 10..=14 | 20..=25 | 30 | 40..=55 | 60..=65 | 70..=74 | 80..=83 | 90..=97)
}

fn us_ssn(d: &str) -> bool {
    if d.len() != 9 {
        return false;
    }
    let area: u32 = d[..3].parse().unwrap_or(0);
    let group: u32 = d[3..5].parse().unwrap_or(0);
    let serial: u32 = d[5..].parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

fn yucho(value: &str) -> bool {
    let groups: Vec<&str> =
        value.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let (kigo, bango) = match groups[..] {
        [k, b] => (k, b),
        [all] if all.len() >= 6 => (&all[..5], &all[5..]),
        _ => return false,
    };
    kigo.len() == 5 && (kigo.starts_with('0') || (kigo.starts_with('1') && bango.ends_with('1')))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`phone_jp`]'s digits and groups as first taken, with a string per
    /// group: the reference its array-based form must agree with.
    fn phone_jp_as_it_was(value: &str) -> bool {
        let international = value.trim_start().starts_with('+');
        // Groups of digits as written, e.g. ["03", "1234", "5678"].
        let mut groups: Vec<String> = value
            .split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .map(String::from)
            .collect();
        if international {
            // +81 drops the trunk 0; "+81 (0)3 ..." writes it in parentheses.
            match groups.first_mut() {
                Some(g) if g == "81" => {
                    groups.remove(0);
                }
                // +819012345678: the country code runs into the number.
                Some(g) if g.starts_with("81") => {
                    g.drain(..2);
                }
                _ => return false,
            }
            match groups.first_mut() {
                Some(g) if g == "0" => {
                    groups.remove(0);
                }
                Some(g) if g.starts_with('0') => return false,
                _ => {}
            }
            match groups.first_mut() {
                Some(g) => g.insert(0, '0'),
                None => return false,
            }
        }
        let lens: Vec<usize> = groups.iter().map(String::len).collect();
        numbering_plan(groups.concat().as_bytes(), &lens)
    }

    #[test]
    fn japanese_phones_are_judged_as_the_string_based_check_judged_them() {
        // Every way of writing the digits of a few numbers, with the
        // separators and prefixes phones are written with, and their
        // neighbours one digit shorter or longer.
        let numbers = [
            "0312345678",
            "09012345678",
            "0120123456",
            "08001234567",
            "0570123456",
            "0612345678",
            "0112345678",
            "0512345678",
            "0301234567",
            "05012345678",
            "0201234567",
            "031234567",
        ];
        let mut values = Vec::new();
        for number in numbers {
            for digits in [number.to_string(), format!("{number}9"), number[1..].to_string()] {
                let d = digits.as_str();
                for cut in [
                    &[][..],
                    &[2][..],
                    &[3][..],
                    &[2, 6][..],
                    &[3, 7][..],
                    &[4, 6][..],
                    &[1, 2, 3, 4][..],
                ] {
                    let mut written = String::new();
                    for (i, c) in d.char_indices() {
                        if cut.contains(&i) {
                            written.push('-');
                        }
                        written.push(c);
                    }
                    for prefix in ["", " ", "+81 ", "+81", "+81 (0)", "+81-0", "+8", "+", "+1 "] {
                        let rest = if prefix.contains("81") { &written[1..] } else { &written[..] };
                        values.push(format!("{prefix}{rest}"));
                        values.push(format!("{prefix}{written}"));
                    }
                }
            }
        }
        values.extend(
            ["", "+", "+81", "+81 0", "0", "03-1234-5678-1234-5678-1234-5678-9999"]
                .map(String::from),
        );
        let mut accepted = 0;
        for v in &values {
            assert_eq!(phone_jp(v), phone_jp_as_it_was(v), "{v:?}");
            accepted += usize::from(phone_jp(v));
        }
        assert!(accepted > 100 && accepted < values.len() / 2, "{accepted} of {}", values.len());
    }

    #[test]
    fn my_number_check_digit() {
        // Test vectors: python-stdnum doctest and the worked example in japan-formats.md §1.1.
        for ok in ["621498320257", "123456789018", "548836529885", "895980423139"] {
            assert!(Validator::MyNumber.check(ok), "{ok}");
        }
        for bad in ["621498320258", "123456789019", "111111111111", "12345678901"] {
            assert!(!Validator::MyNumber.check(bad), "{bad}");
        }
    }

    #[test]
    fn payment_cards() {
        for ok in [
            "4111 1111 1111 1111",
            "5555-5555-5555-4444",
            "378282246310005",
            "3530111333300000",
            "2223003122003222",
            "180003962657637",
            "6759649826438453",
            "566571050350",
            "060406285431",
        ] {
            assert!(Validator::Luhn.check(ok), "{ok}");
        }
        for bad in
            ["4111 1111 1111 1112", "1234567812345670", "0000000000000000", "5555555555554444000"]
        {
            assert!(!Validator::Luhn.check(bad), "{bad}");
        }
    }

    #[test]
    fn ibans() {
        assert!(Validator::IbanMod97.check("GB82 WEST 1234 5698 7654 32"));
        assert!(Validator::IbanMod97.check("DE89370400440532013000"));
        assert!(!Validator::IbanMod97.check("DE89370400440532013001"));
        assert!(!Validator::IbanMod97.check("DE8937040044053201300"));
        // Any grouping, spaces or hyphens.
        assert!(Validator::IbanMod97.check("ES 60 0049 1500 0512 3456 7892"));
        assert!(Validator::IbanMod97.check("DE89-3704-0044-0532-0130-00"));
        assert!(Validator::IbanMod97.check("FR14 2004 1010 0505 0001 3M02 606"));
        // The sum holds but the country's structure does not: digits where
        // the bank code has letters (GB, NL), a letter among digits (DE).
        for value in ["GB46123456987654321234", "NL9712340517164300", "DE0537040044053201300A"] {
            assert!(!Validator::IbanMod97.check(value), "{value}");
        }
        // An unknown country, or check digits that are not digits.
        assert!(!Validator::IbanMod97.check("JP89370400440532013000"));
        assert!(!Validator::IbanMod97.check("DEAB370400440532013000"));
    }

    #[test]
    fn bban_structure_notation() {
        assert!(bban_fits(b"WEST12345698765432", "4a6n8n"));
        assert!(!bban_fits(b"WEST1234569876543", "4a6n8n"));
        assert!(!bban_fits(b"WEST123456987654321", "4a6n8n"));
        assert!(bban_fits(b"A0123456789X", "1a10n1c"));
        assert!(!bban_fits(b"a0123456789X", "1a10n1c"));
    }

    #[test]
    fn japanese_phone_numbering_plan() {
        for ok in [
            "090-1234-5678",
            "03-1234-5678",
            "011-234-5678",
            "0120-123-456",
            "0800-123-4567",
            "050-1234-5678",
            "060-1234-5678",
            "+81 90 1234 5678",
            "+81-3-1234-5678",
            "+81 (0)3-1234-5678",
            "0570-123-456",
            "(03)1234-5678",
            "+81-3-0763-5333",
            "03-0123-4567",
        ] {
            assert!(Validator::PhoneJp.check(ok), "{ok}");
        }
        assert!(Validator::PhoneJp.check("09012345678"));
        assert!(Validator::PhoneJp.check("+819012345678"));
        for bad in [
            "0120-1234-567",
            "090-123-4567",
            "03-123-45678",
            "0112-345-678",
            "01-2345-6789",
            "05-1234-5678",
            "010-1234-5678",
            "030-1234-5678",
            "+82 10 1234 5678",
            "0312-345-6789",
        ] {
            assert!(!Validator::PhoneJp.check(bad), "{bad}");
        }
    }

    #[test]
    fn birth_dates() {
        for ok in [
            "1985年4月1日",
            "1985/04/01",
            "19850401",
            "昭和60年4月1日",
            "H2.4.1",
            "平成元年1月8日",
            "April 1, 1985",
            "1 Apr 1985",
            "04/01/1985",
            "31/12/1999",
            "S60-04-01",
        ] {
            assert!(birth_date(ok), "{ok}");
        }
        for bad in
            ["1985/13/01", "1985/02/30", "昭和70年1月1日", "2031/01/01", "1850/01/01", "13/13/1999"]
        {
            assert!(!birth_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_month_is_read_by_name_only_from_three_letters() {
        assert_eq!(date_readings("1 Apr 1985"), [Some((1985, 4, 1)), None]);
        assert_eq!(date_readings("sept. 30 1999"), [Some((1999, 9, 30)), None]);
        // An era's initial is no month: the era reads it.
        assert_eq!(date_readings("S60.4.1"), [Some((1985, 4, 1)), None]);
        assert_eq!(date_readings("Ap 1 1985"), [None, None]);
    }

    /// [`date_numbers`] by its definition: the numbers of a date's
    /// characters, and whether three ASCII letters stand together.
    fn date_numbers_by_characters(v: &str) -> ([u32; 3], usize, bool) {
        let mut numbers = Vec::new();
        let mut cur: Option<u32> = None;
        for c in v.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                let d = u32::from(c as u8 - b'0');
                cur = Some(cur.unwrap_or(0).saturating_mul(10).saturating_add(d));
            } else if let Some(n) = cur.take() {
                numbers.push(n);
            }
            if c == '元' {
                numbers.push(1);
            }
        }
        let mut nums = [0; 3];
        nums.iter_mut().zip(&numbers).for_each(|(slot, &n)| *slot = n);
        let word = v.as_bytes().windows(3).any(|w| w.iter().all(u8::is_ascii_alphabetic));
        (nums, numbers.len(), word)
    }

    #[test]
    fn a_date_is_read_by_bytes_as_by_characters() {
        // Every string of up to four pieces of these: the kanji share the
        // lead byte of `元` (E5) and, for `兄`, its second byte as well.
        let pieces = [
            "1", "19", "元", "年", "兄", "偶", "a", "B", "Apr", "/", " ", "-", "昭和", "S", "平成",
            ".", "Ｈ", "sept",
        ];
        let strings = crate::detect::strings_of(&pieces, 4);
        assert!(strings.len() > 100_000, "{}", strings.len());
        for v in &strings {
            assert_eq!(date_numbers(v), date_numbers_by_characters(v), "{v:?}");
        }
    }

    #[test]
    fn emails_and_assets() {
        assert!(email("taro@example.co.jp"));
        assert!(email("docomo..ab1234yz.@docomo.ne.jp"));
        assert!(!email("icon@2x.png"));
        assert!(!email("logo@example.svg"));
        // The domain follows the last `@`; its first label ends at its
        // first dot, its top-level one starts after its last.
        assert!(!email("a@b@3x.example.com"));
        assert!(email("\"a@2x\"@example.jp"));
        assert!(!email("icon@2x"));
        assert!(!email("logo@png"));
        assert!(email("taro@example"));
        assert!(!email("no-at-sign.png"));
    }

    #[test]
    fn names_are_what_pattern_files_write() {
        for v in [
            Validator::Luhn,
            Validator::IbanMod97,
            Validator::MyNumber,
            Validator::PhoneJp,
            Validator::PhoneIntl,
            Validator::PhoneIntlGrouped,
            Validator::PhoneLoose,
            Validator::Email,
            Validator::BirthDate,
            Validator::PostalJp,
            Validator::DriversLicenceJp,
            Validator::UsSsn,
            Validator::Yucho,
            Validator::Words,
        ] {
            let parsed: Validator = serde_json::from_value(serde_json::json!(v.name())).unwrap();
            assert_eq!(parsed, v);
        }
    }

    #[test]
    fn other_identifiers() {
        assert!(Validator::DriversLicenceJp.check("301234567890"));
        assert!(!Validator::DriversLicenceJp.check("991234567890"));
        assert!(Validator::UsSsn.check("123-45-6789"));
        assert!(!Validator::UsSsn.check("666-45-6789"));
        assert!(!Validator::UsSsn.check("123-00-6789"));
        assert!(Validator::Yucho.check("10530-12345671"));
        assert!(!Validator::Yucho.check("10530-12345678"));
        assert!(Validator::Yucho.check("00150-123456"));
        assert!(!Validator::PostalJp.check("000-1234"));
        assert!(Validator::PostalJp.check("100-0001"));
        assert!(Validator::PhoneIntl.check("+44 20 7946 0958"));
        assert!(!Validator::PhoneIntl.check("+81 3 1234 5678"));
        assert!(Validator::PhoneIntlGrouped.check("+44 20 7946 0958"));
        assert!(!Validator::PhoneIntlGrouped.check("+442079460958"));
        for ok in ["会社員", "Sales manager", "Software Engineer", "看護師（正看護師）"]
        {
            assert!(Validator::Words.check(ok), "{ok}");
        }
        for bad in ["TestBasicLinux", "build_linux", "ubuntu-22.04", "${{ matrix.os }}", "job1"] {
            assert!(!Validator::Words.check(bad), "{bad}");
        }
    }
}
