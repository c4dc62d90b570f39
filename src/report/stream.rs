//! The scan-time reports (`text`, `jsonl`, `sarif`) written as the scan
//! goes, in item order.
//!
//! Items finish in any order on the worker threads; [`Ordered`] writes them
//! in the order of their numbers ([`Seq`]). The item at the head writes
//! straight through; an item that finishes (or writes) ahead of it is held
//! in a spool — memory up to [`SPOOL_MEMORY`], then an unnamed temporary
//! file — and copied out when its turn comes. [`Sink::admit`] keeps the
//! items started ahead of the head to [`WINDOW`], so spools stay few however
//! slow one item is. Output is the same byte for byte whatever the number
//! of threads, and flushed as the head moves, so a reader of a pipe sees
//! each item as soon as the items before it are done.
//!
//! Each item formats its own lines on its own thread ([`Format`]); the lock
//! is held only to copy bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Seek, Write};
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::finding::Finding;
use crate::inventory::{Inventory, ItemError, Location, Skipped};
use crate::scan::{ItemSink, Seq, Sink};

/// Items that may be started ahead of the first unfinished one.
pub(super) const WINDOW: u64 = 128;

/// A held item's bytes kept in memory before they go to a temporary file.
pub(super) const SPOOL_MEMORY: usize = 256 << 10;

/// How one scan-time format writes what an item yields. `State` lives with
/// the item (on its thread): what the format remembers between batches.
pub(super) trait Format: Sync {
    /// Per-item state.
    type State: Default;
    /// Bytes written between two writes that both hold something (SARIF's
    /// comma between results); empty for line formats.
    const SEPARATOR: &'static [u8] = b"";
    /// Written before anything else (nothing, unless the format has a
    /// head).
    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let _ = out;
        Ok(())
    }
    /// Findings of one location.
    fn findings(&self, state: &mut Self::State, findings: &[Finding], out: &mut Vec<u8>);
    /// A location's aggregate, after its findings.
    fn location(&self, state: &mut Self::State, location: &Location, out: &mut Vec<u8>);
    /// An error entry.
    fn error(&self, state: &mut Self::State, error: &ItemError, out: &mut Vec<u8>);
    /// A skipped entry.
    fn skipped(&self, state: &mut Self::State, skipped: &Skipped, out: &mut Vec<u8>);
    /// Written last, from the finished inventory.
    fn footer(&self, inventory: &Inventory, out: &mut dyn Write) -> io::Result<()>;
}

/// An item's bytes held until its turn.
#[derive(Default)]
struct Spool {
    memory: Vec<u8>,
    file: Option<File>,
    /// Something was written (for separators).
    used: bool,
    done: bool,
}

struct State {
    out: Box<dyn Write + Send>,
    /// The item whose bytes go straight out.
    next: Seq,
    held: BTreeMap<Seq, Spool>,
    /// Something was written to `out` (for separators).
    used: bool,
    /// The first write error: nothing more is written, and the scan stops.
    error: Option<io::Error>,
}

/// Writes items in order (see the module docs).
pub(super) struct Ordered<F: Format> {
    format: F,
    state: Mutex<State>,
    moved: Condvar,
}

impl<F: Format> Ordered<F> {
    /// Writes the format's header to `out` and waits for items.
    pub(super) fn new(format: F, mut out: Box<dyn Write + Send>) -> io::Result<Ordered<F>> {
        format.header(&mut out)?;
        let state = State { out, next: 0, held: BTreeMap::new(), used: false, error: None };
        Ok(Ordered { format, state: Mutex::new(state), moved: Condvar::new() })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes `bytes` of item `seq`: straight out at the head, else to its
    /// spool.
    fn write(&self, seq: Seq, bytes: &[u8]) {
        let mut guard = self.lock();
        let state = &mut *guard;
        if state.error.is_some() {
            return;
        }
        let result = if seq == state.next {
            emit(state, F::SEPARATOR, bytes)
        } else {
            state.held.entry(seq).or_default().push(F::SEPARATOR, bytes)
        };
        if let Err(e) = result {
            state.error = Some(e);
            self.moved.notify_all();
        }
    }

    /// Item `seq` is done: at the head, the head moves past it and every
    /// finished item after it, and the next unfinished one's spool goes out
    /// (it writes straight through from then on).
    fn done(&self, seq: Seq) {
        let mut guard = self.lock();
        let state = &mut *guard;
        if seq != state.next {
            state.held.entry(seq).or_default().done = true;
            return;
        }
        let mut result = Ok(());
        state.next += 1;
        while let Some(spool) = state.held.remove(&state.next) {
            let done = spool.done;
            if state.error.is_none()
                && let Err(e) = spool.copy_to(state, F::SEPARATOR)
            {
                result = Err(e);
            }
            if !done {
                break;
            }
            state.next += 1;
        }
        if state.error.is_none() {
            result = result.and_then(|()| state.out.flush());
        }
        if let Err(e) = result {
            state.error.get_or_insert(e);
        }
        self.moved.notify_all();
    }
}

/// An ordered writer of any format, ended with the finished inventory.
pub(super) trait Finish: Sink {
    /// Writes the footer and flushes; the first write error of the scan,
    /// if any.
    fn finish(self: Box<Self>, inventory: &Inventory) -> io::Result<()>;
}

impl<F: Format + Send> Finish for Ordered<F> {
    fn finish(self: Box<Self>, inventory: &Inventory) -> io::Result<()> {
        let Ordered { format, state, .. } = *self;
        let mut state = state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(e) = state.error {
            return Err(e);
        }
        format.footer(inventory, &mut state.out)?;
        state.out.flush()
    }
}

/// Writes `bytes` out, after a separator when both sides hold something.
fn emit(state: &mut State, separator: &[u8], bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    if state.used {
        state.out.write_all(separator)?;
    }
    state.used = true;
    state.out.write_all(bytes)
}

impl Spool {
    fn push(&mut self, separator: &[u8], bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        if self.used {
            self.memory.extend_from_slice(separator);
        }
        self.used = true;
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > SPOOL_MEMORY {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.memory)?;
            self.memory.clear();
        }
        Ok(())
    }

