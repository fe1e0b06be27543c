//! The deployment plan, current with the crate's sources. Synthesis writes it from the
//! crate's build script, with every category the crate registers there; this module only
//! reads it, and when a file it was made from changed (or it is missing) runs the build
//! script again through cargo, as `cargo build` would. A crate without a build script is
//! synthesised here with the built-in categories.

use std::process::Command;

use amplify_build::plan::{Plan, PLAN_FILE, PLAN_FORMAT};

use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{read_json, Project};

/// The build script re-runs when this variable changes: how a missing plan is restored
/// without touching the user's files.
const RESYNTHESIZE: &str = "AMPLIFY_RS_RESYNTHESIZE";

/// The current plan, synthesising first when needed.
pub fn current_plan(project: &Project) -> Result<Plan> {
    let existing = read_plan(project)?;
    if let Some(plan) = existing.as_ref().filter(|p| is_fresh(project, p)) {
        return Ok(plan.clone());
    }
    if project.root.join("build.rs").is_file() {
        run_build_script(project, existing.is_none())?;
        if existing.is_some() && !read_plan(project)?.is_some_and(|p| is_fresh(project, &p)) {
            // Cargo saw no reason to re-run the build script; make it.
            run_build_script(project, true)?;
        }
    } else {
        synthesize_here(project)?;
    }
    match read_plan(project)? {
        Some(plan) if is_fresh(project, &plan) => Ok(plan),
        _ => Err(CliError::input(format!(
            "the backend of `{}` was not synthesised from its current sources",
            project.root.display()
        ))
        .help("fix the errors `cargo build` reports for the `#[amplify::backend]` module (and check that build.rs calls amplify_build); nothing was deployed")),
    }
}

fn read_plan(project: &Project) -> Result<Option<Plan>> {
    let plan: Option<Plan> = read_json(&project.root.join(PLAN_FILE)).ok().flatten();
    Ok(plan.filter(|p| p.format == PLAN_FORMAT))
}

/// Whether every file the plan was made from still has the bytes it had, and every
/// template it was made into too.
fn is_fresh(project: &Project, plan: &Plan) -> bool {
    let inputs = plan.inputs.iter().all(|input| {
        let path = project.root.join(&input.path);
        std::fs::read(path)
            .map(|bytes| amplify_build::plan::content_hash(&bytes) == input.sha256)
            .unwrap_or(false)
    });
    inputs && templates_intact(project, plan)
}

/// Whether each template synthesis wrote still has its bytes: its key in the deployment
/// bucket ends with their content hash. Another tool may have rewritten one in the folder
/// (the Amplify CLI's `export` builds the root stack and function templates its own way),
/// and cargo would not run the build script again for that.
fn templates_intact(project: &Project, plan: &Plan) -> bool {
    let root = std::iter::once((&plan.root.template, &plan.root.template_key));
    let links = plan
        .root
        .links
        .iter()
        .map(|l| (&l.template, &l.template_key));
    let groups = plan
        .root
        .groups
        .iter()
        .map(|g| (&g.template, &g.template_key));
    let stacks = plan.stacks.iter().map(|s| (&s.template, &s.template_key));
    root.chain(links)
        .chain(groups)
        .chain(stacks)
        .all(|(template, key)| {
            std::fs::read(project.root.join(template)).is_ok_and(|bytes| {
                let hash = amplify_build::plan::content_hash(&bytes);
                key.ends_with(&format!("-{hash}.json"))
            })
        })
}

/// `cargo check` of the crate: runs its build script (which synthesises) and shows the
/// declaration's errors at their spans.
fn run_build_script(project: &Project, force: bool) -> Result<()> {
    eprintln!("Synthesising the backend (cargo check) …");
    let mut cmd = Command::new(cargo());
    cmd.args(["check", "--quiet", "--manifest-path"])
        .arg(project.root.join("Cargo.toml"))
        .current_dir(&project.root);
    if force {
        cmd.env(RESYNTHESIZE, nonce());
    }
    tracing::info!(command = ?cmd, "running the build script");
    let status = cmd.status().map_err(|e| {
        CliError::new(
            Kind::Other,
            format!(
                "cannot run `cargo check` in `{}`: {e}",
                project.root.display()
            ),
        )
    })?;
    if !status.success() {
        // The build script may still have synthesised; the caller checks the plan.
        eprintln!("note: `cargo check` reported errors (above)");
    }
    Ok(())
}

/// Synthesis in this process, for a crate that has no build script.
fn synthesize_here(project: &Project) -> Result<()> {
    let report = amplify_build::Config::new().synthesize_in(&project.root)?;
    match report.outcome {
        amplify_build::Outcome::Synthesized { .. } => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            Ok(())
        }
        amplify_build::Outcome::NoBackend => Err(CliError::input(format!(
            "no `#[amplify::backend]` module in the crate at `{}`",
            project.root.display()
        ))
        .help("declare the backend in src/lib.rs or src/main.rs (or a module they include)")),
        amplify_build::Outcome::InvalidDeclaration(problems) => Err(CliError::input(format!(
            "the backend declaration has errors:\n  {}",
            problems.join("\n  ")
        ))
        .help("`cargo build` shows each at its span; nothing was deployed")),
    }
}

fn nonce() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{now}-{}", std::process::id())
}

/// The cargo that runs this subcommand (`CARGO`), else the one on `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
