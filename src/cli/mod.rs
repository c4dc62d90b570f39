//! Command line: argument types, subcommand dispatch and exit codes. Nothing
//! here scans; it converts arguments for the library and maps results to the
//! exit codes in DESIGN.md.

mod incident;
mod patterns;
mod progress;
mod scan;
mod subject;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use piimap::report::Format;
use piimap::report::labels::Lang;

/// No findings at or above `--fail-on`.
pub(crate) const EXIT_CLEAN: u8 = 0;
/// Findings at or above `--fail-on`.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// A fatal error, or an item that could not be read.
pub(crate) const EXIT_ERROR: u8 = 2;

/// What `piimap --help` ends with: examples and the exit codes.
const AFTER_HELP: &str = "\
Examples:
  piimap scan /srv/share --format html -o inventory.html   inventory for the privacy officer
  piimap scan --staged                                     what the next commit adds
  piimap scan postgres://reader@db/crm --format json -o crm.json

Exit codes: 0 nothing found (at --fail-on), 1 findings (--exit-code N), 2 an error
or an item that could not be read (the report still lists the rest).
`piimap help scan` lists every option; `piimap init` writes a .piimap.toml to start from.";

/// piimap — finds personal data (氏名・住所・電話番号・メール・口座番号・個人番号 …) in files.
#[derive(Debug, Parser)]
#[command(name = "piimap", version, about, long_about = None, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files and directories for personal data.
    Scan(scan::ScanArgs),
    /// List or self-test the detectors.
    #[command(subcommand)]
    Patterns(patterns::PatternsCommand),
    /// Record accepted findings, so that CI fails on new ones only.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Render a saved inventory (`scan --format json`) again, without rescanning.
    Report(ReportArgs),
    /// Join saved inventories (the shards of one scan, or scans of different
    /// targets) into one, as one run would have written it.
    Merge(MergeArgs),
    /// Write a saved inventory into an organisation-wide PostgreSQL database
    /// (schema piimap, created if missing; the same inventory twice is
    /// written once).
    Export(ExportArgs),
    /// Find every record held about one person (a data-subject request).
    Subject(Box<subject::SubjectArgs>),
    /// Assess a leak: categories, people, whether it must be reported, a draft report.
    Incident(Box<incident::IncidentArgs>),
    /// Write a commented .piimap.toml (ignores, allowlists, purposes) to start from.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `piimap man > piimap.1`.
    Man,
}

/// `piimap init`.
#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The directory to write .piimap.toml in.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Replace an existing .piimap.toml.
    #[arg(long)]
    force: bool,
}

/// `piimap report INVENTORY.json`.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// The inventory written by `scan --format json`.
    inventory: PathBuf,
    #[command(flatten)]
    rendering: Rendering,
}

/// `piimap merge A.json B.json …`.
#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// Inventories written by `scan --format json` (e.g. one per shard).
    #[arg(required = true, num_args = 1..)]
    inventories: Vec<PathBuf>,
    #[command(flatten)]
    rendering: Rendering,
}

/// How `report` and `merge` write an inventory.
#[derive(Debug, clap::Args)]
struct Rendering {
    /// Output format (default: html for report, json for merge; text, jsonl
    /// and sarif are written while scanning).
    #[arg(long, value_enum)]
    format: Option<InventoryFormat>,
    /// Language of the report.
    #[arg(long, value_enum)]
    lang: Option<scan::LangArg>,
    /// Write it to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

impl Rendering {
    /// The format (`default` when none is given) and language, refused
    /// before any work when the language does not apply.
    fn check(&self, default: InventoryFormat) -> anyhow::Result<(Format, Lang)> {
        let format = self.format.unwrap_or(default).format();
        Ok((format, scan::report_lang(format, self.lang)?))
    }

    /// Writes `doc` as `check` said.
    fn write(
        &self,
        (format, lang): (Format, Lang),
        doc: &piimap::report::document::Document,
    ) -> anyhow::Result<u8> {
        use anyhow::Context;
        let mut out = scan::output(self.output.as_deref())?;
        piimap::report::render(format, doc, lang, &mut out).context("writing the report")?;
        Ok(EXIT_CLEAN)
    }
}

/// `piimap export INVENTORY.json --db postgres://…`.
#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// The inventory written by `scan --format json` (or `merge`).
    inventory: PathBuf,
    /// The PostgreSQL database: postgres://USER@HOST:PORT/DB (a password in
    /// the URL or PGPASSWORD; never printed).
    #[arg(long, value_name = "URL")]
    db: String,
    /// Seconds to wait for the server to connect and log in.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    db_connect_timeout: u64,
    /// Seconds one statement may run.
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    db_statement_timeout: u64,
}

/// The formats an inventory renders to after the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InventoryFormat {
    Json,
    Csv,
    Markdown,
    Html,
}

