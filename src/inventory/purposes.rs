//! Purposes of use (利用目的): which purposes each location serves, whether its
//! data stays within them, whether it is kept too long, and how risky it is.
//!
//! The purposes and the location rules that assign them are data
//! (`patterns/purposes.toml`, replaced with `--purposes FILE` and extended by
//! `.piimap.toml`). [`Purposes::assess`] takes each location as the scan
//! ends it and adds its purposes, the categories outside all of them
//! (`out_of_purpose`), `unassigned` (identifying data, no purpose),
//! `retention_overdue` (not modified for longer than a purpose keeps data)
//! and a risk level with the reasons for it.
//!
//! This module knows nothing of files or detectors.

use std::sync::OnceLock;
use std::time::SystemTime;

use aho_corasick::AhoCorasick;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use super::Location;
use crate::finding::{Category, Level};

const BUILTIN: &str = include_str!("../../patterns/purposes.toml");

/// One purpose of use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable id (`billing`).
    pub id: String,
    /// 日本語の名称.
    pub ja: String,
    /// English name.
    pub en: String,
    /// The categories it may use.
    pub categories: Vec<Category>,
    /// How long data may be kept for it, in days.
    #[serde(default)]
    pub retention_days: Option<u64>,
    /// Only de-identified data: anything identifying a person directly is out
    /// of purpose.
    #[serde(default)]
    pub deidentified: bool,
}

/// A location rule as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The purposes it assigns.
    pub purposes: Vec<String>,
    /// Globs of location paths (case-insensitive; `**` crosses `/`).
    pub paths: Vec<String>,
}

/// A purposes file: purposes and location rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposesFile {
    /// The purposes.
    #[serde(default)]
    pub purpose: Vec<Purpose>,
    /// The location rules.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
}

/// Purposes and compiled location rules.
#[derive(Debug)]
pub struct Purposes {
    /// Every purpose, in file order.
    pub list: Vec<Purpose>,
    /// The location rules as written (kept to extend them).
    specs: Vec<RuleSpec>,
    /// The location rules, compiled.
    rules: Vec<Rule>,
    /// Every rule's literals ([`literal`]), ASCII case ignored as the
    /// globs ignore it: a rule none of whose literals a path holds cannot
    /// match it, and is not asked.
    literals: AhoCorasick,
    /// Per literal of `literals`, its rule.
    owners: Vec<usize>,
}

/// A location rule, compiled.
#[derive(Debug)]
struct Rule {
    /// Its globs, checked.
    globs: Vec<Glob>,
    /// The purposes it assigns.
    purposes: Vec<usize>,
    /// Some glob of it has no [`literal`]: every path asks the rule.
    always: bool,
    /// Its globs as one set, compiled when a path that may match first asks
    /// (a user's when the file loads, so that an error shows at once).
    /// Compiling the built-in rules' sets was a tenth of the start-up of a
    /// scan that found something, and most paths hold none of their
    /// literals (`billing`, `契約`).
    set: OnceLock<GlobSet>,
}

impl Rule {
    /// Its globs as one set.
    fn compile(&self) -> Result<GlobSet, String> {
        let mut set = GlobSetBuilder::new();
        self.globs.iter().for_each(|g| {
            set.add(g.clone());
        });
        set.build().map_err(|e| e.to_string())
    }

    /// Its set, compiled now if not yet.
    fn set(&self) -> &GlobSet {
        self.set
            .get_or_init(|| self.compile().expect("the built-in location rules compile (tested)"))
    }
}

/// The longest run of plain characters of `glob` within a path component:
/// every path the glob matches holds it, ASCII case ignored (globs ignore
/// case in ASCII alone, and match other characters as they are: `K`, the
/// Kelvin sign, is no `k`). `None` where it has none, or where a class,
/// alternatives or an escape make that harder to be sure of.
fn literal(glob: &str) -> Option<&str> {
    if glob.contains(['[', '{', '\\']) {
        return None;
    }
    glob.split(['*', '?', '/']).max_by_key(|run| run.len()).filter(|run| !run.is_empty())
}

