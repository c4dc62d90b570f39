//! Databases: SQLite files (as `sqlite:` targets and found on a share), and
//! real PostgreSQL and MariaDB servers (127.0.0.1:5432 trust auth, database
//! `test`; 127.0.0.1:3306, root without password, database `test`). Each test
//! creates its own tables of synthetic customers, scans them and asserts the
//! column classifications and counts, read-only sessions and that no password
//! is printed. Without a server the server tests skip with a message; in CI
//! (`CI` set) they fail.

use std::collections::BTreeSet;

use piimap::source::database::{Target, Timeouts, connect};
use serde_json::Value;

use crate::util::*;

const PG: &str = "postgres://postgres@127.0.0.1:5432/test";
const MY: &str = "mysql://root@127.0.0.1:3306/test";

/// Synthetic customers: names from the dictionaries, 555 phones, docomo
/// mail addresses of made-up people, real town names with made-up numbers.
const CUSTOMERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "山田 太郎",
        "taro.yamada@docomo.ne.jp",
        "090-5555-0101",
        "東京都渋谷区渋谷2-21-1",
        "1985-04-01",
        "男",
    ),
    (
        "佐藤 花子",
        "hanako.sato@docomo.ne.jp",
        "080-5555-0102",
        "大阪府大阪市北区梅田1-1-3",
        "1990-12-24",
        "女",
    ),
    (
        "John Smith",
        "john.smith@docomo.ne.jp",
        "09055550103",
        "神奈川県横浜市中区山下町1-2",
        "1979-07-07",
        "男",
    ),
    (
        "鈴木 一郎",
        "ichiro.suzuki@docomo.ne.jp",
        "070-5555-0104",
        "愛知県名古屋市中村区名駅4-7-1",
        "1968-02-29",
        "男",
    ),
];

/// Whether the server answers; in CI it must.
fn reachable(url: &str) -> bool {
    match connect(&Target::parse(url).unwrap(), Timeouts::default()) {
        Ok(_) => true,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "CI needs {url}: {e}");
            eprintln!("skipped: {url} is not reachable ({e})");
            false
        }
    }
}

