//! `cargo amplify push`: plan locally, build and upload only what changed (under
//! content-addressed keys), update the root stack, follow it, and only after success
//! write outputs and state.

use std::collections::BTreeMap;

use amplify_build::plan::{Asset, EnvInput, InputValue, Plan, StackPlan};

use super::actions;
use super::assets::{self, Packages};
use super::aws::{self, sdk_error, Aws, AwsSettings};
use super::changes::{self, Operation, Row};
use super::error::{CliError, Kind, Result};
use super::finalize::{finalize, Deployed};
use super::inputs;
use super::lock::PushLock;
use super::pending::{clear_pending, write_pending};
use super::progress::Progress;
use super::project::{timestamp_now, Project};
use super::prompt::confirm;
use super::reconcile::settle_if_pending;
use super::stack::{Failure, StackInfo, Stacks, UpdateStarted};
use super::state::{EnvParameters, Pending, ProviderInfo, RootValue};
use super::synthesis;
use super::tags::hydrate_tags;

/// Flags of `push`.
#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// `--env`
    pub env: Option<String>,
    /// `--yes`: no confirmation.
    pub yes: bool,
    /// `--force`: deploy even when nothing changed.
    pub force: bool,
}

/// What a push did (printed as JSON with `--json`).
#[derive(Debug, Clone, Default)]
pub struct PushReport {
    /// The planned operations.
    pub rows: Vec<Row>,
    /// Whether CloudFormation was asked to do anything.
    pub deployed: bool,
    /// Objects uploaded, by key.
    pub uploaded: Vec<String>,
    /// Every AWS API call made, as `Service.Operation`.
    pub api_calls: Vec<String>,
}

/// Runs `push`.
pub async fn push(
    project: &Project,
    settings: &AwsSettings,
    opts: &PushOptions,
) -> Result<PushReport> {
    let env = project.resolve_env(opts.env.as_deref())?;
    let provider = project.env_provider(&env)?;
    let _lock = PushLock::acquire(project, &env)?;
    let aws = settle_if_pending(project, &env, &provider, settings).await?;

    let work = assess(project, &env)?;
    let mut report = PushReport {
        rows: work.rows.clone(),
        ..PushReport::default()
    };
    if !work.changed && !opts.force {
        eprintln!("No changes detected: environment `{env}` is up to date.");
        report.api_calls = aws.map(|a| a.calls.calls()).unwrap_or_default();
        return Ok(report);
    }

    eprintln!("{}", changes::table(&env, &work.rows));
    if work.rotating {
        eprintln!("The API key expiry is renewed on this push.");
    }
    confirm(opts.yes, "Deploy these changes?")?;

    let aws = match aws {
        Some(a) => a,
        None => aws::connect(settings).await?,
    };
    let stacks = Stacks::new(&aws);
    let stack_name = provider.require(RootValue::StackName)?.to_owned();
    let bucket = provider
        .require(RootValue::DeploymentBucketName)?
        .to_owned();
    let tags = hydrate_tags(&work.tags_text, &project.project_name()?, &env)?;
    prepare_stack(&aws, &stacks, &provider, &tags, opts.yes).await?;

    let unchanged = |s: &StackPlan| {
        !opts.force
            && work.rows.iter().any(|r| {
                r.category == s.category && r.name == s.name && r.operation == Operation::NoChange
            })
    };
    let mut uploads: Vec<(String, Vec<u8>)> = Vec::new();
    let mut values = code_keys(project, &work.plan, &work.kept, &unchanged, &mut uploads)?;
    uploads.extend(templates_and_files(project, &work.plan, &unchanged)?);
    values.extend(inputs::overrides(&work.plan, &work.kept));
    values.extend(work.expiries.iter().cloned());
    let environment = environment_root(project, &work.plan, values)?;
    uploads.push((environment.key.clone(), environment.template.into_bytes()));
    report.uploaded = upload_missing(&aws, &bucket, uploads).await?;

    let parameters = root_parameters(&work.plan, &provider, &env)?;
    let root = RootUpdate {
        stack_name: &stack_name,
        url: format!("https://s3.amazonaws.com/{bucket}/{}", environment.key),
        parameters: &parameters,
        inputs: &environment.inputs,
        tags: &tags,
    };
    report.deployed = update_root(project, &env, &stacks, &work.plan, &root).await?;
    let done = Deployed {
        env: &env,
        plan: &work.plan,
        fingerprints: &work.fingerprints,
        provider: &provider,
        inputs: &environment.inputs,
    };
    finalize(project, &aws, &done).await?;
    report.api_calls = aws.calls.calls();
    Ok(report)
}

