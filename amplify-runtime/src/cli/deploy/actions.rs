//! Post-deploy actions ([`PostDeployAction`]): the steps categories need after their
//! stacks deployed that CloudFormation cannot take. Each is a program run with the
//! environment's AWS settings and an [`ActionPayload`] on standard input; it runs again
//! only when its fingerprint (program, arguments and input values) changes, and its
//! result is kept in `amplify-meta.json` under the resource's `postDeployActions`.
//! Published folders ([`crate::cli::deploy::publish`]) are the other kind of post-deploy step: run
//! after the stack's actions, recorded in the same place.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use amplify_build::plan::{
    content_hash, ActionInput, ActionPayload, Plan, PostDeployAction, PublishedFolder, StackPlan,
};
use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::cli::deploy::events::{Events, Phase};
use crate::cli::deploy::publish::{self, NotReady};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{timestamp_now, Project};
use crate::cli::state::{ActionRecord, AmplifyMeta};

/// Every action's record after this run, by stack logical id and action id.
pub type Records = BTreeMap<String, IndexMap<String, ActionRecord>>;

/// An action with the input values it would run with now.
struct Resolved<'a> {
    stack: &'a StackPlan,
    action: &'a PostDeployAction,
    inputs: IndexMap<String, Value>,
    fingerprint: String,
}

/// A value that cannot be had: a missing file, an unset secret, an output the stack lacks.
fn missing(stack: &StackPlan, action: &PostDeployAction, what: String) -> CliError {
    CliError::input(format!(
        "the post-deploy action `{}` of `{}` needs {what}",
        action.id, stack.name
    ))
}

/// The action's inputs from `outputs` (the stack's, as deployed) and the crate's files
/// and environment. Secrets enter the fingerprint by hash only.
fn resolve<'a>(
    project: &Project,
    stack: &'a StackPlan,
    action: &'a PostDeployAction,
    outputs: &serde_json::Map<String, Value>,
) -> Result<Resolved<'a>> {
    // Program, arguments and each input, NUL-separated, hashed once at the end.
    let mut fingerprinted_bytes: Vec<u8> = action.program.as_bytes().to_vec();
    for arg in &action.args {
        fingerprinted_bytes.push(0);
        fingerprinted_bytes.extend_from_slice(arg.as_bytes());
    }
    let mut inputs = IndexMap::new();
    for (name, input) in &action.inputs {
        let (value, fingerprinted) = match input {
            ActionInput::Literal { value } => (value.clone(), value.to_string()),
            ActionInput::Output { output } => {
                let value = outputs.get(output).cloned().ok_or_else(|| {
                    missing(
                        stack,
                        action,
                        format!("output `{output}`, which the deployed stack does not have"),
                    )
                    .help("push again: the stack was not deployed with this output yet")
                })?;
                (value.clone(), value.to_string())
            }
            ActionInput::File { path } => {
                let full = project.root.join(path);
                let text = std::fs::read_to_string(&full).map_err(|e| {
                    missing(
                        stack,
                        action,
                        format!("the file `{}` ({e})", full.display()),
                    )
                    .help("create the file, or fix the path in the declaration")
                })?;
                (Value::String(text.clone()), text)
            }
            ActionInput::Secret { variable } => {
                let secret = std::env::var(variable).map_err(|_| {
                    missing(stack, action, format!("the secret `{variable}`, which is not set"))
                        .help(format!("export {variable}=… in the environment push runs in (CI: from the secret store); it is never written to a file"))
                })?;
                let hash = content_hash(secret.as_bytes());
                (Value::String(secret), hash)
            }
        };
        fingerprinted_bytes.push(1);
        fingerprinted_bytes.extend_from_slice(name.as_bytes());
        fingerprinted_bytes.push(0);
        fingerprinted_bytes.extend_from_slice(fingerprinted.as_bytes());
        inputs.insert(name.clone(), value);
    }
    let fingerprint = content_hash(&fingerprinted_bytes);
    Ok(Resolved {
        stack,
        action,
        inputs,
        fingerprint,
    })
}

/// Checks, before anything is deployed, that every action's files and secrets are there
/// (outputs come from the deployment itself).
pub fn check_inputs(project: &Project, plan: &Plan) -> Result<()> {
    let no_outputs = serde_json::Map::new();
    for stack in &plan.stacks {
        for action in &stack.actions {
            let offline = PostDeployAction {
                inputs: action
                    .inputs
                    .iter()
                    .filter(|(_, i)| !matches!(i, ActionInput::Output { .. }))
                    .map(|(n, i)| (n.clone(), i.clone()))
                    .collect(),
                ..action.clone()
            };
            resolve(project, stack, &offline, &no_outputs)?;
        }
    }
    Ok(())
}

