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
    let placed: Vec<Placed> = nested
        .into_iter()
        .filter_map(|(logical, physical)| {
            let (category, name, template) = place(plan, &logical)?;
            let service = declared(plan, &logical)
                .map(|s| s.service.clone())
                .unwrap_or_default();
            Some(Placed {
                category,
                name,
                template,
                physical,
                service,
            })
        })
        .collect();
    let read = read_all(aws, placed.iter().map(|p| p.physical.clone()).collect()).await?;
    for (p, read) in placed.into_iter().zip(read) {
        write_atomic(&staging.join(&p.template), read.template.as_bytes())?;
        let folder = staging.join(&p.category).join(&p.name);
        for (inner, template) in &read.inner {
            write_atomic(
                &folder.join(format!("build/stacks/{inner}.json")),
                template.as_bytes(),
            )?;
        }
        let mut resource = read.resource;
        resource.entry.service = p.service;
        meta.insert(&p.category, &p.name, resource);
    }
    write_json(&staging.join("amplify-meta.json"), &meta)?;
    Ok(Some(meta))
}

/// A deployed category stack and where its copy goes.
struct Placed {
    category: String,
    name: String,
    /// Its template's path under the backend folder.
    template: PathBuf,
    physical: String,
    service: String,
}

/// What one deployed stack holds: its template, those of the stacks nested in it (by
/// logical id), and its meta entry.
struct ReadStack {
    template: String,
    inner: Vec<(String, String)>,
    resource: MetaResource,
}

/// How many stacks are read at once: a Gen 1 project's few dozen in a few round trips,
/// clear of CloudFormation's throttling.
const PARALLEL_READS: usize = 8;

/// Reads each stack in `physical` ([`PARALLEL_READS`] at a time), in the order given.
async fn read_all(aws: &Aws, physical: Vec<String>) -> Result<Vec<ReadStack>> {
    let mut queue = physical.into_iter().enumerate();
    let mut running = tokio::task::JoinSet::new();
    let mut done = Vec::new();
    loop {
        while running.len() < PARALLEL_READS {
            let Some((i, stack)) = queue.next() else {
                break;
            };
            let aws = aws.clone();
            running.spawn(async move { (i, read_one(&aws, &stack).await) });
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let (i, read) = joined.expect("a stack reader does not panic");
        done.push((i, read?));
    }
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, read)| read).collect())
}

/// One stack deployed by another tool: its templates, outputs and when it last changed
/// (no content hash, so the first push updates it).
async fn read_one(aws: &Aws, physical: &str) -> Result<ReadStack> {
    let stacks = Stacks::new(aws);
    let template = stacks.template(physical).await?;
    let mut inner = Vec::new();
    for (logical, inner_physical) in stacks.nested_stacks(physical).await? {
        inner.push((logical, stacks.template(&inner_physical).await?));
    }
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
            service: String::new(),
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
    Ok(ReadStack {
        template,
        inner,
        resource,
    })
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
