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

use std::time::SystemTime;

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
    /// Per rule: its globs, checked, and the purposes it assigns.
    rules: Vec<(Vec<Glob>, Vec<usize>)>,
    /// Per rule: its globs as one set, compiled when a path is first
    /// asked about (a user's when the file loads, so that an error shows at
    /// once): a scan on one thread that finds nothing, as most CI runs,
    /// never asks, and compiling the built-in ones was a tenth of
    /// start-up. With threads to spare, the set-up compiles them beside
    /// the detectors ([`Purposes::prepare`]).
    sets: std::sync::OnceLock<Vec<GlobSet>>,
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
        for rule in &file.rule {
            let mut globs = Vec::new();
            for p in &rule.paths {
                let glob = GlobBuilder::new(p)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| e.to_string())?;
                globs.push(glob);
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
            rules.push((globs, ids));
        }
        let purposes =
            Purposes { list: file.purpose, specs: file.rule, rules, sets: Default::default() };
        if now {
            let _ = purposes.sets.set(purposes.compile()?);
        }
        Ok(purposes)
    }

    /// Each rule's globs as one set.
    fn compile(&self) -> Result<Vec<GlobSet>, String> {
        let set = |globs: &[Glob]| {
            let mut set = GlobSetBuilder::new();
            globs.iter().for_each(|g| {
                set.add(g.clone());
            });
            set.build().map_err(|e| e.to_string())
        };
        self.rules.iter().map(|(globs, _)| set(globs)).collect()
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

    /// Compiles the rules' glob sets now, not at the first location: a
    /// set-up with threads to spare does it beside the detectors.
    pub fn prepare(&self) {
        self.sets();
    }

    /// Each rule's globs as one set, compiled when first asked for.
    fn sets(&self) -> &[GlobSet] {
        self.sets
            .get_or_init(|| self.compile().expect("the built-in location rules compile (tested)"))
    }

    /// The indices of the purposes a path serves.
    fn of(&self, path: &str) -> Vec<usize> {
        // `**/x/**` needs a leading directory: match the path as if rooted.
        let rooted = format!("/{}", path.trim_start_matches("./"));
        let mut ids: Vec<usize> = self
            .sets()
            .iter()
            .zip(&self.rules)
            .filter(|(set, _)| set.is_match(&rooted))
            .flat_map(|(_, (_, ids))| ids.iter().copied())
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

    #[test]
    fn default_rules_assign_folders_to_purposes() {
        let p = Purposes::builtin().unwrap();
        assert!(p.sets.get().is_none(), "the built-in rules compile when first asked");
        let ids = |path: &str| -> Vec<&str> {
            p.of(path).into_iter().map(|i| p.list[i].id.as_str()).collect()
        };
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
    fn unknown_purposes_in_rules_are_errors() {
        let text = "[[purpose]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\ncategories = []\n\n[[rule]]\npurposes = [\"b\"]\npaths = [\"**/x/**\"]\n";
        assert!(Purposes::parse(text).unwrap_err().contains("unknown purpose: b"));
        let bad_key =
            "[[purpose]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\ncategories = []\ncolour = 1\n";
        let err = Purposes::parse(bad_key).unwrap_err();
        assert!(err.contains("line 6") && err.contains("colour"), "{err}");
    }
}
