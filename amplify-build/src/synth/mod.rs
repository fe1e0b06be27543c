//! Model → CloudFormation IR → file contents. Pure: produces a list of files and their
//! bytes; writing them is `crate::fs`'s job.
//!
//! Each category implements [`CategoryPlugin`]; the root stack, `backend-config.json` and
//! the rest of the layout are built generically from what the plugins return.

mod api;
mod auth;
mod function;
mod layout;
mod policy;
mod root;
mod storage;

use indexmap::IndexMap;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::cfn::{Parameter, Template, Value};
use crate::deps::{dependencies, Dependency};
use crate::model::{Backend, Resource, Spec};

pub use layout::{gitignore_block, ProjectSettings};

/// Version written into template descriptions.
pub(crate) const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The interface every category implements. A new category is a new module with an
/// implementation of this trait, registered in [`plugin_for`].
pub trait CategoryPlugin: Sync {
    /// Amplify category name (`auth`, `storage`, …).
    fn category(&self) -> &'static str;
    /// Whether `amplify export` can hand this category to CDK. Categories configured
    /// through SDK calls rather than CloudFormation (notifications) say no.
    fn exportable(&self) -> bool {
        true
    }
    /// Builds the nested stack of one resource of this category.
    fn synthesize(&self, cx: &StackContext<'_>) -> NestedStack;
}

/// What a plugin sees while synthesising one resource.
pub struct StackContext<'a> {
    /// The whole backend (for looking up referenced resources).
    pub backend: &'a Backend,
    /// The resource being synthesised.
    pub resource: &'a Resource,
    /// Its resolved dependencies.
    pub dependencies: Vec<Dependency<'a>>,
    /// Project settings.
    pub project: &'a ProjectSettings,
}

impl StackContext<'_> {
    /// The nested-stack parameter through which `target`'s output `attribute` arrives:
    /// Amplify's `<category><resource><Attribute>`.
    pub fn dependency_parameter(target: &Resource, attribute: &str) -> String {
        format!("{}{}{}", target.spec.category(), target.name, attribute)
    }

    /// A `Ref` to the parameter carrying `target`'s `attribute`.
    pub fn dependency_ref(target: &Resource, attribute: &str) -> Value {
        Value::r#ref(Self::dependency_parameter(target, attribute))
    }
}

/// One synthesised nested stack and the files that go with it.
pub struct NestedStack {
    /// The template.
    pub template: Template,
    /// Template path relative to `amplify/backend/<category>/<resource>/`.
    pub template_path: String,
    /// Literal parameter values (`parameters.json`), env-independent.
    pub parameters: IndexMap<String, Value>,
    /// Parameters whose value the root stack computes (e.g. `Ref DeploymentBucketName`).
    pub root_parameters: IndexMap<String, Value>,
    /// Parameters the root stack must itself declare, because push supplies them per env
    /// (e.g. a function's code key).
    pub root_inputs: IndexMap<String, Parameter>,
    /// Other files of the resource folder: (path relative to the folder, contents).
    pub files: Vec<(String, String)>,
    /// Extra keys of this resource's `backend-config.json` entry.
    pub backend_config: serde_json::Map<String, serde_json::Value>,
}

impl NestedStack {
    /// A nested stack with only a template.
    pub fn new(template: Template, template_path: impl Into<String>) -> Self {
        NestedStack {
            template,
            template_path: template_path.into(),
            parameters: IndexMap::new(),
            root_parameters: IndexMap::new(),
            root_inputs: IndexMap::new(),
            files: Vec::new(),
            backend_config: serde_json::Map::new(),
        }
    }
}

/// `parameters.json`: the values the root passes to the nested stack, as Amplify keeps
/// them, minus the per-environment code location (team-provider-info's job).
fn parameters_file(stack: &NestedStack) -> IndexMap<String, Value> {
    let mut values = stack.parameters.clone();
    for (k, v) in &stack.root_parameters {
        if !layout::is_env_specific(k) {
            values.insert(k.clone(), v.clone());
        }
    }
    values
}

/// The plugin responsible for a resource's kind.
pub fn plugin_for(spec: &Spec) -> &'static dyn CategoryPlugin {
    match spec {
        Spec::Auth(_) => &auth::AuthPlugin,
        Spec::Api(_) => &api::ApiPlugin,
        Spec::Bucket(_) => &storage::BucketPlugin,
        Spec::Table(_) => &storage::TablePlugin,
        Spec::Function(_) => &function::FunctionPlugin,
    }
}

