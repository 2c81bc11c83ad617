use bouncelens::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // wider tables for `query --format table` unless the user chose
    for (k, v) in [
        ("POLARS_FMT_MAX_ROWS", "50"),
        ("POLARS_FMT_STR_LEN", "60"),
        ("POLARS_FMT_MAX_COLS", "30"),
    ] {
        if std::env::var_os(k).is_none() {
            // SAFETY: single-threaded here, before any thread is spawned.
            unsafe { std::env::set_var(k, v) };
        }
    }
    match dispatch(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("bouncelens: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: &Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Run(a) => Ok(bouncelens::run::run(a)?.exit_code()),
        Command::Classify(a) => Ok(u8::from(bouncelens::classify_cmd::run(a)? > 0)),
        Command::Query(a) => {
            bouncelens::query::run(a)?;
            Ok(0)
        }
        Command::Sample(a) => {
            let n = bouncelens::sample::write_sample(
                &a.out, a.lines, a.seed, &a.start, a.days, &a.host,
            )?;
            eprintln!("bouncelens: wrote {n} lines to {}", a.out.display());
            Ok(0)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.to_string().contains("Broken pipe")
    })
}
