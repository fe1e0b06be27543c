//! What a push of the context's environment would change, from local files alone: the
//! rows of Amplify's status table, the tables and user pools it would lose, the index
//! changes it deploys in steps, the stacks it would move. `status` shows it; `push` acts
//! on it.

use std::collections::BTreeMap;

use amplify_build::plan::Plan;

use crate::cli::context::Context;
use crate::cli::deploy::changes::{self, Row};
use crate::cli::deploy::{index_steps, inputs, moves, retired_callouts, table_changes};
use crate::cli::error::Result;
use crate::cli::state::{AmplifyMeta, EnvParameters};

/// A push's changes, before anything is uploaded.
pub(super) struct Preview {
    /// Content hashes of each stack's inputs, by logical id.
    pub fingerprints: BTreeMap<String, String>,
    /// Create / Update / Delete / No Change per resource.
    pub rows: Vec<Row>,
    /// Per-environment values kept from earlier pushes.
    pub kept: EnvParameters,
    /// `amplify-meta.json` of the last push.
    pub deployed: AmplifyMeta,
    /// Tables and user pools the push would replace or delete.
    pub losses: Vec<table_changes::TableWarning>,
    /// Deployments before the plan's own: custom resources of the deployed root retired,
    /// index changes one at a time.
    pub steps: Vec<index_steps::Step>,
    /// Stacks the plan gives another parent than the deployed one.
    pub moves: Vec<moves::Move>,
}

/// The preview of pushing `plan` (the context's plan for its cloud).
pub(super) fn preview(ctx: &Context, plan: &Plan) -> Result<Preview> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let kept = project.kept_parameters(env)?;
    inputs::check_overrides(plan, &kept, env)?;
    let fingerprints = changes::fingerprints(project, plan, &kept)?;
    let deployed = project.deployed_meta()?;
    let rows = changes::rows(plan, &fingerprints, &deployed);
    let tables = table_changes::check(&project.root, plan, &rows, env);
    let mut steps: Vec<index_steps::Step> = retired_callouts::step(&project.root, plan)?
        .into_iter()
        .collect();
    steps.extend(index_steps::plan(&project.root, &tables.index_changes)?);
    Ok(Preview {
        moves: moves::moves(&project.root, plan),
        fingerprints,
        rows,
        kept,
        deployed,
        losses: tables.warnings,
        steps,
    })
}
