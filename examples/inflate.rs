//! Raw decompression with bouncelens's own gzip path (the floor for `run`
//! on one `.gz`): inflate each file through `source::for_each_block` and
//! discard the bytes. Used by `benches/e2e.sh`.

fn main() -> std::process::ExitCode {
    let mut total = 0u64;
    for path in std::env::args().skip(1) {
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{path}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let content = match bouncelens::source::open(path.as_ref(), meta.len()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{path}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let r = bouncelens::source::for_each_block::<()>(&content, 16 << 20, |b| {
            total += b.len() as u64;
            Ok(())
        });
        if let Ok(Err(e)) = r {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::from(1);
        }
    }
    println!("{total}");
    std::process::ExitCode::SUCCESS
}
