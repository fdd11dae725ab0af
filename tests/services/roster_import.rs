use crate::fixture::World;
use mosaic::access::Role;
use mosaic::services::roster_import::{self, ImportOptions};
use mosaic::services::workers;
use mosaic::store::DomainError;
use mosaic::views::import::{ImportReport, SlashDates};
use sqlx::PgPool;

const ROSTER: &str = "name;email;external id;location;start;weekly hours;hourly rate\r\n\
    Ann Avila;ann@acme.test;E-1;Main street;05.01.2026;38;12,50\r\n\
    Bo Berg;;E-2;main STREET;05.01.2026;20;\r\n\
    \"Cy\nCosta\";cy@acme.test;;Main street;12.01.2026;;11\r\n";

async fn import(w: &World, file: &str) -> Result<ImportReport, DomainError> {
    roster_import::import(&w.pool, &w.caller, file.as_bytes(), ImportOptions::default(), &|_, _| {}).await
}

async fn counts(w: &World) -> (i64, i64, i64, i64) {
    (
        w.count("SELECT count(*) FROM entities WHERE entity_type = 'worker'").await,
        w.count("SELECT count(*) FROM events WHERE event_type = 'employment'").await,
        w.count("SELECT count(*) FROM events WHERE event_type = 'compensation'").await,
        w.count("SELECT count(*) FROM invitations").await,
    )
}

