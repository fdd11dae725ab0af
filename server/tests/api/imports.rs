use crate::client::{code, Api};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use mosaic::access::Role;
use serde_json::Value;
use sqlx::PgPool;

async fn send_file(api: &Api, uri: &str, file: impl Into<Body>) -> (StatusCode, Value) {
    let request = Request::builder().method(Method::POST).uri(uri).header("content-type", "text/csv").body(file.into()).unwrap();
    api.send(request).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_roster_file_is_checked_then_imported_whole_through_the_api(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    api.location_with_schedule().await;
    let file = "name;email;location;start;hours\nAnn;ann@acme.test;Main street;05/01/2026;38\nBo;;Main street;01/12/2026;\n";

    let (status, checked) = send_file(&api, "/api/v1/imports/workers/check?slash_dates=month_first", file).await;
    assert_eq!(status, StatusCode::OK, "{checked}");
    assert_eq!(
        (checked["rows"].as_i64(), checked["new_workers"].as_i64(), checked["imported"].as_bool()),
        (Some(2), Some(2), Some(false))
    );
    let (_, workers) = api.get("/api/v1/workers").await;
    assert_eq!(workers.as_array().unwrap().len(), 0, "a check writes nothing");

    let (status, imported) = send_file(&api, "/api/v1/imports/workers?slash_dates=month_first", file).await;
    assert_eq!(
        (status, imported["imported"].as_bool(), imported["invitations"].as_i64()),
        (StatusCode::OK, Some(true), Some(1)),
        "{imported}"
    );
    let (_, employments) = api.get("/api/v1/employments").await;
    let starts: Vec<&str> = employments.as_array().unwrap().iter().map(|e| e["during"]["start"].as_str().unwrap()).collect();
    assert!(starts.contains(&"2026-05-01T00:00:00Z") && starts.contains(&"2026-01-12T00:00:00Z"), "month first: {starts:?}");
    let (status, again) = send_file(&api, "/api/v1/imports/workers?slash_dates=month_first", file).await;
    assert_eq!(
        (status, again["unchanged_workers"].as_i64(), again["new_employments"].as_i64()),
        (StatusCode::OK, Some(2), Some(0))
    );

    let bad = "name,location,start\nCy,Harbour,2026-01-05\nDee,Main street,2026-13-01\n";
    let (status, refused) = send_file(&api, "/api/v1/imports/workers", bad).await;
    assert_eq!((status, code(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "import_refused"), "{refused}");
    let problems: Vec<(i64, &str)> = refused["error"]["details"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_i64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [(3, "start"), (2, "location")]);
    let (_, workers) = api.get("/api/v1/workers").await;
    assert_eq!(workers.as_array().unwrap().len(), 2, "nothing of the refused file landed");
}

#[sqlx::test(migrations = "../migrations")]
async fn what_is_not_a_roster_gets_a_clear_answer_and_never_a_5xx(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (status, template) = api.get("/api/v1/imports/workers/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.as_str().unwrap().starts_with("name,email,phone,external id,location"), "{template}");

    let too_big = vec![b'a'; 50 * 1024 * 1024 + 1];
    let (status, refused) = send_file(&api, "/api/v1/imports/workers/check", too_big).await;
    assert_eq!((status, code(&refused)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"), "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("50 MB"));

    for file in [&b"\xff\xfe\x00n\x00a"[..], b"", b"\"unclosed,quote\n", b"name\n\0\0\0\n", b"a,b,c\n1,2,3\n"] {
        let (status, report) = send_file(&api, "/api/v1/imports/workers/check", file.to_vec()).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert!(!report["problems"].as_array().unwrap().is_empty(), "{report}");
        let (status, refused) = send_file(&api, "/api/v1/imports/workers", file.to_vec()).await;
        assert_eq!((status, code(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "import_refused"), "{refused}");
    }
    let (status, unknown) = send_file(&api, "/api/v1/imports/workers/check?dates=us", "name\nAnn\n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{unknown}");

    let manager = api.colleague("boss@acme.test", Role::Manager, None, &[]).await;
    let (status, denied) = send_file(&manager, "/api/v1/imports/workers", "name\nAnn\n").await;
    assert_eq!((status, code(&denied)), (StatusCode::FORBIDDEN, "forbidden"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shifts_file_is_imported_as_drafts_and_a_week_exports_as_one(pool: PgPool) {
    let api = Api::new(pool.clone(), "acme").await;
    let (location, _) = api.location_with_schedule().await;
    let ann = api.employed_worker("Ann Albers", &location).await;
    let file = "date,start,end,worker,location\n03/03/2026,07:00,15:00,Ann Albers,Main street\n03/03/2026,07:00,25:00,Ann Albers,Main street\n";
    let (status, checked) = send_file(&api, "/api/v1/imports/shifts/check", file).await;
    assert_eq!(status, StatusCode::OK, "{checked}");
    assert_eq!(checked["problems"][0]["row"].as_i64(), Some(3), "{checked}");
    assert_eq!(checked["problems"][0]["column"], "end");
    let (status, refused) = send_file(&api, "/api/v1/imports/shifts", file).await;
    assert_eq!((status, code(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "import_refused"));

    let good = "date,start,end,worker,location\n03/03/2026,07:00,15:00,Ann Albers,Main street\n";
    let (status, imported) = send_file(&api, "/api/v1/imports/shifts", good).await;
    assert_eq!((status, imported["new_shifts"].as_i64()), (StatusCode::OK, Some(1)), "{imported}");
    let (status, exported) = api.get(&format!("/api/v1/exports/week.csv?location_id={location}&week=2026-03-04")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(exported.as_str().unwrap().contains("2026-03-03,07:00,15:00,Ann Albers,Main street"), "{exported}");
    let (status, bad) = api.get(&format!("/api/v1/exports/week.csv?location_id={location}&week=%2B262142-12-31")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (status, template) = api.get("/api/v1/imports/shifts/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.as_str().unwrap().starts_with("date,start,end,worker"));

    let worker = api.colleague("ann@acme.test", Role::Worker, Some(&ann), &[]).await;
    let (status, _) = send_file(&worker, "/api/v1/imports/shifts/check", good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
