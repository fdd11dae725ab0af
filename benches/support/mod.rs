//! What the benchmarks share: percentiles, and replaying statements bare with `pgbench`.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn summary(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    (percentile(&ms, 50.0), percentile(&ms, 95.0))
}

/// Runs `script` `n + warmup` times on one connection with `pgbench -M prepared`; the latencies of all
/// but the warm-up, in milliseconds. `None` when pgbench is missing or fails.
pub fn pgbench_latencies(name: &str, script: &str, vars: &[(&str, String)], n: usize, warmup: usize) -> Option<Vec<f64>> {
    let pgbench = std::env::var("PGBENCH").unwrap_or_else(|_| "pgbench".into());
    let dir = std::env::temp_dir().join(format!("mosaic-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join(format!("{name}.sql"));
    std::fs::File::create(&file).ok()?.write_all(script.as_bytes()).ok()?;
    let url = std::env::var("DATABASE_URL").ok()?;
    let mut command = Command::new(&pgbench);
    command.current_dir(&dir).args(["-n", "-M", "prepared", "-c", "1", "-l", &format!("--log-prefix={name}")]);
    command.args(["-t", &(n + warmup).to_string()]);
    for (key, value) in vars {
        command.args(["-D", &format!("{key}={value}")]);
    }
    let output = command.arg("-f").arg(&file).arg(&url).stderr(Stdio::inherit()).output().ok()?;
    if !output.status.success() {
        eprintln!("pgbench failed:\n{}", String::from_utf8_lossy(&output.stdout));
        return None;
    }
    // Each log line: client, transaction number, latency in microseconds, …
    let mut ms = Vec::new();
    for entry in std::fs::read_dir(&dir).ok()?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(name) && entry.path() != file {
            for line in std::fs::read_to_string(entry.path()).ok()?.lines().skip(warmup) {
                if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<f64>().ok()) {
                    ms.push(us / 1000.0);
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    Some(ms)
}
