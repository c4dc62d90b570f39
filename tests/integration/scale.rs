//! Scans past one process: `--shard I/N` partitions a share so that every
//! file is scanned by exactly one shard, and `piimap merge` joins the shards'
//! inventories into what one run writes.

use std::collections::BTreeMap;

use piimap::detect::DetectorSet;
use piimap::identify::Rules;
use piimap::scan::{DbOptions, Discard, Pipeline, ScanConfig, scan};
use piimap::source::WalkOptions;
use piimap::source::shard::Shard;
use serde_json::Value;

use crate::util::*;

/// A share of `files` small files in a few folders, each with one
/// synthetic e-mail address (so each is a location), and one file over
/// the size limit the tests scan with (so skipped).
fn share(files: usize) -> Tree {
    let t = Tree::new();
    for i in 0..files {
        t.file(
            &format!("部署{}/sub{}/f{i}.txt", i % 5, i % 3),
            format!("mail: user{i}@docomo.ne.jp\n"),
        );
    }
    t.file("big/large.log", vec![b'x'; 5000]);
    t
}

/// Per file seen by a scan: `l` a location, `s` skipped.
fn seen(inv: &piimap::inventory::Inventory) -> Vec<(String, char)> {
    let mut v: Vec<(String, char)> =
        inv.locations.iter().map(|l| (l.path.to_string(), 'l')).collect();
    v.extend(inv.skipped.iter().map(|s| (s.path.clone(), 's')));
    v
}

#[test]
fn shards_hold_every_file_exactly_once_for_one_to_eight_shards() {
    let t = share(60);
    let detectors = DetectorSet::load(&[]).unwrap();
    let pipeline = Pipeline::new(&detectors, Rules::builtin().unwrap(), &Discard);
    let config = |shard| ScanConfig {
        targets: vec![t.path().to_path_buf()],
        walk: WalkOptions {
            no_ignore: false,
            follow: false,
            max_filesize: 4096,
            exclude: None,
            report: None,
            globs: None,
            shard,
        },
        databases: DbOptions::default(),
    };
    let whole = scan(&pipeline, &config(None));
    let mut all = seen(&whole);
    all.sort();
    assert_eq!(all.len(), 61, "60 locations and the skipped file");
    for n in 1..=8 {
        let mut union = Vec::new();
        let mut files = 0;
        for i in 1..=n {
            let part = scan(&pipeline, &config(Some(Shard::new(i, n).unwrap())));
            files += part.stats.files;
            union.extend(seen(&part));
        }
        union.sort();
        assert_eq!(union, all, "{n} shards: each file in exactly one");
        assert_eq!(files, whole.stats.files, "{n} shards read the files once");
    }
}

/// The inventory without what differs between any two runs (when, how long).
fn timeless(mut doc: Value) -> Value {
    let scan = doc["scan"].as_object_mut().unwrap();
    scan.remove("started");
    scan.remove("duration_ms");
    doc
}

