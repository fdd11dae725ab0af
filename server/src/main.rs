use app::state::AppState;
use leptos::prelude::get_configuration;
use mosaic::services::{organisations, Caller};
use mosaic::store::{self, Actor};
use server::config::Config;
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

    let pool = store::connect(&config.database_url, config.max_connections)
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    store::MIGRATOR.run(&pool).await.map_err(|e| format!("migrating the database: {e}"))?;
    tracing::info!("database migrated");

    if config.load_demo && config.organisation == mosaic::seed::demo::DEMO_SLUG {
        // The demo organisation keeps Berlin time, so its weeks match what its calendar shows as "this week".
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive();
        mosaic::seed::demo::ensure_demo(&pool, today, &mut |step| tracing::info!("demo data: {step}"))
            .await
            .map_err(|e| format!("loading demo data: {e}"))?;
    }
    let org = organisations::find_by_slug(&pool, &config.organisation)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no organisation '{}' in the database", config.organisation))?;
    let caller = Caller { org, actor: Actor::named(&format!("admin@{}", config.organisation)) };

    let state = AppState { leptos_options: leptos_options.clone(), pool, caller };
    let app = server::router(state);
    let listener =
        tokio::net::TcpListener::bind(config.address).await.map_err(|e| format!("listening on {}: {e}", config.address))?;
    tracing::info!("listening");
    println!("Mosaic is running at http://{}", config.address);
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("serving: {e}"))
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
