//! The change log's vocabulary: what a change can be (`ChangeKind`) and which kind of aggregate's stream
//! it belongs to (`StreamType`). Stored as today's strings (`shift.moved`, `shift`), which clients and
//! the SQL that reads the log (the history trigger, migrations/0005_shift_history.sql) know by name; the
//! log itself stays open text, so a reader meets kinds it does not know as strings and passes them by.

/// Declares the enum, its stored text and its stream in one list, so the three never disagree.
macro_rules! change_kinds {
    ($($kind:ident = $text:literal in $stream:ident,)*) => {
        /// Everything a command appends to the change log.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ChangeKind {
            $($kind,)*
        }

        impl ChangeKind {
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$kind,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeKind::$kind => $text,)*
                }
            }

            /// The stream every change of this kind is appended to.
            pub fn stream(self) -> StreamType {
                match self {
                    $(ChangeKind::$kind => StreamType::$stream,)*
                }
            }
        }
    };
}

change_kinds! {
    ShiftCreated = "shift.created" in Shift,
    ShiftMoved = "shift.moved" in Shift,
    ShiftResized = "shift.resized" in Shift,
    ShiftReassigned = "shift.reassigned" in Shift,
    ShiftUpdated = "shift.updated" in Shift,
    ShiftCancelled = "shift.cancelled" in Shift,
    ShiftBreakAdded = "shift.break_added" in Shift,
    ShiftBreaksChanged = "shift.breaks_changed" in Shift,
    ShiftWorkPeriodAdded = "shift.work_period_added" in Shift,
    ShiftPublished = "shift.published" in Shift,
    ScheduleCreated = "schedule.created" in Schedule,
    SchedulePeriodChanged = "schedule.period_changed" in Schedule,
    SchedulePublished = "schedule.published" in Schedule,
    ScheduleArchived = "schedule.archived" in Schedule,
    ScheduleWithdrawn = "schedule.withdrawn" in Schedule,
    ShiftTemplateCreated = "shift_template.created" in ShiftTemplate,
    ShiftTemplateArchived = "shift_template.archived" in ShiftTemplate,
    WorkerCreated = "worker.created" in Worker,
    WorkerUpdated = "worker.updated" in Worker,
    WorkerRemoved = "worker.removed" in Worker,
    WorkerRestored = "worker.restored" in Worker,
    WorkerPositionsChanged = "worker.positions_changed" in Worker,
    PositionCreated = "position.created" in Position,
    PositionUpdated = "position.updated" in Position,
    PositionRetired = "position.retired" in Position,
    PositionRestored = "position.restored" in Position,
    EmploymentStarted = "employment.started" in Employment,
    EmploymentEnded = "employment.ended" in Employment,
    EmploymentExtended = "employment.extended" in Employment,
    LocationCreated = "location.created" in Location,
    LocationUpdated = "location.updated" in Location,
    LocationClosed = "location.closed" in Location,
    LocationReopened = "location.reopened" in Location,
    LocationParentSet = "location.parent_set" in LocationMembership,
    LocationParentEnded = "location.parent_ended" in LocationMembership,
    MemberAdded = "member.added" in Membership,
    MemberAccepted = "member.accepted" in Membership,
    MemberDeclined = "member.declined" in Membership,
    MemberChanged = "member.changed" in Membership,
    MemberRemoved = "member.removed" in Membership,
    AttentionAcknowledged = "attention.acknowledged" in AttentionItem,
    ClockIn = "clock.in" in ClockEvent,
    ClockOut = "clock.out" in ClockEvent,
    ClockCorrected = "clock.corrected" in ClockEvent,
    ClockPeriodRecorded = "clock_period.recorded" in ClockPeriod,
    ClockPeriodChanged = "clock_period.changed" in ClockPeriod,
    ClockPeriodWithdrawn = "clock_period.withdrawn" in ClockPeriod,
    CompensationSet = "compensation.set" in Compensation,
    CompensationEnded = "compensation.ended" in Compensation,
    CompensationWithdrawn = "compensation.withdrawn" in Compensation,
    TimesheetApproved = "timesheet.approved" in Timesheet,
    OrganisationCreated = "organisation.created" in Organisation,
    OrganisationSettingsChanged = "organisation.settings_changed" in Organisation,
    InvitationSent = "invitation.sent" in Invitation,
    InvitationResent = "invitation.resent" in Invitation,
    InvitationRevoked = "invitation.revoked" in Invitation,
    InvitationAccepted = "invitation.accepted" in Invitation,
    MemberPasswordLinkIssued = "member.password_link_issued" in Membership,
    MemberPasswordSet = "member.password_set" in Membership,
    TimeOffRequested = "time_off.requested" in TimeOff,
    TimeOffApproved = "time_off.approved" in TimeOff,
    TimeOffDeclined = "time_off.declined" in TimeOff,
    TimeOffCancelled = "time_off.cancelled" in TimeOff,
    AvailabilitySet = "availability.set" in Availability,
    AvailabilityEnded = "availability.ended" in Availability,
    AvailabilityWithdrawn = "availability.withdrawn" in Availability,
    AvailabilityExceptionAdded = "availability_exception.added" in AvailabilityException,
    AvailabilityExceptionRemoved = "availability_exception.removed" in AvailabilityException,
    OpenShiftOffered = "open_shift.offered" in OpenShift,
    OpenShiftPublished = "open_shift.published" in OpenShift,
    OpenShiftPlaceTaken = "open_shift.place_taken" in OpenShift,
    OpenShiftWithdrawn = "open_shift.withdrawn" in OpenShift,
    ShiftClaimMade = "shift_claim.made" in ShiftClaim,
    ShiftClaimApproved = "shift_claim.approved" in ShiftClaim,
    ShiftClaimDeclined = "shift_claim.declined" in ShiftClaim,
    ShiftClaimWithdrawn = "shift_claim.withdrawn" in ShiftClaim,
    ShiftClaimClosed = "shift_claim.closed" in ShiftClaim,
    ShiftOfferMade = "shift_offer.made" in ShiftOffer,
    ShiftOfferAccepted = "shift_offer.accepted" in ShiftOffer,
    ShiftOfferApproved = "shift_offer.approved" in ShiftOffer,
    ShiftOfferDeclined = "shift_offer.declined" in ShiftOffer,
    ShiftOfferWithdrawn = "shift_offer.withdrawn" in ShiftOffer,
    ShiftOfferRefused = "shift_offer.refused" in ShiftOffer,
}

