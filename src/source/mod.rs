//! Enumeration: which files a scan covers, and knows nothing of their content.
//!
//! The `ignore` crate's walker lists every target in a stable order — the
//! targets in turn, depth first, each directory's entries sorted by name —
//! so that items can be numbered and reported in that order whatever the
//! number of threads: hidden files are included (personal data hides there
//! too), `.git/` is never entered, `.gitignore`, `.ignore` and
//! `.piimapignore` are honoured unless turned off, symlinks are followed
//! only when asked. Each file becomes an [`Entry`] handed to the pipeline;
//! files over the size limit and paths that cannot be listed become entries
//! too, so nothing is dropped silently. Listing is cheap beside reading, so
//! one thread walks ahead of the workers.

pub mod archive;
pub mod database;
pub mod git;
pub mod root;
pub mod shard;

use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

/// How the walk behaves.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Ignore `.gitignore`, `.ignore` and `.piimapignore` files.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow: bool,
    /// Files larger than this (bytes) are reported as skipped.
    pub max_filesize: u64,
    /// Paths never scanned (`ignore` of `.piimap.toml`): globs matched
    /// against paths relative to `base`.
    pub exclude: Option<std::sync::Arc<(globset::GlobSet, PathBuf)>>,
    /// The scan's own report file (`-o`), never read: it is written while
    /// the walk goes on.
    pub report: Option<PathBuf>,
    /// `--glob`: only files matching a glob, none matching a `!glob`
    /// (ripgrep's overrides, relative to the working directory).
    pub globs: Option<ignore::overrides::Override>,
    /// `--shard`: only the files of this shard (every shard walks the
    /// whole tree and drops the others' files unread).
    pub shard: Option<shard::Shard>,
}

impl Entry {
    /// Its path for reports.
    pub fn display(&self) -> &str {
        match self {
            Entry::File { display, .. }
            | Entry::Skipped { display, .. }
            | Entry::Error { display, .. } => display,
        }
    }
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
        meta: ItemMeta,
        /// What tells whether it changed since an earlier scan.
        stamp: Stamp,
    },
    /// A file not read, and why (over the size limit; a FIFO or a device).
    Skipped {
        /// Its path for reports.
        display: String,
        /// Why it is not read.
        reason: String,
    },
    /// A path that could not be listed or inspected.
    Error {
        /// Its path for reports.
        display: String,
        /// What went wrong.
        message: String,
    },
}

/// What the file system (or, for a table, the database) says of an item,
/// where it says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemMeta {
    /// Size in bytes (files).
    pub size: u64,
    /// Rows read (database tables): all, or the sample.
    pub rows_read: Option<u64>,
    /// The rows the database estimates the table holds, where it says.
    pub rows_estimated: Option<u64>,
    /// Last modification, seconds since 1970.
    pub modified: Option<u64>,
    /// The owner's user id (Unix).
    pub owner: Option<u32>,
    /// Readable by every user of the machine or share (Unix mode o+r).
    pub world_readable: Option<bool>,
}

impl ItemMeta {
    /// The metadata of a file as the walk saw it.
    pub fn of(m: &std::fs::Metadata) -> ItemMeta {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        #[cfg(unix)]
        let (owner, world_readable) = {
            use std::os::unix::fs::MetadataExt;
            (Some(m.uid()), Some(m.mode() & 0o004 != 0))
        };
        #[cfg(not(unix))]
        let (owner, world_readable) = (None, None);
        ItemMeta { size: m.len(), modified, owner, world_readable, ..ItemMeta::default() }
    }
}

/// What tells whether a file changed since it was last scanned (the
/// incremental state compares them): its size, its modification and
/// status-change times to the nanosecond, and its inode. The status-change
/// time cannot be set back by tools that keep modification times (`cp -p`,
/// `rsync -t`, `touch -r`), so an equal stamp means the same content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub modified_ns: i64,
    /// Status-change time, nanoseconds since 1970 (0 where there is none).
    pub changed_ns: i64,
    /// The inode (0 where there is none).
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(m: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Stamp {
                size: m.len(),
                modified_ns: ns(m.mtime(), m.mtime_nsec()),
                changed_ns: ns(m.ctime(), m.ctime_nsec()),
                inode: m.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let modified_ns = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64);
            Stamp { size: m.len(), modified_ns, changed_ns: 0, inode: 0 }
        }
    }
}

