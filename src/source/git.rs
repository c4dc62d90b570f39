//! Git scopes: what a commit would add (`--staged`) or what a range of commits
//! added (`--diff BASE..HEAD`, `--since REV`) — for CI checks that must judge
//! a change, not the whole repository.
//!
//! The git command line does the work (no library to keep in step with the
//! repository format): `git diff -U0` gives the added lines of each file, and
//! `git show` its content at the index or at the head revision. Only findings
//! on added lines count; a file-level finding counts when the file changed.
//!
//! `--history` goes further back: every file version any ref ever held, each
//! read once (`git log --all --raw` names the blobs, one `git cat-file
//! --batch` streams them), attributed to the first commit that added it — so
//! data deleted long ago, which every clone still carries, is found too.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Which change to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The index against HEAD: what the next commit would add.
    Staged,
    /// What `head` adds over `base`.
    Range {
        /// The old revision.
        base: String,
        /// The new revision.
        head: String,
    },
}

impl Scope {
    /// Parses `BASE..HEAD` (or `BASE...HEAD`, as CI systems write it).
    pub fn range(spec: &str) -> Option<Scope> {
        let (base, head) = spec.split_once("...").or_else(|| spec.split_once(".."))?;
        (!base.is_empty() && !head.is_empty())
            .then(|| Scope::Range { base: base.to_string(), head: head.to_string() })
    }
}

/// One changed file.
#[derive(Debug, Clone)]
pub struct Change {
    /// The path relative to the repository root, `/`-separated.
    pub path: String,
    /// 1-based numbers of the lines the change adds.
    pub added: BTreeSet<u64>,
    /// The file's content after the change.
    pub content: Vec<u8>,
}

/// A blob as history first shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstSeen {
    /// The blob id.
    pub blob: String,
    /// The commit that first adds it.
    pub commit: String,
    /// Where that commit puts it.
    pub path: String,
    /// The commit's place in history (0 = oldest).
    pub order: usize,
}

/// Every file blob reachable from any ref, once each, oldest commits first,
/// with the commit and path where it first appears. Merges are listed
/// against each parent (`-m`) so that a conflict resolution's new content is
/// not missed; renames are not followed, since a renamed blob is already seen.
pub fn history(repo: &Path) -> Result<Vec<FirstSeen>, GitError> {
    let log = git(
        repo,
        &["log", "--all", "--reverse", "-m", "--no-renames", "--raw", "--no-abbrev", "--format=%H"],
    )?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let (mut commit, mut order) = (String::new(), 0);
    for line in String::from_utf8_lossy(&log).lines() {
        if line.len() == 40 && line.bytes().all(|b| b.is_ascii_hexdigit()) {
            if line != commit {
                order += 1;
                commit = line.to_string();
            }
        } else if let Some(raw) = line.strip_prefix(':') {
            // :100644 100644 <old blob> <new blob> M<TAB>path
            let Some((meta, path)) = raw.split_once('\t') else { continue };
            let fields: Vec<&str> = meta.split(' ').collect();
            let [_, mode, _, blob, status] = fields[..] else { continue };
            // Regular files only: not symlinks (120000) or submodules (160000).
            let file = mode.starts_with("100");
            let adds =
                status.starts_with('A') || status.starts_with('M') || status.starts_with('T');
            if file && adds && seen.insert(blob.to_string()) {
                out.push(FirstSeen {
                    blob: blob.to_string(),
                    commit: commit.clone(),
                    path: unquote(path),
                    order,
                });
            }
        }
    }
    Ok(out)
}

/// Why a blob was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The object is not in the repository (a partial clone).
    Missing,
    /// Over the size limit: its size in bytes.
    TooLarge(u64),
}

/// Reads `blobs` through one `git cat-file --batch` and hands each to `each`
/// in order, with its content or why it was not read. A writer thread feeds the ids so
/// that neither pipe can fill up while the other waits.
pub fn read_blobs<'a>(
    repo: &Path,
    blobs: &'a [FirstSeen],
    max: u64,
    mut each: impl FnMut(&'a FirstSeen, Result<Vec<u8>, Unread>),
) -> Result<(), GitError> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
    let ids: Vec<String> = blobs.iter().map(|b| b.blob.clone()).collect();
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for id in ids {
            writeln!(stdin, "{id}")?;
        }
        Ok(())
    });
    let mut reader =
        BufReader::new(child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?);
    let mut header = String::new();
    for blob in blobs {
        header.clear();
        reader.read_line(&mut header)?;
        // `<id> blob <size>` then the content and a newline, or `<id> missing`.
        let Some(size) = header
            .trim_end()
            .strip_prefix(&*blob.blob)
            .and_then(|rest| rest.strip_prefix(" blob ").and_then(|n| n.parse::<u64>().ok()))
        else {
            if header.is_empty() {
                return Err(std::io::Error::other("git cat-file stopped early").into());
            }
            each(blob, Err(Unread::Missing));
            continue;
        };
        let mut content = Vec::new();
        if size > max {
            std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())?;
            each(blob, Err(Unread::TooLarge(size)));
            continue;
        }
        (&mut reader).take(size).read_to_end(&mut content)?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline)?;
        each(blob, Ok(content));
    }
    writer.join().map_err(|_| std::io::Error::other("git cat-file writer"))??;
    child.wait()?;
    Ok(())
}

