//! A shift's breaks and work periods: events nested in it. Work periods are the shift less its breaks,
//! generated, until someone enters them by hand.

use super::edit::{edit, Edited, Intent, Locked, Target, Tx};
use super::NewBreak;
use crate::access::Action;
use crate::change_kind::ChangeKind;
use crate::ids::EventId;
use crate::interval::{subtract_all, Interval};
use crate::kinds::{EventKind, EventStatus};
use crate::services::Caller;
use crate::store::core::{self, NewEvent};
use crate::store::{DomainError, DomainResult};
use crate::views::ShiftView;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

pub async fn add_break(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    new: NewBreak,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    let target = Target { id, expected_version, intent: Intent::Change, undoes: None };
    let new = &new;
    edit(pool, caller, target, move |mut tx: Tx, Locked { row, before }: Locked| async move {
        let during = row.during();
        insert_break(&mut tx, caller, id, during, new).await?;
        regenerate_work_periods(&mut *tx, caller, id, during).await?;
        core::update_event(&mut *tx, caller.org, id, row.parent_id, during, row.status, &row.properties).await?;
        Ok((tx, Edited { kind: ChangeKind::ShiftBreakAdded, touched: vec![(before.worker_id, during)] }))
    })
    .await
}

/// Replaces the shift's breaks with `breaks` — the edit panel's add, move and remove as one command. Each
/// lies inside the shift and overlaps no other; a refusal names the break (`breaks[i]`).
pub async fn set_breaks(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    breaks: Vec<NewBreak>,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    set_breaks_undoing(pool, caller, Target { id, expected_version, intent: Intent::Change, undoes: None }, &breaks).await
}

pub(super) async fn set_breaks_undoing(
    pool: &PgPool,
    caller: &Caller,
    target: Target,
    breaks: &[NewBreak],
) -> DomainResult<ShiftView> {
    let id = target.id;
    edit(pool, caller, target, move |mut tx: Tx, Locked { row, before }: Locked| async move {
        let during = row.during();
        sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break'")
            .bind(caller.org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (i, new) in breaks.iter().enumerate() {
            insert_break(&mut *tx, caller, id, during, new).await.map_err(|e| match e {
                DomainError::Invalid { field, message } => {
                    DomainError::Invalid { field: field.replacen("breaks", &format!("breaks[{i}]"), 1), message }
                }
                other => other,
            })?;
        }
        regenerate_work_periods(&mut *tx, caller, id, during).await?;
        core::update_event(&mut *tx, caller.org, id, row.parent_id, during, row.status, &row.properties).await?;
        Ok((tx, Edited { kind: ChangeKind::ShiftBreaksChanged, touched: vec![(before.worker_id, during)] }))
    })
    .await
}

/// Adds a work period by hand; from then on the shift's work periods are the ones entered, no longer
/// generated around its breaks. No rule reads work periods, so no attention item changes.
pub async fn add_work_period(
    pool: &PgPool,
    caller: &Caller,
    id: EventId,
    expected_version: i32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DomainResult<ShiftView> {
    caller.require(Action::EditDrafts)?;
    let period = Interval::new(start, end).map_err(|e| DomainError::invalid("end", e.to_string()))?;
    let target = Target { id, expected_version, intent: Intent::Change, undoes: None };
    edit(pool, caller, target, move |mut tx: Tx, Locked { row, .. }: Locked| async move {
        if !row.during().contains(&period) {
            return Err(DomainError::invalid("start", "a work period lies inside its shift"));
        }
        sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period' AND properties @> '{\"generated\": true}'")
            .bind(caller.org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let manual: Vec<Interval> = work_periods(&mut *tx, caller, id).await?;
        if manual.iter().any(|p| p.overlaps(&period)) {
            return Err(DomainError::invalid("start", "overlaps another work period of this shift"));
        }
        core::insert_event(
            &mut *tx,
            caller.org,
            NewEvent {
                kind: EventKind::WorkPeriod,
                parent: Some(id),
                during: period,
                status: EventStatus::Active,
                properties: json!({ "generated": false }),
            },
        )
        .await?;
        core::update_event(&mut *tx, caller.org, id, row.parent_id, row.during(), row.status, &row.properties).await?;
        Ok((tx, Edited { kind: ChangeKind::ShiftWorkPeriodAdded, touched: vec![] }))
    })
    .await
}

pub(super) async fn insert_break(
    conn: &mut PgConnection,
    caller: &Caller,
    shift: EventId,
    shift_during: Interval,
    new: &NewBreak,
) -> DomainResult<()> {
    let during = Interval::new(new.start, new.end).map_err(|e| DomainError::invalid("breaks.end", e.to_string()))?;
    if !shift_during.contains(&during) {
        return Err(DomainError::invalid("breaks.start", "a break lies inside its shift"));
    }
    let clash: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break'
            AND status <> 'cancelled' AND tstzrange(start_time, end_time) && tstzrange($3, $4))",
    )
    .bind(caller.org)
    .bind(shift)
    .bind(during.start)
    .bind(during.end)
    .fetch_one(&mut *conn)
    .await?;
    if clash {
        return Err(DomainError::invalid("breaks.start", "overlaps another break of this shift"));
    }
    core::insert_event(
        conn,
        caller.org,
        NewEvent {
            kind: EventKind::Break,
            parent: Some(shift),
            during,
            status: EventStatus::Active,
            properties: json!({ "paid": new.paid }),
        },
    )
    .await?;
    Ok(())
}

async fn work_periods(conn: &mut PgConnection, caller: &Caller, shift: EventId) -> DomainResult<Vec<Interval>> {
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT start_time, end_time FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period' AND status <> 'cancelled'",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(start, end)| Interval { start, end: Some(end) }).collect())
}

/// Work periods are the shift less its breaks, unless someone entered them by hand.
pub(super) async fn regenerate_work_periods(
    conn: &mut PgConnection,
    caller: &Caller,
    shift: EventId,
    during: Interval,
) -> DomainResult<()> {
    let entered_by_hand: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period'
            AND status <> 'cancelled' AND properties @> '{\"generated\": false}')",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_one(&mut *conn)
    .await?;
    if entered_by_hand {
        return Ok(());
    }
    sqlx::query("DELETE FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'work_period'")
        .bind(caller.org)
        .bind(shift)
        .execute(&mut *conn)
        .await?;
    let breaks: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT start_time, end_time FROM events WHERE org_id = $1 AND parent_id = $2 AND event_type = 'break' AND status <> 'cancelled'",
    )
    .bind(caller.org)
    .bind(shift)
    .fetch_all(&mut *conn)
    .await?;
    let holes: Vec<Interval> = breaks.into_iter().map(|(start, end)| Interval { start, end: Some(end) }).collect();
    for piece in subtract_all(&during, &holes) {
        core::insert_event(
            conn,
            caller.org,
            NewEvent {
                kind: EventKind::WorkPeriod,
                parent: Some(shift),
                during: piece,
                status: EventStatus::Active,
                properties: json!({ "generated": true }),
            },
        )
        .await?;
    }
    Ok(())
}
