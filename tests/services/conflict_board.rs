use crate::fixture::{at, World};
use mosaic::access::Role;
use mosaic::rules::{ConflictKind, Severity};
use mosaic::services::conflict_board::{self, BoardFilter};
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::services::{attention, workers};
use mosaic::store::DomainError;
use mosaic::views::AttentionStatus;
use sqlx::PgPool;

#[sqlx::test]
async fn the_board_lists_open_items_with_their_worker_and_shifts_filtered_and_counted(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    let morning = w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;
    // Bob closes late and opens early: a short rest, a warning.
    w.shift(bob, at(4, 14), 8).await;
    w.shift(bob, at(5, 6), 6).await;

    let board = conflict_board::board(&w.pool, &w.caller, &BoardFilter::default()).await.unwrap();
    let overlap = board.items.iter().find(|i| i.item.kind == ConflictKind::Overlap).expect("the double booking");
    assert_eq!(overlap.worker_name, "Ann");
    assert_eq!(overlap.shifts.iter().map(|s| s.id).collect::<Vec<_>>(), [morning.id, cover.id], "its shifts, in time order");
    let rest = board.items.iter().find(|i| i.item.kind == ConflictKind::ShortRest).expect("the short rest");
    assert_eq!((rest.worker_name.as_str(), rest.item.severity), ("Bob", Severity::Warning));
    let counted: u32 = board.counts.iter().map(|c| c.open).sum();
    assert_eq!(counted as usize, board.items.len());
    assert_eq!(board.counts[0].severity, Severity::Hard, "hard kinds first");
    // The short rest was found last, yet the double booking leads: hard items first, then by when.
    let order: Vec<(Severity, chrono::DateTime<chrono::Utc>)> =
        board.items.iter().map(|i| (i.item.severity, i.item.span.start)).collect();
    assert_eq!(order[0].0, Severity::Hard, "{order:?}");
    assert!(
        order
            .windows(2)
            .all(|p| (p[0].0 == Severity::Hard && p[1].0 == Severity::Warning) || (p[0].0 == p[1].0 && p[0].1 <= p[1].1)),
        "hard first, each severity by time: {order:?}"
    );

    let hard = BoardFilter { severity: Some(Severity::Hard), ..Default::default() };
    let only_hard = conflict_board::board(&w.pool, &w.caller, &hard).await.unwrap();
    assert!(only_hard.items.iter().all(|i| i.item.severity == Severity::Hard) && !only_hard.items.is_empty());
    let rest_only = BoardFilter { kind: Some(ConflictKind::ShortRest), ..Default::default() };
    assert_eq!(conflict_board::board(&w.pool, &w.caller, &rest_only).await.unwrap().items.len(), 1);
    let elsewhere = w.location_in("Harbour", "Europe/Berlin").await;
    let there = BoardFilter { location_id: Some(elsewhere), ..Default::default() };
    let empty = conflict_board::board(&w.pool, &w.caller, &there).await.unwrap();
    assert!(empty.items.is_empty() && empty.counts.is_empty(), "nothing at a location with no shifts");
    assert_eq!(empty.locations.len(), 2);
}

