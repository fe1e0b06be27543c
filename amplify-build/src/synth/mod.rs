//! Model → CloudFormation IR → file contents. Pure: produces a list of files and their
//! bytes; writing them is `crate::fs`'s job.
//!
//! Each category synthesises its resources' nested stacks
//! ([`crate::category::Category::synthesize`]); the root stack, `backend-config.json`,
//! the deployment plan and the rest of the layout are built generically from them.

mod export;
mod layout;
mod plan_file;
pub mod policy;
mod root;
mod stack;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::cfn::{Template, Value};
use crate::deps::{dependencies, Dependency};
use crate::model::{Backend, Resource};
use crate::plan::{Plan, ROOT_TEMPLATE_FILE};

pub use layout::{gitignore_block, project_config, ProjectSettings};
pub use root::RootRoles;
pub use stack::{AssetLocation, Binding, NestedStack, StackContext};

/// Version written into template descriptions.
pub(crate) const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

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

/// How a resource's output reaches another stack: `Fn::GetAtt` on its nested stack, or,
/// for an imported resource, the declared id (or what follows from it, such as an ARN
/// built in the stack's own account and region).
pub fn output_value(target: &Resource, attribute: &str) -> Value {
    let Some(ids) = &target.imported else {
        return Value::get_att(target.logical_id(), format!("Outputs.{attribute}"));
    };
    if let Some(v) = ids.get(attribute) {
        return Value::from(v.as_str());
    }
    match derived_output(target, attribute) {
        Some(text) => Value::sub(text),
        // Not an output of the imported resource; validation refuses such uses.
        None => Value::no_value(),
    }
}

/// The `Fn::Sub` text of an output that follows from an imported resource's ids.
pub(crate) fn derived_output(target: &Resource, attribute: &str) -> Option<String> {
    let ids = target.imported.as_ref()?;
    let (_, template) = target
        .kind
        .descriptor()
        .import_derived
        .iter()
        .find(|(output, _)| *output == attribute)?;
    let mut text = (*template).to_owned();
    for (output, id) in ids {
        text = text.replace(&format!("{{{output}}}"), id);
    }
    Some(text)
}

/// Amplify's JSON template description, without host or time so that bytes are stable.
pub fn description(stack_type: &str) -> String {
    json!({
        "createdBy": "amplify-rs",
        "createdWith": GENERATOR_VERSION,
        "stackType": stack_type,
        "metadata": {}
    })
    .to_string()
}

/// The JSON of the root stack that `cargo amplify init` creates: the deployment bucket,
/// its TLS policy and the two roles, trusted by nobody until an identity pool exists.
/// The first push replaces it with the synthesised root stack.
pub fn bootstrap_root_template() -> String {
    root::root_stack(&Backend::default(), &[]).to_json()
}

/// First 16 hex digits of the SHA-256 of `bytes`: used in content-addressed S3 keys.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Every file of the `amplify/` folder, relative to the folder that contains `amplify/`.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// Files that synthesis owns and rewrites whenever their bytes change.
    pub generated: Vec<(String, String)>,
    /// Files created once and then owned by the user (never overwritten).
    pub seeded: Vec<(String, String)>,
    /// Problems that do not stop synthesis but will stop a deploy.
    pub warnings: Vec<String>,
}

/// CloudFormation quotas a synthesised template must stay within.
const MAX_RESOURCES_PER_TEMPLATE: usize = 500;
const MAX_TEMPLATE_BYTES: usize = 1_000_000;

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
    check_quotas(&stacks, &root, &root_json, &mut files.warnings);
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
    warnings: &mut Vec<String>,
) {
    let nested = stacks
        .iter()
        .map(|s| (s.resource.logical_id(), &s.stack.template, None));
    let all = nested.chain(std::iter::once((
        "the root stack".to_owned(),
        root,
        Some(root_json),
    )));
    for (name, template, json) in all {
        let size = json.map_or_else(|| template.to_json().len(), str::len);
        if template.resources.len() > MAX_RESOURCES_PER_TEMPLATE {
            warnings.push(format!(
                "{name} has {} resources; CloudFormation allows {MAX_RESOURCES_PER_TEMPLATE} per template, so a deploy would be refused",
                template.resources.len()
            ));
        }
        if size > MAX_TEMPLATE_BYTES {
            warnings.push(format!(
                "{name} is {size} bytes; CloudFormation allows {MAX_TEMPLATE_BYTES} bytes per template (S3 URL)"
            ));
        }
    }
}
