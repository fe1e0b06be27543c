//! Composing the state files after a successful deployment, and the marker that lets an
//! interrupted push be reconciled with what CloudFormation actually did.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::error::Result;
use super::plan::Desired;
use super::project::{read_json, timestamp_now, write_json, Project};

/// Written before the root stack update starts, removed once local state is written.
pub fn pending_path(project: &Project, env: &str) -> PathBuf {
    project
        .root
        .join(format!("amplify/.config/local-push-pending-{env}.json"))
}

/// A push that started but whose local state was not written (failure to finish,
/// Ctrl-C, a crash).
#[derive(Debug, Clone)]
pub struct Pending {
    /// The root stack.
    pub stack_name: String,
    /// The root template key that push deployed.
    pub root_key: String,
    /// Root stack parameters it used.
    pub parameters: BTreeMap<String, String>,
}

impl Pending {
    /// Records the push that is about to start.
    pub fn write(&self, project: &Project, env: &str) -> Result<()> {
        write_json(
            &pending_path(project, env),
            &json!({
                "stackName": self.stack_name,
                "rootTemplateKey": self.root_key,
                "parameters": self.parameters,
                "startedAt": timestamp_now(),
            }),
        )
    }

    /// The pending push of `env`, if any.
    pub fn read(project: &Project, env: &str) -> Result<Option<Pending>> {
        let Some(v) = read_json(&pending_path(project, env))? else {
            return Ok(None);
        };
        Ok(Some(Pending {
            stack_name: v["stackName"].as_str().unwrap_or_default().to_owned(),
            root_key: v["rootTemplateKey"].as_str().unwrap_or_default().to_owned(),
            parameters: v["parameters"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        }))
    }

    /// Forgets the pending push.
    pub fn clear(project: &Project, env: &str) {
        let _ = std::fs::remove_file(pending_path(project, env));
    }
}

/// `amplify-meta.json` after a push: backend-config entries plus where each stack's
/// template lives, when it was pushed, its content hash and its outputs.
pub fn compose_meta(
    desired: &Desired,
    provider: &Map<String, Value>,
    bucket: &str,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
    parameters: &BTreeMap<String, String>,
) -> Map<String, Value> {
    let now = timestamp_now();
    let mut meta = Map::new();
    meta.insert("providers".into(), json!({ "awscloudformation": provider }));
    for r in &desired.resources {
        let mut entry = desired
            .backend_config
            .get(&r.category)
            .and_then(|c| c.get(&r.name))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        entry.insert(
            "providerMetadata".into(),
            json!({
                "s3TemplateURL": format!("https://s3.amazonaws.com/{bucket}/{}", r.template_key),
                "logicalId": r.logical_id,
            }),
        );
        entry.insert("lastPushTimeStamp".into(), json!(now));
        entry.insert("lastPushDirHash".into(), json!(r.fingerprint));
        if r.function.is_some() {
            if let Some(key) = parameters.get(&format!("function{}s3Key", r.name)) {
                entry.insert(
                    "s3Bucket".into(),
                    json!({ "deploymentBucketName": bucket, "s3Key": key }),
                );
                entry.insert(
                    "distZipFilename".into(),
                    json!(key.trim_start_matches("amplify-builds/")),
                );
            }
        }
        // Stack outputs join what backend-config already keeps under `output`
        // (an API's `authConfig`), as Amplify's meta does.
        let mut output = entry
            .get("output")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (k, v) in outputs.get(&r.logical_id).into_iter().flatten() {
            output.insert(k.clone(), json!(v));
        }
        entry.insert("output".into(), Value::Object(output));
        meta.entry(r.category.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("category entries are objects")
            .insert(r.name.clone(), Value::Object(entry));
    }
    // Imported resources: their declared ids, plus the ARNs and region they imply.
    let account = provider
        .get("AuthRoleArn")
        .and_then(Value::as_str)
        .and_then(|arn| arn.split(':').nth(4))
        .unwrap_or_default()
        .to_owned();
    let region = provider
        .get("Region")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    for (category, entries) in &desired.backend_config {
        for (name, entry) in entries.as_object().into_iter().flatten() {
            if entry["serviceType"] != "imported" {
                continue;
            }
            let mut entry = entry.as_object().cloned().unwrap_or_default();
            let mut output = entry
                .get("output")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let id = |k: &str| {
                output
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let arn = match entry.get("service").and_then(Value::as_str) {
                Some("DynamoDB") => Some((
                    "Arn",
                    format!("arn:aws:dynamodb:{region}:{account}:table/{}", id("Name")),
                )),
                Some("Cognito") => Some((
                    "UserPoolArn",
                    format!(
                        "arn:aws:cognito-idp:{region}:{account}:userpool/{}",
                        id("UserPoolId")
                    ),
                )),
                _ => None,
            };
            if let Some((key, value)) = arn {
                output.insert(key.into(), json!(value));
            }
            output.insert("Region".into(), json!(region));
            entry.insert("output".into(), Value::Object(output));
            entry.insert("lastPushTimeStamp".into(), json!(now));
            meta.entry(category.clone())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("category entries are objects")
                .insert(name.clone(), Value::Object(entry));
        }
    }
    meta
}

/// The env's `categories` block of team-provider-info: per-env parameter values.
pub fn compose_categories(
    desired: &Desired,
    bucket: &str,
    parameters: &BTreeMap<String, String>,
) -> Value {
    let mut function = Map::new();
    let mut api = Map::new();
    for r in &desired.resources {
        if let Some(key) = parameters.get(&format!("function{}s3Key", r.name)) {
            function.insert(
                r.name.clone(),
                json!({ "deploymentBucketName": bucket, "s3Key": key }),
            );
        }
        if let Some(epoch) = parameters.get(&format!("api{}APIKeyExpirationEpoch", r.name)) {
            let days = super::deploy::api_key_days(desired, &r.name).unwrap_or(7);
            api.insert(
                r.name.clone(),
                json!({ "APIKeyExpirationEpoch": epoch.parse::<i64>().unwrap_or(0), "apiKeyExpirationDays": days }),
            );
        }
    }
    let mut categories = Map::new();
    if !function.is_empty() {
        categories.insert("function".into(), Value::Object(function));
    }
    if !api.is_empty() {
        categories.insert("api".into(), Value::Object(api));
    }
    Value::Object(categories)
}
