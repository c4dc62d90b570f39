//! The progress bar of `piimap scan` (stderr, terminals only): files,
//! bytes, throughput, pages read by OCR and findings as the scan goes; once a walk ahead of the
//! scan has counted the bytes to read, the share done and the time left.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use piimap::inventory::Stats;
use piimap::report;
use piimap::scan::{Progress, ScanConfig};

/// The progress bar on stderr: files, bytes, rate and findings as the scan
/// goes; once a walk ahead of the scan has counted the bytes to read, a bar
/// with the share done and the time left.
pub(super) struct Bar {
    pub(super) bar: ProgressBar,
    files: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
    /// Pages read by OCR: the slow part of a scan of pictures.
    ocr_pages: AtomicU64,
    /// When the message was last redrawn, in milliseconds of the bar.
    shown: AtomicU64,
}

impl Bar {
    pub(super) fn new() -> Bar {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}  {elapsed}  (counting…)")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Bar {
            bar,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            findings: AtomicU64::new(0),
            ocr_pages: AtomicU64::new(0),
            shown: AtomicU64::new(0),
        }
    }

    /// The walk ahead has counted `bytes` to read: from now on a bar with
    /// the percentage and the time left.
    fn total(&self, bytes: u64) {
        self.bar.set_length(bytes.max(1));
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        self.bar.set_style(
            ProgressStyle::with_template("{bar:20} {percent:>3}%  {msg}  ~{eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    /// Counts what a walk of `config` will read, on the calling thread,
    /// until done or `stop`; then shows the total.
    pub(super) fn count_ahead(&self, config: &ScanConfig, stop: &AtomicBool) {
        let mut bytes = 0u64;
        piimap::source::walk(&config.targets, &config.walk, &mut |entry| {
            if let piimap::source::Entry::File { size, .. } = entry {
                bytes += size;
            }
            !stop.load(Ordering::Relaxed)
        });
        if !stop.load(Ordering::Relaxed) {
            self.total(bytes);
        }
    }
}

impl Progress for Bar {
    fn item_done(&self, item: &Stats) {
        let (bytes, findings) = (item.bytes, item.findings);
        let pages = self.ocr_pages.fetch_add(item.ocr_pages, Ordering::Relaxed) + item.ocr_pages;
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let found = self.findings.fetch_add(findings, Ordering::Relaxed) + findings;
        // An archive's members can add up past the archive's size.
        self.bar.set_position(total.min(self.bar.length().unwrap_or(u64::MAX)));
        // The message is redrawn at most four times a second: formatting
        // it for every one of a million small files would only add lock
        // traffic, and counting files would leave it stale between large
        // ones.
        let now = self.bar.elapsed().as_millis() as u64;
        let shown = self.shown.load(Ordering::Relaxed);
        if now.saturating_sub(shown) >= 250
            && self.shown.compare_exchange(shown, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            let rate = (total as f64 / self.bar.elapsed().as_secs_f64().max(0.001)) as u64;
            let ocr = if pages > 0 {
                format!(", {} pages by OCR", report::grouped(pages))
            } else {
                String::new()
            };
            self.bar.set_message(format!(
                "{} files, {} at {}/s{ocr}, {} found",
                report::grouped(files),
                indicatif::HumanBytes(total),
                indicatif::HumanBytes(rate),
                report::grouped(found)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use piimap::scan::DbOptions;
    use piimap::source::WalkOptions;

    #[test]
    fn the_bar_counts_ahead_then_shows_the_share_done() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), vec![b'x'; 3000]).unwrap();
        std::fs::write(dir.path().join("b.txt"), vec![b'y'; 1000]).unwrap();
        let config = ScanConfig {
            targets: vec![dir.path().to_path_buf()],
            walk: WalkOptions {
                no_ignore: false,
                follow: false,
                max_filesize: 2000,
                exclude: None,
                report: None,
                globs: None,
                shard: None,
            },
            databases: DbOptions::default(),
        };
        let bar = Bar::new();
        let item = |bytes, findings| Stats { bytes, findings, ..Stats::default() };
        bar.item_done(&item(500, 2));
        assert_eq!(bar.bar.length(), None, "no total before the walk ahead is done");
        bar.count_ahead(&config, &AtomicBool::new(false));
        // The file over --max-filesize is not read, so not counted.
        assert_eq!((bar.bar.length(), bar.bar.position()), (Some(1000), 500));
        bar.item_done(&item(700, 1));
        assert_eq!(bar.bar.position(), 1000, "never past the total");
        // Stopped (the scan ended first): no total.
        let stopped = Bar::new();
        stopped.count_ahead(&config, &AtomicBool::new(true));
        assert_eq!(stopped.bar.length(), None);
    }
}
