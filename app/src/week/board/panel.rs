//! The edit panel beside the calendar: a shift's times, worker, position, role, notes and breaks, and cancelling
//! it. Times are local wall-clock times at the location, placed on the shift's day by the same rule as
//! shift templates (an end at or before the start is the next day).

use super::commit::show;
use super::save::{cancel_shift, edit_shift, set_shift_breaks, PanelBreak, ShiftEdit};
use super::state::{Board, Notice};
use crate::format::{clock, day_heading, hours, local_day};
use chrono::NaiveTime;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mosaic::kinds::EventStatus;
use mosaic::templates::{place, TemplateBreak};
use mosaic::views::ShiftView;

#[component]
pub fn EditPanel(board: Board) -> impl IntoView {
    // Only a new version of the chosen shift redraws the form, not a change elsewhere on the calendar.
    let chosen = Memo::new(move |_| board.selected.get().and_then(|id| board.shift(id)));
    move || chosen.get().map(|shift| view! { <ShiftForm board shift/> })
}

fn time_of(text: &str, field: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| format!("{field}: use a time like 09:30"))
}

/// One break row in the form: local start, local end, paid.
type BreakRow = (String, String, bool);

#[component]
fn ShiftForm(board: Board, shift: ShiftView) -> impl IntoView {
    let tz = board.axis.tz;
    let day = local_day(shift.during.start, tz);
    let end = shift.during.end.unwrap_or(shift.during.start);
    let start_text = RwSignal::new(clock(shift.during.start, tz));
    let end_text = RwSignal::new(clock(end, tz));
    let worker = RwSignal::new(shift.worker_id.to_string());
    let role = RwSignal::new(shift.role.clone().unwrap_or_default());
    let asked = shift.position.as_ref().map(|p| p.id);
    let position = RwSignal::new(asked.map(|p| p.to_string()).unwrap_or_default());
    let notes = RwSignal::new(shift.notes.clone().unwrap_or_default());
    let breaks: RwSignal<Vec<BreakRow>> = RwSignal::new(
        shift
            .breaks
            .iter()
            .map(|b| (clock(b.during.start, tz), b.during.end.map(|e| clock(e, tz)).unwrap_or_default(), b.paid))
            .collect(),
    );
    let busy = RwSignal::new(false);
    let (id, version) = (shift.id, shift.version);
    let editable = matches!(shift.status, EventStatus::Draft | EventStatus::Active);

    let refuse = move |message: String| board.notice.set(Some(Notice::Refused(format!("Not saved: {message}"))));
    let save_details = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let times =
            time_of(&start_text.get_untracked(), "start").and_then(|s| Ok((s, time_of(&end_text.get_untracked(), "end")?)));
        let (start, end) = match times {
            Ok(times) => times,
            Err(message) => return refuse(message),
        };
        let Ok(worker_id) = worker.get_untracked().parse() else { return refuse("worker: pick a worker".into()) };
        let position_id = match position.get_untracked().as_str() {
            "" => None,
            chosen => match chosen.parse() {
                Ok(id) => Some(id),
                Err(_) => return refuse("position: pick a position".into()),
            },
        };
        let placed = place(day, tz, start, end, &[]);
        let edit = ShiftEdit {
            id,
            expected_version: version,
            start: placed.start,
            end: placed.end,
            worker_id,
            position_id,
            role: role.get_untracked(),
            notes: notes.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            show(board, edit_shift(edit).await, Some(id));
            busy.set(false);
        });
    };
    let save_breaks = move |_| {
        let Ok(shift_start) = time_of(&start_text.get_untracked(), "start") else {
            return refuse("start: use a time like 09:30".into());
        };
        let mut pattern = Vec::new();
        for (i, (from, to, paid)) in breaks.get_untracked().into_iter().enumerate() {
            match (time_of(&from, &format!("breaks[{i}].start")), time_of(&to, &format!("breaks[{i}].end"))) {
                (Ok(start), Ok(end)) => pattern.push(TemplateBreak { start, end, paid }),
                (Err(message), _) | (_, Err(message)) => return refuse(message),
            }
        }
        let placed = place(day, tz, shift_start, shift_start, &pattern);
        let sent: Vec<PanelBreak> = placed.breaks.into_iter().map(|(start, end, paid)| PanelBreak { start, end, paid }).collect();
        busy.set(true);
        spawn_local(async move {
            show(board, set_shift_breaks(id, version, sent).await, Some(id));
            busy.set(false);
        });
    };
    // Cancelling is asked twice: the first press says what would go, the second does it.
    let confirming = RwSignal::new(false);
    let cancel = move |_| {
        confirming.set(false);
        busy.set(true);
        spawn_local(async move {
            let answer = cancel_shift(id, version).await;
            if matches!(answer, Ok(super::save::Outcome::Saved(_))) {
                board.selected.set(None);
            }
            show(board, answer, None);
            busy.set(false);
        });
    };

    let make_open = move |_| {
        busy.set(true);
        spawn_local(async move {
            match crate::week::open_shifts::make_shift_open(id, version).await {
                Ok(open) => {
                    board.selected.set(None);
                    let said = format!("Offered as an open shift: {}.", crate::format::open_shift_when(&open));
                    board.notice.set(Some(Notice::Saved(said)));
                }
                Err(e) => board.notice.set(Some(Notice::Refused(format!("Not made open: {}", crate::errors::plain(&e))))),
            }
            busy.set(false);
        });
    };

    let workers = board
        .workers()
        .into_iter()
        .map(|(w, name)| {
            let value = w.to_string();
            let chosen = value == worker.get_untracked();
            view! { <option value=value selected=chosen>{name}</option> }
        })
        .collect_view();
    let positions = board.positions.with_value(|all| {
        all.iter()
            .filter(|p| p.retired_from.is_none() || Some(p.id) == asked)
            .map(|p| {
                let chosen = Some(p.id) == asked;
                view! { <option value=p.id.to_string() selected=chosen>{p.name.clone()}</option> }
            })
            .collect_view()
    });
    let status = if shift.status == EventStatus::Active { "published" } else { shift.status.as_str() };
    let heading = format!("{} · {}", shift.worker_name, day_heading(day));
    let confirm_text = format!(
        "Cancel {}'s shift on {}, {}–{}? It is kept in the history.",
        shift.worker_name,
        day_heading(day),
        clock(shift.during.start, tz),
        clock(end, tz)
    );
    let break_rows = move || {
        breaks
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, (from, to, paid))| {
                let set = move |f: &dyn Fn(&mut BreakRow)| breaks.update(|b| if let Some(row) = b.get_mut(i) { f(row) });
                view! {
                    <li class="break-row">
                        <label>"From "
                            <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" value=from on:change=move |ev| { let v = event_target_value(&ev); set(&|r| r.0 = v.clone()) }/>
                        </label>
                        <label>"to "
                            <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" value=to on:change=move |ev| { let v = event_target_value(&ev); set(&|r| r.1 = v.clone()) }/>
                        </label>
                        <label>
                            <input type="checkbox" checked=paid on:change=move |ev| { let v = event_target_checked(&ev); set(&|r| r.2 = v) }/>
                            " paid"
                        </label>
                        <button type="button" on:click=move |_| breaks.update(|b| { if i < b.len() { b.remove(i); } })>
                            {format!("Remove break {}", i + 1)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let add_break = move |_| {
        // Half an hour in the middle of the shift, to move from there.
        let middle = shift.during.start + (end - shift.during.start) / 2;
        breaks.update(|b| b.push((clock(middle, tz), clock(middle + chrono::Duration::minutes(30), tz), false)));
    };

    view! {
        <aside class="edit-panel" aria-label="Edit shift">
            <header>
                <h2>{heading}</h2>
                <button type="button" class="close" aria-label="Close the edit panel" on:click=move |_| board.selected.set(None)>"×"</button>
            </header>
            <p class="facts">
                {format!("{status} · {} paid", hours(shift.hours.net))}
            </p>
            <form on:submit=save_details>
                <fieldset disabled=move || busy.get() || !editable>
                    <label>"Starts " <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" name="start" prop:value=start_text on:input=move |ev| start_text.set(event_target_value(&ev))/></label>
                    <label>"Ends " <input type="text" class="hhmm" inputmode="numeric" autocomplete="off" pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" placeholder="hh:mm" maxlength="5" name="end" prop:value=end_text on:input=move |ev| end_text.set(event_target_value(&ev))/></label>
                    <label>"Worker " <select name="worker" on:change=move |ev| worker.set(event_target_value(&ev))>{workers}</select></label>
                    <label>"Position " <select name="position" on:change=move |ev| position.set(event_target_value(&ev))>
                        <option value="" selected=asked.is_none()>"— none —"</option>
                        {positions}
                    </select></label>
                    <label>"Role " <input type="text" name="role" prop:value=role on:input=move |ev| role.set(event_target_value(&ev))/></label>
                    <label>"Notes " <textarea name="notes" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea></label>
                    <button type="submit">"Save shift"</button>
                </fieldset>
            </form>
            <section class="breaks" aria-label="Breaks">
                <h3>"Breaks"</h3>
                <ul>{break_rows}</ul>
                <button type="button" on:click=add_break disabled=move || busy.get() || !editable>"Add a break"</button>
                <button type="button" on:click=save_breaks disabled=move || busy.get() || !editable>"Save breaks"</button>
            </section>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <div class="shift-actions">
                        <button type="button" class="quiet" on:click=make_open disabled=move || busy.get() || !editable>
                            "Make it an open shift"
                        </button>
                        <button type="button" class="cancel-shift" on:click=move |_| confirming.set(true) disabled=move || busy.get() || !editable>
                            "Cancel this shift"
                        </button>
                    </div>
                }
            >
                <div class="confirm-cancel" role="group" aria-label="Confirm cancelling">
                    <p>{confirm_text.clone()}</p>
                    <button type="button" class="cancel-shift" on:click=cancel disabled=move || busy.get()>"Yes, cancel it"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </Show>
        </aside>
    }
    .into_any()
}
