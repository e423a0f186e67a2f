//! Native timing of the reader and the scanner over a file: `cargo run --release --example parse_speed FILE`.
use fn_calls::filter::CallFilter;
use fn_calls::scan::{scan_calls, ScanOptions, Validate};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_speed FILE");
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    let mb = bytes.len() as f64 / 1e6;
    for validate in [Validate::All, Validate::Matches] {
        let f = CallFilter {
            app_name: "shop".into(),
            ..CallFilter::default()
        };
        let t = std::time::Instant::now();
        let r = scan_calls(
            &bytes,
            f,
            ScanOptions {
                validate,
                ..ScanOptions::default()
            },
        )
        .unwrap_or_default();
        let dt = t.elapsed().as_secs_f64();
        println!(
            "scan {validate:?}: {} of {} records, {:.0} MB/s",
            r.indices.len(),
            r.total,
            mb / dt
        );
    }
}
