//! PostgreSQL restarted under the server's feet (`pg_ctl restart -m immediate`, a crash and recovery, on
//! a private cluster of this test's own) while writers keep writing and a browser follows the change
//! stream: the server recovers without being restarted, the stream catches up, and no write the server
//! acknowledged is lost.

#[allow(dead_code)]
#[path = "api/client.rs"]
mod client;
#[allow(dead_code)]
#[path = "api/sse.rs"]
mod sse;
#[allow(dead_code)]
#[path = "api/tcp.rs"]
mod tcp;

use axum::http::StatusCode;
use client::Api;
use serde_json::json;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A PostgreSQL cluster in a temporary directory, on a free port, stopped and removed when dropped.
struct Cluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

const PG_USER: &str = "mosaic-pg";

impl Cluster {
    fn start() -> Cluster {
        let bin = postgres_bin().expect("PostgreSQL's server binaries (initdb, pg_ctl): apt-get install postgresql");
        let dir = std::env::temp_dir().join(format!("mosaic-fault-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { dir, port, bin };
        if is_root() {
            // PostgreSQL refuses to run as root.
            let _ =
                Command::new("useradd").args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER]).output();
            assert!(Command::new("chown").args(["-R", PG_USER]).arg(&cluster.dir).status().unwrap().success());
        }
        let data = cluster.data();
        cluster.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "--no-sync"]);
        let options = format!("-p {} -c listen_addresses=127.0.0.1 -k {}", cluster.port, cluster.dir.display());
        let log = format!("{}/server.log", cluster.dir.display());
        cluster.run("pg_ctl", &["-D", &data, "-l", &log, "-w", "-o", &options, "start"]);
        cluster
    }

    fn data(&self) -> String {
        format!("{}/data", self.dir.display())
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A crash and a recovery: every connection is cut, nothing is shut down cleanly.
    fn restart_immediately(&self) {
        // With its log in a file: a server writing to pg_ctl's output would keep the pipe open for good.
        let log = format!("{}/server.log", self.dir.display());
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-m", "immediate", "-w", "restart"]);
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", PG_USER, "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let output = command.args(args).output().unwrap();
        assert!(output.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "stop"];
        let _ = if is_root() {
            Command::new("runuser").args(["-u", PG_USER, "--"]).arg(&program).args(args).output()
        } else {
            Command::new(&program).args(args).output()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// The newest installed PostgreSQL's server binaries.
fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| Path::new(&bin.join("pg_ctl")).exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found.pop()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_rides_out_a_database_restart_and_no_acknowledged_write_is_lost() {
    let cluster = Cluster::start();
    let pool = mosaic::store::connect(&cluster.url(), 10).await.unwrap();
    mosaic::store::MIGRATOR.run(&pool).await.unwrap();
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let mut workers = vec![];
    for i in 0..4 {
        workers.push(api.employed_worker(&format!("Writer {i}"), &location).await);
    }
    let token = api.token.clone().unwrap();
    let server = tcp::serve(pool.clone()).await;
    let mut events = tcp::try_tcp_stream(server, &token, None).await.unwrap();
    let mut last = events.next_of("ready").await.id.unwrap();

    // Four writers plan one-hour drafts, one after another, for as long as the test lets them; what the
    // server answered 201 to is acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, std::time::Instant)>::new()));
    let failures = Arc::new(Mutex::new(0usize));
    let writers: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let (stop, acknowledged, failures, token, location) =
                (stop.clone(), acknowledged.clone(), failures.clone(), token.clone(), location.clone());
            tokio::spawn(async move {
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let (day, hour) = (2 + (n / 24) % 14, n % 24);
                    let body = json!({
                        "worker_id": worker, "location_id": location,
                        "start": format!("2026-03-{day:02}T{hour:02}:00:00Z"), "end": format!("2026-03-{day:02}T{hour:02}:30:00Z"),
                    });
                    match tcp::try_tcp_post(server, &token, "/api/v1/shifts", body).await {
                        Ok((StatusCode::CREATED, shift)) => {
                            acknowledged.lock().unwrap().push((shift["id"].as_str().unwrap().to_string(), std::time::Instant::now()));
                            n += 1;
                        }
                        _ => {
                            *failures.lock().unwrap() += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(2)).await;
    let restart = tokio::task::spawn_blocking(move || {
        cluster.restart_immediately();
        cluster
    });
    let cluster = restart.await.unwrap();
    let restarted_at = std::time::Instant::now();
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged: Vec<(String, std::time::Instant)> = acknowledged.lock().unwrap().clone();
    let after_restart = acknowledged.iter().filter(|(_, at)| *at > restarted_at).count();
    assert!(after_restart > 0, "the server took writes again after the restart, without being restarted itself");

    // Every acknowledged shift is in the database.
    let ids: Vec<uuid::Uuid> = acknowledged.iter().map(|(id, _)| id.parse().unwrap()).collect();
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE id = ANY ($1)").bind(&ids).fetch_one(&pool).await.unwrap();
    assert_eq!(stored as usize, ids.len(), "no acknowledged write lost");

    // And the browser saw each one once, in log order — reconnecting with its last id whenever the
    // stream dropped, as a browser does.
    let mut wanted: HashSet<String> = acknowledged.iter().map(|(id, _)| id.clone()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut reconnects = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !wanted.is_empty() && tokio::time::Instant::now() < deadline {
        match events.next_within(Duration::from_secs(5)).await {
            Some(event) if event.event == "change" => {
                let id = event.id.clone().unwrap();
                assert!(cursor_after(&id, &last), "{id} after {last}: in log order");
                last = id;
                let change = event.json();
                let stream = change["stream_id"].as_str().unwrap().to_string();
                if change["kind"] == "shift.created" {
                    assert!(seen.insert(stream.clone()), "{stream} sent twice");
                }
                wanted.remove(&stream);
            }
            Some(_) => {}
            None => {
                reconnects += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
                if let Ok(reopened) = tcp::try_tcp_stream(server, &token, Some(&last)).await {
                    events = reopened;
                }
            }
        }
    }
    assert!(wanted.is_empty(), "{} acknowledged shifts never reached the stream ({reconnects} reconnects)", wanted.len());
    println!(
        "{} writes acknowledged ({after_restart} after the restart), {} refused while the database was away, {reconnects} stream reconnects",
        acknowledged.len(),
        failures.lock().unwrap()
    );
    pool.close().await;
    drop(cluster);
}

fn cursor_after(later: &str, earlier: &str) -> bool {
    let parse = |c: &str| -> (i64, i64) {
        let (t, p) = c.split_once('-').unwrap();
        (t.parse().unwrap(), p.parse().unwrap())
    };
    parse(later) > parse(earlier)
}
