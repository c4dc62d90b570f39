//! `piimap scan`: arguments → [`ScanConfig`] → [`piimap::scan::scan`] → report
//! → exit code, and the line the scan ends with on stderr.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::progress::Bar;
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, PatternArgs};
use ignore::overrides::{Override, OverrideBuilder};
use piimap::Confidence;
use piimap::baseline::{self, Baseline, Recorder};
use piimap::config::{Allowlist, Config, Threshold};
use piimap::detect::DetectorSet;
use piimap::finding::{Category, Finding, FingerprintKey};
use piimap::identify::Rules;
use piimap::inventory::purposes::Risk;
use piimap::inventory::purposes::{Purposes, PurposesFile};
use piimap::inventory::{Inventory, Run};
use piimap::read::ocr::{Mode as OcrMode, Options as OcrOptions};
use piimap::report::{self, Format, StreamOptions, Streaming, TextOptions, labels::Lang};
use piimap::scan::{
    DbOptions, Discard, Evidence, Filter, Observer, Pipeline, Progress, ScanConfig, Sink, scan,
    scan_databases, scan_git, scan_history,
};
use piimap::source::WalkOptions;
use piimap::source::database::{Target, Timeouts};
use piimap::source::git::Scope;
use piimap::source::root::Root;
use piimap::source::shard::Shard;
use piimap::state::State;

#[derive(Debug, Args)]
pub(super) struct ScanArgs {
    #[command(flatten)]
    pub(super) sources: Sources,
    /// Output format (default: text).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Language of the html, markdown and csv reports (default: ja).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding has at least this confidence (`none`: never;
    /// default: `fail_on` of .piimap.toml, else low).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Text report: one block per location and the totals, no finding lines.
    #[arg(long)]
    summary: bool,
    /// Text report: list every database row's findings too (by default a
    /// table is summed up by its columns).
    #[arg(short, long, conflicts_with = "summary")]
    verbose: bool,
    /// Print raw values instead of masked ones. They are personal data: handle the output accordingly.
    #[arg(long)]
    show_values: bool,
    /// Scan only what the next commit adds (the staged lines of the git
    /// repository at TARGET), for pre-commit hooks.
    #[arg(long, conflicts_with_all = ["diff", "since", "history"])]
    staged: bool,
    /// Scan only the lines BASE..HEAD adds, for pull requests.
    #[arg(long, value_name = "BASE..HEAD", conflicts_with_all = ["since", "history"])]
    diff: Option<String>,
    /// Scan only the lines added since REV (REV..HEAD).
    #[arg(long, value_name = "REV", conflicts_with = "history")]
    since: Option<String>,
    /// Scan every file version in the git history of TARGET (all refs), each
    /// value reported once, at the commit that added it.
    #[arg(long)]
    history: bool,
    /// Exit 1 when a location's risk is at least LEVEL (instead of judging
    /// by finding confidence).
    #[arg(long, value_enum, value_name = "LEVEL", conflicts_with = "fail_on")]
    fail_on_risk: Option<RiskArg>,
    /// The exit code for findings (default 1; 0 reports without failing; 2
    /// stays reserved for errors).
    #[arg(long, value_name = "N", default_value_t = EXIT_FINDINGS, value_parser = exit_code)]
    exit_code: u8,
    /// Let well-known test data (example.com addresses, 090-0000-0000, 4111…)
    /// fail the scan too; it is always reported, at low confidence.
    #[arg(long)]
    fail_on_test_data: bool,
    /// Do not report findings accepted in this baseline (see `piimap baseline create`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Purposes of use and the location rules assigning them (TOML, as
    /// patterns/purposes.toml), instead of the privacy policy's built-in ones.
    #[arg(long, value_name = "FILE")]
    purposes: Option<PathBuf>,
    /// Findings kept per location as evidence for the json, csv, markdown
    /// and html reports (every finding still counts; text, jsonl and sarif
    /// list them all).
    #[arg(long, value_name = "N", default_value_t = piimap::scan::EVIDENCE_CAP)]
    evidence: usize,
    /// Also write a data-subject index to FILE: keyed fingerprints of every
    /// identifying value, no raw value (see `piimap subject --index`).
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
    /// The secret keying the index (default: the PIIMAP_INDEX_KEY environment variable).
    #[arg(long, value_name = "FILE", requires = "index")]
    index_key_file: Option<PathBuf>,
    /// Scan only shard I of N (1-based): every file and table is in exactly
    /// one shard, by a hash of its path; `auto` takes I and N from a Slurm
    /// array (SLURM_ARRAY_TASK_ID/COUNT) or a Kubernetes Indexed Job
    /// (JOB_COMPLETION_INDEX, with PIIMAP_SHARDS). Join the shards' --format
    /// json inventories with `piimap merge`.
    #[arg(long, value_name = "I/N|auto", value_parser = shard, conflicts_with_all = ["staged", "diff", "since", "history"])]
    shard: Option<Shard>,
    /// Keep what this scan learns in FILE (SQLite) and, on the next scan
    /// with it, read only files and tables that changed since (for the
    /// json, csv, markdown and html reports: the state keeps each
    /// location's aggregate, not its findings).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// With --state: read everything again (and refill the state).
    #[arg(long, requires = "state")]
    full_rescan: bool,
}

