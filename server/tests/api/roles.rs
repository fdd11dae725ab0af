//! Each role tries what it must not do, through the real router with its own API token.

use crate::client::{code, Api};
use axum::http::StatusCode;
use mosaic::access::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

/// An organisation with two locations, each with a draft schedule for 2–16 March 2026, and two employed
/// workers at the first.
struct Shop {
    admin: Api,
    main: String,
    other: String,
    schedule: Value,
    ada: String,
    bo: String,
}

async fn shop(pool: PgPool) -> Shop {
    let admin = Api::new(pool, "acme").await;
    let (main, schedule) = admin.location_with_schedule().await;
    let (other, _) = admin.location_with_schedule().await;
    let ada = admin.employed_worker("Ada", &main).await;
    let bo = admin.employed_worker("Bo", &main).await;
    Shop { admin, main, other, schedule, ada, bo }
}

impl Shop {
    async fn publish(&self) {
        let uri = format!("/api/v1/schedules/{}/publish", id(&self.schedule));
        let (status, body) = self.admin.post(&uri, json!({ "expected_version": self.schedule["version"] })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_sees_only_their_own_published_shifts(pool: PgPool) {
    let shop = shop(pool).await;
    let ada = shop.admin.colleague("ada@acme.test", Role::Worker, Some(&shop.ada), &[]).await;
    let published = shop.admin.shift(&shop.ada, &shop.main, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    shop.publish().await;
    let draft = shop.admin.shift(&shop.ada, &shop.main, "2026-03-05T07:00:00Z", "2026-03-05T15:00:00Z").await;
    let bos = shop.admin.shift(&shop.bo, &shop.main, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;

    assert_eq!(ada.get(&format!("/api/v1/shifts/{}", id(&published))).await.0, StatusCode::OK);
    for uri in [
        format!("/api/v1/shifts/{}", id(&draft)),
        format!("/api/v1/shifts/{}", id(&bos)),
        format!("/api/v1/workers/{}", shop.bo),
        format!("/api/v1/workers/{}/timeline?from=2026-03-01T00:00:00Z&to=2026-03-20T00:00:00Z", shop.bo),
        "/api/v1/shifts".to_string(),
        "/api/v1/workers".to_string(),
        "/api/v1/attention-items".to_string(),
        "/api/v1/changes".to_string(),
        "/api/v1/members".to_string(),
    ] {
        let (status, body) = ada.get(&uri).await;
        assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "{uri}: {body}");
    }
    let (status, timeline) =
        ada.get(&format!("/api/v1/workers/{}/timeline?from=2026-03-01T00:00:00Z&to=2026-03-20T00:00:00Z", shop.ada)).await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    let ids: Vec<&str> = timeline["shifts"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, vec![id(&published)], "their own draft stays hidden until published");
}

#[sqlx::test(migrations = "../migrations")]
async fn only_managers_and_admins_publish(pool: PgPool) {
    let shop = shop(pool).await;
    let ada = shop.admin.colleague("ada@acme.test", Role::Worker, Some(&shop.ada), &[]).await;
    let sam = shop.admin.colleague("sam@acme.test", Role::Scheduler, None, &[&shop.main]).await;
    let maria = shop.admin.colleague("maria@acme.test", Role::Manager, None, &[]).await;
    let uri = format!("/api/v1/schedules/{}/publish", id(&shop.schedule));
    let body = json!({ "expected_version": shop.schedule["version"] });
    for (who, client) in [("worker", &ada), ("scheduler", &sam)] {
        let (status, refusal) = client.post(&uri, body.clone()).await;
        assert_eq!((status, code(&refusal)), (StatusCode::FORBIDDEN, "forbidden"), "{who}: {refusal}");
        assert_eq!(refusal["error"]["message"], format!("a {who} may not publish or archive schedules"));
    }
    let (status, published) = maria.post(&uri, body).await;
    assert_eq!((status, published["status"].as_str()), (StatusCode::OK, Some("published")), "{published}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_scheduler_edits_drafts_only_at_their_own_locations(pool: PgPool) {
    let shop = shop(pool).await;
    let sam = shop.admin.colleague("sam@acme.test", Role::Scheduler, None, &[&shop.main]).await;
    let ours = sam.shift(&shop.ada, &shop.main, "2026-03-03T07:00:00Z", "2026-03-03T15:00:00Z").await;
    let (status, moved) = sam
        .patch(
            &format!("/api/v1/shifts/{}", id(&ours)),
            json!({ "expected_version": 1, "start": "2026-03-03T08:00:00Z", "end": "2026-03-03T16:00:00Z" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");

    let theirs_worker = shop.admin.employed_worker("Cy", &shop.other).await;
    let (status, refusal) = sam
        .post("/api/v1/shifts", json!({ "worker_id": theirs_worker, "location_id": shop.other, "start": "2026-03-03T07:00:00Z", "end": "2026-03-03T15:00:00Z" }))
        .await;
    assert_eq!((status, code(&refusal)), (StatusCode::FORBIDDEN, "forbidden"), "{refusal}");
    assert!(refusal["error"]["message"].as_str().unwrap().contains("only at the locations assigned to them"));
    let elsewhere = shop.admin.shift(&theirs_worker, &shop.other, "2026-03-04T07:00:00Z", "2026-03-04T15:00:00Z").await;
    let (status, _) =
        sam.patch(&format!("/api/v1/shifts/{}", id(&elsewhere)), json!({ "expected_version": 1, "notes": "mine now" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor change one there");
    let (status, _) = sam.post(&format!("/api/v1/shifts/{}/cancel", id(&elsewhere)), json!({ "expected_version": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor cancel one there");

    shop.publish().await;
    let (_, current) = shop.admin.get(&format!("/api/v1/shifts/{}", id(&ours))).await;
    assert_eq!(current["status"], "active");
    let (status, refusal) = sam
        .patch(&format!("/api/v1/shifts/{}", id(&ours)), json!({ "expected_version": current["version"], "notes": "late" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a published shift is the manager's: {refusal}");
}

#[sqlx::test(migrations = "../migrations")]
async fn nobody_raises_their_own_role_and_the_last_admin_stays(pool: PgPool) {
    let shop = shop(pool).await;
    let maria = shop.admin.colleague("maria@acme.test", Role::Manager, None, &[]).await;
    let (_, me) = maria.get("/api/v1/me").await;
    let maria_id = me["user_id"].as_str().unwrap().to_string();
    let (status, body) = maria.patch(&format!("/api/v1/members/{maria_id}"), json!({ "role": "admin" })).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "{body}");
    let (status, _) = maria
        .post(
            "/api/v1/members",
            json!({ "email": "eve@acme.test", "name": "Eve", "password": "a long password", "role": "admin" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, me) = maria.get("/api/v1/me").await;
    assert_eq!(me["role"], "manager");

    let (_, admin_me) = shop.admin.get("/api/v1/me").await;
    let (status, body) = shop
        .admin
        .patch(&format!("/api/v1/members/{}", admin_me["user_id"].as_str().unwrap()), json!({ "role": "manager" }))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "last_admin"), "{body}");
    let (status, body) = shop
        .admin
        .patch(&format!("/api/v1/members/{maria_id}"), json!({ "role": "scheduler", "location_ids": [shop.main] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(maria.get("/api/v1/me").await.1["role"], "scheduler", "a role change reaches the member's existing token at once");
}

#[sqlx::test(migrations = "../migrations")]
async fn tokens_are_personal_revocable_and_required(pool: PgPool) {
    let shop = shop(pool).await;
    let (status, made) = shop.admin.post("/api/v1/me/tokens", json!({ "name": "payroll export" })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let token = made["token"].as_str().unwrap();
    assert!(token.starts_with("mosaic_pat_"));
    let script = shop.admin.with_token(token);
    assert_eq!(script.get("/api/v1/workers").await.0, StatusCode::OK);
    let (_, listed) = shop.admin.get("/api/v1/me/tokens").await;
    assert!(listed.as_array().unwrap().iter().all(|t| t.get("token").is_none()), "a token's secret is shown only once");

    let (status, _) = shop.admin.delete(&format!("/api/v1/me/tokens/{}", id(&made))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = script.get("/api/v1/workers").await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"), "{body}");

    let maria = shop.admin.colleague("maria@acme.test", Role::Manager, None, &[]).await;
    let (status, _) = maria.delete(&format!("/api/v1/me/tokens/{}", id(&made))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nobody revokes another person's token");

    let (status, body) = shop.admin.anonymous().get("/api/v1/workers").await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    assert_eq!(shop.admin.with_token("mosaic_pat_made-up").get("/api/v1/workers").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(shop.admin.anonymous().get("/api/v1/health").await.0, StatusCode::OK, "health needs no token");
}
