//! Reading the whole journal on every core: `log` without `-n` parses, filters and
//! formats every line, which costs far more than reading them. This thread reads the
//! journal in blocks of about half a megabyte, straight into reused buffers; it hands
//! each block to a helper thread (one per other core) when one has room, and parses it
//! itself when none has, so no core waits while there is parsing to do and there are
//! never more busy threads than cores. Sealed lines of an encrypted journal are opened
//! by whichever thread parses them. The blocks are printed in the order they were read,
//! so the output and the warnings about damaged lines are exactly those of one thread.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::io;
use std::path::Path;
use std::sync::{Mutex, mpsc};

use crate::journal::read::blocks::{BLOCK_BYTES, Block, Blocks};
use crate::journal::read::view;
use crate::journal::read::{Damage, KeyHasher, Opener, id_key, plain_line_at};

use super::{Filter, Printer, Sink};

/// A block to parse, and its place in the order of reading.
struct Batch {
    seq: usize,
    block: Block,
}

/// What a worker made of a block: the printed entries, with separators between them,
/// how many there are, the damaged lines in the order they came, and how many newlines
/// the block held.
struct Printed {
    seq: usize,
    /// Read newest first: damaged lines are placed by offset, already numbered whole.
    backward: bool,
    text: Vec<u8>,
    shown: usize,
    /// Each printed entry's [`id_key`], where its text ends in `text` (the separator
    /// before the next one starts there) and where its line is in the file: a copy of
    /// a record printed before is cut out in reading order, on the printing thread.
    keys: Vec<(u64, usize, u64)>,
    damaged: Vec<Damage>,
    newlines: usize,
}

/// The number of threads that help the reading thread parse: one per other core, up to
/// three.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism().map_or(0, |n| n.get().min(4) - 1)
}

/// Buffers handed back once used, so that reading 100 MB does not mean asking the
/// system for 100 MB of fresh memory.
#[derive(Default)]
struct Pool(Mutex<Vec<Vec<u8>>>);

impl Pool {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default()
    }

    fn give(&self, buf: Vec<u8>) {
        if let Ok(mut pool) = self.0.lock() {
            pool.push(buf);
        }
    }
}

