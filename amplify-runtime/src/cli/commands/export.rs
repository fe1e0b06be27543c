//! `cargo amplify export --out <dir>`: the backend as the CDK construct
//! `@aws-amplify/cdk-exported-backend` (`AmplifyExportedBackend`) reads it — a manifest
//! of `CfnInclude` props, the category mapping, tags, the root template without
//! TemplateURLs (built by synthesis from the IR: the plan's `export`), every nested
//! template, function zips and AppSync files. Re-runnable: the folder is written beside
//! the old one and swapped in.

use std::path::{Path, PathBuf};

use amplify_build::plan::{Asset, ChildStack, Plan, StackPlan};
use serde_json::{json, Map, Value};

use crate::cli::context::Context;
use crate::cli::deploy::assets::{self, Packages};
use crate::cli::deploy::rust_function::FunctionBuild;
use crate::cli::deploy::tags::hydrate_tags;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::{write_atomic, write_json, Project};
use crate::cli::state::RootValue;

/// Marks a folder as written by `cargo amplify export`, so re-running may replace it.
const MARKER: &str = ".amplify-rs-export";

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

/// Where a stack's template goes in the export folder: `<category>/<resource>/<file>`.
fn template_file(stack: &StackPlan) -> String {
    let file = stack.template.rsplit('/').next().unwrap_or(&stack.template);
    format!("{}/{}/{file}", stack.category, stack.name)
}

/// The export documents for one environment. Stacks whose category declares itself
/// not exportable are left out, with a warning each.
pub fn documents(plan: &Plan, names: &ExportNames) -> ExportDocuments {
    let mut nested = Map::new();
    let mut mapping = Vec::new();
    let mut warnings = Vec::new();
    for stack in &plan.stacks {
        if !stack.exportable {
            warnings.push(format!(
                "The {} resource '{}' cannot be exported: its category says the CDK construct cannot include it (configured with SDK calls, or a shape the construct misreads); the rest is exported",
                stack.category, stack.name
            ));
            continue;
        }
        for action in &stack.actions {
            warnings.push(format!(
                "The post-deploy action `{}` of '{}' ({}) is not exported: CloudFormation cannot run it; run `{}` yourself after `cdk deploy`",
                action.id, stack.name, action.description, action.program
            ));
        }
        for asset in &stack.assets {
            if let Asset::PublishedFolder(folder) = asset {
                warnings.push(format!(
                    "The folder `{}` that '{}' publishes to its bucket is not exported: deploy its files from your CDK app (e.g. `aws-s3-deployment`'s `BucketDeployment`)",
                    folder.folder, stack.name
                ));
            }
        }
        mapping.push(
            json!({ "category": stack.category, "resourceName": stack.name, "service": stack.service }),
        );
        let mut parameters: Map<String, Value> = plan
            .export
            .parameters
            .get(&stack.logical_id)
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        parameters.insert("env".into(), json!(names.env));
        // A stack's own nested stacks (a model's in its API's), sorted as Amplify writes them.
        let mut children: Vec<&ChildStack> = stack.children.iter().collect();
        children.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
        let children: Map<String, Value> = children
            .into_iter()
            .map(|c| {
                (
                    c.logical_id.clone(),
                    json!({
                        "templateFile": c.export_template,
                        "preserveLogicalIds": true,
                        "loadNestedStacks": {},
                    }),
                )
            })
            .collect();
        nested.insert(
            stack.logical_id.clone(),
            json!({
                "templateFile": template_file(stack),
                "parameters": parameters,
                "preserveLogicalIds": true,
                "loadNestedStacks": children,
            }),
        );
    }
    for secret in &plan.root.secrets {
        warnings.push(format!(
            "The secret parameter '{}' (from {}) is not supplied by the export: pass it to the construct's root stack yourself",
            secret.parameter, secret.variable
        ));
    }
    for link in &plan.root.links {
        warnings.push(format!(
            "The link stack '{}' of '{}' (a trigger or subscription outside its stacks) is not exported yet; the rest is exported",
            link.logical_id, link.resource
        ));
    }
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
        root: plan.export.root.clone(),
        warnings,
    }
}

