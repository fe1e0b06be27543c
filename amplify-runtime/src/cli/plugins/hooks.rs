//! Command hooks the Amplify way: `amplify/hooks/pre-<command>[-<sub>].<ext>` runs
//! before a command and `post-…` after it, with the command's context as JSON on stdin.
//!
//! `.sh` runs with `bash`, `.js` with `node`, other extensions through
//! `amplify/hooks/hooks-config.json` (`{"extensions": {"py": {"runtime": "python3",
//! "runtime_options": []}}, "ignore": ["draft.sh"]}`). Hooks run in the project root with
//! only `PATH` in their environment. A failing pre-hook stops the command before it does
//! anything (exit 76); post-hooks run after a failure too, with the error in the payload.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::cli::deploy::events::Phase as DeployPhase;
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{read_json, Project};

/// One run of a command, as hooks see it.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// `push`, `init`, `env`…
    pub command: String,
    /// `checkout` for `env checkout`, `outputs` for `generate outputs`.
    pub sub_command: Option<String>,
    /// The environment the command works on, if known.
    pub env: Option<String>,
    /// The arguments after `cargo amplify`.
    pub argv: Vec<String>,
}

/// `pre` or `post`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before the command.
    Pre,
    /// After it, also when it failed.
    Post,
}

impl Phase {
    fn prefix(self) -> &'static str {
        match self {
            Phase::Pre => "pre",
            Phase::Post => "post",
        }
    }
}

/// `amplify/hooks/hooks-config.json`.
#[derive(Debug, Default, Deserialize)]
struct HooksConfig {
    #[serde(default)]
    extensions: BTreeMap<String, Runtime>,
    #[serde(default)]
    ignore: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Runtime {
    runtime: String,
    #[serde(default)]
    runtime_options: Vec<String>,
}

/// What a hook reads on stdin (Amplify's shape).
#[derive(Serialize)]
struct Payload<'a> {
    data: PayloadData<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<PayloadError<'a>>,
}

#[derive(Serialize)]
struct PayloadData<'a> {
    amplify: AmplifyContext<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AmplifyContext<'a> {
    version: &'static str,
    environment: Environment<'a>,
    command: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_command: Option<&'a str>,
    argv: &'a [String],
    /// What the command's deployments did, phase by phase (post-hooks only).
    #[serde(skip_serializing_if = "<[DeployPhase]>::is_empty")]
    phases: &'a [DeployPhase],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Environment<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    env_name: Option<&'a str>,
    project_path: String,
}

#[derive(Serialize)]
struct PayloadError<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<&'a str>,
}

/// Runs the `phase` hook of `invocation`, if the project has one. `failure` is the
/// command's error, for post-hooks after a failure; `phases` what its deployments did.
pub fn run(
    project: &Project,
    phase: Phase,
    invocation: &Invocation,
    failure: Option<&CliError>,
    phases: &[DeployPhase],
) -> Result<()> {
    let dir = project.root.join("amplify/hooks");
    if !dir.is_dir() {
        return Ok(());
    }
    let config: HooksConfig = read_json(&dir.join("hooks-config.json"))?.unwrap_or_default();
    let Some(hook) = find(&dir, phase, invocation, &config)? else {
        tracing::debug!(phase = phase.prefix(), command = %invocation.command, "no hook");
        return Ok(());
    };
    let payload = Payload {
        data: PayloadData {
            amplify: AmplifyContext {
                version: env!("CARGO_PKG_VERSION"),
                environment: Environment {
                    env_name: invocation.env.as_deref(),
                    project_path: project.root.display().to_string(),
                },
                command: &invocation.command,
                sub_command: invocation.sub_command.as_deref(),
                argv: &invocation.argv,
                phases,
            },
        },
        error: failure.map(|e| PayloadError {
            message: &e.message,
            stack: e.help.as_deref(),
        }),
    };
    let payload = serde_json::to_vec(&payload).expect("the payload serialises");
    execute(project, &hook, &config, &payload, phase)
}

/// The hook file for this phase and command, if there is exactly one.
fn find(
    dir: &Path,
    phase: Phase,
    invocation: &Invocation,
    config: &HooksConfig,
) -> Result<Option<PathBuf>> {
    let stem = match &invocation.sub_command {
        Some(sub) => format!("{}-{}-{sub}", phase.prefix(), invocation.command),
        None => format!("{}-{}", phase.prefix(), invocation.command),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| CliError::io("read", dir, e))?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !config.ignore.iter().any(|i| *i == name)
        })
        .collect();
    found.sort();
    match found.len() {
        0 | 1 => Ok(found.pop()),
        _ => Err(CliError::input(format!(
            "several hooks match `{stem}`: {}",
            found
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help("keep one file per hook, or list the others under `ignore` in amplify/hooks/hooks-config.json")),
    }
}

/// Runs one hook with the payload on stdin; a non-zero exit is [`Kind::Hook`].
fn execute(
    project: &Project,
    hook: &Path,
    config: &HooksConfig,
    payload: &[u8],
    phase: Phase,
) -> Result<()> {
    let ext = hook
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (program, options): (String, Vec<String>) = match (ext.as_str(), config.extensions.get(&ext)) {
        (_, Some(r)) => (r.runtime.clone(), r.runtime_options.clone()),
        ("sh", None) => ("bash".into(), Vec::new()),
        ("js", None) => ("node".into(), Vec::new()),
        _ => {
            return Err(CliError::input(format!(
                "no runtime for hook `{}`",
                hook.display()
            ))
            .help(format!(
                "add `\"extensions\": {{\"{ext}\": {{\"runtime\": \"...\"}}}}` to amplify/hooks/hooks-config.json, or use .sh or .js"
            )))
        }
    };
    let name = hook
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    eprintln!("Running hook {name}");
    let mut child = Command::new(&program)
        .args(&options)
        .arg(hook)
        .current_dir(&project.root)
        .env_clear()
        .envs(std::env::var_os("PATH").map(|p| ("PATH", p)))
        .stdin(Stdio::piped())
        // Standard output is the command's own (`--json` documents, URLs); what a hook
        // prints is shown beside the progress.
        .stdout(std::io::stderr())
        .spawn()
        .map_err(|e| {
            CliError::new(Kind::Hook, format!("cannot run hook `{name}` with `{program}`: {e}"))
                .help(format!("install `{program}` or change the hook's runtime in amplify/hooks/hooks-config.json"))
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its stdin closes the pipe early; that is its choice.
        let _ = stdin.write_all(payload);
    }
    let status = child
        .wait()
        .map_err(|e| CliError::new(Kind::Hook, format!("hook `{name}` did not finish: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(
            CliError::new(Kind::Hook, format!("hook `{name}` failed ({status})")).help(
                match phase {
                    Phase::Pre => format!(
                        "fix or remove `{}`; the command was stopped before it did anything",
                        hook.display()
                    ),
                    Phase::Post => format!(
                        "fix or remove `{}`; the command itself had finished",
                        hook.display()
                    ),
                },
            ),
        )
    }
}
