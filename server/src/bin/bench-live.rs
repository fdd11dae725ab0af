//! The live feed under load: many open change streams and concurrent writers against a running server
//! (started by `scripts/bench-live.sh`). Each writer moves its own draft shift back and forth through
//! the API; every stream must receive every move. Prints the write latency, the delivery latency (from a
//! write being sent to each stream receiving it) over every write × stream, whether every stream got
//! every change once, and the server's CPU over the run (from /proc).
//!
//! Usage: bench-live <server address> <server pid> [streams=200] [writers=8] [moves per writer=40]

use axum::body::Body;
use chrono::{Duration as Hours, TimeZone, Utc};
use http_body_util::BodyExt;
use hyper::Request;
use mosaic::access::Role;
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::locations::{self, NewLocation};
use mosaic::services::members::{self, NewMember};
use mosaic::services::schedules::{self, NewSchedule};
use mosaic::services::shifts::{self, NewShift};
use mosaic::services::workers::{self, NewWorker};
use mosaic::services::{accounts, organisations, Caller};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Sent = Arc<Mutex<HashMap<(String, i64), Instant>>>;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let server: SocketAddr = args.get(1).and_then(|a| a.parse().ok()).expect("the server's address, like 127.0.0.1:3300");
    let pid: u32 = args.get(2).and_then(|a| a.parse().ok()).expect("the server's process id");
    let (streams, writers, moves) = (arg(3, 200), arg(4, 8), arg(5, 40));
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL: the server's database");
    let pool = mosaic::store::connect(&url, 4).await.expect("connect to PostgreSQL");

    println!("== setting up: an organisation with {writers} workers, each with one draft shift");
    let (token, shifts) = set_up(&pool, writers).await;
    let expected = writers * moves;

    println!("== opening {streams} change streams");
    let received: Arc<Mutex<Vec<HashMap<(String, i64), Instant>>>> = Arc::new(Mutex::new(vec![]));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(streams);
    let mut readers = vec![];
    for _ in 0..streams {
        let (token, received, ready) = (token.clone(), received.clone(), ready_tx.clone());
        readers.push(tokio::spawn(async move {
            let seen = follow(server, &token, expected, ready).await;
            received.lock().expect("not poisoned").push(seen);
        }));
    }
    for _ in 0..streams {
        ready_rx.recv().await.expect("every stream says it is ready");
    }

    println!("== {writers} writers × {moves} moves");
    let cpu_before = cpu_ticks(pid);
    let started = Instant::now();
    let sent: Sent = Arc::new(Mutex::new(HashMap::new()));
    let mut write_latency = vec![];
    let tasks: Vec<_> = shifts
        .into_iter()
        .map(|(id, start)| {
            let (token, sent) = (token.clone(), sent.clone());
            tokio::spawn(async move { write(server, &token, &id, start, moves, &sent).await })
        })
        .collect();
    for task in tasks {
        write_latency.extend(task.await.expect("a writer finishes"));
    }
    for reader in readers {
        let _ = reader.await;
    }
    let wall = started.elapsed();
    let cpu = (cpu_ticks(pid) - cpu_before) as f64 / ticks_per_second();

    let sent = sent.lock().expect("not poisoned");
    let received = received.lock().expect("not poisoned");
    let mut delivery = vec![];
    let mut complete = 0;
    for seen in received.iter() {
        if seen.len() == expected {
            complete += 1;
        }
        for (change, at) in seen {
            if let Some(from) = sent.get(change) {
                delivery.push(at.duration_since(*from).as_secs_f64() * 1000.0);
            }
        }
    }
    println!();
    println!("changes written: {}  streams: {streams}  deliveries: {}", sent.len(), delivery.len());
    println!("streams that received every change exactly once: {complete} of {streams}");
    println!("write (request → response):            {}", summary(&mut write_latency));
    println!("delivery (request sent → each stream): {}", summary(&mut delivery));
    println!(
        "server CPU: {cpu:.2} s over {:.2} s of writing ({:.0} % of one core); {:.1} ms per 1,000 deliveries",
        wall.as_secs_f64(),
        100.0 * cpu / wall.as_secs_f64(),
        1000.0 * cpu * 1000.0 / delivery.len().max(1) as f64
    );
}

