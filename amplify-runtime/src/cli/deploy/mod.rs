//! The one deploy pipeline of `push`, `run` and `pipeline-deploy`: build and package the
//! code that changed, resolve every per-environment input, upload it all under
//! content-addressed keys with the environment's root template, update the root stack
//! and follow it. What surrounds it differs by command: `push` ([`push`]) plans from local
//! state, takes the lock and records the deployment; `pipeline-deploy` needs no local
//! state. Making a failed root stack deployable again is [`recovery`].

pub(crate) mod actions;
pub(crate) mod amplify_cli;
pub(crate) mod assets;
pub(crate) mod changes;
pub(crate) mod events;
pub(crate) mod finalize;
pub(crate) mod index_steps;
pub(crate) mod inputs;
pub(crate) mod moves;
pub(crate) mod names;
pub(crate) mod packages;
pub(crate) mod pending;
pub(crate) mod publish;
pub(crate) mod recovery;
pub(crate) mod retired_callouts;
pub(crate) mod rust_function;
pub(crate) mod table_changes;
pub(crate) mod tags;

use std::collections::{BTreeMap, HashSet};

use amplify_build::plan::{Asset, EnvInput, InputValue, Plan, RootTemplateError, StackPlan};
use aws_sdk_cloudformation::types::StackStatus;

use crate::cli::aws::stack::{Stacks, UpdateStarted};
use crate::cli::aws::{sdk_error, Aws};
use crate::cli::deploy::amplify_cli::CliPackage;
use crate::cli::deploy::pending::{clear_pending, write_pending};
use crate::cli::deploy::rust_function::FunctionBuild;
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::progress::Progress;
use crate::cli::state::project::{timestamp_now, Project};
use crate::cli::state::{EnvParameters, Pending, ProviderInfo, RootValue};
use assets::Packages;
use events::{Events, Phase};

/// What one deployment of a plan to an environment's root stack takes.
pub(super) struct Deployment<'a> {
    pub project: &'a Project,
    pub aws: &'a Aws,
    pub plan: &'a Plan,
    /// The environment.
    pub env: &'a str,
    /// Its provider block: root stack, bucket, role names.
    pub provider: &'a ProviderInfo,
    /// Its values kept from earlier pushes (code keys of unchanged stacks, overrides).
    pub kept: &'a EnvParameters,
    /// Each API key's expiry.
    pub expiries: Vec<InputValue>,
    /// The stack tags.
    pub tags: &'a [(String, String)],
    /// Whether the push is recorded as pending while CloudFormation works (local state
    /// to settle after an interruption); `pipeline-deploy` keeps none.
    pub record_pending: bool,
    /// Where the phases go as they happen.
    pub events: &'a Events,
    /// Files deployed in place of the synthesised ones (none but in an intermediate step).
    pub overrides: &'a Overrides,
}

/// Files a deployment uses in place of the synthesised ones (an intermediate step's
/// templates, [`index_steps`]) and, for each key they move, the key the root template
/// refers to instead.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    /// Contents by path, relative to the folder holding `amplify/`.
    pub contents: BTreeMap<String, Vec<u8>>,
    /// `(synthesised key, key deployed)`.
    pub rewrites: Vec<(String, String)>,
}

impl Overrides {
    /// The file at `relative`: its override, else its bytes on disk.
    fn read(&self, project: &Project, relative: &str) -> Result<Vec<u8>> {
        match self.contents.get(relative) {
            Some(bytes) => Ok(bytes.clone()),
            None => read(project, relative),
        }
    }
}

/// What a deployment did.
pub(super) struct Outcome {
    /// Every per-environment value it deployed.
    pub inputs: Vec<InputValue>,
    /// Objects uploaded, by key.
    pub uploaded: Vec<String>,
    /// Whether CloudFormation changed anything.
    pub deployed: bool,
}

