use crate::fixture::{at, World};
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::workers::{self, NewWorker};
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn workers_are_found_by_any_part_of_their_name_or_email_ignoring_case(pool: PgPool) {
    let w = World::new(pool).await;
    for (name, email) in [("Ann Albers", "ann@acme.test"), ("Bo Brandt", "bo@ACME.test"), ("Cy Costa", "cy@other.test")] {
        workers::create(&w.pool, &w.caller, NewWorker { name: name.into(), email: Some(email.into()) }).await.unwrap();
    }
    let names = |found: Vec<mosaic::views::WorkerView>| found.into_iter().map(|w| w.name).collect::<Vec<_>>();
    assert_eq!(names(workers::search(&w.pool, &w.caller, "BRA", 10).await.unwrap()), ["Bo Brandt"]);
    assert_eq!(names(workers::search(&w.pool, &w.caller, "acme", 10).await.unwrap()), ["Ann Albers", "Bo Brandt"]);
    assert_eq!(workers::search(&w.pool, &w.caller, "%", 10).await.unwrap().len(), 0, "a % is a character, not a wildcard");
    let err = workers::create(&w.pool, &w.caller, NewWorker { name: "Ann Again".into(), email: Some("ANN@acme.test".into()) })
        .await
        .unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "email_taken", .. }));
    let err = workers::create(&w.pool, &w.caller, NewWorker { name: "  ".into(), email: None }).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "name"));
}

#[sqlx::test]
async fn a_worker_cannot_hold_two_overlapping_employments(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let err = employments::create(
        &w.pool,
        &w.caller,
        NewEmployment { worker_id: ann, location_id: None, start: at(10, 0), end: None, title: None },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "employment_overlap", .. }), "{err:?}");
}

#[sqlx::test]
async fn an_employment_cannot_end_before_its_shifts_but_can_be_extended(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    w.shift(ann, at(9, 9), 8).await;
    let employment = employments::list_for_worker(&w.pool, &w.caller, ann).await.unwrap().remove(0);
    let err = employments::set_end(&w.pool, &w.caller, employment.id, Some(at(5, 0)), employment.version).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "end"), "{err:?}");
    let ended = employments::set_end(&w.pool, &w.caller, employment.id, Some(at(20, 0)), employment.version).await.unwrap();
    assert_eq!(ended.during.end, Some(at(20, 0)));
    let reopened = employments::set_end(&w.pool, &w.caller, employment.id, None, ended.version).await.unwrap();
    assert_eq!(reopened.during.end, None);
    let err = employments::set_end(&w.pool, &w.caller, employment.id, None, ended.version).await.unwrap_err();
    assert!(matches!(err, DomainError::StaleVersion { .. }));
}
