//! Timing shared by the benches: how long one call takes, and the median, 95th percentile and
//! longest of many. Each bench prints the figures in its own columns.

use std::time::{Duration, Instant};

/// How long `f` takes, with what it returns.
pub fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// `[p50, p95, max]` of `times`, in milliseconds.
pub fn percentiles_ms(mut times: Vec<Duration>) -> [f64; 3] {
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    [at(0.50), at(0.95), times[times.len() - 1]].map(|t| t.as_secs_f64() * 1e3)
}
