//! One nested stack as a category synthesises it: its template, how the root stack fills
//! each parameter ([`Binding`]), its extra files and assets.

use indexmap::IndexMap;

use super::layout::ProjectSettings;
use crate::cfn::{Template, Value};
use crate::deps::Dependency;
use crate::model::{Backend, Resource};
use crate::plan::{Asset, EnvInput};

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
        }
    }

    /// Binds a parameter (builder style).
    pub fn bind(&mut self, parameter: impl Into<String>, binding: Binding) -> &mut Self {
        self.bindings.insert(parameter.into(), binding);
        self
    }
}