/// Parses `--shard`.
fn shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s, |name| std::env::var(name).ok())
}

/// What to read and how: the targets, database sampling, walking, workers
/// and detectors — shared by `scan`, `baseline create` and `subject`.
#[derive(Debug, Args)]
pub(super) struct Sources {
    /// Files or directories to scan, and databases: sqlite:PATH,
    /// postgres://USER@HOST:PORT/DB, mysql://USER@HOST:PORT/DB (passwords in
    /// the URL or PGPASSWORD / MYSQL_PWD; never printed).
    #[arg(default_value = ".")]
    targets: Vec<PathBuf>,
    /// Rows read per database table (a deterministic sample).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    sample_rows: u64,
    /// Read every row of every table.
    #[arg(long)]
    full: bool,
    /// Only tables whose schema.table matches GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    db_include: Vec<String>,
    /// Never tables whose schema.table matches GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    db_exclude: Vec<String>,
    /// Scan views too.
    #[arg(long)]
    db_views: bool,
    /// Connections per database (tables are read in parallel on them).
    #[arg(long, value_name = "N", default_value_t = 2)]
    db_connections: usize,
    /// Seconds to wait for a database server to connect and log in.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    db_connect_timeout: u64,
    /// Seconds one statement may run (the server cancels it; SQLite is
    /// stopped by piimap). Reads wait 10 s longer for a silent server.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    db_statement_timeout: u64,
    /// Worker threads (default: number of CPUs).
    #[arg(short = 'j', long)]
    jobs: Option<usize>,
    /// Do not honour .gitignore, .ignore or .piimapignore files.
    #[arg(long)]
    no_ignore: bool,
    /// Follow symbolic links.
    #[arg(short = 'L', long)]
    follow: bool,
    /// Skip (and report) files larger than SIZE (e.g. 512K, 100M, 2G;
    /// default: `max_filesize` of .piimap.toml, else 256M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_filesize: Option<u64>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Project configuration (allowlists, test data); default: .piimap.toml in
    /// the first target, if there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Do not look for these categories (comma-separated ids, e.g.
    /// `name,gender`): their detectors are not even compiled.
    #[arg(long, value_name = "CATEGORIES", value_delimiter = ',', value_parser = category)]
    skip_categories: Vec<Category>,
    /// Look for these categories only (comma-separated ids).
    #[arg(long, value_name = "CATEGORIES", value_delimiter = ',', value_parser = category, conflicts_with = "skip_categories")]
    categories: Vec<Category>,
    /// Only files matching GLOB; `!GLOB` leaves them out (repeatable; as
    /// ripgrep's -g, relative to the working directory).
    #[arg(short = 'g', long = "glob", value_name = "GLOB", allow_hyphen_values = true)]
    globs: Vec<String>,
    /// Leave out files matching GLOB (repeatable; the same as -g '!GLOB').
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Drop findings below this confidence before anything counts them.
    #[arg(long, value_enum, value_name = "LEVEL")]
    min_confidence: Option<ConfidenceArg>,
    /// Read text in pictures with Tesseract: `auto` images and PDF pages
    /// without a text layer; `always` every PDF page too; `never` lists
    /// images as skipped (judged by their name).
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    ocr: OcrArg,
    /// Tesseract's languages for OCR, `+`-joined.
    #[arg(long, value_name = "LANGS", default_value = "jpn+eng")]
    ocr_languages: String,
    /// Stop the OCR of one image or page after SECONDS (an error entry).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    ocr_timeout: u64,
    /// Skip (and report) images larger than SIZE instead of reading them
    /// by OCR.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "64M")]
    ocr_max_size: u64,
    /// Read at most N pages of one PDF or TIFF by OCR (the rest are listed
    /// as skipped).
    #[arg(long, value_name = "N", default_value_t = 50)]
    ocr_max_pages: u32,
    #[command(flatten)]
    patterns: PatternArgs,
}

/// How one scan runs, besides its sources: what the arguments of `scan`,
/// `baseline create` and `subject` decide.
pub(super) struct Mode<'a> {
    /// The report file (never scanned itself).
    pub(super) output: Option<&'a Path>,
    /// The report streams to standard output as the scan goes.
    pub(super) streams: bool,
    /// Only what a git change adds.
    pub(super) scope: Option<Scope>,
    /// Every version in the git history.
    pub(super) history: bool,
    /// Raw values in findings.
    pub(super) show_values: bool,
    /// Findings kept per location as evidence.
    pub(super) evidence: usize,
    /// Sees raw values (a subject index or search).
    pub(super) observer: Option<&'a dyn Observer>,
    /// Only this shard's files and tables.
    pub(super) shard: Option<Shard>,
    /// What earlier scans learned: unchanged items are not read.
    pub(super) state: Option<&'a State>,
}