/// Runs `export`.
pub fn export(ctx: &Context, out: &Path, force: bool) -> Result<PathBuf> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let provider = ctx.provider_info()?;
    let stack_name = provider.require(RootValue::StackName)?;
    let name = project.project_name()?;
    let segments: Vec<&str> = stack_name.split('-').collect();
    if segments.len() != 4 || segments[0] != "amplify" || segments[2] != env {
        return Err(CliError::input(format!("stack name `{stack_name}` is not `amplify-<project>-<env>-<suffix>`"))
            .help("the CDK construct swaps the environment into the third dash-separated part; re-create the env with `cargo amplify init`"));
    }
    let names = ExportNames {
        stack_name,
        auth_role: provider.require(RootValue::AuthRoleName)?,
        unauth_role: provider.require(RootValue::UnauthRoleName)?,
        bucket: provider.require(RootValue::DeploymentBucketName)?,
        env,
    };

    let plan = ctx.plan()?;
    if !plan.root.groups.is_empty() {
        return Err(CliError::input(format!(
            "this backend's root is split into {} group stacks (it is past the 500 resources one CloudFormation template may hold), and `export` hands the CDK construct one flat root",
            plan.root.groups.len()
        ))
        .help("export a backend that fits one root stack; nothing was written"));
    }
    let docs = documents(plan, &names);
    for w in &docs.warnings {
        eprintln!("warning: {w}");
    }
    let files = exported_files(project, plan)?;
    let tags_text = std::fs::read_to_string(project.backend_dir().join("tags.json"))
        .map_err(|e| CliError::io("read", &project.backend_dir().join("tags.json"), e))?;
    let tags: Vec<Value> = hydrate_tags(&tags_text, &name, "{project-env}")?
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
        write_json(&staging.join("export-tags.json"), &tags)?;
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
    crate::cli::state::project::swap_dir(&staging, &folder)?;
    eprintln!("Exported `{env}` to {}", folder.display());
    Ok(folder)
}

/// The function's zip as built for Lambda (a CDK app deploys to AWS), kept under
/// `amplify/backend/.temp/lambda-builds/` by its sources' fingerprint: an export of an
/// unchanged function reuses it instead of running the cross build again.
fn lambda_zip(
    project: &Project,
    name: &str,
    asset: &Asset,
    packages: &mut Option<Packages>,
) -> Result<Vec<u8>> {
    let fingerprint = assets::source_fingerprint(&project.root, name, asset, packages)?;
    let arch = match asset {
        Asset::FunctionCode { architecture, .. } => architecture.lambda_name(),
        _ => "",
    };
    let cached = project.backend_dir().join(format!(
        ".temp/lambda-builds/{name}-{arch}-{fingerprint}.zip"
    ));
    if let Ok(zip) = std::fs::read(&cached) {
        return Ok(zip);
    }
    eprintln!("Building function {name} …");
    let zip = assets::build_zip(&project.root, name, asset, packages, FunctionBuild::Lambda)?;
    // Best effort: without it, the next export builds again.
    let _ = amplify_build::write_atomic(&cached, &zip);
    Ok(zip)
}

