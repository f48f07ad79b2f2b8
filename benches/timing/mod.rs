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

/// Where the files under `path` live, for the bench to say where it ran: the filesystem
/// (type and device, from the mount table) and the machine's cores. A durable commit costs
/// an fsync: on tmpfs it costs nothing, so a figure measured there would flatter us.
pub fn where_it_runs(path: &std::path::Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mount = mounts
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (device, point, kind) = (parts.next()?, parts.next()?, parts.next()?);
            path.starts_with(point)
                .then_some((point.len(), device, point, kind))
        })
        .max_by_key(|(len, ..)| *len);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    match mount {
        Some((_, device, point, kind)) => format!(
            "{} on {kind} ({device} mounted at {point}), {cores} cores, synchronous=FULL",
            path.display()
        ),
        None => format!("{} (filesystem unknown), {cores} cores", path.display()),
    }
}
