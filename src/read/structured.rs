//! Keys of structured text, so that a value found in it gets its key as
//! `field` the way a CSV value gets its column header:
//!
//! - JSON / NDJSON: the object key the value is under (`"tel": "090…"`);
//! - XML: the enclosing element (`<tel>090…</tel>`) or the attribute
//!   (`<customer tel="090…">`);
//! - SQL dumps: the column of an `INSERT INTO t (cols) VALUES (…), (…);`
//!   tuple (column names from the statement, else from the dump's
//!   `CREATE TABLE`), and of the tab-separated rows of a PostgreSQL
//!   `COPY t (cols) FROM stdin;` block. Each tuple is a row of its own,
//!   named `table#n` (its ordinal among the table's rows in the dump), so
//!   that one line of many tuples is many records.
//!
//! Line-based and forgiving: text that does not parse simply gets no key.

use std::collections::HashMap;
use std::path::Path;

/// Which structured syntax a file is in.
#[derive(Debug)]
pub enum Syntax {
    /// JSON or NDJSON.
    Json,
    /// XML.
    Xml,
    /// An SQL dump, with what its statements so far have declared.
    Sql(Sql),
}

/// Where a value sits in structured text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// Its key or column.
    pub field: Option<String>,
    /// For SQL dump rows: `table#n`.
    pub row: Option<String>,
}

impl Syntax {
    /// Recognises a syntax by extension or by how the text starts.
    pub fn sniff(path: &Path, text: &str) -> Option<Syntax> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let start = text.trim_start_matches('\u{feff}').trim_start();
        match ext.as_str() {
            "json" | "ndjson" | "jsonl" | "geojson" => return Some(Syntax::Json),
            "xml" | "xhtml" | "plist" | "svg" => return Some(Syntax::Xml),
            "sql" => return Some(Syntax::Sql(Sql::default())),
            _ => {}
        }
        if start.starts_with('{') || start.starts_with("[{") || start.starts_with("[\n") {
            Some(Syntax::Json)
        } else if start.starts_with("<?xml") {
            Some(Syntax::Xml)
        } else if text.lines().take(200).any(|l| sql_statement(l).is_some()) {
            Some(Syntax::Sql(Sql::default()))
        } else {
            None
        }
    }

    /// Reads one line (every line, in order, for SQL) and places the values
    /// found in it at byte `offsets`, returned in the same order.
    pub fn line(&mut self, line: &str, offsets: &[usize]) -> Vec<Place> {
        match self {
            Syntax::Json => offsets.iter().map(|&o| field(json_key(&line[..o]))).collect(),
            Syntax::Xml => offsets.iter().map(|&o| field(xml_key(&line[..o]))).collect(),
            Syntax::Sql(sql) => sql.line(line, offsets),
        }
    }

    /// Whether every line must be seen, in order, not only those with
    /// findings.
    pub fn stateful(&self) -> bool {
        matches!(self, Syntax::Sql(_))
    }

    /// The same syntax with nothing read yet, for another part of the file.
    pub fn fresh(&self) -> Syntax {
        match self {
            Syntax::Json => Syntax::Json,
            Syntax::Xml => Syntax::Xml,
            Syntax::Sql(_) => Syntax::Sql(Sql::default()),
        }
    }
}

fn field(key: Option<&str>) -> Place {
    Place { field: key.filter(|k| !k.is_empty()).map(str::to_string), row: None }
}

/// The key of the JSON member whose value starts or continues at the end
/// of `before`: the last `"key":` with nothing but the value's opening quote
/// after it.
fn json_key(before: &str) -> Option<&str> {
    let colon = before.rfind(':')?;
    let value = before[colon + 1..].trim_start();
    if !(value.is_empty() || value == "\"") {
        return None;
    }
    let key = before[..colon].trim_end().strip_suffix('"')?;
    Some(&key[key.rfind('"')? + 1..])
}

/// The element or attribute a value at the end of `before` is the text of.
fn xml_key(before: &str) -> Option<&str> {
    let open = before.rfind('<')?;
    let tag = &before[open + 1..];
    if tag.starts_with('/') || tag.starts_with('!') || tag.starts_with('?') {
        return None;
    }
    let name_end =
        tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(tag.len());
    if let Some(close) = tag.find('>') {
        // Element text: `<tel>090…`, unless the tag closed itself.
        return (!tag[..close].ends_with('/') && tag[close + 1..].find('<').is_none())
            .then(|| local(&tag[..name_end]));
    }
    // Inside the tag: an attribute value `name="…`.
    let quote = tag.rfind(['"', '\''])?;
    let name = tag[..quote].trim_end().strip_suffix('=')?.trim_end();
    let start = name.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    Some(local(&name[start..]))
}

