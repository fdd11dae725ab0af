//! The HTTP API through the real router, against a fresh PostgreSQL database per test.

mod client;

mod board;
mod calendar;
mod dates;
mod drops;
mod errors;
mod feed_delay;
mod generated_client;
mod history;
mod imports;
mod invitations;
mod isolation;
mod live;
mod open_shifts;
mod organisation;
mod pages;
mod positions;
mod roles;
mod roster;
mod scheduling;
mod sign_in;
mod sign_up;
mod sse;
mod swaps;
mod tcp;
mod time_off;
mod timekeeping;
