//! Plugins of every kind: the categories a backend uses (built in, or registered by the
//! crate's build.rs), the provider, the frontends, and general commands found on `PATH`
//! the cargo way: `cargo amplify <name>` runs `cargo-amplify-<name>`.
//!
//! A general plugin gets the project's context in its environment:
//! `AMPLIFY_PROJECT_ROOT` (the crate holding `amplify/`), `AMPLIFY_ENV` (the current
//! environment), `AMPLIFY_META` (`amplify/backend/amplify-meta.json`), `AMPLIFY_PLAN`
//! (the deployment plan), `AMPLIFY_CLI_VERSION`; each is left out when there is no such
//! thing (outside a project, before `init`). Its arguments follow its name; its exit
//! code is the command's.

pub(crate) mod hooks;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_build::plan::{Plan, PLAN_FILE};
use amplify_build::Registry;
use serde::Serialize;

use crate::cli::commands::provider::PROVIDERS;
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::frontend::FRONTENDS;
use crate::cli::state::project::{read_json, Project};

/// The executable name prefix of general plugins.
const PREFIX: &str = "cargo-amplify-";

/// Every plugin, by type.
#[derive(Debug, Serialize)]
pub struct PluginList {
    categories: Vec<CategoryPlugin>,
    providers: Vec<&'static str>,
    frontends: Vec<&'static str>,
    general: Vec<GeneralPlugin>,
}

#[derive(Debug, Serialize)]
struct CategoryPlugin {
    attribute: String,
    category: String,
    service: String,
    /// `builtin`, or `crate` for one the crate's build.rs registers.
    source: &'static str,
}

#[derive(Debug, Serialize)]
struct GeneralPlugin {
    /// `cargo amplify <name>`.
    name: String,
    path: PathBuf,
    /// A built-in command of the same name runs instead: the plugin never does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    shadowed: bool,
}

/// Lists every plugin: built-in categories, the crate's own (from its last synthesis),
/// the provider, the frontends and the executables on `PATH`.
pub fn list(project: Option<&Project>, builtin_commands: &[String]) -> Result<PluginList> {
    let mut categories: Vec<CategoryPlugin> = Registry::builtin()
        .iter()
        .map(|k| {
            let d = k.descriptor();
            CategoryPlugin {
                attribute: d.attribute.into(),
                category: d.category.into(),
                service: d.service.into(),
                source: "builtin",
            }
        })
        .collect();
    if let Some(project) = project {
        let plan: Option<Plan> = read_json(&project.root.join(PLAN_FILE))?;
        for c in plan.map(|p| p.categories).unwrap_or_default() {
            if !categories.iter().any(|b| b.attribute == c.attribute) {
                categories.push(CategoryPlugin {
                    attribute: c.attribute,
                    category: c.category,
                    service: c.service,
                    source: "crate",
                });
            }
        }
    }
    Ok(PluginList {
        categories,
        providers: PROVIDERS.iter().map(|p| p.name()).collect(),
        frontends: FRONTENDS.iter().map(|f| f.name()).collect(),
        general: discover()
            .into_iter()
            .map(|g| GeneralPlugin {
                shadowed: builtin_commands.contains(&g.name),
                ..g
            })
            .collect(),
    })
}

/// Prints the list, as a table or as JSON.
pub fn print(list: &PluginList, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(list).expect("the list serialises")
        );
        return;
    }
    println!("category plugins:");
    for c in &list.categories {
        println!(
            "  #[{}]  {} ({}), {}",
            c.attribute, c.category, c.service, c.source
        );
    }
    println!("provider plugins:\n  {}", list.providers.join(", "));
    println!("frontend plugins:\n  {}", list.frontends.join(", "));
    println!("general plugins (cargo-amplify-<name> on PATH):");
    if list.general.is_empty() {
        println!("  none");
    }
    for g in &list.general {
        let note = if g.shadowed {
            "  (shadowed: the built-in command of that name runs)"
        } else {
            ""
        };
        println!("  {}  {}{note}", g.name, g.path.display());
    }
}

/// Every `cargo-amplify-<name>` executable on `PATH`, first one per name.
fn discover() -> Vec<GeneralPlugin> {
    let mut found: Vec<GeneralPlugin> = Vec::new();
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut here: Vec<GeneralPlugin> = entries
            .flatten()
            .filter_map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                let name = file.strip_prefix(PREFIX)?;
                let name = name
                    .strip_suffix(std::env::consts::EXE_SUFFIX)
                    .unwrap_or(name);
                (is_executable(&e.path()) && !name.is_empty()).then(|| GeneralPlugin {
                    name: name.to_owned(),
                    path: e.path(),
                    shadowed: false,
                })
            })
            .collect();
        here.sort_by(|a, b| a.name.cmp(&b.name));
        for plugin in here {
            if !found.iter().any(|f| f.name == plugin.name) {
                found.push(plugin);
            }
        }
    }
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Runs `cargo amplify <name> <args…>` as `cargo-amplify-<name>`, with the context.
pub fn run_external(argv: &[OsString], project: Option<&Project>) -> Result<u8> {
    let Some((name, args)) = argv.split_first() else {
        return Err(CliError::input("no command given").help("run `cargo amplify help`"));
    };
    let name = name.to_string_lossy();
    let Some(plugin) = discover().into_iter().find(|p| p.name == name) else {
        return Err(CliError::input(format!("no command `{name}`")).help(format!(
            "run `cargo amplify help` for the built-in commands; a plugin for `{name}` is an executable named `{PREFIX}{name}` on PATH (`cargo amplify plugin list` shows the ones found)"
        )));
    };
    tracing::info!(plugin = %plugin.path.display(), "running a general plugin");
    let mut command = Command::new(&plugin.path);
    command
        .args(args)
        .env("AMPLIFY_CLI_VERSION", env!("CARGO_PKG_VERSION"));
    if let Some(project) = project {
        command.env("AMPLIFY_PROJECT_ROOT", &project.root);
        if let Ok(Some(env)) = project.current_env() {
            command.env("AMPLIFY_ENV", env);
        }
        let meta = project.root.join("amplify/backend/amplify-meta.json");
        if meta.is_file() {
            command.env("AMPLIFY_META", meta);
        }
        let plan = project.root.join(PLAN_FILE);
        if plan.is_file() {
            command.env("AMPLIFY_PLAN", plan);
        }
    }
    let status = command.status().map_err(|e| {
        CliError::new(
            Kind::Other,
            format!("cannot run `{}`: {e}", plugin.path.display()),
        )
    })?;
    // A plugin killed by a signal has no code; report it as a failure.
    Ok(status.code().map_or(1, |c| c.clamp(0, 255) as u8))
}