impl Deployment<'_> {
    /// The same deployment of another plan with other files: an intermediate step's.
    pub fn staged<'b>(&'b self, plan: &'b Plan, overrides: &'b Overrides) -> Deployment<'b> {
        Deployment {
            plan,
            overrides,
            expiries: self.expiries.clone(),
            ..*self
        }
    }

    /// Builds, uploads, updates the root stack and follows it; `unchanged` stacks keep
    /// their code and templates.
    pub async fn run(self, unchanged: &dyn Fn(&StackPlan) -> bool) -> Result<Outcome> {
        let bucket = self
            .provider
            .require(RootValue::DeploymentBucketName)?
            .to_owned();
        let stack_name = self.provider.require(RootValue::StackName)?.to_owned();
        let mut uploads: Vec<(String, Vec<u8>)> = Vec::new();
        let mut cli_packages = Vec::new();
        let how = FunctionBuild::for_endpoint(self.aws.endpoint.as_deref());
        let mut values = code_keys(
            self.project,
            self.plan,
            self.kept,
            unchanged,
            how,
            &mut uploads,
            &mut cli_packages,
        )?;
        uploads.extend(templates_and_files(
            self.project,
            self.plan,
            self.overrides,
            unchanged,
        )?);
        values.extend(inputs::overrides(self.plan, self.kept));
        values.extend(self.expiries.iter().cloned());
        let environment = environment_root(self.project, self.plan, self.overrides, values)?;
        uploads.push((environment.key.clone(), environment.template.into_bytes()));
        let needed = uploads.len();
        self.events.emit(Phase::Prepared {
            objects: needed,
            inputs: environment.inputs.len(),
        });
        let uploaded = upload_missing(self.aws, &bucket, uploads).await?;
        self.events.emit(Phase::Uploaded {
            objects: uploaded.len(),
            kept: needed - uploaded.len(),
        });

        let root = RootUpdate {
            stack_name: &stack_name,
            url: format!("https://s3.amazonaws.com/{bucket}/{}", environment.key),
            parameters: &root_parameters(self.plan, self.provider, self.env)?,
            inputs: &environment.inputs,
            tags: self.tags,
        };
        let deployed = self.update_root(&root).await?;
        // Only now: a failed push leaves the functions' `src/` as the last deploy left it.
        for package in &cli_packages {
            package.place()?;
        }
        Ok(Outcome {
            inputs: environment.inputs,
            uploaded,
            deployed,
        })
    }

    /// Updates the root stack and follows it. When the push is recorded, it is marked
    /// pending first, so that an interrupted push is settled by the next command.
    async fn update_root(&self, root: &RootUpdate<'_>) -> Result<bool> {
        let stacks = Stacks::new(self.aws);
        if self.record_pending {
            let pending = Pending {
                stack_name: root.stack_name.to_owned(),
                root_template_key: self.plan.root.template_key.clone(),
                inputs: root.inputs.to_vec(),
                started_at: timestamp_now(),
            };
            write_pending(self.project, self.env, &pending)?;
        }
        let forget = || {
            if self.record_pending {
                clear_pending(self.project, self.env);
            }
        };
        let baseline = stacks.event_baseline(root.stack_name).await?;
        let started = match stacks
            .update(root.stack_name, &root.url, root.parameters, root.tags)
            .await
        {
            Ok(s) => s,
            Err(e) => {
                forget();
                return Err(e);
            }
        };
        let status = if started == UpdateStarted::Started {
            let status =
                follow(self.project, self.env, &stacks, root.stack_name, &baseline).await?;
            Some(status.as_str().to_owned())
        } else {
            None
        };
        let deployed = status.is_some();
        self.events.emit(Phase::Deployed {
            stack: root.stack_name.to_owned(),
            status,
        });
        Ok(deployed)
    }
}

