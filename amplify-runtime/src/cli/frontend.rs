//! Client configuration from `amplify-meta.json`: `amplify_outputs.json` (Gen 2 schema,
//! read by the typed Rust config and by current Amplify libraries), `aws-exports.js` and
//! `amplifyconfiguration.json` for JavaScript, `awsconfiguration.json` and
//! `amplifyconfiguration.json` for Android/iOS/Flutter.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::error::{CliError, Result};
use super::project::{read_json, write_atomic, write_json, Project};
use crate::config::{
    AuthOutputs, Bucket, DataOutputs, Outputs, PasswordPolicy, StorageOutputs, SCHEMA_VERSION,
};

/// Keys amplify-rs writes into aws-exports.js; any other key found in an existing file
/// is the user's and is kept.
const RESERVED_EXPORT_KEYS: &[&str] = &[
    "aws_project_region",
    "aws_cognito_identity_pool_id",
    "aws_cognito_region",
    "aws_user_pools_id",
    "aws_user_pools_web_client_id",
    "oauth",
    "aws_cognito_username_attributes",
    "aws_cognito_social_providers",
    "aws_cognito_signup_attributes",
    "aws_cognito_mfa_configuration",
    "aws_cognito_mfa_types",
    "aws_cognito_password_protection_settings",
    "aws_cognito_verification_mechanisms",
    "aws_appsync_graphqlEndpoint",
    "aws_appsync_region",
    "aws_appsync_authenticationType",
    "aws_appsync_apiKey",
    "aws_user_files_s3_bucket",
    "aws_user_files_s3_bucket_region",
    "aws_dynamodb_all_tables_region",
    "aws_dynamodb_table_schemas",
];

/// What the generators need.
pub struct Inputs<'a> {
    /// `amplify-meta.json` after a push or pull.
    pub meta: &'a Map<String, Value>,
    /// Project name.
    pub project: &'a str,
    /// Environment name.
    pub env: &'a str,
    /// Outputs of CDK stacks merged with `config import-cdk-outputs`.
    pub cdk: &'a Map<String, Value>,
}

impl Inputs<'_> {
    fn region(&self) -> String {
        self.meta
            .get("providers")
            .and_then(|p| p["awscloudformation"]["Region"].as_str())
            .unwrap_or("us-east-1")
            .to_owned()
    }

    /// Resources of one service that have outputs, in file order.
    fn resources(&self, service: &str) -> Vec<(&str, &Value)> {
        let mut out = Vec::new();
        for (category, entries) in self.meta {
            if category == "providers" {
                continue;
            }
            for (name, entry) in entries.as_object().into_iter().flatten() {
                if entry["service"] == service && entry["output"].is_object() {
                    out.push((name.as_str(), entry));
                }
            }
        }
        out
    }
}

fn s(v: &Value) -> Option<String> {
    v.as_str().filter(|x| !x.is_empty()).map(ToOwned::to_owned)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(ToOwned::to_owned))
        .collect()
}

fn auth_modes(api: &Value) -> (String, Vec<String>) {
    let config = &api["output"]["authConfig"];
    let default = s(&config["defaultAuthentication"]["authenticationType"])
        .unwrap_or_else(|| "API_KEY".into());
    let mut all = vec![default.clone()];
    for m in config["additionalAuthenticationProviders"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(t) = s(&m["authenticationType"]) {
            all.push(t);
        }
    }
    (default, all)
}

