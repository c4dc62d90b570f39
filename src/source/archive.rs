//! Archives as sources: the members of zip and tar files (recursively) and
//! the content of gzip files (so `.tar.gz` too), read in memory — nothing is ever extracted to
//! disk. Members are named `archive.zip!dir/file.csv` (nested:
//! `a.zip!b.zip!c.txt`).
//!
//! Limits against zip bombs: members nested deeper than [`Limits::depth`],
//! members larger than the size limit, members whose compression ratio
//! exceeds [`Limits::ratio`], and archives whose members add up to more than
//! [`Limits::total`] are skipped with the reason; encrypted members are
//! reported as errors. Nothing is passed over silently.
//!
//! This module knows nothing of detection: it hands members over.

use std::io::Read;

/// What is read from archives.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Archives inside archives, at most this deep.
    pub depth: usize,
    /// Largest member, in bytes (uncompressed).
    pub member: u64,
    /// Largest ratio of uncompressed to compressed size.
    pub ratio: u64,
    /// Largest total of one archive's members, in bytes.
    pub total: u64,
}

impl Limits {
    /// Three levels, 100:1, 4 GiB in all, members up to `member` bytes.
    pub fn new(member: u64) -> Limits {
        Limits { depth: 3, member, ratio: 100, total: 4 << 30 }
    }

    /// Whether a member of `size` bytes (`packed` compressed, for zips) may
    /// be read, adding it to the archive's `total` if so; else why not.
    fn admit(&self, size: u64, packed: Option<u64>, total: &mut u64) -> Result<(), String> {
        if size > self.member {
            return Err(format!("larger than {} bytes uncompressed ({size} bytes)", self.member));
        }
        if packed.is_some_and(|p| size > 1 << 20 && size / p.max(1) > self.ratio) {
            return Err(ratio_reason(self));
        }
        *total = total.saturating_add(size);
        if *total > self.total {
            return Err(format!("the archive's members exceed {} bytes in all", self.total));
        }
        Ok(())
    }
}

/// One member of an archive.
#[derive(Debug)]
pub enum Member {
    /// A file to scan.
    File {
        /// `archive.zip!inner/path`.
        display: String,
        /// Its content.
        bytes: Vec<u8>,
    },
    /// A member not read on purpose (a limit).
    Skipped {
        /// Its name.
        display: String,
        /// Why.
        reason: String,
    },
    /// A member that could not be read (encrypted, corrupt).
    Error {
        /// Its name.
        display: String,
        /// What went wrong.
        message: String,
    },
}

/// Hands every member of the archive `bytes` (named `display`) to `each`,
/// descending into nested archives.
pub fn members(bytes: &[u8], display: &str, limits: &Limits, each: &mut dyn FnMut(Member)) {
    walk(bytes, display, limits, 1, each);
}

