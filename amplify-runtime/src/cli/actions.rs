//! Post-deploy actions ([`PostDeployAction`]): the steps categories need after their
//! stacks deployed that CloudFormation cannot take. Each is a program run with the
//! environment's AWS settings and an [`ActionPayload`] on standard input; it runs again
//! only when its fingerprint (program, arguments and input values) changes, and its
//! result is kept in `amplify-meta.json` under the resource's `postDeployActions`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use amplify_build::plan::{
    content_hash, ActionInput, ActionPayload, Plan, PostDeployAction, StackPlan,
};
use indexmap::IndexMap;
use serde_json::Value;

use super::error::{CliError, Kind, Result};
use super::project::{timestamp_now, Project};
use super::state::{ActionRecord, AmplifyMeta};

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

/// One action's state for `status`: its description and whether it would run.
pub struct ActionStatus {
    /// `<resource>.<id>`.
    pub name: String,
    /// What it does.
    pub description: String,
    /// It has not run with these inputs (or cannot tell yet: not deployed, a secret unset).
    pub pending: bool,
}

/// Every action of the plan and whether push would run it, against the recorded `meta`.
pub fn statuses(project: &Project, plan: &Plan, meta: &AmplifyMeta) -> Vec<ActionStatus> {
    let mut out = Vec::new();
    for stack in &plan.stacks {
        let resource = meta.get(&stack.category, &stack.name);
        for action in &stack.actions {
            let recorded = resource.and_then(|r| r.post_deploy.get(&action.id));
            let now = resource.and_then(|r| resolve(project, stack, action, &r.output).ok());
            let pending = match (recorded, now) {
                (Some(record), Some(now)) => record.fingerprint != now.fingerprint,
                _ => true,
            };
            out.push(ActionStatus {
                name: format!("{}.{}", stack.name, action.id),
                description: action.description.clone(),
                pending,
            });
        }
    }
    out
}

/// Runs every action whose fingerprint differs from its record in `previous`, in plan
/// order, with each stack's `outputs` (by logical id). Returns the records to keep — of
/// every action of the plan that ever ran, updated for those that ran now — and the
/// first failure: actions after it do not run, and keep their old records.
pub async fn run(
    project: &Project,
    aws: &super::aws::Aws,
    env: &str,
    plan: &Plan,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
    previous: &AmplifyMeta,
) -> (Records, Option<CliError>) {
    let mut records = Records::new();
    for stack in &plan.stacks {
        let kept = previous
            .get(&stack.category, &stack.name)
            .map(|r| &r.post_deploy);
        for action in &stack.actions {
            if let Some(record) = kept.and_then(|k| k.get(&action.id)) {
                records
                    .entry(stack.logical_id.clone())
                    .or_default()
                    .insert(action.id.clone(), record.clone());
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
    }
    (records, None)
}

/// Runs the program of one action and reads its result.
async fn execute(
    project: &Project,
    aws: &super::aws::Aws,
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
    let mut child = Command::new(&action.program)
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
