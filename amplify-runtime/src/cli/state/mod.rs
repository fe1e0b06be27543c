//! Amplify's state files as types: `team-provider-info.json`, `amplify-meta.json`,
//! `.config/local-env-info.json`, `.config/local-aws-info.json`, and our own marker of a
//! push in progress. Unknown keys are kept (a file may carry keys of other tools), known
//! ones are typed: a misspelt key is a compile error, not a silent default.

pub(crate) mod gen1;
pub(crate) mod gen2;
pub(crate) mod lock;
mod meta;
pub(crate) mod project;
pub(crate) mod synthesis;

use std::collections::BTreeMap;

use amplify_build::files::ResourceEntry;
use amplify_build::plan::PROVIDER;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cli::error::{CliError, Result};

pub use meta::{compose_meta, imported_outputs, pushed_value, Pushed};

/// `amplify/team-provider-info.json`: every environment of the project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamProviderInfo(pub IndexMap<String, EnvEntry>);

/// One environment in `team-provider-info.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnvEntry {
    /// What each provider recorded (the root stack for CloudFormation), by provider.
    #[serde(flatten)]
    pub providers: IndexMap<String, ProviderInfo>,
    /// Per-environment parameter values: category → resource → parameter → value.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub categories: EnvParameters,
}

// By hand rather than `#[serde(flatten)]`, which buffers the providers' blocks: a
// wrong value is then reported at its own line and key path
// (`dev.awscloudformation.StackName`), not at the end of the environment.
impl<'de> Deserialize<'de> for EnvEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = EnvEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an environment: provider blocks and `categories`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<EnvEntry, A::Error> {
                let mut entry = EnvEntry::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "categories" {
                        entry.categories = map.next_value()?;
                    } else {
                        let block = map.next_value()?;
                        entry.providers.insert(key, block);
                    }
                }
                Ok(entry)
            }
        }
        d.deserialize_map(Entry)
    }
}

impl EnvEntry {
    /// The CloudFormation provider's block.
    pub fn provider(&self) -> Option<&ProviderInfo> {
        self.providers.get(PROVIDER)
    }
}

/// Per-environment parameter values: category → resource → parameter → value.
pub type EnvParameters = IndexMap<String, IndexMap<String, IndexMap<String, ParameterValue>>>;

/// One per-environment parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParameterValue {
    /// A number (an expiry epoch, a count of days).
    Number(i64),
    /// A string (a bucket name, a key).
    Text(String),
}

impl ParameterValue {
    /// The text, for string values.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ParameterValue::Text(t) => Some(t),
            ParameterValue::Number(_) => None,
        }
    }

    /// The number, for numeric values.
    pub fn as_number(&self) -> Option<i64> {
        match self {
            ParameterValue::Number(n) => Some(*n),
            ParameterValue::Text(_) => None,
        }
    }
}

/// What the CloudFormation provider records about an environment's root stack.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// Role of signed-in users.
    #[serde(
        rename = "AuthRoleName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_role_name: Option<String>,
    /// ARN of the guests' role.
    #[serde(
        rename = "UnauthRoleArn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unauth_role_arn: Option<String>,
    /// ARN of the signed-in users' role.
    #[serde(
        rename = "AuthRoleArn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_role_arn: Option<String>,
    /// The environment's region.
    #[serde(rename = "Region", default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The deployment bucket.
    #[serde(
        rename = "DeploymentBucketName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_bucket_name: Option<String>,
    /// Role of guests.
    #[serde(
        rename = "UnauthRoleName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unauth_role_name: Option<String>,
    /// The root stack's name.
    #[serde(rename = "StackName", default, skip_serializing_if = "Option::is_none")]
    pub stack_name: Option<String>,
    /// The root stack's id.
    #[serde(rename = "StackId", default, skip_serializing_if = "Option::is_none")]
    pub stack_id: Option<String>,
    /// Key of the root template last deployed (amplify-meta.json only).
    #[serde(
        rename = "rootStackTemplateKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub root_stack_template_key: Option<String>,
    /// Keys other tools wrote (`AmplifyAppId`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The provider values that name the environment's root resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The variants are Amplify's key names.
