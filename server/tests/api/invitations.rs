use crate::client::{code, Api, Browser};
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::json;
use sqlx::PgPool;

/// The path of a link the API answered with (`http://localhost/join/…` → `/join/…`).
fn path_of(url: &str) -> String {
    url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string())).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invitation_made_through_the_api_is_answered_in_the_browser(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let made = admin.created("/api/v1/invitations", json!({ "email": "ada@acme.test", "name": "Ada", "role": "worker" })).await;
    let url = made["url"].as_str().unwrap();
    assert!(url.starts_with("http://localhost/join/mosaic_inv_"), "{url}");
    assert_eq!(made["invitation"]["status"], "open");
    assert!(made["invitation"]["worker_id"].is_string(), "a worker is made for a worker invited without one");
    let (status, listed) = admin.get("/api/v1/invitations").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("mosaic_inv_"), "a list never shows a link");

    let mut ada = Browser::new(pool.clone());
    let link = path_of(url);
    let page = ada.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "a link's page opens signed out");
    assert!(page.body.contains("Join Acme") || page.body.contains("Opening the invitation"), "{}", page.body);
    let secret = link.trim_start_matches("/join/");
    let weak = ada.post_form("/auth/join", &[("secret", secret), ("name", "Ada"), ("password", "short")]).await;
    assert_eq!(weak.location.as_deref(), Some(format!("{link}?error=weak_password").as_str()));
    let joined =
        ada.post_form("/auth/join", &[("secret", secret), ("name", "Ada"), ("password", "a long password of Ada")]).await;
    assert_eq!((joined.status, joined.location.as_deref()), (StatusCode::SEE_OTHER, Some("/me")));
    let (status, me) = {
        let page = ada.get("/api/v1/me").await;
        (page.status, page.body)
    };
    assert_eq!(status, StatusCode::OK);
    assert!(me.contains("\"role\":\"worker\""), "{me}");
    let used = Browser::new(pool).post_form("/auth/join", &[("secret", secret), ("password", "a long password of Ada")]).await;
    assert_eq!(used.location.as_deref(), Some(format!("{link}?error=invitation_used").as_str()));
}

#[sqlx::test(migrations = "../migrations")]
async fn invitations_are_an_administrators_and_bad_requests_name_the_problem(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let manager = admin.colleague("boss@acme.test", Role::Manager, None, &[]).await;
    let (status, body) =
        manager.post("/api/v1/invitations", json!({ "email": "x@acme.test", "name": "X", "role": "worker" })).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, body) =
        admin.post("/api/v1/invitations", json!({ "email": "x@acme.test", "name": "X", "role": "worker", "plan": 1 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) =
        admin.post("/api/v1/invitations", json!({ "email": "not-an-email", "name": "X", "role": "manager" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")));
    let (status, body) =
        admin.post("/api/v1/invitations", json!({ "email": "boss@acme.test", "name": "Boss", "role": "manager" })).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "already_a_member"));

    let made = admin.created("/api/v1/invitations", json!({ "email": "x@acme.test", "name": "X", "role": "manager" })).await;
    let id = made["invitation"]["id"].as_str().unwrap();
    let (status, again) = admin.post(&format!("/api/v1/invitations/{id}/resend"), json!(null)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_ne!(again["url"], made["url"], "a resend is a new link");
    let (status, revoked) = admin.delete(&format!("/api/v1/invitations/{id}")).await;
    assert_eq!((status, revoked["status"].as_str()), (StatusCode::OK, Some("revoked")));
    let (status, body) = admin.delete(&format!("/api/v1/invitations/{id}")).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "invitation_revoked"));
    let (status, _) = admin.delete(&format!("/api/v1/invitations/{}", uuid::Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin.delete("/api/v1/invitations/not-an-id").await;
    assert!(status.is_client_error());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_password_link_lets_a_member_choose_a_new_password_in_the_browser(pool: PgPool) {
    let admin = Api::new(pool.clone(), "acme").await;
    let (_, me) = admin.get("/api/v1/me").await;
    let boss = admin.colleague("boss@acme.test", Role::Manager, None, &[]).await;
    let (_, members) = admin.get("/api/v1/members").await;
    let boss_id =
        members.as_array().unwrap().iter().find(|m| m["email"] == boss.email).unwrap()["user_id"].as_str().unwrap().to_string();
    let made = admin.created(&format!("/api/v1/members/{boss_id}/password-link"), json!(null)).await;
    let link = path_of(made["url"].as_str().unwrap());
    assert!(link.starts_with("/password/mosaic_pwd_"), "{link}");
    assert!(me.is_object());

    let mut browser = Browser::new(pool.clone());
    assert_eq!(browser.get(&link).await.status, StatusCode::OK);
    let secret = link.trim_start_matches("/password/");
    let set = browser.post_form("/auth/password", &[("secret", secret), ("password", "the boss's new password")]).await;
    assert_eq!((set.status, set.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let mut again = Browser::new(pool);
    let signed_in = again.sign_in("boss@acme.test", "the boss's new password").await;
    assert_eq!(signed_in.location.as_deref(), Some("/"));
    let reused = again.post_form("/auth/password", &[("secret", secret), ("password", "a third long password")]).await;
    assert_eq!(reused.location.as_deref(), Some(format!("{link}?error=link_used").as_str()));
}
