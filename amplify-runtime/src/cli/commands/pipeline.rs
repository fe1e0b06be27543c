//! `cargo amplify pipeline-deploy --branch <b> --app-id <id>`: the CI command. It needs
//! no local state (a fresh clone and credentials are enough), names the root stack the
//! Gen 2 way, creates the root resources when they are absent, deploys every stack
//! (CloudFormation skips what did not change) and writes the client configuration.
//! `generate outputs --branch/--app-id` or `--stack` reads a deployed backend the same
//! way, from a clean checkout.

use std::path::PathBuf;

use amplify_build::plan::{Plan, PROVIDER};
use sha2::{Digest, Sha256};

use crate::cli::aws::stack::Stacks;
use crate::cli::aws::{sdk_error, Aws};
use crate::cli::commands::env::{create_root, RootNames};
use crate::cli::context::Context;
use crate::cli::deploy::actions;
use crate::cli::deploy::inputs;
use crate::cli::deploy::tags::hydrate_tags;
use crate::cli::deploy::{self, events::Phase};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::frontend::client_config::Inputs;
use crate::cli::frontend::{self, CdkOutputs, Format};
use crate::cli::state::gen2::{self, BackendType};
use crate::cli::state::project::Project;
use crate::cli::state::{compose_meta, EnvParameters, ProviderInfo};

/// Where the client configuration goes.
pub struct OutputsOptions {
    /// `--outputs-out-dir` (default: the crate root).
    pub out_dir: Option<PathBuf>,
    /// `--outputs-format`.
    pub format: Format,
}

/// Variables CI services set (the `is-ci` package's list, in short).
const CI_VARIABLES: &[&str] = &[
    "CI",
    "CONTINUOUS_INTEGRATION",
    "BUILD_NUMBER",
    "RUN_ID",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "CODEBUILD_BUILD_ID",
    "CODECATALYST",
    "AWS_APP_ID",
    "JENKINS_URL",
    "BUILDKITE",
    "CIRCLECI",
    "TF_BUILD",
];

/// Whether this runs in CI, as `is-ci` decides (`CI=false` or `CI=0` say no).
pub fn in_ci() -> bool {
    CI_VARIABLES.iter().any(|name| match std::env::var(name) {
        Ok(value) => !value.is_empty() && value != "false" && value != "0",
        Err(_) => false,
    })
}

/// The root resources of an app's branch: the Gen 2 stack name, and global names
/// (bucket, roles) that are unique per account and region.
fn root_names(app_id: &str, branch: &str, account: &str, region: &str) -> (RootNames, String) {
    let stack = gen2::stack_name(app_id, branch, BackendType::Branch);
    let digest = Sha256::digest(format!("{stack}/{account}/{region}").as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let short = |text: &str, n: usize| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .take(n)
            .collect()
    };
    let base = format!("amplify-{}-{}-{hash}", short(app_id, 16), short(branch, 12));
    // The Amplify environment name of the branch (it suffixes resource names such as
    // `PostTable-<env>`): short, and distinct for every app and branch.
    let env = format!("{}{}", short(branch, 4), &hash[..6]);
    let names = RootNames {
        stack,
        bucket: format!("{base}-deploy"),
        auth_role: format!("{base}-auth"),
        unauth_role: format!("{base}-unauth"),
    };
    (names, env)
}