impl ScanArgs {
    /// The report format.
    fn format(&self) -> Format {
        self.format.unwrap_or(FormatArg::Text).format()
    }

    /// The mode these arguments ask for.
    fn mode<'a>(
        &'a self,
        observer: Option<&'a dyn Observer>,
        state: Option<&'a State>,
    ) -> anyhow::Result<Mode<'a>> {
        let scope = if self.staged {
            Some(Scope::Staged)
        } else if let Some(range) = &self.diff {
            Some(
                Scope::range(range)
                    .with_context(|| format!("--diff wants BASE..HEAD, not {range:?}"))?,
            )
        } else {
            self.since.as_ref().map(|rev| Scope::Range { base: rev.clone(), head: "HEAD".into() })
        };
        Ok(Mode {
            output: self.output.as_deref(),
            streams: self.format().streams(),
            scope,
            history: self.history,
            show_values: self.show_values,
            evidence: self.evidence,
            observer,
            shard: self.shard,
            state,
        })
    }
}

/// Parses a category id (`postal_code`).
fn category(id: &str) -> Result<Category, String> {
    Category::ALL.into_iter().find(|c| c.id() == id).ok_or_else(|| {
        let ids: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
        format!("unknown category `{id}` (one of {})", ids.join(", "))
    })
}

/// `--format`: the scan-time formats and the inventory's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum FormatArg {
    Text,
    Jsonl,
    Sarif,
    Json,
    Csv,
    Markdown,
    Html,
}

