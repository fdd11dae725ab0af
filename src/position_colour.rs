//! A position's colour: how a person may write it, the form it is stored in, and the text colour that
//! stays readable on it.

/// Colours offered to a new position in turn, each dark enough for white text (contrast ≥ 4.5:1).
pub const PALETTE: [&str; 8] = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#a21caf"];

/// `#rgb` or `#rrggbb`, any case, as `#rrggbb` in lower case; `None` for anything else.
pub fn normalised(colour: &str) -> Option<String> {
    let hex = colour.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// Black or white, whichever reads better on `colour` (a normalised `#rrggbb`), by WCAG relative
/// luminance.
pub fn text_on(colour: &str) -> &'static str {
    let channel = |i: usize| {
        let value = colour.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0) as f64 / 255.0;
        if value <= 0.03928 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // White's contrast (1.05 / (L + 0.05)) beats black's ((L + 0.05) / 0.05) below L ≈ 0.179.
    if luminance < 0.179 {
        "#ffffff"
    } else {
        "#111111"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_upper_case_colours_are_stored_in_one_form() {
        assert_eq!(normalised("#1D4ED8").as_deref(), Some("#1d4ed8"));
        assert_eq!(normalised(" #fa0 ").as_deref(), Some("#ffaa00"));
        for bad in ["1d4ed8", "#1d4ed", "#1d4ed8ff", "#ggg", "", "#", "red"] {
            assert_eq!(normalised(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_stays_readable_on_light_and_dark_colours() {
        assert_eq!(text_on("#ffffff"), "#111111");
        assert_eq!(text_on("#fde047"), "#111111");
        assert_eq!(text_on("#000000"), "#ffffff");
        for colour in PALETTE {
            assert_eq!(text_on(colour), "#ffffff", "{colour}");
        }
    }
}
