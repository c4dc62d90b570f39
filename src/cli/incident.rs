//! `piimap incident`: what leaked (targets to scan, or a saved inventory)
//! → a scan with a [`Crowd`] counting people across locations → an
//! [`Assessment`] by the reporting rules → the report, and the notification
//! list when asked → exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::scan::{LangArg, Mode, Setup, Sources, config, output};
use super::subject::INDEX_KEY_ENV;
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use piimap::incident::crowd::{Contacts, Crowd};
use piimap::incident::{
    Assessment, Cause, Decision, Gap, Leaked, NotifyList, People, Rules, assess,
};
use piimap::report::incident::{IncidentFormat, write};
use piimap::scan::{Discard, PEOPLE_CAP};
use piimap::subject::IndexKey;

#[derive(Debug, Args)]
pub(super) struct IncidentArgs {
    #[command(flatten)]
    sources: Sources,
    /// How the data got out: decides the unjust-purpose rules.
    #[arg(long, value_enum, default_value_t = CauseArg::Unknown)]
    cause: CauseArg,
    /// Assess a saved inventory (`scan --format json`) instead of scanning:
    /// people are then each location's estimate added up.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["notify_list", "targets"])]
    inventory: Option<PathBuf>,
    /// Reporting rules of the form of patterns/incident.toml instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    incident_rules: Option<PathBuf>,
    /// Write one JSON line per person with the contact points found (names,
    /// e-mail, phone, address): raw only with --show-values, else masked
    /// values and keyed fingerprints. Created 0600; an existing file or
    /// symlink is refused.
    #[arg(long, value_name = "FILE")]
    notify_list: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = IncidentFormatArg::Text)]
    format: IncidentFormatArg,
    /// Language of the assessment (default: ja; json holds ids).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write the assessment to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Put raw contact points in the notification list. They are personal data.
    #[arg(long)]
    show_values: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CauseArg {
    UnauthorizedAccess,
    Misdelivery,
    Loss,
    Internal,
    Unknown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum IncidentFormatArg {
    Text,
    Json,
    Markdown,
    Html,
}

pub(super) fn run(args: IncidentArgs) -> anyhow::Result<u8> {
    // Refused before the scan, rather than ignored after it.
    anyhow::ensure!(
        args.lang.is_none() || !matches!(args.format, IncidentFormatArg::Json),
        "--lang applies to the text, markdown and html assessments, not to --format json"
    );
    let rules = match &args.incident_rules {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Rules::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Rules::builtin().map_err(|e| anyhow::anyhow!("patterns/incident.toml: {e}"))?,
    };
    let cause = match args.cause {
        CauseArg::UnauthorizedAccess => Cause::UnauthorizedAccess,
        CauseArg::Misdelivery => Cause::Misdelivery,
        CauseArg::Loss => Cause::Loss,
        CauseArg::Internal => Cause::Internal,
        CauseArg::Unknown => Cause::Unknown,
    };
    // The list is opened first: a refused path fails before a long scan.
    let mut list = args.notify_list.as_deref().map(create_new).transpose()?;
    let mut out = output(args.output.as_deref())?;
    let assessment = match &args.inventory {
        Some(path) => from_inventory(path, &rules, cause)?,
        None => {
            let (mut assessment, crowd) = scan(&args, &rules, cause)?;
            if let (Some(file), Some(path)) = (list.as_mut(), &args.notify_list) {
                let (people, truncated) = crowd
                    .write_list(file)
                    .and_then(|n| file.flush().map(|()| n))
                    .with_context(|| format!("writing {}", path.display()))?;
                assessment.notify_list = Some(NotifyList {
                    path: path.display().to_string(),
                    people,
                    raw: args.show_values,
                    truncated,
                });
            }
            assessment
        }
    };
    let format = match args.format {
        IncidentFormatArg::Text => IncidentFormat::Text,
        IncidentFormatArg::Json => IncidentFormat::Json,
        IncidentFormatArg::Markdown => IncidentFormat::Markdown,
        IncidentFormatArg::Html => IncidentFormat::Html,
    };
    write(&assessment, format, args.lang.unwrap_or_default().lang(), &mut out)
        .context("writing the assessment")?;
    out.flush().context("writing the assessment")?;
    Ok(if !assessment.errors.is_empty() {
        EXIT_ERROR
    } else if assessment.decision == Decision::NotRequired {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

/// A new file readable by its owner only; an existing file, or a symlink
/// (even a dangling one), is refused rather than followed or overwritten.
fn create_new(path: &Path) -> anyhow::Result<std::io::BufWriter<std::fs::File>> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).with_context(|| {
        format!(
            "cannot create {} (it must not exist yet: it will hold personal data)",
            path.display()
        )
    })?;
    Ok(std::io::BufWriter::new(file))
}

/// Scans the targets with a [`Crowd`] watching.
fn scan(
    args: &IncidentArgs,
    rules: &Rules,
    cause: Cause,
) -> anyhow::Result<(Assessment, Crowd<'static>)> {
    let project = config(&args.sources)?;
    let setup = Setup::new(&args.sources, None, &project)?;
    let contacts = args.notify_list.as_ref().map(|_| Contacts {
        // The key of the subject index when there is one, so that the
        // list's fingerprints compare with it; else one for this run.
        key: match std::env::var(INDEX_KEY_ENV) {
            Ok(secret) if !secret.trim().is_empty() => IndexKey::derive(&secret),
            _ => IndexKey::random(),
        },
        raw: args.show_values,
    });
    let crowd = Crowd::new(setup.rules(), PEOPLE_CAP, contacts);
    let mode = Mode {
        output: args.output.as_deref(),
        streams: false,
        scope: None,
        history: false,
        show_values: false,
        evidence: 0,
        observer: Some(&crowd),
        shard: None,
        state: None,
    };
    let inventory = setup.scan(&args.sources, &mode, &project, None, None, &Discard)?;
    let (estimate, at_least) = crowd.people();
    let locations: Vec<Leaked> = inventory
        .locations
        .iter()
        .map(|l| Leaked {
            path: l.path.to_string(),
            categories: l.categories.clone(),
            people: l.subjects,
            records: l.records,
        })
        .collect();
    let people = People {
        estimate,
        at_least,
        sum_of_locations: locations.iter().map(|l| l.people).sum(),
        method: "keyed-identity",
    };
    let gap = |path: &String, reason: &String| Gap { path: path.clone(), reason: reason.clone() };
    let errors = inventory.errors.iter().map(|e| gap(&e.path, &e.message)).collect();
    let skipped = inventory.skipped.iter().map(|s| gap(&s.path, &s.reason)).collect();
    Ok((assess(rules, cause, locations, people, errors, skipped), crowd))
}

/// Assesses a saved inventory: no identities, so people are each
/// location's estimate added up.
fn from_inventory(path: &Path, rules: &Rules, cause: Cause) -> anyhow::Result<Assessment> {
    let doc = super::read_inventory(path)?;
    let locations: Vec<Leaked> = doc
        .locations
        .iter()
        .map(|l| Leaked {
            path: l.path.clone(),
            categories: l.categories.clone(),
            people: l.subjects,
            records: l.records,
        })
        .collect();
    let sum = locations.iter().map(|l| l.people).sum();
    let people = People {
        estimate: sum,
        at_least: doc.locations.iter().any(|l| l.subjects_at_least),
        sum_of_locations: sum,
        method: "sum-of-locations",
    };
    let gaps = |list: &[piimap::report::document::Message]| -> Vec<Gap> {
        list.iter().map(|m| Gap { path: m.path.clone(), reason: m.message.clone() }).collect()
    };
    Ok(assess(rules, cause, locations, people, gaps(&doc.errors), gaps(&doc.skipped)))
}
