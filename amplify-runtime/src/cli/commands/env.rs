//! `cargo amplify init` (create an environment's root stack and local state) and
//! `cargo amplify delete` (remove it, its bucket and its local state).

use amplify_build::category::stack::ProjectSettings;
use amplify_build::plan::PROVIDER;
use amplify_build::synth::project_config;
use aws_sdk_cloudformation::types::StackStatus;

use crate::cli::aws::stack::{StackInfo, Stacks};
use crate::cli::aws::{self, sdk_error, Aws, AwsSettings};
use crate::cli::context::Context;
use crate::cli::deploy::pending::clear_pending;
use crate::cli::deploy::tags::hydrate_tags;
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::progress::Progress;
use crate::cli::prompt::confirm;
use crate::cli::state::project::{read_json, write_atomic, write_json, Project};
use crate::cli::state::{
    AmplifyMeta, AwsConfigLevel, EnvEntry, LocalAwsInfo, ProviderInfo, RootValue, TeamProviderInfo,
};

/// Flags of `init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// `--project-name`
    pub project_name: Option<String>,
    /// `--yes`: create without asking.
    pub yes: bool,
}

/// Amplify's rule for environment names.
pub fn validate_env(env: &str) -> Result<()> {
    if (2..=10).contains(&env.len()) && env.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(())
    } else {
        Err(CliError::input(format!("invalid environment name `{env}`"))
            .help("environment names are 2–10 lowercase letters, e.g. `dev` or `prod`"))
    }
}

/// Amplify's rule for project names.
pub fn validate_project_name(name: &str) -> Result<()> {
    if (3..=20).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(CliError::input(format!("invalid project name `{name}`"))
            .help("project names are 3–20 ASCII letters and digits (no dashes: exports split stack names on `-`)"))
    }
}

/// `amplify-<project>-<env>-<suffix>`, lower-case, as Amplify names root stacks.
pub fn stack_name(project: &str, env: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!("{project}{env}{nanos}{}", std::process::id());
    let suffix = crate::cli::deploy::assets::hex(
        &<sha2::Sha256 as sha2::Digest>::digest(seed.as_bytes())[..3],
    );
    format!(
        "amplify-{}-{env}-{}",
        project.to_ascii_lowercase(),
        &suffix[..5]
    )
}

/// Runs `init`.
pub async fn init(ctx: &Context, opts: &InitOptions) -> Result<()> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let (name, tpi) = check_init(ctx, opts)?;
    let aws = ctx.aws().await?;
    let stack = stack_name(&name, env);
    let bucket = format!("{stack}-deployment");
    confirm(
        opts.yes,
        &format!(
            "Create environment `{env}`: root stack {stack} with deployment bucket {bucket} and two IAM roles, in {}?",
            aws.region
        ),
    )?;
    let info = create_root(project, &aws, &name, env, &RootNames::amplify(&stack)).await?;

    let mut provider = ProviderInfo::default();
    for (key, value) in &info.outputs {
        provider.record_output(key, value);
    }
    provider.region = Some(aws.region.clone());
    provider.stack_name = Some(stack.clone());
    provider.stack_id = Some(info.id.clone());
    provider.deployment_bucket_name = Some(bucket.clone());
    record_init(project, &ctx.settings, env, provider, tpi)?;
    eprintln!(
        "Environment `{env}` is ready: stack {stack}, bucket {bucket}. Next: `cargo amplify push`."
    );
    Ok(())
}

/// The project name and the environments, once the flags and local files agree that
/// `env` can be created. Writes `project-config.json` for a new project.
fn check_init(ctx: &Context, opts: &InitOptions) -> Result<(String, TeamProviderInfo)> {
    let (project, env) = (&ctx.project, ctx.env()?);
    validate_env(env)?;
    if let Some(name) = &opts.project_name {
        validate_project_name(name)?;
        if !project.project_config_path().exists() {
            let settings = ProjectSettings {
                project_name: name.clone(),
                frontend: "rust".into(),
            };
            write_atomic(
                &project.project_config_path(),
                project_config(&settings).as_bytes(),
            )?;
        }
    }
    // The root stack needs only the project's name: read it where synthesis keeps it
    // (committed with the project), and synthesise only when it was never written, so
    // `init` in a fresh clone does not wait for a build.
    let name = match project.project_name() {
        Ok(name) if project.project_config_path().is_file() => name,
        _ => ctx.plan()?.project_name.clone(),
    };
    if let Some(flag) = &opts.project_name {
        if *flag != name {
            return Err(CliError::input(format!(
                "`amplify/.config/project-config.json` names the project `{name}`, not `{flag}`"
            ))
            .help("edit projectName in that file, or leave out --project-name"));
        }
    }
    validate_project_name(&name)?;
    let tpi = project.team_provider_info()?;
    if tpi.0.contains_key(env) {
        return Err(CliError::input(format!(
            "environment `{env}` already exists in `amplify/team-provider-info.json`"
        ))
        .help("push to it with `cargo amplify push`, or choose another `--env`"));
    }
    Ok((name, tpi))
}