impl FormatArg {
    pub(super) fn format(self) -> Format {
        match self {
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

/// `--lang`: the language of the HTML and Markdown reports.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub(super) enum LangArg {
    #[default]
    Ja,
    En,
}

impl LangArg {
    pub(super) fn lang(self) -> Lang {
        match self {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

/// The language of a report in `format`: `--lang` is refused where it would
/// be ignored (text is bilingual; jsonl, sarif and json hold ids).
pub(super) fn report_lang(format: Format, lang: Option<LangArg>) -> anyhow::Result<Lang> {
    match lang {
        Some(lang) if format.has_language() => Ok(lang.lang()),
        Some(_) => anyhow::bail!(
            "--lang applies to the html, markdown and csv reports, not to --format {}",
            format.name()
        ),
        None => Ok(Lang::Ja),
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// `--ocr`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum OcrArg {
    Auto,
    Always,
    Never,
}

impl Sources {
    /// What the `--ocr*` options say.
    fn ocr(&self) -> OcrOptions {
        OcrOptions {
            mode: match self.ocr {
                OcrArg::Auto => OcrMode::Auto,
                OcrArg::Always => OcrMode::Always,
                OcrArg::Never => OcrMode::Never,
            },
            languages: self.ocr_languages.clone(),
            timeout: Duration::from_secs(self.ocr_timeout),
            max_bytes: self.ocr_max_size,
            max_pages: self.ocr_max_pages,
        }
    }
}

/// `--min-confidence`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ConfidenceArg {
    Low,
    Medium,
    High,
}

impl ConfidenceArg {
    fn confidence(self) -> Confidence {
        match self {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        }
    }
}

/// `--fail-on-risk`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum RiskArg {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Low,
    Medium,
    High,
    None,
}

/// Parses `--exit-code`: any code but 2, which means an error.
fn exit_code(s: &str) -> Result<u8, String> {
    match s.parse::<u8>() {
        Ok(EXIT_ERROR) => Err("2 means an error; choose another code for findings".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("not an exit code (0-255): {s:?}")),
    }
}

/// Parses `123`, `512K`, `100M`, `2G` (binary units).
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 10),
        Some((i, 'm' | 'M')) => (&s[..i], 20),
        Some((i, 'g' | 'G')) => (&s[..i], 30),
        _ => (s, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("not a size: {s:?} (use e.g. 512K, 100M, 2G)"))
}

pub(super) fn run(args: ScanArgs) -> anyhow::Result<u8> {
    let baseline = match &args.baseline {
        Some(path) => Some(
            Baseline::read(path)
                .with_context(|| format!("reading the baseline {}", path.display()))?,
        ),
        None => None,
    };
    // Fingerprints are comparable across runs only under one key: the
    // baseline's, or one derived from the CI secret; without either, none.
    let key = match &baseline {
        Some(b) => Some(b.key()?),
        None => std::env::var(baseline::KEY_ENV)
            .ok()
            .filter(|s| !s.is_empty())
            .map(|secret| FingerprintKey::derive(&secret)),
    };
    let config = config(&args.sources)?;
    let setup = Setup::new(&args.sources, args.purposes.as_deref(), &config)?;
    let index = match &args.index {
        Some(path) => {
            let key = super::subject::index_key(args.index_key_file.as_deref())?;
            let rules = piimap::subject::Rules::builtin()
                .map_err(|e| anyhow::anyhow!("patterns/subject.toml: {e}"))?;
            Some(piimap::subject::index::Writer::create(path, key, rules)?)
        }
        None => None,
    };
    let format = args.format();
    let state = match &args.state {
        Some(path) => {
            anyhow::ensure!(
                !format.streams(),
                "--state keeps each location's aggregate, not its findings: use it with --format json, csv, markdown or html, not {}",
                format.name()
            );
            anyhow::ensure!(
                args.index.is_none(),
                "--index needs every value of every file: it cannot take unchanged files from --state"
            );
            anyhow::ensure!(
                !(args.staged || args.diff.is_some() || args.since.is_some() || args.history),
                "--state remembers files of a walk, not git changes"
            );
            let version = setup.version(&args, &config, key.as_ref())?;
            let scope =
                format!("{:?} shard {:?}", args.sources.targets, args.shard.map(|s| s.to_string()));
            Some(State::open(path, &scope, &version, args.full_rescan)?)
        }
        None => None,
    };
    let mode = args.mode(index.as_ref().map(|w| w as &dyn Observer), state.as_ref())?;
    let lang = report_lang(format, args.lang)?;
    for (given, flag) in [(args.summary, "--summary"), (args.verbose, "--verbose")] {
        anyhow::ensure!(
            !given || format == Format::Text,
            "{flag} applies to the text report, not to --format {}",
            format.name()
        );
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        // NO_COLOR (no-color.org): any non-empty value turns colour off.
        ColorArg::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    // Open the output before scanning so a bad -o fails fast.
    let out = output(args.output.as_deref())?;
    // Text, JSONL and SARIF are written as the scan goes; the inventory
    // formats at the end.
    let (streaming, out) = if format.streams() {
        let rules = piimap::scan::rule_descriptions(&setup.detectors);
        let root = root(&args.sources, &mode);
        let options = StreamOptions {
            root: Some(&root),
            text: TextOptions { color, summary: args.summary, verbose: args.verbose },
        };
        (Streaming::new(format, &rules, &options, out)?, None)
    } else {
        (None, Some(out))
    };
    let sink: &dyn Sink = match &streaming {
        Some(s) => s,
        None => &Discard,
    };
    let accepted = baseline.as_ref().map(Baseline::index);
    let inventory = setup.scan(&args.sources, &mode, &config, key, accepted, sink)?;
    drop(mode);
    let remembered = match state {
        Some(state) => Some(state.finish(true).context("saving the state")?),
        None => None,
    };
    if let Some(index) = index {
        index.finish(&inventory)?;
    }
    let mut reader_left = false;
    match (streaming, out) {
        (Some(streaming), _) => match streaming.finish(&inventory) {
            // A reader that stops early (`| head -1`) ends the scan, not its
            // verdict: the exit code says what was found until then.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => reader_left = true,
            written => written.context("writing the report")?,
        },
        (None, Some(mut out)) => {
            report::write_lang(format, &inventory, lang, &mut out).context("writing the report")?;
            out.flush().context("writing the report")?;
        }
        (None, None) => {}
    }
    let fail_on = args.fail_on.unwrap_or(match config.fail_on {
        Some(Threshold::Medium) => FailOn::Medium,
        Some(Threshold::High) => FailOn::High,
        Some(Threshold::None) => FailOn::None,
        Some(Threshold::Low) | None => FailOn::Low,
    });
    let threshold = match fail_on {
        FailOn::Low => Some(Confidence::Low),
        FailOn::Medium => Some(Confidence::Medium),
        FailOn::High => Some(Confidence::High),
        FailOn::None => None,
    };
    // The verdict, and in words why: what failed the scan, or what did not.
    let (failed, why) = match (args.fail_on_risk, threshold) {
        (Some(level), _) => {
            let level = match level {
                RiskArg::Low => Risk::Low,
                RiskArg::Medium => Risk::Medium,
                RiskArg::High => Risk::High,
                RiskArg::Critical => Risk::Critical,
            };
            let failed = inventory.locations.iter().any(|l| l.risk >= Some(level));
            let rule = format!("at or above --fail-on-risk {}", level.as_str());
            let why = if failed {
                format!("a location's risk {rule}")
            } else {
                format!("no risk {rule}")
            };
            (failed, why)
        }
        (None, Some(t)) => {
            let test_data = args.fail_on_test_data || config.test_data.fail;
            let failed = inventory.has_findings_at(t, test_data);
            let rule = format!("at or above --fail-on {}", t.as_str());
            (failed, if failed { format!("findings {rule}") } else { format!("nothing {rule}") })
        }
        (None, None) => (false, "--fail-on none: findings never fail the scan".to_string()),
    };
    let (code, why) = if !inventory.errors.is_empty() {
        (EXIT_ERROR, "some items could not be read (listed as errors)".to_string())
    } else if failed {
        (args.exit_code, why)
    } else {
        (EXIT_CLEAN, why)
    };
    if !args.sources.quiet && !reader_left {
        if let Some(r) = &remembered {
            eprintln!("piimap: {}", state_line(r));
        }
        eprintln!("piimap: {}", closing_line(&inventory, args.output.as_deref(), code, &why));
    }
    // The detectors' automata and regexes, and the inventory, end with the
    // process: freeing them piece by piece took 5% of a small scan.
    std::mem::forget((setup, inventory));
    Ok(code)
}

/// The one line a scan ends with on stderr, wherever its report went: what
/// was read and found, where the report is and why the exit code is what
/// it is.
fn closing_line(inventory: &Inventory, output: Option<&Path>, code: u8, why: &str) -> String {
    let s = &inventory.stats;
    let mut read = report::counted(s.files, "file", "files");
    if s.tables > 0 {
        read = format!("{read} and {}", report::counted(s.tables, "table", "tables"));
    }
    let places = report::counted(inventory.locations.len() as u64, "location", "locations");
    let people = report::counted(inventory.subjects() as u64, "person", "people");
    let written = output.map_or_else(|| "standard output".to_string(), |p| p.display().to_string());
    format!(
        "{read} read; {} in {places} (about {people}); {}, {} skipped; report: {written}; exit {code}: {why}",
        report::counted(s.findings, "finding", "findings"),
        report::counted(inventory.errors.len() as u64, "error", "errors"),
        report::grouped(inventory.skipped.len() as u64),
    )
}

/// What the state did, said before the closing line: how much was not
/// read again and why everything was, if it was.
fn state_line(r: &piimap::state::Outcome) -> String {
    let unchanged = report::counted(r.recalled, "item", "items");
    let mut line = if r.recalled == 0 && r.reset.is_none() {
        "--state: every item read (none unchanged since a scan it knows)".to_string()
    } else {
        format!("{unchanged} unchanged since the last scan, taken from --state")
    };
    if r.forgotten > 0 {
        line += &format!("; {} no longer there", report::grouped(r.forgotten));
    }
    if let Some(why) = &r.reset {
        line += &format!("; everything read again: {why}");
    }
    line
}

/// `piimap baseline create`: scans like `scan` and records every finding as
/// accepted in the file given with `-o`.
pub(super) fn create_baseline(args: ScanArgs) -> anyhow::Result<u8> {
    let path = args.output.clone().context("baseline create needs -o FILE")?;
    for (given, flag) in [
        (args.format.is_some(), "--format"),
        (args.lang.is_some(), "--lang"),
        (args.fail_on.is_some(), "--fail-on"),
        (args.index.is_some(), "--index"),
        (args.show_values, "--show-values"),
        (args.summary, "--summary"),
        (args.verbose, "--verbose"),
        (args.state.is_some(), "--state"),
        (args.shard.is_some(), "--shard"),
    ] {
        anyhow::ensure!(!given, "baseline create writes a baseline file: {flag} does not apply");
    }
    let mut baseline = Baseline::new();
    let mut out = output(Some(&path))?;
    let config = config(&args.sources)?;
    let setup = Setup::new(&args.sources, args.purposes.as_deref(), &config)?;
    let mode = args.mode(None, None)?;
    let recorder = Recorder::new(root(&args.sources, &mode));
    let inventory =
        setup.scan(&args.sources, &mode, &config, Some(baseline.key()?), None, &recorder)?;
    recorder.accept_into(&mut baseline);
    baseline.write(&mut out).context("writing the baseline")?;
    out.flush()?;
    for e in &inventory.errors {
        eprintln!("piimap: {}: {}", e.path, e.message);
    }
    let accepted = report::counted(baseline.len() as u64, "finding", "findings");
    eprintln!("piimap: {accepted} accepted in {}", path.display());
    Ok(if inventory.errors.is_empty() { EXIT_CLEAN } else { EXIT_ERROR })
}

/// The purposes: `--purposes FILE` or the built-in ones, with the project's
/// own from `.piimap.toml`.
fn load_purposes(file: Option<&Path>, config: &Config) -> anyhow::Result<Purposes> {
    let base = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Purposes::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Purposes::builtin().map_err(|e| anyhow::anyhow!("patterns/purposes.toml: {e}"))?,
    };
    if config.purpose.is_empty() && config.location_rule.is_empty() {
        return Ok(base);
    }
    let extra =
        PurposesFile { purpose: config.purpose.clone(), rule: config.location_rule.clone() };
    base.extend(extra).map_err(|e| anyhow::anyhow!(".piimap.toml: {e}"))
}

/// Where a report goes: standard output, or the file `-o` names. The file
/// is readable by its owner only (an existing one is made so) and is never
/// written through a symbolic link, which could point at a file the scan
/// must not overwrite; a device or a FIFO (`-o /dev/null`) is written as
/// it is.
pub(super) fn output(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn Write + Send>> {
    let Some(path) = path else { return Ok(Box::new(BufWriter::new(std::io::stdout()))) };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).with_context(|| {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            format!(
                "{} is a symbolic link: piimap writes a report to the file's own path only",
                path.display()
            )
        } else {
            format!("cannot write {}", path.display())
        }
    })?;
    #[cfg(unix)]
    if file.metadata().is_ok_and(|m| m.is_file()) {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600)).with_context(|| {
            format!("cannot make {} readable by its owner only", path.display())
        })?;
    }
    Ok(Box::new(BufWriter::new(file)))
}

