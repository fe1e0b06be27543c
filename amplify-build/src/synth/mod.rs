//! Model → CloudFormation IR → file contents. Pure: produces a list of files and their
//! bytes; writing them is `crate::fs`'s job.
//!
//! Each category synthesises its resources' nested stacks
//! ([`crate::category::Category::synthesize`]); the root stack, `backend-config.json`,
//! the deployment plan and the rest of the layout are built generically from them.

mod export;
mod groups;
mod layout;
mod links;
mod plan_file;
mod root;

use crate::category::model::{Backend, Resource};
use crate::category::stack::{
    AssetLocation, Binding, Dependency, NestedStack, ProjectSettings, StackContext,
};
use crate::cfn::{Template, Value};
use crate::deps::dependencies;
use crate::plan::{ActionInput, Asset, EnvInput, Plan, ROOT_TEMPLATE_FILE};

pub(crate) use crate::category::stack::derived_output;
pub(crate) use groups::Previous;
pub use layout::{gitignore_block, project_config};

/// One created resource with its synthesised stack.
pub(crate) struct Synthesized<'a> {
    pub resource: &'a Resource,
    pub stack: NestedStack,
    pub dependencies: Vec<Dependency<'a>>,
    /// The template's JSON, serialised once (the file, its key and its size use it).
    pub json: String,
    /// Its content-addressed key in the deployment bucket.
    pub key: String,
}

impl Synthesized<'_> {
    /// `amplify/backend/<category>/<resource>`.
    fn folder(&self) -> String {
        format!(
            "amplify/backend/{}/{}",
            self.resource.category(),
            self.resource.name
        )
    }

    /// How the synthesised root stack fills a parameter of this stack bound by
    /// `binding`; `None` for a value only push knows (a code key), which it writes into
    /// the environment's root template. A per-environment input gets the value it has
    /// where no environment says otherwise.
    fn bound_value(&self, parameter: &str, binding: &Binding) -> Option<Value> {
        Some(match binding {
            Binding::Literal(v) | Binding::Root(v) => v.clone(),
            Binding::Assets(AssetLocation::Bucket) => Value::r#ref("DeploymentBucketName"),
            Binding::Assets(AssetLocation::Prefix(prefix)) => Value::from(prefix.as_str()),
            Binding::Input(input) => match input {
                EnvInput::DeploymentBucket => Value::r#ref("DeploymentBucketName"),
                EnvInput::AssetKey { .. } => return None,
                EnvInput::Override { default, .. } => Value::from(default.as_str()),
                EnvInput::ApiKeyExpiry { .. } => Value::from("0"),
                EnvInput::Secret { .. } => {
                    Value::r#ref(root::secret_parameter(self.resource, parameter))
                }
            },
        })
    }
}

/// The JSON of the root stack that `cargo amplify init` creates: the deployment bucket,
/// its TLS policy and the two roles, trusted by nobody until an identity pool exists.
/// The first push replaces it with the synthesised root stack.
pub fn bootstrap_root_template() -> String {
    root::root_stack(&Backend::default(), &[], &[]).to_json()
}

/// The root template's content-addressed key in the deployment bucket.
pub(crate) fn root_template_key(root_json: &str) -> String {
    format!(
        "amplify-cfn-templates/root-cloudformation-stack-{}.json",
        crate::plan::content_hash(root_json.as_bytes())
    )
}

/// A group stack's content-addressed key in the deployment bucket.
pub(crate) fn group_template_key(group: &str, json: &str) -> String {
    groups::template_key(group, json)
}

/// Every file of the `amplify/` folder, relative to the folder that contains `amplify/`.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// Files that synthesis owns and rewrites whenever their bytes change.
    pub generated: Vec<(String, String)>,
    /// Files created once and then owned by the user (never overwritten).
    pub seeded: Vec<(String, String)>,
    /// Problems worth telling but that do not stop a deploy.
    pub warnings: Vec<String>,
    /// Templates CloudFormation would refuse (over a quota, a parameter without a value)
    /// or cfn-lint would flag (an unused parameter): the callers report each as an error
    /// at the backend module and write nothing.
    pub errors: Vec<String>,
}

/// CloudFormation quotas, per template.
const MAX_RESOURCES_PER_TEMPLATE: usize = 500;
const MAX_PARAMETERS_PER_TEMPLATE: usize = 200;
const MAX_OUTPUTS_PER_TEMPLATE: usize = 200;
/// A template uploaded to S3 (as every template here is) may have 1 MB.
const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// Synthesises every file of a backend whose declaration has no errors, and the
/// deployment plan (whose `inputs` the caller fills in: it knows what was read).
pub fn synthesize_backend(backend: &Backend, project: &ProjectSettings) -> (FileSet, Plan) {
    synthesize_after(backend, project, &Previous::default())
}

