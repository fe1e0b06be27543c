//! `#current-cloud-backend` read back from CloudFormation, for an environment whose last
//! push was not one of ours — an Amplify Gen 1 environment being adopted, or one whose
//! zip is gone from the deployment bucket. Each stack's template as deployed is laid out
//! where the plan keeps the same stack's (`<category>/<resource>/…`, a nested stack's
//! under `build/stacks/`), so `status` and `push` compare what they would deploy with what
//! is deployed, and refuse what would replace a user pool, a table or a bucket.

use std::path::{Path, PathBuf};

use amplify_build::files::ResourceEntry;
use amplify_build::plan::{Plan, StackPlan, PROVIDER};

use crate::cli::aws::stack::Stacks;
use crate::cli::aws::{sdk_error, Aws};
use crate::cli::error::Result;
use crate::cli::state::project::{write_atomic, write_json};
use crate::cli::state::{AmplifyMeta, MetaResource, ProviderInfo, RootValue};

/// Amplify's categories, to name a deployed stack the plan does not declare
/// (`<category><resource>`).
const CATEGORIES: &[&str] = &[
    "analytics",
    "api",
    "auth",
    "custom",
    "function",
    "geo",
    "hosting",
    "interactions",
    "notifications",
    "predictions",
    "storage",
];

/// Where one deployed category stack goes: its category, resource and template file
/// (relative to the backend folder).
fn place(plan: Option<&Plan>, logical: &str) -> Option<(String, String, PathBuf)> {
    if let Some(stack) = declared(plan, logical) {
        let template = Path::new(&stack.template)
            .strip_prefix(&stack.folder)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| {
                PathBuf::from(format!("build/{}-cloudformation-template.json", stack.name))
            });
        let rel = Path::new(&stack.category).join(&stack.name).join(template);
        return Some((stack.category.clone(), stack.name.clone(), rel));
    }
    let category = CATEGORIES.iter().find(|c| logical.starts_with(*c))?;
    let name = &logical[category.len()..];
    (!name.is_empty()).then(|| {
        let rel = Path::new(category)
            .join(name)
            .join(format!("build/{name}-cloudformation-template.json"));
        (category.to_string(), name.to_owned(), rel)
    })
}

fn declared<'p>(plan: Option<&'p Plan>, logical: &str) -> Option<&'p StackPlan> {
    plan?.stacks.iter().find(|s| s.logical_id == logical)
}

/// Writes into `staging` (a backend folder) the templates the environment's stacks were
/// deployed with and an `amplify-meta.json` recording them as deployed (with their
/// outputs); `None` when the root stack does not exist or has no category stacks yet.
pub(super) async fn from_cloudformation(
    aws: &Aws,
    provider: &ProviderInfo,
    plan: Option<&Plan>,
    staging: &Path,
) -> Result<Option<AmplifyMeta>> {
    let root = provider.require(RootValue::StackName)?;
    let stacks = Stacks::new(aws);
    if stacks.describe(root).await?.is_none() {
        return Ok(None);
    }
    let mut nested = stacks.nested_stacks(root).await?;
    if nested.is_empty() {
        return Ok(None);
    }
    // A root split into group stacks: their members are the category stacks.
    let groups = plan.map(|p| p.root.group_ids()).unwrap_or_default();
    let (grouped, mut nested): (Vec<_>, Vec<_>) = nested
        .drain(..)
        .partition(|(logical, _)| groups.contains(logical));
    for (_, group) in grouped {
        nested.extend(stacks.nested_stacks(&group).await?);
    }
    write_atomic(
        &staging.join("awscloudformation/build/root-cloudformation-stack.json"),
        stacks.template(root).await?.as_bytes(),
    )?;
    let mut meta = AmplifyMeta::default();
    meta.providers.insert(PROVIDER.to_owned(), provider.clone());
    for (logical, physical) in nested {
        let Some((category, name, rel)) = place(plan, &logical) else {
            continue;
        };
        write_atomic(
            &staging.join(&rel),
            stacks.template(&physical).await?.as_bytes(),
        )?;
        let folder = staging.join(&category).join(&name);
        for (inner, inner_physical) in stacks.nested_stacks(&physical).await? {
            write_atomic(
                &folder.join(format!("build/stacks/{inner}.json")),
                stacks.template(&inner_physical).await?.as_bytes(),
            )?;
        }
        let service = declared(plan, &logical)
            .map(|s| s.service.clone())
            .unwrap_or_default();
        meta.insert(
            &category,
            &name,
            deployed_resource(aws, &physical, service).await?,
        );
    }
    write_json(&staging.join("amplify-meta.json"), &meta)?;
    Ok(Some(meta))
}

/// The meta entry of a stack deployed by another tool: its outputs and when it last
/// changed; no content hash, so the first push updates it.
async fn deployed_resource(aws: &Aws, physical: &str, service: String) -> Result<MetaResource> {
    let out = aws
        .cfn
        .describe_stacks()
        .stack_name(physical)
        .send()
        .await
        .map_err(|e| sdk_error(format!("cannot describe nested stack `{physical}`"), e))?;
    let stack = out.stacks().first();
    let mut resource = MetaResource {
        entry: ResourceEntry {
            service,
            service_type: None,
            provider_plugin: PROVIDER.to_owned(),
            depends_on: Vec::new(),
            extra: Default::default(),
        },
        ..MetaResource::default()
    };
    resource.last_push_time_stamp = stack
        .and_then(|s| s.last_updated_time().or(s.creation_time()))
        .map(|t| t.to_string());
    for o in stack.map(|s| s.outputs()).unwrap_or_default() {
        if let (Some(key), Some(value)) = (o.output_key(), o.output_value()) {
            resource.output.insert(key.to_owned(), value.into());
        }
    }
    Ok(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_stacks_are_placed_by_their_category_prefix() {
        let (category, name, rel) = place(None, "storagerefappstorage").unwrap();
        assert_eq!(
            (category.as_str(), name.as_str()),
            ("storage", "refappstorage")
        );
        assert_eq!(
            rel,
            Path::new("storage/refappstorage/build/refappstorage-cloudformation-template.json")
        );
        assert!(place(None, "DeploymentBucket").is_none());
        assert!(
            place(None, "auth").is_none(),
            "a category with no resource name"
        );
    }
}