/// The project configuration: `--config`, or `.piimap.toml` in the first
/// target, or — when the targets are files (as a pre-commit hook passes
/// them) — at the top of the repository holding the first (outside one, in
/// the working directory), or none.
pub(super) fn config(args: &Sources) -> anyhow::Result<Config> {
    Ok(match (&args.config, args.targets.first()) {
        (Some(path), _) => Config::read(path)?,
        (None, Some(dir)) if dir.is_dir() => Config::discover(dir)?.unwrap_or_default(),
        (None, Some(file)) if file.is_file() => {
            let root = Root::of_target(file);
            let top = if root.is_repository() { root.dir() } else { Path::new(".") };
            Config::discover(top)?.unwrap_or_default()
        }
        (None, _) => Config::default(),
    })
}

/// What every scan of one invocation shares: detectors, combination rules,
/// purposes, allowlist and caps.
pub(super) struct Setup {
    detectors: DetectorSet,
    rules: &'static Rules,
    purposes: Purposes,
    /// The purposes file, when not the built-in purposes.
    purposes_file: Option<PathBuf>,
    /// Pattern directories besides the built-in detectors.
    pattern_dirs: Vec<PathBuf>,
    /// Categories not looked for (`--skip-categories`, or all but
    /// `--categories`).
    skipped: Vec<Category>,
    allowlist: Allowlist,
    max_filesize: u64,
    jobs: usize,
}

