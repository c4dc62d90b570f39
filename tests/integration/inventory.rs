//! The privacy officer's inventory: purposes and policy checks on the
//! fixtures, retention and exposure on a tree built here, the JSON document
//! against its schema, CSV/Markdown/HTML escaping, `piimap report`, owner-only
//! report files, and no raw value in any format.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::util::*;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

fn location<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == path)
        .unwrap_or_else(|| panic!("no location {path}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect()
}

#[test]
fn fixtures_are_checked_against_their_purposes_and_validate() {
    let out = piimap(&["scan", "fixtures", "--format", "json"]);
    assert_eq!(code(&out), 1);
    validate_json("schemas/inventory.schema.json", &String::from_utf8_lossy(&out.stdout));
    let doc = json(&out);
    // Marketing may not hold bank accounts.
    let dm = location(&doc, "fixtures/purposes/marketing/dm_list.csv");
    assert_eq!(strings(&dm["purposes"]), ["marketing"]);
    assert_eq!(strings(&dm["out_of_purpose"]), ["bank_account"]);
    assert!(strings(&dm["risk_reasons"]).contains(&"out-of-purpose"));
    // The whole entry, but for what the file system says (its mode decides
    // the exposure).
    let exposed = dm["world_readable"] == true;
    // Three rows of four values and the four classified columns, all kept
    // as evidence (the cap is 100).
    assert_eq!(dm["findings"], 16);
    let evidence = dm["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 16);
    assert_eq!(
        (evidence[0]["line"].as_u64(), evidence[0]["category"].as_str()),
        (Some(2), Some("name"))
    );
    let mut entry = dm.clone();
    for key in ["size", "modified", "owner", "world_readable", "findings", "evidence"] {
        entry.as_object_mut().unwrap().remove(key);
    }
    let mut reasons = vec!["identifies-directly", "sensitive:bank_account"];
    if exposed {
        reasons.push("world-readable");
    }
    reasons.push("out-of-purpose");
    assert_eq!(
        entry,
        serde_json::json!({
            "path": "fixtures/purposes/marketing/dm_list.csv",
            "categories": {"name": 3, "address": 3, "email": 3, "bank_account": 3},
            "confidence": "high",
            "identifiability": "direct",
            "rules": ["account-holder", "attribute", "contact-point", "name", "name-with-contact"],
            "subjects": 3,
            "records": 3,
            "purposes": ["marketing"],
            "out_of_purpose": ["bank_account"],
            "deidentified_violation": false,
            "unassigned": false,
            "retention_overdue": false,
            "risk": "critical",
            "risk_reasons": reasons,
        })
    );
    // Billing holds exactly what it may.
    let billing = location(&doc, "fixtures/purposes/billing/koza_furikae.csv");
    assert_eq!(strings(&billing["purposes"]), ["billing"]);
    assert!(strings(&billing["out_of_purpose"]).is_empty());
    assert_eq!(billing["identifiability"], "direct");
    // Statistics: attributes are fine, names are not.
    let ok = location(&doc, "fixtures/purposes/統計/shukei.csv");
    assert_eq!(
        (ok["identifiability"].as_str(), ok["deidentified_violation"].as_bool()),
        (Some("combination"), Some(false))
    );
    assert!(strings(&ok["out_of_purpose"]).is_empty());
    let raw = location(&doc, "fixtures/purposes/統計/motodata.csv");
    assert_eq!(strings(&raw["out_of_purpose"]), ["name"]);
    assert_eq!(raw["deidentified_violation"], true);
    // Drawings serve contracts; forms outside any purpose folder are unassigned.
    assert_eq!(strings(&location(&doc, "fixtures/cad/house_utf8.dxf")["purposes"]), ["contract"]);
    let form = location(&doc, "fixtures/ja/moushikomi_utf8.txt");
    assert_eq!(
        (form["unassigned"].as_bool(), form["purposes"].as_array().map(Vec::len)),
        (Some(true), Some(0))
    );
    // The summary counts them.
    let s = &doc["summary"];
    assert_eq!(s["out_of_purpose"], 2);
    assert_eq!(s["by_purpose"]["marketing"]["violations"], 1);
    assert_eq!(s["by_purpose"]["statistics"]["locations"], 2);
    assert_eq!(
        s["locations"].as_u64().unwrap() as usize,
        doc["locations"].as_array().unwrap().len()
    );
    assert_eq!(doc["purposes"].as_array().unwrap().len(), 7);
}

#[cfg(unix)]
#[test]
fn retention_exposure_and_risk() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.file("marketing/old.csv", "氏名,メールアドレス\n山田 太郎,taro.yamada@docomo.ne.jp\n");
    t.file("misc/memo.txt", "お名前：佐藤 花子 様\n個人番号：123456789018\n");
    let old = t.path().join("marketing/old.csv");
    let four_years = SystemTime::now() - Duration::from_secs(4 * 365 * 86_400);
    std::fs::File::options().write(true).open(&old).unwrap().set_modified(four_years).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let memo = t.path().join("misc/memo.txt");
    std::fs::set_permissions(&memo, std::fs::Permissions::from_mode(0o600)).unwrap();
    let doc = json(&piimap_in(t.path(), &["scan", ".", "--format", "json"]));
    // Marketing keeps data three years: four is overdue; the file is readable
    // by everyone.
    let l = location(&doc, "./marketing/old.csv");
    assert_eq!(
        (l["retention_overdue"].as_bool(), l["world_readable"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(
        strings(&l["risk_reasons"]),
        ["identifies-directly", "world-readable", "retention-overdue"]
    );
    assert_eq!(l["risk"], "high");
    assert!(l["modified"].as_str().unwrap().ends_with('Z'));
    // A My Number with a name, no purpose, readable by its owner only.
    let m = location(&doc, "./misc/memo.txt");
    assert_eq!(
        (m["unassigned"].as_bool(), m["world_readable"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(
        strings(&m["risk_reasons"]),
        ["identifies-directly", "sensitive:my_number", "unassigned"]
    );
    assert_eq!(m["risk"], "critical");
    assert_eq!(doc["summary"]["retention_overdue"], 1);
}

#[test]
fn project_purposes_and_rules_come_from_the_config_file() {
    let t = Tree::new();
    t.file("hr/candidates.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    t.file(
        ".piimap.toml",
        "[[purpose]]\nid = \"recruiting\"\nja = \"採用\"\nen = \"Recruiting\"\ncategories = [\"name\", \"phone\"]\n\n\
         [[location_rule]]\npurposes = [\"recruiting\"]\npaths = [\"**/hr/**\"]\n",
    );
    let doc = json(&piimap_in(t.path(), &["scan", ".", "--format", "json"]));
    let l = location(&doc, "./hr/candidates.csv");
    assert_eq!(strings(&l["purposes"]), ["recruiting"]);
    assert!(strings(&l["out_of_purpose"]).is_empty());
    // An unknown key is an error naming the file and the line.
    t.file(".piimap.toml", "[allow]\npaths = []\n\n[[purpose]]\nid = \"x\"\nja = \"x\"\nen = \"x\"\ncategories = []\ncolour = \"red\"\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".piimap.toml") && err.contains("line 9") && err.contains("colour"),
        "{err}"
    );
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let t = Tree::new();
    t.file("<script>alert(1)</script>.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    t.file("=cmd|calc/a.txt", "電話：090-5555-0124\n");
    let html =
        String::from_utf8(piimap_in(t.path(), &["scan", ".", "--format", "html"]).stdout).unwrap();
    assert!(!html.contains("<script>alert(1)"), "unescaped path in HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"));
    assert_eq!(html.matches("<script>").count(), 1, "only the page's own script");
    let csv =
        String::from_utf8(piimap_in(t.path(), &["scan", "=cmd|calc", "--format", "csv"]).stdout)
            .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\"'=cmd|calc/a.txt\""), "{csv}");
    let md = String::from_utf8(piimap_in(t.path(), &["scan", ".", "--format", "markdown"]).stdout)
        .unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"), "{md}");
    assert!(md.contains("=cmd\\|calc/a.txt"), "a path cannot open a table cell: {md}");
}

#[test]
fn no_raw_value_in_any_format_and_reports_render_again() {
    let t = Tree::new();
    t.file(
        "share/顧客.csv",
        "氏名,電話番号,メールアドレス\n山田 太郎,090-5555-8765,canary.yamada@docomo.ne.jp\n",
    );
    for format in ["json", "csv", "markdown", "html"] {
        let out = piimap_in(t.path(), &["scan", "share", "--format", format]);
        let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).to_string();
        // Masks keep a phone's last digits, never the rest.
        assert!(
            !all.contains("5555") && !all.contains("canary.yamada") && !all.contains("太郎"),
            "{format}: {all}"
        );
    }
    // A saved inventory renders the same page without the scan, in both
    // languages, and report files are readable by their owner only.
    let saved = t.path().join("inventory.json");
    assert_eq!(
        code(&piimap_in(t.path(), &["scan", "share", "--format", "json", "-o", "inventory.json"])),
        1
    );
    let direct = piimap_in(t.path(), &["scan", "share", "--format", "html", "--lang", "en"]).stdout;
    let again =
        piimap_in(t.path(), &["report", "inventory.json", "--format", "html", "--lang", "en"]);
    assert_eq!(code(&again), 0);
    // The same page but for when the scan ran and how long it took.
    let timeless = |page: &[u8]| {
        let page = String::from_utf8_lossy(page).into_owned();
        let mut kept = String::new();
        let mut rest = page.as_str();
        for dt in ["<dt>scanned</dt><dd>", "<dt>duration</dt><dd>"] {
            let (before, after) = rest.split_once(dt).unwrap();
            kept.push_str(before);
            rest = after.split_once("</dd>").unwrap().1;
        }
        kept + rest
    };
    assert_eq!(timeless(&again.stdout), timeless(&direct));
    assert!(String::from_utf8_lossy(&direct).contains("<html lang=\"en\">"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Not an inventory: a clear error, exit 2.
    t.file("bad.json", "{\"schema\": 1}");
    let bad = piimap_in(t.path(), &["report", "bad.json"]);
    assert_eq!(code(&bad), 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a piimap inventory"));
    // An inventory of the first schema (every finding in one list): told
    // to scan again.
    t.file("v1.json", "{\"schema\": \"piimap-inventory/1\", \"findings\": []}");
    let old = piimap_in(t.path(), &["report", "v1.json"]);
    assert_eq!(code(&old), 2);
    let message = String::from_utf8_lossy(&old.stderr);
    assert!(
        message.contains("schema \"piimap-inventory/1\", this piimap reads \"piimap-inventory/2\""),
        "{message}"
    );
}

#[test]
fn the_config_file_sets_patterns_ignores_and_thresholds() {
    let t = Tree::new();
    t.file("vendor/lib.txt", "電話：090-5555-0125\n");
    t.file("src/a.txt", "社員番号：EMP-123456\n電話：090-5555-0126\n");
    t.file(
        "rules/employee.toml",
        "[[detector]]\nid = \"acme.employee-id\"\ncategory = \"government_id\"\n\
         description.ja = \"社員番号\"\ndescription.en = \"Employee id\"\n\
         pattern = '(EMP-[0-9]{6})'\nanchors = [\"EMP\"]\n\
         examples = [\"«EMP-123456»\"]\nnegative_examples = [\"EMP-12\"]\n",
    );
    t.file(
        ".piimap.toml",
        "patterns = [\"rules\"]\nignore = [\"vendor/**\", \"rules/**\"]\nfail_on = \"none\"\nmax_filesize = \"1M\"\n",
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    // fail_on = "none": findings, yet exit 0.
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let found = findings(&values);
    let s = |x: &str| x.to_string();
    assert_eq!(
        found,
        [(s("./src/a.txt"), 1, s("government_id")), (s("./src/a.txt"), 2, s("phone"))],
        "vendor/ ignored, the project's own detector loaded"
    );
    // The command line still wins.
    assert_eq!(code(&piimap_in(t.path(), &["scan", ".", "--fail-on", "low"])), 1);
    // Files given one by one (as a pre-commit hook passes them) find the
    // configuration at the top of the tree too.
    let out = piimap_in(t.path(), &["scan", "vendor/lib.txt", "src/a.txt", "--format", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        findings(&jsonl(&out)),
        [(s("src/a.txt"), 1, s("government_id")), (s("src/a.txt"), 2, s("phone"))]
    );
}

#[test]
fn folders_are_first_levels_below_the_target_and_the_run_is_described() {
    let t = Tree::new();
    t.file("share/営業/2024/list.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    t.file("share/経理/memo.txt", "TEL 03-1234-5678\n");
    t.file("share/top.txt", "mail taro.yamada@docomo.ne.jp\n");
    let share = t.path().join("share").canonicalize().unwrap();
    let share = share.to_str().unwrap();
    let out = piimap(&["scan", share, "--format", "json"]);
    validate_json("schemas/inventory.schema.json", &String::from_utf8_lossy(&out.stdout));
    let doc = json(&out);
    let folders: Vec<&String> = doc["summary"]["by_folder"].as_object().unwrap().keys().collect();
    assert_eq!(folders, [".", "営業", "経理"]);
    let run = &doc["scan"];
    assert_eq!(strings(&run["targets"]), [share]);
    assert_eq!(
        (run["sample_rows"].as_u64(), run["max_filesize"].as_u64()),
        (Some(10_000), Some(256 << 20))
    );
    assert!(run["started"].as_str().unwrap().ends_with('Z') && run["duration_ms"].is_u64());
    // A floor plan with an address identifies a home: at least one person.
    let doc = json(&piimap(&["scan", "fixtures/cad/house.ifc", "--format", "json"]));
    assert_eq!(location(&doc, "fixtures/cad/house.ifc")["subjects"], 1);
}

#[test]
fn a_database_target_is_named_without_its_password_and_its_tables_by_schema() {
    // Port 1 refuses at once: the run is described all the same.
    let url = "mysql://root:pw-canary@127.0.0.1:1/shop";
    let out = piimap(&["scan", url, "--format", "json", "--full", "--db-connect-timeout", "2"]);
    assert_eq!(code(&out), 2);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("pw-canary"), "{text}");
    let doc = json(&out);
    assert_eq!(strings(&doc["scan"]["targets"]), ["mysql://root@127.0.0.1:1/shop"]);
    assert_eq!(doc["scan"]["sample_rows"], Value::Null);
}

#[test]
fn csv_speaks_the_report_language() {
    let t = Tree::new();
    t.file("a.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n");
    let csv = |lang: &str| {
        let out = piimap_in(t.path(), &["scan", ".", "--format", "csv", "--lang", lang]);
        String::from_utf8(out.stdout).unwrap()
    };
    let user =
        String::from_utf8(std::process::Command::new("id").arg("-un").output().unwrap().stdout)
            .unwrap();
    let (ja, en) = (csv("ja"), csv("en"));
    assert!(ja.starts_with("\u{feff}\"パス\",\"区分\",\"識別性\",\"識別ルール\""), "{ja}");
    let row = "\"./a.csv\",\"氏名 1、電話番号 1\",\"直接識別\",\"連絡先、氏名、氏名と連絡先・属性\",\"1\",\"1\",\"（利用目的なし）\",\"\",\"はい\",\"いいえ\",\"高\"";
    assert!(ja.contains(row), "{ja}");
    assert!(
        en.starts_with("\u{feff}\"path\",\"categories\",\"identifiability\",\"rules\""),
        "{en}"
    );
    assert!(
        en.contains("\"identifies directly\",\"contact point, name, name with contact\""),
        "{en}"
    );
    // The owner by name, not by user id.
    assert!(en.contains(&format!("\"{}\"", user.trim())), "{en}");
    assert!(!en.contains("phone:"), "{en}");
}

#[test]
fn the_html_report_describes_the_run_its_gaps_and_puts_the_riskiest_first() {
    let t = Tree::new();
    t.file("a/list.csv", "氏名,電話番号\n山田 太郎,090-5555-0123\n佐藤 花子,090-5555-0124\n");
    t.file("b/memo.txt", "お名前：佐藤 花子 様\n個人番号：123456789018\n");
    t.file("c/big.log", format!("TEL 090-5555-0125\n{}", "x".repeat(4096)));
    let html = |lang: &str| {
        let out = piimap_in(
            t.path(),
            &["scan", ".", "--format", "html", "--lang", lang, "--max-filesize", "1K"],
        );
        assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let (ja, en) = (html("ja"), html("en"));
    // The run: when, of what, with which settings.
    assert!(ja.contains("<dt>対象</dt><dd>.</dd>") && ja.contains("<dd>1.00 KiB</dd>"), "{ja}");
    assert!(en.contains("<dt>table sample</dt><dd>10,000 rows per table</dd>"), "{en}");
    // The gap: the file left out is listed under coverage.
    let coverage = &ja[ja.find("id=\"coverage\"").unwrap()..];
    assert!(coverage.contains("<code>./c/big.log</code>"), "{coverage}");
    // The My Number memo (critical) comes before the list (high).
    let rows: Vec<&str> =
        ja.match_indices("<tr><td><a href=\"#l").map(|(i, _)| &ja[i..i + 80]).collect();
    assert!(rows[0].contains("./b/memo.txt") && rows[1].contains("./a/list.csv"), "{rows:?}");
    // Words, not ids: confidence, rules, column places.
    assert!(ja.contains("<td>列 氏名</td>") && en.contains("<td>column 氏名</td>"), "{ja}");
    assert!(ja.contains("<td>高</td></tr>") && !ja.contains("<td>high</td>"), "{ja}");
    assert!(ja.contains("氏名と連絡先・属性") && !ja.contains("name-with-contact"), "{ja}");
    assert!(!ja.contains(":-</td>"), "no `-:-` place");
}
