//! Keys of structured text: where each value of a line stands and what key
//! it is under, so that keys act for values the way a CSV header acts for
//! its columns — as context before detection (`"sex": "F"` is a gender,
//! `(…, '1985-04-01', …)` under `birth_date` a birth date) and as the
//! finding's `field` after it:
//!
//! - JSON / NDJSON: the object member's key (`"tel": "090…"`), nested
//!   objects by their own keys, an array's strings by the array's key;
//! - XML: the enclosing element (`<tel>090…</tel>`) or the attribute
//!   (`<customer tel="090…">`);
//! - YAML: `key: value` (also as a list item, `- tel: 090…`);
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
    /// YAML.
    Yaml,
    /// An SQL dump, with what its statements so far have declared.
    Sql(Sql),
}

/// One value of a line: its byte range in the line, its key (an index into
/// [`Values::keys`]) and, for SQL dump rows, its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    start: u32,
    end: u32,
    /// Index into [`Values::keys`].
    pub key: u32,
    /// Index into the tables of [`Values`] and the row's ordinal there.
    row: Option<(u32, u32)>,
}

impl Value {
    /// The value's byte range in its line.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The values of a text's lines, with their keys. Its size follows the
/// text's values: a chunk's worth at a time.
#[derive(Debug, Default)]
pub struct Values {
    /// The distinct keys, in order of first appearance.
    pub keys: Vec<String>,
    key_index: HashMap<String, u32>,
    /// Tables whose rows the values are in (SQL dumps).
    tables: Vec<String>,
    values: Vec<Value>,
    /// Per line, where its values start in `values`; one more at the end.
    lines: Vec<u32>,
}

impl Values {
    /// The values of line `line` (0-based), in order.
    pub fn on_line(&self, line: usize) -> &[Value] {
        match (self.lines.get(line), self.lines.get(line + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The value of line `line` that byte `offset` of it falls in.
    pub fn at(&self, line: usize, offset: usize) -> Option<&Value> {
        let values = self.on_line(line);
        let i = values.partition_point(|v| v.start as usize <= offset).checked_sub(1)?;
        Some(&values[i]).filter(|v| offset < (v.end as usize).max(v.start as usize + 1))
    }

    /// Whether the values are table rows (an SQL dump's), whose columns
    /// hold one kind of value each, rather than a document's keys.
    pub fn is_tabular(&self) -> bool {
        !self.tables.is_empty()
    }

    /// The SQL row (`table#n`) of a value, if it is in one.
    pub fn row(&self, value: &Value) -> Option<String> {
        value.row.map(|(table, n)| format!("{}#{n}", self.tables[table as usize]))
    }

    fn key(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.key_index.get(key) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(key.to_string());
        self.key_index.insert(key.to_string(), i);
        i
    }

    fn table(&mut self, table: &str) -> u32 {
        match self.tables.iter().position(|t| t == table) {
            Some(i) => i as u32,
            None => {
                self.tables.push(table.to_string());
                self.tables.len() as u32 - 1
            }
        }
    }

    /// Adds a value of the line being read; an empty key or value is none.
    fn push(&mut self, span: std::ops::Range<usize>, key: &str, row: Option<(u32, u32)>) {
        if key.is_empty() || span.is_empty() {
            return;
        }
        let key = self.key(key);
        let (start, end) = (span.start as u32, span.end as u32);
        self.values.push(Value { start, end, key, row });
    }
}

impl Syntax {
    /// Recognises a syntax by extension or by how the text starts.
    pub fn sniff(path: &Path, text: &str) -> Option<Syntax> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let start = text.trim_start_matches('\u{feff}').trim_start();
        match ext.as_str() {
            "json" | "ndjson" | "jsonl" | "geojson" => return Some(Syntax::Json),
            "xml" | "xhtml" | "plist" | "svg" => return Some(Syntax::Xml),
            "yaml" | "yml" => return Some(Syntax::Yaml),
            "sql" => return Some(Syntax::Sql(Sql::default())),
            _ => {}
        }
        if start.starts_with('{') || start.starts_with("[{") || start.starts_with("[\n") {
            Some(Syntax::Json)
        } else if start.starts_with("<?xml") {
            Some(Syntax::Xml)
        } else if start.starts_with("---\n") || start.starts_with("%YAML") {
            Some(Syntax::Yaml)
        } else if text.lines().take(200).any(|l| sql_statement(l).is_some()) {
            Some(Syntax::Sql(Sql::default()))
        } else {
            None
        }
    }

    /// Reads the lines of `text` (in order: a dump's statements declare
    /// what its later lines mean) and lists where their values are.
    pub fn values(&mut self, text: &str) -> Values {
        let mut values = Values::default();
        for line in text.split('\n') {
            values.lines.push(values.values.len() as u32);
            let line = line.strip_suffix('\r').unwrap_or(line);
            match self {
                Syntax::Json => json(line, &mut values),
                Syntax::Xml => xml(line, &mut values),
                Syntax::Yaml => yaml(line, &mut values),
                Syntax::Sql(sql) => sql.line(line, &mut values),
            }
        }
        values.lines.push(values.values.len() as u32);
        values
    }

    /// Whether a chunk's meaning depends on the chunks before it.
    pub fn stateful(&self) -> bool {
        matches!(self, Syntax::Sql(_))
    }

    /// The same syntax with nothing read yet, for another part of the file.
    pub fn fresh(&self) -> Syntax {
        match self {
            Syntax::Json => Syntax::Json,
            Syntax::Xml => Syntax::Xml,
            Syntax::Yaml => Syntax::Yaml,
            Syntax::Sql(_) => Syntax::Sql(Sql::default()),
        }
    }
}

/// The end of the JSON string whose opening quote is at `open`: the index of
/// its closing quote (or the line's end).
fn json_string_end(b: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// The values of a line of JSON: strings and numbers after `"key":`, and
/// the strings of an array after `"key": [`.
fn json(line: &str, out: &mut Values) {
    let b = line.as_bytes();
    let skip_space = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    // The key whose value comes next, and the key of the array being read.
    let (mut key, mut array): (Option<&str>, Option<&str>) = (None, None);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = json_string_end(b, i);
                let after = skip_space(end + 1);
                if b.get(after) == Some(&b':') {
                    key = Some(&line[i + 1..end]);
                    i = after + 1;
                    continue;
                }
                if let Some(k) = key.take().or(array) {
                    out.push(i + 1..end, k, None);
                }
                i = end + 1;
            }
            b'[' => {
                array = key.take();
                i += 1;
            }
            b']' | b'{' => {
                (key, array) = (None, None);
                i += 1;
            }
            b',' | b'}' => {
                key = None;
                i += 1;
            }
            c if key.is_some() && (c.is_ascii_digit() || c == b'-' || c == b'+') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace())
                    .map_or(b.len(), |n| i + n);
                out.push(i..end, key.take().unwrap_or_default(), None);
                i = end;
            }
            _ => i += 1,
        }
    }
}

