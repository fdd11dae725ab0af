//! Settings from the environment, read once at start.

use mosaic::services::sign_up::SignUpPolicy;
use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    /// The schema's owner: runs the migrations and grants the application role its rights.
    pub database_url: String,
    /// The role everything else runs as, one that owns nothing (`MOSAIC_APP_DATABASE_URL`). Without it
    /// the server runs as the owner and says so.
    pub app_database_url: Option<String>,
    pub address: SocketAddr,
    /// Load the demo organisation (and its people) on start if it is missing.
    pub load_demo: bool,
    /// The day the demo is planned around (its "this week"); by default today in Berlin, the demo's zone.
    /// Pinned by the browser tests so a run that crosses midnight sees the weeks it planned for.
    pub demo_today: chrono::NaiveDate,
    pub max_connections: u32,
    /// Session cookies only over HTTPS. Defaults to on, except when serving plain HTTP on loopback
    /// (development, tests); set `MOSAIC_SECURE_COOKIES=1` behind a TLS proxy on loopback.
    pub secure_cookies: bool,
    /// Who may create an organisation in the browser (`MOSAIC_SIGNUP`: `first`, the default — only while
    /// none exists; `open`; `closed`).
    pub sign_up: SignUpPolicy,
}

impl Config {
    pub fn from_env(default_address: SocketAddr) -> Result<Config, String> {
        let database_url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set".to_string())?;
        let app_database_url = std::env::var("MOSAIC_APP_DATABASE_URL").ok().filter(|url| !url.is_empty());
        let address: SocketAddr = match std::env::var("MOSAIC_ADDR") {
            Ok(a) => a.parse().map_err(|_| format!("MOSAIC_ADDR={a} is not an address like 127.0.0.1:3000"))?,
            Err(_) => default_address,
        };
        let load_demo = std::env::var("MOSAIC_DEMO").map(|v| v != "0").unwrap_or(true);
        let demo_today = match std::env::var("MOSAIC_DEMO_TODAY") {
            Ok(d) => d.parse().map_err(|_| format!("MOSAIC_DEMO_TODAY={d} is not a date like 2026-03-04"))?,
            Err(_) => chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive(),
        };
        let max_connections = std::env::var("MOSAIC_DB_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
        let secure_cookies = match std::env::var("MOSAIC_SECURE_COOKIES") {
            Ok(v) => v != "0",
            Err(_) => !address.ip().is_loopback(),
        };
        let sign_up = match std::env::var("MOSAIC_SIGNUP") {
            Ok(v) => SignUpPolicy::parse(&v).ok_or_else(|| format!("MOSAIC_SIGNUP={v} is not one of first, open, closed"))?,
            Err(_) => SignUpPolicy::default(),
        };
        Ok(Config { database_url, app_database_url, address, load_demo, demo_today, max_connections, secure_cookies, sign_up })
    }
}
