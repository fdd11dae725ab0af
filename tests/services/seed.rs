use chrono::NaiveDate;
use mosaic::seed::demo::{ensure_demo, DEMO_SLUG};
use mosaic::services::organisations;
use sqlx::PgPool;

#[sqlx::test]
async fn the_demo_loads_once_and_an_interrupted_load_is_set_aside(pool: PgPool) {
    let interrupted = organisations::create(&pool, "demo-loading", "Half a demo", "UTC").await.unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    let mut steps = Vec::new();
    let demo = ensure_demo(&pool, &pool, today, &mut |s| steps.push(s.to_string())).await.unwrap();
    assert_ne!(demo, interrupted);
    assert!(steps[0].starts_with("an interrupted demo load was set aside"), "{steps:?}");
    assert_eq!(organisations::find_by_slug(&pool, DEMO_SLUG).await.unwrap(), Some(demo));
    assert_eq!(organisations::find_by_slug(&pool, "demo-loading").await.unwrap(), None);

    let again = ensure_demo(&pool, &pool, today, &mut |_| {}).await.unwrap();
    assert_eq!(again, demo, "a second start loads nothing");
    let workers: i64 = sqlx::query_scalar("SELECT count(*) FROM entities WHERE org_id = $1 AND entity_type = 'worker'")
        .bind(demo.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(workers, 60);
    let open: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM attention_items WHERE org_id = $1 AND status = 'open' ORDER BY kind")
            .bind(demo.0)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        open,
        ["missing_break", "missing_clock_out", "overlap", "short_rest", "weekly_hours"],
        "the four deliberate conflicts and the forgotten clock-out, and nothing else"
    );
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(demo.0).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(count("SELECT count(*) FROM events WHERE org_id = $1 AND event_type = 'compensation'").await, 60);
    // Last week at Berlin Mitte: 100 shifts, each worked in two periods around lunch; one never ended.
    assert_eq!(
        count("SELECT count(*) FROM events WHERE org_id = $1 AND event_type = 'clock_period' AND status = 'active'").await,
        200
    );
    assert_eq!(
        count("SELECT count(*) FROM events WHERE org_id = $1 AND event_type = 'clock_period' AND end_time IS NULL").await,
        1
    );
}
