//! `--format sarif`: valid SARIF 2.1.0 (checked against the official schema),
//! rules for what was found, exact locations, and no raw values.

use serde_json::Value;

use crate::util::*;

/// Validates `sarif` against the OASIS SARIF 2.1.0 schema (vendored, unchanged,
/// in `tests/data/`).
fn validate(sarif: &str) {
    validate_json("tests/data/sarif-schema-2.1.0.json", sarif);
}

#[test]
fn sarif_validates_and_locates_findings_without_raw_values() {
    let out = piimap(&[
        "scan",
        "fixtures/ja/koji_mail.txt",
        "fixtures/cad/house_utf8.dxf",
        "--format",
        "sarif",
    ]);
    assert_eq!(code(&out), 1);
    let text = String::from_utf8(out.stdout).unwrap();
    validate(&text);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // Every rule the scan runs is listed (results stream before the scan
    // knows which will report), sorted, each result pointing at its own.
    assert!(rules.windows(2).all(|w| w[0] < w[1]), "{rules:?}");
    for id in ["column", "email", "floor-plan", "jp.address", "jp.my-number", "jp.phone"] {
        assert!(rules.contains(&id), "{id} in {rules:?}");
    }
    let results = run["results"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], r["ruleId"].as_str().unwrap());
    }
    let located: Vec<(String, Option<u64>, &str)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64(),
                r["ruleId"].as_str().unwrap(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        located,
        // The targets in the order given.
        [
            (s("fixtures/ja/koji_mail.txt"), Some(1), "jp.name-kanji"),
            (s("fixtures/ja/koji_mail.txt"), Some(4), "jp.phone"),
            (s("fixtures/ja/koji_mail.txt"), Some(5), "jp.address"),
            (s("fixtures/ja/koji_mail.txt"), Some(8), "email"),
            (s("fixtures/cad/house_utf8.dxf"), None, "floor-plan"),
            (s("fixtures/cad/house_utf8.dxf"), Some(212), "jp.name-kanji"),
            (s("fixtures/cad/house_utf8.dxf"), Some(236), "jp.address"),
            (s("fixtures/cad/house_utf8.dxf"), Some(260), "jp.phone"),
        ]
    );
    // Every result points at its rule, and the floor plan says why.
    for r in results {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], r["ruleId"]);
    }
    assert!(results[4]["properties"]["reasons"].as_array().unwrap().len() >= 3);
    // Each result says what its record identifies: the mail's installer
    // phone only links; the plan with its owner's name identifies a home.
    let levels: Vec<&str> =
        results.iter().map(|r| r["properties"]["identifiability"].as_str().unwrap()).collect();
    assert_eq!(
        levels,
        ["direct", "linkable", "linkable", "linkable", "direct", "direct", "direct", "direct"]
    );
    // Without a key, fingerprints come from what the result shows: one per
    // result, all different.
    let prints: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["piimapLocation/v1"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), results.len());
    // The raw values of the mail fixture appear nowhere.
    let mail = std::fs::read_to_string(root().join("fixtures/ja/koji_mail.txt")).unwrap();
    let phone = mail.lines().nth(3).unwrap().split('は').nth(1).unwrap().trim_end_matches("です。");
    assert!(!text.contains(phone), "{phone}");
}

#[test]
fn unreadable_items_are_tool_notifications() {
    let out = piimap(&["scan", "fixtures/ja/koji_mail.txt", "no/such/file", "--format", "sarif"]);
    assert_eq!(code(&out), 2);
    let text = String::from_utf8(out.stdout).unwrap();
    validate(&text);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "no/such/file"
    );
}

#[test]
fn a_repository_is_named_from_its_top_with_help_links_and_severities() {
    let t = Tree::new();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").args(args).current_dir(t.path()).output();
        assert!(out.unwrap().status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    t.file("src/顧客.txt", "TEL 090-5555-0123\n見本 TEL 03-1234-5678\n個人番号：123456789018\n");
    // Scanned by its absolute path: still relative to the top.
    let top = t.path().canonicalize().unwrap();
    let out = piimap(&["scan", top.join("src").to_str().unwrap(), "--format", "sarif"]);
    let text = String::from_utf8(out.stdout).unwrap();
    validate(&text);
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], format!("file://{}/", top.display()));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "src/%E9%A1%A7%E5%AE%A2.txt");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    }
    // Levels follow confidence: the placeholder number is a note.
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["properties"]["category"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(levels, [("phone", "error"), ("phone", "note"), ("my_number", "error")]);
    let severity = |r: &serde_json::Value| -> f64 {
        r["properties"]["security-severity"].as_str().unwrap().parse().unwrap()
    };
    assert!(severity(&results[2]) >= 9.0 && severity(&results[1]) < severity(&results[0]));
    // Every rule links its section of the detector reference, which has it.
    let docs = std::fs::read_to_string(root().join("docs/detectors.md")).unwrap();
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let help = rule["helpUri"].as_str().unwrap();
        assert!(help.ends_with(&format!("/docs/detectors.md#{id}")), "{help}");
        assert!(docs.contains(&format!("<a name=\"{id}\"></a>")), "{id} has no section");
        let s: f64 = rule["properties"]["security-severity"].as_str().unwrap().parse().unwrap();
        assert!((0.0..=10.0).contains(&s), "{id}: {s}");
    }
}

#[test]
fn the_detector_reference_is_current() {
    let out = piimap(&["patterns", "docs"]);
    let committed = std::fs::read_to_string(root().join("docs/detectors.md")).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "docs/detectors.md is stale: run `piimap patterns docs > docs/detectors.md`"
    );
}