/// `amplify_outputs.json`.
pub fn amplify_outputs(inputs: &Inputs) -> Outputs {
    let region = inputs.region();
    let mut outputs = Outputs {
        version: SCHEMA_VERSION.to_owned(),
        ..Outputs::default()
    };
    if let Some((_, auth)) = inputs.resources("Cognito").first() {
        let o = &auth["output"];
        let f = &auth["frontendAuthConfig"];
        let characters = strings(&f["passwordProtectionSettings"]["passwordPolicyCharacters"]);
        let has = |c: &str| characters.iter().any(|x| x == c);
        outputs.auth = Some(AuthOutputs {
            aws_region: region.clone(),
            user_pool_id: s(&o["UserPoolId"]).unwrap_or_default(),
            user_pool_client_id: s(&o["AppClientIDWeb"]).unwrap_or_default(),
            identity_pool_id: s(&o["IdentityPoolId"]),
            password_policy: f["passwordProtectionSettings"]["passwordPolicyMinLength"]
                .as_u64()
                .map(|min| PasswordPolicy {
                    min_length: min as u32,
                    require_numbers: has("REQUIRES_NUMBERS"),
                    require_lowercase: has("REQUIRES_LOWERCASE"),
                    require_uppercase: has("REQUIRES_UPPERCASE"),
                    require_symbols: has("REQUIRES_SYMBOLS"),
                }),
            username_attributes: strings(&f["usernameAttributes"])
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect(),
            standard_required_attributes: strings(&f["signupAttributes"])
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect(),
            user_verification_types: strings(&f["verificationMechanisms"])
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect(),
            unauthenticated_identities_enabled: auth["allowUnauthenticatedIdentities"].as_bool(),
            mfa_configuration: s(&f["mfaConfiguration"]).map(|m| match m.as_str() {
                "ON" => "REQUIRED".to_owned(),
                "OFF" => "NONE".to_owned(),
                other => other.to_owned(),
            }),
            mfa_methods: strings(&f["mfaTypes"]),
            groups: Vec::new(),
        });
    }
    if let Some((_, api)) = inputs.resources("AppSync").first() {
        let (default, all) = auth_modes(api);
        outputs.data = Some(DataOutputs {
            aws_region: region.clone(),
            url: s(&api["output"]["GraphQLAPIEndpointOutput"]).unwrap_or_default(),
            api_key: s(&api["output"]["GraphQLAPIKeyOutput"]),
            default_authorization_type: default,
            authorization_types: all,
        });
    }
    let buckets: Vec<Bucket> = inputs
        .resources("S3")
        .iter()
        .map(|(name, b)| Bucket {
            name: (*name).to_owned(),
            bucket_name: s(&b["output"]["BucketName"]).unwrap_or_default(),
            aws_region: s(&b["output"]["Region"]).unwrap_or_else(|| region.clone()),
        })
        .collect();
    if let Some(first) = buckets.first() {
        outputs.storage = Some(StorageOutputs {
            aws_region: first.aws_region.clone(),
            bucket_name: first.bucket_name.clone(),
            buckets: buckets.clone(),
        });
    }
    let mut resources = Map::new();
    for (category, entries) in inputs.meta {
        if category == "providers" {
            continue;
        }
        let mut by_name = Map::new();
        for (name, entry) in entries.as_object().into_iter().flatten() {
            if let Some(output) = entry["output"].as_object() {
                let flat: Map<String, Value> = output
                    .iter()
                    .filter(|(_, v)| v.is_string())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                by_name.insert(name.clone(), Value::Object(flat));
            }
        }
        if !by_name.is_empty() {
            resources.insert(category.clone(), Value::Object(by_name));
        }
    }
    outputs.custom.insert(
        "amplify_rs".into(),
        json!({ "project": inputs.project, "environment": inputs.env, "resources": resources }),
    );
    if !inputs.cdk.is_empty() {
        outputs
            .custom
            .insert("cdk".into(), Value::Object(inputs.cdk.clone()));
    }
    outputs
}

