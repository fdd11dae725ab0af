//! One error type for every domain service, and the one place where database constraint names become
//! messages a person can act on.

use crate::ids::EventId;
use crate::rules::Conflict;
use serde_json::{json, Value};

pub type DomainResult<T> = Result<T, DomainError>;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A field has a value the domain cannot accept (422).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The thing asked for does not exist in the caller's organisation (404).
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    /// The worker is already booked at that time by an active shift (409).
    #[error("{message}")]
    DoubleBooked { message: String, clashing_shifts: Vec<EventId> },
    /// Another fact already holds that time or name (409).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Someone changed it since the caller read it (412).
    #[error("expected version {expected}, but it is at version {actual}")]
    StaleVersion { expected: i32, actual: i32 },
    /// A business rule refuses it (422), with the conflicts that block it.
    #[error("{message}")]
    RuleViolation { message: String, conflicts: Vec<Conflict> },
    /// The caller's role does not allow it (403).
    #[error("{0}")]
    Forbidden(crate::access::Denied),
    /// No valid session or token, or a wrong email or password (401).
    #[error("{message}")]
    Unauthenticated { message: String },
    /// Too many failed sign-ins; try again after the wait (429).
    #[error("too many failed sign-in attempts; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: i64 },
    /// A file to import has problems; nothing of it was written (422).
    #[error("the file has {} problem(s); nothing was imported", problems.len())]
    ImportRefused { problems: Vec<crate::views::import::ImportProblem> },
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<crate::access::Denied> for DomainError {
    fn from(denied: crate::access::Denied) -> Self {
        DomainError::Forbidden(denied)
    }
}

impl From<crate::organisation_setup::Refused> for DomainError {
    fn from(refused: crate::organisation_setup::Refused) -> Self {
        DomainError::Invalid { field: refused.field.to_string(), message: refused.message }
    }
}

impl DomainError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        DomainError::Invalid { field: field.to_string(), message: message.into() }
    }

    /// A shift for a worker removed, or at a location closed, before it ends
    /// (`participations_not_after_inactive`, and an import that checks it first).
    pub fn not_planned_any_more() -> Self {
        DomainError::Conflict {
            code: "not_planned_any_more",
            message: "That worker was removed, or that location closed, before then: nothing is planned for them after it. Restore or reopen them first.".into(),
        }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        DomainError::NotFound { what, id: id.to_string() }
    }

    /// Whether running the same command again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, DomainError::Conflict { code: "concurrent_update", .. })
    }

    /// The HTTP status a refusal is answered with, by the API and by the pages' server functions alike.
    pub fn http_status(&self) -> u16 {
        match self {
            DomainError::Invalid { .. } | DomainError::RuleViolation { .. } | DomainError::ImportRefused { .. } => 422,
            DomainError::NotFound { .. } => 404,
            DomainError::DoubleBooked { .. } | DomainError::Conflict { .. } => 409,
            DomainError::StaleVersion { .. } => 412,
            DomainError::Forbidden(_) => 403,
            DomainError::Unauthenticated { .. } => 401,
            DomainError::Throttled { .. } => 429,
            DomainError::Database(_) => 500,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "invalid",
            DomainError::NotFound { .. } => "not_found",
            DomainError::DoubleBooked { .. } => "double_booked",
            DomainError::Conflict { code, .. } => code,
            DomainError::StaleVersion { .. } => "stale_version",
            DomainError::RuleViolation { .. } => "rule_violation",
            DomainError::Forbidden(_) => "forbidden",
            DomainError::Unauthenticated { .. } => "unauthenticated",
            DomainError::Throttled { .. } => "too_many_attempts",
            DomainError::ImportRefused { .. } => "import_refused",
            DomainError::Database(_) => "internal",
        }
    }

    /// What a client needs to fix or retry, beyond the message.
    pub fn details(&self) -> Value {
        match self {
            DomainError::Invalid { field, .. } => json!({ "field": field }),
            DomainError::NotFound { what, id } => json!({ "resource": what, "id": id }),
            DomainError::DoubleBooked { clashing_shifts, .. } => json!({ "clashing_shifts": clashing_shifts }),
            DomainError::StaleVersion { expected, actual } => json!({ "expected_version": expected, "current_version": actual }),
            DomainError::RuleViolation { conflicts, .. } => json!({ "conflicts": conflicts }),
            DomainError::Forbidden(denied) => json!({ "role": denied.role, "location": denied.location }),
            DomainError::Throttled { retry_after_secs } => json!({ "retry_after_secs": retry_after_secs }),
            DomainError::ImportRefused { problems } => json!({ "problems": problems }),
            DomainError::Conflict { .. } | DomainError::Unauthenticated { .. } | DomainError::Database(_) => json!({}),
        }
    }
}