/// Runs `pipeline-deploy`.
pub async fn pipeline_deploy(
    ctx: &Context,
    branch: &str,
    app_id: &str,
    outputs: &OutputsOptions,
) -> Result<()> {
    if !in_ci() {
        return Err(CliError::input(
            "`pipeline-deploy` runs in a CI/CD workflow, and this does not look like one (no `CI` variable)",
        )
        .help("deploy from your machine with `cargo amplify push`; in CI, set `CI=1`"));
    }
    if branch.trim().is_empty() || app_id.trim().is_empty() {
        return Err(CliError::input(
            "`--branch` and `--app-id` must not be empty",
        ));
    }
    let (project, plan) = (&ctx.project, ctx.plan()?);
    let aws = ctx.aws().await?;
    let (account, identity) = aws.caller().await?;
    let (names, env) = root_names(app_id, branch, &account, &aws.region);
    eprintln!(
        "Deploying branch `{branch}` of app `{app_id}` as {} in account {account}, {}, with the identity {identity}",
        names.stack, aws.region
    );
    actions::check_inputs(project, plan)?;
    inputs::check_secrets(plan)?;
    let provider = ensure_root(project, &aws, plan, &names, &env).await?;
    deploy_all(ctx, &aws, &provider, &env).await?;
    // No local state: every action runs, with the deployed stacks' outputs.
    let groups = plan.root.group_ids();
    let (_, deployed) = Stacks::new(&aws).outputs(&names.stack, &groups).await?;
    ctx.events.emit(Phase::OutputsCollected {
        stacks: deployed.len() + 1,
    });
    let previous = Default::default();
    let (_, failure) = actions::run(
        project,
        &aws,
        &env,
        (plan, &deployed),
        &previous,
        &ctx.events,
    )
    .await;
    if let Some(e) = failure {
        return Err(e);
    }
    write_outputs(project, &aws, plan, &names.stack, &env, outputs).await
}

/// The root stack, created with its bucket and roles when absent; refuses names
/// another account or stack already holds.
async fn ensure_root(
    project: &Project,
    aws: &Aws,
    plan: &Plan,
    names: &RootNames,
    env: &str,
) -> Result<ProviderInfo> {
    let stacks = Stacks::new(aws);
    let info = match stacks.describe(&names.stack).await? {
        Some(info) if info.in_progress() => {
            return Err(CliError::new(
                Kind::Busy,
                format!("stack `{}` is busy ({})", names.stack, info.status.as_str()),
            )
            .help("another deployment of this branch is running; wait for it to finish"))
        }
        Some(info) => info,
        None => {
            check_bucket_free(aws, &names.bucket).await?;
            create_root(project, aws, &plan.project_name, env, names).await?
        }
    };
    let mut provider = ProviderInfo {
        region: Some(aws.region.clone()),
        stack_name: Some(names.stack.clone()),
        stack_id: Some(info.id.clone()),
        deployment_bucket_name: Some(names.bucket.clone()),
        auth_role_name: Some(names.auth_role.clone()),
        unauth_role_name: Some(names.unauth_role.clone()),
        ..ProviderInfo::default()
    };
    for (key, value) in &info.outputs {
        provider.record_output(key, value);
    }
    Ok(provider)
}

/// A bucket name is global: one that exists already (in any account) is refused before
/// anything is created.
async fn check_bucket_free(aws: &Aws, bucket: &str) -> Result<()> {
    let taken = || {
        CliError::input(format!(
            "the deployment bucket name `{bucket}` is taken (by another stack or account)"
        ))
        .help("delete that bucket if it is a leftover of this branch, or deploy under another --app-id")
    };
    match aws.s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => Err(taken()),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(()),
        Err(e) => match e.raw_response().map(|r| r.status().as_u16()) {
            Some(404) => Ok(()),
            // Another account's bucket answers "forbidden".
            Some(403) => Err(taken()),
            _ => Err(sdk_error(
                format!("cannot check whether bucket `{bucket}` exists"),
                e,
            )),
        },
    }
}

/// Uploads and deploys every stack through the shared pipeline; nothing is recorded
/// locally.
async fn deploy_all(ctx: &Context, aws: &Aws, provider: &ProviderInfo, env: &str) -> Result<()> {
    let (project, plan) = (&ctx.project, ctx.plan()?);
    let tags = hydrate_tags(&deploy::read_tags(project)?, &plan.project_name, env)?;
    let kept = EnvParameters::default();
    deploy::Deployment {
        project,
        aws,
        plan,
        env,
        provider,
        kept: &kept,
        expiries: inputs::api_key_expiries(plan, &kept, inputs::now()).0,
        tags: &tags,
        record_pending: false,
        events: &ctx.events,
        overrides: &Default::default(),
    }
    .run(&|_| false)
    .await?;
    Ok(())
}

