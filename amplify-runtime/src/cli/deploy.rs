//! `cargo amplify push`: plan locally, build and upload only what changed (under
//! content-addressed keys), update the root stack, follow it, and only after success
//! write outputs and state.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use serde_json::{json, Map, Value};

use super::assets::{self, Packages};
use super::aws::{self, sdk_error, Aws, AwsSettings};
use super::error::{CliError, Kind, Result};
use super::lock::PushLock;
use super::plan::{self, Desired, Operation, Row};
use super::progress::Progress;
use super::project::{copy_dir, provider_value, swap_dir, write_json, Project};
use super::stack::{Stacks, UpdateStarted};
use super::state::{compose_categories, compose_meta, Pending};

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

/// Days of validity declared for an API's key (from backend-config).
pub fn api_key_days(desired: &Desired, api: &str) -> Option<i64> {
    let auth = &desired.backend_config.get("api")?.get(api)?["output"]["authConfig"];
    std::iter::once(&auth["defaultAuthentication"])
        .chain(
            auth["additionalAuthenticationProviders"]
                .as_array()
                .into_iter()
                .flatten(),
        )
        .find_map(|m| m["apiKeyConfig"]["apiKeyExpirationDays"].as_i64())
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
    let mut aws: Option<Aws> = None;

    if let Some(pending) = Pending::read(project, &env)? {
        let client = aws::connect(settings).await?;
        reconcile_pending(project, &env, &client, &pending, &provider).await?;
        aws = Some(client);
    }

    let desired = plan::desired(project)?;
    let deployed = project.deployed_meta()?;
    let rows = plan::rows(&desired, &deployed);
    let tpi = project.team_provider_info()?;
    let categories = tpi
        .get(&env)
        .and_then(|e| e.get("categories"))
        .cloned()
        .unwrap_or(Value::Null);
    let epochs = api_key_epochs(&desired, &categories);
    let deployed_root = deployed
        .get("providers")
        .and_then(|p| p["awscloudformation"]["rootStackTemplateKey"].as_str());
    let deployed_tags =
        std::fs::read_to_string(project.current_cloud_backend().join("tags.json")).ok();
    let rotating = epochs.iter().any(|(_, (_, rotated))| *rotated);
    let changed = rows.iter().any(|r| r.operation != Operation::NoChange)
        || deployed_root != Some(desired.root_key.as_str())
        || deployed_tags.as_deref() != Some(desired.tags.as_str())
        || rotating;

    let mut report = PushReport {
        rows: rows.clone(),
        ..PushReport::default()
    };
    if !changed && !opts.force {
        eprintln!("No changes detected: environment `{env}` is up to date.");
        report.api_calls = aws.map(|a| a.calls.calls()).unwrap_or_default();
        return Ok(report);
    }

    eprintln!("{}", super::status::table(&env, &rows));
    if rotating {
        eprintln!("The API key expiry is renewed on this push.");
    }
    confirm(opts.yes, "Deploy these changes?")?;

    let aws = match aws {
        Some(a) => a,
        None => aws::connect(settings).await?,
    };
    let stacks = Stacks::new(&aws);
    let stack_name = provider_value(&provider, "StackName")?;
    let bucket = provider_value(&provider, "DeploymentBucketName")?;
    let init_tags = hydrate_tags(&desired.tags, &project.project_name()?, &env)?;
    prepare_stack(&aws, &stacks, &provider, &init_tags, opts.yes).await?;

    // Code: build what changed, reuse the deployed key for the rest.
    let mut parameters: BTreeMap<String, String> = BTreeMap::new();
    let mut uploads: Vec<(String, Vec<u8>)> = Vec::new();
    let mut packages: Option<Packages> = None;
    for r in &desired.resources {
        let Some(function) = &r.function else {
            continue;
        };
        let row = rows
            .iter()
            .find(|x| x.category == r.category && x.name == r.name);
        let previous = categories["function"][&r.name]["s3Key"].as_str();
        let key = match (row.map(|x| x.operation), previous) {
            (Some(Operation::NoChange), Some(prev)) if !opts.force => prev.to_owned(),
            _ => {
                eprintln!("Building function {} …", r.name);
                let zip = assets::build_zip(&project.root, &r.name, function, &mut packages)?;
                let key = assets::zip_key(&r.name, &zip);
                uploads.push((key.clone(), zip));
                key
            }
        };
        parameters.insert(format!("function{}s3Key", r.name), key);
    }
    for r in &desired.resources {
        let row = rows
            .iter()
            .find(|x| x.category == r.category && x.name == r.name);
        if row.is_some_and(|x| x.operation == Operation::NoChange) && !opts.force {
            continue;
        }
        let bytes = std::fs::read(&r.template_path)
            .map_err(|e| super::error::CliError::io("read", &r.template_path, e))?;
        uploads.push((r.template_key.clone(), bytes));
        if let Some((prefix, files)) = &r.appsync {
            for (rel, path) in files {
                let bytes =
                    std::fs::read(path).map_err(|e| super::error::CliError::io("read", path, e))?;
                uploads.push((format!("{prefix}/{rel}"), bytes));
            }
        }
    }
    uploads.push((
        desired.root_key.clone(),
        desired.root_template.clone().into_bytes(),
    ));
    report.uploaded = upload_missing(&aws, &bucket, uploads).await?;

    for name in desired.root_json["Parameters"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
    {
        let value = match name.as_str() {
            "DeploymentBucketName" | "AuthRoleName" | "UnauthRoleName" => {
                provider_value(&provider, name)?
            }
            "env" => env.clone(),
            _ if parameters.contains_key(name) => continue,
            other => match epochs.get(other) {
                Some((epoch, _)) => epoch.to_string(),
                None => {
                    return Err(CliError::new(
                        Kind::Other,
                        format!(
                            "the root stack declares parameter `{other}`, which push cannot supply"
                        ),
                    ))
                }
            },
        };
        parameters.insert(name.clone(), value);
    }
    let tags = hydrate_tags(&desired.tags, &project.project_name()?, &env)?;

    let pending = Pending {
        stack_name: stack_name.clone(),
        root_key: desired.root_key.clone(),
        parameters: parameters.clone(),
    };
    pending.write(project, &env)?;
    let url = format!("https://s3.amazonaws.com/{bucket}/{}", desired.root_key);
    let params: Vec<(String, String)> = parameters
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let baseline = stacks.event_baseline(&stack_name).await?;
    let started = stacks.update(&stack_name, &url, &params, &tags).await;
    let started = match started {
        Ok(s) => s,
        Err(e) => {
            Pending::clear(project, &env);
            return Err(e);
        }
    };
    report.deployed = started == UpdateStarted::Started;
    if report.deployed {
        let progress = Progress::new(&format!("Deploying {stack_name} …"));
        let outcome = tokio::select! {
            r = stacks.wait(&stack_name, &baseline, &progress) => r,
            _ = tokio::signal::ctrl_c() => {
                progress.finish();
                return Err(interrupted(&stack_name, &env));
            }
        };
        progress.finish();
        let (status, failures) = outcome?;
        if !failures.is_empty() || !status.ends_with("_COMPLETE") || status.contains("ROLLBACK") {
            Pending::clear(project, &env);
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
    } else {
        eprintln!("CloudFormation reports no changes to deploy.");
    }
    finalize(project, &env, &aws, &desired, &provider, &parameters).await?;
    report.api_calls = aws.calls.calls();
    Ok(report)
}

/// Reads outputs and writes every local state file, after a successful deployment.
async fn finalize(
    project: &Project,
    env: &str,
    aws: &Aws,
    desired: &Desired,
    provider: &Map<String, Value>,
    parameters: &BTreeMap<String, String>,
) -> Result<()> {
    let stacks = Stacks::new(aws);
    let stack_name = provider_value(provider, "StackName")?;
    let bucket = provider_value(provider, "DeploymentBucketName")?;
    let (root, outputs) = stacks.outputs(&stack_name).await?;
    let mut provider = provider.clone();
    for (k, v) in &root.outputs {
        if matches!(
            k.as_str(),
            "AuthRoleArn"
                | "UnauthRoleArn"
                | "AuthRoleName"
                | "UnauthRoleName"
                | "Region"
                | "StackId"
                | "StackName"
                | "DeploymentBucketName"
        ) {
            provider.insert(k.clone(), json!(v));
        }
    }
    provider.insert("StackId".into(), json!(root.id));
    let mut meta_provider = provider.clone();
    meta_provider.insert("rootStackTemplateKey".into(), json!(desired.root_key));
    let meta = compose_meta(desired, &meta_provider, &bucket, &outputs, parameters);

    // #current-cloud-backend: built beside the real one, uploaded, then swapped in.
    let staging = project.amplify_dir().join(".current-cloud-backend.staging");
    let _ = std::fs::remove_dir_all(&staging);
    copy_dir(
        &project.backend_dir(),
        &staging,
        &["amplify-meta.json", ".temp"],
    )?;
    write_json(
        &staging.join("amplify-meta.json"),
        &Value::Object(meta.clone()),
    )?;
    let mut files = Vec::new();
    for rel in super::project::files_under(&staging) {
        let bytes = std::fs::read(staging.join(&rel))
            .map_err(|e| CliError::io("read", &staging.join(&rel), e))?;
        files.push((rel.to_string_lossy().replace('\\', "/"), bytes, 0o644));
    }
    let zip = assets::zip_files(&files)?;
    aws.s3
        .put_object()
        .bucket(&bucket)
        .key("#current-cloud-backend.zip")
        .body(zip.into())
        .send()
        .await
        .map_err(|e| {
            sdk_error(
                format!("cannot upload `#current-cloud-backend.zip` to `{bucket}`"),
                e,
            )
        })?;

    swap_dir(&staging, &project.current_cloud_backend())?;
    write_json(&project.meta_path(), &Value::Object(meta))?;
    let mut tpi = project.team_provider_info()?;
    let mut entry = Map::new();
    entry.insert("awscloudformation".into(), Value::Object(provider));
    let categories = compose_categories(desired, &bucket, parameters);
    if categories.as_object().is_some_and(|c| !c.is_empty()) {
        entry.insert("categories".into(), categories);
    }
    tpi.insert(env.to_owned(), Value::Object(entry));
    write_json(&project.team_provider_info_path(), &Value::Object(tpi))?;
    Pending::clear(project, env);
    let written = super::frontend::write_frontend(project, env)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!("Client configuration written: {}", names.join(", "));
    Ok(())
}

/// Settles a push that was interrupted: finish its bookkeeping if it succeeded and the
/// files are unchanged since, forget it if it failed, refuse if it is still running.
pub(super) async fn reconcile_pending(
    project: &Project,
    env: &str,
    aws: &Aws,
    pending: &Pending,
    provider: &Map<String, Value>,
) -> Result<()> {
    let stacks = Stacks::new(aws);
    let info = stacks.describe(&pending.stack_name).await?;
    match info {
        Some(i) if i.in_progress() => Err(CliError::new(
            Kind::Busy,
            format!(
                "an interrupted push of `{env}` is still running in CloudFormation (`{}` is {})",
                i.name, i.status
            ),
        )
        .help("wait until it finishes, then run the command again")),
        Some(i) if matches!(i.status.as_str(), "UPDATE_COMPLETE" | "CREATE_COMPLETE") => {
            let desired = plan::desired(project)?;
            if desired.root_key == pending.root_key {
                finalize(project, env, aws, &desired, provider, &pending.parameters).await?;
                eprintln!("note: the interrupted push of `{env}` completed; local state is now up to date");
            } else {
                Pending::clear(project, env);
                eprintln!("note: the interrupted push of `{env}` completed, but the backend changed since; pushing the new state");
            }
            Ok(())
        }
        _ => {
            Pending::clear(project, env);
            eprintln!("note: the interrupted push of `{env}` did not complete; local state was left as it was");
            Ok(())
        }
    }
}

/// Makes the root stack ready for an update: refuses a busy stack, resumes a failed
/// rollback (the state Amplify users most often get stuck in), and re-creates a root
/// stack whose creation failed (after confirmation: it has to be deleted).
async fn prepare_stack(
    aws: &Aws,
    stacks: &Stacks<'_>,
    provider: &Map<String, Value>,
    tags: &[(String, String)],
    yes: bool,
) -> Result<()> {
    let name = provider_value(provider, "StackName")?;
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
            let baseline = stacks.event_baseline(&name).await?;
            stacks.delete(&info.id).await?;
            let progress = Progress::new(&format!("Deleting the failed stack {name} …"));
            stacks.wait(&info.id, &baseline, &progress).await?;
            progress.finish();
            // The bucket is retained by design; an empty one left by the failed create
            // would block the new stack's bucket of the same name.
            let bucket = provider_value(provider, "DeploymentBucketName")?;
            let _ = aws.s3.delete_bucket().bucket(&bucket).send().await;
            let parameters: Vec<(String, String)> =
                ["DeploymentBucketName", "AuthRoleName", "UnauthRoleName"]
                    .iter()
                    .map(|k| Ok(((*k).to_owned(), provider_value(provider, k)?)))
                    .collect::<Result<_>>()?;
            let baseline = stacks.event_baseline(&name).await?;
            stacks
                .create(
                    &name,
                    amplify_build::synth::bootstrap_root_template(),
                    &parameters,
                    tags,
                )
                .await?;
            let progress = Progress::new(&format!("Creating {name} …"));
            let (status, failures) = stacks.wait(&name, &baseline, &progress).await?;
            progress.finish();
            if status != "CREATE_COMPLETE" {
                let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
                return Err(CliError::new(
                    Kind::Deploy,
                    format!(
                        "re-creating `{name}` failed ({status}):\n    {}",
                        causes.join("\n    ")
                    ),
                )
                .help("fix the cause shown above, then push again"));
            }
            Ok(())
        }
        "UPDATE_ROLLBACK_FAILED" => {
            eprintln!("Stack `{name}` is in UPDATE_ROLLBACK_FAILED; resuming the rollback first …");
            let baseline = stacks.event_baseline(&name).await?;
            stacks.continue_rollback(&name).await?;
            let progress = Progress::new("Rolling back …");
            let (status, failures) = stacks.wait(&name, &baseline, &progress).await?;
            progress.finish();
            if status != "UPDATE_ROLLBACK_COMPLETE" {
                let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
                return Err(CliError::new(
                    Kind::Deploy,
                    format!(
                        "the rollback of `{name}` did not complete ({status}):\n    {}",
                        causes.join("\n    ")
                    ),
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

/// Uploads objects whose keys are not in the bucket yet (keys are content-addressed, so
/// an existing key already holds these bytes).
async fn upload_missing(
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
            Ok(_) => continue,
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
        uploaded.push(key);
    }
    Ok(uploaded)
}

/// API-key expiry per root parameter: kept while more than a week (or half the declared
/// validity) remains, renewed otherwise, so pushes stay no-ops in between.
fn api_key_epochs(desired: &Desired, categories: &Value) -> BTreeMap<String, (i64, bool)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for name in desired.root_json["Parameters"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
    {
        let Some(api) = name
            .strip_prefix("api")
            .and_then(|n| n.strip_suffix("APIKeyExpirationEpoch"))
        else {
            continue;
        };
        let days = api_key_days(desired, api).unwrap_or(7);
        let stored = &categories["api"][api];
        let epoch = stored["APIKeyExpirationEpoch"].as_i64();
        let same_days = stored["apiKeyExpirationDays"].as_i64() == Some(days);
        let margin = (days * 86_400 / 2).min(7 * 86_400);
        match epoch {
            Some(e) if same_days && e - now > margin => out.insert(name.clone(), (e, false)),
            _ => out.insert(name.clone(), ((now + days * 86_400) / 3600 * 3600, true)),
        };
    }
    out
}

/// `tags.json` with `{project-name}`/`{project-env}` filled in, checked as Amplify does.
pub fn hydrate_tags(text: &str, project: &str, env: &str) -> Result<Vec<(String, String)>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        CliError::input(format!(
            "`amplify/backend/tags.json` line {}: invalid JSON: {e}",
            e.line()
        ))
        .help("fix the file; nothing was deployed")
    })?;
    let entries = value.as_array().ok_or_else(|| {
        CliError::input("`amplify/backend/tags.json` must be a list of {\"Key\", \"Value\"}")
    })?;
    if entries.len() > 50 {
        return Err(CliError::input(
            "`amplify/backend/tags.json` has more than 50 tags",
        ));
    }
    let mut tags: Vec<(String, String)> = Vec::new();
    for t in entries {
        let (Some(k), Some(v)) = (t["Key"].as_str(), t["Value"].as_str()) else {
            return Err(CliError::input(
                "`amplify/backend/tags.json`: every tag needs string \"Key\" and \"Value\"",
            ));
        };
        let v = v
            .replace("{project-name}", project)
            .replace("{project-env}", env);
        if k.len() > 128 || v.len() > 256 || tags.iter().any(|(x, _)| x == k) {
            return Err(CliError::input(format!(
                "`amplify/backend/tags.json`: tag `{k}` is too long or repeated"
            )));
        }
        tags.push((k.to_owned(), v));
    }
    Ok(tags)
}

fn interrupted(stack: &str, env: &str) -> CliError {
    CliError::new(
        Kind::Interrupted,
        format!("interrupted: CloudFormation keeps working on `{stack}`; local state for `{env}` was not changed"),
    )
    .help("run `cargo amplify status` (or push again) once it settles: amplify-rs reconciles with the stack's real state")
}

/// Asks on a terminal; without one, `--yes` is required.
pub fn confirm(yes: bool, question: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            CliError::input("confirmation needed, but stdin is not a terminal")
                .help("pass `--yes` to proceed without asking"),
        );
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(Kind::Other, e.to_string()))?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::new(Kind::Other, "cancelled; nothing was changed"))
    }
}
