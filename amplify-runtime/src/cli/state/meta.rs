//! `amplify-meta.json` from the plan, `backend-config.json` and the deployed stacks'
//! outputs: after a push (with the push's bookkeeping) and on `pull`.

use std::collections::BTreeMap;

use amplify_build::files::{BackendConfig, ResourceEntry};
use amplify_build::plan::{Asset, EnvInput, ImportedResource, InputValue, Plan, PROVIDER};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::{AmplifyMeta, CodeLocation, MetaResource, ProviderInfo, ProviderMetadata};

/// What one push recorded about a deployed stack.
pub struct Pushed<'a> {
    /// The deployment bucket.
    pub bucket: &'a str,
    /// When (ISO 8601).
    pub at: &'a str,
    /// Content hash of each stack's inputs, by logical id.
    pub fingerprints: &'a BTreeMap<String, String>,
    /// The per-environment values push deployed.
    pub inputs: &'a [InputValue],
}

/// `amplify-meta.json` for the deployed `plan`: each stack's backend-config entry, its
/// outputs, and — after a push — where its template and code went. `previous` keeps the
/// bookkeeping of stacks a `pull` does not know about.
pub fn compose_meta(
    plan: &Plan,
    backend_config: &BackendConfig,
    provider: &ProviderInfo,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
    pushed: Option<&Pushed>,
    previous: Option<&AmplifyMeta>,
) -> AmplifyMeta {
    let mut meta = AmplifyMeta::default();
    meta.providers.insert(PROVIDER.to_owned(), provider.clone());
    for stack in &plan.stacks {
        let entry = backend_config
            .get(&stack.category, &stack.name)
            .cloned()
            .unwrap_or_default();
        let mut resource = with_output(entry);
        if let Some(old) = previous.and_then(|m| m.get(&stack.category, &stack.name)) {
            resource.provider_metadata = old.provider_metadata.clone();
            resource.last_push_time_stamp = old.last_push_time_stamp.clone();
            resource.last_push_dir_hash = old.last_push_dir_hash.clone();
            resource.s3_bucket = old.s3_bucket.clone();
            resource.dist_zip_filename = old.dist_zip_filename.clone();
            resource.post_deploy = old.post_deploy.clone();
        }
        if let Some(p) = pushed {
            resource.provider_metadata = Some(ProviderMetadata {
                s3_template_url: format!(
                    "https://s3.amazonaws.com/{}/{}",
                    p.bucket, stack.template_key
                ),
                logical_id: stack.logical_id.clone(),
            });
            resource.last_push_time_stamp = Some(p.at.to_owned());
            resource.last_push_dir_hash = p.fingerprints.get(&stack.logical_id).cloned();
            if let Some(key) = code_key(stack, p.inputs) {
                resource.s3_bucket = Some(CodeLocation {
                    deployment_bucket_name: p.bucket.to_owned(),
                    s3_key: key.to_owned(),
                });
                resource.dist_zip_filename =
                    Some(key.trim_start_matches("amplify-builds/").to_owned());
            }
        }
        for (k, v) in outputs.get(&stack.logical_id).into_iter().flatten() {
            resource.output.insert(k.clone(), json!(v));
        }
        meta.insert(&stack.category, &stack.name, resource);
    }
    for imported in &plan.imported {
        let entry = backend_config
            .get(&imported.category, &imported.name)
            .cloned()
            .unwrap_or_default();
        let mut resource = with_output(entry);
        for (k, v) in imported_outputs(imported, provider) {
            resource.output.insert(k, json!(v));
        }
        if let Some(p) = pushed {
            resource.last_push_time_stamp = Some(p.at.to_owned());
        }
        meta.insert(&imported.category, &imported.name, resource);
    }
    meta
}

/// A backend-config entry as a meta resource: what it keeps under `output` moves to the
/// resource's outputs.
fn with_output(mut entry: ResourceEntry) -> MetaResource {
    let output = match entry.extra.shift_remove("output") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    MetaResource {
        entry,
        output,
        ..MetaResource::default()
    }
}

/// The value push gave `parameter` of `stack`, if any.
pub fn pushed_value<'a>(
    values: &'a [InputValue],
    stack: &amplify_build::plan::StackPlan,
    parameter: &str,
) -> Option<&'a str> {
    values
        .iter()
        .find(|v| v.logical_id == stack.logical_id && v.parameter == parameter)
        .map(|v| v.value.as_str())
}

/// The key of a stack's code zip, from the values push deployed.
fn code_key<'a>(
    stack: &amplify_build::plan::StackPlan,
    pushed: &'a [InputValue],
) -> Option<&'a str> {
    let code = stack.assets.iter().find_map(|a| match a {
        Asset::FunctionCode { id, .. } => Some(id),
        _ => None,
    })?;
    stack.inputs.iter().find_map(|i| match &i.input {
        EnvInput::AssetKey { asset } if asset == code => pushed_value(pushed, stack, &i.parameter),
        _ => None,
    })
}

/// An imported resource's outputs: its ids, and what follows from them in this
/// environment's account and region (an ARN).
pub fn imported_outputs(
    imported: &ImportedResource,
    provider: &ProviderInfo,
) -> IndexMap<String, String> {
    let (account, partition) = provider.account_and_partition();
    let region = provider.region.clone().unwrap_or_default();
    let mut out = imported.outputs.clone();
    for (name, text) in &imported.derived {
        let value = text
            .replace("${AWS::Partition}", &partition)
            .replace("${AWS::Region}", &region)
            .replace("${AWS::AccountId}", &account);
        out.insert(name.clone(), value);
    }
    out
}
