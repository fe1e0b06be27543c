//! Model → CloudFormation IR → file contents. Pure: produces a list of files and their
//! bytes; writing them is `crate::fs`'s job.
//!
//! Each category synthesises its resources' nested stacks
//! ([`crate::category::Category::synthesize`]); the root stack, `backend-config.json`,
//! the deployment plan and the rest of the layout are built generically from them.

mod export;
mod layout;
mod plan_file;
mod root;

use crate::category::model::{Backend, Resource};
use crate::category::stack::{
    AssetLocation, Binding, Dependency, NestedStack, ProjectSettings, StackContext,
};
use crate::cfn::{Template, Value};
use crate::deps::dependencies;
use crate::plan::{Plan, ROOT_TEMPLATE_FILE};

pub(crate) use crate::category::stack::derived_output;
pub use layout::{gitignore_block, project_config};

/// One created resource with its synthesised stack.
pub(crate) struct Synthesized<'a> {
    pub resource: &'a Resource,
    pub stack: NestedStack,
    pub dependencies: Vec<Dependency<'a>>,
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

    /// How the root stack fills `parameter` of this stack, when a binding says so.
    fn bound_value(&self, parameter: &str, binding: &Binding) -> Value {
        match binding {
            Binding::Literal(v) | Binding::Root(v) => v.clone(),
            Binding::Assets(AssetLocation::Bucket) => Value::r#ref("DeploymentBucketName"),
            Binding::Assets(AssetLocation::Prefix(prefix)) => Value::from(prefix.as_str()),
            Binding::Input(input) => match root::input_parameter(self.resource, parameter, input) {
                Some((name, _)) => Value::r#ref(name),
                None => Value::r#ref("DeploymentBucketName"),
            },
        }
    }
}

/// The JSON of the root stack that `cargo amplify init` creates: the deployment bucket,
/// its TLS policy and the two roles, trusted by nobody until an identity pool exists.
/// The first push replaces it with the synthesised root stack.
pub fn bootstrap_root_template() -> String {
    root::root_stack(&Backend::default(), &[]).to_json()
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
    /// Templates CloudFormation would refuse (over a quota): the callers report each as
    /// an error at the backend module and write nothing.
    pub quota_errors: Vec<String>,
}

/// CloudFormation quotas, per template.
const MAX_RESOURCES_PER_TEMPLATE: usize = 500;
const MAX_PARAMETERS_PER_TEMPLATE: usize = 200;
const MAX_OUTPUTS_PER_TEMPLATE: usize = 200;
/// A template uploaded to S3 (as every template here is) may have 1 MB.
const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// The quota errors of a backend's templates, for callers that only check (the
/// `#[backend]` macro): synthesises in memory and keeps nothing else.
pub fn quota_errors(backend: &Backend) -> Vec<String> {
    let project = ProjectSettings {
        project_name: "quotas".into(),
        frontend: "rust".into(),
    };
    synthesize_backend(backend, &project).0.quota_errors
}

/// Synthesises every file of a backend whose declaration has no errors, and the
/// deployment plan (whose `inputs` the caller fills in: it knows what was read).
pub fn synthesize_backend(backend: &Backend, project: &ProjectSettings) -> (FileSet, Plan) {
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
        debug_assert!(
            stack.template.unused_parameters().is_empty(),
            "{}: unused parameters {:?}",
            resource.name,
            stack.template.unused_parameters()
        );
        stacks.push(Synthesized {
            resource,
            stack,
            dependencies: cx.dependencies,
        });
    }

    for s in &stacks {
        let dir = s.folder();
        files.generated.push((
            format!("{dir}/{}", s.stack.template_path),
            s.stack.template.to_json(),
        ));
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

    let root = root::root_stack(backend, &stacks);
    let root_json = root.to_json();
    check_quotas(&stacks, &root, &root_json, &mut files.quota_errors);
    files
        .generated
        .push((ROOT_TEMPLATE_FILE.into(), root_json.clone()));
    layout::add_layout_files(backend, &stacks, project, &mut files);
    let plan = plan_file::plan(backend, &stacks, &root, &root_json, project);
    (files, plan)
}

/// `parameters.json`: the values the root passes to the nested stack, as Amplify keeps
/// them, minus Amplify's environment parameters (team-provider-info's job).
fn parameters_file(s: &Synthesized) -> indexmap::IndexMap<String, Value> {
    s.stack
        .bindings
        .iter()
        .filter(|(_, b)| !b.is_env_parameter())
        .map(|(name, b)| (name.clone(), s.bound_value(name, b)))
        .collect()
}

fn check_quotas(
    stacks: &[Synthesized],
    root: &Template,
    root_json: &str,
    errors: &mut Vec<String>,
) {
    let nested = stacks.iter().map(|s| {
        (
            format!("the stack of `{}`", s.resource.ident),
            &s.stack.template,
            None,
        )
    });
    let all = nested.chain(std::iter::once((
        "the root stack".to_owned(),
        root,
        Some(root_json),
    )));
    for (name, template, json) in all {
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
                "the root takes one per function (its code key) and one per API key (its expiry), plus four",
            ),
            (
                "outputs",
                template.outputs.len(),
                MAX_OUTPUTS_PER_TEMPLATE,
                "",
            ),
        ];
        let is_root = json.is_some();
        for (what, count, max, why) in counts {
            if count > max {
                let why = if why.is_empty() || !is_root {
                    String::new()
                } else {
                    format!(" ({why})")
                };
                errors.push(format!(
                    "{name} would have {count} {what}; CloudFormation allows {max} per template{why}, so the deploy would be refused: declare fewer resources in this backend"
                ));
            }
        }
        let size = json.map_or_else(|| template.to_json().len(), str::len);
        if size > MAX_TEMPLATE_BYTES {
            errors.push(format!(
                "{name} would be {size} bytes; CloudFormation allows {MAX_TEMPLATE_BYTES} bytes per template, so the deploy would be refused: declare fewer resources in this backend"
            ));
        }
    }
}
