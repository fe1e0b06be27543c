//! Frontend plugins: which client configuration files a project's frontend gets after a
//! push (`frontend` in `amplify/.config/project-config.json`), written in the formats of
//! [`format`]. Each frontend is one [`Frontend`]; [`FRONTENDS`] lists them.

pub(crate) mod client_config;
mod format;
mod kinds;

use std::path::{Path, PathBuf};

use amplify_build::files::ProjectConfig;
use amplify_build::plan::Plan;
use indexmap::IndexMap;
use serde_json::Value;

use crate::cli::error::{CliError, Result};
use crate::cli::frontend::client_config::Inputs;
use crate::cli::state::project::{read_json, write_json, Project};
use crate::cli::state::AmplifyMeta;

pub use format::{write_format, Format};

/// A frontend plugin.
pub trait Frontend: Sync {
    /// Its name in `project-config.json` (`javascript`).
    fn name(&self) -> &'static str;
    /// The files a push writes besides `amplify_outputs.json` (which every frontend
    /// gets), relative to the crate root; `setting` reads the frontend's `config` block.
    fn files(
        &self,
        setting: &dyn Fn(&str) -> Option<String>,
        config: &ProjectConfig,
    ) -> Vec<(Format, PathBuf)>;
}

/// Every frontend, by name.
pub const FRONTENDS: &[&dyn Frontend] = &[
    &kinds::JavaScript,
    &kinds::Android,
    &kinds::Ios,
    &kinds::Flutter,
    &kinds::Rust,
];

/// The frontend `project-config.json` names.
pub fn frontend(config: &ProjectConfig) -> Result<&'static dyn Frontend> {
    FRONTENDS
        .iter()
        .copied()
        .find(|f| f.name() == config.frontend)
        .ok_or_else(|| {
            let names: Vec<&str> = FRONTENDS.iter().map(|f| f.name()).collect();
            CliError::input(format!(
                "`amplify/.config/project-config.json` names frontend `{}`, which amplify-rs does not know",
                config.frontend
            ))
            .help(format!("use one of: {}", names.join(", ")))
        })
}

/// Which files the project's frontend gets, relative to the crate root.
pub fn frontend_files(config: &ProjectConfig) -> Result<Vec<(Format, PathBuf)>> {
    let frontend = frontend(config)?;
    let setting = |key: &str| config.frontend_setting(key).map(ToOwned::to_owned);
    let outputs = setting("OutputsFile").unwrap_or_else(|| amplify_build::OUTPUTS_FILE.to_owned());
    let mut files = vec![(Format::AmplifyOutputs, PathBuf::from(outputs))];
    for (format, path) in frontend.files(&setting, config) {
        if !files.iter().any(|(_, p)| *p == path) {
            files.push((format, path));
        }
    }
    Ok(files)
}

/// The formats named in the frontend's `ExtraFormats` setting; a name that is no format
/// is an error listing the valid ones.
pub(crate) fn extra_formats(config: &ProjectConfig) -> Result<Vec<Format>> {
    use clap::ValueEnum as _;
    let names = config
        .frontends
        .get(&config.frontend)
        .and_then(|f| f.get("config")?.get("ExtraFormats")?.as_array().cloned())
        .unwrap_or_default();
    names
        .iter()
        .map(|name| {
            name.as_str()
                .and_then(|n| Format::from_str(n, false).ok())
                .ok_or_else(|| {
                    let all: Vec<String> = Format::value_variants()
                        .iter()
                        .filter_map(|f| Some(f.to_possible_value()?.get_name().to_owned()))
                        .collect();
                    CliError::input(format!(
                        "`amplify/.config/project-config.json`: ExtraFormats names {name}, which is not a client configuration format"
                    ))
                    .help(format!("use one of: {}", all.join(", ")))
                })
        })
        .collect()
}

/// Refuses `ExtraFormats` entries that name no format, with the list of names.
pub fn check_extra_formats(config: &ProjectConfig) -> Result<()> {
    extra_formats(config).map(|_| ())
}

/// Regenerates every client file of the project's frontend from `amplify-meta.json`.
/// `local_cloud` is the endpoint the environment lives on when it is not AWS.
pub fn write_frontend(
    project: &Project,
    env: &str,
    plan: &Plan,
    meta: &AmplifyMeta,
    local_cloud: Option<&str>,
) -> Result<Vec<PathBuf>> {
    let config = project.project_config()?;
    let cdk = cdk_outputs(project)?;
    let inputs = Inputs {
        meta,
        plan,
        project: &config.project_name,
        env,
        cdk: &cdk,
        local_cloud,
    };
    check_extra_formats(&config)?;
    let mut written = Vec::new();
    for (format, rel) in frontend_files(&config)? {
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
    for (format, rel) in frontend_files(&config)? {
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
    use super::format::{aws_exports_js, parse_aws_exports};
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
        let files = frontend_files(&config).unwrap();
        assert_eq!(
            files,
            vec![
                (
                    Format::AmplifyOutputs,
                    PathBuf::from("amplify_outputs.json")
                ),
                (Format::AwsExports, PathBuf::from("web/src/aws-exports.js")),
                (
                    Format::AwsConfiguration,
                    PathBuf::from("./awsconfiguration.json")
                ),
            ]
        );
        let mut bad = config.clone();
        bad.frontends["rust"]["config"]["ExtraFormats"] = serde_json::json!(["aws-export"]);
        let err = check_extra_formats(&bad).unwrap_err();
        assert!(err.message.contains("\"aws-export\""), "{}", err.message);
        assert!(err.help.unwrap().contains("aws-exports"));
    }
}
