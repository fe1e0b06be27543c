//! The client configuration formats and how each is written from the outputs: Gen 2's
//! `amplify_outputs.json` (read by the typed Rust config and current Amplify libraries),
//! `aws-exports.js` and `amplifyconfiguration.json` for JavaScript,
//! `awsconfiguration.json` and the native `amplifyconfiguration.json` for Android, iOS and
//! Flutter.

use std::path::Path;

use amplify_build::plan::ClientFile;
use serde_json::{Map, Value};

use crate::cli::error::{CliError, Result};
use crate::cli::frontend::client_config::Inputs;
use crate::cli::state::project::{read_json, write_atomic, write_json};

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
                    crate::cli::error::Kind::Other,
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
