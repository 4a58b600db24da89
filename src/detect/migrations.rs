//! Database migrations and the tool that runs them (sqlx-cli, diesel, sea-orm's migrator).

use crate::workspace::Workspace;

/// How the workspace's migrations are run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationTool {
    /// `sqlx migrate run`, with sqlx-cli built for this database (`postgres`, `mysql`, `sqlite`).
    Sqlx {
        database: &'static str,
        /// The resolved sqlx version; sqlx-cli is installed from the same minor series.
        version: String,
        /// The app embeds them (`sqlx::migrate!`) and applies them itself.
        embedded: bool,
    },
    /// `diesel migration run`, with diesel_cli built for this database.
    Diesel { database: &'static str },
    /// The sea-orm migrator package's binary: `cargo run -p <package> -- up`.
    SeaOrm { package: String },
}

/// The migrations found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrations {
    pub tool: MigrationTool,
    /// The migrations folder, relative to the workspace root.
    pub dir: String,
}

/// Finds the migration tool from the graph and a `migrations/` folder.
pub fn detect(ws: &Workspace) -> Option<Migrations> {
    let package = |name: &str| ws.packages.iter().find(|p| p.name == name);
    let database = |krate: &str| -> Option<&'static str> {
        let p = package(krate)?;
        ["postgres", "mysql", "sqlite"]
            .into_iter()
            .find(|db| p.has_feature(db))
    };
    if package("sea-orm-migration").is_some()
        && let Some(bin) = ws.bins.iter().find(|b| b.name == "migration")
    {
        return Some(Migrations {
            tool: MigrationTool::SeaOrm {
                package: bin.package.clone(),
            },
            dir: ws
                .migration_dirs
                .first()
                .cloned()
                .unwrap_or_else(|| bin.package.clone()),
        });
    }
    let dir = ws.migration_dirs.first()?.clone();
    if package("sqlx").is_some_and(|p| p.has_feature("migrate")) {
        let database = database("sqlx")?;
        let version = package("sqlx")
            .map(|p| p.version.clone())
            .unwrap_or_default();
        let embedded = ws
            .sources
            .iter()
            .any(|(_, text)| text.contains("migrate!("));
        return Some(Migrations {
            tool: MigrationTool::Sqlx {
                database,
                version,
                embedded,
            },
            dir,
        });
    }
    if package("diesel_migrations").is_some() || package("diesel").is_some() {
        let database = database("diesel")?;
        return Some(Migrations {
            tool: MigrationTool::Diesel { database },
            dir,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn sqlx_migrations_the_app_embeds_need_no_cli_in_development() {
        let mut ws = workspace_with(&["sqlx[migrate,postgres]"]);
        ws.migration_dirs = vec!["migrations".into()];
        ws.sources = vec![(
            "src/main.rs".into(),
            "sqlx::migrate!().run(&db).await?;".into(),
        )];
        assert!(matches!(
            detect(&ws).unwrap().tool,
            MigrationTool::Sqlx { embedded: true, .. }
        ));
    }

    #[test]
    fn sqlx_with_migrate_and_a_folder() {
        let mut ws = workspace_with(&["sqlx[migrate,postgres]"]);
        assert_eq!(detect(&ws), None, "no migrations folder, nothing to run");
        ws.migration_dirs = vec!["migrations".into()];
        assert_eq!(
            detect(&ws),
            Some(Migrations {
                tool: MigrationTool::Sqlx {
                    database: "postgres",
                    version: "1.0.0".into(),
                    embedded: false,
                },
                dir: "migrations".into()
            })
        );
    }

    #[test]
    fn sqlx_without_migrate_is_not_a_migrator() {
        let mut ws = workspace_with(&["sqlx[postgres]"]);
        ws.migration_dirs = vec!["migrations".into()];
        assert_eq!(detect(&ws), None);
    }

    #[test]
    fn diesel_and_sea_orm() {
        let mut ws = workspace_with(&["diesel[postgres]", "diesel_migrations"]);
        ws.migration_dirs = vec!["migrations".into()];
        assert_eq!(
            detect(&ws).unwrap().tool,
            MigrationTool::Diesel {
                database: "postgres"
            }
        );

        let mut ws = workspace_with(&["sea-orm-migration"]);
        ws.bins = crate::detect::test_support::bins("migration", &["migration"]);
        assert_eq!(
            detect(&ws).unwrap().tool,
            MigrationTool::SeaOrm {
                package: "migration".into()
            }
        );
    }
}