/// The `awsmobile` object of aws-exports.js / amplifyconfiguration.json, keeping the
/// user's own keys from `existing`.
pub fn aws_exports(inputs: &Inputs, existing: Option<&Map<String, Value>>) -> Map<String, Value> {
    let region = inputs.region();
    let mut m = Map::new();
    m.insert("aws_project_region".into(), json!(region));
    if let Some((_, auth)) = inputs.resources("Cognito").first() {
        let o = &auth["output"];
        let f = &auth["frontendAuthConfig"];
        if let Some(id) = s(&o["IdentityPoolId"]) {
            m.insert("aws_cognito_identity_pool_id".into(), json!(id));
        }
        m.insert("aws_cognito_region".into(), json!(region));
        m.insert("aws_user_pools_id".into(), json!(s(&o["UserPoolId"])));
        m.insert(
            "aws_user_pools_web_client_id".into(),
            json!(s(&o["AppClientIDWeb"])),
        );
        m.insert("oauth".into(), json!({}));
        for (key, field) in [
            ("aws_cognito_username_attributes", "usernameAttributes"),
            ("aws_cognito_social_providers", "socialProviders"),
            ("aws_cognito_signup_attributes", "signupAttributes"),
        ] {
            m.insert(key.into(), json!(strings(&f[field])));
        }
        m.insert(
            "aws_cognito_mfa_configuration".into(),
            json!(s(&f["mfaConfiguration"]).unwrap_or_else(|| "OFF".into())),
        );
        m.insert(
            "aws_cognito_mfa_types".into(),
            json!(strings(&f["mfaTypes"])),
        );
        m.insert(
            "aws_cognito_password_protection_settings".into(),
            f["passwordProtectionSettings"].clone(),
        );
        m.insert(
            "aws_cognito_verification_mechanisms".into(),
            json!(strings(&f["verificationMechanisms"])),
        );
    }
    if let Some((_, api)) = inputs.resources("AppSync").first() {
        let (default, _) = auth_modes(api);
        m.insert(
            "aws_appsync_graphqlEndpoint".into(),
            json!(s(&api["output"]["GraphQLAPIEndpointOutput"])),
        );
        m.insert("aws_appsync_region".into(), json!(region));
        m.insert("aws_appsync_authenticationType".into(), json!(default));
        if let Some(key) = s(&api["output"]["GraphQLAPIKeyOutput"]) {
            m.insert("aws_appsync_apiKey".into(), json!(key));
        }
    }
    if let Some((_, bucket)) = inputs.resources("S3").first() {
        m.insert(
            "aws_user_files_s3_bucket".into(),
            json!(s(&bucket["output"]["BucketName"])),
        );
        m.insert(
            "aws_user_files_s3_bucket_region".into(),
            json!(s(&bucket["output"]["Region"]).unwrap_or_else(|| region.clone())),
        );
    }
    // CDK outputs named like aws-exports keys (the seed's `aws_appsync_graphqlEndpoint`
    // pattern) fill in what Amplify does not manage.
    for stack in inputs.cdk.values() {
        for (k, v) in stack.as_object().into_iter().flatten() {
            if k.starts_with("aws_") && !m.contains_key(k) {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in existing.into_iter().flatten() {
        if !RESERVED_EXPORT_KEYS.contains(&k.as_str()) && !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

/// aws-exports.js text.
pub fn aws_exports_js(object: &Map<String, Value>) -> String {
    use serde::Serialize;
    let mut body = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut body, formatter);
    Value::Object(object.clone())
        .serialize(&mut ser)
        .expect("JSON");
    format!(
        "/* eslint-disable */\n// WARNING: DO NOT EDIT. This file is automatically generated by amplify-rs. It will be overwritten.\n\nconst awsmobile = {};\n\n\nexport default awsmobile;\n",
        String::from_utf8(body).expect("JSON is UTF-8")
    )
}

/// The `awsmobile` object of an existing aws-exports.js, if it can be read.
pub fn parse_aws_exports(text: &str) -> Option<Map<String, Value>> {
    let start = text.find("const awsmobile")?;
    let open = start + text[start..].find('{')?;
    let close = text.rfind("};")?;
    serde_json::from_str::<Value>(&text[open..=close])
        .ok()?
        .as_object()
        .cloned()
}

/// `awsconfiguration.json` (native clients; note `AppClientID`, not the web client).
pub fn awsconfiguration(inputs: &Inputs) -> Value {
    let region = inputs.region();
    let mut c = Map::new();
    c.insert("UserAgent".into(), json!("aws-amplify-cli/0.1.0"));
    c.insert("Version".into(), json!("0.1.0"));
    c.insert("IdentityManager".into(), json!({ "Default": {} }));
    if let Some((_, auth)) = inputs.resources("Cognito").first() {
        let o = &auth["output"];
        if let Some(id) = s(&o["IdentityPoolId"]) {
            c.insert(
                "CredentialsProvider".into(),
                json!({ "CognitoIdentity": { "Default": { "PoolId": id, "Region": region } } }),
            );
        }
        c.insert(
            "CognitoUserPool".into(),
            json!({ "Default": { "PoolId": s(&o["UserPoolId"]), "AppClientId": s(&o["AppClientID"]), "Region": region } }),
        );
        c.insert(
            "Auth".into(),
            json!({ "Default": { "authenticationFlowType": "USER_SRP_AUTH" } }),
        );
    }
    if let Some((name, api)) = inputs.resources("AppSync").first() {
        let (default, all) = auth_modes(api);
        let url = s(&api["output"]["GraphQLAPIEndpointOutput"]);
        let mut appsync = Map::new();
        let mut entry = json!({ "ApiUrl": url, "Region": region, "AuthMode": default, "ClientDatabasePrefix": format!("{name}_{default}") });
        if default == "API_KEY" {
            entry["ApiKey"] = json!(s(&api["output"]["GraphQLAPIKeyOutput"]));
        }
        appsync.insert("Default".into(), entry);
        for mode in all.iter().skip(1) {
            let mut extra = json!({ "ApiUrl": url, "Region": region, "AuthMode": mode, "ClientDatabasePrefix": format!("{name}_{mode}") });
            if mode == "API_KEY" {
                extra["ApiKey"] = json!(s(&api["output"]["GraphQLAPIKeyOutput"]));
            }
            appsync.insert(format!("{name}_{mode}"), extra);
        }
        c.insert("AppSync".into(), Value::Object(appsync));
    }
    if let Some((_, bucket)) = inputs.resources("S3").first() {
        c.insert(
            "S3TransferUtility".into(),
            json!({ "Default": { "Bucket": s(&bucket["output"]["BucketName"]), "Region": s(&bucket["output"]["Region"]).unwrap_or_else(|| region.clone()) } }),
        );
    }
    Value::Object(c)
}

/// `amplifyconfiguration.json` for native clients (plugins wrapping awsconfiguration).
pub fn native_amplifyconfiguration(inputs: &Inputs) -> Value {
    let region = inputs.region();
    let mut c = json!({ "UserAgent": "aws-amplify-cli/2.0", "Version": "1.0" });
    if !inputs.resources("Cognito").is_empty() {
        c["auth"] = json!({ "plugins": { "awsCognitoAuthPlugin": awsconfiguration(inputs) } });
    }
    if let Some((name, api)) = inputs.resources("AppSync").first() {
        let (default, _) = auth_modes(api);
        let mut entry = json!({ "endpointType": "GraphQL", "endpoint": s(&api["output"]["GraphQLAPIEndpointOutput"]), "region": region, "authorizationType": default });
        if let Some(key) = s(&api["output"]["GraphQLAPIKeyOutput"]) {
            entry["apiKey"] = json!(key);
        }
        c["api"] = json!({ "plugins": { "awsAPIPlugin": { *name: entry } } });
    }
    if let Some((_, bucket)) = inputs.resources("S3").first() {
        c["storage"] = json!({ "plugins": { "awsS3StoragePlugin": {
            "bucket": s(&bucket["output"]["BucketName"]),
            "region": s(&bucket["output"]["Region"]).unwrap_or_else(|| region.clone()),
            "defaultAccessLevel": "guest" } } });
    }
    c
}

/// Which files a frontend gets, relative to the crate root.
pub fn frontend_files(project_config: &Value) -> Vec<(Format, PathBuf)> {
    let frontend = project_config["frontend"].as_str().unwrap_or("rust");
    let config = &project_config[frontend]["config"];
    let outputs = PathBuf::from(
        config["OutputsFile"]
            .as_str()
            .unwrap_or(amplify_build_outputs_file()),
    );
    let mut files = vec![(Format::AmplifyOutputs, outputs)];
    match frontend {
        "javascript" => {
            let dir = PathBuf::from(config["SourceDir"].as_str().unwrap_or("src"));
            files.push((Format::AwsExports, dir.join("aws-exports.js")));
            files.push((
                Format::JsAmplifyConfiguration,
                dir.join("amplifyconfiguration.json"),
            ));
        }
        "android" => {
            let dir =
                PathBuf::from(config["ResDir"].as_str().unwrap_or("app/src/main/res")).join("raw");
            files.push((Format::AwsConfiguration, dir.join("awsconfiguration.json")));
            files.push((
                Format::NativeAmplifyConfiguration,
                dir.join("amplifyconfiguration.json"),
            ));
        }
        "ios" | "flutter" => {
            files.push((
                Format::AwsConfiguration,
                PathBuf::from("awsconfiguration.json"),
            ));
            files.push((
                Format::NativeAmplifyConfiguration,
                PathBuf::from("amplifyconfiguration.json"),
            ));
        }
        _ => {}
    }
    files
}

fn amplify_build_outputs_file() -> &'static str {
    "amplify_outputs.json"
}

/// A client configuration format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `amplify_outputs.json`
    AmplifyOutputs,
    /// `aws-exports.js`
    AwsExports,
    /// JavaScript `amplifyconfiguration.json`
    JsAmplifyConfiguration,
    /// `awsconfiguration.json`
    AwsConfiguration,
    /// Native `amplifyconfiguration.json`
    NativeAmplifyConfiguration,
}

/// Writes one format to `path` (atomically).
pub fn write_format(inputs: &Inputs, format: Format, path: &Path) -> Result<()> {
    match format {
        Format::AmplifyOutputs => write_json(
            path,
            &serde_json::to_value(amplify_outputs(inputs)).expect("JSON"),
        ),
        Format::AwsExports => {
            let existing = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| parse_aws_exports(&t));
            write_atomic(
                path,
                aws_exports_js(&aws_exports(inputs, existing.as_ref())).as_bytes(),
            )
        }
        Format::JsAmplifyConfiguration => {
            let existing = read_json(path)?.and_then(|v| v.as_object().cloned());
            write_json(path, &Value::Object(aws_exports(inputs, existing.as_ref())))
        }
        Format::AwsConfiguration => write_json(path, &awsconfiguration(inputs)),
        Format::NativeAmplifyConfiguration => {
            write_json(path, &native_amplifyconfiguration(inputs))
        }
    }
}

/// Regenerates every client file of the project's frontend from `amplify-meta.json`.
pub fn write_frontend(project: &Project, env: &str) -> Result<Vec<PathBuf>> {
    let meta = project.meta()?;
    let config_path = project.root.join("amplify/.config/project-config.json");
    let project_config = read_json(&config_path)?.unwrap_or(Value::Null);
    let cdk = cdk_outputs(project)?;
    let name = project.project_name()?;
    let inputs = Inputs {
        meta: &meta,
        project: &name,
        env,
        cdk: &cdk,
    };
    let mut written = Vec::new();
    for (format, rel) in frontend_files(&project_config) {
        let path = project.root.join(&rel);
        write_format(&inputs, format, &path)?;
        written.push(rel);
    }
    Ok(written)
}

/// `amplify/backend/cdk-outputs.json`: CDK stack outputs merged into the client config.
pub fn cdk_outputs_path(project: &Project) -> PathBuf {
    project.backend_dir().join("cdk-outputs.json")
}

/// The merged CDK outputs (empty when none were imported).
pub fn cdk_outputs(project: &Project) -> Result<Map<String, Value>> {
    Ok(read_json(&cdk_outputs_path(project))?
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default())
}

/// Checks a `cdk deploy --outputs-file` document: `{"<Stack>": {"<Key>": "<value>"}}`.
pub fn validate_cdk_outputs(file: &Path, value: &Value) -> Result<Map<String, Value>> {
    let bad = |why: String| {
        CliError::input(format!("`{}` is not a CDK outputs file: {why}", file.display()))
            .help("pass the file written by `cdk deploy --outputs-file <file>`: {\"StackName\": {\"OutputKey\": \"value\"}}")
    };
    let stacks = value
        .as_object()
        .ok_or_else(|| bad("the top level must be an object of stacks".into()))?;
    for (stack, outputs) in stacks {
        let outputs = outputs
            .as_object()
            .ok_or_else(|| bad(format!("stack `{stack}` must map output keys to values")))?;
        for (k, v) in outputs {
            if !v.is_string() {
                return Err(bad(format!("output `{stack}.{k}` must be a string")));
            }
        }
    }
    Ok(stacks.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Map<String, Value> {
        json!({
            "providers": {"awscloudformation": {"Region": "eu-west-1"}},
            "auth": {"BlogAuth": {"service": "Cognito", "allowUnauthenticatedIdentities": true,
                "frontendAuthConfig": {"usernameAttributes": ["EMAIL"], "signupAttributes": ["EMAIL"], "socialProviders": [],
                    "passwordProtectionSettings": {"passwordPolicyMinLength": 10, "passwordPolicyCharacters": ["REQUIRES_NUMBERS"]},
                    "mfaConfiguration": "OPTIONAL", "mfaTypes": ["TOTP"], "verificationMechanisms": ["EMAIL"]},
                "output": {"UserPoolId": "eu-west-1_abc", "AppClientIDWeb": "web1", "AppClientID": "native1", "IdentityPoolId": "eu-west-1:pool"}}},
            "api": {"BlogApi": {"service": "AppSync",
                "output": {"GraphQLAPIEndpointOutput": "https://x/graphql", "GraphQLAPIKeyOutput": "da2-key",
                    "authConfig": {"defaultAuthentication": {"authenticationType": "API_KEY"},
                        "additionalAuthenticationProviders": [{"authenticationType": "AMAZON_COGNITO_USER_POOLS"}]}}}},
            "storage": {"Photos": {"service": "S3", "output": {"BucketName": "photos-1", "Region": "eu-west-1"}}}
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn outputs_follow_the_gen2_schema() {
        let meta = meta();
        let cdk = Map::new();
        let o = amplify_outputs(&Inputs {
            meta: &meta,
            project: "blog",
            env: "dev",
            cdk: &cdk,
        });
        let auth = o.auth.clone().unwrap();
        assert_eq!(auth.user_pool_client_id, "web1");
        assert_eq!(auth.mfa_configuration.as_deref(), Some("OPTIONAL"));
        assert_eq!(auth.username_attributes, ["email"]);
        assert!(auth.password_policy.unwrap().require_numbers);
        let data = o.data.clone().unwrap();
        assert_eq!(
            data.authorization_types,
            ["API_KEY", "AMAZON_COGNITO_USER_POOLS"]
        );
        assert_eq!(o.storage.clone().unwrap().buckets[0].name, "Photos");
        assert_eq!(
            o.output("storage", "Photos", "BucketName", "f").unwrap(),
            "photos-1"
        );
    }

    #[test]
    fn native_config_uses_the_native_client_and_user_keys_survive() {
        let meta = meta();
        let cdk = Map::new();
        let inputs = Inputs {
            meta: &meta,
            project: "blog",
            env: "dev",
            cdk: &cdk,
        };
        let c = awsconfiguration(&inputs);
        assert_eq!(c["CognitoUserPool"]["Default"]["AppClientId"], "native1");
        assert_eq!(
            c["AppSync"]["Default"]["ClientDatabasePrefix"],
            "BlogApi_API_KEY"
        );
        assert_eq!(
            c["AppSync"]["BlogApi_AMAZON_COGNITO_USER_POOLS"]["AuthMode"],
            "AMAZON_COGNITO_USER_POOLS"
        );
        let old = parse_aws_exports(&aws_exports_js(
            &json!({"aws_project_region": "x", "my_feature_flag": true})
                .as_object()
                .unwrap()
                .clone(),
        ))
        .unwrap();
        let exports = aws_exports(&inputs, Some(&old));
        assert_eq!(exports["my_feature_flag"], true);
        assert_eq!(exports["aws_project_region"], "eu-west-1");
        assert_eq!(exports["aws_user_pools_web_client_id"], "web1");
    }

    #[test]
    fn cdk_outputs_files_are_checked() {
        let ok = json!({"CdkBackendStack": {"aws_appsync_graphqlEndpoint": "https://y/graphql"}});
        assert_eq!(
            validate_cdk_outputs(Path::new("o.json"), &ok)
                .unwrap()
                .len(),
            1
        );
        let bad = json!({"CdkBackendStack": {"count": 3}});
        let e = validate_cdk_outputs(Path::new("o.json"), &bad).unwrap_err();
        assert!(e.message.contains("`o.json` is not a CDK outputs file: output `CdkBackendStack.count` must be a string"), "{}", e.message);
    }
}
