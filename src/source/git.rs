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
    /// The commit's place in history (1 = oldest).
    pub order: usize,
}

/// Why a blob was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The object is not in the repository (a partial clone).
    Missing,
    /// Over the size limit: its size in bytes.
    TooLarge(u64),
}

/// Every file blob reachable from any ref, once each, oldest commits first,
/// handed to `each` with its content (or why it was not read).
///
/// Two git processes form a pipeline: `git log --all --raw` lists the blobs
/// each commit adds, and each blob not seen before is at once requested from
/// `git cat-file --batch`, so listing, reading and the caller's scanning
/// overlap. Merges are listed against each parent (`-m`) so that a conflict
/// resolution's new content is not missed; renames are not followed, as a
/// renamed blob is already seen. Blobs over `max` bytes are not read.
pub fn history(
    repo: &Path,
    max: u64,
    mut each: impl FnMut(FirstSeen, Result<Vec<u8>, Unread>),
) -> Result<(), GitError> {
    use std::io::{BufRead, BufReader, BufWriter, Read, Write};
    use std::process::Stdio;
    let mut log = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "core.quotePath=false", "log", "--all", "--reverse", "-m", "--no-renames"])
        .args(["--raw", "--no-abbrev", "--format=%H"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut cat = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let (Some(listing), Some(requests), Some(replies)) =
        (log.stdout.take(), cat.stdin.take(), cat.stdout.take())
    else {
        return Err(std::io::Error::other("git pipes missing").into());
    };
    let (tx, rx) = std::sync::mpsc::channel::<FirstSeen>();
    let read = std::thread::scope(|s| {
        let lister = s.spawn(move || -> std::io::Result<()> {
            let mut requests = BufWriter::new(requests);
            let mut parser = LogParser::default();
            let mut listing = BufReader::new(listing);
            let mut line = Vec::new();
            while listing.read_until(b'\n', &mut line)? > 0 {
                if let Some(seen) = parser.line(String::from_utf8_lossy(&line).trim_end()) {
                    writeln!(requests, "{}", seen.blob)?;
                    if tx.send(seen).is_err() {
                        break;
                    }
                }
                line.clear();
            }
            requests.flush()
        });
        let mut replies = BufReader::new(replies);
        let read_all = || -> std::io::Result<()> {
            let mut header = String::new();
            for blob in rx {
                header.clear();
                replies.read_line(&mut header)?;
                // `<id> blob <size>` then the content and a newline, or `<id> missing`.
                let size = header.trim_end().strip_prefix(&*blob.blob).and_then(|rest| {
                    rest.strip_prefix(" blob ").and_then(|n| n.parse::<u64>().ok())
                });
                match size {
                    None if header.is_empty() => {
                        return Err(std::io::Error::other("git cat-file stopped early"));
                    }
                    None => each(blob, Err(Unread::Missing)),
                    Some(size) if size > max => {
                        std::io::copy(&mut (&mut replies).take(size + 1), &mut std::io::sink())?;
                        each(blob, Err(Unread::TooLarge(size)));
                    }
                    Some(size) => {
                        let mut content = Vec::with_capacity(size as usize);
                        (&mut replies).take(size).read_to_end(&mut content)?;
                        let mut newline = [0u8; 1];
                        replies.read_exact(&mut newline)?;
                        each(blob, Ok(content));
                    }
                }
            }
            Ok(())
        };
        let read = read_all();
        if read.is_err() {
            // The lister may be blocked writing to cat-file: unblock it.
            let _ = cat.kill();
            let _ = log.kill();
        }
        let listed =
            lister.join().unwrap_or_else(|_| Err(std::io::Error::other("lister panicked")));
        read.and(listed)
    });
    let mut message = String::new();
    if let Some(mut stderr) = log.stderr.take() {
        stderr.read_to_string(&mut message)?;
    }
    let status = log.wait()?;
    let _ = cat.wait();
    // git log's own failure (not a repository, …) explains any pipe error.
    if !status.success() {
        return Err(GitError::Failed { command: "log".into(), message: message.trim().into() });
    }
    read.map_err(GitError::from)
}

/// Turns `git log --raw --format=%H` lines into first sightings of blobs.
#[derive(Default)]
struct LogParser {
    seen: std::collections::HashSet<String>,
    commit: String,
    order: usize,
}

impl LogParser {
    fn line(&mut self, line: &str) -> Option<FirstSeen> {
        if line.len() == 40 && line.bytes().all(|b| b.is_ascii_hexdigit()) {
            // With -m a merge is printed once per parent.
            if line != self.commit {
                self.order += 1;
                self.commit = line.to_string();
            }
            return None;
        }
        // :100644 100644 <old blob> <new blob> M<TAB>path
        let (meta, path) = line.strip_prefix(':')?.split_once('\t')?;
        let fields: Vec<&str> = meta.split(' ').collect();
        let [_, mode, _, blob, status] = fields[..] else { return None };
        // Regular files only: not symlinks (120000) or submodules (160000).
        let adds = status.starts_with(['A', 'M', 'T']);
        if !mode.starts_with("100") || !adds || !self.seen.insert(blob.to_string()) {
            return None;
        }
        Some(FirstSeen {
            blob: blob.to_string(),
            commit: self.commit.clone(),
            path: unquote(path),
            order: self.order,
        })
    }
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
    /// The target is not inside a git repository (git would take `diff`
    /// outside one as a comparison of two files and reject `--cached`).
    #[error("{0} is not in a git repository (--staged, --diff and --since read one)")]
    NotARepository(String),
}

/// The files `scope` adds to in the repository at `repo`, with their added
/// lines and new content.
pub fn changes(repo: &Path, scope: &Scope) -> Result<Vec<Change>, GitError> {
    if git(repo, &["rev-parse", "--git-dir"]).is_err() {
        return Err(GitError::NotARepository(repo.display().to_string()));
    }
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
    fn log_parser_keeps_first_sightings_of_file_blobs() {
        let (c1, c2) = ("a".repeat(40), "b".repeat(40));
        let (b1, b2) = ("1".repeat(40), "2".repeat(40));
        let zero = "0".repeat(40);
        let mut p = LogParser::default();
        let lines = [
            c1.clone(),
            format!(":000000 100644 {zero} {b1} A\tdocs/a.txt"),
            format!(":000000 120000 {zero} {b2} A\tlink"),
            c2.clone(),
            format!(":100644 100644 {b1} {b2} M\t\"d\\\"q.txt\""),
            format!(":000000 100644 {zero} {b1} A\tcopy.txt"),
            format!(":100644 000000 {b2} {zero} D\td.txt"),
        ];
        let got: Vec<FirstSeen> = lines.iter().filter_map(|l| p.line(l)).collect();
        let seen = |blob: &str, commit: &str, path: &str, order| FirstSeen {
            blob: blob.into(),
            commit: commit.into(),
            path: path.into(),
            order,
        };
        assert_eq!(got, [seen(&b1, &c1, "docs/a.txt", 1), seen(&b2, &c2, "d\"q.txt", 2)]);
    }

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
