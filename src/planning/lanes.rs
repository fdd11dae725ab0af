//! Where the blocks of one calendar row sit when they would cover each other: side by side in lanes,
//! one above the other, so a double booking shows both shifts instead of hiding one.

/// A block on a row in axis minutes, half-open: `[from, to)`. `to` is where it ends on screen, which
/// may lie past the shift's end when its label needs more room than its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub from: i64,
    pub to: i64,
}

impl Extent {
    /// At least `label_minutes` wide, so a short shift's label never runs into the next block.
    pub fn labelled(from: i64, to: i64, label_minutes: i64) -> Extent {
        Extent { from, to: to.max(from + label_minutes.max(1)) }
    }

    fn covers(&self, other: &Extent) -> bool {
        self.from < other.to && other.from < self.to
    }
}

/// Each block's lane (0 is the top one), in the order given, and how many lanes the row needs.
///
/// Blocks are taken by start and each goes to the first lane that is free by then: the fewest lanes
/// possible (as many as blocks cover one moment at most), and a block keeps its lane when a later one
/// changes.
pub fn lanes(extents: &[Extent]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..extents.len()).collect();
    order.sort_by_key(|&i| (extents[i].from, extents[i].to, i));
    let mut lane_ends: Vec<i64> = Vec::new();
    let mut lane_of = vec![0; extents.len()];
    for i in order {
        let extent = extents[i];
        let lane = match lane_ends.iter().position(|&end| end <= extent.from) {
            Some(free) => free,
            None => {
                lane_ends.push(i64::MIN);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = extent.to.max(extent.from);
        lane_of[i] = lane;
    }
    (lane_of, lane_ends.len().max(1))
}

/// Whether any two of `extents` share a lane while covering each other (never, for what `lanes` gives).
pub fn collide(extents: &[Extent], lane_of: &[usize]) -> bool {
    (0..extents.len()).any(|a| (a + 1..extents.len()).any(|b| lane_of[a] == lane_of[b] && extents[a].covers(&extents[b])))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn at(from: i64, to: i64) -> Extent {
        Extent { from, to }
    }

    #[test]
    fn a_double_booking_takes_two_lanes_and_the_shift_after_it_goes_back_up() {
        let row = [at(420, 900), at(600, 840), at(1860, 2340)];
        let (lane_of, count) = lanes(&row);
        assert_eq!(count, 2);
        assert_eq!(lane_of, vec![0, 1, 0]);
    }

    #[test]
    fn shifts_that_only_touch_share_a_lane() {
        let (lane_of, count) = lanes(&[at(0, 480), at(480, 960)]);
        assert_eq!((lane_of, count), (vec![0, 0], 1));
    }

    #[test]
    fn an_empty_row_still_has_one_lane() {
        assert_eq!(lanes(&[]), (vec![], 1));
    }

    #[test]
    fn a_short_shift_is_as_wide_as_its_label() {
        assert_eq!(Extent::labelled(600, 630, 90), at(600, 690));
        assert_eq!(Extent::labelled(600, 900, 90), at(600, 900));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn rows() -> impl Strategy<Value = Vec<Extent>> {
            prop::collection::vec((0i64..3000, 1i64..900), 0..14)
                .prop_map(|spans| spans.into_iter().map(|(from, length)| at(from, from + length)).collect())
        }

        /// The most blocks covering one moment: no arrangement can use fewer lanes.
        fn deepest(extents: &[Extent]) -> usize {
            extents.iter().map(|e| extents.iter().filter(|o| o.from <= e.from && e.from < o.to).count()).max().unwrap_or(0)
        }

        proptest! {
            /// No two blocks that cover each other share a lane, and every lane is one the row has.
            #[test]
            fn blocks_in_one_lane_never_cover_each_other(row in rows()) {
                let (lane_of, count) = lanes(&row);
                prop_assert!(!collide(&row, &lane_of));
                prop_assert!(lane_of.iter().all(|&l| l < count));
            }

            /// The row grows only as far as the deepest overlap makes it.
            #[test]
            fn a_row_has_as_many_lanes_as_blocks_cover_one_moment(row in rows()) {
                let (_, count) = lanes(&row);
                prop_assert_eq!(count, deepest(&row).max(1));
            }

            /// The order the shifts arrive in does not change how tall the row is.
            #[test]
            fn the_order_of_the_blocks_does_not_change_the_lanes_needed(row in rows(), seed in any::<u64>()) {
                let mut shuffled = row.clone();
                let n = shuffled.len();
                for i in 0..n {
                    shuffled.swap(i, (seed as usize).wrapping_mul(i + 7) % n.max(1));
                }
                prop_assert_eq!(lanes(&row).1, lanes(&shuffled).1);
            }
        }
    }
}