/// Names the migrations give errors that deliberately have no message of their own: the services check
/// the same thing first with a clear answer, or the value is the server's own, never a client's. One
/// reached anyway is a defect in the service, and answers 500 (`DomainError::Database`). Every other
/// named error in migrations/ is mapped below; tests/services/tidy.rs keeps the two lists whole.
pub const DELIBERATE_BACKSTOPS: &[&str] = &[
    // Closed vocabularies the code writes from its own enums.
    "entities_known_type",
    "events_known_status",
    "participations_known_type",
    "invitations_known_role",
    "organisations_week_start",
    "attention_items_known_severity",
    "attention_items_known_status",
    // Shapes the code builds itself.
    "entities_properties_object",
    "events_properties_object",
    "shift_templates_breaks_array",
    "changes_stream_version_positive",
    "organisations_settings_version_positive",
    "participations_own_bounds",
    "participations_one_per_role",
    "participations_one_position_per_event",
    "events_type_fixed",
    "events_have_participants",
    // A request's or an exception's span is checked by `time_off::Asked::span` before it is written.
    "events_time_off_bounded",
    "events_availability_exception_bounded",
    // A worker's patterns are set one at a time under a lock, each ending the one before.
    "availability_one_pattern_at_a_time",
    // An invitation's email is normalised, its worker made or checked, and it is settled one way only,
    // by the service before it writes.
    "invitations_email_format",
    "invitations_worker_needs_entity",
    "invitations_locations_for_schedulers",
    "invitations_settled_one_way",
    // Validated by the service before it writes: the organisation's slug and name, a token's name.
    "organisations_slug_format",
    "organisations_name_present",
    // The rules' thresholds and premiums, checked field by field by `crate::organisation_settings`.
    "event_types_shift_rules_in_range",
    "event_types_pay_rules_in_range",
    "api_tokens_name_present",
    // Hashes of 256-bit secrets the server draws: a collision is not a client's doing.
    "api_tokens_hash_unique",
    "invitations_hash_unique",
    "calendar_feeds_hash_unique",
    // Projections kept under the worker's lock or by the log's trigger, one writer at a time.
    "attention_items_one_unresolved",
    "shift_history_current",
    // The log's guards: every command appends through `changes::record` inside a declared writer.
    "changes_append_only",
    "changes_writer_declared_first",
    "changes_writer_declared",
];

