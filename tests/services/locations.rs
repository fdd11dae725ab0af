use crate::fixture::{at, World};
use mosaic::services::locations::{self, NewLocation};
use mosaic::store::DomainError;
use sqlx::PgPool;

async fn location(w: &World, name: &str) -> mosaic::ids::EntityId {
    locations::create(
        &w.pool,
        &w.caller,
        NewLocation { name: name.into(), address: None, time_zone: "Europe/Berlin".into(), capacity: Some(10) },
    )
    .await
    .unwrap()
    .id
}

#[sqlx::test]
async fn a_hierarchy_is_read_as_of_any_moment(pool: PgPool) {
    let w = World::new(pool).await;
    let (region, north, store) = (location(&w, "Region").await, location(&w, "North").await, location(&w, "Store").await);
    locations::set_parent(&w.pool, &w.caller, store, region, at(1, 0), None).await.unwrap();
    let membership = locations::set_parent(&w.pool, &w.caller, north, region, at(1, 0), None).await.unwrap();
    assert_eq!(locations::parent_at(&w.pool, &w.caller, store, at(5, 0)).await.unwrap().unwrap().id, region);
    assert!(locations::parent_at(&w.pool, &w.caller, region, at(5, 0)).await.unwrap().is_none());
    let children: Vec<_> =
        locations::children_at(&w.pool, &w.caller, region, at(5, 0)).await.unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(children, ["North", "Store"]);

    locations::end_membership(&w.pool, &w.caller, membership.id, at(10, 0), membership.version).await.unwrap();
    assert!(locations::parent_at(&w.pool, &w.caller, north, at(12, 0)).await.unwrap().is_none());
    assert_eq!(locations::parent_at(&w.pool, &w.caller, north, at(9, 0)).await.unwrap().unwrap().id, region, "history is kept");

    // A move dated ahead is not the parent yet, and is the next one.
    assert!(locations::next_parent_after(&w.pool, &w.caller, north, at(12, 0)).await.unwrap().is_none());
    locations::set_parent(&w.pool, &w.caller, north, store, at(20, 0), None).await.unwrap();
    assert!(locations::parent_at(&w.pool, &w.caller, north, at(12, 0)).await.unwrap().is_none());
    let (from, next) = locations::next_parent_after(&w.pool, &w.caller, north, at(12, 0)).await.unwrap().unwrap();
    assert_eq!((from, next.id), (at(20, 0), store));
    assert!(locations::next_parent_after(&w.pool, &w.caller, north, at(20, 0)).await.unwrap().is_none());
}

#[sqlx::test]
async fn a_location_cannot_end_up_under_its_own_descendant(pool: PgPool) {
    let w = World::new(pool).await;
    let (a, b, c, d) = (location(&w, "A").await, location(&w, "B").await, location(&w, "C").await, location(&w, "D").await);
    locations::set_parent(&w.pool, &w.caller, b, a, at(1, 0), None).await.unwrap();
    locations::set_parent(&w.pool, &w.caller, c, b, at(1, 0), None).await.unwrap();
    locations::set_parent(&w.pool, &w.caller, d, c, at(1, 0), None).await.unwrap();
    let err = locations::set_parent(&w.pool, &w.caller, a, d, at(1, 0), None).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "parent_id"), "a loop four deep: {err:?}");
    let err = locations::set_parent(&w.pool, &w.caller, a, a, at(1, 0), None).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }));
    let err = locations::set_parent(&w.pool, &w.caller, b, d, at(5, 0), None).await.unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "location_has_parent", .. }), "one parent at a time: {err:?}");
}

#[sqlx::test]
async fn an_unknown_time_zone_is_refused_naming_the_field(pool: PgPool) {
    let w = World::new(pool).await;
    let err = locations::create(
        &w.pool,
        &w.caller,
        NewLocation { name: "X".into(), address: None, time_zone: "Mars/Olympus".into(), capacity: None },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "time_zone"));
}

#[sqlx::test]
async fn moving_a_location_from_a_day_keeps_where_it_was_before(pool: PgPool) {
    let w = World::new(pool).await;
    let (north, south, cafe) = (location(&w, "North").await, location(&w, "South").await, location(&w, "Café").await);
    locations::move_under(&w.pool, &w.caller, cafe, Some(north), at(1, 0)).await.unwrap();
    locations::move_under(&w.pool, &w.caller, cafe, Some(south), at(10, 0)).await.unwrap();
    let parent = |t| {
        let (pool, caller) = (w.pool.clone(), w.caller.clone());
        async move { locations::parent_at(&pool, &caller, cafe, t).await.unwrap().map(|p| p.name) }
    };
    assert_eq!(parent(at(5, 0)).await.as_deref(), Some("North"));
    assert_eq!(parent(at(12, 0)).await.as_deref(), Some("South"));
    // Moved again from an earlier day: the later membership gives way, the earliest keeps its start.
    locations::move_under(&w.pool, &w.caller, cafe, None, at(3, 0)).await.unwrap();
    assert_eq!(parent(at(2, 0)).await.as_deref(), Some("North"));
    assert_eq!(parent(at(12, 0)).await, None);
    let refused = locations::move_under(&w.pool, &w.caller, cafe, Some(cafe), at(3, 0)).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "parent_id"), "{refused:?}");
}
