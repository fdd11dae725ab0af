//! Commands the operator runs on the server's shell, for scripted installs:
//!
//! ```text
//! server create-organisation --name "Harbour Bakery" --time-zone Europe/Lisbon --currency EUR \
//!        [--week-starts-on sunday] --admin-name "Inês Costa" --admin-email ines@harbour.test [--public-url https://mosaic.example]
//! ```
//!
//! creates the organisation with its first administrator, whatever `MOSAIC_SIGNUP` says, and prints a
//! one-time link through which the administrator chooses a password.

use mosaic::local_time::WeekStart;
use mosaic::services::sign_up::{self, FirstAdmin, OperatorOrganisation};
use sqlx::PgPool;

pub const USAGE: &str = "usage: server create-organisation --name <name> --time-zone <IANA zone> [--currency <code>] \
                         [--week-starts-on monday|sunday] --admin-name <name> --admin-email <email> [--public-url <https://host>]";

/// What `create-organisation` was asked to make, and where the printed link points.
#[derive(Debug, PartialEq)]
pub struct CreateOrganisation {
    pub organisation: OperatorOrganisationArgs,
    pub public_url: Option<String>,
}

/// The flags as given; the service checks their values.
#[derive(Debug, PartialEq, Default)]
pub struct OperatorOrganisationArgs {
    pub name: String,
    pub time_zone: String,
    pub currency: String,
    pub week_starts_on: WeekStart,
    pub admin_name: String,
    pub admin_email: String,
}

/// Reads `--flag value` pairs; every flag but `--currency` (EUR), `--week-starts-on` (monday) and
/// `--public-url` is required.
pub fn parse(args: &[String]) -> Result<CreateOrganisation, String> {
    let mut made = OperatorOrganisationArgs { currency: "EUR".into(), ..Default::default() };
    let mut public_url = None;
    let mut pairs = args.iter();
    while let Some(flag) = pairs.next() {
        let value = pairs.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?.clone();
        match flag.as_str() {
            "--name" => made.name = value,
            "--time-zone" => made.time_zone = value,
            "--currency" => made.currency = value,
            "--week-starts-on" => {
                made.week_starts_on = WeekStart::parse(&value)
                    .ok_or_else(|| format!("--week-starts-on is monday or sunday, not {value}\n{USAGE}"))?
            }
            "--admin-name" => made.admin_name = value,
            "--admin-email" => made.admin_email = value,
            "--public-url" => public_url = Some(value.trim_end_matches('/').to_string()),
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    for (flag, value) in [
        ("--name", &made.name),
        ("--time-zone", &made.time_zone),
        ("--admin-name", &made.admin_name),
        ("--admin-email", &made.admin_email),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{flag} is required\n{USAGE}"));
        }
    }
    Ok(CreateOrganisation { organisation: made, public_url })
}

/// Creates the organisation and says, in lines for the shell, how its administrator gets in.
pub async fn create_organisation(pool: &PgPool, command: CreateOrganisation, default_url: &str) -> Result<String, String> {
    let args = command.organisation;
    let new = OperatorOrganisation {
        organisation_name: args.name,
        time_zone: args.time_zone,
        currency: args.currency,
        week_starts_on: args.week_starts_on,
        admin_name: args.admin_name,
        admin_email: args.admin_email.clone(),
    };
    let (slug, first_admin) = sign_up::create_by_operator(pool, new).await.map_err(|e| e.to_string())?;
    let base = command.public_url.unwrap_or_else(|| default_url.to_string());
    Ok(match first_admin {
        FirstAdmin::NewAccount(link) => format!(
            "Created the organisation \"{slug}\".\n{} chooses a password at this link (it works once, until {}):\n{base}/password/{}",
            args.admin_email,
            link.expires_at.format("%Y-%m-%d %H:%M UTC"),
            link.secret
        ),
        FirstAdmin::ExistingAccount => format!(
            "Created the organisation \"{slug}\".\n{} already has an account and signs in with its password at {base}/sign-in",
            args.admin_email
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &[&str]) -> Vec<String> {
        text.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_are_read_in_any_order_and_a_missing_or_unknown_one_is_named() {
        let parsed = parse(&args(&[
            "--admin-email",
            "ines@harbour.test",
            "--name",
            "Harbour",
            "--time-zone",
            "Europe/Lisbon",
            "--admin-name",
            "Inês",
            "--public-url",
            "https://mosaic.example/",
        ]))
        .unwrap();
        assert_eq!(parsed.organisation.currency, "EUR");
        assert_eq!(parsed.public_url.as_deref(), Some("https://mosaic.example"));
        assert!(parse(&args(&["--name", "Harbour"])).unwrap_err().starts_with("--time-zone is required"));
        assert!(parse(&args(&["--name"])).unwrap_err().starts_with("--name needs a value"));
        assert!(parse(&args(&["--plan", "gold"])).unwrap_err().starts_with("unknown flag --plan"));
        assert!(parse(&args(&["--week-starts-on", "friday"])).unwrap_err().starts_with("--week-starts-on is monday or sunday"));
        assert_eq!(parsed.organisation.week_starts_on, WeekStart::Monday);
    }
}