async fn external_id(w: &World, worker: mosaic::ids::EntityId) -> Option<String> {
    sqlx::query_scalar("SELECT properties ->> 'external_id' FROM entities WHERE id = $1")
        .bind(worker)
        .fetch_one(&w.owner)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_roster_file_brings_in_workers_with_employments_rates_and_invitations_once(pool: PgPool) {
    let w = World::new(pool).await;
    let checked = roster_import::check(&w.pool, &w.caller, ROSTER.as_bytes(), ImportOptions::default()).await.unwrap();
    assert_eq!(
        (checked.rows, checked.new_workers, checked.new_employments, checked.new_rates, checked.invitations),
        (3, 3, 3, 2, 2)
    );
    assert!(!checked.imported && checked.problems.is_empty(), "{checked:?}");
    assert_eq!(counts(&w).await, (0, 0, 0, 0), "a check writes nothing");

    let first = import(&w, ROSTER).await.unwrap();
    assert!(first.imported);
    assert_eq!(counts(&w).await, (3, 3, 2, 2));
    let ann = workers::search(&w.pool, &w.caller, "Ann", 10).await.unwrap().remove(0);
    assert_eq!(ann.email.as_deref(), Some("ann@acme.test"));
    assert_eq!(external_id(&w, ann.id).await.as_deref(), Some("E-1"));
    let hours: Option<f64> = sqlx::query_scalar(
        "SELECT (e.properties ->> 'contract_hours')::float8 FROM events e JOIN participations p ON p.org_id = e.org_id AND p.event_id = e.id
          WHERE e.event_type = 'employment' AND p.entity_id = $1",
    )
    .bind(ann.id)
    .fetch_one(&w.owner)
    .await
    .unwrap();
    assert_eq!(hours, Some(38.0));

    let again = import(&w, ROSTER).await.unwrap();
    assert_eq!((again.new_workers, again.updated_workers, again.unchanged_workers), (0, 0, 3));
    assert_eq!((again.new_employments, again.new_rates, again.invitations), (0, 0, 0));
    assert_eq!(counts(&w).await, (3, 3, 2, 2), "importing the same file again changes nothing");
}

#[sqlx::test]
async fn rows_are_matched_by_external_id_then_email_and_changes_are_applied(pool: PgPool) {
    let w = World::new(pool).await;
    import(&w, ROSTER).await.unwrap();
    // Ann found by her id with a new email; Cy found by email, given an id and a phone.
    let changed =
        "name,email,external id,phone\nAnn Avila-Reis,ann.reis@acme.test,E-1,\nCy Costa,cy@acme.test,E-3,+351 21 000 0003\n";
    let report = import(&w, changed).await.unwrap();
    assert_eq!((report.new_workers, report.updated_workers), (0, 2));
    let names: Vec<_> = workers::search(&w.pool, &w.caller, "", 10).await.unwrap().into_iter().map(|w| w.name).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Ann Avila-Reis".to_string()) && names.contains(&"Cy Costa".to_string()), "{names:?}");
    let cy = workers::search(&w.pool, &w.caller, "cy@acme.test", 10).await.unwrap().remove(0);
    assert_eq!((external_id(&w, cy.id).await.as_deref(), cy.phone.as_deref()), (Some("E-3"), Some("+351 21 000 0003")));
    let changes = w.count("SELECT count(*) FROM changes WHERE kind = 'worker.updated'").await;
    assert_eq!(changes, 2, "each changed worker is logged");
}

#[sqlx::test]
async fn a_file_with_any_problem_is_refused_whole(pool: PgPool) {
    let w = World::new(pool).await;
    let existing = w.employed_worker("Dee").await;
    let dee = workers::get(&w.pool, &w.caller, existing).await.unwrap();
    workers::update(
        &w.pool,
        &w.caller,
        existing,
        workers::WorkerPatch { expected_version: dee.version, email: Some("dee@acme.test".into()), ..Default::default() },
    )
    .await
    .unwrap();
    let file = "name,email,external id,location,start\n\
        Ann,ann@acme.test,E-1,Main street,2026-01-05\n\
        Bo,bo@acme.test,E-2,Harbour,2026-01-05\n\
        Dee,dee@acme.test,,Main street,2026-02-15\n";
    let before = counts(&w).await;
    let refused = import(&w, file).await;
    let Err(DomainError::ImportRefused { problems }) = refused else { panic!("{refused:?}") };
    let named: Vec<_> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(named, [(3, "location"), (4, "start")], "{problems:?}");
    assert!(problems[0].message.contains("no location called 'Harbour'"), "{}", problems[0].message);
    assert!(problems[1].message.contains("already employed from"), "{}", problems[1].message);
    assert_eq!(counts(&w).await, before, "Ann, on a good row, was not imported either");
    let parse_refused = import(&w, "name,start\nAnn,31.02.2026\n").await;
    assert!(matches!(parse_refused, Err(DomainError::ImportRefused { .. })), "{parse_refused:?}");
}

#[sqlx::test]
async fn only_those_who_manage_people_import_and_two_imports_at_once_add_each_worker_once(pool: PgPool) {
    let w = World::new(pool).await;
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    let denied = roster_import::check(&w.pool, &manager, ROSTER.as_bytes(), ImportOptions::default()).await;
    assert!(matches!(denied, Err(DomainError::Forbidden(_))), "{denied:?}");
    let (a, b) = tokio::join!(import(&w, ROSTER), import(&w, ROSTER));
    let new: usize = [a.unwrap(), b.unwrap()].iter().map(|r| r.new_workers).sum();
    assert_eq!(new, 3);
    assert_eq!(counts(&w).await, (3, 3, 2, 2));
    let us = roster_import::check(
        &w.pool,
        &w.caller,
        b"name,location,start\nEd,Main street,12/31/2026\n",
        ImportOptions { slash_dates: SlashDates::MonthFirst },
    )
    .await
    .unwrap();
    assert_eq!((us.problems.len(), us.new_employments), (0, 1), "{us:?}");
}

#[sqlx::test]
async fn a_row_with_neither_email_nor_id_is_matched_by_a_name_that_says_who(pool: PgPool) {
    let w = World::new(pool).await;
    let file = "name,location,start\nBo Berg,Main street,2026-01-05\n";
    import(&w, file).await.unwrap();
    let again = import(&w, file).await.unwrap();
    assert_eq!((again.unchanged_workers, again.new_employments), (1, 0));
    w.employed_worker("Bo Berg").await;
    let refused = import(&w, file).await;
    let Err(DomainError::ImportRefused { problems }) = refused else { panic!("{refused:?}") };
    assert!(problems[0].message.contains("2 workers are called Bo Berg"), "{problems:?}");
    let twice = roster_import::check(&w.pool, &w.caller, b"name,email\nCy,cy@acme.test\nCy,\nCy,\n", ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(twice.problems.iter().map(|p| p.row).collect::<Vec<_>>(), [4], "{twice:?}");
}

#[sqlx::test]
async fn a_roster_file_gives_positions_by_name_and_never_takes_one_away(pool: PgPool) {
    use mosaic::services::positions::{self, NewPosition};
    let w = World::new(pool).await;
    for name in ["Barista", "Cashier", "Cook"] {
        positions::create(&w.pool, &w.caller, NewPosition { name: name.into(), colour: None }).await.unwrap();
    }
    let held = |name: &'static str| {
        let w = &w;
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT p.name FROM positions_held h JOIN entities p ON p.org_id = h.org_id AND p.id = h.position_id
                   JOIN entities e ON e.org_id = h.org_id AND e.id = h.worker_id WHERE e.name = $1 ORDER BY p.name",
            )
            .bind(name)
            .fetch_all(&w.owner)
            .await
            .unwrap()
        }
    };
    let file = "name,external id,positions\nAnn,E-1,\"barista, Cashier\"\nBo,E-2,\n";
    let first = import(&w, file).await.unwrap();
    assert_eq!(first.positions_given, 1);
    assert_eq!(held("Ann").await, ["Barista", "Cashier"]);

    let again = import(&w, file).await.unwrap();
    assert_eq!((again.positions_given, again.unchanged_workers), (0, 2), "the same file again gives nothing");
    let fewer = import(&w, "name,external id,positions\nAnn,E-1,Cook\n").await.unwrap();
    assert_eq!(fewer.positions_given, 1);
    assert_eq!(held("Ann").await, ["Barista", "Cashier", "Cook"], "a position left out of the file stays held");

    let refused = import(&w, "name,external id,role\nBo,E-2,Baker\n").await;
    let Err(DomainError::ImportRefused { problems }) = refused else { panic!("{refused:?}") };
    assert_eq!((problems[0].row, problems[0].column.as_str()), (2, "role"));
    assert!(
        problems[0].message.contains("no position called 'Baker' (there are: Barista, Cashier, Cook)"),
        "{}",
        problems[0].message
    );
    assert!(held("Bo").await.is_empty());
}

