//! Project settings for CI: well-known test data is reported but does not
//! fail the scan, and `.piimap.toml` allowlists paths and values and names
//! the project's own dummies.

use crate::util::*;

/// `(path, line, category, test_data, confidence)` of every finding.
fn labelled(out: &std::process::Output) -> Vec<(String, u64, String, bool, String)> {
    of_type(&jsonl(out), "finding")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["category"].as_str().unwrap_or_default().to_string(),
                f["test_data"].as_bool().unwrap_or(false),
                f["confidence"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn test_data_is_reported_low_and_does_not_fail_the_scan() {
    let t = Tree::new();
    t.file(
        "sample.md",
        "連絡先: jane.doe@example.com\nTEL 090-0000-0000\nカード番号 4111 1111 1111 1111\n\
         〒100-0001\nphone (415) 555-0123\n",
    );
    let out = piimap_in(t.path(), &["scan", "--format", "jsonl", "."]);
    let s = |x: &str| x.to_string();
    let low = |path: &str, line, cat: &str| (s(path), line, s(cat), true, s("low"));
    assert_eq!(
        labelled(&out),
        vec![
            low("./sample.md", 1, "email"),
            low("./sample.md", 2, "phone"),
            low("./sample.md", 3, "payment_card"),
            low("./sample.md", 4, "postal_code"),
            low("./sample.md", 5, "phone"),
        ]
    );
    assert_eq!(code(&out), 0, "test data alone does not fail");
    let lines = jsonl(&out);
    assert_eq!(of_type(&lines, "summary")[0]["test_data"], 5);
    let reasons = of_type(&lines, "finding")[2]["reasons"].to_string();
    assert!(reasons.contains("test-data test-card-number"), "{reasons}");
    // Asked for, it fails; and real data next to it fails regardless.
    assert_eq!(code(&piimap_in(t.path(), &["scan", "-q", "--fail-on-test-data", "."])), 1);
    t.file("real.txt", "TEL 090-3141-5926\n");
    let out = piimap_in(t.path(), &["scan", "--format", "jsonl", "."]);
    assert_eq!(code(&out), 1);
    assert!(labelled(&out).contains(&(s("./real.txt"), 1, s("phone"), false, s("high"))));
}

#[test]
fn piimap_toml_allowlists_paths_and_values_and_names_test_data() {
    let t = Tree::new();
    t.file(
        ".piimap.toml",
        "[allow]\npaths = [\"docs/**\"]\nvalues = [\"0120-123-456\"]\n\n\
         [test_data]\nvalues = [\"hanako.test@acme.co.jp\"]\n",
    );
    t.file("docs/guide.md", "TEL 090-3141-5926\n");
    t.file(
        "src/app.txt",
        "support 0120-123-456\nfixture hanako.test@acme.co.jp\nowner 090-2718-2818\n",
    );
    let out = piimap_in(t.path(), &["scan", "--format", "jsonl", "."]);
    let s = |x: &str| x.to_string();
    assert_eq!(
        labelled(&out),
        vec![
            (s("./src/app.txt"), 2, s("email"), true, s("low")),
            (s("./src/app.txt"), 3, s("phone"), false, s("medium")),
        ]
    );
    let lines = jsonl(&out);
    // One path and one value here, and the two values .piimap.toml itself lists.
    assert_eq!(of_type(&lines, "summary")[0]["suppressed"], 4);
    // Scanned from above, the globs still read relative to the file's folder
    // when it is named with --config.
    let parent = t.path().parent().expect("temp dir has a parent");
    let name = t.path().file_name().expect("name").to_string_lossy().to_string();
    let out = piimap_in(
        parent,
        &["scan", "--format", "jsonl", "--config", &format!("{name}/.piimap.toml"), &name],
    );
    assert_eq!(labelled(&out).len(), 2, "{}", String::from_utf8_lossy(&out.stdout));
    // `fail = true` lets the project's test data fail the scan.
    t.file("src/app.txt", "fixture hanako.test@acme.co.jp\n");
    assert_eq!(code(&piimap_in(t.path(), &["scan", "-q", "."])), 0);
    t.file(".piimap.toml", "[test_data]\nvalues = [\"hanako.test@acme.co.jp\"]\nfail = true\n");
    assert_eq!(code(&piimap_in(t.path(), &["scan", "-q", "."])), 1);
}

#[test]
fn a_bad_piimap_toml_is_a_clear_error() {
    let t = Tree::new();
    t.file(".piimap.toml", "[allow]\npath = [\"docs\"]\n");
    let out = piimap_in(t.path(), &["scan", "."]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".piimap.toml") && err.contains("unknown field `path`"), "{err}");
    t.file(".piimap.toml", "[allow]\npaths = [\"docs/[\"]\n");
    let out = piimap_in(t.path(), &["scan", "."]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
}
