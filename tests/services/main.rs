//! Scenarios against a real PostgreSQL: each `#[sqlx::test]` gets a fresh, migrated database.

mod fixture;

mod accounts;
mod availability;
mod calendar_feed;
mod changes;
mod concurrency;
mod conflict_board;
mod constraints;
mod invitations;
mod leaving;
mod locations;
mod open_shifts;
mod people;
mod planning;
mod positions;
mod roster;
mod roster_import;
mod schedules;
mod seed;
mod settings;
mod shift_import;
mod shift_templates;
mod shifts;
mod sign_up;
mod swaps;
mod tidy;
mod time_off;
mod time_travel;
mod timekeeping;
mod timeline;
mod undo;
mod week_copy;
