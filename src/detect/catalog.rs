//! The catalog: detector definitions as data, loaded from `patterns/*.toml`.
//!
//! This is the parsed, not yet compiled, form of every detector (the
//! `DetectorSpec`s). Built-in pattern files are embedded in the binary; users
//! add their own with `--patterns DIR`, and a user detector whose id equals a
//! built-in one replaces it. Compiling the specs into something that can match
//! is `detect::DetectorSet`'s job.

use std::path::Path;

use serde::Deserialize;

use super::validate::Validator;
use crate::finding::{Category, Confidence};

/// The built-in pattern files, embedded at compile time. A test checks this list
/// against `patterns/*.toml` on disk so a new file cannot be forgotten.
pub const BUILTIN: &[(&str, &str)] = &[
    ("contact.toml", include_str!("../../patterns/contact.toml")),
    ("address.toml", include_str!("../../patterns/address.toml")),
    ("financial.toml", include_str!("../../patterns/financial.toml")),
    ("government-id.toml", include_str!("../../patterns/government-id.toml")),
    ("demographic.toml", include_str!("../../patterns/demographic.toml")),
    ("names.toml", include_str!("../../patterns/names.toml")),
];

/// A detector as written in a pattern file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    /// Stable public id (appears in reports, SARIF rule ids and baselines): never reuse one.
    pub id: String,
    /// The policy category this detector finds.
    pub category: Category,
    /// What it finds, in Japanese and English.
    pub description: Description,
    /// A regex with exactly one capture group: the personal data itself.
    /// Empty for a detector with an `engine`.
    #[serde(default)]
    pub pattern: String,
    /// Code that finds what no regex can (person names): the detector's
    /// keywords are its labels and its headers its columns.
    pub engine: Option<Engine>,
    /// A check that needs code (check digits, numbering plans).
    pub validator: Option<Validator>,
    /// Confidence of a validated match: with `context = "boost"`, before
    /// context raises it (default medium); with `context = "required"`, as
    /// reported (default high).
    pub confidence: Option<Confidence>,
    /// How keywords and column headers affect a match.
    #[serde(default)]
    pub context: ContextRule,
    /// Words near a match that make it more likely to be personal data (ja and
    /// en; folded like the text, ASCII case-insensitive, ASCII words only as
    /// whole words).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words near a match that say it is something else (注文番号, order,
    /// invoice …): without positive context, the match is dropped. The same
    /// window and nearest-number rule as `keywords` apply.
    #[serde(default)]
    pub negative_keywords: Vec<String>,
    /// Column headers that count as context for every value in their column.
    #[serde(default)]
    pub headers: Vec<String>,
    /// The pattern reads a row's values under these headers joined, in
    /// column order, rather than each value alone: an address split over
    /// 都道府県, 市区町村 and 番地 columns is one value of the row. Only with
    /// `context = "required"`, headers and no keywords.
    #[serde(default)]
    pub joined: bool,
    /// Characters before the match searched for keywords.
    #[serde(default = "default_window")]
    pub window: usize,
    /// Characters after the match searched for keywords.
    #[serde(default = "default_window_after")]
    pub window_after: usize,
    /// Literals of which every line this detector can match holds at least one
    /// (in lower, upper, capitalised or title case); the ten ASCII digits when absent. Lines with
    /// none of any detector's anchors never reach the regexes, which is what
    /// keeps prose cheap to scan.
    #[serde(default = "default_anchors")]
    pub anchors: Vec<String>,
    /// What may not touch the match on either side.
    #[serde(default)]
    pub guard: Guard,
    /// Texts that must yield this detector's finding; `«…»` marks the exact value.
    pub examples: Vec<String>,
    /// Texts that must not yield this detector's finding.
    pub negative_examples: Vec<String>,
    /// Where the format or its rules are documented.
    #[serde(default)]
    pub references: Vec<String>,
}

/// The detectors written in code, by what they find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// Japanese names in kanji (山田太郎, 山田 太郎様).
    NameKanji,
    /// Japanese names in full-width katakana or hiragana (ヤマダ タロウ).
    NameKana,
    /// Half-width katakana names, as banks write account holders (ﾔﾏﾀﾞ ﾀﾛｳ).
    NameHalfwidth,
    /// Japanese names in Latin letters (Taro Yamada, YAMADA Taro).
    NameRomaji,
    /// English names (John Smith).
    NameEnglish,
}

/// A bilingual description.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// 日本語.
    pub ja: String,
    /// English.
    pub en: String,
}

/// How context keywords and headers change a match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextRule {
    /// Context raises confidence by one level.
    #[default]
    Boost,
    /// Without context the match is dropped (for shapes that are common in
    /// ordinary text, such as 12-digit numbers).
    Required,
}

