//! What a roster import reports: every problem by row and column, and what the file does or did.

use serde::{Deserialize, Serialize};

/// How a date written with slashes is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum SlashDates {
    /// 31/12/2026, as most of the world writes it.
    #[default]
    DayFirst,
    /// 12/31/2026, as the United States write it.
    MonthFirst,
}

impl SlashDates {
    /// The `chrono` pattern of a date written with slashes.
    pub fn pattern(self) -> &'static str {
        match self {
            SlashDates::DayFirst => "%d/%m/%Y",
            SlashDates::MonthFirst => "%m/%d/%Y",
        }
    }
}

/// What is wrong with one cell (row 1 is the file's header; row 0 is the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The line of the file the row starts on.
    pub row: usize,
    /// The column as the file names it.
    pub column: String,
    pub message: String,
}

/// What importing a file does (a check) or did (an import).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Workers in the file.
    pub rows: usize,
    pub new_workers: usize,
    pub updated_workers: usize,
    pub unchanged_workers: usize,
    pub new_employments: usize,
    pub new_rates: usize,
    /// Invitations made for workers with an email and no account, ready to send from /people.
    pub invitations: usize,
    /// Workers given positions they did not hold.
    #[serde(default)]
    pub positions_given: usize,
    /// Shifts a shifts file adds as drafts.
    #[serde(default)]
    pub new_shifts: usize,
    /// Shifts a shifts file names that are already planned, same worker, place and times.
    #[serde(default)]
    pub unchanged_shifts: usize,
    /// Nothing is imported while there is any.
    pub problems: Vec<ImportProblem>,
    /// Columns of the file Mosaic does not read.
    pub ignored_columns: Vec<String>,
    /// Whether the rows were written (false for a check).
    pub imported: bool,
}