/// `(table, column, category, masked)` of every column finding.
fn columns(values: &[Value]) -> BTreeSet<(String, String, String, String)> {
    values
        .iter()
        .filter(|v| v["type"] == "finding" && v["detector"] == "column")
        .map(|v| {
            let path = v["path"].as_str().unwrap();
            (
                path.rsplit('.').next().unwrap().to_string(),
                v["field"].as_str().unwrap().to_string(),
                v["category"].as_str().unwrap().to_string(),
                v["masked"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected_columns(prefix: &str, date_column: bool) -> BTreeSet<(String, String, String, String)> {
    let t = format!("{prefix}customers");
    let row = |c: &str, cat: &str| (t.clone(), c.to_string(), cat.to_string(), "4/4".to_string());
    let mut want: BTreeSet<_> = [
        row("氏名", "name"),
        row("email", "email"),
        row("電話番号", "phone"),
        row("住所", "address"),
        row("性別", "gender"),
    ]
    .into_iter()
    .collect();
    if date_column {
        want.insert(row("生年月日", "birth_date"));
    }
    want
}

/// Every finding of a scan carries a row key and no line.
fn rows_are_keyed(values: &[Value]) {
    for v in values.iter().filter(|v| v["type"] == "finding" && v["detector"] != "column") {
        assert!(v["line"].is_null() && v["row"].is_string(), "{v}");
    }
}

#[test]
fn sqlite_tables_are_classified_by_column() {
    let t = Tree::new();
    let db = t.path().join("crm.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, 氏名 TEXT, email TEXT, 電話番号 TEXT, 住所 TEXT, 生年月日 TEXT, 性別 TEXT, memo TEXT, photo BLOB);
             CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT);
             INSERT INTO products VALUES (1, 'Widget 2000');",
        )
        .unwrap();
        for (i, (n, e, p, a, b, g)) in CUSTOMERS.iter().enumerate() {
            c.execute(
                "INSERT INTO customers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'VIP', x'0001')",
                rusqlite::params![100 + i as i64, n, e, p, a, b, g],
            )
            .unwrap();
        }
    }
    let target = format!("sqlite:{}", db.display());
    let out = piimap(&["scan", &target, "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    assert_eq!(columns(&values), expected_columns("", true));
    rows_are_keyed(&values);
    // Row keys are the primary key.
    let keys: BTreeSet<&str> = values.iter().filter_map(|v| v["row"].as_str()).collect();
    assert_eq!(keys, ["100", "101", "102", "103"].into_iter().collect());
    let location = of_type(&values, "location")[0];
    assert_eq!(location["path"], format!("{target}#main.customers"));
    assert_eq!((location["subjects"].as_u64(), location["records"].as_u64()), (Some(4), Some(4)));
    assert_eq!(location["identifiability"], "direct");
    // The same file found on a share is scanned as a database too.
    let share = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]));
    assert_eq!(of_type(&share, "location")[0]["path"], "./crm.sqlite#main.customers");
    assert_eq!(columns(&share), expected_columns("", true));
    // The inventory gives a table its rows read, not a size.
    let doc: Value =
        serde_json::from_slice(&piimap(&["scan", &target, "--format", "json"]).stdout).unwrap();
    let table = &doc["locations"][0];
    assert_eq!((table["rows_read"].as_u64(), table["size"].as_u64()), (Some(4), None));
    assert_eq!(doc["summary"]["tables"], 2);
    // The text report sums the table up by its columns; --verbose lists rows.
    let text = String::from_utf8(piimap(&["scan", &target]).stdout).unwrap();
    assert!(
        text.contains("\n      column email         high   4/4  (column)  [email]\n"),
        "{text}"
    );
    let folded = text.matches("(column)").count();
    assert!(
        text.contains(&format!("\n  … {} findings in rows, by column above", 4 * folded)),
        "{text}"
    );
    assert!(!text.contains("(email)  [email]"), "{text}");
    let verbose = String::from_utf8(piimap(&["scan", &target, "--verbose"]).stdout).unwrap();
    assert_eq!(verbose.matches("(email)  [email]").count(), 4, "{verbose}");
    // Sessions are read-only.
    assert!(
        connect(&Target::parse(&target).unwrap(), Timeouts::default())
            .unwrap()
            .read_only()
            .unwrap()
    );
}

/// A session of PostgreSQL's administrator, to set tests up.
fn pg_admin() -> Result<postgres::Client, postgres::Error> {
    postgres::Client::connect("host=127.0.0.1 port=5432 user=postgres dbname=test", postgres::NoTls)
}

/// Drops a PostgreSQL schema (and role) when the test ends, pass or fail.
struct PgCleanup(String);

impl Drop for PgCleanup {
    fn drop(&mut self) {
        if let Ok(mut c) = pg_admin() {
            let _ = c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {0} CASCADE; DROP ROLE IF EXISTS {0}_reader;",
                self.0
            ));
        }
    }
}