#[sqlx::test]
async fn a_warning_is_acknowledged_with_a_reason_that_is_kept_and_a_hard_conflict_is_not(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    w.shift(ann, at(3, 7), 8).await;
    w.shift(ann, at(3, 12), 4).await;
    let late = w.shift(bob, at(4, 14), 8).await;
    w.shift(bob, at(5, 6), 6).await;
    let items = w.open_items().await;
    let rest = items.iter().find(|i| i.kind == ConflictKind::ShortRest).unwrap();
    let overlap = items.iter().find(|i| i.kind == ConflictKind::Overlap).unwrap();

    let refused = conflict_board::acknowledge(&w.pool, &w.caller, overlap.id, "fine").await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "hard_conflict", .. }), "{refused:?}");
    let empty = conflict_board::acknowledge(&w.pool, &w.caller, rest.id, "   ").await.unwrap_err();
    assert!(matches!(&empty, DomainError::Invalid { field, .. } if field == "reason"), "{empty:?}");
    let scheduler = w.member("sam@acme.test", Role::Scheduler, None).await;
    let denied = conflict_board::acknowledge(&w.pool, &scheduler, rest.id, "Bob asked for it").await.unwrap_err();
    assert!(matches!(denied, DomainError::Forbidden(_)), "{denied:?}");

    let done = conflict_board::acknowledge(&w.pool, &w.caller, rest.id, "Bob asked to swap for the early shift").await.unwrap();
    assert_eq!(
        (done.status, done.reason.as_deref()),
        (AttentionStatus::Acknowledged, Some("Bob asked to swap for the early shift"))
    );
    let board = conflict_board::board(&w.pool, &w.caller, &BoardFilter::default()).await.unwrap();
    assert!(board.items.iter().all(|i| i.item.id != rest.id), "off the open board");
    let again = conflict_board::acknowledge(&w.pool, &w.caller, rest.id, "twice").await.unwrap_err();
    assert!(matches!(again, DomainError::Conflict { code: "not_open", .. }));

    let history = conflict_board::history(&w.pool, &w.caller, rest.id).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["shift.created", "shift.created", "attention.acknowledged"]);
    assert_eq!(history[2].payload["reason"], "Bob asked to swap for the early shift");
    assert_eq!(history[2].actor, "test");

    // When the conflict itself goes, the item closes by itself, reason kept.
    let patch = ShiftPatch { expected_version: 1, start: Some(at(4, 8)), end: Some(at(4, 16)), ..Default::default() };
    shifts::update(&w.pool, &w.caller, late.id, patch).await.unwrap();
    let closed = attention::get(&w.pool, &w.caller, rest.id).await.unwrap();
    assert_eq!(
        (closed.status, closed.reason.as_deref()),
        (AttentionStatus::Resolved, Some("Bob asked to swap for the early shift"))
    );
}

#[sqlx::test]
async fn cover_is_offered_from_free_employed_workers_and_taking_it_closes_the_item(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bea = w.employed_worker("Bea").await;
    let cy = w.employed_worker("Cy").await;
    let dee = w.employed_worker("Dee").await;
    workers::create(
        &w.pool,
        &w.caller,
        workers::NewWorker { name: "Eve (not employed)".into(), email: None, phone: None, external_id: None },
    )
    .await
    .unwrap();
    w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;
    // Cy works then; Dee finishes at 06:00 the same day (taking it would leave her a short rest).
    w.shift(cy, at(3, 11), 6).await;
    w.shift(dee, at(2, 22), 8).await;
    let overlap = w.open_items().await.into_iter().find(|i| i.kind == ConflictKind::Overlap).unwrap();

    let offered = conflict_board::cover(&w.pool, &w.caller, overlap.id).await.unwrap();
    let names: Vec<&str> = offered.iter().map(|c| c.worker.name.as_str()).collect();
    assert_eq!(names, ["Bea", "Dee"], "free and employed, fewest warnings first");
    assert!(offered.iter().all(|c| c.shift_id == cover.id));
    assert!(offered[0].warnings.is_empty());
    assert_eq!(offered[1].warnings.len(), 1, "{:?}", offered[1].warnings);

    let patch = ShiftPatch { expected_version: 1, worker_id: Some(bea), ..Default::default() };
    shifts::update(&w.pool, &w.caller, cover.id, patch).await.unwrap();
    assert_eq!(attention::get(&w.pool, &w.caller, overlap.id).await.unwrap().status, AttentionStatus::Resolved);
}

/// Back-to-back shifts leave no rest at all: the item is on the board, in the list and in the counts
/// alike (its span is the instant between them, not an empty range nothing overlaps).
#[sqlx::test]
async fn back_to_back_shifts_are_a_short_rest_the_board_lists_as_well_as_counts(pool: PgPool) {
    let w = World::new(pool).await;
    let cy = w.employed_worker("Cy").await;
    w.shift(cy, at(3, 9), 5).await;
    w.shift(cy, at(3, 14), 5).await;

    let board = conflict_board::board(&w.pool, &w.caller, &BoardFilter::default()).await.unwrap();
    let rest = board.items.iter().find(|i| i.item.kind == ConflictKind::ShortRest).expect("the short rest is listed");
    assert_eq!((rest.item.span.start, rest.item.span.end), (at(3, 14), Some(at(3, 14))));
    let counted: u32 = board.counts.iter().map(|c| c.open).sum();
    assert_eq!(counted as usize, board.items.len(), "the counts and the list agree");
    let listed = attention::list_open(&w.pool, &w.caller, &Default::default()).await.unwrap();
    assert!(listed.iter().any(|i| i.kind == ConflictKind::ShortRest), "and GET /attention-items has it");
}
