//! Reading back at scale: builds journals of 1k, 10k and 100k entries of about 1 KB
//! through `exback import`, then times the real binary and prints ratios.
//!
//! Run with `cargo bench --bench journal` (release build). Every figure printed is
//! measured in this run; nothing is assumed.

// wait4 is the one way to read a child's peak memory; it needs libc and unsafe.
#![allow(unsafe_code)]
// Figures are printed with one decimal; precision beyond 2^52 does not matter here.
#![allow(clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXBACK: &str = env!("CARGO_BIN_EXE_exback");
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const RUNS: usize = 7;
/// Turns of the comparisons with `cat`, which matter most and vary most.
const PAIRED_RUNS: usize = 15;

/// Words to build answers from, so that entries look like prose, not repeated bytes.
const WORDS: &[&str] = &[
    "today", "I", "thought", "about", "how", "we", "used", "to", "walk", "by", "the", "river",
    "and", "it", "hurt", "less", "than", "last", "week", "maybe", "that", "is", "progress",
    "wrote", "coffee", "friends", "quiet", "evening", "space", "patience", "honest", "listen",
    "slowly", "\"kind\"", "café",
];

/// Writes an exback export with `n` entries of roughly 1 KB each, one minute apart,
/// streaming, so that this process stays small (a child's peak memory, as the kernel
/// reports it, includes what its parent had when it was started).
fn export(n: usize, path: &Path) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create export"));
    let mut out = String::new();
    out.push_str("{\n  \"format\": \"exback-export\",\n  \"version\": 1,\n  \"progress\": null,\n  \"entries\": [");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let start = 1_735_689_600i64; // 2025-01-01T00:00:00Z
    for i in 0..n {
        let mut answer = String::with_capacity(1000);
        while answer.len() < 950 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = u64::try_from(WORDS.len()).unwrap();
            answer.push_str(WORDS[usize::try_from(seed % n).unwrap()]);
            answer.push(' ');
        }
        let at = chrono::DateTime::from_timestamp(start + 60 * i64::try_from(i).unwrap(), 0)
            .unwrap()
            .to_rfc3339();
        let entry = serde_json::json!({
            "v": 1, "id": format!("{i:012x}"), "at": at, "kind": "note", "answer": answer.trim_end(),
        });
        let _ = write!(out, "{}\n    {}", if i == 0 { "" } else { "," }, entry);
        file.write_all(out.as_bytes()).expect("write export");
        out.clear();
    }
    out.push_str("\n  ],\n  \"logs\": {}\n}\n");
    file.write_all(out.as_bytes()).expect("write export");
    file.flush().expect("write export");
}

/// What one run took: wall time, processor time (user and system, all threads) and
/// peak RSS in KiB.
struct Took {
    wall: Duration,
    cpu: Duration,
    rss: u64,
}

/// Runs a command with stdout to /dev/null; returns wall time and peak RSS in KiB.
fn run(cmd: &mut Command) -> (Duration, u64) {
    let took = run_took(cmd);
    (took.wall, took.rss)
}

/// [`run`], with the processor time too.
fn run_took(cmd: &mut Command) -> Took {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .stdin(Stdio::null());
    let start = Instant::now();
    // The child is reaped by wait4 below, which also reports its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("command starts");
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child; `usage` is a valid, writable rusage.
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Took {
        wall: elapsed,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        rss: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    }
}

/// Median wall time of `RUNS` runs, and the largest peak RSS seen.
fn measure(make: impl Fn() -> Command) -> (Duration, u64) {
    let _ = run(&mut make()); // warm the page cache
    let mut times = Vec::new();
    let mut rss = 0;
    for _ in 0..RUNS {
        let (t, r) = run(&mut make());
        times.push(t);
        rss = rss.max(r);
    }
    times.sort();
    (times[RUNS / 2], rss)
}

/// `make` against `base`, run in turns (base, make, base, make, …) so that both meet the
/// same load on a shared machine: the median of the per-turn ratios of wall time, the
/// medians of both wall times, the median processor time of `make`, and the largest
/// peak RSS of `make`.
struct Paired {
    ratio: f64,
    wall: Duration,
    base: Duration,
    cpu: Duration,
    rss: u64,
}

