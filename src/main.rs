use bouncelens::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the parse stage allocates and frees per block on every core,
/// where glibc's allocator spent a tenth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc v3's
/// `mimalloc.h` (the version `mimalloc` 0.1.52 builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
/// Its default: freed memory goes back to the OS after 10 ms.
const MI_DEFAULT_PURGE_DELAY: std::ffi::c_long = 10;

/// Keep freed memory instead of handing it back to the OS 10 ms later.
/// Each block's chunks are freed and the next block's allocated soon after:
/// with purging, every block faulted and zeroed its memory afresh (~115k
/// page faults per 830 MB; 15.6k without, and ~10% less CPU). The peak is
/// the same, and a batch run gives everything back when it exits. Left
/// alone when `MIMALLOC_PURGE_DELAY` is set, or when the option does not
/// read as its known default (another mimalloc version).
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: plain option calls into the linked mimalloc; they take no
    // pointers and may be made at any time.
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == MI_DEFAULT_PURGE_DELAY {
            mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
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