/// What may not sit directly next to a match. Kanji and kana are word
/// characters, so `\b` cannot do this job in Japanese text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guard {
    /// No ASCII digit, nor a `-`/`.` joined to one, on either side: the match is
    /// not a piece of a longer number.
    #[default]
    Digits,
    /// As `Digits`, and no ASCII letter on either side either.
    Alnum,
    /// Nothing is checked.
    None,
}

fn default_anchors() -> Vec<String> {
    (b'0'..=b'9').map(|d| char::from(d).to_string()).collect()
}
fn default_window() -> usize {
    24
}
fn default_window_after() -> usize {
    8
}

impl DetectorSpec {
    /// The confidence of a match that passed every check, given whether it had
    /// context.
    pub fn confidence(&self, in_context: bool) -> Confidence {
        match (self.context, self.confidence) {
            (ContextRule::Required, c) => c.unwrap_or(Confidence::High),
            (ContextRule::Boost, c) => {
                let base = c.unwrap_or(Confidence::Medium);
                if in_context { base.raise() } else { base }
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    detector: Vec<DetectorSpec>,
}

/// Errors that stop a scan before it starts: bad patterns must never scan silently.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is not valid TOML or does not follow the schema.
    #[error("{file}: {message}")]
    Parse {
        /// The pattern file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A pattern directory or file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A detector's regex does not compile or has the wrong number of groups.
    #[error("detector {id}: {message}")]
    Pattern {
        /// The detector.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// Every detector definition, before compilation.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// The specs, in load order (built-ins first).
    pub specs: Vec<DetectorSpec>,
    /// Where each spec came from (file name), parallel to `specs`.
    pub sources: Vec<String>,
    /// Whether each spec is a built-in one (not replaced), parallel to
    /// `specs`.
    pub builtin: Vec<bool>,
}

impl Catalog {
    /// The built-in detectors.
    pub fn builtin() -> Result<Catalog, LoadError> {
        // Parsed side by side in a pool ([`super::map_each`]): the TOML is a
        // tenth of start-up.
        let parse = |&(name, text): &(&'static str, &str)| (name, parse_file(name, text));
        let files = super::map_each(BUILTIN, parse);
        let mut catalog = Catalog::default();
        for (name, file) in files {
            catalog.add_parsed(name, file?, false)?;
        }
        Ok(catalog)
    }

    /// Keeps the specs `keep` takes (and what is known of each).
    pub fn retain(&mut self, keep: impl Fn(&DetectorSpec) -> bool) {
        fn retain_by<T>(list: &mut Vec<T>, kept: &[bool]) {
            let mut kept = kept.iter();
            list.retain(|_| kept.next() == Some(&true));
        }
        let kept: Vec<bool> = self.specs.iter().map(keep).collect();
        retain_by(&mut self.specs, &kept);
        retain_by(&mut self.sources, &kept);
        retain_by(&mut self.builtin, &kept);
    }

    /// Adds every `*.toml` file in `dir` (sorted by name, so loading is
    /// deterministic). A spec whose id is already present replaces the old one.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        let io = |source| LoadError::Io { file: dir.display().to_string(), source };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| LoadError::Io { file: path.display().to_string(), source })?;
            self.add_file(&path.display().to_string(), &text, true)?;
        }
        Ok(())
    }

    /// Parses one pattern file's text and adds its detectors. With `replace`, a
    /// detector whose id is already loaded from another file replaces it (how
    /// users override a built-in); otherwise a repeated id is an error.
    pub fn add_file(&mut self, name: &str, text: &str, replace: bool) -> Result<(), LoadError> {
        self.add_parsed(name, parse_file(name, text)?, replace)
    }

    /// [`Catalog::add_file`] of a file parsed already.
    fn add_parsed(
        &mut self,
        name: &str,
        file: PatternFile,
        replace: bool,
    ) -> Result<(), LoadError> {
        for spec in file.detector {
            if spec.pattern.is_empty() == spec.engine.is_none() {
                return Err(LoadError::Pattern {
                    id: spec.id,
                    message: "needs either a pattern or an engine, not both".into(),
                });
            }
            match self.specs.iter().position(|s| s.id == spec.id) {
                Some(i) if !replace || self.sources[i] == name => {
                    return Err(LoadError::Pattern {
                        id: spec.id,
                        message: format!("defined twice ({} and {name})", self.sources[i]),
                    });
                }
                Some(i) => {
                    self.specs[i] = spec;
                    self.sources[i] = name.to_string();
                    self.builtin[i] = false;
                }
                None => {
                    self.specs.push(spec);
                    self.sources.push(name.to_string());
                    self.builtin.push(!replace);
                }
            }
        }
        Ok(())
    }
}

/// The detectors of the pattern file `name`, whose text is `text`.
fn parse_file(name: &str, text: &str) -> Result<PatternFile, LoadError> {
    toml::from_str(text)
        .map_err(|e| LoadError::Parse { file: name.to_string(), message: e.to_string() })
}