/// The templates of the stacks that changed and their files (AppSync resolvers…), by
/// content-addressed key.
fn templates_and_files(
    project: &Project,
    plan: &Plan,
    overrides: &Overrides,
    unchanged: &dyn Fn(&StackPlan) -> bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut uploads = Vec::new();
    for s in plan.stacks.iter().filter(|s| !unchanged(s)) {
        uploads.push((
            s.template_key.clone(),
            overrides.read(project, &s.template)?,
        ));
        for asset in &s.assets {
            if let Asset::Files { prefix, files, .. } = asset {
                for f in files {
                    let bytes = overrides.read(project, &f.path)?;
                    uploads.push((format!("{prefix}/{}", f.key), bytes));
                }
            }
        }
    }
    // Link and group stacks: content-addressed, so an unchanged one is found in the
    // bucket.
    for link in &plan.root.links {
        uploads.push((link.template_key.clone(), read(project, &link.template)?));
    }
    for group in &plan.root.groups {
        let bytes = overrides.read(project, &group.template)?;
        uploads.push((group.template_key.clone(), bytes));
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
fn environment_root(
    project: &Project,
    plan: &Plan,
    overrides: &Overrides,
    mut inputs: Vec<InputValue>,
) -> Result<EnvironmentRoot> {
    inputs.sort();
    let path = project.root.join(&plan.root.template);
    // An intermediate step's root in place of the synthesised one.
    let mut synthesised = String::from_utf8(overrides.read(project, &plan.root.template)?)
        .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?;
    // Keys are content hashes: each occurs only where the root refers to its object.
    for (from, to) in &overrides.rewrites {
        synthesised = synthesised.replace(from.as_str(), to);
    }
    let (template, key) = plan
        .root
        .for_environment(&synthesised, &inputs)
        .map_err(|e| match e {
            RootTemplateError::LeftOutInUse { .. } => CliError::new(Kind::Input, e.to_string())
                .help("push this environment to AWS, or remove the use from the declaration while you work locally"),
            _ => CliError::new(Kind::Other, format!("{}: {e}", path.display()))
                .help("the plan and the root template disagree: run `cargo build` and push again"),
        })?;
    Ok(EnvironmentRoot {
        inputs,
        template,
        key,
    })
}

/// The root stack update a deployment makes.
struct RootUpdate<'a> {
    stack_name: &'a str,
    url: String,
    parameters: &'a [(String, String)],
    inputs: &'a [InputValue],
    tags: &'a [(String, String)],
}

/// Follows the root stack's update to its end, to its final status; a rollback is an
/// error naming its cause.
async fn follow(
    project: &Project,
    env: &str,
    stacks: &Stacks<'_>,
    stack_name: &str,
    baseline: &HashSet<String>,
) -> Result<StackStatus> {
    let progress = Progress::new(&format!("Deploying {stack_name} …"));
    let watch = async {
        test_hooks::slow_follow().await;
        stacks.wait(stack_name, baseline, &progress).await
    };
    let outcome = tokio::select! {
        r = watch => r,
        _ = tokio::signal::ctrl_c() => {
            progress.finish();
            return Err(interrupted(stack_name, env));
        }
    };
    progress.finish();
    let (status, failures) = outcome?;
    let succeeded = matches!(
        status,
        StackStatus::CreateComplete | StackStatus::UpdateComplete
    );
    if !failures.is_empty() || !succeeded {
        let status = status.as_str();
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
    Ok(status)
}

/// The key of every code asset: the deployed one when its stack is unchanged, else
/// built, zipped and queued for upload (and its package for the Amplify CLI kept, to be
/// put in place once deployed).
pub(super) fn code_keys(
    project: &Project,
    plan: &Plan,
    kept: &EnvParameters,
    unchanged: &dyn Fn(&StackPlan) -> bool,
    how: FunctionBuild,
    uploads: &mut Vec<(String, Vec<u8>)>,
    cli_packages: &mut Vec<CliPackage>,
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
                    let entries =
                        assets::build_entries(&project.root, &s.name, code, &mut packages, how)?;
                    let zip = assets::zip_files(&entries)?;
                    let folder = project.root.join(&s.folder);
                    cli_packages.extend(CliPackage::of(folder, &project.root, code, &entries));
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
        let secret = plan.root.secrets.iter().find(|s| &s.parameter == name);
        let value = if let Some(v) = fixed {
            provider.require(v)?.to_owned()
        } else if name == "env" {
            env.to_owned()
        } else if let Some(secret) = secret {
            inputs::secret_value(plan, secret)?
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

/// How many uploads run at once: enough to hide S3's latency for a large backend's
/// templates and zips, few enough to stay clear of throttling.
const PARALLEL_UPLOADS: usize = 8;

/// Uploads objects whose keys are not in the bucket yet (keys are content-addressed, so
/// an existing key already holds these bytes), [`PARALLEL_UPLOADS`] at a time. Returns
/// the keys uploaded, in the order given.
pub(super) async fn upload_missing(
    aws: &Aws,
    bucket: &str,
    objects: Vec<(String, Vec<u8>)>,
) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<(String, Vec<u8>)> = objects
        .into_iter()
        .filter(|(key, _)| seen.insert(key.clone()))
        .collect();
    let mut uploaded = Vec::new();
    let mut queue = unique.into_iter().enumerate();
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < PARALLEL_UPLOADS {
            let Some((i, (key, bytes))) = queue.next() else {
                break;
            };
            let (s3, bucket) = (aws.s3.clone(), bucket.to_owned());
            running.spawn(async move { (i, upload_if_missing(&s3, &bucket, key, bytes).await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (i, result) = done.expect("an upload task does not panic");
        if let Some(key) = result? {
            uploaded.push((i, key));
        }
    }
    uploaded.sort();
    Ok(uploaded.into_iter().map(|(_, key)| key).collect())
}

/// Uploads one object unless its key exists; `Some(key)` when it was uploaded.
async fn upload_if_missing(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: String,
    bytes: Vec<u8>,
) -> Result<Option<String>> {
    match s3.head_object().bucket(bucket).key(&key).send().await {
        Ok(_) => {
            tracing::debug!(%key, "already uploaded");
            return Ok(None);
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {}
        Err(e) => return Err(sdk_error(format!("cannot check `s3://{bucket}/{key}`"), e)),
    }
    s3.put_object()
        .bucket(bucket)
        .key(&key)
        .body(bytes.into())
        .send()
        .await
        .map_err(|e| sdk_error(format!("cannot upload `s3://{bucket}/{key}`"), e))?;
    tracing::info!(%key, "uploaded");
    Ok(Some(key))
}

/// Fault injection for the recovery tests (feature `test-hooks`, never in an installed
/// CLI): `AMPLIFY_RS_TEST_SLOW_FOLLOW_MS` holds push between starting the stack update
/// and following it, so a test can interrupt a push at that moment every time.
mod test_hooks {
    #[cfg(feature = "test-hooks")]
    pub async fn slow_follow() {
        let ms = std::env::var("AMPLIFY_RS_TEST_SLOW_FOLLOW_MS")
            .ok()
            .and_then(|v| v.parse().ok());
        if let Some(ms) = ms {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }

    #[cfg(not(feature = "test-hooks"))]
    pub async fn slow_follow() {}
}

fn interrupted(stack: &str, env: &str) -> CliError {
    CliError::new(
        Kind::Interrupted,
        format!("interrupted: CloudFormation keeps working on `{stack}`; local state for `{env}` was not changed"),
    )
    .help("run `cargo amplify status` (or push again) once it settles: amplify-rs reconciles with the stack's real state")
}

#[cfg(test)]
mod upload_tests {
    use aws_sdk_s3::operation::head_object::{HeadObjectError, HeadObjectOutput};
    use aws_sdk_s3::operation::put_object::PutObjectOutput;
    use aws_sdk_s3::types::error::NotFound;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    use super::*;
    use crate::cli::aws::retry_config;
    use crate::cli::aws::stack::sdk_tests::aws_with;

    /// S3 that has `present` and throttles the first `throttled` uploads of the others.
    fn s3(throttled: usize) -> (aws_sdk_s3::Client, aws_smithy_mocks::Rule) {
        let head = mock!(aws_sdk_s3::Client::head_object)
            .match_requests(|r| r.key() == Some("present"))
            .then_output(|| HeadObjectOutput::builder().build());
        let missing = mock!(aws_sdk_s3::Client::head_object)
            .match_requests(|r| r.key() != Some("present"))
            .then_error(|| HeadObjectError::NotFound(NotFound::builder().build()));
        let mut put = mock!(aws_sdk_s3::Client::put_object).sequence();
        if throttled > 0 {
            put = put
                .http_status(503, Some("<Error><Code>SlowDown</Code></Error>".into()))
                .times(throttled);
        }
        let put = put
            .output(|| PutObjectOutput::builder().build())
            .repeatedly()
            .build();
        let client = mock_client!(
            aws_sdk_s3,
            RuleMode::MatchAny,
            [&head, &missing, &put],
            |c| c
                .retry_config(retry_config())
                .time_source(aws_smithy_async::time::SystemTimeSource::new())
        );
        (client, put)
    }

    #[tokio::test]
    async fn a_throttled_upload_is_retried_until_it_goes_through() {
        let mut aws = aws_with(mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            &[]
        ));
        let (client, put) = s3(3);
        aws.s3 = client;
        let objects = vec![
            ("present".to_owned(), b"old".to_vec()),
            ("a".to_owned(), b"new".to_vec()),
        ];
        let uploaded = upload_missing(&aws, "bucket", objects).await.unwrap();
        assert_eq!(uploaded, ["a"]);
        assert_eq!(
            put.num_calls(),
            4,
            "three throttled attempts, then the upload"
        );
    }

    #[tokio::test]
    async fn many_uploads_go_out_together_and_come_back_in_order() {
        let mut aws = aws_with(mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            &[]
        ));
        let (client, put) = s3(0);
        aws.s3 = client;
        let objects: Vec<(String, Vec<u8>)> = (0..40)
            .map(|i| (format!("k{i:02}"), vec![i as u8]))
            .chain([("k00".to_owned(), vec![0])])
            .collect();
        let uploaded = upload_missing(&aws, "bucket", objects).await.unwrap();
        let expected: Vec<String> = (0..40).map(|i| format!("k{i:02}")).collect();
        assert_eq!(uploaded, expected, "each key once, in the order given");
        assert_eq!(put.num_calls(), 40);
    }
}
