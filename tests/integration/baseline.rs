//! Baselines: accepted findings stop failing CI, new ones still fail, and
//! lines moving around do not matter.

use crate::util::*;

#[test]
fn a_baseline_accepts_old_findings_and_fails_on_new_ones() {
    let t = Tree::new();
    let store = Tree::new();
    let base = store.path().join("piimap-baseline.json");
    let base = base.to_str().unwrap();
    t.file("a.txt", "support TEL 090-1111-2222\n");
    let out = piimap_in(t.path(), &["baseline", "create", ".", "-o", base]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read_to_string(base).unwrap();
    // No value in any writing; the random salt and hashes are hex and may hold
    // any digit run, so the value's own forms are what is looked for.
    assert!(!file.contains("090-1111-2222") && !file.contains("09011112222"), "{file}");
    let json: serde_json::Value = serde_json::from_str(&file).unwrap();
    let entries = json["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let entry = entries[0].as_object().unwrap();
    let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
    assert_eq!(keys, ["detector", "fingerprint", "path"], "nothing but these: {file}");
    let print = entry["fingerprint"].as_str().unwrap();
    assert!(print.len() == 32 && print.bytes().all(|b| b.is_ascii_hexdigit()), "{print}");

    // Lines above it move the old finding: still accepted.
    t.file("a.txt", "header\n\nsupport TEL 090-1111-2222\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--baseline", base]);
    assert_eq!(code(&out), 0);
    let values = jsonl(&out);
    assert!(findings(&values).is_empty());
    assert_eq!(of_type(&values, "summary")[0]["baselined"], 1);

    // A new number fails, the old one stays accepted.
    t.file("a.txt", "header\n\nsupport TEL 090-1111-2222\nnew TEL 090-3333-4444\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--baseline", base]);
    assert_eq!(code(&out), 1);
    assert_eq!(findings(&jsonl(&out)), [("./a.txt".to_string(), 4, "phone".to_string())]);
}

#[test]
fn a_baseline_keyed_with_the_secret_needs_it() {
    let t = Tree::new();
    let store = Tree::new();
    let base = store.path().join("b.json");
    let base = base.to_str().unwrap();
    t.file("a.txt", "TEL 090-1111-2222\n");
    let create = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(["baseline", "create", ".", "-o", base])
        .env("PIIMAP_BASELINE_KEY", "ci-secret")
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(code(&create), 0);
    let scan = |secret: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"));
        cmd.args(["scan", ".", "--baseline", base])
            .current_dir(t.path())
            .env_remove("PIIMAP_BASELINE_KEY");
        if let Some(s) = secret {
            cmd.env("PIIMAP_BASELINE_KEY", s);
        }
        cmd.output().unwrap()
    };
    assert_eq!(code(&scan(Some("ci-secret"))), 0);
    assert_eq!(code(&scan(Some("other"))), 1, "another secret gives other fingerprints");
    let missing = scan(None);
    assert_eq!(code(&missing), 2);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("PIIMAP_BASELINE_KEY"));
}