/// [`synthesize_backend`], keeping each stack where the `previous` synthesis placed it
/// (a root past its quotas is split into group stacks; see [`groups`]).
pub(crate) fn synthesize_after(
    backend: &Backend,
    project: &ProjectSettings,
    previous: &Previous,
) -> (FileSet, Plan) {
    let mut files = FileSet::default();
    let mut stacks: Vec<Synthesized> = Vec::new();
    for resource in backend.resources.iter().filter(|r| !r.is_imported()) {
        let cx = StackContext {
            backend,
            resource,
            dependencies: dependencies(backend, resource),
            project,
        };
        let Some(stack) = resource.kind.synthesize(resource, &cx) else {
            continue;
        };
        let json = stack.template.to_json();
        let key = root::template_key(resource, &stack, &json);
        stacks.push(Synthesized {
            resource,
            stack,
            dependencies: cx.dependencies,
            json,
            key,
        });
    }

    for s in &stacks {
        let dir = s.folder();
        files
            .generated
            .push((format!("{dir}/{}", s.stack.template_path), s.json.clone()));
        let params_path = if s.stack.template_path.starts_with("build/") {
            format!("{dir}/build/parameters.json")
        } else {
            format!("{dir}/parameters.json")
        };
        files
            .generated
            .push((params_path, crate::cfn::to_pretty_json(&parameters_file(s))));
        for (path, text) in &s.stack.files {
            files
                .generated
                .push((format!("{dir}/{path}"), text.clone()));
        }
    }

    check_parameters(&stacks, &mut files.errors);
    let links = links::link_stacks(backend, &mut files.errors);
    for link in &links {
        files
            .generated
            .push((link.template_path.clone(), link.json.clone()));
    }
    let root = root::root_stack(backend, &stacks, &links);
    let (root, root_json, grouped) = group_if_needed(root, &stacks, previous, &mut files.errors);
    check_quotas(
        (&stacks, &links, &grouped),
        &root,
        &root_json,
        &mut files.errors,
    );
    for g in &grouped {
        files
            .generated
            .push((groups::template_file(&g.logical_id), g.json.clone()));
    }
    if !grouped.is_empty() {
        files.generated.push((
            groups::GROUPS_FILE.to_owned(),
            groups::groups_file(&grouped),
        ));
    }
    files
        .generated
        .push((ROOT_TEMPLATE_FILE.into(), root_json.clone()));
    let config = layout::backend_config(backend, &stacks);
    layout::add_layout_files(&config, project, &mut files);
    let mut plan = plan_file::plan(backend, (&stacks, &links), &root, &root_json, project);
    plan.root.groups = grouped
        .iter()
        .map(|g| crate::plan::GroupPlan {
            logical_id: g.logical_id.clone(),
            template: groups::template_file(&g.logical_id),
            template_key: g.key.clone(),
            members: g.members.clone(),
        })
        .collect();
    plan.backend_config = config;
    (files, plan)
}

/// The root split into group stacks when it is past CloudFormation's quotas (or was
/// split before); else as it is.
fn group_if_needed(
    root: Template,
    stacks: &[Synthesized],
    previous: &Previous,
    errors: &mut Vec<String>,
) -> (Template, String, Vec<groups::GroupStack>) {
    let flat_json = root.to_json();
    // What the local cloud leaves out is removed from the root by push: it stays there.
    let movable = stacks
        .iter()
        .filter(|s| s.resource.kind.descriptor().local_cloud)
        .map(|s| s.resource.logical_id())
        .collect();
    let placement = match groups::place(&root, &flat_json, &movable, previous) {
        Ok(Some(placement)) => placement,
        Ok(None) => return (root, flat_json, Vec::new()),
        Err(e) => {
            errors.push(e);
            return (root, flat_json, Vec::new());
        }
    };
    // The inputs push writes per environment (code keys, overrides, API-key expiries).
    let inputs = stacks
        .iter()
        .map(|s| {
            let written = s.stack.bindings.iter().filter(|(_, b)| {
                matches!(
                    b,
                    Binding::Input(
                        EnvInput::AssetKey { .. }
                            | EnvInput::Override { .. }
                            | EnvInput::ApiKeyExpiry { .. }
                    )
                )
            });
            (
                s.resource.logical_id(),
                written.map(|(p, _)| p.clone()).collect(),
            )
        })
        .collect();
    let (root, grouped) = groups::split(root, &placement, &inputs, |key| {
        Value::sub(format!(
            "https://s3.amazonaws.com/${{DeploymentBucketName}}/{key}"
        ))
    });
    for group in &grouped {
        for name in groups::name_clashes(group) {
            errors.push(format!(
                "the group stack `{}` would use `{name}` both for a resource's stack and for a parameter or output standing for another's output: rename that resource",
                group.logical_id
            ));
        }
    }
    let root_json = root.to_json();
    (root, root_json, grouped)
}

/// `parameters.json`: the values the root passes to the nested stack, as Amplify keeps
/// them, minus Amplify's environment parameters (team-provider-info's job).
fn parameters_file(s: &Synthesized) -> indexmap::IndexMap<String, Value> {
    s.stack
        .bindings
        .iter()
        .filter(|(_, b)| !b.is_env_parameter())
        .filter_map(|(name, b)| Some((name.clone(), s.bound_value(name, b)?)))
        .collect()
}