#[allow(clippy::enum_variant_names)]
pub enum RootValue {
    /// `StackName`.
    StackName,
    /// `DeploymentBucketName`.
    DeploymentBucketName,
    /// `AuthRoleName`.
    AuthRoleName,
    /// `UnauthRoleName`.
    UnauthRoleName,
}

impl RootValue {
    /// The key in `team-provider-info.json` (also the root parameter's name).
    pub fn key(self) -> &'static str {
        match self {
            RootValue::StackName => "StackName",
            RootValue::DeploymentBucketName => "DeploymentBucketName",
            RootValue::AuthRoleName => "AuthRoleName",
            RootValue::UnauthRoleName => "UnauthRoleName",
        }
    }
}

impl ProviderInfo {
    /// One of the values naming the root resources, or an error saying how to fix it.
    pub fn require(&self, value: RootValue) -> Result<&str> {
        let found = match value {
            RootValue::StackName => &self.stack_name,
            RootValue::DeploymentBucketName => &self.deployment_bucket_name,
            RootValue::AuthRoleName => &self.auth_role_name,
            RootValue::UnauthRoleName => &self.unauth_role_name,
        };
        found.as_deref().ok_or_else(|| {
            CliError::input(format!(
                "`amplify/team-provider-info.json` has no `{}` for this environment",
                value.key()
            ))
            .help("re-run `cargo amplify init` for it")
        })
    }

    /// Records a root stack output that the provider keeps.
    pub fn record_output(&mut self, key: &str, value: &str) {
        let slot = match key {
            "AuthRoleName" => &mut self.auth_role_name,
            "UnauthRoleArn" => &mut self.unauth_role_arn,
            "AuthRoleArn" => &mut self.auth_role_arn,
            "Region" => &mut self.region,
            "DeploymentBucketName" => &mut self.deployment_bucket_name,
            "UnauthRoleName" => &mut self.unauth_role_name,
            "StackName" => &mut self.stack_name,
            "StackId" => &mut self.stack_id,
            _ => return,
        };
        *slot = Some(value.to_owned());
    }

    /// The account and partition, read from the role ARNs.
    pub fn account_and_partition(&self) -> (String, String) {
        let arn = self.auth_role_arn.as_deref().unwrap_or_default();
        let mut parts = arn.split(':');
        let partition = parts.nth(1).filter(|p| !p.is_empty()).unwrap_or("aws");
        let account = parts.nth(2).unwrap_or_default();
        (account.to_owned(), partition.to_owned())
    }
}

/// `amplify/backend/amplify-meta.json`: the providers' blocks and every resource with
/// its push bookkeeping and outputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AmplifyMeta {
    /// By provider.
    #[serde(default)]
    pub providers: IndexMap<String, ProviderInfo>,
    /// Category → resource → entry.
    #[serde(flatten)]
    pub categories: IndexMap<String, IndexMap<String, MetaResource>>,
}

impl AmplifyMeta {
    /// The CloudFormation provider's block.
    pub fn provider(&self) -> Option<&ProviderInfo> {
        self.providers.get(PROVIDER)
    }

    /// One resource.
    pub fn get(&self, category: &str, name: &str) -> Option<&MetaResource> {
        self.categories.get(category)?.get(name)
    }

    /// Adds (or replaces) one resource.
    pub fn insert(&mut self, category: &str, name: &str, resource: MetaResource) {
        self.categories
            .entry(category.to_owned())
            .or_default()
            .insert(name.to_owned(), resource);
    }