/// One post-deploy step's state for `status`: its description and whether it would run.
pub struct ActionStatus {
    /// `<resource>.<id>`.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Whether push would run it.
    pub state: StepState,
}

/// Whether push would run a post-deploy step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    /// It has not run with these inputs (or cannot tell yet: not deployed, a secret unset).
    Pending,
    /// It ran with these inputs.
    Done,
    /// A published folder that does not exist yet: `cargo amplify publish` builds it.
    NotBuilt,
}

impl StepState {
    /// How `status` says it.
    pub fn label(&self) -> &'static str {
        match self {
            StepState::Pending => "runs on the next push",
            StepState::Done => "done",
            StepState::NotBuilt => "not built yet: `cargo amplify publish` builds and publishes it",
        }
    }
}

/// Every post-deploy step of the plan and whether push would run it, against the
/// recorded `meta`.
pub fn statuses(project: &Project, plan: &Plan, meta: &AmplifyMeta) -> Vec<ActionStatus> {
    let mut out = Vec::new();
    let ran = |recorded: Option<&ActionRecord>, now: Option<String>| match (recorded, now) {
        (Some(record), Some(now)) if record.fingerprint == now => StepState::Done,
        _ => StepState::Pending,
    };
    for stack in &plan.stacks {
        let resource = meta.get(&stack.category, &stack.name);
        for action in &stack.actions {
            let recorded = resource.and_then(|r| r.post_deploy.get(&action.id));
            let now = resource.and_then(|r| resolve(project, stack, action, &r.output).ok());
            out.push(ActionStatus {
                name: format!("{}.{}", stack.name, action.id),
                description: action.description.clone(),
                state: ran(recorded, now.map(|n| n.fingerprint)),
            });
        }
        for folder in publish::folders_of(stack) {
            let recorded = resource.and_then(|r| r.post_deploy.get(&folder.id));
            let no_outputs = Map::new();
            let outputs = resource.map(|r| &r.output).unwrap_or(&no_outputs);
            let state = match publish::resolve(project, stack, folder, outputs) {
                Err(NotReady::NotBuilt(_)) => StepState::NotBuilt,
                Err(NotReady::Error(_)) => StepState::Pending,
                Ok(now) => ran(recorded, Some(now.fingerprint)),
            };
            out.push(ActionStatus {
                name: format!("{}.{}", stack.name, folder.id),
                description: publish_description(folder),
                state,
            });
        }
    }
    out
}

fn publish_description(folder: &PublishedFolder) -> String {
    format!(
        "publish {}/ to the bucket",
        folder.folder.trim_end_matches('/')
    )
}

/// Runs every action whose fingerprint differs from its record in `previous`, in plan
/// order, with each stack's `outputs` (by logical id). Returns the records to keep — of
/// every action of the plan that ever ran, updated for those that ran now — and the
/// first failure: actions after it do not run, and keep their old records. Emits the
/// [`Phase::ActionsRun`] phase.
pub async fn run(
    project: &Project,
    aws: &crate::cli::aws::Aws,
    env: &str,
    deployed: (&Plan, &BTreeMap<String, BTreeMap<String, String>>),
    previous: &AmplifyMeta,
    events: &Events,
) -> (Records, Option<CliError>) {
    let mut ran = 0;
    let (records, failure) = run_due(project, aws, env, deployed, previous, &mut ran).await;
    events.emit(Phase::ActionsRun {
        ran,
        failed: failure.is_some(),
    });
    (records, failure)
}

async fn run_due(
    project: &Project,
    aws: &crate::cli::aws::Aws,
    env: &str,
    (plan, outputs): (&Plan, &BTreeMap<String, BTreeMap<String, String>>),
    previous: &AmplifyMeta,
    ran: &mut usize,
) -> (Records, Option<CliError>) {
    let mut records = Records::new();
    for stack in &plan.stacks {
        let kept = previous
            .get(&stack.category, &stack.name)
            .map(|r| &r.post_deploy);
        let ids = stack
            .actions
            .iter()
            .map(|a| &a.id)
            .chain(publish::folders_of(stack).map(|f| &f.id));
        for id in ids {
            if let Some(record) = kept.and_then(|k| k.get(id)) {
                records
                    .entry(stack.logical_id.clone())
                    .or_default()
                    .insert(id.clone(), record.clone());
            }
        }
    }
    for stack in &plan.stacks {
        let stack_outputs: serde_json::Map<String, Value> = outputs
            .get(&stack.logical_id)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        for action in &stack.actions {
            let resolved = match resolve(project, stack, action, &stack_outputs) {
                Ok(r) => r,
                Err(e) => return (records, Some(e)),
            };
            let record = records
                .get(&stack.logical_id)
                .and_then(|r| r.get(&action.id));
            if record.is_some_and(|r| r.fingerprint == resolved.fingerprint) {
                continue;
            }
            eprintln!(
                "Running {} of {}: {} …",
                action.id, stack.name, action.description
            );
            let previous_result = record.map(|r| r.result.clone());
            *ran += 1;
            match execute(project, aws, env, &resolved, previous_result).await {
                Ok(result) => {
                    records.entry(stack.logical_id.clone()).or_default().insert(
                        action.id.clone(),
                        ActionRecord {
                            fingerprint: resolved.fingerprint,
                            at: timestamp_now(),
                            result,
                        },
                    );
                }
                Err(e) => return (records, Some(e)),
            }
        }
        if let Err(e) =
            publish_folders(aws, project, stack, &stack_outputs, &mut records, ran).await
        {
            return (records, Some(e));
        }
    }
    (records, None)
}

