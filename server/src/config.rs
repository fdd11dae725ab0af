//! Settings from the environment, read once at start.

use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Until sign-in exists the server listens on loopback only (see README).
    pub address: SocketAddr,
    /// The organisation every request acts in, as its administrator.
    pub organisation: String,
    /// Load the demo organisation on start if it is missing.
    pub load_demo: bool,
    pub max_connections: u32,
}

impl Config {
    pub fn from_env(default_address: SocketAddr) -> Result<Config, String> {
        let database_url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set".to_string())?;
        let address: SocketAddr = match std::env::var("MOSAIC_ADDR") {
            Ok(a) => a.parse().map_err(|_| format!("MOSAIC_ADDR={a} is not an address like 127.0.0.1:3000"))?,
            Err(_) => default_address,
        };
        if !address.ip().is_loopback() {
            return Err(format!("refusing to listen on {address}: without sign-in Mosaic serves loopback only"));
        }
        let organisation = std::env::var("MOSAIC_ORG").unwrap_or_else(|_| mosaic::seed::demo::DEMO_SLUG.to_string());
        let load_demo = std::env::var("MOSAIC_DEMO").map(|v| v != "0").unwrap_or(true);
        let max_connections = std::env::var("MOSAIC_DB_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
        Ok(Config { database_url, address, organisation, load_demo, max_connections })
    }
}