fn walk(bytes: &[u8], display: &str, limits: &Limits, depth: usize, each: &mut dyn FnMut(Member)) {
    let hand = |name: String, content: Vec<u8>, each: &mut dyn FnMut(Member)| {
        // Workbooks and office documents are zips too, but documents, not
        // archives to open.
        if crate::read::container(&content) == crate::read::Container::Archive {
            if depth >= limits.depth {
                let reason =
                    format!("archive nested deeper than {} levels: not opened", limits.depth);
                each(Member::Skipped { display: name, reason });
            } else {
                walk(&content, &name, limits, depth + 1, each);
            }
        } else {
            each(Member::File { display: name, bytes: content });
        }
    };
    if bytes.starts_with(b"\x1f\x8b") {
        let inner = display.rsplit('/').next().unwrap_or(display);
        let name = format!("{display}!{}", inner.strip_suffix(".gz").unwrap_or(inner));
        let mut gz = flate2::read::GzDecoder::new(bytes);
        // The first block tells a .tar.gz: it is read member by member as it
        // inflates, each member within the limits as in a plain tar, never
        // inflated whole (which a tar past the member limit never was).
        let mut content = Vec::with_capacity(512);
        let head = (&mut gz).take(512).read_to_end(&mut content);
        if head.is_ok() && crate::read::is_tar(&content) {
            let inflated = limits.ratio.saturating_mul(bytes.len() as u64).max(1 << 20);
            let stream = std::io::Cursor::new(content).chain(gz);
            tar_members(
                stream,
                display,
                limits,
                Some(inflated),
                &mut |name, content, each| hand(name, content, each),
                each,
            );
            return;
        }
        let rest = limits.member.saturating_add(1).saturating_sub(content.len() as u64);
        let read = head.and_then(|_| gz.take(rest).read_to_end(&mut content));
        match read {
            Err(e) => each(Member::Error {
                display: display.to_string(),
                message: format!("corrupt gzip: {e}"),
            }),
            Ok(_) if content.len() as u64 > limits.member => each(Member::Skipped {
                display: name,
                reason: format!("larger than {} bytes uncompressed", limits.member),
            }),
            Ok(_)
                if content.len() as u64
                    > limits.ratio.saturating_mul(bytes.len() as u64).max(1 << 20) =>
            {
                each(Member::Skipped { display: name, reason: ratio_reason(limits) })
            }
            Ok(_) => hand(name, content, each),
        }
        return;
    }
    if crate::read::is_tar(bytes) {
        tar_members(
            bytes,
            display,
            limits,
            None,
            &mut |name, content, each| hand(name, content, each),
            each,
        );
        return;
    }
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            each(Member::Error {
                display: display.to_string(),
                message: format!("corrupt zip: {e}"),
            });
            return;
        }
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let listed = archive
            .name_for_index(i)
            .and_then(Result::ok)
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let name = listed;
                let message = match e {
                    zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                        "encrypted member: not read (password protected)".to_string()
                    }
                    e => format!("cannot read member: {e}"),
                };
                each(Member::Error { display: format!("{display}!{name}"), message });
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let name = format!("{display}!{listed}");
        if file.encrypted() {
            let message = "encrypted member: not read (password protected)".to_string();
            each(Member::Error { display: name, message });
            continue;
        }
        let size = file.size();
        if let Err(reason) = limits.admit(size, Some(file.compressed_size()), &mut total) {
            each(Member::Skipped { display: name, reason });
            continue;
        }
        // The declared size can lie: never read more than the limit.
        let mut content = Vec::with_capacity(size as usize);
        match (&mut file).take(limits.member.saturating_add(1)).read_to_end(&mut content) {
            Err(e) => {
                each(Member::Error { display: name, message: format!("corrupt member: {e}") })
            }
            Ok(_) if content.len() as u64 > limits.member => each(Member::Skipped {
                display: name,
                reason: format!("larger than {} bytes uncompressed", limits.member),
            }),
            Ok(_) => hand(name, content, each),
        }
    }
}

/// The regular files of a tar archive read from `tar` as it streams (a
/// `.tar.gz` inflating); a compressed one stops once its members add up to
/// more than `inflated` bytes (its compressed size times the ratio limit).
fn tar_members<H>(
    tar: impl Read,
    display: &str,
    limits: &Limits,
    inflated: Option<u64>,
    hand: &mut H,
    each: &mut dyn FnMut(Member),
) where
    H: FnMut(String, Vec<u8>, &mut dyn FnMut(Member)),
{
    let mut archive = tar::Archive::new(tar);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            each(Member::Error {
                display: display.to_string(),
                message: format!("corrupt tar: {e}"),
            });
            return;
        }
    };
    let mut total: u64 = 0;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A broken header ends the walk: what follows cannot be found.
                let message = format!("corrupt tar: {e}");
                each(Member::Error { display: display.to_string(), message });
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let listed = entry.path().map_or_else(|_| "?".into(), |p| p.to_string_lossy().into_owned());
        let name = format!("{display}!{listed}");
        let size = entry.size();
        if let Err(reason) = limits.admit(size, None, &mut total) {
            each(Member::Skipped { display: name, reason });
            continue;
        }
        if inflated.is_some_and(|cap| total > cap) {
            // A bomb: this member and the rest are not inflated.
            each(Member::Skipped { display: name, reason: ratio_reason(limits) });
            return;
        }
        let mut content = Vec::with_capacity(size as usize);
        match entry.read_to_end(&mut content) {
            Ok(_) => hand(name, content, each),
            Err(e) => {
                // The stream is broken (a truncated .tar.gz): what follows
                // cannot be found.
                let message = format!("corrupt member: {e} (the archive ends here)");
                each(Member::Error { display: name, message });
                return;
            }
        }
    }
}

