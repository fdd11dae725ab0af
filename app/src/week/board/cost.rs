//! The week's labor cost under the calendar, for those who may see pay: planned cost per day and for
//! the week, priced in the browser by the same pure rules approval uses — and, while a shift is dragged
//! or drawn, what the change would make of it. Once timesheets are approved, what the time actually cost.

use super::gesture::Gesture;
use super::state::Board;
use leptos::prelude::*;
use mosaic::ids::EventId;
use mosaic::labor_cost::{week_cost, worker_cost, CostLine, WeekPay, WorkerWeek};
use mosaic::payroll::money;
use mosaic::rules::RuleShift;
use mosaic::views::WeekRow;

/// One worker's cost here, with `change` applied: the shift `replaces` taken out, `add` put in.
fn row_cost(
    pay: &WeekPay,
    board: &Board,
    monday: chrono::NaiveDate,
    row: &WeekRow,
    replaces: Option<EventId>,
    add: Option<RuleShift>,
) -> CostLine {
    let mut shifts: Vec<RuleShift> = row.rules().shifts.into_iter().filter(|s| Some(s.id) != replaces).collect();
    let mut here: Vec<EventId> = row.shifts.iter().map(|s| s.id).collect();
    if let Some(added) = add {
        here.push(added.id);
        shifts.push(added);
    }
    let week = WorkerWeek { worker: row.worker.id, shifts: &shifts, here: &here };
    let rates = pay.rates.iter().find(|r| r.worker_id == row.worker.id).map(|r| r.spans.as_slice()).unwrap_or(&[]);
    worker_cost(&week, rates, &pay.rules, board.axis.tz, monday)
}

/// What the change under way adds to the week's cost (negative: saves).
pub(super) fn change_cost(pay: &WeekPay, board: &Board, monday: chrono::NaiveDate, gesture: &Gesture) -> Option<CostLine> {
    let replaces = gesture.shift_id().filter(|_| !gesture.copy);
    let target = board.row(gesture.to_row)?.get();
    let proposed = gesture.as_rule_shift();
    if gesture.from_row == gesture.to_row || replaces.is_none() {
        let before = row_cost(pay, board, monday, &target, None, None);
        return Some(row_cost(pay, board, monday, &target, replaces, Some(proposed)).minus(&before));
    }
    let source = board.row(gesture.from_row)?.get();
    let gained =
        row_cost(pay, board, monday, &target, None, Some(proposed)).minus(&row_cost(pay, board, monday, &target, None, None));
    let lost = row_cost(pay, board, monday, &source, replaces, None).minus(&row_cost(pay, board, monday, &source, None, None));
    let mut both = gained.clone();
    for (day, other) in both.days.iter_mut().zip(&lost.days) {
        day.cost_cents += other.cost_cents;
    }
    both.week_cents += lost.week_cents;
    both.unpriced_hours += lost.unpriced_hours;
    Some(both)
}

pub(super) fn signed(cents: i64) -> String {
    if cents > 0 {
        format!("+{}", money(cents))
    } else {
        money(cents)
    }
}

#[component]
pub fn LaborCost(board: Board, pay: WeekPay, monday: chrono::NaiveDate) -> impl IntoView {
    let pay = StoredValue::new(pay);
    let planned = Memo::new(move |_| {
        let rows: Vec<WeekRow> = board.rows.with_value(|rows| rows.iter().map(|r| r.get()).collect());
        pay.with_value(|pay| {
            let shifts: Vec<(WeekRow, Vec<RuleShift>, Vec<EventId>)> = rows
                .into_iter()
                .map(|row| {
                    let here = row.shifts.iter().map(|s| s.id).collect();
                    let shifts = row.rules().shifts;
                    (row, shifts, here)
                })
                .collect();
            let weeks: Vec<WorkerWeek> =
                shifts.iter().map(|(row, shifts, here)| WorkerWeek { worker: row.worker.id, shifts, here }).collect();
            week_cost(&weeks, pay, board.axis.tz, monday)
        })
    });
    let change = Memo::new(move |_| {
        board
            .gesture
            .with(|g| g.as_ref().filter(|g| !g.saving).and_then(|g| pay.with_value(|pay| change_cost(pay, &board, monday, g))))
    });
    // Before anything is priced, the currency the workers here are paid in.
    let paid_in = pay.with_value(|p| p.rates.iter().flat_map(|r| r.spans.iter()).map(|s| s.currency.clone()).next());
    let currency = move || planned.with(|p| p.currency.clone()).or(paid_in.clone()).unwrap_or_default();
    let heads = planned.with_untracked(|p| {
        p.days.iter().map(|d| view! { <th scope="col">{crate::format::day_heading(d.date)}</th> }).collect_view()
    });
    let planned_cells = move || {
        planned.with(|p| {
            p.days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let delta = change.with(|c| c.as_ref().map(|c| c.days[i].cost_cents).filter(|c| *c != 0));
                    view! {
                        <td class:changing=delta.is_some()>
                            {money(d.cost_cents)}
                            {delta.map(|c| view! { <span class="delta">{format!(" ({})", signed(c))}</span> })}
                        </td>
                    }
                })
                .collect_view()
        })
    };
    let week_cell = move || {
        let delta = change.with(|c| c.as_ref().map(|c| c.week_cents).filter(|c| *c != 0));
        view! {
            <td class="week" class:changing=delta.is_some()>
                {planned.with(|p| money(p.week_cents))} " " {currency()}
                {delta.map(|c| view! { <span class="delta">{format!(" ({})", signed(c))}</span> })}
            </td>
        }
    };
    let actual = pay.with_value(|p| p.actual.clone());
    let approved_total: i64 = actual.iter().map(|d| d.cost_cents).sum();
    let actual_row = (approved_total != 0).then(|| {
        let cells = actual.iter().map(|d| view! { <td>{money(d.cost_cents)}</td> }).collect_view();
        view! { <tr class="actual"><th scope="row">"Approved"</th>{cells}<td class="week">{money(approved_total)}</td></tr> }
    });
    let unpriced = move || {
        let hours = planned.with(|p| p.unpriced_hours);
        (hours > 0.0).then(|| view! { <p class="unpriced">{format!("{hours:.1} h planned for workers without a pay rate are not counted.")}</p> })
    };
    view! {
        <section class="labor-cost" aria-label="Labor cost">
            <table>
                <thead><tr><th scope="col">"Labor cost"</th>{heads}<th scope="col">"Week"</th></tr></thead>
                <tbody>
                    <tr class="planned"><th scope="row">"Planned"</th>{planned_cells}{week_cell}</tr>
                    {actual_row}
                </tbody>
            </table>
            {unpriced}
        </section>
    }
}
