//! Bringing a roster in from a file: each row a worker, with where and from when they work, their
//! hours, rate and positions (given in addition to what they hold; an import never takes one away). A check first (every problem by row and column, nothing written), then the import:
//! one command, so every row lands or none does. Rows are matched to workers already here by their
//! external id, else their email, so importing the same file again changes nothing. A worker with an
//! email and no account gets an invitation, ready to send from /people.

pub mod parse;

use super::{compensation, employments, invitations, positions, roster, workers, Caller};
use crate::access::{Action, Role};
use crate::ids::EntityId;
use crate::local_time::day_start;
use crate::store::{DomainError, DomainResult};
use crate::views::import::{ImportProblem, ImportReport, SlashDates};
use crate::views::WorkerView;
use chrono::{DateTime, Utc};
use parse::Column;
use serde::Deserialize;
use sqlx::PgConnection;
use sqlx::PgPool;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ImportOptions {
    /// How dates written with slashes are read (day first unless told).
    #[serde(default)]
    pub slash_dates: SlashDates,
}

/// Reads the file and says what importing it would do, and every problem; writes nothing.
pub async fn check(pool: &PgPool, caller: &Caller, file: &[u8], options: ImportOptions) -> DomainResult<ImportReport> {
    caller.require(Action::ManagePeople)?;
    let parsed = parse::parse(file, options.slash_dates);
    let mut conn = pool.acquire().await?;
    Ok(plan(&mut conn, caller, parsed).await?.0)
}

