//! `cargo xtask codegen`: docs pages → API model → `graph-models` and `graph-requests`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen::{self, Targets};

/// Codegen allocates millions of small strings and token trees; mimalloc makes that about a
/// third cheaper than the system allocator (`cargo xtask bench` measures both phases with it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Maintainer tasks of the Microsoft Graph SDK workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate graph-models and graph-requests from the docs pages.
    Codegen {
        /// The docs folder, laid out like the docs repository (`<version>/api`, `<version>/resources`).
        #[arg(long, default_value = "docs-input")]
        input: PathBuf,
        /// The folder that holds the two crates (`graph-models/`, `graph-requests/`).
        #[arg(long, default_value = "crates")]
        out: PathBuf,
        /// Fail if the committed generated code differs from what codegen produces now.
        #[arg(long)]
        check: bool,
        /// Write a machine-readable JSON report (per page: operations, types, diagnostics).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Print only the summary, not every diagnostic.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Time codegen in memory against a plain pulldown-cmark parse of the same pages; peak memory.
    /// Run it optimised: `cargo run --release -p xtask -- bench`.
    Bench(xtask::bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Relative paths are taken from the workspace root, so the command works from anywhere.
    let root = project_root();
    let (input, out, check, report, quiet) = match cli.command {
        Command::Codegen {
            input,
            out,
            check,
            report,
            quiet,
        } => (input, out, check, report, quiet),
        Command::Bench(mut args) => {
            if args.input.is_relative() {
                args.input = root.join(&args.input);
            }
            return xtask::bench::run(&args);
        }
    };
    let input = if input.is_relative() {
        root.join(input)
    } else {
        input
    };
    let out = if out.is_relative() {
        root.join(out)
    } else {
        out
    };
    let mut model = codegen::load(&input)?;
    let output = xtask::emit::emit(&model)?;
    // Docs errors found by matching examples to operations join the model's diagnostics.
    model
        .diagnostics
        .extend(output.cases.diagnostics.iter().cloned());
    model.diagnostics.sort();
    model.diagnostics.dedup();
    if !quiet {
        for d in &model.diagnostics {
            eprintln!("{d}");
        }
    }
    if let Some(path) = report {
        std::fs::write(&path, xtask::report::json(&model, Some(&output.cases))?)?;
    }
    let targets = Targets::under(&out);
    print!("{}", codegen::summary(&model, &output.areas));
    print!("{}", output.cases.summary());
    if check {
        let mut stale = codegen::stale_all(&output, &targets)?;
        stale.extend(codegen::stale(&output.conformance, &targets.conformance));
        codegen::leave_to_exit((model, output));
        if stale.is_empty() {
            println!("generated code is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        for (path, what) in &stale {
            eprintln!("stale: {}: {what}", path.display());
        }
        eprintln!("generated code is stale: run `cargo xtask codegen`");
        return Ok(ExitCode::FAILURE);
    }
    let (m, r) = codegen::write_all(&output, &targets)?;
    let c = codegen::write(&output.conformance, &targets.conformance)?;
    println!("{}: {m}", targets.models.display());
    println!("{}: {r}", targets.requests.display());
    println!("{}: {c}", targets.conformance.display());
    codegen::leave_to_exit((model, output));
    Ok(ExitCode::SUCCESS)
}
