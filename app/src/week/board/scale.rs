//! How the calendar lays time and rows out on the screen.

/// Every row is this tall, so the rows in view follow from the scroll position alone.
pub const ROW_HEIGHT: f64 = 44.0;
/// Rows drawn beyond those in view on each side, so a quick scroll shows no gap.
pub const OVERSCAN: usize = 8;
/// The scroll area's height before the browser has measured it (the server renders this many rows).
pub const ASSUMED_VIEWPORT: f64 = 720.0;
/// A drag this close to the roster's top or bottom edge scrolls it.
pub const EDGE_SCROLL_PX: f64 = 36.0;
/// A pointer must travel this far before a press becomes a drag; less is a click.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;

/// The stretch of the axis on screen and how wide a minute is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// First axis minute shown.
    pub from: i64,
    pub minutes: i64,
    pub px_per_minute: f64,
}

impl Scale {
    /// The whole week, 8 px to the hour: a day is 192 px.
    pub fn week() -> Scale {
        Scale { from: 0, minutes: 7 * 24 * 60, px_per_minute: 8.0 / 60.0 }
    }

    /// One day of the week (0 = its first day), 64 px to the hour, for fine work.
    pub fn day(index: i64) -> Scale {
        Scale { from: index * 24 * 60, minutes: 24 * 60, px_per_minute: 64.0 / 60.0 }
    }

    pub fn is_day(&self) -> bool {
        self.minutes == 24 * 60
    }

    pub fn x(&self, minute: i64) -> f64 {
        (minute - self.from) as f64 * self.px_per_minute
    }

    pub fn width(&self) -> f64 {
        self.minutes as f64 * self.px_per_minute
    }

    /// The axis minutes a horizontal distance stands for.
    pub fn minutes_in(&self, px: f64) -> i64 {
        (px / self.px_per_minute).round() as i64
    }

    pub fn shows(&self, from: i64, to: i64) -> bool {
        to > self.from && from < self.from + self.minutes
    }
}

/// Which rows to draw for a scroll position: positions in the ordered list, `[first, last)`.
pub fn rows_in_view(scroll_top: f64, viewport: f64, count: usize) -> (usize, usize) {
    let first = (scroll_top / ROW_HEIGHT).floor().max(0.0) as usize;
    let shown = (viewport / ROW_HEIGHT).ceil() as usize + 1;
    (first.saturating_sub(OVERSCAN).min(count), (first + shown + OVERSCAN).min(count))
}
