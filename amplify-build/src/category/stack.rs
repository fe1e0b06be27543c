//! One nested stack as a category synthesises it: its template, how the root stack fills
//! each parameter ([`Binding`]), its extra files and assets.

use indexmap::IndexMap;

use proc_macro2::Span;
use serde_json::json;

use super::model::{Backend, Resource};
use crate::cfn::{Template, Value};
use crate::plan::{Asset, EnvInput, PostDeployAction};

/// What a category sees while synthesising one resource.
pub struct StackContext<'a> {
    /// The whole backend (for looking up referenced resources).
    pub backend: &'a Backend,
    /// The resource being synthesised.
    pub resource: &'a Resource,
    /// Its resolved dependencies, in declaration order.
    pub dependencies: Vec<Dependency<'a>>,
    /// Project settings.
    pub project: &'a ProjectSettings,
}

impl StackContext<'_> {
    /// The nested-stack parameter through which `target`'s output `attribute` arrives:
    /// Amplify's `<category><resource><Attribute>`. The root stack fills every declared
    /// parameter of this form from the dependency's stack (or its imported id).
    pub fn dependency_parameter(target: &Resource, attribute: &str) -> String {
        format!("{}{}{}", target.category(), target.name, attribute)
    }

    /// A `Ref` to the parameter carrying `target`'s `attribute`.
    pub fn dependency_ref(target: &Resource, attribute: &str) -> Value {
        Value::r#ref(Self::dependency_parameter(target, attribute))
    }

    /// Declares a `String` parameter for every consumed output of every dependency.
    pub fn declare_dependency_parameters(&self, template: &mut Template) {
        for dep in &self.dependencies {
            for attr in &dep.attributes {
                template.string_param(Self::dependency_parameter(dep.target, attr));
            }
        }
    }
}

/// How the root stack fills one parameter of a nested template. Parameters without a
/// binding are `env` and dependency parameters
/// ([`StackContext::dependency_parameter`]), which the root fills itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// The same value in every environment.
    Literal(Value),
    /// An expression over the root stack: one of its roles, another stack's output.
    Root(Value),
    /// Where the deployment puts this stack's uploaded assets (the export construct
    /// uploads them itself and supplies these).
    Assets(AssetLocation),
    /// A value push supplies per environment.
    Input(EnvInput),
}

/// A location of uploaded assets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetLocation {
    /// The deployment bucket's name.
    Bucket,
    /// A fixed, content-addressed key prefix.
    Prefix(String),
}

impl Binding {
    /// Whether Amplify keeps the value per environment rather than in `parameters.json`.
    pub fn is_env_parameter(&self) -> bool {
        matches!(self, Binding::Input(input) if input.is_env_parameter())
    }
}

/// One synthesised nested stack and the files that go with it.
pub struct NestedStack {
    /// The template.
    pub template: Template,
    /// Template path relative to `amplify/backend/<category>/<resource>/`.
    pub template_path: String,
    /// How the root fills the template's parameters, in `parameters.json` order.
    pub bindings: IndexMap<String, Binding>,
    /// Other files of the resource folder: (path relative to the folder, contents).
    pub files: Vec<(String, String)>,
    /// Extra keys of this resource's `backend-config.json` entry.
    pub backend_config: serde_json::Map<String, serde_json::Value>,
    /// What push builds or uploads for this stack.
    pub assets: Vec<Asset>,
    /// What push runs after the stacks deployed.
    pub actions: Vec<PostDeployAction>,
    /// Stacks nested in this one, their templates among `files`.
    pub children: Vec<crate::plan::ChildStack>,
}

impl NestedStack {
    /// A nested stack with only a template.
    pub fn new(template: Template, template_path: impl Into<String>) -> Self {
        NestedStack {
            template,
            template_path: template_path.into(),
            bindings: IndexMap::new(),
            files: Vec::new(),
            backend_config: serde_json::Map::new(),
            assets: Vec::new(),
            actions: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Binds a parameter (builder style).
    pub fn bind(&mut self, parameter: impl Into<String>, binding: Binding) -> &mut Self {
        self.bindings.insert(parameter.into(), binding);
        self
    }
}

/// One resource consuming outputs of another.
#[derive(Debug, Clone)]
pub struct Dependency<'a> {
    /// The resource depended on.
    pub target: &'a Resource,
    /// Output names of the target's nested stack that are consumed.
    pub attributes: Vec<String>,
    /// Where the reference was written.
    pub span: Span,
}

/// What resources add to the root stack besides their nested stacks: who may assume the
/// roles for signed-in users and guests (nobody by default), and extra resources.
#[derive(Default)]
pub struct RootRoles {
    /// Trust policy of `AuthRole`.
    pub auth_trust: Option<Value>,
    /// Trust policy of `UnauthRole`.
    pub unauth_trust: Option<Value>,
    /// Resources placed after the roles, by logical id.
    pub resources: Vec<(String, crate::cfn::Resource)>,
}

/// What the root stack holds that categories may refer to: in the root
/// ([`RootRoles::resources`]) directly, and from a nested stack through a
/// [`Binding::Root`] parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootRef {
    /// The role signed-in users assume (through the identity pool): its name.
    AuthRole,
    /// Its ARN.
    AuthRoleArn,
    /// The role guests assume: its name.
    UnauthRole,
    /// Its ARN.
    UnauthRoleArn,
    /// The deployment bucket's name.
    DeploymentBucket,
    /// The environment's name.
    Env,
}

impl RootRef {
    /// The expression, valid in the root stack.
    pub fn value(self) -> Value {
        match self {
            RootRef::AuthRole => Value::r#ref("AuthRole"),
            RootRef::AuthRoleArn => Value::get_att("AuthRole", "Arn"),
            RootRef::UnauthRole => Value::r#ref("UnauthRole"),
            RootRef::UnauthRoleArn => Value::get_att("UnauthRole", "Arn"),
            RootRef::DeploymentBucket => Value::r#ref("DeploymentBucketName"),
            RootRef::Env => Value::r#ref("env"),
        }
    }
}

/// One of the identity pool's roles a nested stack attaches policies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRole {
    /// Signed-in users' role (`authRoleName`).
    SignedIn,
    /// Guests' role (`unauthRoleName`).
    Guest,
}

impl IdentityRole {
    /// Declares the `String` parameter carrying the role's name, bound to the root's role
    /// (the role resource itself, so CloudFormation creates it before a policy attaches),
    /// and returns a `Ref` to it.
    pub fn declare(self, t: &mut Template, bindings: &mut IndexMap<String, Binding>) -> Value {
        let (parameter, describe, root) = match self {
            IdentityRole::SignedIn => (
                "authRoleName",
                "Role assumed by signed-in users",
                RootRef::AuthRole,
            ),
            IdentityRole::Guest => (
                "unauthRoleName",
                "Role assumed by guests",
                RootRef::UnauthRole,
            ),
        };
        t.string_param(parameter).describe(describe);
        bindings.insert(parameter.to_owned(), Binding::Root(root.value()));
        Value::r#ref(parameter)
    }
}

/// Version written into template descriptions.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

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

/// Project-wide settings that are not part of the declaration.
#[derive(Debug, Clone)]
pub struct ProjectSettings {
    /// Amplify project name: 3–20 ASCII letters and digits.
    pub project_name: String,
    /// Frontend written to a new `project-config.json` (`rust`, `javascript`, …).
    pub frontend: String,
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
pub fn derived_output(target: &Resource, attribute: &str) -> Option<String> {
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
