//! The command line contract: exit codes, JSONL keys, masking, errors that do
//! not stop a scan, output files, determinism.

use crate::util::*;

const CANARY_PHONE: &str = "090-8765-4321";
const CANARY_MAIL: &str = "canary.person@example.co.jp";

fn canary_tree() -> Tree {
    let t = Tree::new();
    t.file("a/contact.txt", format!("担当：佐藤\n携帯：{CANARY_PHONE}\nmail {CANARY_MAIL}\n"));
    t.file("b/clean.txt", "nothing personal here\n");
    t
}

#[test]
fn exit_codes_follow_the_contract() {
    let t = canary_tree();
    assert_eq!(code(&piimap_in(t.path(), &["scan", "a"])), 1);
    assert_eq!(code(&piimap_in(t.path(), &["scan", "b"])), 0);
    assert_eq!(code(&piimap_in(t.path(), &["scan", "a", "--fail-on", "none"])), 0);
    // The phone has its keyword (high); --fail-on high still fails.
    assert_eq!(code(&piimap_in(t.path(), &["scan", "a", "--fail-on", "high"])), 1);
    // A missing target is an error entry and exit 2, and the rest is still scanned.
    let out = piimap_in(t.path(), &["scan", "a", "missing", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    assert_eq!(findings(&values).len(), 3);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "missing");
    // A usage error is exit 2 too.
    assert_eq!(code(&piimap(&["scan", "--format", "yaml"])), 2);
}

#[test]
fn jsonl_lines_carry_the_contract_keys() {
    let t = canary_tree();
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    let phone = values.iter().find(|v| v["category"] == "phone").unwrap();
    for key in
        ["type", "path", "line", "column", "field", "category", "detector", "confidence", "masked"]
    {
        assert!(phone.get(key).is_some(), "missing {key}");
    }
    assert_eq!(phone["path"], "./a/contact.txt");
    assert_eq!(phone["line"], 2);
    assert_eq!(phone["column"], 4);
    assert_eq!(phone["detector"], "jp.phone");
    assert_eq!(phone["confidence"], "high");
    assert_eq!(phone["masked"], "***-****-4321");
    assert!(phone["field"].is_null());
    assert!(phone.get("value").is_none());
    let summary = of_type(&values, "summary")[0];
    assert_eq!(summary["findings"], 3);
    assert_eq!(summary["by_category"]["name"], 1);
    assert_eq!(summary["by_category"]["email"], 1);
}

#[test]
fn no_raw_values_without_show_values() {
    let t = canary_tree();
    for format in ["text", "jsonl"] {
        let out = piimap_in(t.path(), &["scan", ".", "--format", format]);
        let all = [out.stdout, out.stderr].concat();
        let all = String::from_utf8_lossy(&all);
        assert!(!all.contains(CANARY_PHONE) && !all.contains("8765"), "{format}: {all}");
        assert!(!all.contains(CANARY_MAIL), "{format}: {all}");
    }
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--show-values"]);
    let values = jsonl(&out);
    let phone = values.iter().find(|v| v["category"] == "phone").unwrap();
    assert_eq!(phone["value"], CANARY_PHONE);
    let text = piimap_in(t.path(), &["scan", ".", "--show-values"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(CANARY_MAIL));
}

#[test]
fn text_report_groups_by_file_with_a_bilingual_summary() {
    let t = canary_tree();
    // Readable by its owner only, so that the risk does not depend on umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = t.path().join("a/contact.txt");
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = piimap_in(t.path(), &["scan", "a"]);
    let text = String::from_utf8(out.stdout).unwrap();
    // Each file's findings as they are found, then what the file holds.
    let expected = "a/contact.txt\n      1:4    name          high   佐***  (jp.name-kanji)\n      2:4    phone         high   ***-****-4321  (jp.phone)\n      3:6    email         high   ca***@example.co.jp  (email)\n  name 1, phone 1, email 1 / 氏名 1、電話番号 1、電子メールアドレス 1\n  purposes / 利用目的: -; unassigned / 利用目的なし; risk / リスク: high 高\n  identifies / 識別性: direct 直接識別 (contact-point, name, name-with-contact); about 1 person / 推定 1 名\n\n";
    assert!(text.starts_with(expected), "{text}");
    assert!(text.contains("summary / 概要: 1 file scanned ("), "{text}");
    assert!(text.contains(", 0 errors, 3 findings\n"), "{text}");
    // Japanese labels line up by display width (a kanji is two columns).
    assert!(text.contains("\n  phone         電話番号              1\n"), "{text}");
    assert!(text.contains("\n  email         電子メールアドレス    1\n"), "{text}");
    assert!(text.contains("\n  1 location with personal data, about 1 person / "), "{text}");
    // No colour into a pipe.
    assert!(!text.contains('\x1b'), "{text}");
}

#[test]
fn text_summary_colour_and_no_color() {
    let t = canary_tree();
    let text = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"));
        cmd.args([&["scan", "a"], args].concat()).current_dir(t.path()).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    // --summary: the location's block, no finding lines.
    let summary = text(&["--summary"], None);
    assert!(summary.starts_with("a/contact.txt\n  name 1, phone 1, email 1 / "), "{summary}");
    assert!(!summary.contains("(jp.phone)"), "{summary}");
    // --color always paints the path and the confidence; never and a pipe do not.
    let colored = text(&["--color", "always"], Some("1"));
    assert!(colored.starts_with("\x1b[1;35ma/contact.txt\x1b[0m\n"), "{colored}");
    assert!(colored.contains("\x1b[1;31mhigh  \x1b[0m"), "{colored}");
    assert!(!text(&["--color", "never"], None).contains('\x1b'));
    assert!(!text(&[], None).contains('\x1b'));
    // Flags of the text report are refused with other formats.
    let out = piimap_in(t.path(), &["scan", "a", "--summary", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--summary applies to the text report"));
}

#[test]
fn output_file_and_determinism() {
    let t = Tree::new();
    for i in 0..40 {
        t.file(
            &format!("d{}/f{i}.txt", i % 7),
            format!("TEL 03-1234-{i:04}\nメール u{i}@example.com\n"),
        );
    }
    let one = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "-j", "1"]);
    let four = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "-j", "4"]);
    let one = String::from_utf8(one.stdout).unwrap();
    assert_eq!(one, String::from_utf8(four.stdout).unwrap());
    assert_eq!(one.lines().filter(|l| l.contains("\"finding\"")).count(), 80);
    let report = Tree::new();
    let report_path = report.path().join("report.jsonl");
    let out = piimap_in(
        t.path(),
        &["scan", ".", "--format", "jsonl", "-o", report_path.to_str().unwrap()],
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&report_path).unwrap(), one);
}

