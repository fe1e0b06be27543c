//! `cargo amplify export --out <dir>`: the backend as the CDK construct
//! `@aws-amplify/cdk-exported-backend` (`AmplifyExportedBackend`) reads it — a manifest
//! of `CfnInclude` props, the category mapping, tags, the root template without
//! TemplateURLs, every nested template, function zips and AppSync files. Re-runnable:
//! the folder is written beside the old one and swapped in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::assets::{self, Packages};
use super::error::{CliError, Result};
use super::plan;
use super::project::{provider_value, write_atomic, write_json, Project};

/// Marks a folder as written by `cargo amplify export`, so re-running may replace it.
const MARKER: &str = ".amplify-rs-export";

/// Nested parameters the construct supplies itself (assets and the environment): left out
/// of the root template, which would otherwise pass parameters the included template no
/// longer declares.
const CONSTRUCT_PARAMETERS: &[&str] = &[
    "env",
    "deploymentBucketName",
    "s3Key",
    "S3DeploymentBucket",
    "S3DeploymentRootKey",
];

/// One resource as exported.
#[derive(Debug, Clone)]
pub struct ExportedResource {
    /// Category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// Service, for `category-stack-mapping.json`.
    pub service: String,
    /// Template path relative to the export folder.
    pub template_file: String,
}

/// The CfnInclude manifest, the mapping and the trimmed root template.
#[derive(Debug, Clone)]
pub struct ExportDocuments {
    /// `amplify-export-manifest.json`.
    pub manifest: Value,
    /// `category-stack-mapping.json`.
    pub mapping: Value,
    /// `root-stack-template.json`.
    pub root: Value,
    /// One line per resource left out, saying why.
    pub warnings: Vec<String>,
}

/// Names of the environment the export is for.
pub struct ExportNames<'a> {
    /// Root stack name, `amplify-<project>-<env>-<suffix>`.
    pub stack_name: &'a str,
    /// Root parameter values.
    pub auth_role: &'a str,
    /// Root parameter values.
    pub unauth_role: &'a str,
    /// Root parameter values.
    pub bucket: &'a str,
    /// Environment name.
    pub env: &'a str,
}

/// Builds the export documents from the synthesised root template. `exportable` is asked
/// per resource (category plugins answer it); what it refuses is left out with a warning.
pub fn documents(
    root_template: &Value,
    resources: &[ExportedResource],
    names: &ExportNames,
    exportable: &dyn Fn(&ExportedResource) -> Option<String>,
) -> ExportDocuments {
    let mut root = root_template.clone();
    let mut nested = BTreeMap::new();
    let mut mapping = Vec::new();
    let mut warnings = Vec::new();
    for r in resources {
        let logical = format!("{}{}", r.category, r.name);
        if let Some(reason) = exportable(r) {
            warnings.push(format!(
                "The {} resource '{}' cannot be exported: {reason}; the rest is exported",
                r.category, r.name
            ));
            if let Some(res) = root["Resources"].as_object_mut() {
                res.remove(&logical);
            }
            continue;
        }
        mapping
            .push(json!({ "category": r.category, "resourceName": r.name, "service": r.service }));
        let mut literal = Map::new();
        if let Some(props) = root["Resources"][&logical]["Properties"].as_object_mut() {
            props.remove("TemplateURL");
            if let Some(Value::Object(params)) = props.get_mut("Parameters") {
                // Literal values move to the manifest; expressions stay in the root.
                let keys: Vec<String> = params.keys().cloned().collect();
                for k in keys {
                    let is_literal = !params[&k].is_object();
                    if is_literal || CONSTRUCT_PARAMETERS.contains(&k.as_str()) {
                        let v = params.remove(&k).expect("key listed above");
                        if is_literal && k != "env" {
                            literal.insert(k, v);
                        }
                    }
                }
                if params.is_empty() {
                    props.remove("Parameters");
                }
            }
        }
        literal.insert("env".into(), json!(names.env));
        nested.insert(
            logical,
            json!({
                "templateFile": r.template_file,
                "parameters": literal,
                "preserveLogicalIds": true,
                "loadNestedStacks": {},
            }),
        );
    }
    drop_unused_root_parameters(&mut root);
    let manifest = json!({
        "stackName": names.stack_name,
        "props": {
            "templateFile": "root-stack-template.json",
            "parameters": {
                "AuthRoleName": names.auth_role,
                "UnauthRoleName": names.unauth_role,
                "DeploymentBucketName": names.bucket,
            },
            "preserveLogicalIds": true,
            "loadNestedStacks": nested,
        }
    });
    ExportDocuments {
        manifest,
        mapping: Value::Array(mapping),
        root,
        warnings,
    }
}

