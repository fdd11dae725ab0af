//! A client generated from the OpenAPI document by a well-kept generator (openapi-python-client, from
//! PyPI, installed by scripts/install-tools.sh) calls the server over real HTTP: the document is one a
//! client can be built from, query parameters in the query, bearer tokens as declared.

use crate::client::Api;
use crate::tcp::serve;
use sqlx::PgPool;
use std::path::PathBuf;
use std::process::Command;

/// Where scripts/install-tools.sh puts the generator (`OPENAPI_PYTHON_CLIENT_HOME` to use another).
fn generator_home() -> PathBuf {
    std::env::var_os("OPENAPI_PYTHON_CLIENT_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.data/openapi-python-client"))
}

const CALLS: &str = r#"
import os, sys
from mosaic_api_client import AuthenticatedClient, Client
from mosaic_api_client.api.health import health
from mosaic_api_client.api.workers import search
base = os.environ["MOSAIC_BASE_URL"]
answer = health.sync_detailed(client=Client(base_url=base))
assert answer.status_code == 200, answer
signed_in = AuthenticatedClient(base_url=base, token=os.environ["MOSAIC_TOKEN"])
found = search.sync(client=signed_in, q="ann", limit=5)
print(",".join(worker.name for worker in found))
refused = search.sync_detailed(client=Client(base_url=base), q="ann")
print(refused.status_code)
"#;

#[sqlx::test(migrations = "../migrations")]
async fn a_client_generated_from_the_document_calls_health_and_a_signed_in_route(pool: PgPool) {
    let home = generator_home();
    let (generate, python) = (home.join("bin/openapi-python-client"), home.join("bin/python"));
    assert!(generate.exists(), "{} is missing: run scripts/install-tools.sh", generate.display());
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    api.employed_worker("Ann Albers", &location).await;
    api.employed_worker("Bob Brandt", &location).await;
    let address = serve(pool).await;
    let (_, document) = api.get("/api/v1/openapi.json").await;

    let dir = std::env::temp_dir().join(format!("mosaic-client-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("openapi.json"), document.to_string()).unwrap();
    let mut generating = Command::new(&generate);
    generating.args(["generate", "--path", "openapi.json", "--output-path", "client"]).current_dir(&dir);
    let generated = run(generating).await;
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));

    let mut calling = Command::new(&python);
    calling
        .args(["-c", CALLS])
        .current_dir(dir.join("client"))
        .env("PYTHONPATH", dir.join("client"))
        .env("MOSAIC_BASE_URL", format!("http://{address}"))
        .env("MOSAIC_TOKEN", api.token.as_deref().unwrap());
    let ran = run(calling).await;
    let said = String::from_utf8_lossy(&ran.stdout).to_string();
    assert!(ran.status.success(), "{said}{}", String::from_utf8_lossy(&ran.stderr));
    assert_eq!(
        said.lines().collect::<Vec<_>>(),
        ["Ann Albers", "401"],
        "found by the query parameter, refused without the token"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs a command off the test's runtime thread, so the server it calls keeps answering meanwhile.
async fn run(mut command: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap()
}
