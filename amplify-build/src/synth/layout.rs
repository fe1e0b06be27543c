//! The rest of the Amplify layout: `backend-config.json`, `project-config.json`,
//! `tags.json` and the `.gitignore` block.

use serde_json::{json, Map, Value as Json};

use super::{FileSet, NestedStack};
use crate::cfn::to_pretty_json;
use crate::deps::Dependency;
use crate::model::{Backend, Resource};

/// Project-wide settings that are not part of the declaration.
#[derive(Debug, Clone)]
pub struct ProjectSettings {
    /// Amplify project name: 3–20 ASCII letters and digits.
    pub project_name: String,
    /// Frontend written to a new `project-config.json` (`rust`, `javascript`, …).
    pub frontend: String,
}

/// Lines Amplify keeps in the project's `.gitignore`, between its markers.
pub const GITIGNORE_ENTRIES: &[&str] = &[
    "amplify/\\#current-cloud-backend",
    "amplify/.config/local-*",
    "amplify/logs",
    "amplify/mock-data",
    "amplify/mock-api-resources",
    "amplify/backend/amplify-meta.json",
    "amplify/backend/.temp",
    "build/",
    "dist/",
    "node_modules/",
    "aws-exports.js",
    "awsconfiguration.json",
    "amplifyconfiguration.json",
    "amplifyconfiguration.dart",
    "amplify_outputs*",
    "amplify-build-config.json",
    "amplify-gradle-config.json",
    "amplifytools.xcconfig",
    ".secret-*",
    "**.sample",
];

pub(super) fn add_layout_files(
    backend: &Backend,
    stacks: &[(&Resource, NestedStack, Vec<Dependency>)],
    project: &ProjectSettings,
    files: &mut FileSet,
) {
    files.generated.push((
        "amplify/backend/backend-config.json".into(),
        backend_config(backend, stacks),
    ));
    files.seeded.push((
        "amplify/.config/project-config.json".into(),
        project_config(project),
    ));
    files.seeded.push((
        "amplify/backend/tags.json".into(),
        to_pretty_json(&json!([
            { "Key": "user:Stack", "Value": "{project-env}" },
            { "Key": "user:Application", "Value": "{project-name}" }
        ])),
    ));
}

/// `backend-config.json`: category → resource → metadata, plus the env-specific
/// parameters (`AMPLIFY_<category>_<resource>_<name>`) each env must provide.
fn backend_config(
    backend: &Backend,
    stacks: &[(&Resource, NestedStack, Vec<Dependency>)],
) -> String {
    let mut root = Map::new();
    let mut parameters = Map::new();
    for resource in backend.resources.iter().filter(|r| r.is_imported()) {
        let entry = json!({
            "service": resource.spec.service(),
            "serviceType": "imported",
            "providerPlugin": "awscloudformation",
            "dependsOn": [],
            "output": resource.imported,
        });
        root.entry(resource.spec.category())
            .or_insert_with(|| Json::Object(Map::new()))
            .as_object_mut()
            .expect("categories are objects")
            .insert(resource.name.clone(), entry);
    }
    for (resource, stack, deps) in stacks {
        let category = resource.spec.category();
        let mut entry = Map::new();
        entry.insert("service".into(), json!(resource.spec.service()));
        entry.insert("providerPlugin".into(), json!("awscloudformation"));
        let depends_on: Vec<Json> = deps
            .iter()
            .map(|d| {
                json!({
                    "category": d.target.spec.category(),
                    "resourceName": d.target.name,
                    "attributes": d.attributes
                })
            })
            .collect();
        entry.insert("dependsOn".into(), Json::Array(depends_on));
        for (k, v) in &stack.backend_config {
            entry.insert(k.clone(), v.clone());
        }
        root.entry(category)
            .or_insert_with(|| Json::Object(Map::new()))
            .as_object_mut()
            .expect("categories are objects")
            .insert(resource.name.clone(), Json::Object(entry));
        for name in stack.root_parameters.keys() {
            if stack.template.parameters.contains_key(name) && is_env_specific(name) {
                parameters.insert(
                    format!("AMPLIFY_{category}_{}_{name}", resource.name),
                    json!({ "usedBy": [{ "category": category, "resourceName": resource.name }] }),
                );
            }
        }
    }
    debug_assert_eq!(
        root.values()
            .map(|c| c.as_object().map_or(0, Map::len))
            .sum::<usize>(),
        backend.resources.len()
    );
    if !parameters.is_empty() {
        root.insert("parameters".into(), Json::Object(parameters));
    }
    to_pretty_json(&Json::Object(root))
}

/// Parameters whose value differs per environment (Amplify keeps these in
/// team-provider-info.json); the rest are the same everywhere.
pub(super) fn is_env_specific(name: &str) -> bool {
    // Exactly the pair Amplify's environment-parameter check exempts.
    matches!(name, "deploymentBucketName" | "s3Key")
}

fn project_config(project: &ProjectSettings) -> String {
    let frontend_config = match project.frontend.as_str() {
        "javascript" => json!({
            "framework": "none",
            "config": { "SourceDir": "src", "DistributionDir": "dist",
                        "BuildCommand": "npm run-script build", "StartCommand": "npm run-script start" }
        }),
        "android" => json!({ "config": { "ResDir": "app/src/main/res" } }),
        "flutter" => json!({ "config": { "ResDir": "./lib/" } }),
        "ios" => json!({}),
        _ => json!({ "config": { "OutputsFile": "amplify_outputs.json" } }),
    };
    let mut map = Map::new();
    map.insert("projectName".into(), json!(project.project_name));
    map.insert("version".into(), json!("3.1"));
    map.insert("frontend".into(), json!(project.frontend));
    map.insert(project.frontend.clone(), frontend_config);
    map.insert("providers".into(), json!(["awscloudformation"]));
    to_pretty_json(&Json::Object(map))
}

/// The `.gitignore` block Amplify manages, with its markers.
pub fn gitignore_block() -> String {
    let mut block = String::from("#amplify-do-not-edit-begin\n");
    for line in GITIGNORE_ENTRIES {
        block.push_str(line);
        block.push('\n');
    }
    block.push_str("#amplify-do-not-edit-end\n");
    block
}
