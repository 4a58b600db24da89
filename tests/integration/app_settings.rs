//! The settings an app's own code reads land in the env profiles: a secret it unwraps, its
//! database URL under its own name, and the `.cargo/config.toml` `[env]` entries it reads.

use crate::support::Fixture;

/// `KEY=value` lines of a profile, comments left out.
fn values(profile: &str) -> Vec<(String, String)> {
    profile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once('=').expect("KEY=value");
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn value<'a>(values: &'a [(String, String)], key: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The comment line right above `key=` in a profile.
fn note<'a>(profile: &'a str, key: &str) -> &'a str {
    let lines: Vec<&str> = profile.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key} in {profile}"));
    lines[at - 1]
}

#[test]
fn profiles_set_what_the_code_needs_to_start() {
    let fx = Fixture::new("appenv");
    fx.cmd(&["init", "--yes", "--no-git", "--services", "postgres"])
        .assert()
        .success();
    let dev = fx.read("docker/env/dev.env.sh");
    let prod = fx.read("docker/env/prod.env.sh.example");
    let dev_values = values(&dev);

    // The catalog's variable is still set, and the app's own name gets the same URL.
    let url = "postgres://app:app@postgres:5432/appenv";
    assert_eq!(value(&dev_values, "DATABASE_URL"), Some(url), "{dev}");
    assert_eq!(value(&dev_values, "APPENV_DB_URL"), Some(url), "{dev}");

    // A development secret: stable, long, said to be for development only.
    let secret = value(&dev_values, "APP_SECRET").expect("APP_SECRET");
    assert_eq!(secret.len(), 128);
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        note(&dev, "APP_SECRET").contains("development only"),
        "{dev}"
    );
    assert!(note(&dev, "APP_SECRET").contains("src/main.rs:8"), "{dev}");

    // `.cargo/config.toml` [env] entries the code reads; the one it does not read is left out.
    assert_eq!(
        value(&dev_values, "APPENV_WEB_FOLDER"),
        Some("web-folder/"),
        "{dev}"
    );
    assert_eq!(value(&dev_values, "APPENV_DATA_DIR"), Some("/app/data"));
    assert_eq!(value(&dev_values, "NOT_READ"), None);
    assert_eq!(value(&dev_values, "PORT"), None, "set by the Compose files");

    // Production: every one listed with a hint and an empty value; no development secret.
    let prod_values = values(&prod);
    for key in [
        "APP_SECRET",
        "APPENV_DB_URL",
        "APPENV_WEB_FOLDER",
        "APPENV_DATA_DIR",
    ] {
        assert_eq!(value(&prod_values, key), Some(""), "{key} in {prod}");
        assert!(note(&prod, key).contains("src/main.rs:"), "{prod}");
    }
    assert!(note(&prod, "APP_SECRET").contains("secret"), "{prod}");
    assert!(!prod.contains(secret), "{prod}");

    // Re-rendering gives the same secret.
    fx.cmd(&["update", "--no-git"]).assert().success();
    assert_eq!(fx.read("docker/env/dev.env.sh"), dev);
}
