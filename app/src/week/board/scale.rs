//! How the calendar lays time and rows out on the screen.
//!
//! Time is laid out in fractions of the track, not pixels, so the server's page already fills any
//! window and a resize redraws nothing; the browser measures the track only where pixels matter (a
//! drag's distance, how wide a label is against its shift).

/// A row with one lane: a block and the gaps above and below it.
pub const LANE_HEIGHT: f64 = 40.0;
/// Above the first lane and below the last.
pub const ROW_PADDING: f64 = 4.0;
/// A group's heading between rows.
pub const HEADING_HEIGHT: f64 = 44.0;
/// Rows drawn beyond those in view on each side, so a quick scroll shows no gap.
pub const OVERSCAN: usize = 8;
/// The scroll area's height before the browser has measured it (the server renders this many rows).
pub const ASSUMED_VIEWPORT: f64 = 720.0;
/// The track's width before the browser has measured it: a 1440-pixel window's.
pub const ASSUMED_TRACK_PX: f64 = 1180.0;
/// A drag this close to the roster's top or bottom edge scrolls it.
pub const EDGE_SCROLL_PX: f64 = 36.0;
/// A pointer must travel this far before a press becomes a drag; less is a click.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;
/// A week track narrower than this at Fit (a phone's) leaves a day too little room for one shift.
pub const NARROW_WEEK_PX: f64 = 560.0;
/// The zoom steps: the week or day fits the window, or is this many times wider and scrolls.
pub const ZOOMS: [f64; 3] = [1.0, 2.0, 4.0];

/// The stretch of the axis on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// First axis minute shown.
    pub from: i64,
    pub minutes: i64,
}

impl Scale {
    /// The whole week.
    pub fn week() -> Scale {
        Scale { from: 0, minutes: 7 * 24 * 60 }
    }

    /// Part of one day of the week (0 = its first day), `from` and `to` minutes into it, for fine work.
    pub fn day(index: i64, from: i64, to: i64) -> Scale {
        let (from, to) = (from.clamp(0, 24 * 60), to.clamp(0, 24 * 60));
        let (from, to) = if to > from { (from, to) } else { (0, 24 * 60) };
        Scale { from: index * 24 * 60 + from, minutes: to - from }
    }

    pub fn is_day(&self) -> bool {
        self.minutes <= 24 * 60
    }

    /// The local day this scale shows, counted from the week's first (0 for the week view).
    pub fn day_index(&self) -> i64 {
        self.from.div_euclid(24 * 60)
    }

    /// Whether it shows the whole of its day rather than business hours.
    pub fn whole_day(&self) -> bool {
        self.minutes == 24 * 60
    }

    /// Where `minute` sits, as a fraction of the track (0 at its left edge, 1 at its right).
    pub fn fraction(&self, minute: i64) -> f64 {
        (minute - self.from) as f64 / self.minutes as f64
    }

    /// `minute`'s place as a percentage of the track, for CSS.
    pub fn percent(&self, minute: i64) -> f64 {
        self.fraction(minute) * 100.0
    }

    /// The axis minutes a horizontal distance stands for on a track `track_px` wide.
    pub fn minutes_in(&self, px: f64, track_px: f64) -> i64 {
        (px / track_px.max(1.0) * self.minutes as f64).round() as i64
    }

    /// How many axis minutes `px` pixels cover on a track `track_px` wide, rounded up.
    pub fn minutes_covering(&self, px: f64, track_px: f64) -> i64 {
        (px / track_px.max(1.0) * self.minutes as f64).ceil() as i64
    }

    pub fn shows(&self, from: i64, to: i64) -> bool {
        to > self.from && from < self.from + self.minutes
    }
}

/// How tall a row of `lanes` lanes is.
pub fn row_height(lanes: usize) -> f64 {
    lanes.max(1) as f64 * LANE_HEIGHT + 2.0 * ROW_PADDING
}

/// Roughly how many pixels a block's label needs: its longer line ("07:00–15:00", or the role) in the
/// calendar's small type, the padding, the stripe and the conflict mark. An over-estimate only gives a
/// short shift a little more room; the CSS still lets a block grow to its text.
pub fn label_px(role: &str, marked: bool) -> f64 {
    const TIMES_CHARS: usize = 11; // "07:00–15:00"
    let longest = TIMES_CHARS.max(role.chars().count()) as f64;
    longest * 7.4 + 24.0 + if marked { 16.0 } else { 0.0 }
}