/// What a push would do, decided from local files alone.
struct Assessment {
    plan: Plan,
    /// Content hashes of each stack's inputs, by logical id.
    fingerprints: BTreeMap<String, String>,
    rows: Vec<Row>,
    /// Per-environment values kept from earlier pushes.
    kept: EnvParameters,
    /// Each API key's expiry (epoch seconds).
    expiries: Vec<InputValue>,
    tags_text: String,
    /// The API key's expiry is renewed.
    rotating: bool,
    /// Anything to deploy at all.
    changed: bool,
}

fn assess(project: &Project, env: &str) -> Result<Assessment> {
    let plan = synthesis::current_plan(project)?;
    let kept = project.kept_parameters(env)?;
    let fingerprints = changes::fingerprints(project, &plan, &kept)?;
    let deployed = project.deployed_meta()?;
    let rows = changes::rows(&plan, &fingerprints, &deployed);
    let (expiries, rotating) = inputs::api_key_expiries(&plan, &kept, inputs::now());
    let tags_text = read_tags(project)?;
    let deployed_root = deployed
        .provider()
        .and_then(|p| p.root_stack_template_key.as_deref());
    let deployed_tags =
        std::fs::read_to_string(project.current_cloud_backend().join("tags.json")).ok();
    actions::check_inputs(project, &plan)?;
    let actions_pending = actions::statuses(project, &plan, &project.meta()?)
        .iter()
        .any(|a| a.pending);
    let changed = rows.iter().any(|r| r.operation != Operation::NoChange)
        || deployed_root != Some(plan.root.template_key.as_str())
        || deployed_tags.as_deref() != Some(tags_text.as_str())
        || rotating
        || actions_pending;
    Ok(Assessment {
        plan,
        fingerprints,
        rows,
        kept,
        expiries,
        tags_text,
        rotating,
        changed,
    })
}

/// The templates of the stacks that changed and their files (AppSync resolvers…), by
/// content-addressed key.
pub(super) fn templates_and_files(
    project: &Project,
    plan: &Plan,
    unchanged: &dyn Fn(&StackPlan) -> bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut uploads = Vec::new();
    for s in plan.stacks.iter().filter(|s| !unchanged(s)) {
        uploads.push((s.template_key.clone(), read(project, &s.template)?));
        for asset in &s.assets {
            if let Asset::Files { prefix, files, .. } = asset {
                for f in files {
                    uploads.push((format!("{prefix}/{}", f.key), read(project, &f.path)?));
                }
            }
        }
    }
    Ok(uploads)
}

/// The root template of one environment's deployment, with the values it was given.
pub(super) struct EnvironmentRoot {
    /// Every per-environment stack input's value.
    pub inputs: Vec<InputValue>,
    /// The template: the synthesised root with those values in its nested stacks.
    pub template: String,
    /// Its content-addressed key in the deployment bucket.
    pub key: String,
}

/// The synthesised root template with `inputs` written into it.
pub(super) fn environment_root(
    project: &Project,
    plan: &Plan,
    mut inputs: Vec<InputValue>,
) -> Result<EnvironmentRoot> {
    inputs.sort();
    let path = project.root.join(&plan.root.template);
    let synthesised = std::fs::read_to_string(&path).map_err(|e| CliError::io("read", &path, e))?;
    let (template, key) = plan
        .root
        .for_environment(&synthesised, &inputs)
        .map_err(|e| {
            CliError::new(Kind::Other, format!("{}: {e}", path.display()))
                .help("the plan and the root template disagree: run `cargo build` and push again")
        })?;
    Ok(EnvironmentRoot {
        inputs,
        template,
        key,
    })
}

/// The root stack update a push makes.
struct RootUpdate<'a> {
    stack_name: &'a str,
    url: String,
    parameters: &'a [(String, String)],
    inputs: &'a [InputValue],
    tags: &'a [(String, String)],
}

/// Updates the root stack and follows it; records the push as pending first, so that an
/// interrupted push is settled by the next command. Whether anything was deployed.
async fn update_root(
    project: &Project,
    env: &str,
    stacks: &Stacks<'_>,
    plan: &Plan,
    root: &RootUpdate<'_>,
) -> Result<bool> {
    let pending = Pending {
        stack_name: root.stack_name.to_owned(),
        root_template_key: plan.root.template_key.clone(),
        inputs: root.inputs.to_vec(),
        started_at: timestamp_now(),
    };
    write_pending(project, env, &pending)?;
    let baseline = stacks.event_baseline(root.stack_name).await?;
    let started = match stacks
        .update(root.stack_name, &root.url, root.parameters, root.tags)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            clear_pending(project, env);
            return Err(e);
        }
    };
    if started == UpdateStarted::Started {
        follow(project, env, stacks, root.stack_name, &baseline).await?;
        Ok(true)
    } else {
        eprintln!("CloudFormation reports no changes to deploy.");
        Ok(false)
    }
}