fn paired(base: impl Fn() -> Command, make: impl Fn() -> Command) -> Paired {
    let _ = run(&mut base()); // warm the page cache
    let _ = run(&mut make());
    let (mut ratios, mut walls, mut bases, mut cpus, mut rss) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0);
    for _ in 0..PAIRED_RUNS {
        let b = run_took(&mut base());
        let m = run_took(&mut make());
        ratios.push(m.wall.as_secs_f64() / b.wall.as_secs_f64());
        walls.push(m.wall);
        bases.push(b.wall);
        cpus.push(m.cpu);
        rss = rss.max(m.rss);
    }
    ratios.sort_by(f64::total_cmp);
    walls.sort();
    bases.sort();
    cpus.sort();
    let mid = PAIRED_RUNS / 2;
    Paired {
        ratio: ratios[mid],
        wall: walls[mid],
        base: bases[mid],
        cpu: cpus[mid],
        rss,
    }
}

fn exback(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(EXBACK);
    c.args(args)
        .env("EXBACK_DATA_DIR", dir)
        .env("NO_COLOR", "1");
    c
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn main() {
    let root = tempfile::tempdir().expect("temp dir");
    let mut dirs = Vec::new();
    let mut import_100k = Duration::ZERO;
    for n in SIZES {
        let dir = root.path().join(format!("j{n}"));
        let file = root.path().join(format!("export-{n}.json"));
        export(n, &file);
        let (t, _) = run(exback(&dir, &["import", file.to_str().unwrap()]).stdin(Stdio::null()));
        let bytes = std::fs::metadata(dir.join("journal.jsonl")).map_or(0, |m| m.len());
        println!(
            "built {n:>6} entries: journal {:.1} MB, import took {}",
            bytes as f64 / 1e6,
            ms(t)
        );
        if n == 100_000 {
            import_100k = t;
        }
        dirs.push(dir);
    }
    let (small, large) = (&dirs[0], &dirs[2]);
    let journal = large.join("journal.jsonl");

    let cat = || {
        let mut c = Command::new("cat");
        c.arg(&journal);
        c
    };
    let short = paired(cat, || exback(large, &["log", "--short"]));
    let grep = paired(cat, || {
        exback(large, &["log", "--grep", "no such words anywhere"])
    });
    let (n10_large, _) = measure(|| exback(large, &["log", "-n", "10"]));
    let (n10_small, _) = measure(|| exback(small, &["log", "-n", "10"]));
    let (steps_large, _) = measure(|| exback(large, &["steps"]));
    let (steps_small, _) = measure(|| exback(small, &["steps"]));

    let r1 = short.ratio;
    let r2 = n10_large.as_secs_f64() / n10_small.as_secs_f64();
    let r5 = grep.ratio;
    let r3 = steps_large.as_secs_f64() / steps_small.as_secs_f64();
    let rss_mb = short.rss as f64 / 1024.0;
    println!();
    println!(
        "median of {RUNS} runs each, stdout to /dev/null; against cat, {PAIRED_RUNS} turns of cat then exback, median of the turns' ratios"
    );
    println!(
        "log --short @100k / cat @100k :   {:>5.2}x  ({} / {}, processor {})  target <= 5x    {}",
        r1,
        ms(short.wall),
        ms(short.base),
        ms(short.cpu),
        verdict(r1 <= 5.0)
    );
    println!(
        "log --grep (none) @100k / cat :   {:>5.2}x  ({} / {}, processor {})  target <= 5x    {}",
        r5,
        ms(grep.wall),
        ms(grep.base),
        ms(grep.cpu),
        verdict(r5 <= 5.0)
    );
    println!(
        "log -n 10 @100k / @1k         : {:>6.2}x  ({} / {})  target <= 1.5x  {}",
        r2,
        ms(n10_large),
        ms(n10_small),
        verdict(r2 <= 1.5)
    );
    println!(
        "steps @100k / @1k             : {:>6.2}x  ({} / {})  target <= 1.5x  {}",
        r3,
        ms(steps_large),
        ms(steps_small),
        verdict(r3 <= 1.5)
    );
    println!(
        "peak RSS of log --short @100k : {rss_mb:>6.1} MB  target <= 20 MB  {}",
        verdict(rss_mb <= 20.0)
    );
    println!(
        "import of 100k entries        : {:>6.2} s   target <= 5 s    {}",
        import_100k.as_secs_f64(),
        verdict(import_100k.as_secs_f64() <= 5.0)
    );
    scanner_against_serde(&journal);
    merging(root.path(), &journal, short.wall);
    encrypted(root.path(), &dirs);
}

/// Two devices' journals of 50k entries that share 40k, the second left beside the first
/// as a sync tool's conflict copy: how long the command that merges it takes, against
/// reading one 100k journal (`log --short`, measured above).
fn merging(root: &Path, journal: &Path, read_100k: Duration) {
    let text = std::fs::read(journal).expect("read the 100k journal");
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    let mine: Vec<u8> = lines[..50_000].concat();
    let theirs: Vec<u8> = [&lines[..40_000], &lines[50_000..60_000]].concat().concat();
    let dir = root.join("merge");
    let mut times = Vec::new();
    for _ in 0..RUNS {
        std::fs::create_dir_all(&dir).expect("merge dir");
        std::fs::write(dir.join("journal.jsonl"), &mine).expect("write");
        std::fs::write(
            dir.join("journal.sync-conflict-20261207-101010-ABCDEF1.jsonl"),
            &theirs,
        )
        .expect("write");
        let took = run_took(exback(&dir, &["log", "-n", "1"]).stderr(Stdio::null()));
        let merged = std::fs::read(dir.join("journal.jsonl")).expect("read");
        assert_eq!(
            memchr::memchr_iter(b'\n', &merged).count(),
            60_000,
            "the merge holds every entry once"
        );
        times.push(took.wall);
        std::fs::remove_dir_all(&dir).expect("clean");
    }
    times.sort();
    let t = times[RUNS / 2];
    println!();
    println!(
        "merge 2 x 50k (40k shared)      : {:>6.2}x of log --short @100k ({} / {})  target < 1 s  {}",
        t.as_secs_f64() / read_100k.as_secs_f64(),
        ms(t),
        ms(read_100k),
        verdict(t.as_secs_f64() < 1.0)
    );
}

/// The fields `log` reads of every line, as a serde derive would borrow them: the
/// yardstick for the hand-written scanner of `exback::testing::journal::read::view`.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // the fields are parsed to be measured, not read
struct Derived<'a> {
    v: u32,
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    at: chrono::DateTime<chrono::FixedOffset>,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default)]
    step: Option<u8>,
    #[serde(default, borrow)]
    step_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    prompt: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    answer: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    tags: Vec<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    edited_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, borrow)]
    outcome: Option<std::borrow::Cow<'a, str>>,
}

