//! Which production settings an orchestrator keeps as secrets (Swarm secrets, Kubernetes Secrets).

/// Whether a variable is a secret on an orchestrator: its name says it is a credential, or
/// it is a connection URL or DSN, which carries one when the value is not known here.
pub fn is_secret(var: &str) -> bool {
    crate::detect::is_secret(var)
        || var.ends_with("_URL")
        || var.ends_with("_URI")
        || var.ends_with("_DSN")
        || var.contains("ACCESS_KEY")
        || var.contains("SECRET")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_credentials_are_secrets_names_and_regions_are_not() {
        for var in [
            "DATABASE_URL",
            "REDIS_URL",
            "APP_REDIS_URI",
            "PG_DSN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "SENTRY_DSN",
            "JWT_SECRET",
            "API_TOKEN",
        ] {
            assert!(is_secret(var), "{var}");
        }
        for var in ["AWS_REGION", "S3_BUCKET", "RUST_LOG", "APP_NAME"] {
            assert!(!is_secret(var), "{var}");
        }
    }
}
