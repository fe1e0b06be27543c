//! `cargo amplify pull` (outputs of the deployed stacks into `amplify-meta.json` and the
//! client files, without a push), `generate outputs` (client files from local state) and
//! `config import-cdk-outputs` (CDK stack outputs into the same configuration).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use amplify_build::plan::Plan;

use serde_json::Value;

use crate::cli::aws::stack::Stacks;
use crate::cli::context::Context;
use crate::cli::error::{CliError, Result};
use crate::cli::frontend::client_config::Inputs;
use crate::cli::frontend::{self, Format};
use crate::cli::state::project::{read_json, write_json};
use crate::cli::state::{compose_meta, RootValue};

/// Runs `pull`.
pub async fn pull(ctx: &Context) -> Result<()> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let mut provider = ctx.provider_info()?.clone();
    let stack = provider.require(RootValue::StackName)?.to_owned();
    let plan = plan_of(ctx)?;
    let aws = ctx.aws().await?;
    let groups = plan.root.group_ids();
    let (root, outputs) = Stacks::new(&aws).outputs(&stack, &groups).await?;

    // Rebuilt from the plan and the stacks, so it also works on a fresh clone.
    for (k, v) in &root.outputs {
        provider.record_output(k, v);
    }
    let previous = project.meta()?;
    let meta = compose_meta(
        &plan,
        &plan.backend_config,
        &provider,
        &outputs,
        None,
        Some(&previous),
    );
    write_json(&project.meta_path(), &meta)?;
    // A fresh clone (or a Gen 1 project) has no environment selected: the pulled one
    // becomes the current one, as Amplify's pull does.
    if project.current_env()?.is_none() {
        project.select_env(env)?;
    }
    let written = frontend::write_frontend(project, env, &plan, &meta, aws.endpoint.as_deref())?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "Pulled the outputs of `{stack}`; client configuration written: {}",
        names.join(", ")
    );
    Ok(())
}

/// The plan of the crate, or of an Amplify Gen 1 project that has no crate yet.
fn plan_of(ctx: &Context) -> Result<Cow<'_, Plan>> {
    if crate::cli::state::gen1::is_gen1(&ctx.project) {
        crate::cli::state::gen1::plan(&ctx.project).map(Cow::Owned)
    } else {
        ctx.plan().map(Cow::Borrowed)
    }
}

/// Runs `generate outputs`: one format, from local state, into `out_dir`.
pub fn generate(ctx: &Context, format: Format, out_dir: Option<&Path>) -> Result<PathBuf> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let plan = plan_of(ctx)?;
    let meta = project.meta()?;
    let name = project.project_name()?;
    let cdk = frontend::cdk_outputs(project)?;
    let local_cloud = crate::cli::commands::configure::recorded_endpoint(project, env);
    let inputs = Inputs {
        meta: &meta,
        plan: &plan,
        project: &name,
        env,
        cdk: &cdk,
        local_cloud: local_cloud.as_deref(),
    };
    let dir = out_dir
        .map(Path::to_owned)
        .unwrap_or_else(|| project.root.clone());
    let path = dir.join(format.file_name());
    frontend::write_format(&inputs, format, &path)?;
    eprintln!("Wrote {}", path.display());
    Ok(path)
}

/// Runs `config import-cdk-outputs <file>`: merges the stacks of a CDK outputs file into
/// `amplify/backend/cdk-outputs.json` and regenerates the client configuration.
pub fn import_cdk_outputs(ctx: &Context, file: &Path) -> Result<()> {
    let project = &ctx.project;
    let value: Value = read_json(file)?.ok_or_else(|| {
        CliError::input(format!("`{}` does not exist", file.display()))
            .help("pass the file written by `cdk deploy --outputs-file <file>`")
    })?;
    let stacks = frontend::validate_cdk_outputs(file, &value)?;
    let mut merged = frontend::cdk_outputs(project)?;
    for (stack, outputs) in stacks {
        merged.insert(stack, outputs);
    }
    write_json(&frontend::cdk_outputs_path(project), &merged)?;
    let env = ctx.env()?;
    let local_cloud = crate::cli::commands::configure::recorded_endpoint(project, env);
    let written = frontend::write_frontend(
        project,
        env,
        ctx.plan()?,
        &project.meta()?,
        local_cloud.as_deref(),
    )?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "Imported the CDK outputs of `{}`; client configuration written: {}",
        file.display(),
        names.join(", ")
    );
    Ok(())
}