impl ChangeKind {
    /// The kind stored as `text`; `None` for a kind this build does not know.
    pub fn parse(text: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }
}

/// The kinds of aggregate whose changes the log keeps, each as one stream per aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StreamType {
    Shift,
    Schedule,
    ShiftTemplate,
    Worker,
    Employment,
    Location,
    LocationMembership,
    Membership,
    AttentionItem,
    ClockEvent,
    ClockPeriod,
    Compensation,
    Timesheet,
    Organisation,
    Invitation,
    Position,
    TimeOff,
    Availability,
    AvailabilityException,
    OpenShift,
    ShiftClaim,
    ShiftOffer,
}

impl StreamType {
    pub const ALL: [StreamType; 22] = [
        StreamType::Shift,
        StreamType::Schedule,
        StreamType::ShiftTemplate,
        StreamType::Worker,
        StreamType::Employment,
        StreamType::Location,
        StreamType::LocationMembership,
        StreamType::Membership,
        StreamType::AttentionItem,
        StreamType::ClockEvent,
        StreamType::ClockPeriod,
        StreamType::Compensation,
        StreamType::Timesheet,
        StreamType::Organisation,
        StreamType::Invitation,
        StreamType::Position,
        StreamType::TimeOff,
        StreamType::Availability,
        StreamType::AvailabilityException,
        StreamType::OpenShift,
        StreamType::ShiftClaim,
        StreamType::ShiftOffer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StreamType::Shift => "shift",
            StreamType::Schedule => "schedule",
            StreamType::ShiftTemplate => "shift_template",
            StreamType::Worker => "worker",
            StreamType::Employment => "employment",
            StreamType::Location => "location",
            StreamType::LocationMembership => "location_membership",
            StreamType::Membership => "membership",
            StreamType::AttentionItem => "attention_item",
            StreamType::ClockEvent => "clock_event",
            StreamType::ClockPeriod => "clock_period",
            StreamType::Compensation => "compensation",
            StreamType::Timesheet => "timesheet",
            StreamType::Organisation => "organisation",
            StreamType::Invitation => "invitation",
            StreamType::Position => "position",
            StreamType::TimeOff => "time_off",
            StreamType::Availability => "availability",
            StreamType::AvailabilityException => "availability_exception",
            StreamType::OpenShift => "open_shift",
            StreamType::ShiftClaim => "shift_claim",
            StreamType::ShiftOffer => "shift_offer",
        }
    }

    pub fn parse(text: &str) -> Option<StreamType> {
        StreamType::ALL.into_iter().find(|stream| stream.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_text_and_no_two_share_one() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(*kind));
        }
        let mut texts: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), ChangeKind::ALL.len());
        assert_eq!(ChangeKind::parse("note.added"), None, "a kind this build does not know stays text");
    }

    #[test]
    fn every_stream_reads_back_from_its_text_and_has_a_kind() {
        for stream in StreamType::ALL {
            assert_eq!(StreamType::parse(stream.as_str()), Some(stream));
            assert!(ChangeKind::ALL.iter().any(|k| k.stream() == stream), "{stream:?} has no kind");
        }
    }

    #[test]
    fn a_kind_is_named_after_its_stream_except_where_the_stored_names_were_set_earlier() {
        // Kept as they were stored; the log is append-only, so these names stay.
        let historical = ["location.parent_", "member.", "attention.", "clock."];
        for kind in ChangeKind::ALL {
            let text = kind.as_str();
            let named_after_stream = text.starts_with(&format!("{}.", kind.stream().as_str()));
            assert!(named_after_stream || historical.iter().any(|h| text.starts_with(h)), "{text}");
        }
    }
}