/// The client configuration of the deployed `stack`, from its outputs alone.
async fn write_outputs(
    project: &Project,
    aws: &Aws,
    plan: &Plan,
    stack: &str,
    env: &str,
    options: &OutputsOptions,
) -> Result<()> {
    let groups = plan.root.group_ids();
    let (root, outputs) = Stacks::new(aws).outputs(stack, &groups).await?;
    let mut provider = ProviderInfo {
        region: Some(aws.region.clone()),
        stack_name: Some(stack.to_owned()),
        ..ProviderInfo::default()
    };
    for (key, value) in &root.outputs {
        provider.record_output(key, value);
    }
    let meta = compose_meta(plan, &plan.backend_config, &provider, &outputs, None, None);
    let cdk = CdkOutputs::default();
    let inputs = Inputs {
        meta: &meta,
        plan,
        project: &plan.project_name,
        env,
        cdk: &cdk,
        local_cloud: aws.endpoint.as_deref(),
    };
    let dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| project.root.clone());
    let path = dir.join(options.format.file_name());
    frontend::write_format(&inputs, options.format, &path)?;
    eprintln!("Wrote {} ({PROVIDER} stack {stack})", path.display());
    Ok(())
}

/// `generate outputs --stack <name>` or `--app-id <id> --branch <b>`: the client
/// configuration of a deployed backend, reading and writing no other local state.
pub async fn generate_from_stack(
    ctx: &Context,
    target: &StackTarget,
    outputs: &OutputsOptions,
) -> Result<()> {
    let plan = ctx.plan()?;
    let aws = ctx.aws().await?;
    let stack = match target {
        StackTarget::Stack(name) => name.clone(),
        StackTarget::Branch { app_id, branch } => {
            let account = aws.account_id().await?;
            root_names(app_id, branch, &account, &aws.region).0.stack
        }
    };
    let Some(info) = Stacks::new(&aws).describe(&stack).await? else {
        return Err(
            CliError::input(format!("no stack `{stack}` in {}", aws.region))
                .help("check --app-id and --branch (or --stack), the region and the account"),
        );
    };
    // The environment the stack was deployed as: its `env` parameter, whichever way the
    // stack was named.
    let env = info.parameters.get("env").cloned().unwrap_or_default();
    write_outputs(&ctx.project, &aws, plan, &stack, &env, outputs).await
}

/// Which deployed backend `generate outputs` reads.
pub enum StackTarget {
    /// A stack by name.
    Stack(String),
    /// An app's branch, named the Gen 2 way.
    Branch {
        /// `--app-id`
        app_id: String,
        /// `--branch`
        branch: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_names_fit_aws_limits_and_differ_by_account_and_region() {
        let (a, env) = root_names("d1a2b3c4e5f6g7", "main", "111111111111", "us-east-1");
        let (b, _) = root_names("d1a2b3c4e5f6g7", "main", "222222222222", "us-east-1");
        let (c, _) = root_names("d1a2b3c4e5f6g7", "main", "111111111111", "eu-west-1");
        assert_eq!(
            a.stack, b.stack,
            "the stack name is Gen 2's, per app and branch"
        );
        assert_ne!(a.bucket, b.bucket);
        assert_ne!(a.bucket, c.bucket);
        assert_ne!(a.auth_role, c.auth_role, "IAM is global to the account");
        assert!(a.bucket.len() <= 63 && a.auth_role.len() <= 64 && a.unauth_role.len() <= 64);
        assert!(env.len() <= 10 && env.starts_with("main"), "{env}");
        let long = root_names(
            &"x".repeat(80),
            &"feature/long-branch-name".repeat(3),
            "1",
            "r",
        )
        .0;
        assert!(
            long.bucket.len() <= 63 && long.unauth_role.len() <= 64,
            "{}",
            long.bucket
        );
    }
}