/// Root parameters nothing refers to any more (per-env inputs the construct now sets).
fn drop_unused_root_parameters(root: &mut Value) {
    let text = serde_json::to_string(&root["Resources"]).unwrap_or_default()
        + &serde_json::to_string(&root["Outputs"]).unwrap_or_default()
        + &serde_json::to_string(&root["Conditions"]).unwrap_or_default();
    if let Some(params) = root["Parameters"].as_object_mut() {
        params.retain(|name, _| {
            matches!(
                name.as_str(),
                "DeploymentBucketName" | "AuthRoleName" | "UnauthRoleName"
            ) || text.contains(&format!("{{\"Ref\":\"{name}\"}}"))
                || text.contains(&format!("${{{name}}}"))
        });
    }
}

/// Runs `export`.
pub fn export(project: &Project, env: Option<&str>, out: &Path, force: bool) -> Result<PathBuf> {
    let env = project.resolve_env(env)?;
    let provider = project.env_provider(&env)?;
    let get = |k: &str| provider_value(&provider, k);
    let (stack_name, bucket, auth_role, unauth_role) = (
        get("StackName")?,
        get("DeploymentBucketName")?,
        get("AuthRoleName")?,
        get("UnauthRoleName")?,
    );
    let name = project.project_name()?;
    let segments: Vec<&str> = stack_name.split('-').collect();
    if segments.len() != 4 || segments[0] != "amplify" || segments[2] != env {
        return Err(CliError::input(format!("stack name `{stack_name}` is not `amplify-<project>-<env>-<suffix>`"))
            .help("the CDK construct swaps the environment into the third dash-separated part; re-create the env with `cargo amplify init`"));
    }

    let desired = plan::desired(project)?;
    let root_template: Value = desired.root_json.clone();
    let mut resources = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut packages: Option<Packages> = None;
    for r in &desired.resources {
        let file_name = r
            .template_path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let template_file = format!("{}/{}/{file_name}", r.category, r.name);
        let bytes = std::fs::read(&r.template_path)
            .map_err(|e| CliError::io("read", &r.template_path, e))?;
        files.push((template_file.clone(), bytes));
        let service = desired
            .backend_config
            .get(&r.category)
            .and_then(|c| c.get(&r.name))
            .and_then(|e| e["service"].as_str())
            .unwrap_or_default()
            .to_owned();
        resources.push(ExportedResource {
            category: r.category.clone(),
            name: r.name.clone(),
            service,
            template_file,
        });
    }
    let exportable = |r: &ExportedResource| -> Option<String> {
        let decl = desired
            .backend
            .resources
            .iter()
            .find(|d| d.spec.category() == r.category && d.name == r.name)?;
        (!amplify_build::synth::plugin_for(&decl.spec).exportable())
            .then(|| "it is configured with SDK calls, not CloudFormation".to_owned())
    };
    let names = ExportNames {
        stack_name: &stack_name,
        auth_role: &auth_role,
        unauth_role: &unauth_role,
        bucket: &bucket,
        env: &env,
    };
    let docs = documents(&root_template, &resources, &names, &exportable);
    for w in &docs.warnings {
        eprintln!("warning: {w}");
    }
    let skipped: Vec<String> = docs
        .warnings
        .iter()
        .filter_map(|w| w.split('\'').nth(1).map(ToOwned::to_owned))
        .collect();

    // Assets of what is exported: one reproducible zip per function, AppSync files per API.
    for r in desired
        .resources
        .iter()
        .filter(|r| !skipped.contains(&r.name))
    {
        if let Some(function) = &r.function {
            eprintln!("Building function {} …", r.name);
            let zip = assets::build_zip(&project.root, &r.name, function, &mut packages)?;
            let key = assets::zip_key(&r.name, &zip);
            let file = key.trim_start_matches("amplify-builds/");
            files.push((format!("function/{}/amplify-builds/{file}", r.name), zip));
        }
        if let Some((_, appsync)) = &r.appsync {
            for (rel, path) in appsync {
                let bytes = std::fs::read(path).map_err(|e| CliError::io("read", path, e))?;
                files.push((format!("api/{}/amplify-appsync-files/{rel}", r.name), bytes));
            }
        }
    }
    files.retain(|(path, _)| {
        !skipped
            .iter()
            .any(|s| path.split('/').nth(1) == Some(s.as_str()))
    });

    let tags: Vec<Value> = super::deploy::hydrate_tags(&desired.tags, &name, "{project-env}")?
        .into_iter()
        .map(|(k, v)| json!({ "key": k, "value": v }))
        .collect();

    let folder = out.join(format!("amplify-export-{name}"));
    if folder.exists() && !folder.join(MARKER).exists() && !force {
        return Err(CliError::input(format!(
            "`{}` exists and was not written by `cargo amplify export`",
            folder.display()
        ))
        .help("choose another `--out`, or pass `--force` to replace it"));
    }
    let staging = out.join(format!(".amplify-export-{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let write_all = || -> Result<()> {
        write_json(
            &staging.join("amplify-export-manifest.json"),
            &docs.manifest,
        )?;
        write_json(&staging.join("category-stack-mapping.json"), &docs.mapping)?;
        write_json(
            &staging.join("export-tags.json"),
            &Value::Array(tags.clone()),
        )?;
        write_json(&staging.join("root-stack-template.json"), &docs.root)?;
        for (rel, bytes) in &files {
            write_atomic(&staging.join(rel), bytes)?;
        }
        write_atomic(&staging.join(MARKER), b"written by cargo amplify export\n")
    };
    if let Err(e) = write_all() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    super::project::swap_dir(&staging, &folder)?;
    eprintln!("Exported `{env}` to {}", folder.display());
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Value {
        json!({
            "Parameters": {"DeploymentBucketName": {}, "AuthRoleName": {}, "UnauthRoleName": {}, "env": {}, "functionFns3Key": {}},
            "Resources": {
                "authUsers": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x", "Parameters": {"env": {"Ref": "env"}}}},
                "functionFn": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x", "Parameters": {
                    "env": {"Ref": "env"}, "deploymentBucketName": {"Ref": "DeploymentBucketName"}, "s3Key": {"Ref": "functionFns3Key"},
                    "authUsersUserPoolId": {"Fn::GetAtt": ["authUsers", "Outputs.UserPoolId"]}}}},
                "notificationsPush": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"}}
            }
        })
    }

    fn resource(category: &str, name: &str, service: &str) -> ExportedResource {
        ExportedResource {
            category: category.into(),
            name: name.into(),
            service: service.into(),
            template_file: format!("{category}/{name}/t.json"),
        }
    }

    #[test]
    fn a_category_that_declares_itself_not_exportable_is_left_out_with_a_warning() {
        let resources = [
            resource("auth", "Users", "Cognito"),
            resource("function", "Fn", "Lambda"),
            resource("notifications", "Push", "Pinpoint"),
        ];
        let names = ExportNames {
            stack_name: "amplify-app-dev-12345",
            auth_role: "a",
            unauth_role: "u",
            bucket: "b",
            env: "dev",
        };
        // The category plugin is asked; here a stand-in for notifications says no.
        let plugin = |r: &ExportedResource| {
            (r.category == "notifications").then(|| "it is configured with SDK calls".to_owned())
        };
        let docs = documents(&root(), &resources, &names, &plugin);
        assert_eq!(docs.warnings.len(), 1);
        assert!(
            docs.warnings[0].contains("notifications resource 'Push' cannot be exported"),
            "{:?}",
            docs.warnings
        );
        assert!(docs.root["Resources"]["notificationsPush"].is_null());
        let nested = &docs.manifest["props"]["loadNestedStacks"];
        assert_eq!(nested.as_object().unwrap().len(), 2);
        assert_eq!(nested["functionFn"]["loadNestedStacks"], json!({}));
        assert_eq!(nested["functionFn"]["parameters"], json!({"env": "dev"}));
        assert_eq!(docs.mapping.as_array().unwrap().len(), 2);
        // TemplateURL gone; only expressions the construct does not set stay in the root.
        let fn_props = &docs.root["Resources"]["functionFn"]["Properties"];
        assert!(fn_props["TemplateURL"].is_null());
        assert_eq!(
            fn_props["Parameters"],
            json!({"authUsersUserPoolId": {"Fn::GetAtt": ["authUsers", "Outputs.UserPoolId"]}})
        );
        assert!(docs.root["Resources"]["authUsers"]["Properties"]["Parameters"].is_null());
        // Per-env inputs now set by the construct are no longer root parameters.
        let params: Vec<&String> = docs.root["Parameters"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            params,
            ["DeploymentBucketName", "AuthRoleName", "UnauthRoleName"]
        );
    }
}
