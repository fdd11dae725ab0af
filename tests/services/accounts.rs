use crate::fixture::{World, PASSWORD};
use mosaic::access::Role;
use mosaic::services::accounts::{self, FAILURES_PER_EMAIL};
use mosaic::services::members;
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn a_session_names_its_member_and_ends_with_the_membership(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    let signed_in = accounts::sign_in(&pool, " Ada@Acme.test ", PASSWORD, None, Some("10.0.0.1")).await.unwrap();
    assert_eq!(signed_in.caller.access.role, Role::Worker);
    assert_eq!(signed_in.caller.access.worker, Some(ada));
    let again = accounts::caller_for_session(&pool, &signed_in.session).await.unwrap().unwrap();
    assert_eq!(again.actor, signed_in.caller.actor);

    members::remove(&pool, &world.caller, signed_in.caller.actor.id.unwrap()).await.unwrap();
    assert!(accounts::caller_for_session(&pool, &signed_in.session).await.unwrap().is_none(), "no membership, no session");
    let refused = accounts::sign_in(&pool, "ada@acme.test", PASSWORD, None, None).await.unwrap_err();
    assert!(matches!(refused, DomainError::Unauthenticated { .. }), "{refused:?}");
}

/// Ten guesses at once: the per-email lock lets exactly the allowed number be judged; the rest wait
/// out the window without their passwords being checked at all.
#[sqlx::test]
async fn concurrent_guesses_cannot_slip_past_the_sign_in_limit(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    world.member("boss@acme.test", Role::Admin, None).await;
    let guesses = (0..10).map(|i| {
        let pool = pool.clone();
        async move { accounts::sign_in(&pool, "boss@acme.test", &format!("guess number {i}"), None, None).await }
    });
    let results = futures::future::join_all(guesses).await;
    let wrong = results.iter().filter(|r| matches!(r, Err(DomainError::Unauthenticated { .. }))).count();
    let throttled = results.iter().filter(|r| matches!(r, Err(DomainError::Throttled { .. }))).count();
    assert_eq!((wrong as i64, throttled as i64), (FAILURES_PER_EMAIL, 10 - FAILURES_PER_EMAIL), "{results:?}");
    let recorded = world.count("SELECT count(*) FROM sign_in_failures").await;
    assert_eq!(recorded, FAILURES_PER_EMAIL);
    match accounts::sign_in(&pool, "boss@acme.test", PASSWORD, None, None).await {
        Err(DomainError::Throttled { retry_after_secs }) => assert!((1..=15 * 60).contains(&retry_after_secs)),
        other => panic!("the right password waits too: {other:?}"),
    }
}

#[sqlx::test]
async fn a_person_in_two_organisations_signs_in_to_either(pool: PgPool) {
    let first = World::named(pool.clone(), "first").await;
    let second = World::named(pool.clone(), "second").await;
    let as_admin = first.member("pat@example.test", Role::Admin, None).await;
    members::add(
        &pool,
        &second.caller,
        members::NewMember {
            email: "pat@example.test".into(),
            name: None,
            password: None,
            role: Role::Manager,
            worker_id: None,
            location_ids: vec![],
        },
    )
    .await
    .unwrap();
    let default = accounts::sign_in(&pool, "pat@example.test", PASSWORD, None, None).await.unwrap();
    assert_eq!((default.caller.org, default.caller.access.role), (as_admin.org, Role::Admin));
    let chosen = accounts::sign_in(&pool, "pat@example.test", PASSWORD, Some("second"), None).await.unwrap();
    assert_eq!((chosen.caller.org, chosen.caller.access.role), (second.caller.org, Role::Manager));

    let takeover = members::add(
        &pool,
        &second.caller,
        members::NewMember {
            email: "PAT@example.test".into(),
            name: None,
            password: Some("a password of my choosing".into()),
            role: Role::Admin,
            worker_id: None,
            location_ids: vec![],
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(takeover, DomainError::Invalid { ref field, .. } if field == "password"), "{takeover:?}");
}

#[sqlx::test]
async fn a_membership_links_only_a_worker_and_a_scheduler_only_locations(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let member = |email: &str, role: Role, worker_id, location_ids| members::NewMember {
        email: email.into(),
        name: Some("Someone".into()),
        password: Some(PASSWORD.into()),
        role,
        worker_id,
        location_ids,
    };
    let refused =
        members::add(&pool, &world.caller, member("a@acme.test", Role::Worker, Some(world.location), vec![])).await.unwrap_err();
    assert!(matches!(refused, DomainError::NotFound { what: "worker", .. }), "a location is not a worker: {refused:?}");
    let refused = members::add(&pool, &world.caller, member("b@acme.test", Role::Scheduler, None, vec![ada])).await.unwrap_err();
    assert!(
        matches!(refused, DomainError::Invalid { ref field, .. } if field == "location_ids"),
        "a worker is not a location: {refused:?}"
    );
    // The database holds it whatever the service does.
    let raw =
        sqlx::query("INSERT INTO calendar_feeds (org_id, id, worker_id, token_hash) VALUES ($1, gen_random_uuid(), $2, 'x')")
            .bind(world.caller.org)
            .bind(world.location)
            .execute(&pool)
            .await
            .unwrap_err();
    assert_eq!(raw.as_database_error().and_then(|e| e.constraint()), Some("calendar_feeds_worker_is_a_worker"));
}
