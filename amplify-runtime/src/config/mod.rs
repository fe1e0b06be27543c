//! Typed client configuration: `amplify_outputs.json` (Amplify Gen 2's schema, version
//! 1.x) plus, under `custom.amplify_rs`, the outputs of every declared resource by name.
//!
//! Read it three ways:
//! - through the accessors the `#[backend]` macro generates (`backend::Photos::bucket_name()`),
//!   backed by the file embedded at build time, or by the file named in the
//!   `AMPLIFY_OUTPUTS` environment variable when set (one binary, several environments);
//! - [`Outputs::from_path`] for an explicit file;
//! - [`Outputs::from_env`] for the file named by an environment variable.
//!
//! This module needs only serde: apps that read configuration never compile the AWS SDK.

mod error;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use error::ConfigError;

/// The environment variable that overrides the embedded outputs with a file.
pub const OUTPUTS_ENV: &str = "AMPLIFY_OUTPUTS";

/// The Gen 2 schema version written by amplify-rs.
pub const SCHEMA_VERSION: &str = "1.4";

/// `amplify_outputs.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outputs {
    /// Schema version, `"1"` or `"1.x"`.
    pub version: String,
    /// Cognito.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthOutputs>,
    /// AppSync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataOutputs>,
    /// S3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageOutputs>,
    /// Free-form; amplify-rs keeps per-resource outputs under `amplify_rs`, imported
    /// CDK outputs under `cdk`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
}

/// The `auth` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthOutputs {
    /// Region of the user pool.
    pub aws_region: String,
    /// User pool id.
    pub user_pool_id: String,
    /// Web app client id.
    pub user_pool_client_id: String,
    /// Identity pool id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    /// Password rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    /// `email`, `phone_number`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub username_attributes: Vec<String>,
    /// Required standard attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standard_required_attributes: Vec<String>,
    /// `email`, `phone_number`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_verification_types: Vec<String>,
    /// Guests allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauthenticated_identities_enabled: Option<bool>,
    /// `NONE`, `OPTIONAL`, `REQUIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// `SMS`, `TOTP`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mfa_methods: Vec<String>,
    /// `[{"Admins": {"precedence": 0}}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Value>,
}

/// Password rules in `auth`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum length.
    pub min_length: u32,
    /// Digit required.
    pub require_numbers: bool,
    /// Lower-case letter required.
    pub require_lowercase: bool,
    /// Upper-case letter required.
    pub require_uppercase: bool,
    /// Symbol required.
    pub require_symbols: bool,
}

/// The `data` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataOutputs {
    /// Region of the API.
    pub aws_region: String,
    /// GraphQL endpoint.
    pub url: String,
    /// API key, if the API has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// `API_KEY`, `AMAZON_COGNITO_USER_POOLS`, `AWS_IAM`.
    pub default_authorization_type: String,
    /// Every mode the API accepts.
    pub authorization_types: Vec<String>,
}

/// The `storage` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageOutputs {
    /// Region of the default bucket.
    pub aws_region: String,
    /// The default (first) bucket.
    pub bucket_name: String,
    /// Every bucket, by friendly name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<Bucket>,
}

/// One bucket in `storage.buckets`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Friendly name (the declared resource name).
    pub name: String,
    /// Bucket name.
    pub bucket_name: String,
    /// Region.
    pub aws_region: String,
}

impl Outputs {
    /// Reads an outputs file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Outputs, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Outputs::from_json(&text, &path.display().to_string())
    }

    /// Reads the file named by environment variable `var`; `Ok(None)` when it is unset.
    pub fn from_env(var: &str) -> Result<Option<Outputs>, ConfigError> {
        match std::env::var_os(var) {
            Some(path) if !path.is_empty() => Outputs::from_path(Path::new(&path)).map(Some),
            _ => Ok(None),
        }
    }

    /// Parses outputs JSON; `file` names the source in errors.
    pub fn from_json(text: &str, file: &str) -> Result<Outputs, ConfigError> {
        let outputs: Outputs = serde_json::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.to_owned(),
            reason: format!(
                "line {}, column {}: {}",
                e.line(),
                e.column(),
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
        })?;
        if !(outputs.version == "1" || outputs.version.starts_with("1.")) {
            return Err(ConfigError::Invalid {
                file: file.to_owned(),
                reason: format!("unsupported version `{}` (expected 1.x)", outputs.version),
            });
        }
        Ok(outputs)
    }

    /// The Amplify project the outputs belong to, if recorded.
    pub fn project(&self) -> Option<&str> {
        self.custom.get("amplify_rs")?.get("project")?.as_str()
    }

    /// The environment the outputs belong to, if recorded.
    pub fn environment(&self) -> Option<&str> {
        self.custom.get("amplify_rs")?.get("environment")?.as_str()
    }

    /// The endpoint of the local cloud the environment was deployed to (`cargo amplify
    /// local`), if it is not AWS: the typed clients send their requests there.
    pub fn local_cloud(&self) -> Option<&str> {
        self.custom.get("amplify_rs")?.get("endpoint_url")?.as_str()
    }

    /// Every output of one declared resource, by key.
    pub fn resource(&self, category: &str, name: &str) -> Option<BTreeMap<&str, &str>> {
        let entry = self
            .custom
            .get("amplify_rs")?
            .get("resources")?
            .get(category)?
            .get(name)?
            .as_object()?;
        Some(
            entry
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect(),
        )
    }

    /// Whether any resource has been recorded (false before the first push).
    pub fn is_deployed(&self) -> bool {
        self.custom
            .get("amplify_rs")
            .and_then(|a| a.get("resources"))
            .and_then(Value::as_object)
            .is_some_and(|r| !r.is_empty())
    }

    /// One output of one declared resource, with an error naming what is missing.
    pub fn output(
        &self,
        category: &str,
        name: &str,
        key: &str,
        file: &str,
    ) -> Result<&str, ConfigError> {
        if !self.is_deployed() {
            return Err(ConfigError::NotDeployed {
                resource: name.to_owned(),
            });
        }
        let resource =
            self.resource(category, name)
                .ok_or_else(|| ConfigError::MissingResource {
                    resource: name.to_owned(),
                    file: file.to_owned(),
                })?;
        resource
            .get(key)
            .copied()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ConfigError::MissingOutput {
                resource: name.to_owned(),
                output: key.to_owned(),
                file: file.to_owned(),
            })
    }

    /// The outputs of a CDK stack merged with `cargo amplify config import-cdk-outputs`.
    pub fn cdk_output(&self, stack: &str, key: &str) -> Option<&str> {
        self.custom.get("cdk")?.get(stack)?.get(key)?.as_str()
    }
}