    /// Every resource with its category and name.
    pub fn resources(&self) -> impl Iterator<Item = (&str, &str, &MetaResource)> {
        self.categories.iter().flat_map(|(category, resources)| {
            resources
                .iter()
                .map(move |(name, r)| (category.as_str(), name.as_str(), r))
        })
    }

    /// The environment's region.
    pub fn region(&self) -> String {
        self.provider()
            .and_then(|p| p.region.clone())
            .unwrap_or_else(|| "us-east-1".to_owned())
    }
}

/// One resource of `amplify-meta.json`: its `backend-config.json` entry plus what the
/// last push recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetaResource {
    /// The `backend-config.json` entry (without `output`, which is below).
    #[serde(flatten)]
    pub entry: ResourceEntry,
    /// Where the nested stack's template was uploaded.
    #[serde(
        rename = "providerMetadata",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub provider_metadata: Option<ProviderMetadata>,
    /// When it was last pushed (ISO 8601).
    #[serde(
        rename = "lastPushTimeStamp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_push_time_stamp: Option<String>,
    /// Content hash of what was pushed (folder and code).
    #[serde(
        rename = "lastPushDirHash",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_push_dir_hash: Option<String>,
    /// Where a function's code zip was uploaded.
    #[serde(rename = "s3Bucket", default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket: Option<CodeLocation>,
    /// The code zip's file name.
    #[serde(
        rename = "distZipFilename",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub dist_zip_filename: Option<String>,
    /// Stack outputs, with what backend-config keeps under `output` (an API's
    /// `authConfig`).
    #[serde(default)]
    pub output: Map<String, Value>,
    /// The post-deploy actions that ran in this environment, by id.
    #[serde(
        rename = "postDeployActions",
        default,
        skip_serializing_if = "indexmap::IndexMap::is_empty"
    )]
    pub post_deploy: indexmap::IndexMap<String, ActionRecord>,
}

/// The last run of a post-deploy action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRecord {
    /// The hash of the program and input values it ran with (a secret only by hash).
    pub fingerprint: String,
    /// When (ISO 8601).
    pub at: String,
    /// What the program printed.
    pub result: Value,
}

impl MetaResource {
    /// The string outputs (stack outputs and imported ids).
    pub fn string_outputs(&self) -> BTreeMap<&str, &str> {
        self.output
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
            .collect()
    }
}

/// `providerMetadata` of a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMetadata {
    /// `https://s3.amazonaws.com/<bucket>/<key>` of the nested template.
    #[serde(rename = "s3TemplateURL")]
    pub s3_template_url: String,
    /// The nested stack's logical id.
    pub logical_id: String,
}

/// Where a function's code zip is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeLocation {
    /// The deployment bucket.
    pub deployment_bucket_name: String,
    /// The zip's key.
    pub s3_key: String,
}

/// `amplify/.config/local-env-info.json`: the environment checked out on this machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalEnvInfo {
    /// The crate root.
    pub project_path: String,
    /// The editor Amplify opens (`none`).
    pub default_editor: String,
    /// The current environment.
    pub env_name: String,
}

/// `amplify/.config/local-aws-info.json`: how each environment finds credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalAwsInfo(pub IndexMap<String, AwsConfigLevel>);

/// How one environment finds credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsConfigLevel {
    /// `project` (a named profile) or `general` (the default chain).
    pub config_level: String,
    /// Whether `profile_name` is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_profile: Option<bool>,
    /// The profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    /// The endpoint the environment was deployed to when it is not AWS (the local
    /// cloud): commands and the app's typed clients use it unless told otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Keys other tools wrote.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A push that started but whose local state was not written (failure to finish,
/// Ctrl-C, a crash): written before the root stack update starts, removed once local
/// state is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    /// The root stack.
    pub stack_name: String,
    /// The root template key that push deployed.
    pub root_template_key: String,
    /// The per-environment values it deployed.
    #[serde(default)]
    pub inputs: Vec<amplify_build::plan::InputValue>,
    /// When it started.
    pub started_at: String,
}
