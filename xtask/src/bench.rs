//! `cargo xtask bench`: how long the code generator takes, next to a plain markdown parse.
//!
//! Over the same input as `codegen` (every page that [`codegen::discover`] finds), one run
//! measures, interleaved (one warm-up of each, then `--iterations` rounds of both):
//!
//! - **plain**: read every file and run pulldown-cmark over it (the same options as the parser),
//!   counting events: the floor for anything that reads markdown; once on one thread (the
//!   baseline of the target) and once on every core (the full pipeline parses on every core
//!   and emits the two crates on two threads, so this is the like-for-like floor);
//! - **full**: the whole pipeline in memory, as `cargo xtask codegen` runs it minus the writes:
//!   discover, read + parse ([`codegen::parse_all`]), [`model::build`], [`emit::emit`].
//!
//! It prints the median of each, the ratio full/plain, the median of each stage of the full
//! pipeline with the cores it kept busy (process CPU time over wall time), and peak memory: of
//! this process (`VmHWM`), and of each phase on its own, measured by running this command again
//! as a child with `--phase plain|full` (each child reports its own `VmHWM`). Linux only for
//! the memory figures (elsewhere they read "n/a").
//!
//! Run it optimised: `cargo run --release -p xtask -- bench`.
//!
//! [`codegen::discover`]: crate::codegen::discover
//! [`codegen::parse_all`]: crate::codegen::parse_all
//! [`model::build`]: crate::model::build
//! [`emit::emit`]: crate::emit::emit

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::codegen;

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// The docs folder, as for `codegen`.
    #[arg(long, default_value = "docs-input")]
    pub input: PathBuf,
    /// Measured rounds (after one warm-up round); the medians are reported.
    #[arg(long, short = 'n', default_value_t = 5)]
    pub iterations: usize,
    /// Run one phase only and print a machine-readable line (used for per-phase peak memory).
    #[arg(long, value_parser = ["plain", "full"])]
    pub phase: Option<String>,
    /// Skip the child processes that measure each phase's own peak memory.
    #[arg(long)]
    pub no_children: bool,
}

/// What the full pipeline produced, so that the work cannot be optimised away and the figures
/// can be checked against `codegen`'s summary.
#[derive(Debug, Default, Clone, Copy)]
struct FullCounts {
    pages: usize,
    operations: usize,
    files: usize,
    bytes: usize,
}

/// Stage times of one full run: wall clock, and CPU time of the whole process (all threads).
#[derive(Debug, Default, Clone, Copy)]
struct Stages {
    discover: Duration,
    parse: Duration,
    model: Duration,
    emit: Duration,
    cpu: [Duration; 4],
}

/// One stage's wall time out of [`Stages`].
type StageOf = fn(&Stages) -> Duration;

/// CPU time (user + system) of this process so far, all threads; zero where unknown.
fn process_cpu() -> Duration {
    #[cfg(unix)]
    {
        // SAFETY: `getrusage` only writes the struct it is given, which is zeroed and ours.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            let tv = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
            };
            return tv(usage.ru_utime) + tv(usage.ru_stime);
        }
    }
    Duration::ZERO
}

/// Times a stage: (wall, CPU of every thread).
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (t, c) = (Instant::now(), process_cpu());
    let out = f();
    (out, t.elapsed(), process_cpu().saturating_sub(c))
}

/// The plain baseline: read every page and run pulldown-cmark over it, on one thread or on
/// every core (as [`codegen::parse_all`] does). Returns (files, bytes, events).
fn plain(input: &Path, parallel: bool) -> anyhow::Result<(usize, usize, usize)> {
    let sources = codegen::discover(input)?;
    let counts: Vec<_> = if parallel {
        sources.par_iter().map(plain_file).collect()
    } else {
        sources.iter().map(plain_file).collect()
    };
    let (mut bytes, mut events) = (0, 0);
    for c in counts {
        let (b, e) = c?;
        bytes += b;
        events += e;
    }
    Ok((sources.len(), bytes, events))
}

/// (bytes, events) of one page.
fn plain_file(s: &codegen::Source) -> anyhow::Result<(usize, usize)> {
    let raw = std::fs::read(&s.path)?;
    let text = codegen::page_text(&raw);
    let parser = pulldown_cmark::Parser::new_ext(&text, crate::parse::markdown::options());
    Ok((raw.len(), parser.into_offset_iter().count()))
}

