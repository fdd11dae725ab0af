//! The payroll export: approved pay in a pay period, one row per worker and rate type with each worker's
//! total and the period's, as a summary and as CSV.

use super::{organisations, Caller};
use crate::access::Action;
use crate::ids::EntityId;
use crate::payroll::{money, RateType};
use crate::store::{DomainError, DomainResult};
use crate::views::time::{CurrencyTotal, PayrollRowView, PayrollView};
use chrono::{Duration, NaiveDate};
use serde_json::json;
use std::collections::BTreeMap;

/// The longest pay period exported at once.
const MAX_DAYS: i64 = 93;

/// Approved pieces starting from the first instant of `from` to the end of `to` (local days in the
/// organisation's zone), summed per worker and rate type.
pub async fn summary(pool: &sqlx::PgPool, caller: &Caller, from: NaiveDate, to: NaiveDate) -> DomainResult<PayrollView> {
    caller.require(Action::ManagePay)?;
    crate::date_range::require_day("from", from)?;
    crate::date_range::require_day("to", to)?;
    if to < from {
        return Err(DomainError::invalid("to", "must be on or after `from`"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(DomainError::invalid("to", format!("a pay period is at most {MAX_DAYS} days")));
    }
    let mut conn = pool.acquire().await?;
    let (_, tz) = organisations::pay_rules(&mut conn, caller.org).await?;
    let window = crate::Interval { start: timesheets_start(from, tz), end: Some(timesheets_start(to + Duration::days(1), tz)) };
    // Summed in the database: a month of an organisation's pieces is tens of thousands of rows.
    let sums: Vec<(EntityId, String, Option<String>, Option<String>, Option<String>, f64, i64)> = sqlx::query_as(
        "SELECT w.id, w.name, w.properties ->> 'email', s.rate_type, s.currency, s.hours, s.cost_cents
           FROM (SELECT p.entity_id, e.properties ->> 'rate_type' AS rate_type, e.properties ->> 'currency' AS currency,
                        sum(coalesce((e.properties ->> 'hours')::float8, 0)) AS hours,
                        sum(coalesce((e.properties ->> 'cost_cents')::bigint, 0))::bigint AS cost_cents
                   FROM participations p JOIN events e ON e.org_id = p.org_id AND e.id = p.event_id
                  WHERE p.org_id = $1 AND p.event_type = 'payroll_piece' AND p.participation_type = 'worker'
                    AND p.event_status = 'active' AND lower(p.during) >= $2 AND lower(p.during) < $3
                  GROUP BY 1, 2, 3) s
           JOIN entities w ON w.org_id = $1 AND w.id = s.entity_id
          ORDER BY w.name, w.id",
    )
    .bind(caller.org)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(&mut *conn)
    .await?;

    let mut rows = Vec::new();
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let mut total_hours = 0.0;
    let mut start = 0;
    while start < sums.len() {
        let worker = sums[start].0;
        let end = sums[start..].iter().position(|s| s.0 != worker).map_or(sums.len(), |n| start + n);
        let (_, name, email, ..) = &sums[start];
        let mut by_rate: Vec<(RateType, String, f64, i64)> = sums[start..end]
            .iter()
            .map(|(_, _, _, rate, currency, hours, cost)| {
                let rate = rate.as_deref().and_then(|r| serde_json::from_value(json!(r)).ok()).unwrap_or(RateType::Regular);
                (rate, currency.clone().unwrap_or_default(), *hours, *cost)
            })
            .collect();
        by_rate.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut worker_totals: BTreeMap<String, (f64, i64)> = BTreeMap::new();
        for (rate, currency, hours, cost) in by_rate {
            let sum = worker_totals.entry(currency.clone()).or_default();
            sum.0 += hours;
            sum.1 += cost;
            rows.push(PayrollRowView {
                worker_id: worker,
                worker_name: name.clone(),
                email: email.clone(),
                rate_type: Some(rate),
                hours,
                cost_cents: cost,
                currency,
            });
        }
        for (currency, (hours, cost)) in worker_totals {
            total_hours += hours;
            *totals.entry(currency.clone()).or_default() += cost;
            rows.push(PayrollRowView {
                worker_id: worker,
                worker_name: name.clone(),
                email: email.clone(),
                rate_type: None,
                hours,
                cost_cents: cost,
                currency,
            });
        }
        start = end;
    }
    Ok(PayrollView {
        from,
        to,
        rows,
        total_hours,
        totals: totals.into_iter().map(|(currency, cost_cents)| CurrencyTotal { currency, cost_cents }).collect(),
    })
}

/// The summary as CSV: a header, the rows (a worker's total has rate type `total`), and one closing
/// `all workers` row per currency. Amounts in the currency's units with two decimals.
pub fn csv(summary: &PayrollView) -> DomainResult<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| DomainError::invalid("export", e.to_string());
    out.write_record(["worker", "email", "rate_type", "hours", "cost", "currency", "period_from", "period_to"])
        .map_err(failed)?;
    let (from, to) = (summary.from.to_string(), summary.to.to_string());
    for row in &summary.rows {
        let rate = match row.rate_type {
            Some(RateType::Regular) => "regular",
            Some(RateType::Overtime) => "overtime",
            Some(RateType::Night) => "night",
            Some(RateType::Weekend) => "weekend",
            None => "total",
        };
        out.write_record([
            super::spreadsheet::defused(&row.worker_name).as_ref(),
            super::spreadsheet::defused(row.email.as_deref().unwrap_or("")).as_ref(),
            rate,
            &format!("{:.2}", row.hours),
            &money(row.cost_cents),
            &row.currency,
            &from,
            &to,
        ])
        .map_err(failed)?;
    }
    for total in &summary.totals {
        out.write_record([
            "all workers",
            "",
            "total",
            &format!("{:.2}", summary.total_hours),
            &money(total.cost_cents),
            &total.currency,
            &from,
            &to,
        ])
        .map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|e| DomainError::invalid("export", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| DomainError::invalid("export", e.to_string()))
}

fn timesheets_start(day: NaiveDate, tz: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    crate::local_time::local_instant(tz, day.and_time(chrono::NaiveTime::MIN))
}
