use crate::fixture::{World, PASSWORD};
use mosaic::access::Role;
use mosaic::services::invitations::{self, Acceptance, InvitationStatus, NewInvitation};
use mosaic::services::sign_up::{self, FirstAdmin, OperatorOrganisation};
use mosaic::services::{accounts, members, password_links};
use mosaic::store::changes::{self, Cursor};
use mosaic::store::DomainError;
use sqlx::PgPool;

fn worker_invitation(email: &str) -> NewInvitation {
    NewInvitation { email: email.into(), name: "Ada Albers".into(), role: Role::Worker, worker_id: None, location_ids: vec![] }
}

fn answer(name: Option<&str>, password: &str) -> Acceptance {
    Acceptance { name: name.map(Into::into), password: password.into() }
}

#[sqlx::test]
async fn an_invited_worker_chooses_a_password_and_is_a_member_once(owner: PgPool) {
    let world = World::new(owner).await;
    let issued = invitations::invite(&world.pool, &world.caller, worker_invitation("Ada@Example.test")).await.unwrap();
    assert!(issued.secret.starts_with("mosaic_inv_") && issued.secret.len() > 40);
    assert_eq!((issued.invitation.email.as_str(), issued.invitation.status), ("ada@example.test", InvitationStatus::Open));
    let worker = issued.invitation.worker_id.expect("a worker made with the invitation");
    let stored =
        world.count(&format!("SELECT count(*) FROM invitations WHERE token_hash = sha256('{}'::bytea)", issued.secret)).await;
    assert_eq!(stored, 1, "the link's SHA-256 is kept, not the link");

    let preview = invitations::preview(&world.pool, &issued.secret).await.unwrap();
    assert_eq!((preview.organisation_name.as_str(), preview.role, preview.has_account), ("Acme", Role::Worker, false));
    let weak = invitations::accept(&world.pool, &issued.secret, answer(None, "short"), None).await;
    assert!(matches!(weak, Err(DomainError::Invalid { ref field, .. }) if field == "password"), "{weak:?}");

    let signed_in =
        invitations::accept(&world.pool, &issued.secret, answer(Some("Ada A."), "a long password of Ada's"), None).await.unwrap();
    assert_eq!(signed_in.caller.access.role, Role::Worker);
    assert_eq!(signed_in.caller.access.worker, Some(worker));
    assert_eq!(signed_in.caller.actor.name, "Ada A.");
    let again = invitations::accept(&world.pool, &issued.secret, answer(None, "a long password of Ada's"), None).await;
    assert!(matches!(again, Err(DomainError::Conflict { code: "invitation_used", .. })), "{again:?}");
    let relisted = invitations::list(&world.pool, &world.caller).await.unwrap();
    assert_eq!(relisted[0].status, InvitationStatus::Accepted);
    let member = members::get(&world.pool, &world.caller, signed_in.caller.actor.id.unwrap()).await.unwrap();
    assert_eq!((member.pending, member.worker_id), (false, Some(worker)));

    let log = changes::read_after(&world.pool, world.caller.org, Cursor::default(), 1000).await.unwrap();
    let kinds: Vec<&str> =
        log.iter().map(|c| c.change.kind.as_str()).filter(|k| !k.starts_with("location") && !k.starts_with("schedule")).collect();
    assert_eq!(kinds, ["worker.created", "invitation.sent", "member.added", "invitation.accepted"]);
    assert!(log.iter().all(|c| !c.change.payload.to_string().contains(&issued.secret)), "the log never holds a link");

    // The database itself refuses to reopen a settled invitation.
    let reopened = sqlx::query("UPDATE invitations SET accepted_at = NULL").execute(&world.owner).await.unwrap_err();
    assert_eq!(reopened.as_database_error().and_then(|e| e.constraint()), Some("invitations_settled_once"));
}

#[sqlx::test]
async fn a_person_with_an_account_accepts_with_its_password_and_wrong_guesses_are_counted(owner: PgPool) {
    let first = World::named(owner.clone(), "first").await;
    first.member("pat@example.test", Role::Manager, None).await;
    let second = World::named(owner, "second").await;
    let invitation = NewInvitation {
        email: "pat@example.test".into(),
        name: "Pat".into(),
        role: Role::Manager,
        worker_id: None,
        location_ids: vec![],
    };
    let issued = invitations::invite(&second.pool, &second.caller, invitation).await.unwrap();
    assert!(invitations::preview(&second.pool, &issued.secret).await.unwrap().has_account);

    let wrong = invitations::accept(&second.pool, &issued.secret, answer(None, "not pat's password"), None).await;
    assert!(matches!(wrong, Err(DomainError::Unauthenticated { .. })), "{wrong:?}");
    assert_eq!(second.count("SELECT count(*) FROM sign_in_failures WHERE email = 'pat@example.test'").await, 1);
    let joined = invitations::accept(&second.pool, &issued.secret, answer(Some("ignored"), PASSWORD), None).await.unwrap();
    assert_eq!((joined.caller.org, joined.caller.access.role), (second.caller.org, Role::Manager));
    assert_eq!(joined.caller.actor.name, "pat", "an existing account keeps its own name");
}

