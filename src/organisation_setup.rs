//! What a new organisation must be given before it exists: a name, the time zone its weeks are counted
//! in, the currency its pay is in, and the address (slug) it is known by. Pure, so the sign-up form and
//! the server judge the same way; PostgreSQL holds the same rules as constraints
//! (migrations/0012_organisation_sign_up.sql).

use chrono_tz::Tz;

/// Why a value is refused, for the field it came in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub field: &'static str,
    pub message: String,
}

impl Refused {
    fn new(field: &'static str, message: impl Into<String>) -> Refused {
        Refused { field, message: message.into() }
    }
}

pub const MAX_NAME_CHARS: usize = 100;

/// The name, trimmed: 1 to 100 characters, no control characters.
pub fn checked_name(name: &str) -> Result<&str, Refused> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Refused::new("organisation_name", format!("must be 1 to {MAX_NAME_CHARS} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(Refused::new("organisation_name", "must not contain control characters"));
    }
    Ok(name)
}

/// An IANA zone name (`Europe/Berlin`), as the calendar itself knows zones.
pub fn checked_time_zone(zone: &str) -> Result<Tz, Refused> {
    zone.trim()
        .parse::<Tz>()
        .map_err(|_| Refused::new("time_zone", format!("'{}' is not an IANA time zone such as Europe/Berlin", zone.trim())))
}

/// An ISO 4217-shaped code, upper-cased: three letters (`EUR`, `usd` → `USD`).
pub fn checked_currency(code: &str) -> Result<String, Refused> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(Refused::new("currency", "must be a three-letter currency code such as EUR or USD"))
    }
}

/// The address an organisation's name suggests: lower-case letters and digits joined by single hyphens
/// (`Café Müller & Söhne` → `cafe-muller-sohne`), never empty, at most 40 characters.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(plain_letters) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "organisation".to_string()
    } else {
        slug.to_string()
    }
}

/// The slug with a number appended, for the `n`th organisation that wants the same one (n ≥ 2).
pub fn numbered_slug(slug: &str, n: u32) -> String {
    format!("{slug}-{n}")
}

/// Latin letters with accents as their plain letters, so a name keeps its readable part in the slug.
fn plain_letters(c: char) -> Vec<char> {
    let plain = match c {
        'à'..='å' | 'À'..='Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è'..='ë' | 'È'..='Ë' => "e",
        'ì'..='ï' | 'Ì'..='Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => "o",
        'ù'..='ü' | 'Ù'..='Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        _ => return vec![c],
    };
    plain.chars().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_name_is_trimmed_and_refused_when_blank_too_long_or_holding_control_characters() {
        assert_eq!(checked_name("  Café Müller ").unwrap(), "Café Müller");
        assert_eq!(checked_name("   ").unwrap_err().field, "organisation_name");
        assert!(checked_name(&"x".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(checked_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(checked_name("Bad\u{7}Name").is_err());
    }

    #[test]
    fn zones_are_iana_names_and_currencies_three_letters() {
        assert_eq!(checked_time_zone(" America/New_York ").unwrap(), chrono_tz::America::New_York);
        assert_eq!(checked_time_zone("Mars/Olympus").unwrap_err().field, "time_zone");
        assert_eq!(checked_currency(" usd ").unwrap(), "USD");
        for bad in ["", "EU", "EURO", "E1R", "€€€"] {
            assert_eq!(checked_currency(bad).unwrap_err().field, "currency", "{bad}");
        }
    }

    #[test]
    fn a_slug_keeps_the_readable_part_of_the_name() {
        assert_eq!(slug_of("Café Müller & Söhne"), "cafe-muller-sohne");
        assert_eq!(slug_of("  --Bäckerei  Groß-- "), "backerei-gross");
        assert_eq!(slug_of("東京"), "organisation");
        assert_eq!(numbered_slug("cafe", 2), "cafe-2");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn every_slug_fits_the_stored_format(name in "\\PC{0,80}") {
            let slug = slug_of(&name);
            prop_assert!(!slug.is_empty() && slug.len() <= 40);
            prop_assert!(slug.chars().next().unwrap().is_ascii_alphanumeric());
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.ends_with('-') && !slug.contains("--"));
        }
    }
}