/// Prints every line of `blocks` that passes `filter`, in order, parsing here and on
/// `workers` helper threads. Stops at the first error, or once Ctrl-C is pressed.
pub(super) fn print_all(
    blocks: &mut Blocks,
    path: &Path,
    filter: &Filter,
    printer: &Printer<'_>,
    sink: &mut Sink<'_>,
    workers: usize,
) -> anyhow::Result<()> {
    // Bounded, so that reading never runs far ahead of parsing.
    let (to_workers, batches) = mpsc::sync_channel::<Batch>(workers * 2);
    let batches = Mutex::new(batches);
    let (to_printer, finished) = mpsc::channel::<io::Result<Printed>>();
    let (read_pool, text_pool) = (Pool::default(), Pool::default());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (batches, to_printer) = (&batches, to_printer.clone());
            let (read_pool, text_pool) = (&read_pool, &text_pool);
            scope.spawn(move || {
                loop {
                    let next = match batches.lock() {
                        Ok(batches) => batches.recv(),
                        Err(_) => return,
                    };
                    let Ok(batch) = next else { return };
                    let done = print_batch(&batch, text_pool.take(), path, filter, printer);
                    read_pool.give(batch.block.bytes);
                    if to_printer.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(to_printer);
        let mut order = InOrder {
            path: path.to_path_buf(),
            ..InOrder::default()
        };
        let mut seq = 0;
        while let Some(block) = blocks.next_block(read_pool.take())? {
            // Handed to a helper when one has room, else parsed here: this thread is one
            // of the workers, and never waits while there is parsing to do.
            match to_workers.try_send(Batch { seq, block }) {
                Ok(()) => {}
                Err(mpsc::TrySendError::Full(batch)) => {
                    order.add(print_batch(
                        &batch,
                        text_pool.take(),
                        path,
                        filter,
                        printer,
                    )?);
                    read_pool.give(batch.block.bytes);
                }
                Err(mpsc::TrySendError::Disconnected(_)) => return Err(stopped()),
            }
            seq += 1;
            for done in finished.try_iter() {
                order.add(done?);
            }
            if !order.print_ready(printer, sink, &text_pool)? {
                return Ok(());
            }
        }
        // The workers stop once every batch is taken and this side is dropped.
        drop(to_workers);
        for done in finished {
            order.add(done?);
            if !order.print_ready(printer, sink, &text_pool)? {
                return Ok(());
            }
        }
        Ok(())
    })
}

/// A worker is gone before the end: it can only have panicked, which the scope reports.
fn stopped() -> anyhow::Error {
    anyhow::anyhow!("a thread reading the journal stopped")
}

/// A worker's part: each line of the block parsed, filtered and printed into `text`.
fn print_batch(
    batch: &Batch,
    mut text: Vec<u8>,
    path: &Path,
    filter: &Filter,
    printer: &Printer<'_>,
) -> io::Result<Printed> {
    text.clear();
    text.reserve(BLOCK_BYTES / 4);
    let mut done = Printed {
        seq: batch.seq,
        backward: batch.block.is_backward(),
        text,
        shown: 0,
        keys: Vec::new(),
        damaged: Vec::new(),
        newlines: 0,
    };
    // Each worker opens the sealed lines of an encrypted journal itself.
    let mut opener = Opener::new(path);
    done.newlines = batch.block.for_each_line(|raw, place| {
        let line = opener.plain(raw);
        match view::parse(path, line, place) {
            Ok(entry) if filter.matches(&entry) => {
                if done.shown > 0 {
                    done.text.extend_from_slice(printer.separator());
                }
                printer.print(&mut done.text, &entry, line)?;
                done.shown += 1;
                let key = id_key(&entry.id, line.len());
                let offset = batch.block.offset_of(raw);
                done.keys.push((key, done.text.len(), offset));
            }
            Ok(_) => {}
            Err(damage) => done.damaged.push(damage),
        }
        Ok::<(), io::Error>(())
    })?;
    Ok(done)
}

/// Batches come back from the workers in any order; they are printed in the order
/// they were read. Going forwards, a block numbers its damaged lines from its own
/// start; the line numbers of the blocks before it are added here.
#[derive(Default)]
struct InOrder {
    next: usize,
    lines_before: usize,
    waiting: BTreeMap<usize, Printed>,
    /// The journal, to compare two lines whose records share an id and a length.
    path: std::path::PathBuf,
    /// The records printed so far: by [`id_key`], where the first line is ...
    seen: HashMap<u64, u64, BuildHasherDefault<KeyHasher>>,
    /// ... and where the others are, for the rare records that share both.
    more: HashMap<u64, Vec<u64>>,
}

impl InOrder {
    fn add(&mut self, printed: Printed) {
        self.waiting.insert(printed.seq, printed);
    }

    /// Prints the batches that are next in order, and hands their text buffers back to
    /// `pool`; false once no more output is wanted.
    fn print_ready(
        &mut self,
        printer: &Printer<'_>,
        sink: &mut Sink<'_>,
        pool: &Pool,
    ) -> io::Result<bool> {
        while let Some(mut printed) = self.waiting.remove(&self.next) {
            self.next += 1;
            for damage in &mut printed.damaged {
                if !printed.backward {
                    damage.line += self.lines_before;
                }
                crate::commands::warn_damaged(damage);
            }
            self.lines_before += printed.newlines;
            self.drop_copies(&mut printed, printer.separator());
            let more = printed.shown == 0
                || sink.emit_many(printer.separator(), &printed.text, printed.shown)?;
            pool.give(printed.text);
            if !more {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// True unless the line at `offset` holds, byte for byte, a record printed before.
    /// Lines are read again only when their records share an id and a length, which
    /// two different records almost never do: only copies pay for the comparison.
    fn first(&mut self, key: u64, offset: u64) -> bool {
        let first = match self.seen.entry(key) {
            Entry::Vacant(place) => {
                place.insert(offset);
                return true;
            }
            Entry::Occupied(place) => *place.get(),
        };
        let Ok(this) = plain_line_at(&self.path, offset) else {
            return true;
        };
        let others = self.more.entry(key).or_default();
        let copy = std::iter::once(&first)
            .chain(others.iter())
            .any(|&at| plain_line_at(&self.path, at).is_ok_and(|line| line == this));
        if !copy {
            others.push(offset);
        }
        !copy
    }

    /// Cuts out of `printed` every entry whose record was printed before (a copy), so
    /// that the output is what it would be if the file held each record once.
    fn drop_copies(&mut self, printed: &mut Printed, separator: &[u8]) {
        let keys = std::mem::take(&mut printed.keys);
        let fresh: Vec<bool> = keys
            .iter()
            .map(|&(key, _, offset)| self.first(key, offset))
            .collect();
        if fresh.iter().all(|f| *f) {
            return;
        }
        let mut kept = Vec::with_capacity(printed.text.len());
        let mut start = 0;
        let mut shown = 0;
        for (&(_, end, _), fresh) in keys.iter().zip(fresh) {
            // Each entry's text but the first starts with the separator before it.
            let body = printed.text[start..end]
                .strip_prefix(if start == 0 { &[][..] } else { separator })
                .unwrap_or(&printed.text[start..end]);
            if fresh {
                if shown > 0 {
                    kept.extend_from_slice(separator);
                }
                kept.extend_from_slice(body);
                shown += 1;
            }
            start = end;
        }
        printed.text = kept;
        printed.shown = shown;
    }
}

#[cfg(test)]
mod tests {
    use super::super::View;
    use super::*;
    use crate::ui::render::Format;
    use crate::workbook::Workbook;

    fn printed(seq: usize, text: &str, shown: usize) -> Printed {
        Printed {
            seq,
            backward: true,
            text: text.as_bytes().to_vec(),
            shown,
            keys: Vec::new(),
            damaged: Vec::new(),
            newlines: 0,
        }
    }

    fn printer(workbook: &Workbook, format: Format) -> Printer<'_> {
        let view = match format {
            Format::Human => View::Human(workbook),
            Format::Short => View::Short,
            Format::Json => View::Json,
            Format::Markdown => View::Markdown(workbook),
        };
        Printer { view, width: 80 }
    }

    fn sink(out: &mut Vec<u8>, limit: usize) -> Sink<'_> {
        Sink {
            out,
            shown: 0,
            limit,
        }
    }

    #[test]
    fn batches_are_printed_in_the_order_they_were_read_whatever_order_they_come_back_in() {
        let workbook = Workbook::embedded().unwrap();
        let printer = printer(&workbook, Format::Json);
        let mut out = Vec::new();
        let mut sink = sink(&mut out, usize::MAX);
        let mut order = InOrder::default();
        order.add(printed(2, "e,f", 2));
        order.add(printed(1, "", 0));
        assert!(
            order
                .print_ready(&printer, &mut sink, &Pool::default())
                .unwrap()
        );
        assert_eq!(sink.shown, 0, "nothing before the first batch is back");
        order.add(printed(0, "a,b", 2));
        assert!(
            order
                .print_ready(&printer, &mut sink, &Pool::default())
                .unwrap()
        );
        order.add(printed(3, "g", 1));
        assert!(
            order
                .print_ready(&printer, &mut sink, &Pool::default())
                .unwrap()
        );
        assert_eq!(sink.shown, 5);
        assert_eq!(String::from_utf8(out).unwrap(), "a,b,e,f,g");
    }

    #[test]
    fn printing_stops_at_the_limit() {
        let workbook = Workbook::embedded().unwrap();
        let printer = printer(&workbook, Format::Short);
        let mut out = Vec::new();
        let mut sink = sink(&mut out, 3);
        let mut order = InOrder::default();
        order.add(printed(0, "a\nb\n", 2));
        order.add(printed(1, "c\nd\n", 2));
        assert!(
            !order
                .print_ready(&printer, &mut sink, &Pool::default())
                .unwrap()
        );
        assert_eq!(order.next, 2);
    }

    #[test]
    fn any_number_of_helpers_prints_the_same_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut text = String::new();
        for n in 0..3000 {
            if n == 1234 {
                text.push_str("{damaged\n");
            }
            let answer = "words of about a kilobyte ".repeat(1 + n % 40);
            let line = format!(
                r#"{{"v":1,"id":"{n:012}","at":"2026-11-01T10:00:00+00:00","kind":"note","answer":"{answer}"}}"#
            );
            text.push_str(&line);
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let workbook = Workbook::embedded().unwrap();
        let printer = printer(&workbook, Format::Short);
        let shown = |helpers: usize, newest_first: bool| {
            let mut out = Vec::new();
            let mut sink = sink(&mut out, usize::MAX);
            let mut blocks = Blocks::open(&path, newest_first).unwrap();
            print_all(
                &mut blocks,
                &path,
                &Filter::default(),
                &printer,
                &mut sink,
                helpers,
            )
            .unwrap();
            assert_eq!(sink.shown, 3000);
            String::from_utf8(out).unwrap()
        };
        for newest_first in [false, true] {
            let alone = shown(0, newest_first);
            let first = alone.lines().next().unwrap();
            let id = if newest_first {
                "000000002999"
            } else {
                "000000000000"
            };
            assert!(first.contains(id), "{first}");
            for helpers in [1, 3] {
                assert_eq!(shown(helpers, newest_first), alone, "{helpers} helpers");
            }
        }
    }

    #[test]
    fn a_copied_record_is_printed_once_across_blocks_and_a_different_one_sharing_its_id_is_not_hidden()
     {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let line = |n: usize, word: &str| {
            let answer = format!("{word} ").repeat(1 + n % 40);
            format!(
                r#"{{"v":1,"id":"{n:012}","at":"2026-11-01T10:00:00+00:00","kind":"note","answer":"{answer}"}}"#
            )
        };
        let mut lines: Vec<String> = (0..3000).map(|n| line(n, "words")).collect();
        // A copy of an early line at the end, in another block; a copy next to its
        // original; and a different record with the same id and length.
        lines.push(line(5, "words"));
        lines.insert(2001, line(2000, "words"));
        lines.push(line(7, "other"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let workbook = Workbook::embedded().unwrap();
        let printer = printer(&workbook, Format::Short);
        for newest_first in [false, true] {
            for helpers in [0, 1, 3] {
                let mut out = Vec::new();
                let mut sink = sink(&mut out, usize::MAX);
                let mut blocks = Blocks::open(&path, newest_first).unwrap();
                print_all(
                    &mut blocks,
                    &path,
                    &Filter::default(),
                    &printer,
                    &mut sink,
                    helpers,
                )
                .unwrap();
                assert_eq!(
                    sink.shown, 3001,
                    "{helpers} helpers, newest first {newest_first}"
                );
                let text = String::from_utf8(out).unwrap();
                let with = |id: &str| text.lines().filter(|l| l.contains(id)).count();
                assert_eq!(with("000000000005"), 1);
                assert_eq!(with("000000002000"), 1);
                assert_eq!(
                    with("000000000007"),
                    2,
                    "both records with that id are shown"
                );
            }
        }
    }
}