/// Imports the file in one transaction, or refuses it whole (with every problem) and writes nothing.
/// `progress` hears how many rows are written, every few hundred.
pub async fn import(
    pool: &PgPool,
    caller: &Caller,
    file: &[u8],
    options: ImportOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> DomainResult<ImportReport> {
    caller.require(Action::ManagePeople)?;
    let parsed = parse::parse(file, options.slash_dates);
    let mut tx = crate::store::begin(pool).await?;
    // Two imports at once would both find a row's worker missing and both add them.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('roster_import:' || $1::text, 0))")
        .bind(caller.org)
        .execute(&mut *tx)
        .await?;
    let (mut report, steps) = plan(&mut tx, caller, parsed).await?;
    let now = Utc::now();
    if !report.problems.is_empty() {
        return Err(DomainError::ImportRefused { problems: report.problems });
    }
    let total = steps.len();
    let mut steps = steps.into_iter().peekable();
    let mut done = 0;
    while steps.peek().is_some() {
        let batch: Vec<Step> = steps.by_ref().take(BATCH_ROWS).collect();
        done += batch.len();
        apply(&mut tx, caller, batch, now).await?;
        if done == BATCH_ROWS {
            crate::store::statistics::refresh_for_bulk_write(&mut tx).await?;
        }
        progress(done, total);
    }
    crate::store::commit(tx, pool).await?;
    report.imported = true;
    Ok(report)
}

/// How many rows are written together: a few statements a batch, and a word of progress after each.
const BATCH_ROWS: usize = 1000;

/// What one row does.
struct Step {
    worker: WorkerStep,
    employment: Option<employments::NewEmployment>,
    rate: Option<compensation::NewRate>,
    invite: Option<(String, String)>,
    /// What the worker will hold: what they hold now and the file's positions, when that is more.
    positions: Option<Vec<EntityId>>,
}

enum WorkerStep {
    New(workers::NewWorker),
    Changed(EntityId, workers::WorkerPatch),
    /// The worker as they are, at the version read.
    Same(EntityId, i32),
}

async fn plan(conn: &mut PgConnection, caller: &Caller, parsed: parse::ParsedRoster) -> DomainResult<(ImportReport, Vec<Step>)> {
    let parse::ParsedRoster { rows, problems, ignored_columns, headers } = parsed;
    let mut report = ImportReport { rows: rows.len(), problems, ignored_columns, ..ImportReport::default() };
    let places = super::locations::list_all(&mut *conn, caller.org).await?;
    let known = workers::keys(&mut *conn, caller.org).await?;
    let by_external: HashMap<&str, &workers::WorkerKey> =
        known.iter().filter_map(|w| w.external_id.as_deref().map(|id| (id, w))).collect();
    let by_email: HashMap<&str, &workers::WorkerKey> = known.iter().filter_map(|w| w.email.as_deref().map(|e| (e, w))).collect();
    let mut by_name: HashMap<String, Vec<&workers::WorkerKey>> = HashMap::new();
    for worker in &known {
        by_name.entry(worker.name.to_lowercase()).or_default().push(worker);
    }
    let mut keyless_lines: HashMap<String, usize> = HashMap::new();
    let mut matched_lines: HashMap<EntityId, usize> = HashMap::new();
    let employed = employments::spans_in_org(&mut *conn, caller.org).await?;
    let rates = compensation::starts_in_org(&mut *conn, caller.org).await?;
    let (taken_emails, linked_workers) = invitations::taken(&mut *conn, caller.org).await?;
    let org_zone = super::organisations::thresholds(&mut *conn, caller.org).await?.week_time_zone;
    let currency = super::organisations::settings_of(&mut *conn, caller.org).await?.currency;
    let named_positions = positions::by_name(&mut *conn, caller.org).await?;
    let held = positions::held_in_org(&mut *conn, caller.org).await?;

    let mut steps = Vec::with_capacity(report.rows);
    for row in rows {
        let mut problem = |column: Column, message: String| {
            report.problems.push(ImportProblem { row: row.row, column: parse::header_of(&headers, column), message })
        };
        let place = match &row.location {
            Some(name) => match super::locations::find_by_name(&places, name) {
                Some(place) if place.closed_from.is_some() => {
                    problem(Column::Location, format!("{} is closed", place.name));
                    None
                }
                Some(place) => Some(place),
                None => {
                    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
                    problem(Column::Location, format!("there is no location called '{name}' (there are: {})", names.join(", ")));
                    None
                }
            },
            None => None,
        };
        let matched = match (
            row.external_id.as_deref().and_then(|id| by_external.get(id)),
            row.email.as_deref().and_then(|e| by_email.get(e)),
        ) {
            (Some(by_id), Some(by_mail)) if by_id.id != by_mail.id => {
                problem(Column::Email, format!("belongs to {}, not to the worker with this external id", by_mail.name));
                None
            }
            (Some(w), _) | (None, Some(w)) => Some(*w),
            // Without an email or an id, the name is all there is to match on, so it must say who.
            (None, None) if row.email.is_none() && row.external_id.is_none() => {
                let name = row.name.to_lowercase();
                if let Some(first) = keyless_lines.insert(name.clone(), row.row) {
                    problem(
                        Column::Name,
                        format!("{} is also on line {first}; add an email or external id to tell them apart", row.name),
                    );
                }
                match by_name.get(&name).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    Some(several @ [_, _, ..]) => {
                        problem(
                            Column::Name,
                            format!(
                                "{} workers are called {}; add an email or external id to say which",
                                several.len(),
                                row.name
                            ),
                        );
                        None
                    }
                    _ => None,
                }
            }
            (None, None) => None,
        };
        if let Some(w) = matched {
            if let Some(first) = matched_lines.insert(w.id, row.row) {
                problem(Column::Name, format!("is {}, the worker on line {first} too", w.name));
            }
        }
        if matched.is_some_and(|w| w.removed) {
            problem(
                Column::Name,
                format!("{} was removed; restore them on /people first", matched.map(|w| w.name.as_str()).unwrap_or_default()),
            );
        }
        let worker = match matched {
            None => WorkerStep::New(workers::NewWorker {
                name: row.name.clone(),
                email: row.email.clone(),
                phone: row.phone.clone(),
                external_id: row.external_id.clone(),
            }),
            Some(w) => {
                let differs = |new: &Option<String>, old: &Option<String>| new.is_some() && new != old;
                let patch = workers::WorkerPatch {
                    expected_version: w.version,
                    name: (row.name != w.name).then(|| row.name.clone()),
                    email: differs(&row.email, &w.email).then(|| row.email.clone()).flatten(),
                    phone: differs(&row.phone, &w.phone).then(|| row.phone.clone()).flatten(),
                    external_id: differs(&row.external_id, &w.external_id).then(|| row.external_id.clone()).flatten(),
                };
                if patch.name.is_none() && patch.email.is_none() && patch.phone.is_none() && patch.external_id.is_none() {
                    WorkerStep::Same(w.id, w.version)
                } else {
                    WorkerStep::Changed(w.id, patch)
                }
            }
        };
        let existing_id = matched.map(|w| w.id);
        let employment = match (row.start, place) {
            (Some(start), Some(place)) => {
                let tz = place.zone();
                let (start, end) = (day_start(start, tz), row.end.map(|end| day_start(end, tz)));
                let theirs: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = existing_id
                    .and_then(|id| employed.get(&id))
                    .map(|spans| spans.iter().map(|(_, during)| (during.start, during.end)).collect())
                    .unwrap_or_default();
                if theirs.iter().any(|(s, _)| *s == start) {
                    None
                } else if let Some((s, _)) =
                    theirs.iter().find(|(s, e)| *s < end.unwrap_or(DateTime::<Utc>::MAX_UTC) && e.is_none_or(|e| e > start))
                {
                    problem(
                        Column::Start,
                        format!(
                            "is already employed from {}; end that employment on /people first",
                            s.with_timezone(&tz).format("%Y-%m-%d")
                        ),
                    );
                    None
                } else {
                    Some(employments::NewEmployment {
                        worker_id: existing_id.unwrap_or(EntityId(uuid::Uuid::nil())),
                        location_id: Some(place.id),
                        start,
                        end,
                        title: None,
                        contract_hours: row.hours,
                    })
                }
            }
            _ => None,
        };
        let rate = match (row.rate_cents, row.start) {
            (Some(cents), Some(day)) => {
                let from = day_start(day, org_zone);
                let same =
                    existing_id.and_then(|id| rates.get(&id)).is_some_and(|r| r.iter().any(|(s, c)| *s == from && *c == cents));
                (!same).then(|| compensation::NewRate {
                    hourly_rate_cents: cents,
                    currency: currency.clone(),
                    effective_from: day,
                })
            }
            _ => None,
        };
        let mut given: Vec<EntityId> = Vec::new();
        for name in &row.positions {
            match named_positions.get(&name.to_lowercase()) {
                Some((_, name, true)) => problem(Column::Positions, format!("the position {name} is retired")),
                Some((id, _, false)) => given.push(*id),
                None => {
                    let mut names: Vec<&str> =
                        named_positions.values().filter(|(_, _, retired)| !retired).map(|(_, n, _)| n.as_str()).collect();
                    names.sort_unstable();
                    let there = if names.is_empty() {
                        "add positions on /people first".to_string()
                    } else {
                        format!("there are: {}", names.join(", "))
                    };
                    problem(Column::Positions, format!("there is no position called '{name}' ({there})"));
                }
            }
        }
        let holding: &[EntityId] = existing_id.and_then(|id| held.get(&id)).map(Vec::as_slice).unwrap_or(&[]);
        let positions = given.iter().any(|p| !holding.contains(p)).then(|| {
            let mut all: Vec<EntityId> = holding.iter().chain(&given).copied().collect();
            all.sort();
            all.dedup();
            all
        });
        let invite = row
            .email
            .clone()
            .filter(|email| !taken_emails.contains(email) && !existing_id.is_some_and(|id| linked_workers.contains(&id)))
            .map(|email| (email, row.name.clone()));
        match &worker {
            WorkerStep::New(_) => report.new_workers += 1,
            WorkerStep::Changed(..) => report.updated_workers += 1,
            WorkerStep::Same(..) => report.unchanged_workers += 1,
        }
        report.new_employments += usize::from(employment.is_some());
        report.new_rates += usize::from(rate.is_some());
        report.invitations += usize::from(invite.is_some());
        report.positions_given += usize::from(positions.is_some());
        steps.push(Step { worker, employment, rate, invite, positions });
    }
    Ok((report, steps))
}

