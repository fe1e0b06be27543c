//! Frontends and their client configuration files: which files a frontend gets (from
//! `amplify/.config/project-config.json`) and how each format is written — Gen 2's
//! `amplify_outputs.json` (read by the typed Rust config and current Amplify libraries),
//! `aws-exports.js` and `amplifyconfiguration.json` for JavaScript,
//! `awsconfiguration.json` and `amplifyconfiguration.json` for Android, iOS and Flutter.

use std::path::{Path, PathBuf};

use amplify_build::files::ProjectConfig;
use amplify_build::plan::{ClientFile, Plan};
use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::client_config::Inputs;
use super::error::{CliError, Result};
use super::project::{read_json, write_atomic, write_json, Project};

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

/// The frontends a project can name in `project-config.json`.
pub const FRONTENDS: &[&str] = &["javascript", "android", "ios", "flutter", "rust"];

/// Which files a frontend gets, relative to the crate root.
pub fn frontend_files(config: &ProjectConfig) -> Vec<(Format, PathBuf)> {
    let setting =
        |key: &str, default: &str| PathBuf::from(config.frontend_setting(key).unwrap_or(default));
    let mut files = vec![(
        Format::AmplifyOutputs,
        setting("OutputsFile", amplify_build::OUTPUTS_FILE),
    )];
    match config.frontend.as_str() {
        "javascript" => {
            let dir = setting("SourceDir", "src");
            files.push((Format::AwsExports, dir.join("aws-exports.js")));
            files.push((
                Format::JsAmplifyConfiguration,
                dir.join("amplifyconfiguration.json"),
            ));
        }
        "android" => {
            let dir = setting("ResDir", "app/src/main/res").join("raw");
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
        // The rust frontend (and any other): amplify_outputs.json, plus the formats the
        // project asks for in `"rust": {"config": {"ExtraFormats": [...]}}`, written under
        // `SourceDir` (JavaScript) or `ResDir` (native), both the crate root by default.
        _ => {
            for format in extra_formats(config) {
                let dir = match format {
                    Format::AwsExports | Format::JsAmplifyConfiguration => {
                        setting("SourceDir", ".")
                    }
                    _ => setting("ResDir", "."),
                };
                let path = dir.join(format.file_name());
                if !files.iter().any(|(_, p)| *p == path) {
                    files.push((format, path));
                }
            }
        }
    }
    files
}

/// The formats named in the frontend's `ExtraFormats` setting (unknown names are
/// refused when the file is read, see [`check_extra_formats`]).
fn extra_formats(config: &ProjectConfig) -> Vec<Format> {
    use clap::ValueEnum as _;
    config
        .frontends
        .get(&config.frontend)
        .and_then(|f| f.get("config")?.get("ExtraFormats")?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|v| Format::from_str(v.as_str()?, false).ok())
        .collect()
}

/// Refuses `ExtraFormats` entries that name no format, with the list of names.
pub fn check_extra_formats(config: &ProjectConfig) -> Result<()> {
    use clap::ValueEnum as _;
    let names = config
        .frontends
        .get(&config.frontend)
        .and_then(|f| f.get("config")?.get("ExtraFormats")?.as_array().cloned())
        .unwrap_or_default();
    for name in &names {
        let known = name
            .as_str()
            .is_some_and(|n| Format::from_str(n, false).is_ok());
        if !known {
            let all: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| Some(f.to_possible_value()?.get_name().to_owned()))
                .collect();
            return Err(CliError::input(format!(
                "`amplify/.config/project-config.json`: ExtraFormats names {name}, which is not a client configuration format"
            ))
            .help(format!("use one of: {}", all.join(", "))));
        }
    }
    Ok(())
}

/// A client configuration format (`generate outputs --format <name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `amplify_outputs.json` (Gen 2; the typed Rust config reads it)
    #[value(name = "amplify-outputs")]
    AmplifyOutputs,
    /// `aws-exports.js` (JavaScript)
    #[value(name = "aws-exports")]
    AwsExports,
    /// JavaScript `amplifyconfiguration.json`
    #[value(name = "amplifyconfiguration")]
    JsAmplifyConfiguration,
    /// `awsconfiguration.json` (Android, iOS, Flutter)
    #[value(name = "awsconfiguration")]
    AwsConfiguration,
    /// Native `amplifyconfiguration.json` (Android, iOS, Flutter)
    #[value(name = "native-amplifyconfiguration")]
    NativeAmplifyConfiguration,
}

impl Format {
    /// The file the format is written to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::AmplifyOutputs => amplify_build::OUTPUTS_FILE,
            Format::AwsExports => "aws-exports.js",
            Format::JsAmplifyConfiguration | Format::NativeAmplifyConfiguration => {
                "amplifyconfiguration.json"
            }
            Format::AwsConfiguration => "awsconfiguration.json",
        }
    }
}