async fn set_up(pool: &sqlx::PgPool, writers: usize) -> (String, Vec<(String, chrono::DateTime<Utc>)>) {
    let slug = format!("bench-live-{}", std::process::id());
    let org = organisations::create(pool, &slug, "Live bench", "UTC").await.expect("an organisation");
    let system = Caller::system(org, "bench setup");
    let location = NewLocation { name: "Bench".into(), address: None, time_zone: "UTC".into(), capacity: None };
    let location = locations::create(pool, &system, location).await.expect("a location").id;
    let monday = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).single().expect("a real date");
    let schedule = NewSchedule { location_id: location, start: monday, end: monday + Hours::days(7) };
    schedules::create(pool, &system, schedule).await.expect("a schedule");
    let mut shifts_made = vec![];
    for i in 0..writers {
        let worker = workers::create(
            pool,
            &system,
            NewWorker { name: format!("Writer {i:02}"), email: None, phone: None, external_id: None },
        )
        .await
        .expect("a worker");
        let employment = NewEmployment {
            worker_id: worker.id,
            location_id: Some(location),
            start: monday - Hours::days(30),
            end: None,
            title: None,
            contract_hours: None,
        };
        employments::create(pool, &system, employment).await.expect("an employment");
        let start = monday + Hours::hours(8);
        let new = NewShift {
            worker_id: worker.id,
            location_id: location,
            start,
            end: start + Hours::hours(4),
            role: None,
            position_id: None,
            notes: None,
            breaks: vec![],
        };
        let shift = shifts::create(pool, &system, new).await.expect("a draft shift");
        shifts_made.push((shift.id.to_string(), start));
    }
    let admin = NewMember {
        email: format!("admin@{slug}.test"),
        name: Some("Bench Admin".into()),
        password: Some("a long bench password".into()),
        role: Role::Admin,
        worker_id: None,
        location_ids: vec![],
    };
    let member = members::add(pool, &system, admin).await.expect("an admin");
    let mut conn = pool.acquire().await.expect("a connection");
    let caller = accounts::caller_for(&mut conn, org, member.user_id).await.expect("read the admin").expect("the admin");
    let token = accounts::tokens::create(pool, &caller, "bench").await.expect("a token").token;
    (token, shifts_made)
}

/// Moves one shift an hour later, then back, `moves` times; notes when each new version was sent.
async fn write(server: SocketAddr, token: &str, id: &str, start: chrono::DateTime<Utc>, moves: usize, sent: &Sent) -> Vec<f64> {
    let mut latencies = vec![];
    for version in 1..=moves as i64 {
        let from = if version % 2 == 1 { start + Hours::hours(1) } else { start };
        let body = serde_json::json!({ "expected_version": version, "start": from, "end": from + Hours::hours(4) });
        let request = Request::patch(format!("/api/v1/shifts/{id}"))
            .header("host", server.to_string())
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request");
        let at = Instant::now();
        sent.lock().expect("not poisoned").insert((id.to_string(), version + 1), at);
        let response = send(server, request).await;
        let status = response.status();
        let _ = response.into_body().collect().await;
        assert!(status.is_success(), "moving {id} from version {version}: {status}");
        latencies.push(at.elapsed().as_secs_f64() * 1000.0);
    }
    latencies
}

/// One browser: follows the stream until it has seen `expected` shift moves, noting when each arrived.
async fn follow(
    server: SocketAddr,
    token: &str,
    expected: usize,
    ready: tokio::sync::mpsc::Sender<()>,
) -> HashMap<(String, i64), Instant> {
    let request = Request::get("/api/v1/changes/stream")
        .header("host", server.to_string())
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "text/event-stream")
        .body(Body::empty())
        .expect("a request");
    let mut body = send(server, request).await.into_body();
    let mut buffer = String::new();
    let mut seen = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    while seen.len() < expected {
        let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await else { break };
        let Ok(data) = frame.into_data() else { continue };
        buffer.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.contains("event: ready") {
                let _ = ready.send(()).await;
            }
            let Some(json) = block.lines().find_map(|l| l.strip_prefix("data: ")) else { continue };
            if !block.contains("event: change") {
                continue;
            }
            let change: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
            if change["kind"] == mosaic::change_kind::ChangeKind::ShiftMoved.as_str() {
                let key = (
                    change["stream_id"].as_str().unwrap_or_default().to_string(),
                    change["stream_version"].as_i64().unwrap_or(0),
                );
                // A second delivery of the same change would keep its first time and not count twice.
                seen.entry(key).or_insert_with(Instant::now);
            }
        }
    }
    seen
}

async fn send(server: SocketAddr, request: Request<Body>) -> hyper::Response<hyper::body::Incoming> {
    let tcp = tokio::net::TcpStream::connect(server).await.expect("connect to the server");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp)).await.expect("an HTTP/1 handshake");
    tokio::spawn(connection);
    sender.send_request(request).await.expect("an answer")
}

fn summary(values: &mut [f64]) -> String {
    if values.is_empty() {
        return "no samples".into();
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| values[((p / 100.0) * (values.len() - 1) as f64).round() as usize];
    format!(
        "p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} samples)",
        at(50.0),
        at(95.0),
        at(99.0),
        at(100.0),
        values.len()
    )
}

/// The process's user and system CPU time so far, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the server process");
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th
    // field of the line, stime the 15th.
    let after = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0)
}

fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}