/// How a resource's output reaches another stack: `Fn::GetAtt` on its nested stack, or,
/// for an imported resource, the declared id (ARNs built from it in the stack's own
/// account and region).
pub(crate) fn output_value(target: &Resource, attribute: &str) -> Value {
    let Some(values) = &target.imported else {
        return Value::get_att(target.logical_id(), format!("Outputs.{attribute}"));
    };
    if let Some(v) = values.get(attribute) {
        return Value::from(v.as_str());
    }
    let id = |key: &str| values.get(key).cloned().unwrap_or_default();
    match attribute {
        "Arn" => Value::sub(format!(
            "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{}",
            id("Name")
        )),
        "UserPoolArn" => Value::sub(format!(
            "arn:${{AWS::Partition}}:cognito-idp:${{AWS::Region}}:${{AWS::AccountId}}:userpool/{}",
            id("UserPoolId")
        )),
        _ => Value::r#ref("AWS::Region"),
    }
}

/// Amplify's JSON template description, without host or time so that bytes are stable.
pub(crate) fn description(stack_type: &str) -> String {
    json!({
        "createdBy": "amplify-rs",
        "createdWith": GENERATOR_VERSION,
        "stackType": stack_type,
        "metadata": {}
    })
    .to_string()
}

/// The JSON of the root stack that `cargo amplify init` creates (see
/// `root::bootstrap_root_stack`).
pub fn bootstrap_root_template() -> String {
    root::bootstrap_root_stack().to_json()
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

/// Synthesises every file of the backend.
pub fn synthesize_backend(backend: &Backend, project: &ProjectSettings) -> FileSet {
    let mut files = FileSet::default();
    let mut stacks: Vec<(&Resource, NestedStack, Vec<Dependency>)> = Vec::new();
    for resource in backend.resources.iter().filter(|r| !r.is_imported()) {
        let cx = StackContext {
            backend,
            resource,
            dependencies: dependencies(backend, resource),
            project,
        };
        let stack = plugin_for(&resource.spec).synthesize(&cx);
        debug_assert!(
            stack.template.unused_parameters().is_empty(),
            "{}: unused parameters {:?}",
            resource.name,
            stack.template.unused_parameters()
        );
        stacks.push((resource, stack, cx.dependencies));
    }

    for (resource, stack, _) in &stacks {
        let dir = format!(
            "amplify/backend/{}/{}",
            resource.spec.category(),
            resource.name
        );
        files.generated.push((
            format!("{dir}/{}", stack.template_path),
            stack.template.to_json(),
        ));
        let params_path = if stack.template_path.starts_with("build/") {
            format!("{dir}/build/parameters.json")
        } else {
            format!("{dir}/parameters.json")
        };
        files.generated.push((
            params_path,
            crate::cfn::to_pretty_json(&parameters_file(stack)),
        ));
        for (path, text) in &stack.files {
            files
                .generated
                .push((format!("{dir}/{path}"), text.clone()));
        }
    }

    let root = root::root_stack(backend, &stacks);
    let root_json = root.to_json();
    for (name, template, json) in stacks
        .iter()
        .map(|(r, s, _)| (r.logical_id(), &s.template, None))
        .chain(std::iter::once((
            "the root stack".to_owned(),
            &root,
            Some(&root_json),
        )))
    {
        let size = json.map_or_else(|| template.to_json().len(), String::len);
        if template.resources.len() > MAX_RESOURCES_PER_TEMPLATE {
            files.warnings.push(format!(
                "{name} has {} resources; CloudFormation allows {MAX_RESOURCES_PER_TEMPLATE} per template, so a deploy would be refused",
                template.resources.len()
            ));
        }
        if size > MAX_TEMPLATE_BYTES {
            files.warnings.push(format!(
                "{name} is {size} bytes; CloudFormation allows {MAX_TEMPLATE_BYTES} bytes per template (S3 URL)"
            ));
        }
    }
    files.generated.push((
        "amplify/backend/awscloudformation/build/root-cloudformation-stack.json".into(),
        root_json,
    ));
    layout::add_layout_files(backend, &stacks, project, &mut files);
    files
}
