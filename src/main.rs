use bouncelens::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the parse stage allocates and frees per block on every core,
/// where glibc's allocator spent a tenth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Explain(a) => explain(a),
        Command::Report(a) => {
            bouncelens::report::run(a)?;
            Ok(0)
        }
        Command::Merge(a) => {
            let t = std::time::Instant::now();
            bouncelens::analytics::update(&a.out, a.episode_gap)?;
            eprintln!(
                "bouncelens: blocklist_events, account_alerts and typo_domains rebuilt under {} in {:.1}s",
                a.out.display(),
                t.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Command::Query(a) => {
            bouncelens::query::run(a)?;
            Ok(0)
        }
        Command::Sample(a) => {
            let mut sc = bouncelens::sample::Scenarios::default();
            for t in &a.takeover {
                sc.add_takeover(t)?;
            }
            for b in &a.blocklist {
                sc.add_listing(b)?;
            }
            sc.typo_domains.clone_from(&a.typo_domain);
            let n = bouncelens::sample::write_scenario(
                &a.out, a.lines, a.seed, &a.start, a.days, &a.host, &sc,
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

fn explain(a: &bouncelens::cli::ExplainArgs) -> anyhow::Result<u8> {
    use anyhow::Context;
    use std::io::Read;
    let mut raw = Vec::new();
    match a.file.as_deref() {
        None => std::io::stdin().read_to_end(&mut raw).map(|_| ())?,
        Some(p) if p.as_os_str() == "-" => std::io::stdin().read_to_end(&mut raw).map(|_| ())?,
        Some(p) => {
            raw = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
        }
    }
    if bouncelens::source::is_gzip(&raw) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .context("inflating the input")?;
        raw = out;
    }
    let e = bouncelens::explain::explain(&raw);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        print!("{}", bouncelens::explain::render_text(&e));
    }
    Ok(0)
}