impl Purposes {
    /// The policy's own purposes (`patterns/purposes.toml`).
    pub fn builtin() -> Result<Purposes, String> {
        let file: PurposesFile = toml::from_str(BUILTIN).map_err(|e| e.to_string())?;
        Purposes::compiled(file, false)
    }

    /// Parses a purposes file's text (errors say the line).
    pub fn parse(text: &str) -> Result<Purposes, String> {
        let file: PurposesFile = toml::from_str(text).map_err(|e| e.to_string())?;
        Purposes::new(file)
    }

    /// Compiles purposes and rules; a rule naming an unknown purpose is an error.
    pub fn new(file: PurposesFile) -> Result<Purposes, String> {
        Purposes::compiled(file, true)
    }

    /// [`Purposes::new`], its glob sets compiled now or when first needed.
    fn compiled(file: PurposesFile, now: bool) -> Result<Purposes, String> {
        let mut rules = Vec::new();
        let (mut literals, mut owners) = (Vec::new(), Vec::new());
        for rule in &file.rule {
            let mut globs = Vec::new();
            let mut always = false;
            for p in &rule.paths {
                let glob = GlobBuilder::new(p)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| e.to_string())?;
                globs.push(glob);
                match literal(p) {
                    Some(run) => {
                        literals.push(run);
                        owners.push(rules.len());
                    }
                    None => always = true,
                }
            }
            let ids = rule
                .purposes
                .iter()
                .map(|id| {
                    file.purpose
                        .iter()
                        .position(|p| &p.id == id)
                        .ok_or_else(|| format!("location rule names an unknown purpose: {id}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            rules.push(Rule { globs, purposes: ids, always, set: OnceLock::new() });
        }
        if now {
            for rule in &rules {
                let _ = rule.set.set(rule.compile()?);
            }
        }
        // A few dozen short words, read on one path per location: the
        // automaton that is quickest to build.
        let literals = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&literals)
            .map_err(|e| e.to_string())?;
        Ok(Purposes { list: file.purpose, specs: file.rule, rules, literals, owners })
    }

    /// Adds `extra` (from `.piimap.toml`): a purpose with a known id replaces
    /// it; rules come first.
    pub fn extend(self, extra: PurposesFile) -> Result<Purposes, String> {
        let mut file = PurposesFile { purpose: self.list, rule: extra.rule };
        for p in extra.purpose {
            match file.purpose.iter().position(|q| q.id == p.id) {
                Some(i) => file.purpose[i] = p,
                None => file.purpose.push(p),
            }
        }
        file.rule.extend(self.specs);
        Purposes::new(file)
    }

    /// The indices of the purposes a path serves.
    fn of(&self, path: &str) -> Vec<usize> {
        // `**/x/**` needs a leading directory: match the path as if rooted.
        let rooted = format!("/{}", path.trim_start_matches("./"));
        let mut asked: Vec<bool> = self.rules.iter().map(|r| r.always).collect();
        for m in self.literals.find_overlapping_iter(&rooted) {
            asked[self.owners[m.pattern().as_usize()]] = true;
        }
        let mut ids: Vec<usize> = self
            .rules
            .iter()
            .zip(asked)
            .filter(|(rule, asked)| *asked && rule.set().is_match(&rooted))
            .flat_map(|(rule, _)| rule.purposes.iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// How risky a location is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Little to act on.
    Low,
    /// Worth a look.
    Medium,
    /// Act on it.
    High,
    /// Act now.
    Critical,
}

impl Risk {
    /// `low` … `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
            Risk::Critical => "critical",
        }
    }

    /// 低 … 重大.
    pub fn label_ja(self) -> &'static str {
        match self {
            Risk::Low => "低",
            Risk::Medium => "中",
            Risk::High => "高",
            Risk::Critical => "重大",
        }
    }
}

/// Categories whose leak harms most: a score point more each, the My Number
/// (特定個人情報) three.
const SENSITIVE: [(Category, u32); 4] = [
    (Category::MyNumber, 3),
    (Category::GovernmentId, 2),
    (Category::PaymentCard, 2),
    (Category::BankAccount, 1),
];

impl Purposes {
    /// Adds purposes, the policy checks and a risk to one location, as the
    /// scan finishes it. `now` is when retention is measured from.
    pub fn assess(&self, l: &mut Location, now: SystemTime) {
        assess_one(l, self, now);
    }
}

fn assess_one(l: &mut Location, purposes: &Purposes, now: SystemTime) {
    let assigned = purposes.of(&l.path);
    let serving: Vec<&Purpose> = assigned.iter().map(|&i| &purposes.list[i]).collect();
    l.purposes = serving.iter().map(|p| p.id.clone()).collect();
    let identifying = l.identifiability >= Some(Level::Combination);
    let direct = l.identifiability == Some(Level::Direct);
    // Out of purpose: a category no assigned purpose allows, or directly
    // identifying data where every purpose wants it de-identified.
    l.out_of_purpose = if serving.is_empty() {
        Vec::new()
    } else {
        let all_deidentified = serving.iter().all(|p| p.deidentified);
        l.categories
            .keys()
            .copied()
            .filter(|c| {
                !serving.iter().any(|p| p.categories.contains(c))
                    || (all_deidentified && direct && *c == Category::Name)
            })
            .collect()
    };
    // Set, never only raised: a location from the state is judged again.
    l.deidentified_violation =
        serving.iter().all(|p| p.deidentified) && !serving.is_empty() && direct;
    l.unassigned = serving.is_empty() && identifying;
    let age_days = l.modified.and_then(|m| {
        let modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(m);
        now.duration_since(modified).ok().map(|d| d.as_secs() / 86_400)
    });
    let keep = serving.iter().filter_map(|p| p.retention_days).min();
    l.retention_overdue = matches!((age_days, keep), (Some(age), Some(keep)) if age > keep);

    let mut score = 0;
    let mut reasons = Vec::new();
    match l.identifiability {
        Some(Level::Direct) => {
            score += 3;
            reasons.push("identifies-directly".to_string());
        }
        Some(Level::Combination) => {
            score += 2;
            reasons.push("identifies-in-combination".to_string());
        }
        Some(Level::Linkable) => score += 1,
        None => {}
    }
    for (c, points) in SENSITIVE {
        if l.categories.contains_key(&c) {
            score += points;
            reasons.push(format!("sensitive:{}", c.id()));
        }
    }
    if l.subjects >= 1000 {
        score += 2;
        reasons.push("people>=1000".to_string());
    } else if l.subjects >= 100 {
        score += 1;
        reasons.push("people>=100".to_string());
    }
    if l.world_readable == Some(true) {
        score += 1;
        reasons.push("world-readable".to_string());
    }
    if !l.out_of_purpose.is_empty() || l.deidentified_violation {
        score += 2;
        reasons.push("out-of-purpose".to_string());
    }
    if l.unassigned {
        score += 1;
        reasons.push("unassigned".to_string());
    }
    if l.retention_overdue {
        score += 1;
        reasons.push("retention-overdue".to_string());
    }
    l.risk = Some(match score {
        0..=1 => Risk::Low,
        2..=3 => Risk::Medium,
        4..=5 => Risk::High,
        _ => Risk::Critical,
    });
    l.risk_reasons = reasons;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many of `p`'s rules have their glob set compiled.
    fn compiled(p: &Purposes) -> usize {
        p.rules.iter().filter(|r| r.set.get().is_some()).count()
    }

    #[test]
    fn default_rules_assign_folders_to_purposes() {
        let p = Purposes::builtin().unwrap();
        assert_eq!(compiled(&p), 0, "the built-in rules compile when first asked");
        let ids = |path: &str| -> Vec<&str> {
            p.of(path).into_iter().map(|i| p.list[i].id.as_str()).collect()
        };
        assert!(ids("share/misc/notes.txt").is_empty());
        assert_eq!(compiled(&p), 0, "a path of ASCII without a rule's literal asks none");
        assert_eq!(ids("share/BILLING/2024.csv"), ["billing"]);
        assert_eq!(compiled(&p), 1, "only the rule whose literal it holds");
        assert_eq!(ids("share/Marketing/2024/list.csv"), ["marketing"]);
        assert_eq!(ids("share/アンケート結果/a.txt"), ["marketing"]);
        assert_eq!(ids("./請求/口座振替/x.csv"), ["billing"]);
        assert_eq!(ids("工事/図面/house.dxf"), ["contract"]);
        assert_eq!(ids("share/統計/summary.csv"), ["statistics"]);
        assert!(ids("share/misc/notes.txt").is_empty());
        // A file named like a folder is not in it.
        assert!(ids("share/marketing.txt").is_empty());
    }

    #[test]
    fn a_rules_literal_is_its_longest_run_of_plain_characters() {
        assert_eq!(literal("**/marketing/**"), Some("marketing"));
        assert_eq!(literal("**/campaign*/**"), Some("campaign"));
        assert_eq!(literal("**/after-sales/**"), Some("after-sales"));
        assert_eq!(literal("**/請求*/**"), Some("請求"));
        assert_eq!(literal("/srv/*/exports/x?.csv"), Some("exports"));
        assert_eq!(literal("**"), None);
        assert_eq!(literal("**/[ab]ll/**"), None, "a class");
        assert_eq!(literal("**/{dm,mail}/**"), None, "alternatives");
        assert_eq!(literal("**/\\*x/**"), None, "an escape");
    }

    /// Paths of rules are asked about as the rule's globs alone answer:
    /// the literals only spare the rules that cannot match.
    #[test]
    fn rules_match_as_their_globs_do() {
        let globs = [
            "**/support/**",
            "**/\u{212A}ey/**",
            "**/請求*/**",
            "**/[st]upport/**",
            "**/{dm,mail}/**",
            "*.csv",
            "**/Report?/**",
        ];
        let paths = [
            "share/support/a.txt",
            "share/SUPPORT/a.txt",
            "share/supports/a.txt",
            "share/\u{17F}upport/a.txt",
            "share/key/a.txt",
            "share/\u{212A}ey/a.txt",
            "share/請求書/a.txt",
            "share/billing/a.txt",
            "share/MAIL/a.txt",
            "a.csv",
            "share/reports/x",
            "share/REPORTS/x",
        ];
        for glob in globs {
            let text = format!(
                "[[purpose]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\ncategories = []\n\n[[rule]]\npurposes = [\"a\"]\npaths = [{glob:?}]\n"
            );
            let p = Purposes::parse(&text).unwrap();
            let alone = GlobBuilder::new(glob)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .unwrap()
                .compile_matcher();
            for path in paths {
                let expected = alone.is_match(format!("/{path}"));
                assert_eq!(!p.of(path).is_empty(), expected, "{glob} on {path}");
            }
        }
    }

    #[test]
    fn unknown_purposes_in_rules_are_errors() {
        let text = "[[purpose]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\ncategories = []\n\n[[rule]]\npurposes = [\"b\"]\npaths = [\"**/x/**\"]\n";
        assert!(Purposes::parse(text).unwrap_err().contains("unknown purpose: b"));
        let bad_key =
            "[[purpose]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\ncategories = []\ncolour = 1\n";
        let err = Purposes::parse(bad_key).unwrap_err();
        assert!(err.contains("line 6") && err.contains("colour"), "{err}");
    }
}