/// Parses every line of the 100k journal in memory, with the scanner `log` uses and
/// with a borrowed serde derive of the same fields: is the scanner worth its code?
fn scanner_against_serde(journal: &Path) {
    use exback::testing::journal::read::Place;
    let bytes = std::fs::read(journal).expect("read the journal");
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let median = |parse: &dyn Fn(&[u8]) -> bool| {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let parsed = lines.iter().filter(|l| parse(l)).count();
                assert_eq!(parsed, lines.len(), "every line parses");
                t.elapsed()
            })
            .collect();
        times.sort();
        times[RUNS / 2]
    };
    let scanner = median(&|l| {
        std::hint::black_box(exback::testing::journal::read::view::parse(
            journal,
            l,
            Place::Line(0),
        ))
        .is_ok()
    });
    let derive =
        median(&|l| std::hint::black_box(serde_json::from_slice::<Derived<'_>>(l)).is_ok());
    println!(
        "scanner / serde derive @100k  : {:>6.2}x  ({} / {})  parsing alone, in memory",
        scanner.as_secs_f64() / derive.as_secs_f64(),
        ms(scanner),
        ms(derive),
    );
}

/// The same journals encrypted (`exback encrypt`). Reading and writing are timed on
/// copies whose key was wrapped with the lowest scrypt work factor (through the
/// test-only variable), so that the figures are the cost of the sealed records alone;
/// unlocking is timed on its own with the default work factor.
fn encrypted(root: &Path, plain: &[std::path::PathBuf]) {
    const WEAK: &str = "EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR";
    let pass = root.join("passphrase");
    std::fs::write(&pass, "a bench passphrase\n").expect("passphrase file");
    let copy = |from: &Path, name: &str| {
        let to = root.join(name);
        std::fs::create_dir_all(&to).expect("copy");
        for file in ["journal.jsonl", "progress.json"] {
            if from.join(file).exists() {
                std::fs::copy(from.join(file), to.join(file)).expect("copy");
            }
        }
        to
    };
    let sealed = |dir: &Path, weak: bool| {
        let mut c = exback(dir, &["encrypt"]);
        c.env("EXBACK_PASSPHRASE_FILE", &pass);
        if weak {
            c.env(WEAK, "1");
        }
        c
    };
    let with_pass = |dir: &Path, args: &[&str]| {
        let mut c = exback(dir, args);
        c.env("EXBACK_PASSPHRASE_FILE", &pass);
        c
    };
    let (sealed_small, sealed_mid, sealed_large) = (
        copy(&plain[0], "e1k"),
        copy(&plain[1], "e10k"),
        copy(&plain[2], "e100k"),
    );
    let unlock_dir = copy(&plain[0], "unlock");
    for (dir, weak) in [
        (&sealed_small, true),
        (&sealed_mid, true),
        (&sealed_large, true),
        (&unlock_dir, false),
    ] {
        let (t, _) = run(&mut sealed(dir, weak));
        println!("encrypted {}: took {}", dir.display(), ms(t));
    }
    let (steps_plain, _) = measure(|| exback(&plain[0], &["steps"]));
    let (steps_unlock, _) = measure(|| with_pass(&unlock_dir, &["steps"]));
    let unlock = steps_unlock.saturating_sub(steps_plain);
    // "After unlocking": what opening the weakly wrapped key of the 10k directory costs
    // is taken off its reading time.
    let (steps_mid_plain, _) = measure(|| exback(&plain[1], &["steps"]));
    let (steps_mid_sealed, _) = measure(|| with_pass(&sealed_mid, &["steps"]));
    let weak_unlock = steps_mid_sealed.saturating_sub(steps_mid_plain);
    let short = paired(
        || exback(&plain[1], &["log", "--short"]),
        || with_pass(&sealed_mid, &["log", "--short"]),
    );
    let (short_plain, short_sealed) = (short.base, short.wall);
    let (write_small, _) = measure(|| with_pass(&sealed_small, &["write", "one more line"]));
    let (write_large, _) = measure(|| with_pass(&sealed_large, &["write", "one more line"]));
    let r_short =
        short_sealed.saturating_sub(weak_unlock).as_secs_f64() / short_plain.as_secs_f64();
    let r_write = write_large.as_secs_f64() / write_small.as_secs_f64();
    println!();
    println!("encrypted (reading and writing timed with the weakest key wrap, see above)");
    println!(
        "unlock (steps @1k sealed - plain): {}  ({} / {})  target <= 1 s  {}",
        ms(unlock),
        ms(steps_unlock),
        ms(steps_plain),
        verdict(unlock.as_secs_f64() <= 1.0)
    );
    println!(
        "log --short @10k sealed / plain : {:>6.2}x  (({} - unlock {}) / {})  after unlocking, target <= 3x    {}",
        r_short,
        ms(short_sealed),
        ms(weak_unlock),
        ms(short_plain),
        verdict(r_short <= 3.0)
    );
    println!(
        "write sealed @100k / @1k        : {:>6.2}x  ({} / {})  target <= 1.5x  {}",
        r_write,
        ms(write_large),
        ms(write_small),
        verdict(r_write <= 1.5)
    );
}
