//! `cargo amplify status`: Amplify's table, computed locally against the last pushed state.

use serde_json::json;

use crate::cli::commands::preview::{preview, Preview};
use crate::cli::commands::settle::settle_if_pending;
use crate::cli::context::Context;
use crate::cli::deploy::actions::{self, StepState};
use crate::cli::deploy::changes::{self, Operation};
use crate::cli::deploy::index_steps;
use crate::cli::error::Result;

/// Flags of `status`.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusOptions {
    /// `--json`
    pub json: bool,
    /// `--show-secrets`: print credentials rather than masking them.
    pub show_secrets: bool,
}

/// Runs `status`.
pub async fn status(ctx: &Context, opts: StatusOptions) -> Result<()> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let as_json = opts.json;
    // The env must exist (and its file parse) even though status itself is local.
    let provider = ctx.provider_info()?;
    // The environment's stack exists but nothing here says what it holds (a fresh clone,
    // an adopted Gen 1 environment): every row would read as new.
    let unrecorded = provider.stack_id.is_some()
        && !project.current_cloud_backend().exists()
        && !project.meta_path().exists();
    // Reconciling needs the stack's real state: the only case where status calls AWS.
    settle_if_pending(ctx).await?;
    let (plan, left_out) = ctx.target_plan()?;
    let Preview {
        rows,
        deployed,
        losses: table_warnings,
        steps,
        moves: moved,
        ..
    } = preview(ctx, &plan)?;
    let deployed_provider = deployed.provider();
    let root_changed = deployed_provider.and_then(|p| p.root_stack_template_key.as_deref())
        != Some(plan.root.template_key.as_str());
    let tags_changed = std::fs::read_to_string(project.current_cloud_backend().join("tags.json"))
        .ok()
        != std::fs::read_to_string(project.backend_dir().join("tags.json")).ok();
    let actions = actions::statuses(project, &plan, &project.meta()?);
    if as_json {
        let resources: Vec<_> = rows
            .iter()
            .map(|r| json!({ "category": r.category, "resourceName": r.name, "operation": r.operation.label(), "providerPlugin": amplify_build::plan::PROVIDER }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "environment": env,
                "resources": resources,
                "rootStackChanged": root_changed,
                "leftOutOfLocalCloud": left_out.iter().map(|s| json!({ "category": s.category, "resourceName": s.name, "service": s.service })).collect::<Vec<_>>(),
                "tagsChanged": tags_changed,
                "tableWarnings": table_warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "deploymentSteps": steps.iter().map(|s| &s.applies).collect::<Vec<_>>(),
                "stackMoves": moved.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "deployedStateUnread": unrecorded,
                "postDeployActions": actions.iter().map(|a| json!({ "name": a.name, "description": a.description, "pending": a.state == StepState::Pending, "state": a.state.label() })).collect::<Vec<_>>(),
            }))
            .expect("JSON")
        );
        return Ok(());
    }
    print!("{}", changes::table(env, &rows));
    for warning in &table_warnings {
        println!(
            "\nWarning: {warning}\n  push refuses this unless given `--allow-replace {}`",
            warning.allow_name()
        );
    }
    if unrecorded {
        println!("\nNothing here records what environment `{env}`'s stacks hold: `cargo amplify env checkout {env}` reads it (push does first), then status compares with it.");
    }
    if !steps.is_empty() {
        println!("\n{}", index_steps::describe(&steps));
    }
    for m in &moved {
        println!(
            "\nWarning: stack {m}: push refuses it (restore `{}` as it was at the last push)",
            amplify_build::plan::GROUPS_FILE
        );
    }
    if !left_out.is_empty() {
        println!("\nLeft out of the local cloud (it cannot deploy them; they deploy to AWS as declared):");
        for s in &left_out {
            println!("  {} ({} `{}`)", s.name, s.category, s.service);
        }
    }
    if tags_changed && deployed_provider.is_some() {
        println!("\nTag Changes Detected");
    }
    if root_changed
        && rows.iter().all(|r| r.operation == Operation::NoChange)
        && deployed_provider.is_some()
    {
        println!("\nRoot stack changes detected");
    }
    if !actions.is_empty() {
        println!("\nPost-deploy actions:");
        for a in &actions {
            println!("  {} ({}): {}", a.name, a.description, a.state.label());
        }
    }
    // What the user needs to call the backend (a GraphQL endpoint), as each category
    // marks its outputs.
    let meta = project.meta()?;
    for stack in &plan.stacks {
        let Some(outputs) = meta
            .get(&stack.category, &stack.name)
            .map(|m| m.string_outputs())
        else {
            continue;
        };
        let mut first = true;
        for output in &stack.outputs {
            let (Some(line), Some(value)) = (&output.status, outputs.get(output.name.as_str()))
            else {
                continue;
            };
            if first {
                println!();
                first = false;
            }
            if line.secret && !opts.show_secrets {
                println!(
                    "{}: {} (`status --show-secrets` prints it)",
                    line.label,
                    mask(value)
                );
            } else {
                println!("{}: {value}", line.label);
            }
        }
    }
    Ok(())
}

/// A credential with all but its first four characters hidden.
fn mask(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    format!(
        "{shown}{}",
        "*".repeat(value.chars().count().saturating_sub(4).min(12))
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_masked_secret_keeps_only_its_start() {
        assert_eq!(
            super::mask("da2-abcdefghijklmnopqrstuvwxyz"),
            "da2-************"
        );
        assert_eq!(super::mask("abc"), "abc");
    }
}
