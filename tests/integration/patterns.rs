//! The detectors as data: the self-test, the registry of pattern files, and
//! user pattern directories.

use piimap::Category;
use piimap::detect::catalog::{BUILTIN, Catalog};
use piimap::selftest::check;

use crate::util::*;

#[test]
fn every_example_and_negative_example_holds() {
    let catalog = Catalog::builtin().expect("built-in patterns load");
    let problems = check(&catalog);
    assert!(problems.is_empty(), "{problems:#?}");
    // Every category has a detector, but names (their own engine) and floor
    // plans (file-level), which come with later readers.
    for category in
        Category::ALL.into_iter().filter(|c| !matches!(c, Category::Name | Category::FloorPlan))
    {
        assert!(catalog.specs.iter().any(|s| s.category == category), "{category}");
    }
}

#[test]
fn every_pattern_file_on_disk_is_built_in() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("patterns"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    // The floor-plan classifier's rules and the test-data rules are data too,
    // loaded by detect::floorplan and detect::testdata.
    built_in.push("floorplan.toml".to_string());
    built_in.push("test-data.toml".to_string());
    // The combination rules are loaded by identify, the purposes by
    // inventory::purposes.
    built_in.push("combinations.toml".to_string());
    built_in.push("purposes.toml".to_string());
    // Column classification (databases) reads columns.toml.
    built_in.push("columns.toml".to_string());
    // Data-subject matching rules are loaded by subject.
    built_in.push("subject.toml".to_string());
    // Leak-reporting rules are loaded by incident.
    built_in.push("incident.toml".to_string());
    built_in.sort();
    assert_eq!(on_disk, built_in);
}

#[test]
fn patterns_commands() {
    let out = piimap(&["patterns", "check"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(": 0 problems\n"));
    let list = String::from_utf8(piimap(&["patterns", "list"]).stdout).unwrap();
    assert!(
        list.contains("jp.my-number") && list.contains("my_number") && list.contains("個人番号")
    );
}

/// A company's own customer-id format: it points at one customer, so it is
/// filed under `name` (the category that identifies the person).
const CUSTOMER_ID: &str = r#"
[[detector]]
id = "acme.customer-id"
category = "name"
description.ja = "ACME社の顧客ID"
description.en = "ACME customer id"
pattern = '(ACME-[0-9]{6})'
examples = ["顧客 «ACME-123456»"]
negative_examples = ["ACME-12345"]
"#;

#[test]
fn user_patterns_add_detectors_and_are_self_tested() {
    let t = Tree::new();
    t.file("pat/acme.toml", CUSTOMER_ID).file("data/x.txt", "会員 ACME-654321 様\n");
    let out = piimap_in(t.path(), &["scan", "data", "--patterns", "pat", "--format", "jsonl"]);
    let values = jsonl(&out);
    let f: Vec<_> = values.iter().filter(|v| is_cell(v)).collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["detector"], "acme.customer-id");
    assert_eq!(f[0]["column"], 4);
    assert_eq!(code(&piimap_in(t.path(), &["patterns", "check", "--patterns", "pat"])), 0);

    // A broken example is reported by the self-test…
    t.file("bad/acme.toml", CUSTOMER_ID.replace("«ACME-123456»", "«ACME-12345»"));
    let out = piimap_in(t.path(), &["patterns", "check", "--patterns", "bad"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme.customer-id: example not found"));
    // …and a schema error stops a scan before it starts, naming the file.
    t.file("typo/acme.toml", CUSTOMER_ID.replace("pattern =", "patern ="));
    let out = piimap_in(t.path(), &["scan", "data", "--patterns", "typo"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("acme.toml") && err.contains("patern"), "{err}");
}