    /// Copies the spool out (what went to its file first).
    fn copy_to(self, state: &mut State, separator: &[u8]) -> io::Result<()> {
        if !self.used {
            return Ok(());
        }
        if state.used {
            state.out.write_all(separator)?;
        }
        state.used = true;
        if let Some(mut file) = self.file {
            file.rewind()?;
            // Read in blocks as large as the memory a spool holds: `copy`'s
            // own buffer is 8 KB, and a dense table's spool (tens of MB of
            // lines) took a read call per 8 KB, all under the lock the
            // other threads wait on to write.
            let mut file = io::BufReader::with_capacity(SPOOL_MEMORY, file);
            io::copy(&mut file, &mut state.out)?;
        }
        state.out.write_all(&self.memory)
    }
}

impl<F: Format> Sink for Ordered<F> {
    fn admit(&self, seq: Seq) -> bool {
        let mut state = self.lock();
        while state.error.is_none() && seq >= state.next + WINDOW {
            state = self.moved.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        state.error.is_none()
    }

    fn closed(&self) -> bool {
        self.lock().error.is_some()
    }

    fn item(&self, seq: Seq) -> Box<dyn ItemSink + '_> {
        Box::new(Item { ordered: self, seq, state: F::State::default(), buf: Vec::new() })
    }
}

/// One item's writer: formats on the item's thread, then writes.
struct Item<'a, F: Format> {
    ordered: &'a Ordered<F>,
    seq: Seq,
    state: F::State,
    buf: Vec<u8>,
}

impl<F: Format> Item<'_, F> {
    fn send(&mut self) {
        self.ordered.write(self.seq, &self.buf);
        self.buf.clear();
    }
}

impl<F: Format> ItemSink for Item<'_, F> {
    fn findings(&mut self, findings: &[Finding]) {
        self.ordered.format.findings(&mut self.state, findings, &mut self.buf);
        self.send();
    }

    fn location(&mut self, location: &Location) {
        self.ordered.format.location(&mut self.state, location, &mut self.buf);
        self.send();
    }

    fn error(&mut self, error: &ItemError) {
        self.ordered.format.error(&mut self.state, error, &mut self.buf);
        self.send();
    }

    fn skipped(&mut self, skipped: &Skipped) {
        self.ordered.format.skipped(&mut self.state, skipped, &mut self.buf);
        self.send();
    }
}

impl<F: Format> Drop for Item<'_, F> {
    fn drop(&mut self) {
        self.ordered.done(self.seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A format that writes error messages, and `]` last.
    struct Lines;

    impl Format for Lines {
        type State = ();
        fn findings(&self, _: &mut (), _: &[Finding], _: &mut Vec<u8>) {}
        fn location(&self, _: &mut (), _: &Location, _: &mut Vec<u8>) {}
        fn error(&self, _: &mut (), e: &ItemError, out: &mut Vec<u8>) {
            out.extend_from_slice(e.message.as_bytes());
        }
        fn skipped(&self, _: &mut (), _: &Skipped, _: &mut Vec<u8>) {}
        fn footer(&self, _: &Inventory, out: &mut dyn Write) -> io::Result<()> {
            out.write_all(b"]")
        }
        const SEPARATOR: &'static [u8] = b",";
    }

    /// A writer into shared memory.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn error(message: String) -> ItemError {
        ItemError { path: String::new(), message }
    }

    #[test]
    fn items_come_out_in_order_whatever_order_they_finish_in() {
        let out = Shared::default();
        let ordered = Ordered::new(Lines, Box::new(out.clone())).unwrap();
        let (mut a, mut b, mut c) = (ordered.item(0), ordered.item(1), ordered.item(2));
        c.error(&error("c".into()));
        drop(c);
        // Item 1 writes more than a spool keeps in memory: it goes to a file.
        let big = "b".repeat(SPOOL_MEMORY + 10);
        b.error(&error(big.clone()));
        b.error(&error("b2".into()));
        // The head writes straight through.
        a.error(&error("a".into()));
        assert_eq!(&*out.0.lock().unwrap(), b"a");
        drop(a);
        // Item 1 is not done: its spool went out, the rest goes straight on.
        b.error(&error("b3".into()));
        drop(b);
        Finish::finish(Box::new(ordered), &Inventory::default()).unwrap();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, format!("a,{big},b2,b3,c]"));
    }

    #[test]
    fn admission_waits_for_the_head_to_move() {
        let ordered = Ordered::new(Lines, Box::new(Shared::default())).unwrap();
        assert!(ordered.admit(WINDOW - 1));
        std::thread::scope(|s| {
            let waiter = s.spawn(|| ordered.admit(WINDOW));
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert!(!waiter.is_finished());
            drop(ordered.item(0));
            assert!(waiter.join().unwrap());
        });
    }

    /// A writer that refuses.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stops_admission_and_is_reported() {
        let ordered = Ordered::new(Lines, Box::new(Closed)).unwrap();
        let mut a = ordered.item(0);
        a.error(&error("x".into()));
        drop(a);
        assert!(!ordered.admit(1));
        let err = Finish::finish(Box::new(ordered), &Inventory::default()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
