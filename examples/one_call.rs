//! Native timing of reading one call many times: `cargo run --release --example one_call FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    let n = 200_000;
    let t = std::time::Instant::now();
    let mut ok = 0;
    for _ in 0..n {
        ok += fn_calls::record::call_from_bytes(&bytes, Default::default())
            .issues
            .is_empty() as usize;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "full reader: {:.2} µs per call ({ok} clean)",
        dt / n as f64 * 1e6
    );
    let t = std::time::Instant::now();
    for _ in 0..n {
        ok += fn_calls::json::parse(&bytes).is_ok() as usize;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "tree only: {:.2} µs per call ({ok} so far)",
        dt / n as f64 * 1e6
    );
    let t = std::time::Instant::now();
    for _ in 0..n {
        ok += fn_calls::fast_read::read_clean(&bytes, Default::default()).is_some() as usize;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "fast lane: {:.2} µs per call ({ok} reads in all)",
        dt / n as f64 * 1e6
    );
}