impl Setup {
    /// The combination rules records are judged by.
    pub(super) fn rules(&self) -> &'static Rules {
        self.rules
    }

    pub(super) fn new(
        args: &Sources,
        purposes: Option<&Path>,
        project: &Config,
    ) -> anyhow::Result<Setup> {
        let dirs: Vec<PathBuf> =
            args.patterns.dirs.iter().cloned().chain(project.pattern_dirs()).collect();
        // `--categories` is the complement of `--skip-categories`.
        let skip: Vec<Category> = if args.categories.is_empty() {
            args.skip_categories.clone()
        } else {
            Category::ALL.into_iter().filter(|c| !args.categories.contains(c)).collect()
        };
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let detectors = || DetectorSet::load_except(&dirs, &skip);
        let loaded_purposes = || load_purposes(purposes, project);
        // The detectors are compiled on as many threads as the scan reads
        // with, the purposes loaded beside them; under `-j1` (a pool's
        // thread would only cost its start), or without a pool, on this
        // thread alone.
        let pool = (jobs > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(jobs).build());
        let (detectors, loaded_purposes) = match pool {
            Some(Ok(pool)) => pool.install(|| rayon::join(detectors, loaded_purposes)),
            _ => (detectors(), loaded_purposes()),
        };
        let mut detectors = detectors.context("loading patterns")?;
        detectors.set_project_values(project.allowed_values(), project.test_values());
        let max_filesize = match (args.max_filesize, &project.max_filesize) {
            (Some(size), _) => size,
            (None, Some(size)) => {
                parse_size(size).map_err(|e| anyhow::anyhow!(".piimap.toml: max_filesize: {e}"))?
            }
            (None, None) => 256 << 20,
        };
        let rules =
            Rules::builtin().map_err(|e| anyhow::anyhow!("patterns/combinations.toml: {e}"))?;
        Ok(Setup {
            detectors,
            rules,
            purposes: loaded_purposes?,
            purposes_file: purposes.map(Path::to_path_buf),
            pattern_dirs: dirs,
            skipped: skip,
            allowlist: project.allowlist()?,
            max_filesize,
            jobs,
        })
    }

    /// The version of everything that decides what a file yields, for
    /// `--state`: this binary, the loaded detectors, the project
    /// configuration, the baseline, the fingerprint key (keyed, never the
    /// key) and the options that change findings or evidence.
    fn version(
        &self,
        args: &ScanArgs,
        project: &Config,
        key: Option<&FingerprintKey>,
    ) -> anyhow::Result<String> {
        let mut h = blake3::Hasher::new();
        // The binary stands for its built-in patterns, dictionaries,
        // validators and readers: its version, and its size and time, which
        // every build and every install changes (hashing its bytes would
        // cost more than an unchanged rescan).
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        if let Ok(m) = std::env::current_exe().and_then(std::fs::metadata) {
            h.update(format!("{:?}", piimap::source::Stamp::of(&m)).as_bytes());
        }
        for i in 0..self.detectors.len() {
            h.update(format!("{:?}", self.detectors.spec(i)).as_bytes());
        }
        h.update(format!("{project:?}").as_bytes());
        if let Some(path) = &args.baseline {
            h.update(&std::fs::read(path).with_context(|| format!("reading {}", path.display()))?);
        }
        if let Some(key) = key {
            h.update(key.fingerprint(Category::Name, "piimap --state").as_bytes());
        }
        let s = &args.sources;
        let options = (
            &self.skipped,
            s.min_confidence.map(ConfidenceArg::confidence),
            args.show_values,
            args.evidence,
            (!s.full).then_some(s.sample_rows),
            (&s.db_include, &s.db_exclude, s.db_views),
            s.ocr(),
        );
        h.update(format!("{options:?}").as_bytes());
        Ok(h.finalize().to_hex().to_string())
    }

    /// Runs the scan the arguments describe (a walk of the targets, or a
    /// git scope, and the databases), streaming findings to `sink` and
    /// showing raw values to `mode.observer`.
    pub(super) fn scan(
        &self,
        args: &Sources,
        mode: &Mode<'_>,
        project: &Config,
        key: Option<FingerprintKey>,
        baseline: Option<baseline::Index>,
        sink: &dyn Sink,
    ) -> anyhow::Result<Inventory> {
        let started = (std::time::SystemTime::now(), std::time::Instant::now());
        // Database URLs are targets too; the rest are paths.
        let (databases, paths): (Vec<PathBuf>, Vec<PathBuf>) = args
            .targets
            .iter()
            .cloned()
            .partition(|t| t.to_str().and_then(Target::parse).is_some());
        let databases: Vec<Target> =
            databases.iter().filter_map(|t| t.to_str().and_then(Target::parse)).collect();
        let globs = |list: &[String]| -> anyhow::Result<Option<globset::GlobSet>> {
            if list.is_empty() {
                return Ok(None);
            }
            let mut set = globset::GlobSetBuilder::new();
            for g in list {
                set.add(globset::Glob::new(g).with_context(|| format!("bad table glob {g:?}"))?);
            }
            Ok(Some(set.build()?))
        };
        let opts = DbOptions {
            sample_rows: (!args.full).then_some(args.sample_rows),
            include: globs(&args.db_include)?,
            exclude: globs(&args.db_exclude)?,
            views: args.db_views,
            connections: args.db_connections.max(1),
            timeouts: Timeouts {
                connect: Duration::from_secs(args.db_connect_timeout),
                statement: Duration::from_secs(args.db_statement_timeout),
            },
            shard: mode.shard,
        };
        let config = ScanConfig {
            targets: paths,
            // SQLite files met on the walk are read as database targets are.
            databases: opts,
            walk: WalkOptions {
                no_ignore: args.no_ignore,
                follow: args.follow,
                max_filesize: self.max_filesize,
                exclude: project.ignored()?.map(std::sync::Arc::new),
                report: mode.output.map(Path::to_path_buf),
                globs: path_globs(&args.globs, &args.exclude)?,
                shard: mode.shard,
            },
        };
        let scope = mode.scope.clone();
        let git_mode = mode.history || scope.is_some();
        // Git scopes report repository-relative paths; a walk names them
        // from the target, which is where the configuration file sits.
        // Files given one by one (a pre-commit hook's) are named as given,
        // relative to the working directory, the top of the repository.
        let base = match (&args.config, config.targets.first()) {
            _ if git_mode => None,
            (Some(file), _) => file.parent().map(PathBuf::from),
            (None, Some(target)) if target.is_dir() => Some(target.clone()),
            (None, _) => None,
        };
        let filter =
            Accepted { allowlist: &self.allowlist, base, baseline, root: root(args, mode) };
        // The bar and the report share a terminal only when the report goes
        // to a file or is read at the end: never draw over streamed lines.
        let streams_to_terminal =
            mode.output.is_none() && std::io::stdout().is_terminal() && mode.streams;
        let bar =
            (!args.quiet && std::io::stderr().is_terminal() && !streams_to_terminal).then(Bar::new);
        let mut pipeline = Pipeline::new(&self.detectors, self.rules, sink);
        pipeline.evidence = Evidence { show_values: mode.show_values, key };
        pipeline.observer = mode.observer;
        pipeline.jobs = self.jobs;
        pipeline.ocr = args.ocr();
        pipeline.state = mode.state;
        pipeline.progress = bar.as_ref().map(|b| b as &dyn Progress);
        pipeline.policy.purposes = Some(&self.purposes);
        pipeline.policy.filter = Some(&filter);
        pipeline.policy.evidence_cap = mode.evidence;
        pipeline.policy.min_confidence = args.min_confidence.map(ConfidenceArg::confidence);
        let repo = || config.targets.first().cloned().unwrap_or_else(|| ".".into());
        let mut inventory = match scope {
            _ if mode.history => scan_history(&pipeline, &repo(), self.max_filesize)
                .with_context(|| format!("reading the history of {}", repo().display()))?,
            Some(scope) => scan_git(&pipeline, &repo(), &scope, config.walk.globs.as_ref())
                .with_context(|| format!("reading the change in {}", repo().display()))?,
            None if config.targets.is_empty() => Inventory::default(),
            // With a bar, a second walk counts ahead what there is to read.
            None => match &bar {
                Some(bar) => {
                    let stop = std::sync::atomic::AtomicBool::new(false);
                    std::thread::scope(|s| {
                        s.spawn(|| bar.count_ahead(&config, &stop));
                        let inventory = scan(&pipeline, &config);
                        stop.store(true, Ordering::Relaxed);
                        inventory
                    })
                }
                None => scan(&pipeline, &config),
            },
        };
        if !databases.is_empty() {
            inventory =
                inventory.merge(scan_databases(&pipeline, &databases, &config.databases)).finish();
        }
        if let Some(bar) = bar {
            bar.bar.finish_and_clear();
        }
        inventory.rules = piimap::scan::rule_descriptions(&self.detectors);
        inventory.purposes = self.purposes.list.clone();
        inventory.run = Some(self.run(args, mode, started));
        Ok(inventory)
    }

    /// What the report says of this run: when, of what, with which settings.
    fn run(
        &self,
        args: &Sources,
        mode: &Mode<'_>,
        (at, clock): (std::time::SystemTime, std::time::Instant),
    ) -> Run {
        let started = at.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let name = |t: &PathBuf| match t.to_str().and_then(Target::parse) {
            Some(db) => db.display,
            None => piimap::source::display_path(t),
        };
        let scope = match &mode.scope {
            _ if mode.history => Some("--history".to_string()),
            Some(Scope::Staged) => Some("--staged".to_string()),
            Some(Scope::Range { base, head }) => Some(format!("--diff {base}..{head}")),
            None => None,
        };
        Run {
            started: piimap::report::document::rfc3339(started),
            duration_ms: clock.elapsed().as_millis() as u64,
            targets: args.targets.iter().map(name).collect(),
            scope,
            sample_rows: (!args.full).then_some(args.sample_rows),
            max_filesize: self.max_filesize,
            patterns: self.pattern_dirs.iter().map(|d| piimap::source::display_path(d)).collect(),
            purposes: self.purposes_file.as_deref().map(piimap::source::display_path),
            skipped_categories: self.skipped.clone(),
            min_confidence: args.min_confidence.map(ConfidenceArg::confidence),
            globs: (args.globs.iter().cloned())
                .chain(args.exclude.iter().map(|g| format!("!{g}")))
                .collect(),
            shard: mode.shard.map(|s| s.to_string()),
        }
    }
}