#[test]
fn postgres_tables_are_classified_read_only_and_without_passwords() {
    if !reachable(PG) {
        return;
    }
    let schema = format!("piimap_it_{}", std::process::id());
    let _cleanup = PgCleanup(schema.clone());
    let mut c = pg_admin().unwrap();
    c.batch_execute(&format!(
        "CREATE SCHEMA {schema};
         CREATE TABLE {schema}.customers (id serial PRIMARY KEY, 氏名 text, email text, 電話番号 text, 住所 text, 生年月日 date, 性別 text, memo text, photo bytea);
         CREATE TABLE {schema}.secret_notes (id serial PRIMARY KEY, body text);
         INSERT INTO {schema}.secret_notes (body) VALUES ('電話 090-5555-0199');
         CREATE ROLE {schema}_reader LOGIN;
         GRANT USAGE ON SCHEMA {schema} TO {schema}_reader;
         GRANT SELECT ON {schema}.customers TO {schema}_reader;"
    ))
    .unwrap();
    for (n, e, p, a, b, g) in CUSTOMERS {
        c.execute(
            &format!("INSERT INTO {schema}.customers (氏名, email, 電話番号, 住所, 生年月日, 性別, memo, photo) VALUES ($1, $2, $3, $4, $5::text::date, $6, 'VIP', '\\x0001')"),
            &[n, e, p, a, b, g],
        )
        .unwrap();
    }
    let include = format!("{schema}.*");
    // A password in the URL (trust auth ignores it) is never printed.
    let url = "postgres://postgres:s3cret-canary@127.0.0.1:5432/test";
    let out = piimap(&["scan", url, "--db-include", &include, "--format", "jsonl"]);
    let all =
        String::from_utf8_lossy(&[out.stdout.clone(), out.stderr.clone()].concat()).to_string();
    assert!(!all.contains("s3cret-canary"), "{all}");
    assert_eq!(code(&out), 1, "{all}");
    let values = jsonl(&out);
    let mut want = expected_columns("", true);
    want.insert(("secret_notes".into(), "body".into(), "phone".into(), "1/1".into()));
    assert_eq!(columns(&values), want);
    rows_are_keyed(&values);
    let customers = of_type(&values, "location")
        .into_iter()
        .find(|l| {
            l["path"] == format!("postgres://postgres@127.0.0.1:5432/test#{schema}.customers")
        })
        .unwrap();
    assert_eq!(customers["subjects"], 4);
    // A table the role may not read is an error entry; the other is scanned.
    let reader = format!("postgres://{schema}_reader@127.0.0.1:5432/test");
    let out = piimap(&["scan", &reader, "--db-include", &include, "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], format!("{reader}#{schema}.secret_notes"));
    assert!(errors[0]["message"].as_str().unwrap().contains("permission denied"));
    assert_eq!(columns(&values), expected_columns("", true));
    // The session refuses writes.
    assert!(
        connect(&Target::parse(url).unwrap(), Timeouts::default()).unwrap().read_only().unwrap()
    );
    // A wrong database: an error naming the target without its password.
    let bad =
        piimap(&["scan", "postgres://postgres:s3cret-canary@127.0.0.1:5432/no_such_db_piimap"]);
    assert_eq!(code(&bad), 2);
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(text.contains("postgres://postgres@127.0.0.1:5432/no_such_db_piimap"), "{text}");
    assert!(!text.contains("s3cret-canary"));
}

/// Drops the MariaDB tables when the test ends.
struct MyCleanup(String);

impl Drop for MyCleanup {
    fn drop(&mut self) {
        use mysql::prelude::Queryable;
        if let Ok(mut c) = mysql::Conn::new(mysql::Opts::from_url(MY).unwrap()) {
            let _ = c.query_drop(format!("DROP TABLE IF EXISTS {0}customers, {0}products", self.0));
        }
    }
}

#[test]
fn mariadb_tables_are_classified_read_only() {
    use mysql::prelude::Queryable;
    if !reachable(MY) {
        return;
    }
    let prefix = format!("piimap_it_{}_", std::process::id());
    let _cleanup = MyCleanup(prefix.clone());
    let mut c = mysql::Conn::new(mysql::Opts::from_url(MY).unwrap()).unwrap();
    c.query_drop(format!(
        "CREATE TABLE {prefix}customers (id INT AUTO_INCREMENT PRIMARY KEY, 氏名 VARCHAR(64), email VARCHAR(128), 電話番号 VARCHAR(32), 住所 VARCHAR(255), 生年月日 DATE, 性別 VARCHAR(4), memo TEXT, photo BLOB) CHARACTER SET utf8mb4"
    ))
    .unwrap();
    c.query_drop(format!("CREATE TABLE {prefix}products (id INT PRIMARY KEY, title VARCHAR(64))"))
        .unwrap();
    c.query_drop(format!("INSERT INTO {prefix}products VALUES (1, 'Widget 2000')")).unwrap();
    for (n, e, p, a, b, g) in CUSTOMERS {
        c.exec_drop(
            format!("INSERT INTO {prefix}customers (氏名, email, 電話番号, 住所, 生年月日, 性別, memo, photo) VALUES (?, ?, ?, ?, ?, ?, 'VIP', x'0001')"),
            (n, e, p, a, b, g),
        )
        .unwrap();
    }
    let include = format!("test.{prefix}*");
    let out = piimap(&[
        "scan",
        MY,
        "--db-include",
        &include,
        "--format",
        "jsonl",
        "--db-connections",
        "3",
    ]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    assert_eq!(columns(&values), expected_columns(&prefix, true));
    rows_are_keyed(&values);
    let location = of_type(&values, "location")[0];
    assert_eq!(location["path"], format!("{MY}#test.{prefix}customers"));
    assert_eq!(location["subjects"], 4);
    assert!(
        connect(&Target::parse(MY).unwrap(), Timeouts::default()).unwrap().read_only().unwrap()
    );
}

/// A data-subject request across PostgreSQL and MariaDB: her rows are
/// found by reading (katakana, hiragana), by a capitalised e-mail, by +81
/// and by My Number; a namesake is only possible; an index of the same
/// scan answers the same.
#[test]
fn subject_requests_find_the_person_in_postgres_and_mariadb() {
    use mysql::prelude::Queryable;
    if !reachable(PG) || !reachable(MY) {
        return;
    }
    let schema = format!("piimap_subj_{}", std::process::id());
    let _pg = PgCleanup(schema.clone());
    let mut c = pg_admin().unwrap();
    c.batch_execute(&format!(
        "CREATE SCHEMA {schema};
         CREATE TABLE {schema}.members (id int PRIMARY KEY, フリガナ text, email text, 個人番号 text);
         INSERT INTO {schema}.members VALUES
           (41, 'タカハシ ミサキ', 'MISAKI.TAKAHASHI@DOCOMO.NE.JP', '482019375611'),
           (42, 'タカハシ ミサキ', 'misaki.t@docomo.ne.jp', NULL),
           (43, 'サトウ ハナコ', 'hanako.sato@docomo.ne.jp', NULL);"
    ))
    .unwrap();
    let prefix = format!("piimap_subj_{}_", std::process::id());
    let _my = MyCleanup(prefix.clone());
    let mut m = mysql::Conn::new(mysql::Opts::from_url(MY).unwrap()).unwrap();
    m.query_drop(format!(
        "CREATE TABLE {prefix}customers (id INT PRIMARY KEY, name VARCHAR(64), tel VARCHAR(32), birthday DATE) CHARACTER SET utf8mb4;
         INSERT INTO {prefix}customers VALUES (5, 'Takahashi Misaki', '+81 90-5555-0142', '1987-06-15'), (6, 'Misaki Takahashi', '080-5555-0199', '1990-01-01')"
    ))
    .unwrap();
    let pg_include = format!("{schema}.*");
    let my_include = format!("test.{prefix}*");
    let ask = [
        "--kana",
        "たかはし みさき",
        "--email",
        "misaki.takahashi@docomo.ne.jp",
        "--phone",
        "+81-90-5555-0142",
        "--my-number",
        "4820 1937 5611",
        "--format",
        "json",
    ];
    let targets = [PG, MY, "--db-include", &pg_include, "--db-include", &my_include];
    let args: Vec<&str> = ["subject"].iter().chain(&targets).chain(&ask).copied().collect();
    let out = piimap(&args);
    let json = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(code(&out), 1, "{json}{}", String::from_utf8_lossy(&out.stderr));
    let answer: Value = serde_json::from_str(&json).unwrap();
    let got: Vec<(String, String, String, String)> = answer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["path"].as_str().unwrap().to_string(),
                m["place"]["row"].as_str().unwrap().to_string(),
                m["strength"].as_str().unwrap().to_string(),
                m["agreed"].to_string(),
            )
        })
        .collect();
    let pg = format!("{PG}#{schema}.members");
    let my = format!("{MY}#test.{prefix}customers");
    let s = |x: &str| x.to_string();
    let mut want = vec![
        (pg.clone(), s("41"), s("strong"), s(r#"["name","email","my_number"]"#)),
        (pg, s("42"), s("possible"), s(r#"["name"]"#)),
        (my.clone(), s("5"), s("strong"), s(r#"["name","phone"]"#)),
        (my, s("6"), s("possible"), s(r#"["name"]"#)),
    ];
    want.sort();
    assert_eq!(got, want);
    for raw in ["482019375611", "MISAKI.TAKAHASHI", "タカハシ", "Takahashi", "5555-0142"] {
        assert!(!json.contains(raw), "{raw}");
    }
    // The same from an index of a scan of the same tables.
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("db.idx");
    let index = index.to_str().unwrap();
    let scan: Vec<&str> =
        ["scan"].iter().chain(&targets).chain(&["--index", index, "-q"]).copied().collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(&scan)
        .env("PIIMAP_INDEX_KEY", "db test secret")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let query: Vec<&str> = ["subject", "--index", index].iter().chain(&ask).copied().collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(&query)
        .env("PIIMAP_INDEX_KEY", "db test secret")
        .output()
        .unwrap();
    let mut from_index: Value = serde_json::from_slice(&out.stdout).unwrap();
    from_index["source"] = "scan".into();
    assert_eq!(from_index, answer);
}

#[test]
fn item20_a_terminated_postgres_session_is_named_in_words_and_the_scan_goes_on() {
    if !reachable(PG) {
        return;
    }
    let schema = format!("piimap_kill_{}", std::process::id());
    let _cleanup = PgCleanup(schema.clone());
    pg_admin()
        .unwrap()
        .batch_execute(&format!(
            "CREATE SCHEMA {schema};
             CREATE TABLE {schema}.a_people (氏名 text, 電話番号 text);
             INSERT INTO {schema}.a_people VALUES ('山田 太郎', '090-5555-0101');
             CREATE VIEW {schema}.b_slow AS SELECT pg_sleep(30)::text AS s;"
        ))
        .unwrap();
    let include = format!("{schema}.*");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(["scan", PG, "--db-views", "--db-include", &include, "--db-connections", "1"])
        .args(["--format", "jsonl"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A DBA ends piimap's session, found by its name, while the view runs.
    let mut admin = pg_admin().unwrap();
    let sleeping = format!(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'piimap' AND query LIKE '%{schema}%b_slow%'"
    );
    let mut killed = 0;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        for row in admin.query(sleeping.as_str(), &[]).unwrap() {
            let pid: i32 = row.get(0);
            admin.execute("SELECT pg_terminate_backend($1)", &[&pid]).unwrap();
            killed += 1;
        }
        if killed > 0 {
            break;
        }
    }
    assert_eq!(killed, 1, "no piimap session was running the view");
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    // The server's own words, or, when the close outran them, what the
    // closed connection says (never the client's `connection closed`).
    let errors: Vec<(String, bool)> = of_type(&values, "error")
        .iter()
        .map(|e| {
            let message = e["message"].as_str().unwrap();
            let said = message == "terminating connection due to administrator command"
                || message.starts_with("the server closed the connection (an administrator");
            (e["path"].as_str().unwrap().into(), said)
        })
        .collect();
    assert_eq!(errors, [(format!("{PG}#{schema}.b_slow"), true)], "{values:?}");
    let tables: Vec<&str> =
        of_type(&values, "location").iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(tables, [format!("{PG}#{schema}.a_people")]);
}

#[test]
fn item20_mariadb_errors_are_the_servers_words_not_the_clients_debug_form() {
    if !reachable(MY) {
        return;
    }
    let url = MY.replacen("root", "piimap_nobody", 1);
    assert_ne!(url, MY);
    let out = piimap(&["scan", &url, "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.starts_with("ERROR 1045 (28000): Access denied for user"), "{message}");
    assert!(!message.contains("MySqlError") && !message.contains('{'), "{message}");
}

/// Scans `target` as json with `--state`, returning the inventory and what
/// the state line says.
fn scan_with_state(target: &str, include: &str, state: &std::path::Path) -> (Value, String) {
    let o = piimap(&[
        "scan",
        target,
        "--db-include",
        include,
        "--format",
        "json",
        "--exit-code",
        "0",
        "--state",
        state.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(code(&o), 0, "{err}");
    (serde_json::from_slice(&o.stdout).unwrap(), err)
}

/// Rows read per table of an inventory.
fn rows_read(doc: &Value) -> Vec<(String, u64)> {
    let locations = doc["locations"].as_array().unwrap();
    let table = |l: &Value| l["path"].as_str().unwrap().rsplit('.').next().unwrap().to_string();
    locations.iter().map(|l| (table(l), l["rows_read"].as_u64().unwrap())).collect()
}

#[test]
fn tables_are_read_again_only_when_the_database_says_they_changed() {
    // SQLite: any write to the file reads its tables again.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.sqlite");
    let state = dir.path().join("state.db");
    let lite = rusqlite::Connection::open(&db).unwrap();
    lite.execute_batch(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, email TEXT);
         CREATE TABLE b (id INTEGER PRIMARY KEY, email TEXT);
         INSERT INTO a (email) VALUES ('taro.yamada@docomo.ne.jp');
         INSERT INTO b (email) VALUES ('hanako.sato@docomo.ne.jp');",
    )
    .unwrap();
    let target = format!("sqlite:{}", db.display());
    let (first, said) = scan_with_state(&target, "*", &state);
    assert!(said.contains("every item read"), "{said}");
    let (again, said) = scan_with_state(&target, "*", &state);
    assert!(said.contains("2 items unchanged"), "{said}");
    assert_eq!(rows_read(&again), rows_read(&first));
    lite.execute("INSERT INTO a (email) VALUES ('ichiro.suzuki@docomo.ne.jp')", []).unwrap();
    drop(lite);
    let (later, said) = scan_with_state(&target, "*", &state);
    assert!(said.contains("every item read"), "{said}");
    assert_eq!(rows_read(&later), [("a".to_string(), 2), ("b".to_string(), 1)]);

    // PostgreSQL: a table whose insert/update/delete counters moved.
    if !reachable(PG) {
        return;
    }
    let schema = format!("piimap_state_{}", std::process::id());
    let _cleanup = PgCleanup(schema.clone());
    let include = format!("{schema}.*");
    let state = dir.path().join("pg-state.db");
    let mut c = pg_admin().unwrap();
    c.batch_execute(&format!(
        "CREATE SCHEMA {schema};
         CREATE TABLE {schema}.a (id serial PRIMARY KEY, email text);
         CREATE TABLE {schema}.b (id serial PRIMARY KEY, email text);
         INSERT INTO {schema}.a (email) VALUES ('taro.yamada@docomo.ne.jp');
         INSERT INTO {schema}.b (email) VALUES ('hanako.sato@docomo.ne.jp');"
    ))
    .unwrap();
    drop(c);
    // A session's counters reach the statistics when it ends: wait for them.
    let inserted = |table: &str, want: i64| {
        for _ in 0..100 {
            let mut c = pg_admin().unwrap();
            let n: i64 = c
                .query_one(
                    "SELECT coalesce(n_tup_ins, 0) FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2",
                    &[&schema, &table],
                )
                .unwrap()
                .get(0);
            if n >= want {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("PostgreSQL never counted the insert into {table}");
    };
    inserted("a", 1);
    inserted("b", 1);
    let (_, said) = scan_with_state(PG, &include, &state);
    assert!(said.contains("every item read"), "{said}");
    let (_, said) = scan_with_state(PG, &include, &state);
    assert!(said.contains("2 items unchanged"), "{said}");
    let mut c = pg_admin().unwrap();
    c.batch_execute(&format!(
        "INSERT INTO {schema}.a (email) VALUES ('ichiro.suzuki@docomo.ne.jp')"
    ))
    .unwrap();
    drop(c);
    inserted("a", 2);
    let (later, said) = scan_with_state(PG, &include, &state);
    assert!(said.contains("1 item unchanged"), "{said}");
    assert_eq!(rows_read(&later), [("a".to_string(), 2), ("b".to_string(), 1)]);
}

/// A database of its own for a test, dropped when the test ends.
struct PgDatabase(String);

impl PgDatabase {
    fn create(name: String) -> PgDatabase {
        let mut c = pg_admin().unwrap();
        // One statement each: neither may run in a transaction block.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        PgDatabase(name)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{}", self.0)
    }

    fn client(&self) -> postgres::Client {
        let config = format!("host=127.0.0.1 port=5432 user=postgres dbname={}", self.0);
        postgres::Client::connect(&config, postgres::NoTls).unwrap()
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = pg_admin() {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0));
        }
    }
}

/// The SQL blocks of a Markdown file.
fn sql_blocks(markdown: &str) -> Vec<String> {
    markdown.split("```sql\n").skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect()
}

#[test]
fn export_writes_a_run_once_and_answers_the_documented_questions() {
    if !reachable(PG) {
        return;
    }
    let db = PgDatabase::create(format!("piimap_export_{}", std::process::id()));
    let t = Tree::new();
    t.file("営業/顧客.csv", "氏名,電話番号,マイナンバー\n山田 太郎,090-5555-0101,123456789018\n佐藤 花子,080-5555-0102,\n");
    t.file("総務/memo.txt", "mail: taro.yamada@docomo.ne.jp\n");
    t.file(
        "marketing/dm.csv",
        "氏名,メール,口座番号\n鈴木 一郎,ichiro@docomo.ne.jp,普通 1234567\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory.json");
    let inv = inventory.to_str().unwrap();
    let share = t.path().to_str().unwrap();
    assert_eq!(code(&piimap(&["scan", share, "--format", "json", "-q", "-o", inv])), 1);
    let export = |path: &str| {
        let o = piimap(&["export", path, "--db", &db.url()]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(code(&o), 0, "{err}");
        err
    };
    let said = export(inv);
    assert!(said.contains("written to") && said.contains("3 locations"), "{said}");
    let mut c = db.client();
    let snapshot = |c: &mut postgres::Client| -> Vec<(String, i64, String)> {
        ["runs", "locations", "location_categories", "location_purposes", "purposes", "problems"]
            .iter()
            .map(|t| {
                let row = c
                    .query_one(
                        &format!("SELECT count(*), coalesce(max(xmin::text), '') FROM piimap.{t}"),
                        &[],
                    )
                    .unwrap();
                (t.to_string(), row.get(0), row.get(1))
            })
            .collect()
    };
    let before = snapshot(&mut c);
    assert_eq!(before[1].1, 3, "{before:?}");
    // The same inventory again: nothing written, not even rewritten.
    assert!(export(inv).contains("already: nothing written"));
    assert_eq!(snapshot(&mut c), before);

    // The documented schema.
    let columns: Vec<String> = c
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'piimap' AND table_name = 'location_categories' ORDER BY ordinal_position",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(columns, ["run_id", "path", "category", "findings", "out_of_purpose"]);
    let categories: Vec<(String, i64)> = c
        .query(
            "SELECT category, findings FROM piimap.location_categories WHERE path LIKE '%顧客.csv' ORDER BY category",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        categories,
        [("my_number".to_string(), 1), ("name".to_string(), 2), ("phone".to_string(), 2)]
    );

    // A later scan of the share: `latest` shows it, not the first.
    std::fs::remove_file(t.path().join("総務/memo.txt")).unwrap();
    let second = dir.path().join("second.json");
    assert_eq!(
        code(&piimap(&["scan", share, "--format", "json", "-q", "-o", second.to_str().unwrap()])),
        1
    );
    export(second.to_str().unwrap());
    let latest: Vec<String> = c
        .query("SELECT folder FROM piimap.latest ORDER BY folder", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(latest, ["marketing", "営業"]);

    // The questions docs/export.md answers run, and answer.
    let doc = std::fs::read_to_string(root().join("docs/export.md")).unwrap();
    let queries = sql_blocks(&doc);
    assert_eq!(queries.len(), 3);
    let high: Vec<String> =
        c.query(&queries[0], &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect();
    assert!(high.iter().any(|p| p.ends_with("顧客.csv")), "{high:?}");
    let out_of_purpose: Vec<(String, String)> =
        c.query(&queries[1], &[]).unwrap().iter().map(|r| (r.get(0), r.get(2))).collect();
    assert_eq!(out_of_purpose, [("marketing".to_string(), "bank_account".to_string())]);
    let people: Vec<(String, i64)> =
        c.query(&queries[2], &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(people, [("unassigned".to_string(), 2), ("marketing".to_string(), 1)]);

    // No server there: an error naming the target without its password.
    let o = piimap(&[
        "export",
        inv,
        "--db",
        "postgres://postgres:s3cret@127.0.0.1:1/test",
        "--db-connect-timeout",
        "2",
    ]);
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("postgres://postgres@127.0.0.1:1/test") && !err.contains("s3cret"),
        "{err}"
    );
}

#[test]
fn mariadb_tables_are_read_again_when_their_update_time_moves() {
    use mysql::prelude::Queryable;
    if !reachable(MY) {
        return;
    }
    let prefix = format!("piimap_state_{}_", std::process::id());
    // MyCleanup drops {prefix}customers and {prefix}products.
    let _cleanup = MyCleanup(prefix.clone());
    let mut c = mysql::Conn::new(mysql::Opts::from_url(MY).unwrap()).unwrap();
    for table in ["customers", "products"] {
        c.query_drop(format!(
            "CREATE TABLE {prefix}{table} (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(128)) ENGINE=InnoDB"
        ))
        .unwrap();
        c.query_drop(format!(
            "INSERT INTO {prefix}{table} (email) VALUES ('taro.yamada@docomo.ne.jp')"
        ))
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let include = format!("test.{prefix}*");
    // Written within the last seconds: read, and not remembered (the
    // update time has whole seconds).
    let (_, said) = scan_with_state(MY, &include, &state);
    assert!(said.contains("every item read"), "{said}");
    // Older than 2 s by the server's clock, whose times are whole seconds:
    // 2.5 s after a write at 10.0, NOW() may still say 12 and the write
    // 10, not yet older than 2 s. 3.5 s is past that whatever the fraction.
    let settle = std::time::Duration::from_millis(3500);
    std::thread::sleep(settle);
    let (_, said) = scan_with_state(MY, &include, &state);
    assert!(said.contains("every item read"), "{said}");
    let (_, said) = scan_with_state(MY, &include, &state);
    assert!(said.contains("2 items unchanged"), "{said}");
    c.query_drop(format!(
        "INSERT INTO {prefix}customers (email) VALUES ('hanako.sato@docomo.ne.jp')"
    ))
    .unwrap();
    std::thread::sleep(settle);
    let (later, said) = scan_with_state(MY, &include, &state);
    assert!(said.contains("1 item unchanged"), "{said}");
    let want = [(format!("{prefix}customers"), 2), (format!("{prefix}products"), 1)];
    assert_eq!(rows_read(&later), want);
}
