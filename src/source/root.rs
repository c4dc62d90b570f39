//! The root a scan's paths are compared from. A walk names a file as its
//! target was written (`./a.txt`, `/srv/repo/a.txt`, `a.txt`) and a git
//! scope names it from the repository's top level (`a.txt`); a baseline, a
//! fingerprint or a SARIF URI made in one of these ways must match the
//! others. So each is keyed by the path relative to the repository that
//! holds the first target, or to the target itself outside a repository.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The directory paths are made relative to, and how the scan names paths.
#[derive(Debug, Clone)]
pub struct Root {
    /// The root, as an absolute path: canonical first, then as written
    /// (a target reached through a symbolic link is named through it).
    dirs: Vec<PathBuf>,
    /// The working directory, which relative walk paths start from.
    cwd: PathBuf,
    /// Paths are already relative to the root (a git scope's).
    relative: bool,
    /// The root is a git repository's top level.
    repository: bool,
}

impl Root {
    /// The root for a walk of `target`: the top level of the git repository
    /// holding it, else the target directory (a file's own directory).
    pub fn of_target(target: &Path) -> Root {
        Root::find(target, false)
    }

    /// The root for a git scope of the repository at `repo`, whose paths are
    /// already relative to its top level.
    pub fn of_repository(repo: &Path) -> Root {
        Root::find(repo, true)
    }

    fn find(target: &Path, relative: bool) -> Root {
        let cwd = std::env::current_dir().unwrap_or_default();
        let written = normalize(&cwd.join(target));
        let canonical = std::fs::canonicalize(target).unwrap_or_else(|_| written.clone());
        let dir = |p: &Path| if p.is_file() { p.parent().map(Path::to_path_buf) } else { None };
        let canonical = dir(&canonical).unwrap_or(canonical);
        let written = dir(&written).unwrap_or(written);
        // The repository is found from the canonical path; the same number of
        // levels up is its written form too.
        let top = canonical.ancestors().position(|a| a.join(".git").exists());
        let (dirs, repository) = match top {
            Some(up) => {
                let up_of = |p: &Path| p.ancestors().nth(up).map(Path::to_path_buf);
                let mut dirs: Vec<PathBuf> = up_of(&canonical).into_iter().collect();
                dirs.extend(up_of(&written).filter(|w| dirs.first() != Some(w)));
                (dirs, true)
            }
            None if canonical == written => (vec![canonical], false),
            None => (vec![canonical, written], false),
        };
        Root { dirs, cwd, relative, repository }
    }

    /// The root directory.
    pub fn dir(&self) -> &Path {
        &self.dirs[0]
    }

    /// Whether the root is a git repository's top level.
    pub fn is_repository(&self) -> bool {
        self.repository
    }

    /// `path`, as the scan names it, relative to the root with `/`
    /// separators; a path outside the root is returned without a leading
    /// `./`.
    pub fn relative<'a>(&self, path: &'a str) -> Cow<'a, str> {
        let bare = path.strip_prefix("./").unwrap_or(path);
        if self.relative {
            return Cow::Borrowed(bare);
        }
        let absolute = normalize(&self.cwd.join(path));
        for dir in &self.dirs {
            if let Ok(rest) = absolute.strip_prefix(dir) {
                return Cow::Owned(rest.to_string_lossy().replace('\\', "/"));
            }
        }
        Cow::Borrowed(bare)
    }
}

/// `path` without `.` components and with `..` applied, without touching the
/// file system (an archive member's path does not exist on disk).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_paths_become_relative_to_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("sub")).unwrap();
        let root = Root::of_target(&top.join("sub"));
        assert!(root.is_repository());
        let abs = format!("{}/sub/a.txt", top.display());
        assert_eq!(root.relative(&abs), "sub/a.txt");
        assert_eq!(root.relative(&format!("{}/sub/./x/../b.txt", top.display())), "sub/b.txt");
        // Outside the root: as written, without `./`.
        assert_eq!(root.relative("/elsewhere/c.txt"), "/elsewhere/c.txt");
        // A git scope's paths are already relative.
        assert_eq!(Root::of_repository(&top).relative("./sub/a.txt"), "sub/a.txt");
    }

    #[test]
    fn outside_a_repository_the_target_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::write(top.join("a.txt"), "x").unwrap();
        let root = Root::of_target(&top.join("a.txt"));
        assert!(!root.is_repository());
        assert_eq!(root.relative(&format!("{}/a.txt", top.display())), "a.txt");
    }
}