/// Writes a batch of rows: each kind of row — workers, the positions they hold, employments, rates,
/// invitations — in a statement or a few for the whole batch. Only a worker the file changes is written
/// on their own, at the version read.
async fn apply(tx: &mut PgConnection, caller: &Caller, steps: Vec<Step>, now: DateTime<Utc>) -> DomainResult<()> {
    let mut ids = Vec::with_capacity(steps.len());
    let mut written: Vec<Option<WorkerView>> = Vec::with_capacity(steps.len());
    let mut read_at: HashMap<usize, i32> = HashMap::new();
    let (mut fresh, mut fresh_at) = (Vec::new(), Vec::new());
    let mut rest = Vec::with_capacity(steps.len());
    for (i, Step { worker, employment, rate, invite, positions }) in steps.into_iter().enumerate() {
        rest.push((employment, rate, invite, positions));
        match worker {
            WorkerStep::New(new) => {
                fresh.push(new);
                fresh_at.push(i);
                ids.push(EntityId(uuid::Uuid::nil()));
                written.push(None);
            }
            WorkerStep::Changed(id, patch) => {
                written.push(Some(workers::update_in(&mut *tx, caller, id, patch).await?));
                ids.push(id);
            }
            WorkerStep::Same(id, version) => {
                read_at.insert(i, version);
                ids.push(id);
                written.push(None);
            }
        }
    }
    for (i, worker) in fresh_at.into_iter().zip(workers::insert_all(&mut *tx, caller, fresh).await?) {
        ids[i] = worker.id;
        written[i] = Some(worker);
    }

    let mut holding = Vec::new();
    let (mut hired, mut paid, mut invited) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (employment, rate, invite, positions)) in rest.into_iter().enumerate() {
        let worker = ids[i];
        if let Some(positions) = positions {
            let view = match (written[i].take(), read_at.get(&i)) {
                (Some(view), _) => view,
                (None, Some(version)) => workers::lock_row(&mut *tx, caller, worker, *version).await?,
                (None, None) => return Err(DomainError::not_found("worker", worker)),
            };
            holding.push((view, positions));
        }
        if let Some(employment) = employment {
            hired.push(employments::NewEmployment { worker_id: worker, ..employment });
        }
        if let Some(rate) = rate {
            paid.push((worker, rate));
        }
        if let Some((email, name)) = invite {
            invited.push(invitations::Invitee {
                email,
                name,
                role: Role::Worker,
                worker: Some(worker),
                location_ids: Vec::new(),
            });
        }
    }
    roster::set_positions_of_all(&mut *tx, caller, holding, now).await?;
    employments::insert_all(&mut *tx, caller, hired).await?;
    compensation::set_all(&mut *tx, caller, paid).await?;
    invitations::insert_all(&mut *tx, caller, invited).await?;
    Ok(())
}
