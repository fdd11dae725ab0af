use crate::fixture::{at, World};
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::workers::{self, NewWorker};
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn workers_are_found_by_any_part_of_their_name_or_email_ignoring_case(pool: PgPool) {
    let w = World::new(pool).await;
    for (name, email) in [("Ann Albers", "ann@acme.test"), ("Bo Brandt", "bo@ACME.test"), ("Cy Costa", "cy@other.test")] {
        workers::create(
            &w.pool,
            &w.caller,
            NewWorker { name: name.into(), email: Some(email.into()), phone: None, external_id: None },
        )
        .await
        .unwrap();
    }
    let names = |found: Vec<mosaic::views::WorkerView>| found.into_iter().map(|w| w.name).collect::<Vec<_>>();
    assert_eq!(names(workers::search(&w.pool, &w.caller, "BRA", 10).await.unwrap()), ["Bo Brandt"]);
    assert_eq!(names(workers::search(&w.pool, &w.caller, "acme", 10).await.unwrap()), ["Ann Albers", "Bo Brandt"]);
    assert_eq!(workers::search(&w.pool, &w.caller, "%", 10).await.unwrap().len(), 0, "a % is a character, not a wildcard");
    let err = workers::create(
        &w.pool,
        &w.caller,
        NewWorker { name: "Ann Again".into(), email: Some("ANN@acme.test".into()), phone: None, external_id: None },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "email_taken", .. }));
    let err = workers::create(&w.pool, &w.caller, NewWorker { name: "  ".into(), email: None, phone: None, external_id: None })
        .await
        .unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "name"));
}

#[sqlx::test]
async fn a_worker_cannot_hold_two_overlapping_employments(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let err = employments::create(
        &w.pool,
        &w.caller,
        NewEmployment { worker_id: ann, location_id: None, start: at(10, 0), end: None, title: None, contract_hours: None },
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

#[sqlx::test]
async fn the_organisations_employments_are_listed_by_worker_location_and_instant(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bo = w.employed_worker("Bo").await;
    let lisbon = w.location_in("Lisbon", "Europe/Lisbon").await;
    let later = NewEmployment {
        worker_id: bo,
        location_id: Some(lisbon),
        start: at(20, 0),
        end: None,
        title: Some("Barista".into()),
        contract_hours: Some(20.0),
    };
    // Bo's first employment ends before the second begins.
    let first = employments::list_for_worker(&w.pool, &w.caller, bo).await.unwrap()[0].clone();
    employments::set_end(&w.pool, &w.caller, first.id, Some(at(19, 0)), first.version).await.unwrap();
    let second = employments::create(&w.pool, &w.caller, later).await.unwrap();
    assert_eq!((second.contract_hours, second.location_id), (Some(20.0), Some(lisbon)));

    let filter = |f: employments::EmploymentFilter| {
        let pool = w.pool.clone();
        let caller = w.caller.clone();
        async move { employments::list(&pool, &caller, &f).await.unwrap().into_iter().map(|e| e.worker_id).collect::<Vec<_>>() }
    };
    assert_eq!(filter(Default::default()).await.len(), 3);
    assert_eq!(filter(employments::EmploymentFilter { location_id: Some(lisbon), ..Default::default() }).await, [bo]);
    let mut at_first = filter(employments::EmploymentFilter { active_at: Some(at(10, 0)), ..Default::default() }).await;
    at_first.sort();
    let mut both = vec![ann, bo];
    both.sort();
    assert_eq!(at_first, both);
    assert_eq!(
        filter(employments::EmploymentFilter { active_at: Some(at(21, 0)), worker_id: Some(ann), ..Default::default() }).await,
        [ann]
    );
    let refused = employments::create(
        &w.pool,
        &w.caller,
        NewEmployment { worker_id: ann, location_id: None, start: at(1, 0), end: None, title: None, contract_hours: Some(100.0) },
    )
    .await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "contract_hours"), "{refused:?}");
}