/// Writes one format to `path` (atomically). JavaScript files keep the keys a user added.
pub fn write_format(inputs: &Inputs, format: Format, path: &Path) -> Result<()> {
    match format {
        Format::AmplifyOutputs => {
            let doc = inputs.render(ClientFile::AmplifyOutputs);
            // The typed config must read what was written.
            let text = serde_json::to_string(&doc).expect("JSON");
            crate::config::Outputs::from_json(&text, &path.display().to_string()).map_err(|e| {
                CliError::new(
                    super::error::Kind::Other,
                    format!("the generated outputs do not follow the schema: {e}"),
                )
            })?;
            write_json(path, &doc)
        }
        Format::AwsExports => {
            let existing = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| parse_aws_exports(&t));
            let object = with_user_keys(inputs, existing.as_ref());
            write_atomic(path, aws_exports_js(&object).as_bytes())
        }
        Format::JsAmplifyConfiguration => {
            let existing: Option<Map<String, Value>> = read_json(path)?;
            write_json(path, &with_user_keys(inputs, existing.as_ref()))
        }
        Format::AwsConfiguration => write_json(path, &inputs.render(ClientFile::AwsConfiguration)),
        Format::NativeAmplifyConfiguration => {
            write_json(path, &inputs.render(ClientFile::NativeAmplifyConfiguration))
        }
    }
}

/// The `awsmobile` object, keeping the user's own keys from `existing`.
pub fn with_user_keys(
    inputs: &Inputs,
    existing: Option<&Map<String, Value>>,
) -> Map<String, Value> {
    let Value::Object(mut m) = inputs.render(ClientFile::AwsExports) else {
        return Map::new();
    };
    for (k, v) in existing.into_iter().flatten() {
        if !RESERVED_EXPORT_KEYS.contains(&k.as_str()) && !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

/// Regenerates every client file of the project's frontend from `amplify-meta.json`.
pub fn write_frontend(project: &Project, env: &str, plan: &Plan) -> Result<Vec<PathBuf>> {
    let meta = project.meta()?;
    let config = project.project_config()?;
    let cdk = cdk_outputs(project)?;
    let inputs = Inputs {
        meta: &meta,
        plan,
        project: &config.project_name,
        env,
        cdk: &cdk,
    };
    check_extra_formats(&config)?;
    let mut written = Vec::new();
    for (format, rel) in frontend_files(&config) {
        write_format(&inputs, format, &project.root.join(&rel))?;
        written.push(rel);
    }
    Ok(written)
}

/// After `delete` of the environment the client files describe: `amplify_outputs.json`
/// is rewritten with no resources, so that the typed config (and a rebuilt app) says
/// "not deployed" instead of handing out ids that no longer exist; the other formats,
/// which hold nothing but those ids, are removed. Returns the files touched.
pub fn clear_frontend(project: &Project, env: &str) -> Result<Vec<PathBuf>> {
    let config = project.project_config()?;
    let mut touched = Vec::new();
    for (format, rel) in frontend_files(&config) {
        let path = project.root.join(&rel);
        if !path.exists() {
            continue;
        }
        if format == Format::AmplifyOutputs {
            let doc = serde_json::json!({
                "version": "1.4",
                "custom": { "amplify_rs": {
                    "project": config.project_name,
                    "environment": env,
                    "resources": {},
                }},
            });
            write_json(&path, &doc)?;
        } else {
            std::fs::remove_file(&path).map_err(|e| CliError::io("remove", &path, e))?;
        }
        touched.push(rel);
    }
    Ok(touched)
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

/// `amplify/backend/cdk-outputs.json`: CDK stack outputs merged into the client config.
pub fn cdk_outputs_path(project: &Project) -> PathBuf {
    project.backend_dir().join("cdk-outputs.json")
}

/// CDK stack outputs: stack → output key → value.
pub type CdkOutputs = IndexMap<String, IndexMap<String, String>>;

/// The merged CDK outputs (empty when none were imported).
pub fn cdk_outputs(project: &Project) -> Result<CdkOutputs> {
    Ok(read_json(&cdk_outputs_path(project))?.unwrap_or_default())
}

/// Checks a `cdk deploy --outputs-file` document: `{"<Stack>": {"<Key>": "<value>"}}`.
pub fn validate_cdk_outputs(file: &Path, value: &Value) -> Result<CdkOutputs> {
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
    Ok(stacks
        .iter()
        .map(|(stack, outputs)| {
            let values = outputs
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect();
            (stack.clone(), values)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn user_keys_of_aws_exports_survive_a_rewrite() {
        let text = aws_exports_js(
            &json!({"aws_project_region": "x", "my_feature_flag": true})
                .as_object()
                .unwrap()
                .clone(),
        );
        let old = parse_aws_exports(&text).unwrap();
        assert_eq!(old["my_feature_flag"], true);
        assert_eq!(old["aws_project_region"], "x");
    }

    #[test]
    fn the_rust_frontend_writes_the_extra_formats_it_asks_for() {
        let config: ProjectConfig = serde_json::from_value(serde_json::json!({
            "projectName": "app",
            "frontend": "rust",
            "rust": {"config": {
                "OutputsFile": "amplify_outputs.json",
                "SourceDir": "web/src",
                "ExtraFormats": ["aws-exports", "awsconfiguration"]
            }}
        }))
        .unwrap();
        check_extra_formats(&config).unwrap();
        let files = frontend_files(&config);
        assert_eq!(
            files,
            vec![
                (Format::AmplifyOutputs, PathBuf::from("amplify_outputs.json")),
                (Format::AwsExports, PathBuf::from("web/src/aws-exports.js")),
                (Format::AwsConfiguration, PathBuf::from("./awsconfiguration.json")),
            ]
        );
        let mut bad = config.clone();
        bad.frontends["rust"]["config"]["ExtraFormats"] = serde_json::json!(["aws-export"]);
        let err = check_extra_formats(&bad).unwrap_err();
        assert!(err.message.contains("\"aws-export\""), "{}", err.message);
        assert!(err.help.unwrap().contains("aws-exports"));
    }
}