/// The full pipeline in memory, stage by stage (what `codegen::load` + `emit::emit` do), and
/// what it made. `cargo xtask codegen` does not free these (it leaves them to the process exit,
/// [`codegen::leave_to_exit`]), so the caller drops them after stopping its clock.
///
/// [`codegen::leave_to_exit`]: crate::codegen::leave_to_exit
fn full(input: &Path) -> anyhow::Result<(FullCounts, Stages, Made)> {
    let mut st = Stages::default();
    let (sources, wall, cpu) = timed(|| codegen::discover(input));
    let sources = sources?;
    (st.discover, st.cpu[0]) = (wall, cpu);
    let ((pages, diags), wall, cpu) = timed(|| codegen::parse_all(&sources));
    (st.parse, st.cpu[1]) = (wall, cpu);
    let (model, wall, cpu) = timed(|| crate::model::build(pages, diags));
    (st.model, st.cpu[2]) = (wall, cpu);
    let (output, wall, cpu) = timed(|| crate::emit::emit(&model));
    let output = output?;
    (st.emit, st.cpu[3]) = (wall, cpu);
    let mut counts = FullCounts {
        pages: model.pages.len(),
        operations: model.versions.values().map(|v| v.operations.len()).sum(),
        ..Default::default()
    };
    for sink in [&output.models, &output.requests] {
        counts.files += sink.files.len();
        counts.bytes += sink.files.values().map(String::len).sum::<usize>();
    }
    Ok((counts, st, (model, output)))
}

/// The model and output of one full run, dropped outside the timed part.
type Made = (crate::model::ApiModel, crate::emit::Output);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