fn json_file(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn merged_shards_equal_one_run_and_render_as_one() {
    let t = share(24);
    // People counted within a file: a customer list of three (two share a
    // household's phone), and a name and phone in an archive member.
    t.file(
        "営業/顧客.csv",
        "氏名,電話番号,メール\n山田 太郎,090-5555-0101,taro@docomo.ne.jp\n山田 花子,090-5555-0101,hanako@docomo.ne.jp\n佐藤 一郎,080-5555-0102,ichiro@docomo.ne.jp\n",
    );
    t.file("archive.zip", zip_of(&[("in/list.txt", "TEL 090-5555-0199 佐藤 次郎様\n".as_bytes())]));
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let share = t.path().to_str().unwrap();
    let scan_to = |name: &str, extra: &[&str]| {
        let o = out(name);
        let mut args = vec!["scan", share, "--max-filesize", "4K", "--format", "json", "-q", "-o"];
        args.push(o.to_str().unwrap());
        args.extend(extra);
        assert_eq!(code(&piimap(&args)), 1, "{name}");
    };
    scan_to("whole.json", &[]);
    for i in 1..=3 {
        scan_to(&format!("s{i}.json"), &["--shard", &format!("{i}/3")]);
    }
    let shards: Vec<String> =
        (1..=3).map(|i| out(&format!("s{i}.json")).display().to_string()).collect();
    let each: Vec<Value> = shards.iter().map(|s| json_file(s.as_ref())).collect();
    assert_eq!(each[1]["scan"]["shard"], "2/3");
    let counts: Vec<u64> =
        each.iter().map(|d| d["summary"]["locations"].as_u64().unwrap()).collect();
    assert!(counts.iter().all(|&n| n > 0), "every shard has work: {counts:?}");

    let merged = out("merged.json");
    let mut args = vec!["merge", "-o", merged.to_str().unwrap()];
    args.extend(shards.iter().rev().map(String::as_str));
    let m = piimap(&args);
    assert_eq!(code(&m), 0, "{}", String::from_utf8_lossy(&m.stderr));
    let (whole, joined) = (json_file(&out("whole.json")), json_file(&merged));
    assert_eq!(timeless(joined.clone()), timeless(whole.clone()));
    assert_eq!(whole["summary"]["subjects"], 24 + 3 + 1, "{}", whole["summary"]);
    assert!(joined["scan"].get("shard").is_none());
    // A shard's inventory (with its `scan.shard`) and the merged one.
    for inventory in [shards[0].as_str(), merged.to_str().unwrap()] {
        validate_json(
            "schemas/inventory.schema.json",
            &std::fs::read_to_string(inventory).unwrap(),
        );
    }
    // Reports render from the merged inventory as from one run's: the same
    // bytes, once the run's time and duration are the same.
    let mut timed = joined;
    timed["scan"]["started"] = whole["scan"]["started"].clone();
    timed["scan"]["duration_ms"] = whole["scan"]["duration_ms"].clone();
    let retimed = out("merged-retimed.json");
    std::fs::write(&retimed, serde_json::to_vec(&timed).unwrap()).unwrap();
    for format in ["csv", "markdown", "html"] {
        let render = |inv: &std::path::Path| {
            let o = piimap(&["report", inv.to_str().unwrap(), "--format", format, "--lang", "en"]);
            assert_eq!(code(&o), 0, "{format}");
            String::from_utf8(o.stdout).unwrap()
        };
        let merged_report = render(&retimed);
        assert!(merged_report.contains("営業/顧客.csv"), "{format}");
        assert_eq!(render(&out("whole.json")), merged_report, "{format}");
    }
}

#[test]
fn merge_refuses_what_it_cannot_join_exactly() {
    let t = share(6);
    let dir = tempfile::tempdir().unwrap();
    let share = t.path().to_str().unwrap();
    let mut files = BTreeMap::new();
    for (name, extra) in [
        ("s1", vec!["--shard", "1/2"]),
        ("s2", vec!["--shard", "2/2"]),
        ("t1", vec!["--shard", "1/3"]),
        ("whole", vec![]),
        ("names", vec!["--categories", "name", "--shard", "2/2"]),
    ] {
        let o = dir.path().join(format!("{name}.json"));
        let mut args = vec!["scan", share, "--format", "json", "-q", "--exit-code", "0", "-o"];
        args.push(o.to_str().unwrap());
        args.extend(extra);
        assert_eq!(code(&piimap(&args)), 0, "{name}");
        files.insert(name, o.display().to_string());
    }
    let refuse = |names: &[&str], says: &str| {
        let mut args = vec!["merge"];
        args.extend(names.iter().map(|n| files[n].as_str()));
        let o = piimap(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 2, "{names:?}");
        assert!(err.contains(says), "{names:?}: {err}");
        assert!(o.stdout.is_empty());
    };
    refuse(&["s1"], "shard 2/2 missing");
    refuse(&["s1", "s1", "s2"], "shard 1/2 is given twice");
    refuse(&["s1", "t1"], "a shard of another scan");
    refuse(&["whole", "s1"], "is not a shard");
    refuse(&["s1", "names"], "different settings");
    // Two inventories of one share, unsharded: the same locations twice.
    refuse(&["whole", "whole"], "the inventories overlap");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{}").unwrap();
    let o = piimap(&["merge", &files["s1"], bad.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a piimap inventory"));
    // Shards of one scan join whatever their order.
    assert_eq!(code(&piimap(&["merge", &files["s2"], &files["s1"]])), 0);
}

#[test]
fn shard_auto_reads_slurm_and_kubernetes_variables() {
    let t = share(4);
    let share = t.path().to_str().unwrap();
    let run = |vars: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"));
        cmd.args(["scan", share, "--shard", "auto", "--format", "json", "-q", "--exit-code", "0"]);
        for v in [
            "SLURM_ARRAY_TASK_ID",
            "SLURM_ARRAY_TASK_COUNT",
            "JOB_COMPLETION_INDEX",
            "PIIMAP_SHARDS",
        ] {
            cmd.env_remove(v);
        }
        cmd.envs(vars.iter().copied());
        cmd.output().unwrap()
    };
    let slurm = run(&[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4")]);
    assert_eq!(code(&slurm), 0, "{}", String::from_utf8_lossy(&slurm.stderr));
    let doc: Value = serde_json::from_slice(&slurm.stdout).unwrap();
    assert_eq!(doc["scan"]["shard"], "3/4");
    let k8s = run(&[("JOB_COMPLETION_INDEX", "1"), ("PIIMAP_SHARDS", "2")]);
    let doc: Value = serde_json::from_slice(&k8s.stdout).unwrap();
    assert_eq!(doc["scan"]["shard"], "2/2");
    let neither = run(&[]);
    assert_eq!(code(&neither), 2);
    assert!(String::from_utf8_lossy(&neither.stderr).contains("neither a Slurm array task"));
}

/// Scans `share` as json with `--state`, returning the inventory and stderr.
fn stateful(share: &std::path::Path, state: &std::path::Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["scan", share.to_str().unwrap(), "--format", "json", "--exit-code", "0"];
    args.extend(["--state", state.to_str().unwrap()]);
    args.extend(extra);
    let o = piimap(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(code(&o), 0, "{err}");
    (timeless(serde_json::from_slice(&o.stdout).unwrap()), err)
}

fn location_paths(doc: &Value) -> Vec<String> {
    let locations = doc["locations"].as_array().unwrap();
    locations
        .iter()
        .map(|l| l["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_rescan_with_state_reads_only_what_changed() {
    let t = share(8);
    t.file("顧客.csv", "氏名,電話番号\n山田 太郎,090-5555-0101\n");
    t.file("archive.zip", zip_of(&[("in/list.txt", "TEL 090-5555-0199 佐藤 次郎様\n".as_bytes())]));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let (first, said) = stateful(t.path(), &state, &[]);
    assert!(said.contains("--state: every item read"), "{said}");
    assert_eq!(first["summary"]["locations"], 10);

    // Unchanged: every item from the state, the same inventory.
    let (again, said) = stateful(t.path(), &state, &[]);
    assert!(said.contains("11 items unchanged since the last scan"), "{said}");
    assert_eq!(again, first);

    // One file changed, one deleted, one only touched (same content).
    let changed = t.path().join("部署1/sub1/f1.txt");
    std::fs::write(&changed, "mail: user1@docomo.ne.jp\nTEL 090-5555-0111\n").unwrap();
    std::fs::remove_file(t.path().join("部署2/sub2/f2.txt")).unwrap();
    let touched = t.path().join("顧客.csv");
    let bytes = std::fs::read(&touched).unwrap();
    std::fs::write(&touched, bytes).unwrap();
    let (later, said) = stateful(t.path(), &state, &[]);
    assert!(said.contains("9 items unchanged") && said.contains("1 no longer there"), "{said}");
    assert!(!location_paths(&later).contains(&"f2.txt".to_string()));
    let f1 = later["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("/f1.txt"))
        .unwrap();
    assert_eq!(f1["categories"], serde_json::json!({"email": 1, "phone": 1}));
    // What a scan without a state says of the same share.
    let o = piimap(&["scan", t.path().to_str().unwrap(), "--format", "json", "--exit-code", "0"]);
    assert_eq!(later, timeless(serde_json::from_slice(&o.stdout).unwrap()));

    // Purposes are judged on every run, also of unchanged items.
    let purposes = dir.path().join("purposes.toml");
    std::fs::write(
        &purposes,
        "[[purpose]]\nid = \"dept\"\nja = \"部署\"\nen = \"Departments\"\ncategories = [\"email\"]\n\n[[rule]]\npurposes = [\"dept\"]\npaths = [\"**/部署0/**\"]\n",
    )
    .unwrap();
    let (judged, said) = stateful(t.path(), &state, &["--purposes", purposes.to_str().unwrap()]);
    assert!(said.contains("10 items unchanged"), "{said}");
    assert_eq!(judged["summary"]["by_purpose"]["dept"]["locations"], 2, "{}", judged["summary"]);

    // Other patterns, other findings: everything is read again.
    let patterns = tempfile::tempdir().unwrap();
    std::fs::write(
        patterns.path().join("extra.toml"),
        r#"[[detector]]
id = "member-id"
category = "government_id"
description = { en = "member id", ja = "会員番号" }
pattern = '(M-\d{6})'
confidence = "medium"
examples = ["M-123456"]
negative_examples = ["M-12"]
"#,
    )
    .unwrap();
    let (_, said) = stateful(t.path(), &state, &["--patterns", patterns.path().to_str().unwrap()]);
    assert!(said.contains("everything read again: piimap, its patterns or the settings"), "{said}");
    let (_, said) = stateful(
        t.path(),
        &state,
        &["--patterns", patterns.path().to_str().unwrap(), "--full-rescan"],
    );
    assert!(said.contains("everything read again: --full-rescan"), "{said}");
    // Another share, another state.
    let (_, said) = stateful(t.path().join("部署0").as_path(), &state, &[]);
    assert!(said.contains("everything read again: the state is of other targets"), "{said}");
}

#[test]
fn state_refuses_what_it_cannot_serve_and_bad_files() {
    let t = share(2);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let share = t.path().to_str().unwrap();
    let refuse = |args: &[&str], says: &str| {
        let o = piimap(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    let s = state.to_str().unwrap();
    refuse(
        &["scan", share, "--state", s],
        "use it with --format json, csv, markdown or html, not text",
    );
    refuse(&["scan", share, "--state", s, "--format", "jsonl"], "not jsonl");
    refuse(&["scan", share, "--full-rescan"], "--state");
    let not_state = dir.path().join("not.db");
    std::fs::write(
        &not_state,
        "this is not SQLite, just text that is long enough to be a header...",
    )
    .unwrap();
    refuse(&["scan", share, "--format", "json", "--state", not_state.to_str().unwrap()], "not.db");
    assert!(!state.exists(), "nothing was created by a refused scan");
}

#[test]
fn a_slurm_job_array_of_shards_merges_to_what_one_process_writes() {
    // The script starts a one-node cluster: it needs root, and Slurm (which
    // it installs when missing). In CI it must run; elsewhere it may skip.
    let id = std::process::Command::new("id").arg("-u").output().unwrap();
    let root_user = String::from_utf8_lossy(&id.stdout).trim() == "0";
    let installed = std::process::Command::new("sbatch").arg("--version").output().is_ok();
    if std::env::var_os("CI").is_none() && !(root_user && installed) {
        eprintln!(
            "skipped: scripts/slurm-test.sh needs root and Slurm (apt-get install slurm-wlm munge)"
        );
        return;
    }
    let o = std::process::Command::new(root().join("scripts/slurm-test.sh"))
        .arg(env!("CARGO_BIN_EXE_piimap"))
        .output()
        .unwrap();
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("4 array tasks scanned") && out.contains("merged = one run"), "{out}");
}

#[test]
fn the_kubernetes_indexed_job_arguments_shard_and_merge_to_one_run() {
    // The scan Job's container arguments, run here as its pods would run
    // them: JOB_COMPLETION_INDEX 0..completions, PIIMAP_SHARDS set.
    let manifest = std::fs::read_to_string(root().join("deploy/kubernetes/scan-job.yaml")).unwrap();
    let field = |key: &str| {
        let line = manifest.lines().find(|l| l.trim_start().starts_with(key)).unwrap();
        line.trim_start()[key.len()..].trim().to_string()
    };
    let completions: u32 = field("completions:").parse().unwrap();
    let shards_env = manifest.split("name: PIIMAP_SHARDS").nth(1).unwrap();
    let shards = shards_env.lines().nth(1).unwrap().trim().trim_start_matches("value:").trim();
    assert_eq!(shards, format!("\"{completions}\""), "PIIMAP_SHARDS must equal completions");
    let args: Vec<String> = serde_json::from_str(&field("args:")).unwrap();

    let t = share(12);
    let results = tempfile::tempdir().unwrap();
    let (share, out) = (t.path().to_str().unwrap(), results.path().to_str().unwrap());
    for index in 0..completions {
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                let a = a.replace("$(JOB_COMPLETION_INDEX)", &index.to_string());
                let a = a.replace("/results", out);
                if a == "/share" { share.to_string() } else { a }
            })
            .collect();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"))
            .args(&args)
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env("PIIMAP_SHARDS", completions.to_string())
            .env_remove("SLURM_ARRAY_TASK_ID")
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        assert!(results.path().join(format!("state-{index}.db")).exists());
    }
    let mut merge = vec!["merge".to_string()];
    for index in 0..completions {
        merge.push(format!("{out}/shard-{index}.json"));
    }
    let merged = piimap(&merge.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&merged), 0, "{}", String::from_utf8_lossy(&merged.stderr));
    let single = piimap(&["scan", share, "--format", "json", "-q", "--exit-code", "0"]);
    assert_eq!(
        timeless(serde_json::from_slice(&merged.stdout).unwrap()),
        timeless(serde_json::from_slice(&single.stdout).unwrap())
    );
}