#[cfg(unix)]
#[test]
fn unreadable_items_become_errors_and_the_scan_goes_on() {
    let t = canary_tree();
    // A dangling symlink followed with --follow fails even for root (CI runs as root,
    // where chmod 000 would not stop a read).
    std::os::unix::fs::symlink(t.path().join("gone.txt"), t.path().join("a/dangling.txt")).unwrap();
    let out = piimap_in(t.path(), &["scan", "a", "--follow", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], "a/dangling.txt");
    assert!(errors[0]["message"].as_str().unwrap().contains("No such file"), "{}", errors[0]);
    assert_eq!(findings(&values).len(), 3, "the readable file is still scanned");
    let text = piimap_in(t.path(), &["scan", "a", "--follow"]);
    let text = String::from_utf8_lossy(&text.stdout);
    // Where it happens, and again with the summary.
    assert!(text.contains("a/dangling.txt\n  error / エラー: "), "{text}");
    assert!(text.contains("errors / エラー:\n  a/dangling.txt: "), "{text}");
    // Without --follow the symlink is simply not followed.
    assert_eq!(code(&piimap_in(t.path(), &["scan", "a"])), 1);
}

#[cfg(unix)]
#[test]
fn a_directory_that_cannot_be_walked_is_an_error_entry() {
    let t = canary_tree();
    std::os::unix::fs::symlink("..", t.path().join("a/loop")).unwrap();
    let out = piimap_in(t.path(), &["scan", "a", "--follow", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], "a/loop");
    assert_eq!(errors[0]["message"], "symbolic link loop");
    assert_eq!(findings(&values).len(), 3);
}