/// Constraint names from the migrations, each with what it means to the person who hit it.
impl From<sqlx::Error> for DomainError {
    fn from(err: sqlx::Error) -> Self {
        let Some(db) = err.as_database_error() else {
            return DomainError::Database(err);
        };
        // Deadlocks between concurrent commands on the same rows, and serialization failures: the
        // command did nothing and may simply be run again (see `store::retrying`).
        if matches!(db.code().as_deref(), Some("40P01") | Some("40001")) {
            return DomainError::Conflict {
                code: "concurrent_update",
                message: "Someone else was changing the same thing at that moment; try again.".into(),
            };
        }
        // Data exceptions (a NUL character in text, a timestamp out of PostgreSQL's range, …) come
        // from what the client sent.
        if db.code().is_some_and(|c| c.starts_with("22")) {
            return DomainError::invalid("body", format!("contains a value that cannot be stored: {}", db.message()));
        }
        let detail = db.message().to_string();
        match db.constraint() {
            Some("shifts_no_double_booking") => DomainError::DoubleBooked {
                message: "The worker already has an active shift at that time.".into(),
                clashing_shifts: vec![],
            },
            Some("time_off_no_overlap") => DomainError::Conflict {
                code: "time_off_overlap",
                message: "The worker already has time off asked for or approved over part of that time.".into(),
            },
            Some("shifts_not_on_time_off") => DomainError::Conflict {
                code: "on_time_off",
                message: "The worker has approved time off then: a published shift cannot be theirs at that time.".into(),
            },
            Some("open_shifts_places_taken") => {
                DomainError::Conflict { code: "open_shift_filled", message: "Every place of this open shift is taken.".into() }
            }
            Some("shift_offers_one_live_per_shift") => DomainError::Conflict {
                code: "offer_overlap",
                message: "This shift is already offered: withdraw that offer first, or wait for the answer.".into(),
            },
            Some("shift_claims_one_waiting") => DomainError::Conflict {
                code: "claim_overlap",
                message: "You already wait on a claim at that time: withdraw it first, or wait for the answer.".into(),
            },
            Some("events_open_shift_at_most_a_day") => DomainError::invalid("end", "an open shift lasts at most 24 hours"),
            Some("employments_no_overlap") => DomainError::Conflict {
                code: "employment_overlap",
                message: "The worker already has an employment covering part of that period.".into(),
            },
            Some("schedules_no_overlap") => DomainError::Conflict {
                code: "schedule_overlap",
                message: "The location already has a schedule covering part of that period.".into(),
            },
            Some("locations_one_parent_at_a_time") => DomainError::Conflict {
                code: "location_has_parent",
                message: "The location already has a parent for part of that period.".into(),
            },
            Some("locations_no_cycle") => {
                DomainError::invalid("parent_id", "a location cannot sit under itself or one of its descendants")
            }
            // Two commands appended the same stream version: the loser lost a race, and runs again.
            Some("changes_stream_version_unique") => DomainError::Conflict {
                code: "concurrent_update",
                message: "Someone else changed this at the same moment; try again.".into(),
            },
            Some("events_end_after_start") => DomainError::invalid("end", "must be after start"),
            Some("events_shift_at_most_a_day") => DomainError::invalid("end", "a shift lasts at most 24 hours"),
            Some("events_status_transition") => DomainError::invalid("status", detail),
            Some("events_within_parent") => DomainError::invalid("start", detail),
            Some("shifts_need_employment") => {
                DomainError::invalid("worker_id", "an active shift must lie inside the worker's employment")
            }
            Some("events_nesting") => DomainError::invalid("parent_id", detail),
            Some("entities_worker_email_unique") => DomainError::Conflict {
                code: "email_taken",
                message: "Another worker in this organisation already has that email.".into(),
            },
            Some("entities_location_time_zone") => DomainError::invalid("time_zone", detail),
            Some("organisations_slug_key") => DomainError::Conflict {
                code: "organisation_taken",
                message: "Another organisation already has that address.".into(),
            },
            Some("organisations_currency_format") => {
                DomainError::invalid("currency", "must be a three-letter currency code such as EUR or USD")
            }
            Some("organisations_time_zone") => DomainError::invalid("time_zone", detail),
            Some("invitations_name_present") => DomainError::invalid("name", "must not be blank"),
            Some("invitations_worker_fk") => DomainError::not_found("worker", "with that id"),
            Some("invitations_one_open_per_email") => DomainError::Conflict {
                code: "already_invited",
                message: "That person already has an open invitation; send it again for a new link.".into(),
            },
            Some("invitations_accepted_in_time") => DomainError::Conflict {
                code: "invitation_expired",
                message: "This invitation has expired; ask the organisation to send it again.".into(),
            },
            Some("invitations_settled_once") => DomainError::Conflict {
                code: "invitation_used",
                message: "This invitation has already been answered or withdrawn.".into(),
            },
            Some("password_links_used_in_time") => DomainError::Conflict {
                code: "link_expired",
                message: "This link has expired; ask an administrator of your organisation for a new one.".into(),
            },
            Some("password_links_used_once") => DomainError::Conflict {
                code: "link_used",
                message: "This link has already been used. Sign in with your password, or ask for a new link.".into(),
            },
            Some("participations_not_after_inactive") => DomainError::not_planned_any_more(),
            Some("entities_worker_external_id_unique") => DomainError::Conflict {
                code: "external_id_taken",
                message: "Another worker in this organisation already has that external id.".into(),
            },
            Some("entities_name_present") => DomainError::invalid("name", "must not be blank"),
            Some("entities_position_colour") => DomainError::invalid("colour", "must be a colour written #rrggbb"),
            Some("entities_position_name_unique") => DomainError::Conflict {
                code: "position_taken",
                message: "The organisation already has a position of that name.".into(),
            },
            Some("positions_held_worker_is_a_worker") => DomainError::not_found("worker", "with that id"),
            Some("positions_held_position_is_a_position") => DomainError::not_found("position", "with that id"),
            Some("shifts_worker_holds_position") => {
                DomainError::invalid("worker_id", "the worker does not hold the position this published shift asks for")
            }
            Some("positions_held_needed") => DomainError::Conflict {
                code: "position_needed",
                message: "A published shift still to come asks this worker for that position; reassign or change it first."
                    .into(),
            },
            Some("users_email_unique") => {
                DomainError::Conflict { code: "email_taken", message: "Someone already has an account with that email.".into() }
            }
            Some("users_email_format") => DomainError::invalid("email", "must look like name@example.com"),
            Some("users_name_present") => DomainError::invalid("name", "must not be blank"),
            Some("memberships_pkey") => DomainError::Conflict {
                code: "already_a_member",
                message: "That person is already a member of this organisation.".into(),
            },
            Some("memberships_accepted_before_use") => DomainError::Conflict {
                code: "membership_pending",
                message: "That membership has not been accepted yet: the person accepts it when they next sign in.".into(),
            },
            Some("memberships_stay_accepted") => DomainError::Conflict {
                code: "membership_accepted",
                message: "That person has accepted their membership; it can be changed or ended, not made pending again.".into(),
            },
            Some("memberships_added_as_present") => DomainError::invalid("name", "must not be blank"),
            Some("memberships_known_role") => DomainError::invalid("role", "must be admin, manager, scheduler or worker"),
            Some("memberships_worker_needs_entity") => {
                DomainError::invalid("worker_id", "a worker member must be linked to a worker")
            }
            Some("memberships_worker_is_a_worker") | Some("calendar_feeds_worker_is_a_worker") => {
                DomainError::not_found("worker", "with that id")
            }
            Some("membership_locations_are_locations") => {
                DomainError::invalid("location_ids", "each must be a location of this organisation")
            }
            Some("memberships_one_user_per_worker") => DomainError::Conflict {
                code: "worker_has_user",
                message: "Another member is already linked to that worker.".into(),
            },
            Some("shift_templates_name_unique") => DomainError::Conflict {
                code: "template_name_taken",
                message: "Another shift template already has that name.".into(),
            },
            Some("shift_templates_name_present") => DomainError::invalid("name", "must be 1 to 100 characters"),
            Some("calendar_feeds_one_live_per_worker") => DomainError::Conflict {
                code: "concurrent_update",
                message: "The calendar link was renewed at the same moment; try again.".into(),
            },
            Some("timesheets_approved_week_locked") => DomainError::Conflict {
                code: "week_approved",
                message: "That week's timesheet is approved; its punches and periods are locked.".into(),
            },
            Some("clock_events_never_edited") => DomainError::Conflict {
                code: "punch_kept",
                message: "A punch is never changed; add a correction that replaces or voids it.".into(),
            },
            Some("timesheets_one_approval_per_week") => {
                DomainError::Conflict { code: "already_approved", message: "That week's timesheet is already approved.".into() }
            }
            Some("compensations_one_rate_at_a_time") => DomainError::Conflict {
                code: "concurrent_update",
                message: "Another pay rate for the worker was set at the same moment; try again.".into(),
            },
            // "a location participation needs a location, not a worker": the id sent in the wrong place.
            Some("participations_entity_kind") => {
                let field =
                    if detail.starts_with("a worker ") || detail.starts_with("an employee ") || detail.starts_with("a employee ")
                    {
                        "worker_id"
                    } else {
                        "location_id"
                    };
                DomainError::invalid(field, format!("names the wrong kind of thing: {detail}"))
            }
            Some("participations_within_event") => DomainError::invalid("start", detail),
            Some(name) if name.ends_with("_fk") || name.ends_with("_fkey") => {
                DomainError::invalid("id", "refers to nothing in this organisation")
            }
            _ => DomainError::Database(err),
        }
    }
}
