use crate::fixture::{application_pool, World};
use mosaic::access::Role;
use mosaic::local_time::WeekStart;
use mosaic::services::sign_up::{self, NewOrganisation, SignUpPolicy};
use mosaic::services::{accounts, members, organisations};
use mosaic::store::changes::{self, Cursor};
use mosaic::store::DomainError;
use sqlx::PgPool;

fn form(name: &str, email: &str) -> NewOrganisation {
    NewOrganisation {
        organisation_name: name.into(),
        time_zone: "America/New_York".into(),
        currency: "usd".into(),
        week_starts_on: WeekStart::Sunday,
        admin_name: "Grace Hopper".into(),
        admin_email: email.into(),
        admin_password: "a long founder password".into(),
    }
}

#[sqlx::test]
async fn the_first_organisation_is_created_with_its_admin_signed_in_and_logged(owner: PgPool) {
    let pool = application_pool(&owner).await;
    assert!(sign_up::no_organisation_yet(&pool).await.unwrap());
    assert!(SignUpPolicy::First.allows_now(&pool).await.unwrap());

    let signed_in =
        sign_up::create_organisation(&pool, SignUpPolicy::First, form("Café Müller", "Grace@Example.com")).await.unwrap();
    let caller = accounts::caller_for_session(&pool, &signed_in.session).await.unwrap().expect("a live session");
    assert_eq!(caller.access.role, Role::Admin);
    assert_eq!(caller.actor.name, "Grace Hopper");
    let settings = organisations::settings(&pool, &caller).await.unwrap();
    assert_eq!(
        (settings.name.as_str(), settings.slug.as_str(), settings.time_zone.as_str(), settings.currency.as_str()),
        ("Café Müller", "cafe-muller", "America/New_York", "USD")
    );
    assert_eq!(settings.week_starts_on, WeekStart::Sunday);
    let members = members::list(&pool, &caller).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!((members[0].email.as_str(), members[0].pending), ("grace@example.com", false));

    let log = changes::read_after(&pool, caller.org, Cursor::default(), 10).await.unwrap();
    let kinds: Vec<&str> = log.iter().map(|c| c.change.kind.as_str()).collect();
    assert_eq!(kinds, ["organisation.created", "member.added"]);
    assert!(log.iter().all(|c| c.change.actor == "Grace Hopper"));

    // Under the default policy, the first organisation closes the door behind it.
    assert!(!SignUpPolicy::First.allows_now(&pool).await.unwrap());
    let refused = sign_up::create_organisation(&pool, SignUpPolicy::First, form("Second", "other@example.com")).await;
    assert!(matches!(refused, Err(DomainError::Conflict { code: "sign_up_closed", .. })), "{refused:?}");
}

#[sqlx::test]
async fn a_refused_sign_up_names_its_field_and_leaves_nothing_behind(owner: PgPool) {
    let pool = application_pool(&owner).await;
    let cases = [
        (NewOrganisation { organisation_name: "  ".into(), ..form("x", "a@example.com") }, "organisation_name"),
        (NewOrganisation { time_zone: "Mars/Olympus".into(), ..form("x", "a@example.com") }, "time_zone"),
        (NewOrganisation { currency: "EURO".into(), ..form("x", "a@example.com") }, "currency"),
        (NewOrganisation { admin_name: "".into(), ..form("x", "a@example.com") }, "admin_name"),
        (NewOrganisation { admin_email: "not an email".into(), ..form("x", "a@example.com") }, "admin_email"),
        (NewOrganisation { admin_password: "short".into(), ..form("x", "a@example.com") }, "admin_password"),
    ];
    for (new, field) in cases {
        match sign_up::create_organisation(&pool, SignUpPolicy::Open, new).await {
            Err(DomainError::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(sign_up::no_organisation_yet(&pool).await.unwrap(), "nothing was half-written");
    let refused = sign_up::create_organisation(&pool, SignUpPolicy::Closed, form("Closed", "c@example.com")).await;
    assert!(matches!(refused, Err(DomainError::Conflict { code: "sign_up_closed", .. })));
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&owner).await.unwrap();
    assert_eq!(users, 0);

    // An email that already has an account is refused here; its password is tried only at sign-in.
    World::new(owner.clone()).await.member("taken@example.com", Role::Manager, None).await;
    let taken = sign_up::create_organisation(&pool, SignUpPolicy::Open, form("Taken", "Taken@example.com")).await;
    assert!(matches!(taken, Err(DomainError::Conflict { code: "email_taken", .. })), "{taken:?}");
}

#[sqlx::test]
async fn two_first_sign_ups_at_once_make_one_organisation(owner: PgPool) {
    let pool = application_pool(&owner).await;
    let (a, b) = tokio::join!(
        sign_up::create_organisation(&pool, SignUpPolicy::First, form("First", "one@example.com")),
        sign_up::create_organisation(&pool, SignUpPolicy::First, form("Second", "two@example.com")),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|won| **won).count(), 1, "{a:?} {b:?}");
    let first_won = a.is_ok();
    let loser = if first_won { b } else { a };
    assert!(matches!(loser, Err(DomainError::Conflict { code: "sign_up_closed", .. })), "{loser:?}");
    let organisations: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&owner).await.unwrap();
    assert_eq!(organisations, 1);

    // Open sign-up gives a second organisation with the same name an address of its own.
    let again = sign_up::create_organisation(&pool, SignUpPolicy::Open, form("First", "three@example.com")).await.unwrap();
    let settings = organisations::settings(&pool, &again.caller).await.unwrap();
    assert_eq!(settings.slug, if first_won { "first-2" } else { "first" });
}
