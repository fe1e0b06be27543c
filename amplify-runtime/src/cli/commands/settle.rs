//! Settling a push that was interrupted: finish its bookkeeping if it succeeded and the
//! backend is unchanged since, forget it if it failed, refuse if CloudFormation is still
//! working on it.

use crate::cli::aws::stack::Stacks;
use crate::cli::aws::Aws;
use crate::cli::context::Context;
use crate::cli::deploy::changes;
use crate::cli::deploy::finalize::{finalize, Deployed};
use crate::cli::deploy::pending::{clear_pending, read_pending};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::{Pending, ProviderInfo};
use aws_sdk_cloudformation::types::StackStatus;

/// Settles the interrupted push of `env` against the root stack's real state.
async fn reconcile(
    ctx: &Context,
    env: &str,
    aws: &Aws,
    pending: &Pending,
    provider: &ProviderInfo,
) -> Result<()> {
    let project = &ctx.project;
    let stacks = Stacks::new(aws);
    let info = stacks.describe(&pending.stack_name).await?;
    match info {
        Some(i) if i.in_progress() => Err(CliError::new(
            Kind::Busy,
            format!(
                "an interrupted push of `{env}` is still running in CloudFormation (`{}` is {})",
                i.name,
                i.status.as_str()
            ),
        )
        .help("wait until it finishes, then run the command again")),
        Some(i)
            if matches!(
                i.status,
                StackStatus::UpdateComplete | StackStatus::CreateComplete
            ) =>
        {
            let plan = ctx.plan()?;
            if plan.root.template_key == pending.root_template_key {
                let kept = project.kept_parameters(env)?;
                let fingerprints = changes::fingerprints(project, plan, &kept)?;
                let deployed = Deployed {
                    env,
                    plan,
                    fingerprints: &fingerprints,
                    provider,
                    inputs: &pending.inputs,
                };
                finalize(project, aws, &deployed, &ctx.events).await?;
                eprintln!("note: the interrupted push of `{env}` completed; local state is now up to date");
            } else {
                clear_pending(project, env);
                eprintln!("note: the interrupted push of `{env}` completed, but the backend changed since; pushing the new state");
            }
            Ok(())
        }
        _ => {
            clear_pending(project, env);
            eprintln!("note: the interrupted push of `{env}` did not complete; local state was left as it was");
            Ok(())
        }
    }
}

/// Settles a pending push of the context's environment if there is one; connects to AWS
/// only then.
pub async fn settle_if_pending(ctx: &Context) -> Result<()> {
    let env = ctx.env()?;
    let Some(pending) = read_pending(&ctx.project, env)? else {
        return Ok(());
    };
    let aws = ctx.aws().await?;
    reconcile(ctx, env, &aws, &pending, ctx.provider_info()?).await
}
