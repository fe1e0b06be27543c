//! Typed shapes of the Amplify files synthesis writes and `cargo amplify` reads:
//! `backend/backend-config.json` and `.config/project-config.json`. Keys that belong to
//! one category (`frontendAuthConfig`, `build`, an API's `output.authConfig`) stay a
//! JSON map owned by that category; everything the tools act on is a typed field.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `amplify/backend/backend-config.json`: category → resource → entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BackendConfig {
    /// Resources by category, then by name, in declaration order.
    #[serde(flatten)]
    pub categories: IndexMap<String, IndexMap<String, ResourceEntry>>,
    /// Environment parameters (`AMPLIFY_<category>_<resource>_<parameter>`) each
    /// environment provides.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, ParameterUse>,
}

impl BackendConfig {
    /// The entry of one resource.
    pub fn get(&self, category: &str, name: &str) -> Option<&ResourceEntry> {
        self.categories.get(category)?.get(name)
    }

    /// Adds (or replaces) the entry of one resource.
    pub fn insert(&mut self, category: &str, name: &str, entry: ResourceEntry) {
        self.categories
            .entry(category.to_owned())
            .or_default()
            .insert(name.to_owned(), entry);
    }

    /// Every entry with its category and name.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, &ResourceEntry)> {
        self.categories.iter().flat_map(|(category, resources)| {
            resources
                .iter()
                .map(move |(name, entry)| (category.as_str(), name.as_str(), entry))
        })
    }
}

/// One resource of `backend-config.json` (and, with push bookkeeping, of
/// `amplify-meta.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceEntry {
    /// Amplify service (`Cognito`, `S3`, …).
    pub service: String,
    /// `imported` for resources imported by id.
    #[serde(
        rename = "serviceType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_type: Option<String>,
    /// The provider that deploys it.
    #[serde(rename = "providerPlugin")]
    pub provider_plugin: String,
    /// What it uses of other resources.
    #[serde(rename = "dependsOn", default)]
    pub depends_on: Vec<DependsOn>,
    /// Keys owned by the resource's category.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResourceEntry {
    /// Whether the resource is imported by id (no stack).
    pub fn is_imported(&self) -> bool {
        self.service_type.as_deref() == Some(IMPORTED)
    }
}

/// `serviceType` of an imported resource.
pub const IMPORTED: &str = "imported";

/// One `dependsOn` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependsOn {
    /// Category of the resource used.
    pub category: String,
    /// Its name.
    pub resource_name: String,
    /// Its outputs that are consumed.
    pub attributes: Vec<String>,
}

/// Where an environment parameter is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterUse {
    /// The resources using it.
    pub used_by: Vec<ResourceRef>,
}

/// A resource by category and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    /// Category.
    pub category: String,
    /// Resource name.
    pub resource_name: String,
}

/// `amplify/.config/project-config.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectConfig {
    /// Amplify project name: 3–20 ASCII letters and digits.
    pub project_name: String,
    /// Format version (`3.1`).
    #[serde(default)]
    pub version: String,
    /// The frontend (`rust`, `javascript`, `android`, `ios`, `flutter`).
    #[serde(default = "default_frontend")]
    pub frontend: String,
    /// Each frontend's settings, under its name (`"javascript": {"config": {...}}`).
    #[serde(flatten)]
    pub frontends: Map<String, Value>,
    /// Provider plugins.
    #[serde(default)]
    pub providers: Vec<String>,
}

fn default_frontend() -> String {
    "rust".to_owned()
}

impl ProjectConfig {
    /// One string setting of the selected frontend's `config` block.
    pub fn frontend_setting(&self, key: &str) -> Option<&str> {
        self.frontends
            .get(&self.frontend)?
            .get("config")?
            .get(key)?
            .as_str()
    }
}
