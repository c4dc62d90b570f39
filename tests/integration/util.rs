//! Helpers: run the binary, parse its JSONL, build throwaway trees.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root (tests run with paths relative to it).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `piimap ARGS` from the repository root.
pub(crate) fn piimap(args: &[&str]) -> Output {
    piimap_in(&root(), args)
}

/// Runs `piimap ARGS` in `dir`.
pub(crate) fn piimap_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("piimap runs")
}

/// Exit code, panicking on a signal.
pub(crate) fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// Parses JSONL output into values.
pub(crate) fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json line {l:?}: {e}")))
        .collect()
}

/// The `type == finding` lines as `(path, line, category)`.
pub(crate) fn findings(values: &[Value]) -> Vec<(String, u64, String)> {
    values
        .iter()
        .filter(|v| v["type"] == "finding")
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Lines of one type (`error`, `skipped`, `summary`).
pub(crate) fn of_type<'a>(values: &'a [Value], t: &str) -> Vec<&'a Value> {
    values.iter().filter(|v| v["type"] == t).collect()
}

/// A temporary directory with files written into it.
pub(crate) struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    pub(crate) fn new() -> Tree {
        Tree { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` at `rel`, creating directories.
    pub(crate) fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }
}
