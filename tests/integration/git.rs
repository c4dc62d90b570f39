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
    // Nothing staged: nothing to report.
    git(t.path(), &["commit", "-q", "-m", "more"]);
    assert_eq!(found(&t, &["--staged"]), (0, vec![]));
}

#[test]
fn ranges_scan_only_the_lines_they_add() {
    let t = repo();
    t.file("a.txt", "TEL 090-1111-2222\nclean line\n");
    git(t.path(), &["commit", "-q", "-am", "clean"]);
    t.file("a.txt", "TEL 090-1111-2222\nclean line\n〒100-0001 東京都千代田区千代田1-1\n");
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