/// The values of a line of XML: element text under its element, attribute
/// values under their attribute.
fn xml(line: &str, out: &mut Values) {
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(open) = memchr::memchr(b'<', &b[i..]).map(|n| i + n) {
        let tag = &line[open + 1..];
        let Some(close) = tag.find('>').map(|n| open + 1 + n) else { return };
        i = close + 1;
        if tag.starts_with(['/', '!', '?']) {
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(close, |n| open + 1 + n);
        let element = local(&line[open + 1..name_end]);
        attributes(line, name_end..close, out);
        if b[close - 1] == b'/' {
            continue;
        }
        // The element's text, up to the next tag (or the line's end).
        let text_end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |n| i + n);
        let text = &line[i..text_end];
        let lead = text.len() - text.trim_start().len();
        out.push(i + lead..i + text.trim_end().len(), element, None);
    }
}

/// The `name="value"` attributes inside a tag's `range` of `line`.
fn attributes(line: &str, range: std::ops::Range<usize>, out: &mut Values) {
    let b = line.as_bytes();
    let mut i = range.start;
    while let Some(eq) = memchr::memchr(b'=', &b[i..range.end]).map(|n| i + n) {
        let name = line[i..eq].trim_end();
        let name = &name[name.rfind(char::is_whitespace).map_or(0, |n| n + 1)..];
        let open =
            eq + 1 + (b[eq + 1..range.end].len() - line[eq + 1..range.end].trim_start().len());
        let Some(&quote) = b.get(open).filter(|&&q| q == b'"' || q == b'\'') else { return };
        let Some(end) = memchr::memchr(quote, &b[open + 1..range.end]).map(|n| open + 1 + n) else {
            return;
        };
        out.push(open + 1..end, local(name), None);
        i = end + 1;
    }
}

