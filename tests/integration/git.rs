//! Git scopes: `--staged` and `--diff`/`--since` find exactly the lines a
//! change adds, in throwaway repositories.

use std::process::Command;

use crate::util::*;

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=piimap",
            "-c",
            "user.email=ci@piimap.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn repo() -> Tree {
    let t = Tree::new();
    git(t.path(), &["init", "-q", "-b", "main"]);
    t.file("a.txt", "TEL 090-1111-2222\n");
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "old data"]);
    t
}

fn found(t: &Tree, args: &[&str]) -> (i32, Vec<(String, u64, String)>) {
    let out = piimap_in(t.path(), &[&["scan", "--format", "jsonl"], args].concat());
    (code(&out), findings(&jsonl(&out)))
}

#[test]
fn staged_scans_only_what_the_commit_adds() {
    let t = repo();
    t.file("a.txt", "TEL 090-1111-2222\nメール x.y@example.co.jp\n");
    t.file("b.txt", "TEL 03-1234-5678\n");
    git(t.path(), &["add", "a.txt", "b.txt"]);
    t.file("c.txt", "not staged: TEL 090-9999-8888\n");
    let s = |x: &str| x.to_string();
    assert_eq!(
        found(&t, &["--staged"]),
        (1, vec![(s("a.txt"), 2, s("email")), (s("b.txt"), 1, s("phone"))])
    );
    // --glob and --exclude choose the changed files too.
    assert_eq!(found(&t, &["--staged", "-g", "b.*"]), (0, vec![(s("b.txt"), 1, s("phone"))]));
    assert_eq!(
        found(&t, &["--staged", "--exclude", "b.txt"]),
        (1, vec![(s("a.txt"), 2, s("email"))])
    );
    // Nothing staged: nothing to report.
    git(t.path(), &["commit", "-q", "-m", "more"]);
    assert_eq!(found(&t, &["--staged"]), (0, vec![]));
}

#[test]
fn ranges_scan_only_the_lines_they_add() {
    let t = repo();
    t.file("a.txt", "TEL 090-1111-2222\nclean line\n");
    git(t.path(), &["commit", "-q", "-am", "clean"]);
    t.file("a.txt", "TEL 090-1111-2222\nclean line\n〒150-0002 東京都渋谷区渋谷2-21-1\n");
    git(t.path(), &["commit", "-q", "-am", "address"]);
    let s = |x: &str| x.to_string();
    let address = vec![(s("a.txt"), 3, s("postal_code")), (s("a.txt"), 3, s("address"))];
    assert_eq!(found(&t, &["--diff", "HEAD~1..HEAD"]), (1, address.clone()));
    assert_eq!(found(&t, &["--since", "HEAD~2"]), (1, address));
    assert_eq!(found(&t, &["--diff", "HEAD~2..HEAD~1"]), (0, vec![]));
    // A revision that is not there is a clear error, exit 2.
    let out = piimap_in(t.path(), &["scan", "--diff", "nosuch..HEAD"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("git diff failed") && err.contains("shallow clone"), "{err}");
}

fn head(dir: &std::path::Path, rev: &str) -> String {
    let out = Command::new("git").args(["rev-parse", rev]).current_dir(dir).output().expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn history_finds_each_value_once_at_the_commit_that_added_it() {
    let t = repo();
    let first = head(t.path(), "HEAD");
    // The phone moves down a line; a file with an e-mail comes and goes.
    t.file("a.txt", "intro\nTEL 090-1111-2222\n");
    t.file("b.txt", "mail: hanako.sato@example.co.jp\n");
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "add b"]);
    let second = head(t.path(), "HEAD");
    git(t.path(), &["rm", "-q", "b.txt"]);
    git(t.path(), &["commit", "-q", "-m", "remove b"]);
    // A branch that is not checked out still ships with every clone.
    git(t.path(), &["checkout", "-q", "-b", "side"]);
    t.file("c.txt", "〒100-0001\n");
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "side"]);
    let side = head(t.path(), "HEAD");
    git(t.path(), &["checkout", "-q", "main"]);

    let out = piimap_in(t.path(), &["scan", "--history", "--format", "jsonl", "."]);
    assert_eq!(code(&out), 1);
    let lines = jsonl(&out);
    let got: Vec<(String, u64, String, String)> = of_type(&lines, "finding")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["category"].as_str().unwrap_or_default().to_string(),
                f["commit"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (s("a.txt"), 1, s("phone"), first),
            (s("b.txt"), 1, s("email"), second),
            (s("c.txt"), 1, s("postal_code"), side),
        ]
    );
    // Four blobs: a.txt twice, b.txt, c.txt. No fingerprints without a key.
    let summary = of_type(&lines, "summary")[0];
    assert_eq!(summary["files"], 4);
    assert!(lines.iter().all(|l| l.get("fingerprint").is_none()));
    // Masked in every format; the commit is shown.
    let text = piimap_in(t.path(), &["scan", "--history", "."]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(!text.contains("hanako.sato") && !text.contains("1111-2222"), "{text}");
    assert!(text.contains(&format!("@{}", &head(t.path(), "HEAD~2")[..12])), "{text}");
    // Versions over the size limit are listed as skipped, the rest scanned.
    let out = piimap_in(
        t.path(),
        &["scan", "--history", "--format", "jsonl", "--max-filesize", "20", "."],
    );
    let lines = jsonl(&out);
    let skipped: Vec<_> =
        of_type(&lines, "skipped").iter().map(|l| l["path"].to_string()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().all(|p| p.contains("(commit ")), "{skipped:?}");
    assert_eq!(
        findings(&lines),
        vec![(s("a.txt"), 1, s("phone")), (s("c.txt"), 1, s("postal_code"))]
    );
}

