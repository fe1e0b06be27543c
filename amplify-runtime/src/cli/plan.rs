//! What the project wants (synthesised files on disk) against what was last deployed
//! (`#current-cloud-backend`), compared on env-independent content hashes: no false
//! "Update" after an env checkout, a rebuild or a touched file.

use std::path::{Path, PathBuf};

use amplify_build::model::{FunctionSpec, Spec};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::assets::{self, hex, Packages};
use super::error::{CliError, Result};
use super::project::{files_under, Project};

/// One declared resource, as synthesised.
#[derive(Debug, Clone)]
pub struct DesiredResource {
    /// Amplify category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// `<category><name>`.
    pub logical_id: String,
    /// Hash of the resource folder and, for functions, of the code's sources.
    pub fingerprint: String,
    /// Content-addressed key of the nested template in the deployment bucket.
    pub template_key: String,
    /// The nested template on disk.
    pub template_path: PathBuf,
    /// AppSync files to upload under this key prefix, for APIs.
    pub appsync: Option<(String, Vec<(String, PathBuf)>)>,
    /// The function's declaration, for functions.
    pub function: Option<FunctionSpec>,
}

/// The whole desired state.
pub struct Desired {
    /// `backend-config.json`.
    pub backend_config: Map<String, Value>,
    /// Resources in declaration order.
    pub resources: Vec<DesiredResource>,
    /// Root template text.
    pub root_template: String,
    /// The root template as JSON.
    pub root_json: Value,
    /// Content-addressed key of the root template.
    pub root_key: String,
    /// `tags.json` text.
    pub tags: String,
    /// The declaration, as synthesis parsed it.
    pub backend: amplify_build::model::Backend,
}

/// A status row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// What a push would do.
    pub operation: Operation,
}

/// What a push does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// Not deployed yet.
    Create,
    /// Deployed with different content.
    Update,
    /// Deployed but no longer declared.
    Delete,
    /// Deployed as declared.
    NoChange,
}

impl Operation {
    /// Amplify's wording.
    pub fn label(self) -> &'static str {
        match self {
            Operation::Create => "Create",
            Operation::Update => "Update",
            Operation::Delete => "Delete",
            Operation::NoChange => "No Change",
        }
    }
}

