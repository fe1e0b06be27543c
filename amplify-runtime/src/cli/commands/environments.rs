//! `cargo amplify env …`, Amplify's environment commands: every environment lives in
//! `team-provider-info.json`, the current one in `local-env-info.json`, and
//! `#current-cloud-backend` follows `checkout` (restored from the zip each push uploads
//! to the environment's deployment bucket).

use std::io::Read as _;
use std::path::Path;

use serde_json::json;

use crate::cli::aws::stack::Stacks;
use crate::cli::aws::{sdk_error, Aws};
use crate::cli::context::Context;
use crate::cli::error::{CliError, Result};
use crate::cli::frontend;
use crate::cli::state::project::{swap_dir, write_atomic, write_json, Project};
use crate::cli::state::{AmplifyMeta, EnvEntry, ProviderInfo, RootValue};
use amplify_build::plan::{Plan, PROVIDER};

/// `env list [--json]`.
pub fn list(project: &Project, as_json: bool) -> Result<()> {
    let tpi = project.team_provider_info()?;
    let current = project.current_env()?;
    if as_json {
        let envs: Vec<&String> = tpi.0.keys().collect();
        println!("{}", json!({ "envs": envs, "current": current }));
        return Ok(());
    }
    if tpi.0.is_empty() {
        println!("No environments yet: create one with `cargo amplify init --env dev`.");
    }
    for name in tpi.0.keys() {
        let mark = if current.as_deref() == Some(name) {
            "*"
        } else {
            " "
        };
        println!("{mark} {name}");
    }
    Ok(())
}

/// `env get --name <env> [--json]`: the environment's provider values.
pub fn get(project: &Project, name: &str, as_json: bool) -> Result<()> {
    let provider = project.env_provider(name)?;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "name": name, PROVIDER: provider }))
                .expect("JSON")
        );
    } else {
        println!("{name}");
        for (key, value) in serde_json::to_value(&provider)
            .expect("JSON")
            .as_object()
            .into_iter()
            .flatten()
        {
            println!("  {key:<24} {}", value.as_str().unwrap_or_default());
        }
    }
    Ok(())
}

/// `env checkout <name>`: makes `name` the current environment, with its last pushed
/// state and its client configuration.
pub async fn checkout(ctx: &Context) -> Result<()> {
    let (project, name) = (&ctx.project, ctx.env()?);
    let provider = ctx.provider_info()?;
    let aws = ctx.aws().await?;
    let plan = ctx.plan().ok();
    let meta = restore_current_cloud_backend(project, &aws, provider, plan).await?;
    write_json(&project.meta_path(), &meta)?;
    project.select_env(name)?;
    if meta.resources().next().is_some() {
        let local_cloud = crate::cli::commands::configure::recorded_endpoint(project, name);
        frontend::write_frontend(project, name, ctx.plan()?, &meta, local_cloud.as_deref())?;
    }
    eprintln!("Switched to environment `{name}`.");
    Ok(())
}

/// Before a push with no local record of what the environment holds (a fresh clone, an
/// adopted Gen 1 environment, whose root stack exists): reads it — the bucket's zip, else
/// CloudFormation — so the push compares with the stacks it updates, and refuses what
/// would replace their pools, tables and buckets, rather than taking every resource as new.
pub async fn read_deployed_if_unrecorded(ctx: &Context) -> Result<()> {
    let project = &ctx.project;
    let provider = ctx.provider_info()?;
    if project.current_cloud_backend().exists() || provider.stack_id.is_none() {
        return Ok(());
    }
    let aws = ctx.aws().await?;
    let meta = match restore_current_cloud_backend(project, &aws, provider, ctx.plan().ok()).await {
        Ok(meta) => meta,
        // Gone or unreadable (the stack or bucket deleted out of band): the push goes on
        // as before, recreating what is missing.
        Err(e) => {
            eprintln!(
                "Warning: could not read what environment `{}` holds: {e}",
                ctx.env()?
            );
            return Ok(());
        }
    };
    if project.current_cloud_backend().exists() {
        eprintln!(
            "No local record of environment `{}`'s last push: read what its stacks hold.",
            ctx.env()?
        );
        write_json(&project.meta_path(), &meta)?;
    }
    Ok(())
}