/// Each nested template's parameters are all used and all filled; a category whose
/// template, bindings and edges disagree is refused here in every build profile, not
/// at deploy time.
fn check_parameters(stacks: &[Synthesized], errors: &mut Vec<String>) {
    for s in stacks {
        let attribute = s.resource.attribute();
        let unused = s.stack.template.unused_parameters();
        if !unused.is_empty() {
            errors.push(format!(
                "the stack of `{}` declares parameters nothing in it uses ({}): the `#[{attribute}]` category's template and its parameters disagree",
                s.resource.ident,
                unused.join(", ")
            ));
        }
        for action in &s.stack.actions {
            for (name, input) in &action.inputs {
                if let ActionInput::Output { output } = input {
                    if !s.stack.template.outputs.contains_key(output) {
                        errors.push(format!(
                            "the post-deploy action `{}` of `{}` takes input `{name}` from output `{output}`, which its stack does not have: the `#[{attribute}]` category's action and template disagree",
                            action.id, s.resource.ident
                        ));
                    }
                }
            }
        }
        for asset in &s.stack.assets {
            let Asset::PublishedFolder(folder) = asset else {
                continue;
            };
            for output in folder.outputs() {
                if !s.stack.template.outputs.contains_key(output) {
                    errors.push(format!(
                        "the published folder `{}` of `{}` reads output `{output}`, which its stack does not have: the `#[{attribute}]` category's asset and template disagree",
                        folder.id, s.resource.ident
                    ));
                }
            }
        }
        for (name, binding) in &s.stack.bindings {
            let secret = matches!(binding, Binding::Input(EnvInput::Secret { .. }));
            let masked = s
                .stack
                .template
                .parameters
                .get(name)
                .is_some_and(|p| p.no_echo);
            if secret && !masked {
                errors.push(format!(
                    "the stack of `{}` takes the secret `{name}` in a parameter that is not NoEcho: the `#[{attribute}]` category must declare it with `.no_echo()`",
                    s.resource.ident
                ));
            }
        }
        let unfilled = root::unfilled_parameters(s);
        if !unfilled.is_empty() {
            errors.push(format!(
                "the stack of `{}` takes parameters nothing supplies ({}): the `#[{attribute}]` category must bind each one, or consume the output it names through an edge",
                s.resource.ident,
                unfilled.join(", ")
            ));
        }
    }
}

fn check_quotas(
    (stacks, links, grouped): (&[Synthesized], &[links::LinkStack], &[groups::GroupStack]),
    root: &Template,
    root_json: &str,
    errors: &mut Vec<String>,
) {
    let nested = stacks.iter().map(|s| {
        let ident = &s.resource.ident;
        (
            format!("the stack of `{ident}`"),
            &s.stack.template,
            Some(s.json.as_str()),
            format!("make `{ident}` use fewer other resources (grants, data sources, triggers)"),
        )
    });
    let linked = links.iter().map(|l| {
        (
            format!("the link stack `{}`", l.logical_id),
            &l.template,
            Some(l.json.as_str()),
            format!("make `{}` contribute fewer resources", l.owner.ident),
        )
    });
    let groups = grouped.iter().map(|g| {
        (
            format!("the group stack `{}`", g.logical_id),
            &g.template,
            Some(g.json.as_str()),
            "declare fewer resources in this backend".to_owned(),
        )
    });
    let all = nested.chain(linked).chain(groups).chain(std::iter::once((
        "the root stack".to_owned(),
        root,
        Some(root_json),
        "declare fewer resources in this backend".to_owned(),
    )));
    for (name, template, json, fix) in all {
        let counts = [
            (
                "resources",
                template.resources.len(),
                MAX_RESOURCES_PER_TEMPLATE,
                "the root holds one nested stack per resource, plus the deployment bucket, its policy and two roles",
            ),
            (
                "parameters",
                template.parameters.len(),
                MAX_PARAMETERS_PER_TEMPLATE,
                "",
            ),
            (
                "outputs",
                template.outputs.len(),
                MAX_OUTPUTS_PER_TEMPLATE,
                "",
            ),
        ];
        let is_root = name == "the root stack";
        for (what, count, max, why) in counts {
            if count > max {
                let why = if why.is_empty() || !is_root {
                    String::new()
                } else {
                    format!(" ({why})")
                };
                errors.push(format!(
                    "{name} would have {count} {what}; CloudFormation allows {max} per template{why}, so the deploy would be refused: {fix}"
                ));
            }
        }
        let size = json.map_or_else(|| template.to_json().len(), str::len);
        if size > MAX_TEMPLATE_BYTES {
            errors.push(format!(
                "{name} would be {size} bytes; CloudFormation allows {MAX_TEMPLATE_BYTES} bytes per template, so the deploy would be refused: {fix}"
            ));
        }
    }
}