#[sqlx::test]
async fn a_link_works_until_it_expires_is_replaced_or_withdrawn(owner: PgPool) {
    let world = World::new(owner).await;
    let first = invitations::invite(&world.pool, &world.caller, worker_invitation("ada@example.test")).await.unwrap();
    let twice = invitations::invite(&world.pool, &world.caller, worker_invitation("ada@example.test")).await;
    assert!(matches!(twice, Err(DomainError::Conflict { code: "already_invited", .. })), "{twice:?}");

    sqlx::query("UPDATE invitations SET sent_at = sent_at - interval '8 days', expires_at = expires_at - interval '8 days'")
        .execute(&world.owner)
        .await
        .unwrap();
    let expired = invitations::accept(&world.pool, &first.secret, answer(None, "a long password of Ada's"), None).await;
    assert!(matches!(expired, Err(DomainError::Conflict { code: "invitation_expired", .. })), "{expired:?}");
    assert_eq!(invitations::list(&world.pool, &world.caller).await.unwrap()[0].status, InvitationStatus::Expired);

    let resent = invitations::resend(&world.pool, &world.caller, first.invitation.id).await.unwrap();
    assert_eq!(resent.invitation.status, InvitationStatus::Open);
    let old = invitations::preview(&world.pool, &first.secret).await;
    assert!(matches!(old, Err(DomainError::NotFound { .. })), "the old link opens nothing: {old:?}");
    invitations::preview(&world.pool, &resent.secret).await.unwrap();

    let withdrawn = invitations::revoke(&world.pool, &world.caller, first.invitation.id).await.unwrap();
    assert_eq!(withdrawn.status, InvitationStatus::Revoked);
    let revoked = invitations::accept(&world.pool, &resent.secret, answer(None, "a long password of Ada's"), None).await;
    assert!(matches!(revoked, Err(DomainError::Conflict { code: "invitation_revoked", .. })), "{revoked:?}");
    let resend_revoked = invitations::resend(&world.pool, &world.caller, first.invitation.id).await;
    assert!(matches!(resend_revoked, Err(DomainError::Conflict { code: "invitation_revoked", .. })));
    // Withdrawn, the person may be invited afresh.
    invitations::invite(&world.pool, &world.caller, worker_invitation("ada@example.test")).await.unwrap();
}