/// The median of `full[i] / plain[i]`: each round's ratio is measured within a few hundred
/// milliseconds, so a slow phase of the machine (other tenants, frequency) moves both sides of
/// it, where it moves only one of two medians taken over the whole run.
fn paired_ratio(full: &[Duration], plain: &[Duration]) -> f64 {
    let mut ratios: Vec<f64> = full
        .iter()
        .zip(plain)
        .map(|(f, p)| f.as_secs_f64() / p.as_secs_f64().max(1e-9))
        .collect();
    ratios.sort_by(f64::total_cmp);
    match ratios.len() {
        0 => 0.0,
        n if n % 2 == 1 => ratios[n / 2],
        n => (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A `Vm*:` figure of `/proc/<pid>/status`, in kB.
pub(crate) fn proc_status_kb(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Peak resident memory of this process so far (`VmHWM`), in kB.
pub fn peak_rss_kb() -> Option<u64> {
    proc_status_kb("self", "VmHWM:")
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_owned(),
        |kb| format!("{:.0} MB", kb as f64 / 1024.0),
    )
}

/// Runs `self bench --phase <phase>` and reads the line it prints.
fn child(input: &Path, phase: &str, iterations: usize) -> anyhow::Result<(Duration, Option<u64>)> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["bench", "--phase", phase, "--iterations"])
        .arg(iterations.to_string())
        .arg("--input")
        .arg(input)
        .output()?;
    if !out.status.success() {
        anyhow::bail!(
            "`bench --phase {phase}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("phase="))
        .ok_or_else(|| anyhow::anyhow!("`bench --phase {phase}` printed no result line"))?;
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let median = Duration::from_secs_f64(field("median_ms=").unwrap_or(0.0) / 1e3);
    Ok((median, field("peak_kb=").map(|k| k as u64)))
}

/// `cargo xtask bench`.
pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let input = args.input.as_path();
    let n = args.iterations.max(1);
    if let Some(phase) = args.phase.as_deref() {
        // Child mode: one phase, its own peak memory.
        let mut times = Vec::new();
        for round in 0..n {
            if round > 0 {
                // Between rounds only: a run of one round (`scripts/codegen-counts.sh`) counts
                // the phase alone.
                crate::alloc::release_freed();
            }
            let t = Instant::now();
            if phase == "plain" {
                std::hint::black_box(plain(input, false)?);
                times.push(t.elapsed());
            } else {
                let made = std::hint::black_box(full(input)?);
                times.push(t.elapsed());
                drop(made);
            }
        }
        println!(
            "phase={phase} median_ms={:.3} peak_kb={}",
            median(times).as_secs_f64() * 1e3,
            peak_rss_kb().map_or_else(|| "n/a".to_owned(), |k| k.to_string())
        );
        return Ok(ExitCode::SUCCESS);
    }

    if cfg!(debug_assertions) {
        eprintln!("warning: unoptimised build; run `cargo run --release -p xtask -- bench` for meaningful figures");
    }
    // Warm-up: file cache, allocator, lazy statics.
    let (files, bytes, events) = plain(input, false)?;
    plain(input, true)?;
    let (counts, _, _) = full(input)?;
    let mut plain_t = Vec::new();
    let mut plain_par_t = Vec::new();
    let mut full_t = Vec::new();
    let mut stages: Vec<Stages> = Vec::new();
    // Each timed run starts as a fresh process does, without memory the run before freed
    // ([`crate::alloc`]).
    crate::alloc::release_freed();
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(plain(input, false)?);
        plain_t.push(t.elapsed());
        crate::alloc::release_freed();
        let t = Instant::now();
        std::hint::black_box(plain(input, true)?);
        plain_par_t.push(t.elapsed());
        crate::alloc::release_freed();
        let t = Instant::now();
        let (c, st, made) = std::hint::black_box(full(input)?);
        full_t.push(t.elapsed());
        drop(made);
        crate::alloc::release_freed();
        stages.push(st);
        debug_assert_eq!(c.files, counts.files);
    }
    let peak_self = peak_rss_kb();
    let (p, pp, f) = (
        median(plain_t.clone()),
        median(plain_par_t.clone()),
        median(full_t.clone()),
    );
    let ratio = f.as_secs_f64() / p.as_secs_f64().max(1e-9);
    let ratio_par = f.as_secs_f64() / pp.as_secs_f64().max(1e-9);
    let paired = paired_ratio(&full_t, &plain_t);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let stage = |get: StageOf| median(stages.iter().map(get).collect());

    println!(
        "input: {} ({files} pages, {:.1} MB, {events} pulldown-cmark events)",
        input.display(),
        bytes as f64 / 1e6
    );
    println!(
        "output: {} pages modelled, {} operations, {} generated files ({:.1} MB)",
        counts.pages,
        counts.operations,
        counts.files,
        counts.bytes as f64 / 1e6
    );
    println!("rounds: 1 warm-up + {n} measured, interleaved; medians (min..max)");
    let range = |v: &[Duration]| {
        let min = v.iter().min().copied().unwrap_or_default();
        let max = v.iter().max().copied().unwrap_or_default();
        format!("({}..{})", ms(min), ms(max))
    };
    println!(
        "  plain (read + pulldown-cmark): {:>10}  {}",
        ms(p),
        range(&plain_t)
    );
    println!(
        "  plain, {threads} threads:               {:>10}  {}",
        ms(pp),
        range(&plain_par_t)
    );
    println!(
        "  full codegen, in memory:       {:>10}  {}",
        ms(f),
        range(&full_t)
    );
    // Per stage: median wall time, and the cores it kept busy (CPU time over wall time,
    // summed over the rounds).
    let busy = |i: usize, get: StageOf| {
        let cpu: Duration = stages.iter().map(|s| s.cpu[i]).sum();
        let wall: Duration = stages.iter().map(get).sum();
        cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9)
    };
    let rows: [(&str, StageOf); 4] = [
        ("discover", |s| s.discover),
        ("read + parse", |s| s.parse),
        ("model", |s| s.model),
        ("emit", |s| s.emit),
    ];
    for (i, (name, get)) in rows.into_iter().enumerate() {
        println!(
            "    {name:<28} {:>10}  ({:.2} cores busy)",
            ms(stage(get)),
            busy(i, get)
        );
    }
    println!("  ratio full / plain:            {ratio:>8.2}x  (target <= 2x)");
    println!("  ratio per round, median:       {paired:>8.2}x  (each full run over the plain run just before it)");
    println!("  ratio full / plain {threads} threads:  {ratio_par:>8.2}x  (the full pipeline uses {threads} threads)");
    println!("peak memory (VmHWM):");
    println!("  this process (both phases):    {:>10}", mb(peak_self));
    if !args.no_children {
        let (_, plain_peak) = child(input, "plain", 1)?;
        let (_, full_peak) = child(input, "full", 1)?;
        println!("  plain, own process:            {:>10}", mb(plain_peak));
        println!("  full, own process:             {:>10}", mb(full_peak));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        let d = Duration::from_millis;
        assert_eq!(median(vec![d(3), d(1), d(2)]), d(2));
        assert_eq!(
            median(vec![d(4), d(1), d(2), d(3)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(vec![]), Duration::ZERO);
        // Rounds of 2x, 3x and 10x: the median round is 3x.
        assert_eq!(
            paired_ratio(&[d(20), d(30), d(100)], &[d(10), d(10), d(10)]),
            3.0
        );
    }

    #[test]
    fn peak_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kb().is_some_and(|k| k > 0));
        }
    }
}
