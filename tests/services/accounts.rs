use crate::fixture::{World, PASSWORD};
use mosaic::access::Role;
use mosaic::services::accounts::{self, MembershipAnswer, SignInOutcome, FAILURES_PER_EMAIL};
use mosaic::services::members;
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn a_session_names_its_member_and_ends_with_the_membership(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    let signed_in =
        accounts::sign_in(&pool, " Ada@Acme.test ", PASSWORD, None, None, Some("10.0.0.1")).await.unwrap().signed_in().unwrap();
    assert_eq!(signed_in.caller.access.role, Role::Worker);
    assert_eq!(signed_in.caller.access.worker, Some(ada));
    let again = accounts::caller_for_session(&pool, &signed_in.session).await.unwrap().unwrap();
    assert_eq!(again.actor, signed_in.caller.actor);

    members::remove(&pool, &world.caller, signed_in.caller.actor.id.unwrap()).await.unwrap();
    assert!(accounts::caller_for_session(&pool, &signed_in.session).await.unwrap().is_none(), "no membership, no session");
    let refused = accounts::sign_in(&pool, "ada@acme.test", PASSWORD, None, None, None).await.unwrap();
    assert!(matches!(refused, SignInOutcome::NotAMember), "{refused:?}");
}

/// Ten guesses at once: the per-email lock lets exactly the allowed number be judged; the rest wait
/// out the window without their passwords being checked at all.
#[sqlx::test]
async fn concurrent_guesses_cannot_slip_past_the_sign_in_limit(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    world.member("boss@acme.test", Role::Admin, None).await;
    let guesses = (0..10).map(|i| {
        let pool = pool.clone();
        async move { accounts::sign_in(&pool, "boss@acme.test", &format!("guess number {i}"), None, None, None).await }
    });
    let results = futures::future::join_all(guesses).await;
    let wrong = results.iter().filter(|r| matches!(r, Err(DomainError::Unauthenticated { .. }))).count();
    let throttled = results.iter().filter(|r| matches!(r, Err(DomainError::Throttled { .. }))).count();
    assert_eq!((wrong as i64, throttled as i64), (FAILURES_PER_EMAIL, 10 - FAILURES_PER_EMAIL), "{results:?}");
    let recorded = world.count("SELECT count(*) FROM sign_in_failures").await;
    assert_eq!(recorded, FAILURES_PER_EMAIL);
    match accounts::sign_in(&pool, "boss@acme.test", PASSWORD, None, None, None).await {
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
    let default = accounts::sign_in(&pool, "pat@example.test", PASSWORD, None, None, None).await.unwrap().signed_in().unwrap();
    assert_eq!((default.caller.org, default.caller.access.role), (as_admin.org, Role::Admin));
    let chosen =
        accounts::sign_in(&pool, "pat@example.test", PASSWORD, Some("second"), None, None).await.unwrap().signed_in().unwrap();
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

fn invitee(email: &str, name: &str, role: Role) -> members::NewMember {
    members::NewMember {
        email: email.into(),
        name: Some(name.into()),
        password: Some("a password of my choosing".into()),
        role,
        worker_id: None,
        location_ids: vec![],
    }
}

/// An administrator of one organisation adds an account that exists (a member elsewhere) and one that
/// does not: the two answers differ only in the ids and emails they were given, neither membership
/// grants anything, and the existing account keeps its name from them and its password.
#[sqlx::test]
async fn adding_a_person_asks_for_consent_and_tells_nothing_about_their_account(pool: PgPool) {
    let first = World::named(pool.clone(), "first").await;
    let pat = first.member("pat@example.test", Role::Admin, None).await;
    let second = World::named(pool.clone(), "second").await;
    let boss = second.member("boss@second.test", Role::Admin, None).await;

    let existing = members::add(&pool, &boss, invitee("PAT@example.test", "Patricia", Role::Manager)).await.unwrap();
    let new = members::add(&pool, &boss, invitee("nobody@example.test", "Patricia", Role::Manager)).await.unwrap();
    assert_eq!(existing.user_id, pat.actor.id.unwrap());
    let anonymous =
        |m: &members::MemberView| members::MemberView { user_id: uuid::Uuid::nil(), email: String::new(), ..m.clone() };
    assert_eq!(anonymous(&existing), anonymous(&new), "the same answer whether or not the email had an account");
    assert!(existing.pending && existing.name == "Patricia", "{existing:?}: the name the organisation gave, not the account's");
    let short = members::add(
        &pool,
        &boss,
        members::NewMember { password: Some("short".into()), ..invitee("pat@example.test", "P", Role::Manager) },
    );
    assert!(matches!(short.await.unwrap_err(), DomainError::Invalid { ref field, .. } if field == "password"));

    let mut conn = pool.acquire().await.unwrap();
    assert!(
        accounts::caller_for(&mut conn, second.caller.org, existing.user_id).await.unwrap().is_none(),
        "pending grants nothing"
    );
    let session = sqlx::query(
        "INSERT INTO sessions (token_hash, org_id, user_id, expires_at) VALUES ('\\x01', $1, $2, now() + interval '1 day')",
    )
    .bind(second.caller.org)
    .bind(existing.user_id)
    .execute(&mut *conn)
    .await
    .unwrap_err();
    assert_eq!(DomainError::from(session).code(), "membership_pending", "the database refuses a session for it");
    let kept = accounts::sign_in(&pool, "pat@example.test", "a password of my choosing", None, None, None).await.unwrap_err();
    assert!(matches!(kept, DomainError::Unauthenticated { .. }), "the organisation's password does not open the account");
    let pending_admin = members::add(&pool, &boss, invitee("ghost@example.test", "Ghost", Role::Admin)).await.unwrap();
    let demoted = members::update(
        &pool,
        &boss,
        boss.actor.id.unwrap(),
        members::MemberPatch { role: Some(Role::Manager), ..Default::default() },
    );
    assert_eq!(demoted.await.unwrap_err().code(), "last_admin", "a pending administrator does not count as one");
    members::remove(&pool, &boss, pending_admin.user_id).await.unwrap();
}

/// The person is asked at sign-in, before anything else; "not now" signs in where they already are,
/// accepting joins (as the person, in the log), declining removes the membership.
#[sqlx::test]
async fn a_pending_member_accepts_or_declines_when_they_sign_in(pool: PgPool) {
    let first = World::named(pool.clone(), "first").await;
    first.member("pat@example.test", Role::Admin, None).await;
    let second = World::named(pool.clone(), "second").await;
    let boss = second.member("boss@second.test", Role::Admin, None).await;
    members::add(&pool, &boss, invitee("pat@example.test", "Patricia", Role::Manager)).await.unwrap();
    let sign_in = |organisation: Option<&'static str>, answer| {
        let pool = pool.clone();
        async move { accounts::sign_in(&pool, "pat@example.test", PASSWORD, organisation, answer, None).await.unwrap() }
    };

    let SignInOutcome::Asked(question) = sign_in(None, None).await else { panic!("asked first") };
    assert_eq!((question.organisation.as_str(), question.role), ("second", Role::Manager));
    let later = sign_in(Some("second"), Some(MembershipAnswer::Later)).await.signed_in().unwrap();
    assert_eq!(later.caller.org, first.caller.org, "not now: signed in where they already belong");
    let accepted = sign_in(Some("second"), Some(MembershipAnswer::Accept)).await.signed_in().unwrap();
    assert_eq!((accepted.caller.org, accepted.caller.access.role), (second.caller.org, Role::Manager));
    assert_eq!(accepted.caller.actor.name, "pat", "their own name, now that they joined");
    assert!(sign_in(None, None).await.signed_in().is_some(), "nothing left to ask");
    let (actor, kind): (String, String) =
        sqlx::query_as("SELECT actor, kind FROM changes WHERE org_id = $1 ORDER BY position DESC LIMIT 1")
            .bind(second.caller.org)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((actor.as_str(), kind.as_str()), ("pat", "member.accepted"));

    members::add(&pool, &boss, invitee("new@example.test", "Newcomer", Role::Manager)).await.unwrap();
    let newcomer = |answer| {
        let pool = pool.clone();
        async move {
            accounts::sign_in(&pool, "new@example.test", "a password of my choosing", Some("second"), answer, None).await.unwrap()
        }
    };
    assert!(matches!(newcomer(None).await, SignInOutcome::Asked(_)));
    assert!(matches!(newcomer(Some(MembershipAnswer::Decline)).await, SignInOutcome::NotAMember));
    let left = second
        .count("SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'new@example.test'")
        .await;
    let declined = second.count("SELECT count(*) FROM changes WHERE kind = 'member.declined'").await;
    assert_eq!((left, declined), (0, 1));
}

/// Two organisations adding the same new email at the same moment: one account is made, and both get
/// the same pending answer (a plain insert would have told the second "email taken").
#[sqlx::test]
async fn two_organisations_adding_one_new_email_at_once_both_get_a_pending_member(pool: PgPool) {
    let first = World::named(pool.clone(), "first").await;
    let second = World::named(pool.clone(), "second").await;
    let (a, b) = (first.member("a@first.test", Role::Admin, None).await, second.member("b@second.test", Role::Admin, None).await);
    let add = |caller: mosaic::services::Caller| {
        let pool = first.pool.clone();
        async move { members::add(&pool, &caller, invitee("same@example.test", "Sam", Role::Manager)).await }
    };
    let (one, other) = futures::join!(add(a), add(b));
    let (one, other) = (one.unwrap(), other.unwrap());
    assert_eq!((one.user_id, one.pending, other.pending), (other.user_id, true, true));
    assert_eq!(first.count("SELECT count(*) FROM users WHERE email = 'same@example.test'").await, 1);
}