/// Support for the code the `#[backend]` macro generates. Not a stable API.
#[doc(hidden)]
pub mod __private {
    use super::*;

    /// What build.rs embedded: the project name and the outputs file's text.
    pub struct Embedded {
        /// Project name the crate was built for.
        pub project: &'static str,
        /// Path of the outputs file, for messages.
        pub file: &'static str,
        /// Its text at build time.
        pub json: &'static str,
    }

    static LOADED: OnceLock<Result<(Outputs, String), ConfigError>> = OnceLock::new();

    /// The outputs for this process: `AMPLIFY_OUTPUTS` if set, else the embedded file.
    pub fn outputs(
        embedded: Option<&'static Embedded>,
    ) -> Result<(&'static Outputs, &'static str), ConfigError> {
        let loaded = LOADED.get_or_init(|| {
            if let Some(path) = std::env::var_os(OUTPUTS_ENV).filter(|p| !p.is_empty()) {
                let file = Path::new(&path).display().to_string();
                let outputs = Outputs::from_path(&path)?;
                if let (Some(e), Some(found)) = (embedded, outputs.project()) {
                    if found != e.project {
                        return Err(ConfigError::OtherProject {
                            file,
                            expected: e.project.to_owned(),
                            found: found.to_owned(),
                        });
                    }
                }
                return Ok((outputs, file));
            }
            let e = embedded.ok_or(ConfigError::NotConfigured)?;
            Ok((Outputs::from_json(e.json, e.file)?, e.file.to_owned()))
        });
        match loaded {
            Ok((o, f)) => Ok((o, f.as_str())),
            Err(e) => Err(e.clone()),
        }
    }

    /// One output of one resource, for a generated accessor.
    pub fn output(
        embedded: Option<&'static Embedded>,
        category: &str,
        name: &str,
        key: &str,
    ) -> Result<&'static str, ConfigError> {
        let (outputs, file) = outputs(embedded)?;
        outputs.output(category, name, key, file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "version": "1.4",
      "storage": {"aws_region": "us-east-1", "bucket_name": "photos-1", "buckets": [{"name": "Photos", "bucket_name": "photos-1", "aws_region": "us-east-1"}]},
      "custom": {"amplify_rs": {"project": "blog", "environment": "dev",
                 "resources": {"storage": {"Photos": {"BucketName": "photos-1", "Region": "us-east-1"}}}}}
    }"#;

    #[test]
    fn resource_outputs_by_declared_name() {
        let o = Outputs::from_json(SAMPLE, "amplify_outputs.json").unwrap();
        assert_eq!(
            o.output("storage", "Photos", "BucketName", "f").unwrap(),
            "photos-1"
        );
        assert_eq!(o.project(), Some("blog"));
        assert_eq!(o.storage.unwrap().buckets[0].name, "Photos");
    }

    #[test]
    fn stale_and_undeployed_outputs_are_errors_never_empty_strings() {
        let o = Outputs::from_json(SAMPLE, "amplify_outputs.json").unwrap();
        let stale = o
            .output("storage", "Videos", "BucketName", "amplify_outputs.json")
            .unwrap_err();
        assert!(
            stale
                .to_string()
                .contains("`Videos` is declared but `amplify_outputs.json` has no outputs"),
            "{stale}"
        );
        let fresh = Outputs::from_json(r#"{"version": "1.4"}"#, "x").unwrap();
        let e = fresh
            .output("storage", "Photos", "BucketName", "x")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`Photos` is not deployed yet: run `cargo amplify push`"
        );
    }

    #[test]
    fn bad_files_are_named() {
        let e = Outputs::from_json("{\n \"version\": 1\n}", "out.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("`out.json` is not a valid amplify_outputs.json: line 2"),
            "{e}"
        );
        let e = Outputs::from_json(r#"{"version": "2"}"#, "out.json").unwrap_err();
        assert!(e.to_string().contains("unsupported version `2`"), "{e}");
        let e = Outputs::from_path("/nonexistent/amplify_outputs.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot read `/nonexistent/amplify_outputs.json`"),
            "{e}"
        );
    }
}
