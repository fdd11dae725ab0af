use app::state::AppState;
use leptos::prelude::get_configuration;
use mosaic::store;
use server::config::Config;
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")))
        .init();
    if let Err(message) = run().await {
        tracing::error!("{message}");
        eprintln!("mosaic: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let leptos = get_configuration(None).map_err(|e| format!("reading the Leptos configuration: {e}"))?;
    let leptos_options = leptos.leptos_options;
    let config = Config::from_env(leptos_options.site_addr)?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let operator_command = match args.first().map(String::as_str) {
        None => None,
        Some("create-organisation") => Some(server::operator::parse(&args[1..])?),
        Some(_) => return Err(server::operator::USAGE.to_string()),
    };

    let owner = store::connect(&config.database_url, 2).await.map_err(|e| format!("connecting to the database: {e}"))?;
    store::MIGRATOR.run(&owner).await.map_err(|e| format!("migrating the database: {e}"))?;
    tracing::info!("database migrated");
    let pool = application_pool(&config, &owner).await?;
    if let Some(command) = operator_command {
        let said = server::operator::create_organisation(&pool, command, &format!("http://{}", config.address)).await?;
        println!("{said}");
        return Ok(());
    }

    if config.load_demo {
        mosaic::seed::demo::ensure_demo(&pool, &owner, config.demo_today, &mut |step| tracing::info!("demo data: {step}"))
            .await
            .map_err(|e| format!("loading demo data: {e}"))?;
    }
    owner.close().await;

    tokio::spawn(sweep_timekeeping(pool.clone()));
    let state = AppState { leptos_options: leptos_options.clone(), pool, sign_up: config.sign_up };
    let app = server::router(state, config.secure_cookies);
    let listener =
        tokio::net::TcpListener::bind(config.address).await.map_err(|e| format!("listening on {}: {e}", config.address))?;
    tracing::info!("listening");
    println!("Mosaic is running at http://{}", config.address);
    if config.load_demo {
        println!("Demo accounts (email / password):");
        for account in &mosaic::seed::demo::DEMO_ACCOUNTS {
            println!("  {:<9} {} / {}", account.role.as_str(), account.email, account.password);
        }
    }
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("serving: {e}"))
}

/// Once a minute, raises the missing clock-outs that time alone has made (every instance may run it:
/// raising an item twice is raising it once).
/// The connection everything but the migrations uses: the application role, checked and granted its
/// rights; or, without one configured, the owner's, with a warning.
async fn application_pool(config: &Config, owner: &sqlx::PgPool) -> Result<sqlx::PgPool, String> {
    let Some(url) = &config.app_database_url else {
        tracing::warn!(
            "running as the schema's owner, which can disable the change log's guards: set MOSAIC_APP_DATABASE_URL \
             to a role that owns nothing (scripts/run.sh does)"
        );
        return store::connect(&config.database_url, config.max_connections)
            .await
            .map_err(|e| format!("connecting to the database: {e}"));
    };
    let pool = store::connect(url, config.max_connections)
        .await
        .map_err(|e| format!("connecting to the database as MOSAIC_APP_DATABASE_URL: {e}"))?;
    let role = store::roles::inspect(&pool).await.map_err(|e| format!("reading the application role: {e}"))?;
    if let Some(why) = role.too_powerful() {
        return Err(format!("MOSAIC_APP_DATABASE_URL must name a role that owns nothing: {why}"));
    }
    store::roles::grant(owner, &role.name).await.map_err(|e| format!("granting the application role {}: {e}", role.name))?;
    tracing::info!("running as the database role {}", role.name);
    Ok(pool)
}

async fn sweep_timekeeping(pool: sqlx::PgPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match mosaic::services::timekeeping::sweep(&pool, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("timekeeping: looked again at {n} worker(s) with an overdue clock-out"),
            Err(e) => tracing::warn!("timekeeping sweep: {e}"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
