//! Enumeration: which files a scan covers, and knows nothing of their content.
//!
//! The `ignore` crate's parallel walker lists every target: hidden files are
//! included (personal data hides there too), `.git/` is never entered,
//! `.gitignore`, `.ignore` and `.piimapignore` are honoured unless turned off,
//! symlinks are followed only when asked. Each file becomes an [`Entry`] sent
//! down a bounded channel to the workers; files over the size limit and paths
//! that cannot be listed become entries too, so nothing is dropped silently.

pub mod archive;
pub mod database;
pub mod git;

use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use ignore::{WalkBuilder, WalkState};

/// How the walk behaves.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Ignore `.gitignore`, `.ignore` and `.piimapignore` files.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow: bool,
    /// Files larger than this (bytes) are reported as skipped.
    pub max_filesize: u64,
    /// Walker threads.
    pub threads: usize,
    /// Paths never scanned (`ignore` of `.piimap.toml`): globs matched
    /// against paths relative to `base`.
    pub exclude: Option<std::sync::Arc<(globset::GlobSet, PathBuf)>>,
}

/// One unit of work for the scanners.
#[derive(Debug)]
pub enum Entry {
    /// A regular file to read.
    File {
        /// Where it is.
        path: PathBuf,
        /// Its path for reports: the target as given, `/`-separated.
        display: String,
        /// Its size in bytes.
        size: u64,
        /// What else the file system says of it (time, owner, exposure).
        meta: crate::inventory::ItemMeta,
    },
    /// A file over the size limit.
    TooLarge {
        /// Its path for reports.
        display: String,
        /// Its size in bytes.
        size: u64,
    },
    /// A path that could not be listed or inspected.
    Error {
        /// Its path for reports.
        display: String,
        /// What went wrong.
        message: String,
    },
}

/// The report form of a path: as given, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Walks `targets` and sends every entry to `tx`; returns when the walk is done
/// or the receiver has gone.
pub fn walk(targets: &[PathBuf], opts: &WalkOptions, tx: &SyncSender<Entry>) {
    let Some((first, rest)) = targets.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for t in rest {
        builder.add(t);
    }
    let respect = !opts.no_ignore;
    builder
        .hidden(false)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .require_git(false)
        .follow_links(opts.follow)
        .threads(opts.threads)
        .filter_entry({
            let exclude = opts.exclude.clone();
            move |e| {
                e.file_name() != ".git"
                    && exclude.as_deref().is_none_or(|(globs, base)| {
                        let rel = e.path().strip_prefix(base).unwrap_or(e.path());
                        !globs.is_match(rel.strip_prefix(".").unwrap_or(rel))
                    })
            }
        });
    if respect {
        builder.add_custom_ignore_filename(".piimapignore");
    }
    let max = opts.max_filesize;
    builder.build_parallel().run(|| {
        let tx = tx.clone();
        Box::new(move |result| {
            let entry = match result {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => match e.metadata() {
                    Ok(m) if m.len() > max => {
                        Entry::TooLarge { display: display_path(e.path()), size: m.len() }
                    }
                    Ok(m) => Entry::File {
                        display: display_path(e.path()),
                        path: e.into_path(),
                        size: m.len(),
                        meta: crate::inventory::ItemMeta::of(&m),
                    },
                    Err(err) => {
                        Entry::Error { display: display_path(e.path()), message: describe(&err) }
                    }
                },
                // Directories are walked into; symlinks not followed are skipped
                // (as ripgrep does), and so are sockets, FIFOs and devices.
                Ok(_) => return WalkState::Continue,
                Err(err) => Entry::Error { display: error_path(&err), message: describe(&err) },
            };
            if tx.send(entry).is_err() { WalkState::Quit } else { WalkState::Continue }
        })
    });
}

/// The path an `ignore` error is about.
fn error_path(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => display_path(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => display_path(child),
        ignore::Error::Partial(errs) => errs.first().map(error_path).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The error without the path (reports carry the path separately).
fn describe(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe(err),
        ignore::Error::Loop { .. } => "symbolic link loop".to_string(),
        ignore::Error::Io(e) => format!("cannot read: {e}"),
        other => other.to_string(),
    }
}