#[sqlx::test]
async fn two_answers_to_one_link_at_once_make_one_member(owner: PgPool) {
    let world = World::new(owner).await;
    let issued = invitations::invite(&world.pool, &world.caller, worker_invitation("ada@example.test")).await.unwrap();
    let (a, b) = tokio::join!(
        invitations::accept(&world.pool, &issued.secret, answer(None, "a long password of Ada's"), None),
        invitations::accept(&world.pool, &issued.secret, answer(None, "another long password"), None),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(matches!(loser, Err(DomainError::Conflict { code: "invitation_used", .. })), "{loser:?}");
    assert_eq!(
        world
            .count("SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'ada@example.test'")
            .await,
        1
    );
}

#[sqlx::test]
async fn only_an_administrator_invites_and_members_and_linked_workers_are_not_invited_twice(owner: PgPool) {
    let world = World::new(owner).await;
    let manager = world.member("boss@example.test", Role::Manager, None).await;
    let refused = invitations::invite(&world.pool, &manager, worker_invitation("ada@example.test")).await;
    assert!(matches!(refused, Err(DomainError::Forbidden(_))), "{refused:?}");
    let member = invitations::invite(&world.pool, &world.caller, worker_invitation("BOSS@example.test")).await;
    assert!(matches!(member, Err(DomainError::Conflict { code: "already_a_member", .. })), "{member:?}");

    let ada = world.employed_worker("Ada").await;
    world.member("ada@example.test", Role::Worker, Some(ada)).await;
    let linked = NewInvitation { worker_id: Some(ada), ..worker_invitation("other@example.test") };
    let taken = invitations::invite(&world.pool, &world.caller, linked).await;
    assert!(matches!(taken, Err(DomainError::Conflict { code: "worker_has_user", .. })), "{taken:?}");
    let nowhere = NewInvitation { role: Role::Scheduler, location_ids: vec![ada], ..worker_invitation("y@example.test") };
    let refused = invitations::invite(&world.pool, &world.caller, nowhere).await;
    assert!(matches!(refused, Err(DomainError::Invalid { ref field, .. }) if field == "location_ids"), "{refused:?}");
    let location = NewInvitation { worker_id: Some(mosaic::EntityId(world.location.0)), ..worker_invitation("x@example.test") };
    assert!(matches!(invitations::invite(&world.pool, &world.caller, location).await, Err(DomainError::NotFound { .. })));
}

#[sqlx::test]
async fn a_password_link_sets_a_new_password_once_and_ends_other_sessions(owner: PgPool) {
    let world = World::new(owner).await;
    let pat = world.member("pat@example.test", Role::Manager, None).await;
    let user = pat.actor.id.unwrap();
    let old = accounts::sign_in(&world.pool, "pat@example.test", PASSWORD, None, None, None).await.unwrap().signed_in().unwrap();

    let link = password_links::issue(&world.pool, &world.caller, user).await.unwrap();
    let preview = password_links::preview(&world.pool, &link.secret).await.unwrap();
    assert_eq!((preview.email.as_str(), preview.organisation_name.as_str()), ("pat@example.test", "Acme"));
    let new = password_links::set_password(&world.pool, &link.secret, "pat's brand new password").await.unwrap();
    assert_eq!(new.caller.access.role, Role::Manager);
    assert!(accounts::caller_for_session(&world.pool, &old.session).await.unwrap().is_none(), "the old session ended");
    assert!(accounts::caller_for_session(&world.pool, &new.session).await.unwrap().is_some());
    let again = password_links::set_password(&world.pool, &link.secret, "yet another long password").await;
    assert!(matches!(again, Err(DomainError::Conflict { code: "link_used", .. })), "{again:?}");
    accounts::sign_in(&world.pool, "pat@example.test", "pat's brand new password", None, None, None).await.unwrap();
    let reused = sqlx::query("UPDATE password_links SET used_at = NULL").execute(&world.owner).await.unwrap_err();
    assert_eq!(reused.as_database_error().and_then(|e| e.constraint()), Some("password_links_used_once"));

    // Someone who also belongs elsewhere resets their own password: the link would open both.
    let other = World::named(world.owner.clone(), "other").await;
    let also = members::NewMember {
        email: "pat@example.test".into(),
        name: None,
        password: None,
        role: Role::Worker,
        worker_id: Some(other.employed_worker("Pat").await),
        location_ids: vec![],
    };
    members::add(&other.pool, &other.caller, also).await.unwrap();
    let shared = password_links::issue(&other.pool, &other.caller, user).await;
    assert!(matches!(shared, Err(DomainError::Conflict { code: "account_shared", .. })), "{shared:?}");
    let stranger = password_links::issue(&world.pool, &world.caller, uuid::Uuid::new_v4()).await;
    assert!(matches!(stranger, Err(DomainError::NotFound { .. })));
}

#[sqlx::test]
async fn the_operator_creates_an_organisation_whose_admin_gets_in_through_a_link(owner: PgPool) {
    let pool = crate::fixture::application_pool(&owner).await;
    let new = OperatorOrganisation {
        organisation_name: "Harbour Bakery".into(),
        time_zone: "Europe/Lisbon".into(),
        currency: "eur".into(),
        week_starts_on: mosaic::local_time::WeekStart::Monday,
        admin_name: "Inês Costa".into(),
        admin_email: "ines@harbour.test".into(),
    };
    let (slug, first_admin) = sign_up::create_by_operator(&pool, new.clone()).await.unwrap();
    assert_eq!(slug, "harbour-bakery");
    let FirstAdmin::NewAccount(link) = first_admin else { panic!("a new account gets a link") };
    let refused = accounts::sign_in(&pool, "ines@harbour.test", "", None, None, None).await;
    assert!(refused.is_err(), "no password opens the account before the link is used");
    let signed_in = password_links::set_password(&pool, &link.secret, "a long founder password").await.unwrap();
    assert_eq!((signed_in.caller.access.role, signed_in.caller.actor.name.as_str()), (Role::Admin, "Inês Costa"));

    // A second organisation for the same person: they already have a password.
    let (slug, again) =
        sign_up::create_by_operator(&pool, OperatorOrganisation { organisation_name: "Harbour Bakery".into(), ..new })
            .await
            .unwrap();
    assert_eq!(slug, "harbour-bakery-2");
    assert!(matches!(again, FirstAdmin::ExistingAccount));
}