/// The names of an environment's root resources.
pub(crate) struct RootNames {
    /// The root stack.
    pub stack: String,
    /// The deployment bucket.
    pub bucket: String,
    /// The role of signed-in users.
    pub auth_role: String,
    /// The role of guests.
    pub unauth_role: String,
}

impl RootNames {
    /// Amplify Gen 1's: derived from the stack name.
    pub fn amplify(stack: &str) -> Self {
        RootNames {
            stack: stack.to_owned(),
            bucket: format!("{stack}-deployment"),
            auth_role: format!("{stack}-authRole"),
            unauth_role: format!("{stack}-unauthRole"),
        }
    }
}

/// Creates the root stack from the bootstrap template and waits for it; a failed
/// creation is deleted again, so nothing half-made is left.
pub(crate) async fn create_root(
    project: &Project,
    aws: &Aws,
    name: &str,
    env: &str,
    root: &RootNames,
) -> Result<StackInfo> {
    let stacks = Stacks::new(aws);
    let stack = root.stack.as_str();
    let parameters = vec![
        ("DeploymentBucketName".to_owned(), root.bucket.clone()),
        ("AuthRoleName".to_owned(), root.auth_role.clone()),
        ("UnauthRoleName".to_owned(), root.unauth_role.clone()),
    ];
    let tags_text = std::fs::read_to_string(project.backend_dir().join("tags.json"))
        .unwrap_or_else(|_| "[]".into());
    let tags = hydrate_tags(&tags_text, name, env)?;
    eprintln!("Creating root stack {stack} in {} …", aws.region);
    let baseline = stacks.event_baseline(stack).await?;
    stacks
        .create(
            stack,
            amplify_build::synth::bootstrap_root_template(),
            &parameters,
            &tags,
        )
        .await?;
    let progress = Progress::new(&format!("Creating {stack} …"));
    let (status, failures) = stacks.wait(stack, &baseline, &progress).await?;
    progress.finish();
    if status != StackStatus::CreateComplete {
        let status = status.as_str();
        let _ = stacks.delete(stack).await;
        let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
        return Err(CliError::new(
            Kind::Deploy,
            format!(
                "creating `{stack}` failed ({status}):\n    {}",
                causes.join("\n    ")
            ),
        )
        .help("fix the cause and run init again; no local files were written"));
    }
    stacks.describe(stack).await?.ok_or_else(|| {
        CliError::new(
            Kind::Aws,
            format!("stack `{stack}` vanished after creation"),
        )
    })
}

/// Amplify's local state of a new environment, written once its stack exists.
fn record_init(
    project: &Project,
    settings: &AwsSettings,
    env: &str,
    provider: ProviderInfo,
    mut tpi: TeamProviderInfo,
) -> Result<()> {
    let _ = std::fs::remove_dir_all(project.current_cloud_backend());
    let mut meta = AmplifyMeta::default();
    meta.providers.insert(PROVIDER.to_owned(), provider.clone());
    write_json(&project.meta_path(), &meta)?;
    let mut local_aws: LocalAwsInfo = read_json(&project.local_aws_path())?.unwrap_or_default();
    let level = match &settings.profile {
        Some(p) => AwsConfigLevel {
            config_level: "project".into(),
            use_profile: Some(true),
            profile_name: Some(p.clone()),
            ..AwsConfigLevel::default()
        },
        None => AwsConfigLevel {
            config_level: "general".into(),
            ..AwsConfigLevel::default()
        },
    };
    local_aws.0.insert(env.to_owned(), level);
    write_json(&project.local_aws_path(), &local_aws)?;
    project.select_env(env)?;
    let mut entry = EnvEntry::default();
    entry.providers.insert(PROVIDER.to_owned(), provider);
    tpi.0.insert(env.to_owned(), entry);
    write_json(&project.team_provider_info_path(), &tpi)
}