/// Follows the root stack's update to its end; a rollback is an error naming its cause.
pub(super) async fn follow(
    project: &Project,
    env: &str,
    stacks: &Stacks<'_>,
    stack_name: &str,
    baseline: &std::collections::HashSet<String>,
) -> Result<()> {
    let progress = Progress::new(&format!("Deploying {stack_name} …"));
    let outcome = tokio::select! {
        r = stacks.wait(stack_name, baseline, &progress) => r,
        _ = tokio::signal::ctrl_c() => {
            progress.finish();
            return Err(interrupted(stack_name, env));
        }
    };
    progress.finish();
    let (status, failures) = outcome?;
    if !failures.is_empty() || !status.ends_with("_COMPLETE") || status.contains("ROLLBACK") {
        clear_pending(project, env);
        let mut message = format!("deployment of `{stack_name}` failed ({status}); CloudFormation rolled it back. Root cause:");
        for f in &failures {
            message.push_str(&format!("\n    {f}"));
        }
        if failures.is_empty() {
            message.push_str("\n    (no failed resource event was reported)");
        }
        return Err(CliError::new(Kind::Deploy, message).help(
            "fix the cause and push again; local state is unchanged, so the next push retries the same changes",
        ));
    }
    eprintln!("Deployed {stack_name}: {status}");
    Ok(())
}

/// The key of every code asset: the deployed one when its stack is unchanged, else
/// built, zipped and queued for upload.
pub(super) fn code_keys(
    project: &Project,
    plan: &Plan,
    kept: &EnvParameters,
    unchanged: &dyn Fn(&StackPlan) -> bool,
    uploads: &mut Vec<(String, Vec<u8>)>,
) -> Result<Vec<InputValue>> {
    let mut packages: Option<Packages> = None;
    let mut keys = Vec::new();
    for s in &plan.stacks {
        for input in &s.inputs {
            let EnvInput::AssetKey { asset } = &input.input else {
                continue;
            };
            let Some(code) = s
                .assets
                .iter()
                .find(|a| matches!(a, Asset::FunctionCode { id, .. } if id == asset))
            else {
                continue;
            };
            let previous = inputs::previous_asset_key(kept, &s.category, &s.name, &input.parameter);
            let key = match previous {
                Some(prev) if unchanged(s) => prev.to_owned(),
                _ => {
                    eprintln!("Building function {} …", s.name);
                    let zip = assets::build_zip(&project.root, &s.name, code, &mut packages)?;
                    let key = assets::zip_key(&s.name, &zip);
                    uploads.push((key.clone(), zip));
                    key
                }
            };
            keys.push(inputs::value_of(s, &input.parameter, key));
        }
    }
    Ok(keys)
}

/// A value for every parameter the root template declares: the provider's own.
pub(super) fn root_parameters(
    plan: &Plan,
    provider: &ProviderInfo,
    env: &str,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for name in &plan.root.parameters {
        let fixed = [
            RootValue::DeploymentBucketName,
            RootValue::AuthRoleName,
            RootValue::UnauthRoleName,
        ]
        .into_iter()
        .find(|v| v.key() == name);
        let value = if let Some(v) = fixed {
            provider.require(v)?.to_owned()
        } else if name == "env" {
            env.to_owned()
        } else {
            return Err(CliError::new(
                Kind::Other,
                format!("the root stack declares parameter `{name}`, which push cannot supply"),
            )
            .help("the plan and the root template disagree: run `cargo build` and push again"));
        };
        out.push((name.clone(), value));
    }
    Ok(out)
}

fn read(project: &Project, relative: &str) -> Result<Vec<u8>> {
    let path = project.root.join(relative);
    std::fs::read(&path).map_err(|e| CliError::io("read", &path, e))
}

/// `amplify/backend/tags.json`, the user's file.
pub(super) fn read_tags(project: &Project) -> Result<String> {
    let path = project.backend_dir().join("tags.json");
    std::fs::read_to_string(&path).map_err(|e| CliError::io("read", &path, e))
}