/// A name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// What an SQL dump has declared so far.
#[derive(Debug, Default)]
pub struct Sql {
    /// Column names per table, from `CREATE TABLE`.
    tables: HashMap<String, Vec<String>>,
    /// The `CREATE TABLE` being read: its name and columns so far.
    creating: Option<(String, Vec<String>)>,
    /// The `COPY … FROM stdin` block being read: table and columns.
    copying: Option<(String, Vec<String>)>,
    /// Rows seen per table.
    rows: HashMap<String, u64>,
}

/// The statements that matter, by their first words.
#[derive(Debug, PartialEq, Eq)]
enum Statement {
    Insert,
    Create,
    Copy,
}

fn sql_statement(line: &str) -> Option<Statement> {
    // Every line of a dump comes here: compare in place, no allocation.
    let head = line.trim_start().as_bytes();
    let starts = |word: &str| {
        head.get(..word.len()).is_some_and(|h| h.eq_ignore_ascii_case(word.as_bytes()))
    };
    if starts("INSERT INTO ") {
        Some(Statement::Insert)
    } else if starts("CREATE TABLE") {
        Some(Statement::Create)
    } else if starts("COPY ") {
        Some(Statement::Copy)
    } else {
        None
    }
}

impl Sql {
    fn line(&mut self, line: &str, offsets: &[usize]) -> Vec<Place> {
        let none = || offsets.iter().map(|_| Place::default()).collect();
        let line_t = line.trim_end_matches('\r');
        if let Some((table, columns)) = self.copying.take() {
            if line_t == "\\." {
                return none();
            }
            let n = self.next_row(&table);
            let places = offsets
                .iter()
                .map(|&o| {
                    let index = line_t[..o.min(line_t.len())].matches('\t').count();
                    Place { field: columns.get(index).cloned(), row: Some(format!("{table}#{n}")) }
                })
                .collect();
            self.copying = Some((table, columns));
            return places;
        }
        if let Some((_, columns)) = &mut self.creating {
            let def = line_t.trim();
            if def.starts_with(')') {
                let (table, columns) = self.creating.take().unwrap_or_default();
                self.tables.insert(table, columns);
            } else if let Some(name) = def.split_whitespace().next() {
                let upper = name.to_ascii_uppercase();
                let constraint =
                    ["PRIMARY", "KEY", "UNIQUE", "CONSTRAINT", "INDEX", "FOREIGN", "CHECK"];
                if !constraint.contains(&upper.as_str()) {
                    columns.push(unquote(name).to_string());
                }
            }
            return none();
        }
        match sql_statement(line_t) {
            Some(Statement::Create) => {
                let rest = &line_t.trim_start()["CREATE TABLE".len()..];
                let rest = rest.trim_start().trim_start_matches("IF NOT EXISTS").trim_start();
                let name = rest.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
                self.creating = Some((table_name(name), Vec::new()));
                none()
            }
            Some(Statement::Copy) => {
                let rest = line_t.trim_start()[5..].trim_start();
                let (name, columns) = name_and_columns(rest);
                let columns = columns.unwrap_or_else(|| self.columns_of(&name));
                self.copying = Some((name, columns));
                none()
            }
            Some(Statement::Insert) => self.insert(line_t, offsets),
            None => none(),
        }
    }

