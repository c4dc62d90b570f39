//! Command line: argument types, subcommand dispatch and exit codes. Nothing
//! here scans; it converts arguments for the library and maps results to the
//! exit codes in DESIGN.md.

mod patterns;
mod scan;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// No findings at or above `--fail-on`.
pub(crate) const EXIT_CLEAN: u8 = 0;
/// Findings at or above `--fail-on`.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// A fatal error, or an item that could not be read.
pub(crate) const EXIT_ERROR: u8 = 2;

/// piimap — finds personal data (氏名・住所・電話番号・メール・口座番号・個人番号 …) in files.
#[derive(Debug, Parser)]
#[command(name = "piimap", version, about, long_about = None)]
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
    }
}