impl InventoryFormat {
    fn format(self) -> piimap::report::Format {
        use piimap::report::Format;
        match self {
            InventoryFormat::Json => Format::Json,
            InventoryFormat::Csv => Format::Csv,
            InventoryFormat::Markdown => Format::Markdown,
            InventoryFormat::Html => Format::Html,
        }
    }
}

#[derive(Debug, Subcommand)]
enum BaselineCommand {
    /// Scan like `scan` and write every finding to the baseline given with -o.
    Create(scan::ScanArgs),
}

/// Extra pattern directories, shared by the subcommands.
#[derive(Debug, clap::Args)]
struct PatternArgs {
    /// Also load detectors from the `*.toml` files in DIR (repeatable); a
    /// detector with a built-in id replaces the built-in one.
    #[arg(long = "patterns", value_name = "DIR")]
    dirs: Vec<PathBuf>,
}

/// Runs the parsed command and returns the process exit code.
pub(crate) fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Patterns(cmd) => patterns::run(cmd),
        Command::Baseline(BaselineCommand::Create(args)) => scan::create_baseline(args),
        Command::Report(args) => report(args),
        Command::Merge(args) => merge(args),
        Command::Export(args) => export(&args),
        Command::Subject(args) => subject::run(*args),
        Command::Incident(args) => incident::run(*args),
        Command::Init(args) => init(&args),
        Command::Completions { shell } => {
            // Rendered whole first: the generator panics on a write error
            // (`| head`), a write here is only an error.
            let mut script = Vec::new();
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "piimap", &mut script);
            print_all(&script)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page)?;
            print_all(&page)
        }
    }
}

/// Writes `bytes` to standard output; a reader that stops early is fine.
fn print_all(bytes: &[u8]) -> anyhow::Result<u8> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(EXIT_CLEAN),
    }
}

/// Writes the commented starting configuration, never over an existing one
/// unless `--force`.
fn init(args: &InitArgs) -> anyhow::Result<u8> {
    use anyhow::Context;
    let path = args.dir.join(piimap::config::FILE_NAME);
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&path).with_context(|| match path.exists() {
        true => format!("{} exists (--force replaces it)", path.display()),
        false => format!("cannot write {}", path.display()),
    })?;
    std::io::Write::write_all(&mut file, include_str!("init.toml").as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("piimap: wrote {}", path.display());
    Ok(EXIT_CLEAN)
}

/// Reads a saved inventory and renders it.
fn report(args: ReportArgs) -> anyhow::Result<u8> {
    let how = args.rendering.check(InventoryFormat::Html)?;
    let doc = read_inventory(&args.inventory)?;
    args.rendering.write(how, &doc)
}

fn merge(args: MergeArgs) -> anyhow::Result<u8> {
    let how = args.rendering.check(InventoryFormat::Json)?;
    let docs = (args.inventories.iter())
        .map(|p| Ok((p.display().to_string(), read_inventory(p)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let doc = piimap::report::merge::merge(docs).map_err(|e| anyhow::anyhow!("merge: {e}"))?;
    args.rendering.write(how, &doc)
}

fn export(args: &ExportArgs) -> anyhow::Result<u8> {
    use piimap::report::export::{Exported, export};
    use piimap::source::database::{Target, Timeouts, postgres_writer};
    let doc = read_inventory(&args.inventory)?;
    let target =
        Target::parse(&args.db).ok_or_else(|| anyhow::anyhow!("--db wants a postgres:// URL"))?;
    let timeouts = Timeouts {
        connect: std::time::Duration::from_secs(args.db_connect_timeout),
        statement: std::time::Duration::from_secs(args.db_statement_timeout),
    };
    let mut client = postgres_writer(&target, timeouts)
        .map_err(|e| anyhow::anyhow!("{}: {e}", target.display))?;
    match export(&mut client, &doc).map_err(|e| anyhow::anyhow!("{}: {e}", target.display))? {
        Exported::Written { run_id, locations } => eprintln!(
            "piimap: run {run_id} written to {}: {}",
            target.display,
            piimap::report::counted(locations as u64, "location", "locations")
        ),
        Exported::Already { run_id } => {
            eprintln!("piimap: run {run_id} is in {} already: nothing written", target.display)
        }
    }
    Ok(EXIT_CLEAN)
}

/// A saved inventory (`scan --format json`) of this version.
fn read_inventory(path: &std::path::Path) -> anyhow::Result<piimap::report::document::Document> {
    use anyhow::Context;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    // The schema first: an inventory of another version says so, rather
    // than failing on the fields it has.
    #[derive(serde::Deserialize)]
    struct Schema {
        schema: String,
    }
    let not_inventory =
        || format!("{} is not a piimap inventory (scan --format json)", path.display());
    let schema: Schema = serde_json::from_str(&text).with_context(not_inventory)?;
    anyhow::ensure!(
        schema.schema == piimap::report::document::SCHEMA,
        "{}: schema {:?}, this piimap reads {:?} (scan again to write it)",
        path.display(),
        schema.schema,
        piimap::report::document::SCHEMA
    );
    serde_json::from_str(&text).with_context(not_inventory)
}
