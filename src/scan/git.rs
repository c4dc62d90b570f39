//! Git scopes: what a change adds (`--staged`, `--diff`, `--since`) and
//! every file version in history (`--history`).
//!
//! A change's files stream like a walk's, each keeping the findings on the
//! lines it adds. History is the one scan that keeps findings until the end:
//! each value is reported once per path and detector, at the first commit
//! that added it, which is known only when every blob is read; it keeps one
//! finding per distinct (path, detector, value), not per occurrence, and
//! repositories are small beside the shares the streaming scans are for.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::emit::{Keep, Out, Stream};
use super::{Evidence, Pipeline, listed, lock};
use crate::finding::{Finding, FingerprintKey};
use crate::inventory::Inventory;
use crate::source::git::{self, GitError, Scope, Unread};

/// Scans what a git scope adds: every changed file at its new content,
/// keeping the findings on added lines (and whole-file ones, which the
/// change touched). `globs` (`--glob`, as the walk's) choose the files by
/// their repository paths.
pub fn scan_git(
    pipeline: &Pipeline<'_>,
    repo: &Path,
    scope: &Scope,
    globs: Option<&ignore::overrides::Override>,
) -> Result<Inventory, GitError> {
    let mut changes = git::changes(repo, scope)?;
    if let Some(globs) = globs {
        changes.retain(|c| !globs.matched(&c.path, false).is_ignore());
    }
    let inventory = pipeline.run(
        pipeline.jobs,
        &pipeline.evidence,
        listed(changes),
        |change| change.path.clone(),
        |_| None,
        |w, out, change| {
            out.only_lines(change.added);
            w.scan_bytes(&change.path, &change.content, out);
        },
    );
    Ok(inventory.finish())
}

/// Scans every file version in the repository's history, each blob once,
/// and reports each value once per path and detector: at the first commit
/// that added it, with that commit's line. Values are told apart by
/// fingerprint; without a key of the user's a throw-away one serves and the
/// fingerprints are dropped afterwards.
pub fn scan_history(
    pipeline: &Pipeline<'_>,
    repo: &Path,
    max_filesize: u64,
) -> Result<Inventory, GitError> {
    let keyed = Evidence {
        show_values: pipeline.evidence.show_values,
        key: Some(pipeline.evidence.key.clone().unwrap_or_else(FingerprintKey::random)),
    };
    let order: Mutex<HashMap<String, usize>> = Mutex::new(HashMap::new());
    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let mut read = Ok(());
    let mut inventory = pipeline.run(
        pipeline.jobs,
        &keyed,
        |each| {
            read = git::history(repo, max_filesize, |blob, content| {
                lock(&order).entry(blob.commit.clone()).or_insert(blob.order);
                // A refused item means the workers are gone; the rest is moot.
                let _ = each((blob, content));
            });
        },
        |(blob, _)| format!("{} (commit {})", blob.path, &blob.commit[..12]),
        |_| None,
        |w, out, (blob, content)| {
            let at = || format!("{} (commit {})", blob.path, &blob.commit[..12]);
            match content {
                Ok(bytes) => {
                    let mut keep = Keep::default();
                    w.scan_bytes(&blob.path, &bytes, &mut keep);
                    let commit: Arc<str> = Arc::from(&*blob.commit);
                    for f in &mut keep.findings {
                        f.commit = Some(Arc::clone(&commit));
                    }
                    lock(&found).extend(keep.findings);
                    out.stats().add(&keep.part.stats);
                    keep.part.errors.into_iter().for_each(|e| out.error(at(), e.message));
                    keep.part.skipped.into_iter().for_each(|s| out.skipped(at(), s.reason));
                }
                Err(Unread::Missing) => out.error(at(), "git object missing".into()),
                Err(Unread::TooLarge(size)) => {
                    out.skipped(at(), format!("larger than --max-filesize ({size} bytes)"))
                }
            }
        },
    );
    read?;
    let order = order.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut findings = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Earliest commit first, so the first of each (path, detector, value)
    // kept is where it was introduced.
    let when = |f: &Finding| f.commit.as_deref().and_then(|c| order.get(c)).copied();
    findings.sort_by_key(|f| when(f));
    let mut seen = HashSet::new();
    findings.retain(|f| {
        seen.insert((Arc::clone(&f.path), Arc::clone(&f.detector), f.fingerprint.clone()))
    });
    if pipeline.evidence.key.is_none() {
        findings.iter_mut().for_each(|f| f.fingerprint.clear());
    }
    findings.sort();
    // Each path is one location, written in path order.
    let mut start = 0;
    while start < findings.len() {
        let path = Arc::clone(&findings[start].path);
        let end = start + findings[start..].iter().take_while(|f| f.path == path).count();
        let seq = pipeline.next_seq();
        pipeline.sink.admit(seq);
        let mut out = Stream::new(pipeline, pipeline.sink.item(seq));
        out.findings(findings[start..end].to_vec());
        inventory = inventory.merge(out.finish());
        start = end;
    }
    Ok(inventory.finish())
}
