//! What the calendar needs to show a week's labor cost: the pay rules, the rates of the workers on it,
//! and what approved timesheets cost at the location day by day. Only for those who may see pay.

use super::{compensation, organisations, Caller};
use crate::access::Action;
use crate::ids::{EntityId, OrgId};
use crate::interval::Interval;
use crate::labor_cost::{DayCost, WeekPay, WorkerRates};
use crate::store::DomainResult;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

/// `None` for a caller who may not see pay.
pub async fn week_pay(
    conn: &mut PgConnection,
    caller: &Caller,
    location: EntityId,
    week: Interval,
    first_day: NaiveDate,
    tz: Tz,
    workers: &[EntityId],
) -> DomainResult<Option<WeekPay>> {
    if caller.require(Action::ManagePay).is_err() {
        return Ok(None);
    }
    let (rules, _) = organisations::pay_rules(conn, caller.org).await?;
    let mut rates: Vec<WorkerRates> = workers.iter().map(|w| WorkerRates { worker_id: *w, spans: vec![] }).collect();
    for (worker, span) in compensation::spans(conn, caller.org, workers, week).await? {
        if let Some(entry) = rates.iter_mut().find(|r| r.worker_id == worker) {
            entry.spans.push(span);
        }
    }
    let actual = approved_by_day(conn, caller.org, location, week, first_day, tz).await?;
    Ok(Some(WeekPay { rules, rates, actual }))
}

/// Approved pieces of periods worked at the location, summed per local day of the week.
async fn approved_by_day(
    conn: &mut PgConnection,
    org: OrgId,
    location: EntityId,
    week: Interval,
    first_day: NaiveDate,
    tz: Tz,
) -> DomainResult<Vec<DayCost>> {
    let pieces: Vec<(DateTime<Utc>, i64)> = sqlx::query_as(
        "SELECT piece.start_time, coalesce((piece.properties ->> 'cost_cents')::bigint, 0)
           FROM participations w
           JOIN events piece ON piece.org_id = w.org_id AND piece.id = w.event_id
           JOIN participations l ON l.org_id = piece.org_id AND l.event_id = piece.parent_id AND l.participation_type = 'location'
          WHERE w.org_id = $1 AND w.event_type = 'payroll_piece' AND w.participation_type = 'worker' AND w.event_status = 'active'
            AND lower(w.during) >= $3 AND lower(w.during) < $4 AND l.entity_id = $2",
    )
    .bind(org)
    .bind(location)
    .bind(week.start)
    .bind(week.end)
    .fetch_all(conn)
    .await?;
    let mut days: Vec<DayCost> = (0..7).map(|d| DayCost { date: first_day + chrono::Duration::days(d), cost_cents: 0 }).collect();
    for (start, cost) in pieces {
        let date = start.with_timezone(&tz).date_naive();
        if let Some(day) = days.iter_mut().find(|d| d.date == date) {
            day.cost_cents += cost;
        }
    }
    Ok(days)
}