/// `#current-cloud-backend` of the environment's last push, from its deployment bucket;
/// returns its `amplify-meta.json` (providers only when it was never pushed).
async fn restore_current_cloud_backend(
    project: &Project,
    aws: &Aws,
    provider: &ProviderInfo,
    plan: Option<&Plan>,
) -> Result<AmplifyMeta> {
    let staging = project.amplify_dir().join(".current-cloud-backend.staging");
    let mut meta = restore_from_bucket(aws, provider, &staging).await?;
    // Not pushed by amplify-rs (no deployment plan in it: Amplify Gen 1's, or none at
    // all): what is deployed is read from CloudFormation itself.
    let ours = staging
        .join("awscloudformation/build/deployment-plan.json")
        .is_file();
    if !ours {
        let _ = std::fs::remove_dir_all(&staging);
        if let Some(deployed) =
            super::deployed::from_cloudformation(aws, provider, plan, &staging).await?
        {
            meta = deployed;
        }
    }
    if staging.is_dir() {
        swap_dir(&staging, &project.current_cloud_backend())?;
    } else {
        let _ = std::fs::remove_dir_all(project.current_cloud_backend());
    }
    Ok(meta)
}

/// The zip the environment's last push left in its deployment bucket, unpacked into
/// `staging`; its `amplify-meta.json` (providers only when there is none).
async fn restore_from_bucket(
    aws: &Aws,
    provider: &ProviderInfo,
    staging: &Path,
) -> Result<AmplifyMeta> {
    let bucket = provider.require(RootValue::DeploymentBucketName)?;
    let _ = std::fs::remove_dir_all(staging);
    let object = aws
        .s3
        .get_object()
        .bucket(bucket)
        .key("#current-cloud-backend.zip")
        .send()
        .await;
    let bytes = match object {
        Ok(o) => o
            .body
            .collect()
            .await
            .map_err(|e| {
                CliError::new(
                    crate::cli::error::Kind::Aws,
                    format!("cannot download `#current-cloud-backend.zip` from `{bucket}`: {e}"),
                )
            })?
            .into_bytes(),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
            let mut meta = AmplifyMeta::default();
            meta.providers.insert(PROVIDER.to_owned(), provider.clone());
            return Ok(meta);
        }
        Err(e) => {
            return Err(sdk_error(
                format!("cannot download `#current-cloud-backend.zip` from `{bucket}`"),
                e,
            ))
        }
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| {
        CliError::input(format!(
            "`#current-cloud-backend.zip` in `{bucket}` is not a zip: {e}"
        ))
    })?;
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| CliError::input(format!("`#current-cloud-backend.zip`: {e}")))?;
        // Only plain relative paths: a name with `..` would write outside the folder.
        // Folders are made with the files they hold (the Amplify CLI's zip lists them too).
        let Some(rel) = file.enclosed_name().filter(|_| !file.is_dir()) else {
            continue;
        };
        let mut content = Vec::new();
        file.read_to_end(&mut content)
            .map_err(|e| CliError::io("read", &rel, e))?;
        write_atomic(&staging.join(rel), &content)?;
    }
    Ok(
        crate::cli::state::project::read_json(&staging.join("amplify-meta.json"))?
            .unwrap_or_default(),
    )
}

/// `env import --name <env> --stack-name <stack>`: registers an environment someone else
/// created, from its root stack.
pub async fn import(ctx: &Context, name: &str, stack: &str) -> Result<()> {
    let project = &ctx.project;
    crate::cli::commands::env::validate_env(name)?;
    let mut tpi = project.team_provider_info()?;
    if tpi.0.contains_key(name) {
        return Err(
            CliError::input(format!("environment `{name}` already exists"))
                .help("choose another --name, or `cargo amplify env checkout` it"),
        );
    }
    let aws = ctx.aws().await?;
    let Some(info) = Stacks::new(&aws).describe(stack).await? else {
        return Err(
            CliError::input(format!("no stack `{stack}` in {}", aws.region))
                .help("check --stack-name, the region and the account"),
        );
    };
    let mut provider = ProviderInfo {
        region: Some(aws.region.clone()),
        stack_name: Some(stack.to_owned()),
        stack_id: Some(info.id.clone()),
        ..ProviderInfo::default()
    };
    for (key, value) in &info.outputs {
        provider.record_output(key, value);
    }
    provider
        .require(RootValue::DeploymentBucketName)
        .map_err(|_| {
            CliError::input(format!(
                "`{stack}` is not an Amplify root stack: it has no DeploymentBucketName output"
            ))
        })?;
    let mut entry = EnvEntry::default();
    entry.providers.insert(PROVIDER.to_owned(), provider);
    tpi.0.insert(name.to_owned(), entry);
    write_json(&project.team_provider_info_path(), &tpi)?;
    eprintln!("Imported environment `{name}` (stack {stack}); switch to it with `cargo amplify env checkout {name}`.");
    Ok(())
}

/// `env remove <name>` refuses the current environment, as Amplify does.
pub fn check_removable(project: &Project, name: &str) -> Result<()> {
    project.env_provider(name)?;
    if project.current_env()?.as_deref() == Some(name) {
        return Err(CliError::input(format!("`{name}` is the current environment"))
            .help("check out another one first (`cargo amplify env checkout <name>`), or delete this one with `cargo amplify delete`"));
    }
    Ok(())
}
