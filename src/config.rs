//! Project configuration: `.piimap.toml` at the root of what is scanned (or
//! `--config FILE`) — path and value allowlists, and the project's own test
//! data. Owns loading the file and applying the allowlists to an inventory.
//!
//! ```toml
//! [allow]
//! paths = ["docs/samples/**", "*.snap"]     # globs, relative to the file
//! values = ["0120-000-111"]                 # published numbers, shared inboxes
//!
//! [test_data]
//! values = ["taro.test@acme.co.jp"]         # the project's own dummies
//! fail = false                              # true: test data fails the scan too
//!
//! [[purpose]]                               # a purpose of its own (or one
//! id = "recruiting"                         # replacing a built-in id)
//! ja = "採用"
//! en = "Recruiting"
//! categories = ["name", "email", "phone", "birth_date"]
//!
//! [[location_rule]]                         # tried before the built-in rules
//! purposes = ["recruiting"]
//! paths = ["**/hr/**"]
//! ```
//!
//! Top-level keys: `patterns = ["piimap-patterns"]` (pattern directories),
//! `ignore = ["vendor/**"]` (never scanned), `fail_on = "medium"` and
//! `max_filesize = "100M"` (defaults of the options of those names).

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::finding::ValueList;

/// The file looked for at the root of a scan.
pub const FILE_NAME: &str = ".piimap.toml";

/// `.piimap.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// What is never reported.
    #[serde(default)]
    pub allow: Allow,
    /// The project's dummy values.
    #[serde(default)]
    pub test_data: TestDataConfig,
    /// Purposes added to (or, by id, replacing) the built-in ones.
    #[serde(default)]
    pub purpose: Vec<crate::inventory::purposes::Purpose>,
    /// Location rules tried before the built-in ones.
    #[serde(default)]
    pub location_rule: Vec<crate::inventory::purposes::RuleSpec>,
    /// Pattern directories (relative to the file), as `--patterns`.
    #[serde(default)]
    pub patterns: Vec<PathBuf>,
    /// Globs of paths never scanned (relative to the file; `**` crosses `/`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The default of `--fail-on`.
    #[serde(default)]
    pub fail_on: Option<Threshold>,
    /// The default of `--max-filesize` (`100M`).
    #[serde(default)]
    pub max_filesize: Option<String>,
    /// Where it was read from, for error messages.
    #[serde(skip)]
    source: PathBuf,
}

/// `fail_on`: the confidence from which findings fail the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    /// Any finding.
    Low,
    /// Medium and high.
    Medium,
    /// High only.
    High,
    /// Never.
    None,
}

/// Allowlists.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// Globs of paths (relative to the configuration file) whose findings are
    /// not reported.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Values never reported, in any category (compared by letters and
    /// digits: `0120-000-111` also allows `0120000111`).
    #[serde(default)]
    pub values: Vec<String>,
}

/// The project's test data.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestDataConfig {
    /// Values to treat as test data, besides `patterns/test-data.toml`.
    #[serde(default)]
    pub values: Vec<String>,
    /// Let test data fail the scan (`--fail-on-test-data`).
    #[serde(default)]
    pub fail: bool,
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        // The whole message: it says the line and column.
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.source = path.to_path_buf();
        Ok(config)
    }

    /// `.piimap.toml` in `dir`, if there is one.
    pub fn discover(dir: &Path) -> Result<Option<Config>, ConfigError> {
        let path = dir.join(FILE_NAME);
        if path.is_file() { Config::read(&path).map(Some) } else { Ok(None) }
    }

    /// The allowlists, compiled.
    pub fn allowlist(&self) -> Result<Allowlist, ConfigError> {
        let invalid = |e: globset::Error| ConfigError::Invalid {
            path: self.source.clone(),
            message: e.to_string(),
        };
        let mut globs = GlobSetBuilder::new();
        // The file lists allowed and dummy values by design.
        let own = std::iter::once(FILE_NAME).chain(self.allow.paths.iter().map(String::as_str));
        for pattern in own {
            // `/` in a path is not matched by `*`, as in .gitignore; `**` crosses it.
            globs.add(GlobBuilder::new(pattern).literal_separator(true).build().map_err(invalid)?);
        }
        Ok(Allowlist { paths: globs.build().map_err(invalid)? })
    }

    /// The allowlisted values (checked during the scan, while the raw value
    /// is at hand).
    pub fn allowed_values(&self) -> ValueList {
        ValueList::new(self.allow.values.iter().map(String::as_str))
    }

    /// The project's test-data values.
    pub fn test_values(&self) -> ValueList {
        ValueList::new(self.test_data.values.iter().map(String::as_str))
    }

    /// The directory the file is in (paths in it are relative to it).
    pub fn dir(&self) -> &Path {
        self.source.parent().unwrap_or(Path::new("."))
    }

    /// The pattern directories, resolved against [`Config::dir`].
    pub fn pattern_dirs(&self) -> Vec<PathBuf> {
        self.patterns.iter().map(|d| self.dir().join(d)).collect()
    }

    /// The `ignore` globs, compiled, with the directory they are relative to.
    pub fn ignored(&self) -> Result<Option<(GlobSet, PathBuf)>, ConfigError> {
        if self.ignore.is_empty() {
            return Ok(None);
        }
        let invalid = |e: globset::Error| ConfigError::Invalid {
            path: self.source.clone(),
            message: e.to_string(),
        };
        let mut globs = GlobSetBuilder::new();
        for pattern in &self.ignore {
            globs.add(GlobBuilder::new(pattern).literal_separator(true).build().map_err(invalid)?);
        }
        Ok(Some((globs.build().map_err(invalid)?, self.dir().to_path_buf())))
    }
}

/// The compiled path allowlist.
#[derive(Debug)]
pub struct Allowlist {
    paths: GlobSet,
}

impl Allowlist {
    /// Whether findings at `path` are allowlisted. `base` is stripped from
    /// the path before the globs see it (the directory the configuration
    /// file is in, as the scan names it); paths that do not start with it
    /// are matched as they are.
    pub fn allows(&self, path: &str, base: Option<&Path>) -> bool {
        let path = Path::new(path);
        let rel = base.and_then(|b| path.strip_prefix(b).ok()).unwrap_or(path);
        let rel = rel.strip_prefix(".").unwrap_or(rel);
        self.paths.is_match(rel)
    }
}
