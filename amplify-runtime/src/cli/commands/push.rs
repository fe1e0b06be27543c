//! `cargo amplify push`: plan locally from the last pushed state (the caller holds the
//! project's state lock), settle an interrupted push, deploy what changed through the shared
//! [`Deployment`], and only after success record the outputs and state.

use amplify_build::plan::{InputValue, Plan, StackPlan};

use crate::cli::aws::stack::Stacks;
use crate::cli::commands::preview::{preview, Preview};
use crate::cli::commands::settle::settle_if_pending;
use crate::cli::context::Context;
use crate::cli::deploy::actions;
use crate::cli::deploy::changes::{self, Operation, Row};
use crate::cli::deploy::finalize::{finalize, Deployed};
use crate::cli::deploy::inputs;
use crate::cli::deploy::recovery::prepare_stack;
use crate::cli::deploy::tags::hydrate_tags;
use crate::cli::deploy::{index_steps, moves, table_changes, Overrides};
use crate::cli::deploy::{read_tags, Deployment};
use crate::cli::error::{CliError, Result};
use crate::cli::prompt::confirm;

/// Flags of `push`.
#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// `--yes`: no confirmation.
    pub yes: bool,
    /// `--force`: deploy even when nothing changed.
    pub force: bool,
    /// `--allow-replace`: tables the push may replace or delete, with their items.
    pub allow_replace: Vec<String>,
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

/// Runs `push` of the context's environment.
pub async fn push(ctx: &Context, opts: &PushOptions) -> Result<PushReport> {
    let project = &ctx.project;
    let env = ctx.env()?;
    let provider = ctx.provider_info()?;
    settle_if_pending(ctx).await?;
    super::environments::read_deployed_if_unrecorded(ctx).await?;

    let work = assess(ctx)?;
    let mut report = PushReport {
        rows: work.preview.rows.clone(),
        ..PushReport::default()
    };
    if !work.changed && !opts.force {
        eprintln!("No changes detected: environment `{env}` is up to date.");
        report.api_calls = ctx.connected().map(|a| a.calls.calls()).unwrap_or_default();
        return Ok(report);
    }

    eprintln!("{}", changes::table(env, &work.preview.rows));
    refuse_moves(&work.preview.moves)?;
    refuse_data_loss(&work.preview.losses, &opts.allow_replace)?;
    for warning in &work.preview.losses {
        eprintln!("Warning: {warning}");
    }
    if !work.preview.steps.is_empty() {
        eprintln!("{}", index_steps::describe(&work.preview.steps));
    }
    if work.rotating {
        eprintln!("The API key expiry is renewed on this push.");
    }
    confirm(opts.yes, "Deploy these changes?")?;

    let aws = ctx.aws().await?;
    let tags = hydrate_tags(&work.tags_text, &project.project_name()?, env)?;
    prepare_stack(&aws, &Stacks::new(&aws), provider, &tags, opts.yes).await?;

    let unchanged = |s: &StackPlan| {
        !opts.force
            && work.preview.rows.iter().any(|r| {
                r.category == s.category && r.name == s.name && r.operation == Operation::NoChange
            })
    };
    let no_overrides = Overrides::default();
    let deployment = Deployment {
        project,
        aws: &aws,
        plan: &work.plan,
        env,
        provider,
        kept: &work.preview.kept,
        expiries: work.expiries.clone(),
        tags: &tags,
        record_pending: true,
        events: &ctx.events,
        overrides: &no_overrides,
    };
    // Intermediate steps first; each is recorded as pending under its own marked key, so
    // an interrupted one is never taken for the push, and the next push starts over
    // (the steps already applied deploy again as no-ops).
    let total = work.preview.steps.len() + 1;
    for (i, step) in work.preview.steps.iter().enumerate() {
        eprintln!(
            "Deployment {} of {total}: {}",
            i + 1,
            step.applies.join("; ")
        );
        let read = |rel: &str| {
            let path = project.root.join(rel);
            std::fs::read(&path).map_err(|e| CliError::io("read", &path, e))
        };
        let (plan, overrides) = index_steps::stage(&work.plan, step, i + 1, &read)?;
        let step = deployment.staged(&plan, &overrides).run(&unchanged).await?;
        report.uploaded.extend(step.uploaded);
    }
    if total > 1 {
        eprintln!("Deployment {total} of {total}: the rest of the push");
    }
    let outcome = deployment.run(&unchanged).await?;
    report.uploaded.extend(outcome.uploaded);
    report.deployed = outcome.deployed;
    let done = Deployed {
        env,
        plan: &work.plan,
        fingerprints: &work.preview.fingerprints,
        provider,
        inputs: &outcome.inputs,
    };
    finalize(project, &aws, &done, &ctx.events).await?;
    report.api_calls = aws.calls.calls();
    Ok(report)
}

