//! Reading the whole journal on every core: `log` without `-n` parses, filters and
//! formats every line, which costs far more than reading them. The lines are read here,
//! in order, into batches of about half a megabyte; worker threads turn each batch into
//! its printed text (opening the sealed lines of an encrypted journal); the batches are
//! printed in the order they were read, so the output and the warnings about damaged
//! lines are exactly those of one thread.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Mutex, mpsc};

use crate::journal::read::{Damage, LineSource, Opener, Place};
use crate::journal::view;

use super::{Filter, Printer, Sink};

/// About this many bytes of lines go to a worker at a time: large enough that handing
/// them over costs nothing next to parsing them, small enough that memory stays low.
const BATCH_BYTES: usize = 512 * 1024;

/// Lines handed to a worker: their bytes back to back, and where each one ends.
struct Batch {
    seq: usize,
    bytes: Vec<u8>,
    lines: Vec<(usize, Place)>,
}

/// What a worker made of a batch: the printed entries, with separators between them,
/// how many there are, and the damaged lines in the order they came.
struct Printed {
    seq: usize,
    text: Vec<u8>,
    shown: usize,
    damaged: Vec<Damage>,
}

/// The number of threads that parse: one per core, up to four.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Prints every line of `lines` that passes `filter`, in order, parsing on `workers`
/// threads. Stops at the first error, or once Ctrl-C is pressed.
pub(super) fn print_all(
    lines: &mut impl LineSource,
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
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (batches, to_printer) = (&batches, to_printer.clone());
            scope.spawn(move || {
                loop {
                    let next = match batches.lock() {
                        Ok(batches) => batches.recv(),
                        Err(_) => return,
                    };
                    let Ok(batch) = next else { return };
                    if to_printer
                        .send(print_batch(&batch, path, filter, printer))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(to_printer);
        let mut order = InOrder::default();
        let mut batch = Batch::new(0);
        while let Some((line, place)) = lines.next_line()? {
            batch.bytes.extend_from_slice(line);
            batch.lines.push((batch.bytes.len(), place));
            if batch.bytes.len() >= BATCH_BYTES {
                let seq = batch.seq + 1;
                to_workers
                    .send(std::mem::replace(&mut batch, Batch::new(seq)))
                    .map_err(|_| stopped())?;
                for done in finished.try_iter() {
                    order.add(done?);
                }
                if !order.print_ready(printer, sink)? {
                    return Ok(());
                }
            }
        }
        to_workers.send(batch).map_err(|_| stopped())?;
        // The workers stop once every batch is taken and this side is dropped.
        drop(to_workers);
        for done in finished {
            order.add(done?);
            if !order.print_ready(printer, sink)? {
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

impl Batch {
    fn new(seq: usize) -> Self {
        Self {
            seq,
            bytes: Vec::with_capacity(BATCH_BYTES + 64 * 1024),
            lines: Vec::new(),
        }
    }
}

/// A worker's part: each line of the batch parsed, filtered and printed.
fn print_batch(
    batch: &Batch,
    path: &Path,
    filter: &Filter,
    printer: &Printer<'_>,
) -> io::Result<Printed> {
    let mut done = Printed {
        seq: batch.seq,
        text: Vec::with_capacity(batch.bytes.len() / 4),
        shown: 0,
        damaged: Vec::new(),
    };
    // Each worker opens the sealed lines of an encrypted journal itself.
    let mut opener = Opener::new(path);
    let mut start = 0;
    for &(end, place) in &batch.lines {
        let line = opener.plain(&batch.bytes[start..end]);
        start = end;
        match view::parse(path, line, place) {
            Ok(entry) if filter.matches(&entry) => {
                if done.shown > 0 {
                    done.text.extend_from_slice(printer.separator());
                }
                printer.print(&mut done.text, &entry, line)?;
                done.shown += 1;
            }
            Ok(_) => {}
            Err(damage) => done.damaged.push(damage),
        }
    }
    Ok(done)
}

/// Batches come back from the workers in any order; they are printed in the order
/// they were read.
#[derive(Default)]
struct InOrder {
    next: usize,
    waiting: BTreeMap<usize, Printed>,
}

impl InOrder {
    fn add(&mut self, printed: Printed) {
        self.waiting.insert(printed.seq, printed);
    }

    /// Prints the batches that are next in order; false once no more output is wanted.
    fn print_ready(&mut self, printer: &Printer<'_>, sink: &mut Sink<'_>) -> io::Result<bool> {
        while let Some(printed) = self.waiting.remove(&self.next) {
            self.next += 1;
            for damage in &printed.damaged {
                crate::commands::warn_damaged(damage);
            }
            if printed.shown > 0
                && !sink.emit_many(printer.separator(), &printed.text, printed.shown)?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::render::Format;
    use crate::workbook::Workbook;

    fn printed(seq: usize, text: &str, shown: usize) -> Printed {
        Printed {
            seq,
            text: text.as_bytes().to_vec(),
            shown,
            damaged: Vec::new(),
        }
    }

    fn printer(workbook: &Workbook, format: Format) -> Printer<'_> {
        Printer {
            format,
            workbook,
            width: 80,
        }
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
        assert!(order.print_ready(&printer, &mut sink).unwrap());
        assert_eq!(sink.shown, 0, "nothing before the first batch is back");
        order.add(printed(0, "a,b", 2));
        assert!(order.print_ready(&printer, &mut sink).unwrap());
        order.add(printed(3, "g", 1));
        assert!(order.print_ready(&printer, &mut sink).unwrap());
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
        assert!(!order.print_ready(&printer, &mut sink).unwrap());
        assert_eq!(order.next, 2);
    }
}