fn ratio_reason(limits: &Limits) -> String {
    format!("compression ratio above {}:1 (a zip bomb?): not read", limits.ratio)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(content).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn list(bytes: &[u8], limits: &Limits) -> Vec<String> {
        let mut out = Vec::new();
        members(bytes, "a.zip", limits, &mut |m| {
            out.push(match m {
                Member::File { display, bytes } => format!("file {display} {}", bytes.len()),
                Member::Skipped { display, reason } => format!("skipped {display}: {reason}"),
                Member::Error { display, message } => format!("error {display}: {message}"),
            })
        });
        out
    }

    #[test]
    fn members_nested_archives_and_limits() {
        let inner = zip_of(&[("c.txt", b"hello")]);
        let outer = zip_of(&[("dir/b.csv", b"x,y\n"), ("inner.zip", &inner)]);
        let limits = Limits::new(1 << 20);
        assert_eq!(
            list(&outer, &limits),
            ["file a.zip!dir/b.csv 4", "file a.zip!inner.zip!c.txt 5"]
        );
        // Too deep.
        let shallow = Limits { depth: 1, ..limits };
        assert_eq!(
            list(&outer, &shallow),
            [
                "file a.zip!dir/b.csv 4",
                "skipped a.zip!inner.zip: archive nested deeper than 1 levels: not opened"
            ]
        );
        // A bomb: 8 MiB of zeros compress a thousandfold.
        let bomb = zip_of(&[("zeros.bin", &vec![0u8; 8 << 20])]);
        let out = list(&bomb, &Limits::new(64 << 20));
        assert!(
            out[0].starts_with("skipped a.zip!zeros.bin: compression ratio above 100:1"),
            "{out:?}"
        );
        // Over the size limit.
        let out = list(&outer, &Limits::new(3));
        assert!(out[0].starts_with("skipped a.zip!dir/b.csv: larger than 3 bytes"), "{out:?}");
        // Corrupt.
        assert!(list(b"PK\x03\x04garbage", &limits)[0].starts_with("error a.zip: corrupt zip"));
    }

    #[test]
    fn gzip_holds_one_file() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"TEL 090-5555-0101\n").unwrap();
        let bytes = gz.finish().unwrap();
        let mut out = Vec::new();
        members(&bytes, "logs/app.log.gz", &Limits::new(1 << 20), &mut |m| {
            if let Member::File { display, bytes } = m {
                out.push((display, bytes));
            }
        });
        assert_eq!(out, [("logs/app.log.gz!app.log".to_string(), b"TEL 090-5555-0101\n".to_vec())]);
    }

    /// A gzip-compressed tar of `files`.
    fn tar_gz(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut tar = tar::Builder::new(Vec::new());
        for (name, content) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, &content[..]).unwrap();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar.into_inner().unwrap()).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn item7_a_tar_gz_larger_than_the_member_limit_is_read_member_by_member() {
        // The tar is larger than the member limit; each member is not.
        let line = |n: u32| format!("TEL 090-5555-{n:04}\n").repeat(40).into_bytes();
        let bytes =
            tar_gz(&[("a.log", line(1)), ("b.log", line(2)), ("big.log", line(3).repeat(3))]);
        let out = list(&bytes, &Limits::new(1000));
        assert_eq!(
            out,
            [
                "file a.zip!a.log 720",
                "file a.zip!b.log 720",
                "skipped a.zip!big.log: larger than 1000 bytes uncompressed (2160 bytes)",
            ]
        );
        // Ten members of 4 MiB of zeros: past 100 times the compressed size,
        // the rest is not inflated.
        let zeros: Vec<(String, Vec<u8>)> =
            (0..10).map(|i| (format!("z{i}.bin"), vec![0u8; 4 << 20])).collect();
        let zeros: Vec<(&str, Vec<u8>)> =
            zeros.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
        let out = list(&tar_gz(&zeros), &Limits::new(8 << 20));
        assert!(
            out.last().unwrap().ends_with("compression ratio above 100:1 (a zip bomb?): not read"),
            "{out:?}"
        );
        assert!(out.len() < 10, "{out:?}");
    }
}
