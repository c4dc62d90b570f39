//! Words of the privacy officer's reports (HTML, Markdown) in Japanese and
//! English: categories, levels, risks, purposes, flags and risk reasons.

use std::collections::BTreeMap;

use crate::finding::{Category, Confidence, Level};
use crate::inventory::purposes::{Purpose, Risk};

use super::document::{Document, LocationEntry};

/// The language of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// 日本語 (the default: the policy is Japanese).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// `ja` or `en`, as HTML's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The text in this language.
    pub fn pick(self, ja: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// A category's name.
    pub fn category(self, c: Category) -> &'static str {
        self.pick(c.label_ja(), c.label_en())
    }

    /// A level's name.
    pub fn level(self, l: Level) -> &'static str {
        match self {
            Lang::Ja => l.label_ja(),
            Lang::En => match l {
                Level::Direct => "identifies directly",
                Level::Combination => "identifies in combination",
                Level::Linkable => "linkable",
            },
        }
    }

    /// A confidence's name.
    pub fn confidence(self, c: Confidence) -> &'static str {
        match c {
            Confidence::High => self.pick("高", "high"),
            Confidence::Medium => self.pick("中", "medium"),
            Confidence::Low => self.pick("低", "low"),
        }
    }

    /// A combination rule's short name (its id when it is not a built-in
    /// rule's).
    pub fn rule(self, id: &str) -> String {
        let rules = crate::identify::Rules::builtin().ok();
        let rule = rules.and_then(|r| r.rules.iter().find(|r| r.id == id));
        rule.map_or_else(|| id.to_string(), |r| self.pick_owned(&r.label.ja, &r.label.en))
    }

    /// Combination rules' short names, joined.
    pub fn rules(self, ids: &[String]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.rule(id)).collect();
        names.join(self.pick("、", ", "))
    }

    fn pick_owned(self, ja: &str, en: &str) -> String {
        match self {
            Lang::Ja => ja.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// A risk's name.
    pub fn risk(self, r: Risk) -> &'static str {
        self.pick(r.label_ja(), r.as_str())
    }

    /// A purpose's name.
    pub fn purpose(self, p: &Purpose) -> String {
        match self {
            Lang::Ja => p.ja.clone(),
            Lang::En => p.en.clone(),
        }
    }

    /// The headers of a table of locations: path, categories,
    /// identifiability, people, purposes, flags, risk.
    pub fn location_columns(self) -> [&'static str; 7] {
        [
            self.pick("パス", "path"),
            self.pick("区分", "categories"),
            self.pick("識別性", "identifiability"),
            self.pick("推定人数", "people"),
            self.pick("利用目的", "purposes"),
            self.pick("指摘", "flags"),
            self.pick("リスク", "risk"),
        ]
    }

    /// The names of a location's purposes (or that it has none).
    pub fn purposes(self, doc: &Document, ids: &[String]) -> String {
        if ids.is_empty() {
            return self.unassigned().to_string();
        }
        let names: Vec<String> = ids
            .iter()
            .map(|id| doc.purpose(id).map_or_else(|| id.clone(), |p| self.purpose(p)))
            .collect();
        names.join(self.pick("、", ", "))
    }

    /// Locations with no purpose.
    pub fn unassigned(self) -> &'static str {
        self.pick("（利用目的なし）", "(no purpose)")
    }

    /// The policy flags of a location, as words.
    pub fn flags(self, l: &LocationEntry) -> Vec<String> {
        let mut flags = Vec::new();
        if !l.out_of_purpose.is_empty() {
            let cats: Vec<&str> = l.out_of_purpose.iter().map(|c| self.category(*c)).collect();
            flags.push(format!("{}: {}", self.pick("目的外", "out of purpose"), cats.join(", ")));
        }
        if l.deidentified_violation {
            flags.push(self.pick("非識別化されていない", "not de-identified").to_string());
        }
        if l.unassigned {
            flags.push(self.pick("利用目的なし", "unassigned").to_string());
        }
        if l.retention_overdue {
            flags.push(self.pick("保存期間超過", "retention overdue").to_string());
        }
        flags
    }

    /// A risk reason id (`sensitive:my_number`) as words.
    pub fn reason(self, id: &str) -> String {
        if let Some(c) = id.strip_prefix("sensitive:") {
            let name =
                Category::ALL.into_iter().find(|x| x.id() == c).map_or(c, |c| self.category(c));
            return format!("{}: {name}", self.pick("要配慮の区分", "sensitive"));
        }
        let (ja, en) = match id {
            "identifies-directly" => ("本人を直接識別", "identifies a person directly"),
            "identifies-in-combination" => ("組み合わせで本人を識別", "identifies in combination"),
            "people>=1000" => ("1,000名以上", "1,000 people or more"),
            "people>=100" => ("100名以上", "100 people or more"),
            "world-readable" => ("全ユーザーが読める", "readable by every user"),
            "out-of-purpose" => ("目的外の個人データ", "data outside its purposes"),
            "unassigned" => ("利用目的が未割当", "no purpose assigned"),
            "retention-overdue" => ("保存期間を超過", "kept past its retention period"),
            _ => return id.to_string(),
        };
        self.pick(ja, en).to_string()
    }
}

/// The name of the user with id `uid` on this machine, or the id when it has
/// none (a report rendered elsewhere, a file of a deleted user).
/// Looked up once per user: a report of a share lists the same few owners
/// on thousands of rows, and each lookup may read the password database.
pub fn user_name(uid: u32) -> String {
    static NAMES: std::sync::Mutex<BTreeMap<u32, String>> = std::sync::Mutex::new(BTreeMap::new());
    let mut names = NAMES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    names.entry(uid).or_insert_with(|| lookup_user(uid)).clone()
}

fn lookup_user(uid: u32) -> String {
    #[cfg(unix)]
    if let Ok(Some(user)) = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        return user.name;
    }
    uid.to_string()
}
