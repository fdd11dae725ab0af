//! The demo's time and pay: an hourly rate for everyone, and last week at the first location clocked as
//! a time clock would have recorded it — a few minutes early or late, out and back in for lunch, and
//! one clock-out forgotten — so timesheets, approval and the payroll export have something to show.

use crate::access::{Access, Role};
use crate::ids::{EntityId, OrgId};
use crate::services::compensation::{self, NewRate};
use crate::services::timekeeping::{self, NewPunch};
use crate::services::Caller;
use crate::store::{Actor, DomainResult};
use crate::timekeeping::ClockDirection;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgPool;

/// Rates from 14.50 to 18.25 an hour, by worker.
pub async fn give_rates(pool: &PgPool, caller: &Caller, staff: &[EntityId], currency: &str, from: NaiveDate) -> DomainResult<()> {
    for (i, worker) in staff.iter().enumerate() {
        let new = NewRate { hourly_rate_cents: 1450 + (i as i64 % 6) * 75, currency: currency.into(), effective_from: from };
        compensation::set_rate(pool, caller, *worker, new).await?;
    }
    Ok(())
}

/// One worker's shift as planned: start, the start of its lunch break, and end.
pub struct Worked {
    pub worker: EntityId,
    pub name: String,
    pub start: DateTime<Utc>,
    pub lunch: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Clocks each shift in and out around lunch, each punch at the moment it happened. The first shift of
/// `forgetful` is never clocked out of: their next clock-in shows it, whenever the demo is loaded.
pub async fn clock_shifts(
    pool: &PgPool,
    org: OrgId,
    location: EntityId,
    shifts: &[Worked],
    forgetful: EntityId,
    progress: &mut dyn FnMut(&str),
) -> DomainResult<()> {
    let first_of_forgetful = shifts.iter().filter(|s| s.worker == forgetful).map(|s| s.start).min();
    for (n, shift) in shifts.iter().enumerate() {
        let me = Caller {
            org,
            actor: Actor { id: None, name: shift.name.clone() },
            access: Access { role: Role::Worker, worker: Some(shift.worker), locations: vec![] },
        };
        // Small, fixed differences from the plan: early or late by a few minutes.
        let jitter = |k: usize| Duration::minutes(((n * 7 + k * 5) % 13) as i64 - 4);
        let mut punches = vec![
            (ClockDirection::In, shift.start + jitter(1)),
            (ClockDirection::Out, shift.lunch + jitter(2).max(Duration::zero())),
            (ClockDirection::In, shift.lunch + Duration::minutes(30) + jitter(3).max(Duration::zero())),
            (ClockDirection::Out, shift.end + jitter(4)),
        ];
        if shift.worker == forgetful && Some(shift.start) == first_of_forgetful {
            punches.pop();
        }
        for (direction, at) in punches {
            let note = (n % 17 == 3 && direction == ClockDirection::In).then(|| "Train was late".to_string());
            timekeeping::clock(pool, &me, NewPunch { direction, note, location_id: Some(location) }, at).await?;
        }
    }
    progress(&format!("last week clocked: {} shifts, one clock-out forgotten", shifts.len()));
    Ok(())
}
