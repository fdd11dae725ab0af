//! What the screens and the API show: plain data, the same on server and browser.

use crate::hours::ShiftHours;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::{EventStatus, ScheduleStatus};
use crate::rules::{ConflictKind, Severity};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

pub mod import;
pub mod open_shifts;
pub mod people;
pub mod positions;
pub mod swaps;
pub mod time;
pub mod time_off;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct WorkerView {
    pub id: EntityId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Set once the worker is removed: they take part in no planning from then on, and stay in history.
    pub removed_from: Option<DateTime<Utc>>,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct LocationView {
    pub id: EntityId,
    pub name: String,
    pub address: Option<String>,
    /// IANA zone, e.g. `Europe/Berlin`: the calendar shows this location's local time.
    pub time_zone: String,
    pub capacity: Option<i32>,
    /// Set once the location is closed: nothing is planned there from then on; its past stays.
    pub closed_from: Option<DateTime<Utc>>,
    pub version: i32,
}

impl LocationView {
    /// The location's zone, in which its days, weeks and shift times are read. The database refuses a
    /// location with an unknown zone (`entities_location_time_zone`); UTC stands in only for a name
    /// this build's zone data does not know yet.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// An organisation's own settings, as its people see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrganisationView {
    pub name: String,
    /// The address it is known by, e.g. at sign-in for people in more than one organisation.
    pub slug: String,
    /// IANA zone in which the organisation's weeks (rules, pay, timesheets) are counted.
    pub time_zone: String,
    /// The currency pay rates are in unless one says otherwise (ISO 4217).
    pub currency: String,
    /// The day every week in the organisation starts on.
    pub week_starts_on: crate::local_time::WeekStart,
}

/// Everything /settings shows and an administrator may change, at the version they saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrganisationSettingsView {
    pub slug: String,
    /// Send it back with a change: a change made over someone else's is refused (412).
    pub version: i32,
    pub settings: crate::organisation_settings::OrganisationSettings,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct LocationMembershipView {
    pub id: EventId,
    pub child_id: EntityId,
    pub parent_id: EntityId,
    pub during: Interval,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct EmploymentView {
    pub id: EventId,
    pub worker_id: EntityId,
    /// Where the worker is usually scheduled.
    pub location_id: Option<EntityId>,
    pub during: Interval,
    pub status: EventStatus,
    pub title: Option<String>,
    /// Contracted hours a week.
    pub contract_hours: Option<f64>,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ScheduleView {
    pub id: EventId,
    pub location_id: EntityId,
    pub period: Interval,
    pub status: ScheduleStatus,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct BreakView {
    pub id: EventId,
    pub during: Interval,
    pub paid: bool,
}

/// A shift as the screens show it, and also its stored form: every shift change keeps it in its payload
/// (`before` / `after`), and the history's trigger (`shift_history_apply`,
/// migrations/0005_shift_history.sql) reads `during`, `location_id`, `worker_id`, `status` and
/// `version` from there. Renaming those is a migration; tests/services/tidy.rs pins them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ShiftView {
    pub id: EventId,
    pub worker_id: EntityId,
    pub worker_name: String,
    pub location_id: EntityId,
    /// `None` for a draft moved outside every employment (an open hard conflict until fixed).
    pub employment_id: Option<EventId>,
    pub during: Interval,
    pub status: EventStatus,
    pub role: Option<String>,
    /// The position the shift asks for; the calendar draws the shift in its colour. Absent from
    /// shifts the log recorded before positions existed.
    #[serde(default)]
    pub position: Option<positions::PositionTag>,
    pub notes: Option<String>,
    pub version: i32,
    pub breaks: Vec<BreakView>,
    pub work_periods: Vec<Interval>,
    pub hours: ShiftHours,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[cfg_attr(feature = "server", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum AttentionStatus {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct AttentionItemView {
    pub id: uuid::Uuid,
    pub kind: ConflictKind,
    pub severity: Severity,
    pub worker_id: EntityId,
    pub shift_ids: Vec<EventId>,
    pub span: Interval,
    pub message: String,
    pub suggested_action: String,
    pub status: AttentionStatus,
    pub detected_at: DateTime<Utc>,
    /// Why a manager acknowledged it, once they have.
    pub reason: Option<String>,
}

/// The manager's conflict board: open items with the people and shifts involved, and how many of each
/// kind are open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ConflictBoardView {
    pub items: Vec<BoardItemView>,
    /// Open items per kind, under the location filter only, for the board's header.
    pub counts: Vec<KindCountView>,
    /// The organisation's locations, for the filter and for naming where each shift is.
    pub locations: Vec<LocationView>,
    /// The change log position the board was read at: it follows the log live from here.
    pub cursor: String,
    /// When it was read: a shift over by then is offered no cancelling (`ShiftView::is_over`).
    pub read_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct BoardItemView {
    pub item: AttentionItemView,
    pub worker_name: String,
    /// The shifts involved, in time order.
    pub shifts: Vec<ShiftView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct KindCountView {
    pub kind: ConflictKind,
    pub severity: Severity,
    pub open: u32,
}

/// Who could take over a conflicting shift: employed at its location then, free at the time, and with no
/// hard conflict from taking it (the warnings it would bring are listed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CoverView {
    pub shift_id: EventId,
    pub worker: WorkerView,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ChangeView {
    /// Pass this back as `after` to read on from here.
    pub cursor: String,
    pub stream_id: uuid::Uuid,
    /// What the stream is: `shift`, `schedule`, `employment`, `worker`, …
    pub stream_type: String,
    pub stream_version: i32,
    pub actor_id: Option<uuid::Uuid>,
    pub actor: String,
    /// One of [`ChangeKind`]'s names (`shift.moved`, …); kept as text, so a reader built before a
    /// kind existed still reads the change and passes it by.
    ///
    /// [`ChangeKind`]: crate::change_kind::ChangeKind
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub payload: serde_json::Value,
}

impl ChangeView {
    /// The change's kind, if this build knows it.
    pub fn kind(&self) -> Option<crate::change_kind::ChangeKind> {
        crate::change_kind::ChangeKind::parse(&self.kind)
    }

    /// The kind of aggregate the change belongs to, if this build knows it.
    pub fn stream(&self) -> Option<crate::change_kind::StreamType> {
        crate::change_kind::StreamType::parse(&self.stream_type)
    }
}

/// A named pattern of local times to plan shifts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftTemplateView {
    pub id: uuid::Uuid,
    pub name: String,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "07:00"))]
    pub start: chrono::NaiveTime,
    /// At or before `start`: the next day.
    #[cfg_attr(feature = "server", schema(value_type = String, example = "15:00"))]
    pub end: chrono::NaiveTime,
    pub role: Option<String>,
    pub breaks: Vec<crate::templates::TemplateBreak>,
}

/// One location's week, as the calendar draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekView {
    pub location: LocationView,
    pub locations: Vec<LocationView>,
    /// The first day of the week (the organisation's first weekday), in the location's zone.
    pub week_start: NaiveDate,
    /// That local week as instants: 168 hours, or one less or more across a DST change.
    pub week: Interval,
    /// The organisation's rule thresholds, so the calendar previews what the server will judge.
    pub thresholds: crate::rules::Thresholds,
    pub rows: Vec<WeekRow>,
    /// The organisation's positions, retired ones too (old shifts still ask for them).
    #[serde(default)]
    pub positions: Vec<positions::PositionView>,
    pub open_conflicts: Vec<AttentionItemView>,
    /// The organisation's shift templates, to draw shifts from.
    pub templates: Vec<ShiftTemplateView>,
    /// The change log position this week was read at: the calendar follows the log live from here.
    pub cursor: String,
    /// The location's schedules overlapping the week: a draft one can be published from the calendar.
    pub schedules: Vec<ScheduleView>,
    /// Whether the reader may publish schedules (a manager or an administrator).
    pub may_publish: bool,
    /// What the reader may do, so the calendar lets them grab only the shifts the server would let them
    /// change (`Access::require_shift_change`).
    pub access: crate::access::Access,
    /// Rates and rules to price the week, and what approved timesheets cost; for those who may see pay.
    pub pay: Option<crate::labor_cost::WeekPay>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekRow {
    pub worker: WorkerView,
    /// The worker's shifts at this location in the week.
    pub shifts: Vec<ShiftView>,
    /// The worker's other live shifts a day either side of the week and at other locations, as the rules
    /// see them: they count towards rest and weekly hours.
    pub elsewhere: Vec<crate::rules::RuleShift>,
    /// The worker's employments overlapping the week.
    pub employments: Vec<Interval>,
    /// The positions the worker holds.
    #[serde(default)]
    pub positions: Vec<EntityId>,
    /// The weekly hours the worker's latest employment around the week contracts, if it says.
    #[serde(default)]
    pub contract_hours: Option<f64>,
    /// The worker's approved time off overlapping the week.
    #[serde(default)]
    pub time_off: Vec<TimeOffBand>,
    /// The stretches of the week they said they cannot work, and those they prefer.
    #[serde(default)]
    pub availability: crate::availability::Spans,
}

/// Approved time off as the calendar draws it on a worker's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimeOffBand {
    pub during: Interval,
    pub kind: crate::time_off::TimeOffKind,
}

impl WeekRow {
    /// Everything the rules need to judge a change to this worker's week.
    pub fn rules(&self) -> crate::planning::RowRules {
        let mut shifts: Vec<crate::rules::RuleShift> =
            self.shifts.iter().filter(|s| s.status != EventStatus::Cancelled).map(ShiftView::rule_shift).collect();
        shifts.extend(self.elsewhere.iter().cloned());
        crate::planning::RowRules {
            worker: self.worker.id,
            shifts,
            employments: self.employments.clone(),
            positions: self.positions.clone(),
            time_off: self.time_off.iter().map(|t| t.during).collect(),
            unavailable: self.availability.unavailable.clone(),
        }
    }
}

/// A worker's own timeline, as `/me` shows it: today and the coming weeks, with totals for past weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimelineView {
    pub worker_name: String,
    /// Today in the organisation's zone, which is also the zone weeks are counted in.
    pub today: NaiveDate,
    pub time_zone: String,
    /// Hours of the live shifts in the week containing today.
    pub this_week: ShiftHours,
    /// The weeks before this one, newest first.
    pub past_weeks: Vec<WeekHoursView>,
    /// From the start of today on, in time order.
    pub shifts: Vec<TimelineShiftView>,
    /// When the worker last opened their timeline before now; later changes are marked `changed`.
    pub last_looked: Option<DateTime<Utc>>,
    /// The change log position this timeline was read at: follow `/api/v1/changes/stream?after=` it.
    pub cursor: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct WeekHoursView {
    pub week_start: NaiveDate,
    pub shifts: u32,
    pub hours: ShiftHours,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct TimelineShiftView {
    pub shift: ShiftView,
    pub location_name: String,
    /// The location's IANA zone: the shift is shown in its local time.
    pub time_zone: String,
    /// Others working published shifts at the same location at the same time.
    pub colleagues: Vec<String>,
    /// Changed since the worker last looked.
    pub changed: bool,
}

/// The signed-in person, as the top bar shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedInView {
    pub name: String,
    pub role: crate::access::Role,
    /// Linked to a worker, so they have a timeline of their own.
    pub has_timeline: bool,
}

/// A personal API token as its owner sees it later: never the secret, which is shown only when made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ApiTokenView {
    pub id: uuid::Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ShiftView {
    /// Whether the shift has ended by `now`: it is history, and cancelling it would only rewrite it.
    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        self.during.end.is_some_and(|end| end <= now)
    }

    /// What the shift says it is: the position it asks for, and its role where that says more.
    pub fn label(&self) -> Option<String> {
        let role = self.role.as_deref().filter(|r| !r.is_empty());
        match (&self.position, role) {
            (Some(position), Some(role)) if !role.eq_ignore_ascii_case(&position.name) => {
                Some(format!("{} · {role}", position.name))
            }
            (Some(position), _) => Some(position.name.clone()),
            (None, role) => role.map(str::to_string),
        }
    }

    /// The shift as the rules see it.
    pub fn rule_shift(&self) -> crate::rules::RuleShift {
        crate::rules::RuleShift {
            id: self.id,
            during: self.during,
            status: self.status,
            breaks: self.breaks.iter().map(|b| crate::hours::BreakSpan { during: b.during, paid: b.paid }).collect(),
            position: self.position.as_ref().map(|p| p.id),
        }
    }
}

/// A moment in the organisation's change log: how things stood right after this change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct MomentView {
    /// The change's position in the log; pass it back as `at` or `since`.
    pub position: i64,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    /// The organisation's change just before this one, and just after, to step through the log.
    pub earlier: Option<i64>,
    pub later: Option<i64>,
}

/// One location's week as it stood at a past moment, read-only, and what changed since another moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct HistoricWeekView {
    pub location: LocationView,
    pub locations: Vec<LocationView>,
    pub week_start: NaiveDate,
    pub week: Interval,
    /// The organisation's first and last change: the ends of the slider. `None` while the log is empty.
    pub log: Option<LogSpan>,
    /// The moment shown; `None` before the first change (nothing was planned yet).
    pub at: Option<MomentView>,
    /// The moment compared with, if one was picked.
    pub since: Option<MomentView>,
    /// Everyone with a shift here that week at either moment, with their shifts at the moment shown.
    pub rows: Vec<HistoricRow>,
    /// How the week at the moment shown differs from the week at `since` (empty without `since`).
    pub differences: Vec<ChangedShift>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct LogSpan {
    pub first: i64,
    pub last: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct HistoricRow {
    pub worker_id: EntityId,
    pub worker_name: String,
    pub shifts: Vec<ShiftView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ChangedShift {
    #[serde(flatten)]
    pub difference: crate::planning::ShiftDifference,
    /// Who changed it between the two moments, in the order they first did.
    pub changed_by: Vec<String>,
    /// The changes between the two moments, oldest first (`shift.moved`, `shift.published`, …).
    pub changes: Vec<String>,
}