/// Why a git scope could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git could not be run.
    #[error("cannot run git: {0}")]
    Spawn(#[from] std::io::Error),
    /// git ran and refused.
    #[error("git {command} failed: {message}")]
    Failed {
        /// The subcommand.
        command: String,
        /// What git said (its own words; no file content).
        message: String,
    },
}

/// The files `scope` adds to in the repository at `repo`, with their added
/// lines and new content.
pub fn changes(repo: &Path, scope: &Scope) -> Result<Vec<Change>, GitError> {
    let mut diff =
        vec!["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", "--diff-filter=AM"];
    match scope {
        Scope::Staged => diff.push("--cached"),
        Scope::Range { base, head } => {
            diff.push(base);
            diff.push(head);
        }
    }
    let patch = git(repo, &diff)?;
    let mut out = Vec::new();
    for (path, added) in parse_added(&String::from_utf8_lossy(&patch)) {
        let spec = match scope {
            Scope::Staged => format!(":{path}"),
            Scope::Range { head, .. } => format!("{head}:{path}"),
        };
        let content = git(repo, &["show", &spec])?;
        out.push(Change { path, added, content });
    }
    Ok(out)
}

/// Runs git in `repo` with quoting of paths turned off.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()?;
    if !out.status.success() {
        let mut message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if message.contains("unknown revision") || message.contains("bad revision") {
            message.push_str(
                " (a shallow clone lacks the base revision: fetch it, e.g. `fetch-depth: 0`)",
            );
        }
        return Err(GitError::Failed { command: args[0].to_string(), message });
    }
    Ok(out.stdout)
}

/// The added line numbers per file of a `-U0` patch.
fn parse_added(patch: &str) -> Vec<(String, BTreeSet<u64>)> {
    let mut files: Vec<(String, BTreeSet<u64>)> = Vec::new();
    for line in patch.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            match path.strip_prefix("b/") {
                Some(p) => files.push((unquote(p), BTreeSet::new())),
                None => files.push((String::new(), BTreeSet::new())), // +++ /dev/null
            }
        } else if let Some(hunk) = line.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@: lines c .. c+d-1 are new (d defaults to 1).
            let Some(new) = hunk.split(' ').find_map(|p| p.strip_prefix('+')) else { continue };
            let (start, count) = new.split_once(',').unwrap_or((new, "1"));
            let (Ok(start), Ok(count)) = (start.parse::<u64>(), count.parse::<u64>()) else {
                continue;
            };
            if let Some((_, added)) = files.last_mut() {
                added.extend(start..start + count);
            }
        }
    }
    files.retain(|(path, added)| !path.is_empty() && !added.is_empty());
    files
}

/// A path as git writes it when it must quote (tabs, quotes): `"a\tb"`.
fn unquote(path: &str) -> String {
    match path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\t", "\t").replace("\\\\", "\\"),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_from_a_zero_context_patch() {
        let patch = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,0 +2,2 @@\n+x\n+y\n@@ -5 +8 @@\n-old\n+new\n\
                     diff --git a/gone.txt b/gone.txt\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n\
                     diff --git a/顧客.csv b/顧客.csv\nnew file mode 100644\n--- /dev/null\n+++ b/顧客.csv\n@@ -0,0 +1 @@\n+h\n";
        let files = parse_added(patch);
        let got: Vec<(&str, Vec<u64>)> =
            files.iter().map(|(p, a)| (p.as_str(), a.iter().copied().collect())).collect();
        assert_eq!(got, [("a.txt", vec![2, 3, 8]), ("顧客.csv", vec![1])]);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            Scope::range("main..HEAD"),
            Some(Scope::Range { base: "main".into(), head: "HEAD".into() })
        );
        assert_eq!(
            Scope::range("abc...def"),
            Some(Scope::Range { base: "abc".into(), head: "def".into() })
        );
        assert_eq!(Scope::range("main"), None);
    }
}