/// Every exported stack's template and assets: one reproducible zip per function, the
/// uploaded files (AppSync's) under the folder their asset names.
fn exported_files(project: &Project, plan: &Plan) -> Result<Vec<(String, Vec<u8>)>> {
    let read = |relative: &str| {
        let path = project.root.join(relative);
        std::fs::read(&path).map_err(|e| CliError::io("read", &path, e))
    };
    let mut files = Vec::new();
    let mut packages: Option<Packages> = None;
    for stack in plan.stacks.iter().filter(|s| s.exportable) {
        let template = match plan.export.templates.get(&stack.logical_id) {
            Some(t) => amplify_build::cfn::to_pretty_json(t).into_bytes(),
            None => read(&stack.template)?,
        };
        files.push((template_file(stack), template));
        let dir = format!("{}/{}", stack.category, stack.name);
        for asset in &stack.assets {
            match asset {
                Asset::FunctionCode { .. } => {
                    let zip = lambda_zip(project, &stack.name, asset, &mut packages)?;
                    let key = assets::zip_key(&stack.name, &zip);
                    let file = key.trim_start_matches("amplify-builds/");
                    files.push((format!("{dir}/amplify-builds/{file}"), zip));
                }
                Asset::Files {
                    export_folder,
                    files: uploaded,
                    ..
                } => {
                    for f in uploaded {
                        files.push((format!("{dir}/{export_folder}/{}", f.key), read(&f.path)?));
                    }
                }
                // Published after the deploy, not part of it: warned about in `documents`.
                Asset::PublishedFolder(_) => {}
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplify_build::plan::{ExportPlan, RootPlan, PLAN_FORMAT};
    use indexmap::IndexMap;

    fn stack(category: &str, name: &str, service: &str, exportable: bool) -> StackPlan {
        StackPlan {
            category: category.into(),
            name: name.into(),
            service: service.into(),
            logical_id: format!("{category}{name}"),
            folder: format!("amplify/backend/{category}/{name}"),
            template: format!("amplify/backend/{category}/{name}/t.json"),
            template_key: "k".into(),
            inputs: Vec::new(),
            assets: Vec::new(),
            outputs: Vec::new(),
            client_config: Vec::new(),
            exportable,
            local_cloud: true,
            actions: Vec::new(),
            console: None,
            children: Vec::new(),
        }
    }

    #[test]
    fn a_category_that_declares_itself_not_exportable_is_left_out_with_a_warning() {
        let mut parameters = IndexMap::new();
        parameters.insert("authUsers".to_owned(), IndexMap::new());
        let mut literal = IndexMap::new();
        literal.insert("AppSyncApiName".to_owned(), json!("Api"));
        parameters.insert("functionFn".to_owned(), literal);
        let plan = Plan {
            format: PLAN_FORMAT,
            project_name: "app".into(),
            inputs: Vec::new(),
            root: RootPlan {
                template: "root.json".into(),
                template_key: "root".into(),
                parameters: Vec::new(),
                secrets: Vec::new(),
                links: Vec::new(),
                groups: Vec::new(),
                left_out: Vec::new(),
            },
            stacks: vec![
                stack("auth", "Users", "Cognito", true),
                stack("function", "Fn", "Lambda", true),
                stack("notifications", "Push", "Pinpoint", false),
            ],
            imported: Vec::new(),
            export: ExportPlan {
                templates: Default::default(),
                root: json!({"Resources": {}}),
                parameters,
            },
            categories: Vec::new(),
            backend_config: Default::default(),
        };
        let names = ExportNames {
            stack_name: "amplify-app-dev-12345",
            auth_role: "a",
            unauth_role: "u",
            bucket: "b",
            env: "dev",
        };
        let docs = documents(&plan, &names);
        assert_eq!(docs.warnings.len(), 1);
        assert!(
            docs.warnings[0].contains("notifications resource 'Push' cannot be exported"),
            "{:?}",
            docs.warnings
        );
        let nested = &docs.manifest["props"]["loadNestedStacks"];
        assert_eq!(nested.as_object().unwrap().len(), 2);
        assert!(nested["notificationsPush"].is_null());
        assert_eq!(nested["functionFn"]["loadNestedStacks"], json!({}));
        assert_eq!(
            nested["functionFn"]["parameters"],
            json!({"AppSyncApiName": "Api", "env": "dev"})
        );
        assert_eq!(nested["functionFn"]["templateFile"], "function/Fn/t.json");
        assert_eq!(docs.mapping.as_array().unwrap().len(), 2);
        assert_eq!(
            docs.manifest["props"]["parameters"],
            json!({"AuthRoleName": "a", "UnauthRoleName": "u", "DeploymentBucketName": "b"})
        );
    }
}