/// Publishes each folder of `stack` whose files changed since its record.
async fn publish_folders(
    aws: &crate::cli::aws::Aws,
    project: &Project,
    stack: &StackPlan,
    outputs: &Map<String, Value>,
    records: &mut Records,
    ran: &mut usize,
) -> Result<()> {
    for folder in publish::folders_of(stack) {
        let publication = match publish::resolve(project, stack, folder, outputs) {
            Ok(p) => p,
            Err(NotReady::NotBuilt(dir)) => {
                eprintln!(
                    "`{}` does not exist yet, so {} has nothing to publish: `cargo amplify publish` builds and publishes it.",
                    dir.display(),
                    stack.name
                );
                continue;
            }
            Err(NotReady::Error(e)) => return Err(e),
        };
        let record = records
            .get(&stack.logical_id)
            .and_then(|r| r.get(&folder.id));
        if record.is_some_and(|r| r.fingerprint == publication.fingerprint) {
            continue;
        }
        eprintln!("Publishing {} of {} …", folder.folder, stack.name);
        *ran += 1;
        let result = publish::publish(aws, &publication, record.map(|r| &r.result)).await?;
        records.entry(stack.logical_id.clone()).or_default().insert(
            folder.id.clone(),
            ActionRecord {
                fingerprint: publication.fingerprint,
                at: timestamp_now(),
                result,
            },
        );
    }
    Ok(())
}

/// Runs the program of one action and reads its result.
async fn execute(
    project: &Project,
    aws: &crate::cli::aws::Aws,
    env: &str,
    resolved: &Resolved<'_>,
    previous: Option<Value>,
) -> Result<Value> {
    let (stack, action) = (resolved.stack, resolved.action);
    let payload = ActionPayload {
        environment: env.to_owned(),
        region: aws.region.clone(),
        category: stack.category.clone(),
        resource: stack.name.clone(),
        action: action.id.clone(),
        inputs: resolved.inputs.clone(),
        previous,
    };
    let failed = |what: String| {
        CliError::new(
            Kind::Deploy,
            format!(
                "the post-deploy action `{}` of `{}` ({}) {what}",
                action.id, stack.name, action.program
            ),
        )
        .help("the stacks are deployed and recorded; fix the cause and push again: the action runs again")
    };
    let mut child = Command::new(program_path(&action.program))
        .args(&action.args)
        .current_dir(&project.root)
        .env_remove("AWS_PROFILE")
        .envs(aws.program_environment().await?)
        .env("AMPLIFY_ENV", env)
        .env("AMPLIFY_PROJECT_ROOT", &project.root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => failed(format!("cannot start: `{}` is not on PATH", action.program))
                .help("install the category's program (its README says how, e.g. `cargo install …`), then push again"),
            _ => failed(format!("cannot start: {e}")),
        })?;
    let input = serde_json::to_vec(&payload).expect("payloads serialise");
    if let Some(mut stdin) = child.stdin.take() {
        // A program that exits without reading its input fails below by its status.
        let _ = stdin.write_all(&input);
    }
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .map_err(|e| failed(format!("was lost: {e}")))?
        .map_err(|e| failed(format!("was lost: {e}")))?;
    if !output.status.success() {
        return Err(failed(format!("exited with {}", output.status)));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text.trim()).map_err(|e| {
        failed(format!(
            "printed something that is not JSON ({e}): {}",
            text.trim()
        ))
    })
}

/// The executable of `program`: `cargo-amplify` is this very one (built-in categories'
/// actions are its hidden subcommands), whatever `PATH` holds; others are found on `PATH`.
fn program_path(program: &str) -> std::path::PathBuf {
    match std::env::current_exe() {
        Ok(me) if program == "cargo-amplify" => me,
        _ => program.into(),
    }
}