    fn next_row(&mut self, table: &str) -> u64 {
        let n = self.rows.entry(table.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    fn columns_of(&self, table: &str) -> Vec<String> {
        self.tables.get(table).cloned().unwrap_or_default()
    }

    /// Places values in the tuples of an `INSERT INTO t [(cols)] VALUES …`.
    fn insert(&mut self, line: &str, offsets: &[usize]) -> Vec<Place> {
        let start = line.len() - line.trim_start().len() + "INSERT INTO ".len();
        let (table, columns) = name_and_columns(&line[start..]);
        let columns = columns.unwrap_or_else(|| self.columns_of(&table));
        let Some(values) = find_ascii_ci(line, "VALUES") else {
            return offsets.iter().map(|_| Place::default()).collect();
        };
        // Walk the tuples once: each tuple's (start, row) and each value's
        // start, then place the offsets.
        let mut tuples: Vec<(usize, u64, Vec<usize>)> = Vec::new();
        let (mut depth, mut quote) = (0usize, None::<u8>);
        let bytes = line.as_bytes();
        let mut i = values + "VALUES".len();
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(_) if b == b'\\' => i += 1,
                Some(q) if b == q => {
                    // A doubled quote is an escaped one.
                    if bytes.get(i + 1) == Some(&q) {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
                Some(_) => {}
                None => match b {
                    b'\'' | b'"' => quote = Some(b),
                    b'(' => {
                        depth += 1;
                        if depth == 1 {
                            let row = self.next_row(&table);
                            tuples.push((i, row, vec![i + 1]));
                        }
                    }
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 1 => {
                        if let Some(t) = tuples.last_mut() {
                            t.2.push(i + 1);
                        }
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        offsets
            .iter()
            .map(|&o| {
                let Some((_, row, starts)) = tuples.iter().rev().find(|t| t.0 < o) else {
                    return Place::default();
                };
                let index = starts.iter().rposition(|&s| s <= o).unwrap_or(0);
                Place { field: columns.get(index).cloned(), row: Some(format!("{table}#{row}")) }
            })
            .collect()
    }
}

/// `name (a, b)` → the table name and the column list, if there is one.
fn name_and_columns(rest: &str) -> (String, Option<Vec<String>>) {
    let rest = rest.trim_start();
    let end = rest.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(rest.len());
    let name = table_name(&rest[..end]);
    let after = rest[end..].trim_start();
    let columns = after.strip_prefix('(').and_then(|a| {
        let close = a.find(')')?;
        Some(a[..close].split(',').map(|c| unquote(c.trim()).to_string()).collect())
    });
    (name, columns)
}

/// A table name without schema and quotes: `public."Customers"` → `Customers`.
fn table_name(name: &str) -> String {
    unquote(name.rsplit('.').next().unwrap_or(name)).to_string()
}

fn unquote(name: &str) -> &str {
    name.trim_matches(|c| c == '`' || c == '"' || c == '[' || c == ']')
}

/// The byte offset of an ASCII word, ignoring case.
fn find_ascii_ci(hay: &str, word: &str) -> Option<usize> {
    hay.as_bytes().windows(word.len()).position(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(syntax: &mut Syntax, line: &str, values: &[&str]) -> Vec<(String, String)> {
        let offsets: Vec<usize> = values.iter().map(|v| line.find(v).unwrap()).collect();
        syntax
            .line(line, &offsets)
            .into_iter()
            .map(|p| (p.field.unwrap_or_default(), p.row.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn json_and_xml_keys() {
        let mut json = Syntax::Json;
        let line = r#"{"name": "山田 太郎", "contact": {"tel": "090-1234-5678"}, "note": "TEL: 03-1234-5678"}"#;
        assert_eq!(
            places(&mut json, line, &["山田", "090", "03-"]),
            [(s("name"), s("")), (s("tel"), s("")), (s(""), s(""))]
        );
        let mut xml = Syntax::Xml;
        let line = r#"<c:customer kana="ヤマダ"><c:tel>090-1234-5678</c:tel><x/>03-1111-2222"#;
        assert_eq!(
            places(&mut xml, line, &["ヤマダ", "090", "03-"]),
            [(s("kana"), s("")), (s("tel"), s("")), (s(""), s(""))]
        );
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn sql_inserts_and_copy_blocks() {
        let mut sql = Syntax::Sql(Sql::default());
        for l in [
            "CREATE TABLE `customers` (",
            "  `id` int NOT NULL,",
            "  `name` varchar(64),",
            "  `tel` varchar(20),",
            "  PRIMARY KEY (`id`)",
            ");",
        ] {
            assert_eq!(sql.line(l, &[]), []);
        }
        let line = "INSERT INTO `customers` VALUES (1,'O''Hara, Ken','090-1111-2222'),(2,'山田 (太郎)','090-3333-4444');";
        assert_eq!(
            places(&mut sql, line, &["O''Hara", "090-1111", "山田", "090-3333"]),
            [
                (s("name"), s("customers#1")),
                (s("tel"), s("customers#1")),
                (s("name"), s("customers#2")),
                (s("tel"), s("customers#2"))
            ]
        );
        let line = "INSERT INTO public.staff (mail, tel) VALUES ('a@example.jp', '03-1234-5678');";
        assert_eq!(places(&mut sql, line, &["03-"]), [(s("tel"), s("staff#1"))]);
        sql.line("COPY public.members (id, email) FROM stdin;", &[]);
        assert_eq!(
            places(&mut sql, "7\ttaro@example.jp", &["taro"]),
            [(s("email"), s("members#1"))]
        );
        sql.line("\\.", &[]);
        assert_eq!(places(&mut sql, "7\ttaro@example.jp", &["taro"]), [(s(""), s(""))]);
        assert!(matches!(
            Syntax::sniff(Path::new("x.txt"), "-- dump\nINSERT INTO t VALUES (1);\n"),
            Some(Syntax::Sql(_))
        ));
        assert!(matches!(Syntax::sniff(Path::new("x.log"), "{\"a\":1}\n"), Some(Syntax::Json)));
        assert!(Syntax::sniff(Path::new("x.txt"), "hello\n").is_none());
    }
}