/// A file of more than one batch is written batch by batch, every row with what belongs to it, and
/// PostgreSQL is shown what the first batch wrote (as the schema's owner: the application role may
/// not ANALYZE) so the rest is planned on it rather than on an empty database's defaults.
#[sqlx::test]
async fn a_file_of_several_batches_lands_whole_and_the_planner_is_shown_what_it_wrote(pool: PgPool) {
    let w = World::new(pool).await;
    let mut file = String::from("name;email;location;start;hourly rate\n");
    for i in 0..1_250 {
        file.push_str(&format!("Worker {i:04};worker{i}@acme.test;Main street;05.01.2026;12\n"));
    }
    let never_analyzed: f32 =
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = 'entities'").fetch_one(&w.owner).await.unwrap();
    let imported = import(&w, &file).await.unwrap();
    assert_eq!(
        (imported.new_workers, imported.new_employments, imported.new_rates, imported.invitations),
        (1_250, 1_250, 1_250, 1_250)
    );
    assert_eq!(counts(&w).await, (1_250, 1_250, 1_250, 1_250));
    let employed_once: i64 = w
        .count(
            "SELECT count(DISTINCT p.entity_id) FROM participations p WHERE p.event_type = 'employment'
               AND p.participation_type = 'employee'",
        )
        .await;
    assert_eq!(employed_once, 1_250, "every worker has their own employment");
    let analyzed: f32 =
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = 'entities'").fetch_one(&w.owner).await.unwrap();
    assert!(never_analyzed < 1_000.0 && analyzed >= 1_000.0, "entities: {never_analyzed} rows known before, {analyzed} after");
}