/// What a push would do, decided from local files alone.
struct Assessment {
    plan: Plan,
    /// Its changes, as `status` shows them.
    preview: Preview,
    /// Each API key's expiry (epoch seconds).
    expiries: Vec<InputValue>,
    tags_text: String,
    /// The API key's expiry is renewed.
    rotating: bool,
    /// Anything to deploy at all.
    changed: bool,
}

fn assess(ctx: &Context) -> Result<Assessment> {
    let project = &ctx.project;
    let (plan, left_out) = ctx.target_plan()?;
    say_left_out(&left_out);
    let preview = preview(ctx, &plan)?;
    let (expiries, rotating) = inputs::api_key_expiries(&plan, &preview.kept, inputs::now());
    let tags_text = read_tags(project)?;
    let deployed_root = preview
        .deployed
        .provider()
        .and_then(|p| p.root_stack_template_key.as_deref());
    let deployed_tags =
        std::fs::read_to_string(project.current_cloud_backend().join("tags.json")).ok();
    actions::check_inputs(project, &plan)?;
    inputs::check_secrets(&plan)?;
    let actions_pending = actions::statuses(project, &plan, &project.meta()?)
        .iter()
        .any(|a| a.state == actions::StepState::Pending);
    let changed = preview
        .rows
        .iter()
        .any(|r| r.operation != Operation::NoChange)
        || deployed_root != Some(plan.root.template_key.as_str())
        || deployed_tags.as_deref() != Some(tags_text.as_str())
        || rotating
        || actions_pending;
    Ok(Assessment {
        plan,
        preview,
        expiries,
        tags_text,
        rotating,
        changed,
    })
}

/// A push that would move stacks to another parent stack goes no further: their
/// placement (committed beside the backend) was lost or edited.
fn refuse_moves(moved: &[moves::Move]) -> Result<()> {
    if moved.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = moved.iter().map(|m| format!("\n    {m}")).collect();
    Err(CliError::input(format!(
        "this push would move {} stack(s) to another parent stack, which CloudFormation does by creating them anew and deleting the old ones with what they hold:{}",
        moved.len(),
        lines.concat()
    ))
    .help(format!("restore `{}` and `amplify/backend/backend-config.json` as they were at the last push (e.g. `git checkout` them), then build again. Nothing was deployed", amplify_build::plan::GROUPS_FILE)))
}

/// A push that would replace or delete a table (and its items) goes on only when
/// `--allow-replace` names each such table.
fn refuse_data_loss(warnings: &[table_changes::TableWarning], allowed: &[String]) -> Result<()> {
    let refused: Vec<&table_changes::TableWarning> =
        warnings.iter().filter(|w| !w.allowed_by(allowed)).collect();
    if refused.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = refused.iter().map(|w| format!("\n    {w}")).collect();
    let flags: Vec<String> = refused
        .iter()
        .map(|w| format!("--allow-replace {}", w.allow_name()))
        .collect();
    Err(CliError::input(format!(
        "this push would lose the items of {} table(s):{}",
        refused.len(),
        lines.concat()
    ))
    .help(format!(
        "keep the table's name and key to keep its items; or, to lose them, push again with `{}`. Nothing was deployed",
        flags.join(" ")
    )))
}

/// Says which resources the local cloud leaves out.
fn say_left_out(left_out: &[StackPlan]) {
    for s in left_out {
        eprintln!(
            "The local cloud cannot deploy {} ({} `{}`): it is left out here, and deploys to AWS as declared.",
            s.name, s.category, s.service
        );
    }
}
