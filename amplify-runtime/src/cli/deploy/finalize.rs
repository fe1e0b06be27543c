//! After a successful deployment: read the stacks' outputs and write every local state
//! file — `#current-cloud-backend` (also uploaded as a zip), `amplify-meta.json`,
//! `team-provider-info.json` — and the client configuration. Each file is replaced
//! atomically, and nothing is written before the deployment succeeded.

use std::collections::BTreeMap;

use amplify_build::plan::{InputValue, Plan, PROVIDER};

use crate::cli::aws::stack::Stacks;
use crate::cli::aws::{sdk_error, Aws};
use crate::cli::deploy::actions;
use crate::cli::deploy::assets;
use crate::cli::deploy::events::{Events, Phase};
use crate::cli::deploy::inputs;
use crate::cli::deploy::pending::clear_pending;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::{
    copy_dir, files_under, swap_dir, timestamp_now, write_json, Project,
};
use crate::cli::state::{compose_meta, ProviderInfo, Pushed, RootValue};

/// What was deployed.
pub struct Deployed<'a> {
    /// The environment.
    pub env: &'a str,
    /// The plan that was deployed.
    pub plan: &'a Plan,
    /// Content hashes of each stack's inputs, by logical id.
    pub fingerprints: &'a BTreeMap<String, String>,
    /// The environment's provider block before the push.
    pub provider: &'a ProviderInfo,
    /// The per-environment values of the deployment.
    pub inputs: &'a [InputValue],
}

/// Records a successful deployment.
pub async fn finalize(
    project: &Project,
    aws: &Aws,
    d: &Deployed<'_>,
    events: &Events,
) -> Result<()> {
    let stack_name = d.provider.require(RootValue::StackName)?;
    let bucket = d
        .provider
        .require(RootValue::DeploymentBucketName)?
        .to_owned();
    let groups = d.plan.root.group_ids();
    let (root, outputs) = Stacks::new(aws).outputs(stack_name, &groups).await?;
    events.emit(Phase::OutputsCollected {
        stacks: outputs.len() + 1,
    });
    let mut provider = d.provider.clone();
    for (k, v) in &root.outputs {
        provider.record_output(k, v);
    }
    provider.stack_id = Some(root.id.clone());
    let mut meta_provider = provider.clone();
    meta_provider.root_stack_template_key = Some(d.plan.root.template_key.clone());
    let now = timestamp_now();
    let pushed = Pushed {
        bucket: &bucket,
        at: &now,
        fingerprints: d.fingerprints,
        inputs: d.inputs,
    };
    let mut meta = compose_meta(
        d.plan,
        &d.plan.backend_config,
        &meta_provider,
        &outputs,
        Some(&pushed),
        None,
    );
    // The actions run once every stack is deployed; their results are recorded with
    // the deployment, and a failure is reported after it was.
    let (records, action_failure) = actions::run(
        project,
        aws,
        d.env,
        (d.plan, &outputs),
        &project.meta()?,
        events,
    )
    .await;
    for stack in &d.plan.stacks {
        if let (Some(kept), Some(resource)) = (
            records.get(&stack.logical_id),
            meta.categories
                .get_mut(&stack.category)
                .and_then(|c| c.get_mut(&stack.name)),
        ) {
            resource.post_deploy = kept.clone();
            // What an action creates outside CloudFormation (a push project) it reports
            // as outputs of the resource, as a stack would.
            for (name, value) in action_outputs(kept) {
                resource.output.insert(name, value);
            }
        }
    }

    // #current-cloud-backend: built beside the real one, uploaded, then swapped in.
    let staging = project.amplify_dir().join(".current-cloud-backend.staging");
    let _ = std::fs::remove_dir_all(&staging);
    copy_dir(
        &project.backend_dir(),
        &staging,
        // node_modules: a function's dependencies or binary (see `amplify_cli`), which
        // the Amplify CLI leaves out of what it compares too.
        &["amplify-meta.json", ".temp", "node_modules"],
    )?;
    write_json(&staging.join("amplify-meta.json"), &meta)?;
    let mut files = Vec::new();
    for rel in files_under(&staging) {
        let bytes = std::fs::read(staging.join(&rel))
            .map_err(|e| CliError::io("read", &staging.join(&rel), e))?;
        files.push((rel.to_string_lossy().replace('\\', "/"), bytes, 0o644));
    }
    let zip = assets::zip_files(&files)?;
    put(aws, &bucket, "#current-cloud-backend.zip", zip).await?;

    // Beside it, at the bucket's root, the metadata: the Amplify CLI reads both before it
    // pushes an environment it did not deploy last.
    let meta_json = serde_json::to_vec_pretty(&meta).expect("amplify-meta.json serialises");
    put(aws, &bucket, "amplify-meta.json", meta_json).await?;

    swap_dir(&staging, &project.current_cloud_backend())?;
    write_json(&project.meta_path(), &meta)?;
    let mut tpi = project.team_provider_info()?;
    let entry = tpi.0.entry(d.env.to_owned()).or_default();
    entry.providers.insert(PROVIDER.to_owned(), provider);
    entry.categories = inputs::env_parameters(d.plan, &bucket, d.inputs, &entry.categories);
    write_json(&project.team_provider_info_path(), &tpi)?;
    clear_pending(project, d.env);
    let written = crate::cli::frontend::write_frontend(
        project,
        d.env,
        d.plan,
        &meta,
        aws.endpoint.as_deref(),
    )?;
    events.emit(Phase::StateWritten {
        client_files: written.iter().map(|p| p.display().to_string()).collect(),
    });
    match action_failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Uploads `bytes` as `key` of the deployment bucket.
async fn put(aws: &Aws, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<()> {
    aws.s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(bytes.into())
        .send()
        .await
        .map_err(|e| sdk_error(format!("cannot upload `{key}` to `{bucket}`"), e))?;
    Ok(())
}

/// The `outputs` object of each action's result: the strings it reports as outputs of
/// its resource.
fn action_outputs(
    records: &indexmap::IndexMap<String, crate::cli::state::ActionRecord>,
) -> Vec<(String, serde_json::Value)> {
    records
        .values()
        .filter_map(|r| r.result.get("outputs")?.as_object())
        .flat_map(|outputs| outputs.iter())
        .filter(|(_, v)| v.is_string())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
