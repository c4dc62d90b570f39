//! `piimap patterns list` and `piimap patterns check`.

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;

use super::{EXIT_CLEAN, EXIT_ERROR, PatternArgs};
use piimap::detect::{DetectorSet, catalog::Catalog};
use piimap::selftest::{check, check_combinations, check_subject};

#[derive(Debug, Subcommand)]
pub(super) enum PatternsCommand {
    /// List every detector: id, category, validator, context rule and description.
    List(PatternArgs),
    /// Run every detector's examples and negative examples; exit 2 on a failure.
    Check(PatternArgs),
    /// Print the detector reference (docs/detectors.md) as Markdown.
    Docs(PatternArgs),
}

fn load(args: &PatternArgs) -> anyhow::Result<Catalog> {
    let mut catalog = Catalog::builtin().context("loading built-in patterns")?;
    for dir in &args.dirs {
        catalog.add_dir(dir).with_context(|| format!("loading patterns from {}", dir.display()))?;
    }
    Ok(catalog)
}

pub(super) fn run(cmd: PatternsCommand) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        PatternsCommand::Docs(args) => {
            let detectors = DetectorSet::load(&args.dirs).context("loading patterns")?;
            let rules = piimap::scan::rule_descriptions(&detectors);
            out.write_all(piimap::report::detectors::markdown(&load(&args)?, &rules).as_bytes())?;
            Ok(EXIT_CLEAN)
        }
        PatternsCommand::List(args) => {
            let catalog = load(&args)?;
            for (spec, source) in catalog.specs.iter().zip(&catalog.sources) {
                let validator = spec.validator.map_or("-", |v| v.name());
                writeln!(
                    out,
                    "{:<28} {:<13} {:<16} {:<8} {}  [{source}]\n{:<28} {}",
                    spec.id,
                    spec.category.id(),
                    validator,
                    format!("{:?}", spec.context).to_lowercase(),
                    spec.description.en,
                    "",
                    spec.description.ja,
                )?;
            }
            Ok(EXIT_CLEAN)
        }
        PatternsCommand::Check(args) => {
            let catalog = load(&args)?;
            let mut problems = check(&catalog);
            let rules = piimap::identify::Rules::builtin()
                .map_err(|e| anyhow::anyhow!("combinations.toml: {e}"))?;
            let subject = piimap::subject::Rules::builtin()
                .map_err(|e| anyhow::anyhow!("subject.toml: {e}"))?;
            let incident = piimap::incident::Rules::builtin()
                .map_err(|e| anyhow::anyhow!("incident.toml: {e}"))?;
            if let Ok(set) = DetectorSet::new(&catalog) {
                problems.extend(check_combinations(rules, &set));
                problems.extend(check_subject(subject, &set));
            }
            problems.extend(incident.check().into_iter().map(|message| {
                piimap::selftest::Problem { detector: "incident.toml".into(), message }
            }));
            for p in &problems {
                writeln!(out, "{}: {}", p.detector, p.message)?;
            }
            let examples: usize =
                catalog.specs.iter().map(|s| s.examples.len() + s.negative_examples.len()).sum();
            let rule_examples: usize =
                rules.rules.iter().map(|r| r.examples.len() + r.negative_examples.len()).sum();
            writeln!(
                out,
                "{} detectors, {} combination rules, {} subject rules, {} incident rules, {} examples: {} problems",
                catalog.specs.len(),
                rules.rules.len(),
                subject.rules.len(),
                incident.rules.len(),
                examples + rule_examples + subject.examples.len() + incident.examples.len(),
                problems.len()
            )?;
            Ok(if problems.is_empty() { EXIT_CLEAN } else { EXIT_ERROR })
        }
    }
}