/// `--glob` and `--exclude` as the walk's overrides (none when both are
/// empty).
fn path_globs(include: &[String], exclude: &[String]) -> anyhow::Result<Option<Override>> {
    if include.is_empty() && exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = OverrideBuilder::new(".");
    let excluded = exclude.iter().map(|g| format!("!{g}"));
    for glob in include.iter().cloned().chain(excluded) {
        builder.add(&glob).with_context(|| format!("bad glob {glob:?}"))?;
    }
    Ok(Some(builder.build()?))
}

/// The root paths are compared from (baselines, SARIF): the repository or
/// first target, whether the scan walks it or reads a git scope of it.
pub(super) fn root(args: &Sources, mode: &Mode<'_>) -> Root {
    let first = args.targets.iter().find(|t| t.to_str().and_then(Target::parse).is_none());
    let first = first.map_or(Path::new("."), PathBuf::as_path);
    if mode.history || mode.scope.is_some() {
        Root::of_repository(first)
    } else {
        Root::of_target(first)
    }
}

/// What the project has accepted: allowlisted paths (relative to `base`)
/// and the baseline's findings (paths relative to `root`).
struct Accepted<'a> {
    allowlist: &'a Allowlist,
    base: Option<PathBuf>,
    baseline: Option<baseline::Index>,
    root: Root,
}

impl Filter for Accepted<'_> {
    fn path(&self, path: &str) -> bool {
        self.allowlist.allows(path, self.base.as_deref())
    }

    fn finding(&self, finding: &Finding) -> bool {
        self.baseline.as_ref().is_some_and(|index| Baseline::accepts(index, finding, &self.root))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("12X").is_err());
    }
}
