//! The server on a real port, and a plain HTTP/1 client over TCP: for tests where two instances, or a
//! database restart, must be seen the way a browser sees them.

use crate::sse::EventReader;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::PgPool;
use std::net::SocketAddr;

/// Serves the whole router on an ephemeral port of 127.0.0.1, for as long as the test runs.
pub async fn serve(pool: PgPool) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = crate::client::server(pool).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

async fn send(address: SocketAddr, request: Request<Body>) -> Result<hyper::Response<hyper::body::Incoming>, String> {
    let tcp = tokio::net::TcpStream::connect(address).await.map_err(|e| e.to_string())?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp)).await.map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    sender.send_request(request).await.map_err(|e| e.to_string())
}

/// Opens the change stream, as a browser reconnecting with `last_event_id` would.
pub async fn try_tcp_stream(
    address: SocketAddr,
    token: &str,
    last_event_id: Option<&str>,
) -> Result<EventReader<hyper::body::Incoming>, String> {
    let mut request = Request::get("/api/v1/changes/stream")
        .header("host", address.to_string())
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "text/event-stream");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = send(address, request.body(Body::empty()).unwrap()).await?;
    match response.status() {
        StatusCode::OK => Ok(EventReader::new(response.into_body())),
        other => Err(format!("the stream answered {other}")),
    }
}

pub async fn tcp_stream(address: SocketAddr, token: &str) -> EventReader<hyper::body::Incoming> {
    try_tcp_stream(address, token, None).await.unwrap()
}

pub async fn try_tcp_post(
    address: SocketAddr,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> Result<(StatusCode, serde_json::Value), String> {
    let request = Request::post(path)
        .header("host", address.to_string())
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = send(address, request).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)))
}

pub async fn tcp_post(address: SocketAddr, token: &str, path: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    try_tcp_post(address, token, path, body).await.unwrap()
}
