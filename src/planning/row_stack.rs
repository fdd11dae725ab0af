//! The calendar's rows stacked top to bottom, each as tall as its lanes make it: where each begins,
//! which are in view for a scroll position, and which one a point falls on. Only the rows in view are
//! drawn, so 2,000 workers scroll as smoothly as twenty.

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowStack {
    /// Where each row begins, and where the last one ends: one more entry than there are rows.
    tops: Vec<f64>,
}

impl RowStack {
    pub fn new(heights: impl IntoIterator<Item = f64>) -> RowStack {
        let mut tops = vec![0.0];
        for height in heights {
            let last = tops[tops.len() - 1];
            tops.push(last + height.max(0.0));
        }
        RowStack { tops }
    }

    pub fn len(&self) -> usize {
        self.tops.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where row `index` begins; past the end, where the last row ends.
    pub fn top(&self, index: usize) -> f64 {
        self.tops[index.min(self.len())]
    }

    pub fn height_of(&self, index: usize) -> f64 {
        self.top(index + 1) - self.top(index)
    }

    /// All the rows together.
    pub fn height(&self) -> f64 {
        self.tops[self.len()]
    }

    /// The row at height `y`; above the first row the first, below the last the last.
    pub fn at(&self, y: f64) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        // The first top past `y`, less one, is the row that holds it.
        let after = self.tops[1..].partition_point(|&top| top <= y);
        Some(after.min(self.len() - 1))
    }

    /// The rows to draw for a scroll position, `[first, last)`, with `overscan` more on either side so
    /// a quick scroll shows no gap.
    pub fn in_view(&self, scroll_top: f64, viewport: f64, overscan: usize) -> (usize, usize) {
        let Some(first) = self.at(scroll_top.max(0.0)) else { return (0, 0) };
        let last = self.at(scroll_top.max(0.0) + viewport.max(0.0)).unwrap_or(first) + 1;
        (first.saturating_sub(overscan), (last + overscan).min(self.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_row_with_two_lanes_pushes_the_rows_below_it_down() {
        let stack = RowStack::new([44.0, 84.0, 44.0]);
        assert_eq!((stack.top(1), stack.top(2), stack.height()), (44.0, 128.0, 172.0));
        assert_eq!(stack.at(100.0), Some(1));
        assert_eq!(stack.at(128.0), Some(2));
        assert_eq!(stack.at(-5.0), Some(0));
        assert_eq!(stack.at(10_000.0), Some(2));
    }

    #[test]
    fn no_rows_are_in_view_of_an_empty_calendar() {
        assert_eq!(RowStack::new([]).in_view(0.0, 700.0, 8), (0, 0));
        assert_eq!(RowStack::new([]).at(0.0), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn heights() -> impl Strategy<Value = Vec<f64>> {
            prop::collection::vec(prop::sample::select(vec![32.0, 44.0, 84.0, 124.0]), 0..300)
        }

        proptest! {
            /// A point inside a row finds that row.
            #[test]
            fn every_row_is_found_at_its_own_height(heights in heights(), within in 0.0f64..1.0) {
                let stack = RowStack::new(heights.clone());
                for i in 0..heights.len() {
                    prop_assert_eq!(stack.at(stack.top(i) + within * (heights[i] - 0.01)), Some(i));
                }
            }

            /// Every row that shows any part of itself in the viewport is drawn.
            #[test]
            fn every_row_in_the_viewport_is_drawn(heights in heights(), scroll in 0.0f64..20_000.0, viewport in 100.0f64..1200.0, overscan in 0usize..10) {
                let stack = RowStack::new(heights.clone());
                let (first, last) = stack.in_view(scroll, viewport, overscan);
                prop_assert!(first <= last && last <= heights.len());
                for i in 0..heights.len() {
                    let shown = stack.top(i + 1) > scroll && stack.top(i) < scroll + viewport;
                    if shown {
                        prop_assert!(first <= i && i < last, "row {i} in view but {first}..{last} drawn");
                    }
                }
            }
        }
    }
}