/// Makes the root stack ready for an update: refuses a busy stack, resumes a failed
/// rollback (the state Amplify users most often get stuck in), and re-creates a root
/// stack whose creation failed (after confirmation: it has to be deleted).
async fn prepare_stack(
    aws: &Aws,
    stacks: &Stacks<'_>,
    provider: &ProviderInfo,
    tags: &[(String, String)],
    yes: bool,
) -> Result<()> {
    let name = provider.require(RootValue::StackName)?.to_owned();
    let Some(info) = stacks.describe(&name).await? else {
        return Err(CliError::input(format!("the root stack `{name}` does not exist"))
            .help("it was deleted outside amplify-rs: run `cargo amplify delete --yes` to clear the env locally, then `cargo amplify init`"));
    };
    match info.status.as_str() {
        s if s.ends_with("_IN_PROGRESS") => Err(CliError::new(
            Kind::Busy,
            format!("stack `{name}` is busy ({s})"),
        )
        .help("another deployment is running; wait for it to finish")),
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" => {
            confirm(yes, &format!("Root stack `{name}` never finished being created ({}). Delete it and create it again?", info.status))?;
            recreate_root(aws, stacks, provider, tags, &info).await
        }
        "UPDATE_ROLLBACK_FAILED" => {
            eprintln!("Stack `{name}` is in UPDATE_ROLLBACK_FAILED; resuming the rollback first …");
            let baseline = stacks.event_baseline(&name).await?;
            stacks.continue_rollback(&name).await?;
            let progress = Progress::new("Rolling back …");
            let (status, failures) = stacks.wait(&name, &baseline, &progress).await?;
            progress.finish();
            if status != "UPDATE_ROLLBACK_COMPLETE" {
                return Err(deploy_failed(
                    format!("the rollback of `{name}` did not complete ({status})"),
                    &failures,
                )
                .help(
                    "fix or delete the resources named above in the AWS console, then push again",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Deletes a root stack whose creation failed and creates it again from the bootstrap
/// template, with the names the environment already has.
async fn recreate_root(
    aws: &Aws,
    stacks: &Stacks<'_>,
    provider: &ProviderInfo,
    tags: &[(String, String)],
    info: &StackInfo,
) -> Result<()> {
    let name = &info.name;
    let baseline = stacks.event_baseline(name).await?;
    stacks.delete(&info.id).await?;
    let progress = Progress::new(&format!("Deleting the failed stack {name} …"));
    stacks.wait(&info.id, &baseline, &progress).await?;
    progress.finish();
    // The bucket is retained by design; an empty one left by the failed create would
    // block the new stack's bucket of the same name.
    let bucket = provider.require(RootValue::DeploymentBucketName)?;
    let _ = aws.s3.delete_bucket().bucket(bucket).send().await;
    let parameters: Vec<(String, String)> = [
        RootValue::DeploymentBucketName,
        RootValue::AuthRoleName,
        RootValue::UnauthRoleName,
    ]
    .into_iter()
    .map(|v| Ok((v.key().to_owned(), provider.require(v)?.to_owned())))
    .collect::<Result<_>>()?;
    let baseline = stacks.event_baseline(name).await?;
    stacks
        .create(
            name,
            amplify_build::synth::bootstrap_root_template(),
            &parameters,
            tags,
        )
        .await?;
    let progress = Progress::new(&format!("Creating {name} …"));
    let (status, failures) = stacks.wait(name, &baseline, &progress).await?;
    progress.finish();
    if status != "CREATE_COMPLETE" {
        return Err(
            deploy_failed(format!("re-creating `{name}` failed ({status})"), &failures)
                .help("fix the cause shown above, then push again"),
        );
    }
    Ok(())
}

/// A failed deployment, with each root cause on a line of its own.
fn deploy_failed(what: String, failures: &[Failure]) -> CliError {
    let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
    CliError::new(
        Kind::Deploy,
        format!("{what}:\n    {}", causes.join("\n    ")),
    )
}

/// Uploads objects whose keys are not in the bucket yet (keys are content-addressed, so
/// an existing key already holds these bytes).
pub(super) async fn upload_missing(
    aws: &Aws,
    bucket: &str,
    objects: Vec<(String, Vec<u8>)>,
) -> Result<Vec<String>> {
    let mut uploaded = Vec::new();
    for (key, bytes) in objects {
        if uploaded.contains(&key) {
            continue;
        }
        match aws.s3.head_object().bucket(bucket).key(&key).send().await {
            Ok(_) => {
                tracing::debug!(%key, "already uploaded");
                continue;
            }
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {}
            Err(e) => return Err(sdk_error(format!("cannot check `s3://{bucket}/{key}`"), e)),
        }
        aws.s3
            .put_object()
            .bucket(bucket)
            .key(&key)
            .body(bytes.into())
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot upload `s3://{bucket}/{key}`"), e))?;
        tracing::info!(%key, "uploaded");
        uploaded.push(key);
    }
    Ok(uploaded)
}

fn interrupted(stack: &str, env: &str) -> CliError {
    CliError::new(
        Kind::Interrupted,
        format!("interrupted: CloudFormation keeps working on `{stack}`; local state for `{env}` was not changed"),
    )
    .help("run `cargo amplify status` (or push again) once it settles: amplify-rs reconciles with the stack's real state")
}