/// Runs `delete`.
pub async fn delete(ctx: &Context, yes: bool) -> Result<()> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let provider = ctx.provider_info()?;
    let stack = provider.require(RootValue::StackName)?.to_owned();
    let bucket = provider
        .require(RootValue::DeploymentBucketName)?
        .to_owned();
    confirm(
        yes,
        &format!(
            "Delete environment `{env}`: stack {stack}, every resource in it, and bucket {bucket}?"
        ),
    )?;
    let aws = ctx.aws().await?;
    let stacks = Stacks::new(&aws);
    if let Some(info) = stacks.describe(&stack).await? {
        empty_published_buckets(ctx, &stacks, &aws, &stack).await?;
        let baseline = stacks.event_baseline(&stack).await?;
        stacks.delete(&info.id).await?;
        let progress = Progress::new(&format!("Deleting {stack} …"));
        let (status, failures) = stacks.wait(&stack, &baseline, &progress).await?;
        progress.finish();
        if status != StackStatus::DeleteComplete {
            let status = status.as_str();
            let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
            return Err(CliError::new(Kind::Deploy, format!("deleting `{stack}` failed ({status}):\n    {}", causes.join("\n    ")))
                .help("remove the resources named above by hand, then run delete again; local state was kept"));
        }
    }
    empty_and_delete_bucket(&aws, &bucket).await?;

    let mut tpi = project.team_provider_info()?;
    tpi.0.shift_remove(env);
    write_json(&project.team_provider_info_path(), &tpi)?;
    let local_aws: Option<LocalAwsInfo> = read_json(&project.local_aws_path())?;
    if let Some(mut local_aws) = local_aws {
        local_aws.0.shift_remove(env);
        write_json(&project.local_aws_path(), &local_aws)?;
    }
    if project.current_env()?.as_deref() == Some(env) {
        let cleared = crate::cli::frontend::clear_frontend(project, env)?;
        if !cleared.is_empty() {
            let names: Vec<String> = cleared.iter().map(|p| p.display().to_string()).collect();
            eprintln!("Client configuration cleared: {}", names.join(", "));
        }
        let _ = std::fs::remove_file(project.local_env_path());
        let _ = std::fs::remove_file(project.meta_path());
        let _ = std::fs::remove_dir_all(project.current_cloud_backend());
    }
    clear_pending(project, env);
    eprintln!("Deleted environment `{env}`.");
    Ok(())
}

/// Empties the buckets folders were published to (a site's), which CloudFormation cannot
/// delete while they hold files. Their names are the deployed stacks' outputs.
async fn empty_published_buckets(
    ctx: &Context,
    stacks: &Stacks<'_>,
    aws: &Aws,
    root: &str,
) -> Result<()> {
    let Ok(plan) = ctx.plan() else {
        return Ok(()); // no declaration to read: nothing of ours was published
    };
    let folders: Vec<_> = crate::cli::deploy::publish::folders(plan).collect();
    if folders.is_empty() {
        return Ok(());
    }
    let (_, outputs) = stacks.outputs(root, &plan.root.group_ids()).await?;
    for (stack, folder) in folders {
        if let Some(bucket) = outputs
            .get(&stack.logical_id)
            .and_then(|o| o.get(&folder.bucket_output))
        {
            empty_bucket(aws, bucket).await?;
        }
    }
    Ok(())
}

/// Removes every object version (the deployment bucket is versioned), then the bucket.
async fn empty_and_delete_bucket(aws: &Aws, bucket: &str) -> Result<()> {
    if !empty_bucket(aws, bucket).await? {
        return Ok(());
    }
    match aws.s3.delete_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(()),
        Err(e) if aws::error_code(&e) == Some("NoSuchBucket") => Ok(()),
        Err(e) => Err(sdk_error(format!("cannot delete bucket `{bucket}`"), e)),
    }
}

/// Removes every object version; false when the bucket does not exist.
async fn empty_bucket(aws: &Aws, bucket: &str) -> Result<bool> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    let mut key_marker: Option<String> = None;
    let mut version_marker: Option<String> = None;
    loop {
        let out = match aws
            .s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if aws::error_code(&e) == Some("NoSuchBucket") => return Ok(false),
            Err(e) => {
                return Err(sdk_error(
                    format!("cannot list the objects of `{bucket}`"),
                    e,
                ))
            }
        };
        let mut ids: Vec<ObjectIdentifier> = Vec::new();
        for v in out.versions() {
            if let Some(k) = v.key() {
                ids.push(
                    ObjectIdentifier::builder()
                        .key(k)
                        .set_version_id(v.version_id().map(ToOwned::to_owned))
                        .build()
                        .expect("key set"),
                );
            }
        }
        for m in out.delete_markers() {
            if let Some(k) = m.key() {
                ids.push(
                    ObjectIdentifier::builder()
                        .key(k)
                        .set_version_id(m.version_id().map(ToOwned::to_owned))
                        .build()
                        .expect("key set"),
                );
            }
        }
        for chunk in ids.chunks(1000) {
            let delete = Delete::builder()
                .set_objects(Some(chunk.to_vec()))
                .quiet(true)
                .build()
                .expect("objects set");
            aws.s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
                .map_err(|e| sdk_error(format!("cannot delete objects of `{bucket}`"), e))?;
        }
        if out.is_truncated() == Some(true) {
            key_marker = out.next_key_marker().map(ToOwned::to_owned);
            version_marker = out.next_version_id_marker().map(ToOwned::to_owned);
        } else {
            break;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_amplify_rules() {
        assert!(validate_env("dev").is_ok());
        assert!(validate_env("Dev").is_err());
        assert!(validate_env("d").is_err());
        assert!(validate_env("development1").is_err());
        assert!(validate_project_name("blog").is_ok());
        assert!(validate_project_name("my-app").is_err());
        let s = stack_name("BlogApp", "dev");
        let parts: Vec<&str> = s.split('-').collect();
        assert_eq!(parts.len(), 4, "{s}");
        assert_eq!(&parts[..3], ["amplify", "blogapp", "dev"]);
        assert_eq!(parts[3].len(), 5);
    }
}