/// Synthesises (so the files are current) and reads the desired state.
pub fn desired(project: &Project) -> Result<Desired> {
    let mut report = amplify_build::Config::new().synthesize_in(&project.root)?;
    match &report.outcome {
        amplify_build::Outcome::Synthesized { .. } => {}
        amplify_build::Outcome::NoBackend => {
            return Err(CliError::input(format!(
                "no `#[amplify::backend]` module in the crate at `{}`",
                project.root.display()
            ))
            .help("declare the backend in src/lib.rs or src/main.rs (or a module they include)"))
        }
        amplify_build::Outcome::InvalidDeclaration(problems) => {
            return Err(CliError::input(format!(
                "the backend declaration has errors:\n  {}",
                problems.join("\n  ")
            ))
            .help("`cargo build` shows each at its span; nothing was deployed"))
        }
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let backend = report
        .backend
        .take()
        .expect("a synthesised report carries its backend");
    let backend_config = project.backend_config()?;
    let root_path = project
        .backend_dir()
        .join("awscloudformation/build/root-cloudformation-stack.json");
    let root_template =
        std::fs::read_to_string(&root_path).map_err(|e| CliError::io("read", &root_path, e))?;
    let root_json: Value = serde_json::from_str(&root_template)
        .map_err(|e| CliError::input(format!("`{}`: {e}", root_path.display())))?;
    let root_key = format!(
        "amplify-cfn-templates/root-cloudformation-stack-{}.json",
        hex(&Sha256::digest(root_template.as_bytes())[..8])
    );

    let mut packages: Option<Packages> = None;
    let mut resources = Vec::new();
    // Imported resources have no stack: nothing to upload or compare.
    for r in backend.resources.iter().filter(|r| !r.is_imported()) {
        let category = r.spec.category().to_owned();
        let logical_id = r.logical_id();
        let dir = project.backend_dir().join(&category).join(&r.name);
        let url = root_json["Resources"][&logical_id]["Properties"]["TemplateURL"]["Fn::Sub"]
            .as_str()
            .unwrap_or_default();
        let template_key = url
            .split("${DeploymentBucketName}/")
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let template_path = template_file(&dir)?;
        let mut hasher = Sha256::new();
        for rel in files_under(&dir) {
            hasher.update(rel.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(dir.join(&rel)).unwrap_or_default());
        }
        let function = match &r.spec {
            Spec::Function(f) => {
                hasher.update(assets::source_fingerprint(
                    &project.root,
                    &r.name,
                    f,
                    &mut packages,
                )?);
                Some(f.clone())
            }
            _ => None,
        };
        let appsync = match &r.spec {
            Spec::Api(_) => {
                let params: Value = serde_json::from_str(
                    &std::fs::read_to_string(dir.join("build/parameters.json")).unwrap_or_default(),
                )
                .unwrap_or(Value::Null);
                let prefix = params["S3DeploymentRootKey"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let build = dir.join("build");
                let files = files_under(&build)
                    .into_iter()
                    .filter(|rel| {
                        let s = rel.to_string_lossy();
                        s == "schema.graphql" || s.starts_with("resolvers/")
                    })
                    .map(|rel| (rel.to_string_lossy().replace('\\', "/"), build.join(rel)))
                    .collect();
                Some((prefix, files))
            }
            _ => None,
        };
        resources.push(DesiredResource {
            category,
            name: r.name.clone(),
            logical_id,
            fingerprint: hex(&hasher.finalize()[..8]),
            template_key,
            template_path,
            appsync,
            function,
        });
    }
    let tags_path = project.backend_dir().join("tags.json");
    let tags =
        std::fs::read_to_string(&tags_path).map_err(|e| CliError::io("read", &tags_path, e))?;
    Ok(Desired {
        backend,
        backend_config,
        resources,
        root_template,
        root_json,
        root_key,
        tags,
    })
}

/// Amplify's rule: the `*template*.json` in `build/` if there is one, else in the folder.
fn template_file(dir: &Path) -> Result<PathBuf> {
    for d in [dir.join("build"), dir.to_owned()] {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name().is_some_and(|n| {
                        n.to_string_lossy().contains("template")
                            && n.to_string_lossy().ends_with(".json")
                    })
            })
            .collect();
        found.sort();
        if let Some(first) = found.into_iter().next() {
            return Ok(first);
        }
    }
    Err(
        CliError::input(format!("no CloudFormation template in `{}`", dir.display()))
            .help("run `cargo build` to synthesise it"),
    )
}

/// Compares the desired state with the last deployed one.
pub fn rows(desired: &Desired, deployed: &Map<String, Value>) -> Vec<Row> {
    let mut rows: Vec<Row> = desired
        .resources
        .iter()
        .map(|r| {
            let last = &deployed.get(&r.category).and_then(|c| c.get(&r.name));
            let operation = match last {
                None => Operation::Create,
                Some(entry) if entry.get("lastPushTimeStamp").is_none() => Operation::Create,
                Some(entry)
                    if entry["lastPushDirHash"].as_str() != Some(r.fingerprint.as_str()) =>
                {
                    Operation::Update
                }
                Some(_) => Operation::NoChange,
            };
            Row {
                category: r.category.clone(),
                name: r.name.clone(),
                operation,
            }
        })
        .collect();
    for (category, entries) in deployed {
        if category == "providers" {
            continue;
        }
        for (name, entry) in entries.as_object().into_iter().flatten() {
            if entry["serviceType"] == "imported" {
                continue;
            }
            if !desired
                .resources
                .iter()
                .any(|r| &r.category == category && &r.name == name)
            {
                rows.push(Row {
                    category: category.clone(),
                    name: name.clone(),
                    operation: Operation::Delete,
                });
            }
        }
    }
    rows.sort_by_key(|r| r.operation);
    rows
}
