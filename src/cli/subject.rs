//! `piimap subject`: a data-subject request → [`Request`] → a scan with a
//! [`Matcher`] watching (or an answer from a subject index) → the answer →
//! exit code. Also the index key (`--index-key-file`, `PIIMAP_INDEX_KEY`)
//! that `scan --index` and `subject --index` share.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::scan::{LangArg, Mode, Setup, Sources, config, output};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use piimap::report::subject::{SubjectFormat, write};
use piimap::scan::Discard;
use piimap::subject::index::Index;
use piimap::subject::{Answer, IndexKey, Matcher, Query, Request, Rules};

/// The environment variable holding the index key's secret.
pub(super) const INDEX_KEY_ENV: &str = "PIIMAP_INDEX_KEY";

#[derive(Debug, Args)]
pub(super) struct SubjectArgs {
    #[command(flatten)]
    sources: Sources,
    /// The person's name: kanji, kana or Latin letters, either order (repeatable).
    #[arg(long, value_name = "NAME")]
    name: Vec<String>,
    /// The reading of the name in kana (katakana, hiragana or half-width).
    #[arg(long, value_name = "READING")]
    kana: Vec<String>,
    /// An e-mail address (repeatable).
    #[arg(long, value_name = "ADDR")]
    email: Vec<String>,
    /// A phone number, any format (+81 or 0, full-width, hyphens).
    #[arg(long, value_name = "NUM")]
    phone: Vec<String>,
    /// The birth date: 1985-04-01, 1985/4/1, 昭和60年4月1日, S60.4.1 …
    #[arg(long, value_name = "DATE")]
    birth_date: Vec<String>,
    /// A postal address (with or without prefecture and building).
    #[arg(long, value_name = "ADDR")]
    address: Vec<String>,
    /// A postal code.
    #[arg(long, value_name = "CODE")]
    postal_code: Vec<String>,
    /// The My Number (個人番号).
    #[arg(long, value_name = "N")]
    my_number: Vec<String>,
    /// A bank account number (its last seven digits are compared).
    #[arg(long, value_name = "NUM")]
    account: Vec<String>,
    /// A government id: passport, driver's licence, pension number …
    #[arg(long, value_name = "ID")]
    government_id: Vec<String>,
    /// Answer from the index written by `scan --index FILE` instead of
    /// scanning (no target is read).
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
    /// The secret keying the index (default: the PIIMAP_INDEX_KEY environment variable).
    #[arg(long, value_name = "FILE")]
    index_key_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SubjectFormatArg::Text)]
    format: SubjectFormatArg,
    /// Language of the answer (default: ja; json holds ids).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write the answer to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show the values asked for and found unmasked. They are personal data.
    #[arg(long)]
    show_values: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SubjectFormatArg {
    Text,
    Json,
    Html,
}

/// The index key: from `file`, else from `PIIMAP_INDEX_KEY`.
pub(super) fn index_key(file: Option<&Path>) -> anyhow::Result<IndexKey> {
    let secret = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the index key {}", path.display()))?,
        None => std::env::var(INDEX_KEY_ENV).unwrap_or_default(),
    };
    anyhow::ensure!(
        !secret.trim().is_empty(),
        "a subject index needs a key: --index-key-file FILE or {INDEX_KEY_ENV} (a secret kept apart from the index)"
    );
    Ok(IndexKey::derive(&secret))
}

pub(super) fn run(args: SubjectArgs) -> anyhow::Result<u8> {
    // Refused before the search, rather than ignored after it.
    anyhow::ensure!(
        args.lang.is_none() || !matches!(args.format, SubjectFormatArg::Json),
        "--lang applies to the text and html answers, not to --format json"
    );
    let request = Request {
        name: args.name.clone(),
        kana: args.kana.clone(),
        email: args.email.clone(),
        phone: args.phone.clone(),
        birth_date: args.birth_date.clone(),
        address: args.address.clone(),
        postal_code: args.postal_code.clone(),
        my_number: args.my_number.clone(),
        account: args.account.clone(),
        government_id: args.government_id.clone(),
    };
    let rules = Rules::builtin().map_err(|e| anyhow::anyhow!("patterns/subject.toml: {e}"))?;
    let key = match &args.index {
        Some(_) => index_key(args.index_key_file.as_deref())?,
        None => IndexKey::random(),
    };
    let query = Query::new(&request, key, args.show_values).map_err(|e| anyhow::anyhow!(e))?;
    let mut out = output(args.output.as_deref())?;
    let answer = match &args.index {
        Some(path) => Index::open(path)?.answer(rules, &query)?,
        None => search(&args, rules, &query)?,
    };
    let format = match args.format {
        SubjectFormatArg::Text => SubjectFormat::Text,
        SubjectFormatArg::Json => SubjectFormat::Json,
        SubjectFormatArg::Html => SubjectFormat::Html,
    };
    write(&answer, format, args.lang.unwrap_or_default().lang(), &mut out)
        .context("writing the answer")?;
    out.flush().context("writing the answer")?;
    Ok(exit_code(&answer))
}

/// Scans the targets with a [`Matcher`] watching.
fn search(args: &SubjectArgs, rules: &Rules, query: &Query) -> anyhow::Result<Answer> {
    let project = config(&args.sources)?;
    let setup = Setup::new(&args.sources, None, &project)?;
    let matcher = Matcher::new(rules, query, args.show_values);
    let mode = Mode {
        output: args.output.as_deref(),
        streams: false,
        scope: None,
        history: false,
        show_values: false,
        evidence: 0,
        observer: Some(&matcher),
        shard: None,
        state: None,
    };
    let inventory = setup.scan(&args.sources, &mode, &project, None, None, &Discard)?;
    Ok(matcher.answer(&inventory.errors, &inventory.skipped))
}

/// 2 when something could not be searched (the answer may be incomplete),
/// else 1 when something matched, else 0.
fn exit_code(answer: &Answer) -> u8 {
    if !answer.errors.is_empty() {
        EXIT_ERROR
    } else if answer.summary.strong + answer.summary.possible > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