impl Stamp {
    /// The stamp of something that is not a file (a table): a marker of its
    /// changes the database keeps, hashed into the fields.
    pub fn of_marker(marker: &str) -> Stamp {
        let hash = blake3::hash(marker.as_bytes());
        let word = |i: usize| {
            let mut w = [0; 8];
            w.copy_from_slice(&hash.as_bytes()[i * 8..i * 8 + 8]);
            w
        };
        Stamp {
            size: u64::from_le_bytes(word(0)),
            modified_ns: i64::from_le_bytes(word(1)),
            changed_ns: i64::from_le_bytes(word(2)),
            inode: u64::from_le_bytes(word(3)),
        }
    }
}

/// Whether the project's `ignore` globs (relative to their base) exclude
/// `path`.
fn excluded(exclude: Option<&(globset::GlobSet, PathBuf)>, path: &Path) -> bool {
    exclude.is_some_and(|(globs, base)| {
        let rel = path.strip_prefix(base).unwrap_or(path);
        globs.is_match(rel.strip_prefix(".").unwrap_or(rel))
    })
}

/// The report form of a path: as given, with `/` separators.
pub fn display_path(path: &Path) -> String {
    // Bytes that are not UTF-8 are written `\xFF`, not all as one U+FFFD:
    // `bad\xff.txt` and `bad\xfe.txt` stay two locations, each findable.
    #[cfg(unix)]
    let s: String = {
        use std::os::unix::ffi::OsStrExt;
        let mut s = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            s.push_str(chunk.valid());
            for b in chunk.invalid() {
                s.push_str(&format!("\\x{b:02X}"));
            }
        }
        s
    };
    #[cfg(not(unix))]
    let s = path.to_string_lossy().into_owned();
    if std::path::MAIN_SEPARATOR == '/' { s } else { s.replace(std::path::MAIN_SEPARATOR, "/") }
}

/// Walks `targets` in order and hands every entry to `each`, until the walk
/// is done or `each` returns false.
pub fn walk(targets: &[PathBuf], opts: &WalkOptions, each: &mut dyn FnMut(Entry) -> bool) {
    let Some((first, rest)) = targets.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    if let Some(globs) = &opts.globs {
        builder.overrides(globs.clone());
    }
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
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry({
            let exclude = opts.exclude.clone();
            // Compared by name first: only a name match costs a lookup.
            let report = opts
                .report
                .as_ref()
                .and_then(|r| Some((r.file_name()?.to_owned(), r.canonicalize().ok()?)));
            move |e| {
                e.file_name() != ".git"
                    && report.as_ref().is_none_or(|(name, path)| {
                        e.file_name() != name || e.path().canonicalize().ok().as_ref() != Some(path)
                    })
                    && !excluded(exclude.as_deref(), e.path())
            }
        });
    if respect {
        builder.add_custom_ignore_filename(".piimapignore");
    }
    let max = opts.max_filesize;
    // Every shard walks the whole tree; an item of another shard is dropped
    // by its path, before its metadata is asked for.
    let theirs = |display: &str| opts.shard.is_some_and(|s| !s.holds(display));
    for result in builder.build() {
        let entry = match result {
            // The walk filters what it finds below a target, not the targets
            // themselves: files named one by one (a pre-commit hook's) obey
            // the project's `ignore` too.
            Ok(e) if e.depth() == 0 && excluded(opts.exclude.as_deref(), e.path()) => continue,
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let display = display_path(e.path());
                if theirs(&display) {
                    continue;
                }
                match e.metadata() {
                    Ok(m) if m.len() > max => Entry::Skipped {
                        display,
                        reason: format!("larger than --max-filesize ({} bytes)", m.len()),
                    },
                    Ok(m) => Entry::File {
                        display,
                        path: e.into_path(),
                        size: m.len(),
                        meta: ItemMeta::of(&m),
                        stamp: Stamp::of(&m),
                    },
                    Err(err) => Entry::Error { display, message: describe(&err) },
                }
            }
            // Reading a FIFO or a device could block for ever or never end:
            // listed as skipped, never read.
            Ok(e) if let Some(kind) = e.file_type().and_then(special) => Entry::Skipped {
                display: display_path(e.path()),
                reason: format!("{kind}, not a regular file"),
            },
            // Directories are walked into; symlinks not followed are skipped,
            // as ripgrep does.
            Ok(_) => continue,
            Err(err) => Entry::Error { display: error_path(&err), message: describe(&err) },
        };
        if !matches!(entry, Entry::File { .. }) && theirs(entry.display()) {
            continue;
        }
        if !each(entry) {
            return;
        }
    }
}

/// What a special file is (a FIFO, a socket, a device), or `None`.
fn special(t: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    let _ = t;
    None
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