#[test]
fn piimap_allow_comments_silence_findings_and_are_counted() {
    let t = Tree::new();
    t.file(
        "config.txt",
        "support TEL 090-1111-2222  # piimap:allow\n\
         # piimap:allow=phone\n\
         TEL 090-3333-4444 mail a.b@example.co.jp\n\
         TEL 090-5555-6666\n",
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    let s = |x: &str| x.to_string();
    assert_eq!(
        findings(&values),
        [(s("./config.txt"), 3, s("email")), (s("./config.txt"), 4, s("phone"))]
    );
    assert_eq!(of_type(&values, "summary")[0]["suppressed"], 2);
    let text = String::from_utf8(piimap_in(t.path(), &["scan", "."]).stdout).unwrap();
    assert!(text.contains("2 findings suppressed by piimap:allow"), "{text}");
}

#[test]
fn flags_that_would_be_ignored_are_refused_and_errors_are_said_once() {
    let t = Tree::new();
    t.file("a.txt", "TEL 090-1111-2222\n");
    let err = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    // A missing baseline: one cause, said once.
    let out = piimap_in(t.path(), &["scan", ".", "--baseline", "nope.json"]);
    assert_eq!(code(&out), 2);
    assert_eq!(err(&out).matches("No such file").count(), 1, "{}", err(&out));
    // `report` offers only the formats it renders.
    let out = piimap_in(t.path(), &["report", "inv.json", "--format", "text"]);
    assert_eq!(code(&out), 2);
    assert!(err(&out).contains("[possible values: json, csv, markdown, html]"), "{}", err(&out));
    // `baseline create` writes a baseline, in no other format.
    let out = piimap_in(t.path(), &["baseline", "create", "-o", "/dev/null", "--format", "html"]);
    assert_eq!(code(&out), 2);
    assert!(err(&out).contains("--format does not apply"), "{}", err(&out));
    // --lang where the report has no language.
    for command in [&["subject", ".", "--phone", "090-1111-2222"][..], &["incident", "."]] {
        let out = piimap_in(t.path(), &[command, &["--format", "json", "--lang", "en"]].concat());
        assert_eq!(code(&out), 2, "{command:?}");
        assert!(err(&out).contains("--lang applies to the"), "{command:?}: {}", err(&out));
    }
    for format in ["jsonl", "sarif", "json", "text"] {
        let out = piimap_in(t.path(), &["scan", ".", "--format", format, "--lang", "en"]);
        assert_eq!(code(&out), 2, "{format}");
        assert!(
            err(&out).contains("--lang applies to the html, markdown and csv"),
            "{}",
            err(&out)
        );
        assert!(out.stdout.is_empty(), "{format}: refused before scanning");
    }
}

#[test]
fn selection_and_verdict_flags_like_ripgrep_and_gitleaks() {
    let t = Tree::new();
    t.file("a/list.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    t.file("b/memo.txt", "お名前：佐藤 花子 様\n個人番号：123456789018\n");
    t.file("b/sample.txt", "見本 TEL 03-1234-5678\n");
    let scan = |args: &[&str]| {
        let out = piimap_in(t.path(), &[&["scan", "--format", "jsonl"], args].concat());
        let paths: std::collections::BTreeSet<String> =
            findings(&jsonl(&out)).into_iter().map(|(p, _, _)| p).collect();
        (code(&out), paths.into_iter().collect::<Vec<_>>())
    };
    let s = |x: &str| x.to_string();
    // -g keeps matching files, `!` and --exclude leave them out.
    assert_eq!(scan(&["-g", "*.csv"]), (1, vec![s("./a/list.csv")]));
    assert_eq!(scan(&["-g", "!*.csv"]).1, [s("./b/memo.txt"), s("./b/sample.txt")]);
    assert_eq!(scan(&["--exclude", "b/**"]).1, [s("./a/list.csv")]);
    // --categories: only these.
    let out = piimap_in(t.path(), &["scan", "--format", "jsonl", "--categories", "my_number"]);
    let cats: Vec<String> = findings(&jsonl(&out)).into_iter().map(|(_, _, c)| c).collect();
    assert_eq!(cats, ["my_number"]);
    // --min-confidence drops the low (test data) finding.
    assert_eq!(scan(&["--min-confidence", "medium", "-g", "b/sample.txt"]), (0, vec![]));
    assert_eq!(scan(&["-g", "b/sample.txt"]), (0, vec![s("./b/sample.txt")]));
    // --fail-on-risk: the list is high, the My Number memo critical.
    assert_eq!(scan(&["--fail-on-risk", "critical", "-g", "*.csv"]).0, 0);
    assert_eq!(scan(&["--fail-on-risk", "critical"]).0, 1);
    // --exit-code for findings; 2 stays the error code.
    assert_eq!(scan(&["--exit-code", "3"]).0, 3);
    assert_eq!(scan(&["--exit-code", "0"]).0, 0);
    let refused = piimap_in(t.path(), &["scan", "--exit-code", "2"]);
    assert_eq!(code(&refused), 2);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("2 means an error"));
}

#[test]
fn help_completions_man_page_and_init() {
    let out = piimap(&["--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.lines().count() <= 40, "one screen: {help}");
    assert!(
        help.contains("Exit codes: 0") && help.matches("\n  piimap scan").count() >= 3,
        "{help}"
    );
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = piimap(&["completions", shell]);
        let script = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(
            code(&out) == 0 && script.contains("piimap") && script.contains("staged"),
            "{shell}"
        );
    }
    let man = String::from_utf8(piimap(&["man"]).stdout).unwrap();
    assert!(man.contains(".TH piimap 1") && man.contains("incident"), "{man}");

    let t = Tree::new();
    let out = piimap_in(t.path(), &["init"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(t.path().join(".piimap.toml")).unwrap();
    // Not over an existing file, unless asked.
    let again = piimap_in(t.path(), &["init"]);
    assert_eq!(code(&again), 2);
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(code(&piimap_in(t.path(), &["init", "--force"])), 0);
    // It is read as written (its ignore applies), and so are its commented
    // examples once uncommented.
    t.file("vendor/x.txt", "TEL 090-5555-0123\n");
    assert_eq!(code(&piimap_in(t.path(), &["scan", "."])), 0);
    let uncommented: String = written
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if l.starts_with("# [") || rest.contains(" = ") => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(uncommented.contains("[[location_rule]]\npurposes"), "{uncommented}");
    t.file(".piimap.toml", &uncommented);
    t.file("hr/c.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["locations"][0]["purposes"][0], "recruiting");
}

#[test]
fn the_scan_ends_with_one_line_on_stderr_saying_why_the_exit_code() {
    let t = canary_tree();
    let last = |args: &[&str]| {
        let out = piimap_in(t.path(), &[&["scan", "a"], args].concat());
        let err = String::from_utf8(out.stderr.clone()).unwrap();
        (code(&out), err.lines().last().unwrap_or_default().to_string())
    };
    let (code1, line) = last(&["--format", "jsonl", "-o", "out.jsonl"]);
    assert_eq!(code1, 1);
    assert_eq!(
        line,
        "piimap: 1 file read; 3 findings in 1 location (about 1 person); 0 errors, 0 skipped; \
         report: out.jsonl; exit 1: findings at or above --fail-on low"
    );
    assert!(
        last(&["--fail-on", "high"]).1.ends_with("exit 1: findings at or above --fail-on high")
    );
    let (code0, line) = last(&["--fail-on", "none"]);
    assert_eq!(code0, 0);
    assert!(
        line.ends_with(
            "report: standard output; exit 0: --fail-on none: findings never fail the scan"
        ),
        "{line}"
    );
    assert!(
        last(&["--fail-on-risk", "critical"])
            .1
            .ends_with("exit 0: no risk at or above --fail-on-risk critical")
    );
    // -q: nothing on stderr.
    let out = piimap_in(t.path(), &["scan", "a", "-q"]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
