//! Shards: the part of a scan one of N processes does (`--shard I/N`), so
//! that a share too large for one machine is scanned by a Slurm array or a
//! Kubernetes Indexed Job, and `piimap merge` joins the parts.
//!
//! Every item (a file, a table) belongs to exactly one shard, chosen by a
//! stable hash of its report path: every shard walks the same tree, keeps
//! its own items and drops the rest before reading them. Hashing each file
//! (rather than each top-level folder) keeps shards balanced when one folder
//! holds most of a share. The hash is BLAKE3, so the partition is the same
//! on every machine, platform and version.

use std::fmt;

/// One shard of `count`: items whose path hashes to `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, as written (`--shard 2/4`).
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` (1-based) of `count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count}: want 1 ≤ I ≤ N"));
        }
        Ok(Shard { index, count })
    }

    /// `I/N` (1-based, as cargo-nextest's and Playwright's partitions), or
    /// `auto`: from the batch system's variables (`vars` looks one up).
    pub fn parse(s: &str, vars: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        if s == "auto" {
            return Shard::from_env(vars);
        }
        let parsed = s.split_once('/').and_then(|(i, n)| Some((i.parse().ok()?, n.parse().ok()?)));
        let (index, count) =
            parsed.ok_or_else(|| format!("--shard wants I/N or auto, not {s:?}"))?;
        Shard::new(index, count)
    }

    /// The shard a batch system says this process is: a Slurm job array
    /// task (`SLURM_ARRAY_TASK_ID` of `SLURM_ARRAY_TASK_COUNT`, counted from
    /// `SLURM_ARRAY_TASK_MIN` by `SLURM_ARRAY_TASK_STEP`, so `--array=1-8`
    /// and `--array=0-14:2` work too) or a Kubernetes Indexed Job pod
    /// (`JOB_COMPLETION_INDEX`; Kubernetes gives no count, so the manifest
    /// sets `PIIMAP_SHARDS` to the Job's `completions`).
    pub fn from_env(vars: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let number = |name: &str| -> Result<Option<u32>, String> {
            match vars(name) {
                None => Ok(None),
                Some(v) => {
                    v.trim().parse().map(Some).map_err(|_| format!("{name}={v:?} is not a number"))
                }
            }
        };
        if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let count = number("SLURM_ARRAY_TASK_COUNT")?
                .ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?;
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let offset =
                id.checked_sub(min).ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?;
            return Shard::new(offset / step + 1, count);
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let count = number("PIIMAP_SHARDS")?.ok_or(
                "JOB_COMPLETION_INDEX is set but not the number of shards: set PIIMAP_SHARDS to the Job's completions",
            )?;
            return Shard::new(index + 1, count);
        }
        Err("--shard auto: neither a Slurm array task (SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)".into())
    }

    /// Whether the item at `path` (its report path) is this shard's.
    pub fn holds(&self, path: &str) -> bool {
        let hash = blake3::hash(path.as_bytes());
        let mut first = [0; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        u64::from_le_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// How many shards there are.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Which one this is (1-based).
    pub fn index(&self) -> u32 {
        self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn parses_explicit_and_batch_shards() {
        assert_eq!(Shard::parse("2/4", env(&[])), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", ""] {
            assert!(Shard::parse(bad, env(&[])).is_err(), "{bad}");
        }
        let slurm = [("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4")];
        assert_eq!(Shard::parse("auto", env(&slurm)), Ok(Shard { index: 4, count: 4 }));
        // --array=1-4 and --array=0-6:2 are four tasks too.
        let from_one = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ];
        assert_eq!(Shard::parse("auto", env(&from_one)), Ok(Shard { index: 1, count: 4 }));
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "6"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(Shard::parse("auto", env(&stepped)), Ok(Shard { index: 4, count: 4 }));
        let k8s = [("JOB_COMPLETION_INDEX", "0"), ("PIIMAP_SHARDS", "3")];
        assert_eq!(Shard::parse("auto", env(&k8s)), Ok(Shard { index: 1, count: 3 }));
        let err = Shard::parse("auto", env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err();
        assert!(err.contains("PIIMAP_SHARDS"), "{err}");
        assert!(Shard::parse("auto", env(&[])).unwrap_err().contains("neither"));
    }

    #[test]
    fn every_path_is_in_exactly_one_shard_and_shards_are_balanced() {
        let paths: Vec<String> =
            (0..4000).map(|i| format!("share/部署{}/file{i}.csv", i % 7)).collect();
        for n in 1..=8 {
            let shards: Vec<Shard> = (1..=n).map(|i| Shard::new(i, n).unwrap()).collect();
            let mut sizes = vec![0usize; n as usize];
            for p in &paths {
                let holders: Vec<usize> =
                    (0..shards.len()).filter(|&i| shards[i].holds(p)).collect();
                assert_eq!(holders.len(), 1, "{p} in {holders:?} of {n}");
                sizes[holders[0]] += 1;
            }
            let fair = paths.len() / n as usize;
            assert!(sizes.iter().all(|&s| s.abs_diff(fair) < fair / 5 + 20), "{n}: {sizes:?}");
        }
    }
}