#[test]
fn history_outside_a_repository_is_a_clear_error() {
    let t = Tree::new();
    t.file("a.txt", "TEL 090-1111-2222\n");
    let out = piimap_in(t.path(), &["scan", "--history", "."]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reading the history of") && err.contains("not a git repository"),
        "{err}"
    );
}

#[test]
fn a_baseline_serves_walks_and_git_scopes_alike() {
    let t = repo();
    let store = Tree::new();
    let walked = store.path().join("walked.json");
    let staged = store.path().join("staged.json");
    let (walked, staged) = (walked.to_str().unwrap(), staged.to_str().unwrap());
    t.file("new.txt", "TEL 03-3581-4427\n");
    // Made by a walk (`./new.txt`), used by --staged (`new.txt`).
    assert_eq!(code(&piimap_in(t.path(), &["baseline", "create", "-o", walked])), 0);
    let file = std::fs::read_to_string(walked).unwrap();
    assert!(file.contains("\"new.txt\"") && !file.contains("./"), "{file}");
    git(t.path(), &["add", "new.txt"]);
    assert_eq!(found(&t, &["--staged", "--baseline", walked]), (0, vec![]));
    // Made by --staged, used by walks named every way.
    let out = piimap_in(t.path(), &["baseline", "create", "--staged", "-o", staged]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let s = |x: &str| x.to_string();
    assert_eq!(found(&t, &["--baseline", staged]), (1, vec![(s("./a.txt"), 1, s("phone"))]));
    let absolute = t.path().canonicalize().unwrap();
    let out =
        piimap(&["scan", "--format", "jsonl", "--baseline", staged, absolute.to_str().unwrap()]);
    let a = format!("{}/a.txt", absolute.display());
    assert_eq!((code(&out), findings(&jsonl(&out))), (1, vec![(a, 1, s("phone"))]));
    // From a directory below the top level too.
    std::fs::create_dir(t.path().join("sub")).unwrap();
    let out = piimap_in(&t.path().join("sub"), &["scan", "..", "--baseline", walked]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn staged_outside_a_repository_says_so() {
    let t = Tree::new();
    t.file("a.txt", "TEL 090-1111-2222\n");
    let out = piimap_in(t.path(), &["scan", "--staged"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not in a git repository") && !err.contains("cached"), "{err}");
}

/// Runs `pre-commit try-repo` of this repository's hooks (its working tree,
/// so the hooks file under test is the one here) in `t`, with the piimap
/// under test on PATH. None when pre-commit is not installed (CI installs
/// it, and fails without it).
fn pre_commit(t: &Tree, args: &[&str]) -> Option<std::process::Output> {
    if Command::new("pre-commit").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "pre-commit is missing (pip install pre-commit)");
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return None;
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_piimap")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let home = Tree::new();
    let out = Command::new("pre-commit")
        .arg("try-repo")
        .arg(root())
        .args(args)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home.path())
        .env("PRE_COMMIT_COLOR", "never")
        .current_dir(t.path())
        .output()
        .expect("pre-commit runs");
    Some(out)
}

#[test]
fn pre_commit_hooks_scan_the_files_passed_and_the_staged_lines() {
    let t = repo(); // a.txt, committed, holds a phone number
    t.file("clean.txt", "nothing personal\n");
    git(t.path(), &["add", "clean.txt"]);
    git(t.path(), &["commit", "-q", "-m", "clean"]);
    let said = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    // --all-files: committed personal data fails the hook, and says where.
    let Some(all) = pre_commit(&t, &["piimap-system", "--all-files"]) else { return };
    assert_eq!(code(&all), 1, "{}", said(&all));
    assert!(said(&all).contains("a.txt") && said(&all).contains("Failed"), "{}", said(&all));
    // Only the files passed: the clean one alone passes.
    let one = pre_commit(&t, &["piimap-system", "--files", "clean.txt"]).unwrap();
    assert_eq!(code(&one), 0, "{}", said(&one));
    // The staged-lines hook: nothing staged passes; a staged number fails.
    let none = pre_commit(&t, &["piimap-staged-system"]).unwrap();
    assert_eq!(code(&none), 0, "{}", said(&none));
    t.file("new.txt", "TEL 03-3581-4427\n");
    git(t.path(), &["add", "new.txt"]);
    let staged = pre_commit(&t, &["piimap-staged-system"]).unwrap();
    assert_eq!(code(&staged), 1, "{}", said(&staged));
    assert!(
        said(&staged).contains("new.txt") && !said(&staged).contains("./a.txt"),
        "{}",
        said(&staged)
    );
}

/// Runs the GitHub Action's scan step in `t` as a runner would, with the
/// piimap under test restored from the action's cache.
fn action(t: &Tree, env: &[(&str, &str)]) -> (i32, String, Vec<(String, u64)>) {
    let home = Tree::new();
    std::fs::create_dir_all(home.path().join("bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_piimap"), home.path().join("bin/piimap"))
        .unwrap();
    let output = home.path().join("github-output");
    let out = Command::new(root().join("scripts/action.sh"))
        .envs(env.iter().copied())
        .env("PIIMAP_HOME", home.path())
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_OUTPUT", &output)
        .current_dir(t.path())
        .output()
        .unwrap();
    let said = std::fs::read_to_string(&output).unwrap_or_default();
    let sarif = std::fs::read_to_string(t.path().join("piimap.sarif")).unwrap_or_default();
    let results = serde_json::from_str::<serde_json::Value>(&sarif).ok().map_or(vec![], |v| {
        let results = v["runs"][0]["results"].as_array().cloned().unwrap_or_default();
        (results.iter())
            .map(|r| {
                let at = &r["locations"][0]["physicalLocation"];
                (
                    at["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                    at["region"]["startLine"].as_u64().unwrap(),
                )
            })
            .collect()
    });
    (code(&out), said, results)
}

#[test]
fn the_github_action_scans_what_the_event_changes_and_reports_its_verdict() {
    let t = repo(); // a.txt:1 holds a phone number
    let base = head(t.path(), "HEAD");
    t.file("b.txt", "clean\nTEL 03-3581-4427\n");
    git(t.path(), &["add", "b.txt"]);
    git(t.path(), &["commit", "-q", "-m", "more"]);
    let head = head(t.path(), "HEAD");
    let s = |x: &str| x.to_string();
    // A pull request: the lines it adds; the step passes, its output fails.
    let pr = action(&t, &[("PIIMAP_BASE_SHA", &base), ("PIIMAP_HEAD_SHA", &head)]);
    assert_eq!(pr, (0, s("exit-code=1\n"), vec![(s("b.txt"), 2)]));
    // A new branch (no "before") or `scope: all`: the whole tree.
    let zero = "0".repeat(40);
    let all = action(&t, &[("PIIMAP_BASE_SHA", &zero)]);
    assert_eq!(all.2, [(s("a.txt"), 1), (s("b.txt"), 2)]);
    let all = action(&t, &[("PIIMAP_SCOPE", "all"), ("PIIMAP_BASE_SHA", &base)]);
    assert_eq!(all.2.len(), 2);
    // Extra arguments, and the fail-on input.
    let quiet = action(
        &t,
        &[("PIIMAP_SCOPE", "all"), ("PIIMAP_ARGS", "--exclude b.*"), ("PIIMAP_FAIL_ON", "none")],
    );
    assert_eq!(quiet, (0, s("exit-code=0\n"), vec![(s("a.txt"), 1)]));
    // A bad scope fails the step itself.
    assert_eq!(action(&t, &[("PIIMAP_SCOPE", "everything")]).0, 2);
}
