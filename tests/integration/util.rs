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

/// The value findings (`type == finding`, not column-level) as `(path, line, category)`.
pub(crate) fn findings(values: &[Value]) -> Vec<(String, u64, String)> {
    values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Like [`findings`], with ` @sheet:NAME`, ` @page:N` or ` @slide:N` after
/// the path of findings in a sheet, a page or a slide.
pub(crate) fn located_findings(values: &[Value]) -> Vec<(String, u64, String)> {
    values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let at = if let Some(s) = v["sheet"].as_str() {
                format!(" @sheet:{s}")
            } else if let Some(p) = v["page"].as_u64() {
                format!(" @page:{p}")
            } else if let Some(s) = v["slide"].as_u64() {
                format!(" @slide:{s}")
            } else {
                String::new()
            };
            (
                format!("{}{at}", v["path"].as_str().unwrap()),
                v["line"].as_u64().unwrap_or(0),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A finding of a value (not a column-level finding that sums a table's
/// column up).
pub(crate) fn is_cell(v: &Value) -> bool {
    v["type"] == "finding" && v["detector"] != "column"
}

/// `(path, sheet, line, field, category, masked)` of every column finding.
pub(crate) fn column_findings(
    values: &[Value],
) -> Vec<(String, String, u64, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    values
        .iter()
        .filter(|v| v["type"] == "finding" && v["detector"] == "column")
        .map(|v| {
            let line = v["line"].as_u64().unwrap_or(0);
            (
                s(&v["path"]),
                s(&v["sheet"]),
                line,
                s(&v["field"]),
                s(&v["category"]),
                s(&v["masked"]),
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

/// Validates `json` against the JSON Schema at `schema` (relative to the
/// repository) with Python's jsonschema. CI installs it (`.ci/run`) and must
/// not skip.
pub(crate) fn validate_json(schema: &str, json: &str) {
    let schema = root().join(schema);
    let ci = std::env::var_os("CI").is_some();
    let has_validator = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !schema.exists() || !has_validator {
        assert!(!ci, "CI needs python3 with jsonschema and {}", schema.display());
        eprintln!(
            "skipped schema validation: python3 jsonschema or {} is missing",
            schema.display()
        );
        return;
    }
    let t = Tree::new();
    t.file("doc.json", json);
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  doc = json.load(open(sys.argv[2]))\n\
                  jsonschema.validators.validator_for(schema)(schema).validate(doc)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(t.path().join("doc.json"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