/// A name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of a line of YAML: `key: value`, `- key: value`, without
/// quotes and a trailing comment. Block scalars and flow collections give
/// none.
fn yaml(line: &str, out: &mut Values) {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    if body.starts_with('#') {
        return;
    }
    let Some(colon) = body.find(": ") else { return };
    let key = body[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
    let offset = line.len() - body.len() + colon + 2;
    let mut value = &line[offset..];
    if let Some(comment) = value.find(" #") {
        value = &value[..comment];
    }
    let lead = value.len() - value.trim_start().len();
    let value = value.trim();
    if value.starts_with(['|', '>', '{', '[', '&', '*']) {
        return;
    }
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    let (start, len) =
        if quoted { (offset + lead + 1, value.len() - 2) } else { (offset + lead, value.len()) };
    out.push(start..start + len, key, None);
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
    rows: HashMap<String, u32>,
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
    fn line(&mut self, line: &str, out: &mut Values) {
        if let Some((table, columns)) = self.copying.take() {
            if line == "\\." {
                return;
            }
            let row = Some((out.table(&table), self.next_row(&table)));
            let mut start = 0;
            for (column, field) in columns.iter().zip(line.split('\t')) {
                // `\N` is PostgreSQL's NULL.
                if field != "\\N" {
                    out.push(start..start + field.len(), column, row);
                }
                start += field.len() + 1;
            }
            self.copying = Some((table, columns));
            return;
        }
        if let Some((_, columns)) = &mut self.creating {
            let def = line.trim();
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
            return;
        }
        match sql_statement(line) {
            Some(Statement::Create) => {
                let rest = &line.trim_start()["CREATE TABLE".len()..];
                let rest = rest.trim_start().trim_start_matches("IF NOT EXISTS").trim_start();
                let name = rest.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
                self.creating = Some((table_name(name), Vec::new()));
            }
            Some(Statement::Copy) => {
                let rest = line.trim_start()[5..].trim_start();
                let (name, columns) = name_and_columns(rest);
                let columns = columns.unwrap_or_else(|| self.columns_of(&name));
                self.copying = Some((name, columns));
            }
            Some(Statement::Insert) => self.insert(line, out),
            None => {}
        }
    }

    fn next_row(&mut self, table: &str) -> u32 {
        let n = self.rows.entry(table.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    fn columns_of(&self, table: &str) -> Vec<String> {
        self.tables.get(table).cloned().unwrap_or_default()
    }

    /// The values of the tuples of an `INSERT INTO t [(cols)] VALUES …`,
    /// each under its column, quotes left out.
    fn insert(&mut self, line: &str, out: &mut Values) {
        let start = line.len() - line.trim_start().len() + "INSERT INTO ".len();
        let (table, columns) = name_and_columns(&line[start..]);
        let columns = columns.unwrap_or_else(|| self.columns_of(&table));
        let Some(values) = find_ascii_ci(line, "VALUES") else { return };
        let table_index = out.table(&table);
        let bytes = line.as_bytes();
        let (mut depth, mut quote) = (0usize, None::<u8>);
        // The tuple being read: its row, its next field's index, where that
        // field starts.
        let (mut row, mut field, mut from) = (None, 0, 0);
        let mut put = |from: usize, to: usize, field: usize, row: Option<(u32, u32)>| {
            let raw = &line[from..to];
            let lead = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            let unquoted =
                trimmed.strip_prefix(['\'', '"']).and_then(|v| v.strip_suffix(['\'', '"']));
            let (s, len) = match unquoted {
                Some(v) => (from + lead + 1, v.len()),
                None if trimmed.eq_ignore_ascii_case("NULL") => return,
                None => (from + lead, trimmed.len()),
            };
            if let Some(column) = columns.get(field) {
                out.push(s..s + len, column, row);
            }
        };
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
                            row = Some((table_index, self.next_row(&table)));
                            (field, from) = (0, i + 1);
                        }
                    }
                    b')' => {
                        if depth == 1 {
                            put(from, i, field, row);
                        }
                        depth = depth.saturating_sub(1);
                    }
                    b',' if depth == 1 => {
                        put(from, i, field, row);
                        (field, from) = (field + 1, i + 1);
                    }
                    _ => {}
                },
            }
            i += 1;
        }
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

    /// Each value of `text` as (line, value, key, row).
    fn values(syntax: &mut Syntax, text: &str) -> Vec<(usize, String, String, String)> {
        let values = syntax.values(text);
        let lines: Vec<&str> = text.split('\n').collect();
        let mut out = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            for v in values.on_line(n) {
                out.push((
                    n,
                    line[v.span()].to_string(),
                    values.keys[v.key as usize].clone(),
                    values.row(v).unwrap_or_default(),
                ));
            }
        }
        out
    }

    fn v(line: usize, value: &str, key: &str, row: &str) -> (usize, String, String, String) {
        (line, value.to_string(), key.to_string(), row.to_string())
    }

    #[test]
    fn json_values_under_their_keys() {
        let line = r#"{"name": "山田 \"太郎\"", "age": 41, "contact": {"tel": "090-1234-5678"}, "mails": ["a@x.jp", "b@x.jp"], "ok": true, "note": "TEL: 03-1234-5678"}"#;
        assert_eq!(
            values(&mut Syntax::Json, line),
            [
                v(0, r#"山田 \"太郎\""#, "name", ""),
                v(0, "41", "age", ""),
                v(0, "090-1234-5678", "tel", ""),
                v(0, "a@x.jp", "mails", ""),
                v(0, "b@x.jp", "mails", ""),
                v(0, "TEL: 03-1234-5678", "note", "")
            ]
        );
        // Pretty-printed: a member a line.
        let text = "{\n  \"sex\": \"F\",\n  \"zip\": \"150-0001\"\n}";
        assert_eq!(
            values(&mut Syntax::Json, text),
            [v(1, "F", "sex", ""), v(2, "150-0001", "zip", "")]
        );
        let values = Syntax::Json.values(line);
        let at = |s: &str| {
            values.at(0, line.find(s).unwrap()).map(|v| values.keys[v.key as usize].as_str())
        };
        assert_eq!(at("1234-5678"), Some("tel"), "inside a value");
        assert_eq!(at("\"contact\""), None, "a key is no value");
    }

    #[test]
    fn xml_elements_and_attributes() {
        let line = r#"<c:customer kana="ヤマダ" id='7'><c:tel> 090-1234-5678 </c:tel><x/>03-1111-2222</c:customer>"#;
        assert_eq!(
            values(&mut Syntax::Xml, line),
            [v(0, "ヤマダ", "kana", ""), v(0, "7", "id", ""), v(0, "090-1234-5678", "tel", ""),]
        );
    }

    #[test]
    fn yaml_keys() {
        let text =
            "customer:\n  name: 山田 太郎 # 本人\n  - tel: \"090-1234-5678\"\n  note: |\n  sex: F";
        assert_eq!(
            values(&mut Syntax::Yaml, text),
            [v(1, "山田 太郎", "name", ""), v(2, "090-1234-5678", "tel", ""), v(4, "F", "sex", "")]
        );
    }

    #[test]
    fn sql_inserts_and_copy_blocks() {
        let text = "\
CREATE TABLE `customers` (
  `id` int NOT NULL,
  `name` varchar(64),
  `tel` varchar(20),
  PRIMARY KEY (`id`)
);
INSERT INTO `customers` VALUES (1,'O''Hara, Ken','090-1111-2222'),(2,'山田 (太郎)',NULL);
INSERT INTO public.staff (mail, tel) VALUES ('a@example.jp', '03-1234-5678');
COPY public.members (id, email, dob) FROM stdin;
7\ttaro@example.jp\t\\N
\\.
7\ttaro@example.jp";
        assert_eq!(
            values(&mut Syntax::Sql(Sql::default()), text),
            [
                v(6, "1", "id", "customers#1"),
                v(6, "O''Hara, Ken", "name", "customers#1"),
                v(6, "090-1111-2222", "tel", "customers#1"),
                v(6, "2", "id", "customers#2"),
                v(6, "山田 (太郎)", "name", "customers#2"),
                v(7, "a@example.jp", "mail", "staff#1"),
                v(7, "03-1234-5678", "tel", "staff#1"),
                v(9, "7", "id", "members#1"),
                v(9, "taro@example.jp", "email", "members#1"),
            ]
        );
        assert!(matches!(
            Syntax::sniff(Path::new("x.txt"), "-- dump\nINSERT INTO t VALUES (1);\n"),
            Some(Syntax::Sql(_))
        ));
        assert!(matches!(Syntax::sniff(Path::new("x.log"), "{\"a\":1}\n"), Some(Syntax::Json)));
        assert!(matches!(Syntax::sniff(Path::new("c.yml"), "a: 1\n"), Some(Syntax::Yaml)));
        assert!(Syntax::sniff(Path::new("x.txt"), "hello\n").is_none());
    }
}
