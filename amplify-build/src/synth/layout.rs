//! The rest of the Amplify layout: `backend-config.json`, `project-config.json`,
//! `tags.json` and the `.gitignore` block.

use serde_json::{json, Map, Value as Json};

use super::{FileSet, Synthesized};
use crate::category::model::Backend;
use crate::category::stack::{Binding, ProjectSettings};
use crate::cfn::to_pretty_json;
use crate::files::{BackendConfig, DependsOn, ParameterUse, ResourceEntry, ResourceRef, IMPORTED};
use crate::plan::PROVIDER;

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
    config: &BackendConfig,
    project: &ProjectSettings,
    files: &mut FileSet,
) {
    // With its keys sorted, as the Amplify CLI writes it: the CLI compares each resource's
    // entry with the one last pushed as text, so any other order reads as a change to it.
    let config = serde_json::to_value(config).expect("backend-config.json serialises");
    files.generated.push((
        "amplify/backend/backend-config.json".into(),
        to_pretty_json(&sorted_keys(config)),
    ));
    files.seeded.push(("amplify/cli.json".into(), cli_json()));
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

/// `value` with the keys of every object in code-unit order.
fn sorted_keys(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted_keys(v)))
                    .collect(),
            )
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted_keys).collect()),
        other => other,
    }
}

/// `amplify/cli.json`, the Amplify CLI's feature flags for the project: without it the
/// CLI takes the folder for one of its oldest (GraphQL transformer v1). The flags a new
/// Gen 1 project gets, for the GraphQL transformer and auth.
fn cli_json() -> String {
    to_pretty_json(&json!({
        "features": {
            "graphqltransformer": {
                "addmissingownerfields": true,
                "improvepluralization": false,
                "validatetypenamereservedwords": true,
                "useexperimentalpipelinedtransformer": true,
                "enableiterativegsiupdates": true,
                "secondarykeyasgsi": true,
                "skipoverridemutationinputtypes": true,
                "transformerversion": 2,
                "suppressschemamigrationprompt": true,
                "securityenhancementnotification": false,
                "showfieldauthnotification": false,
                "usesubusernamefordefaultidentityclaim": true,
                "usefieldnameforprimarykeyconnectionfield": false,
                "enableautoindexquerynames": true,
                "respectprimarykeyattributesonconnectionfield": true,
                "shoulddeepmergedirectiveconfigdefaults": false,
                "populateownerfieldforstaticgroupauth": true,
                "subscriptionsinheritprimaryauth": false,
                "enablegen2migration": false
            },
            "auth": {
                "enablecaseinsensitivity": true,
                "useinclusiveterminology": true,
                "breakcirculardependency": true,
                "forcealiasattributes": false,
                "useenabledmfas": true
            },
            "project": { "overrides": true }
        },
        "debug": {}
    }))
}

/// `backend-config.json`: category → resource → metadata, plus the environment
/// parameters (`AMPLIFY_<category>_<resource>_<name>`) each env must provide.
pub(super) fn backend_config(backend: &Backend, stacks: &[Synthesized]) -> BackendConfig {
    let mut config = BackendConfig::default();
    for resource in backend.resources.iter().filter(|r| r.is_imported()) {
        let mut extra = Map::new();
        extra.insert("output".into(), json!(resource.imported));
        let entry = ResourceEntry {
            service: resource.service().to_owned(),
            service_type: Some(IMPORTED.to_owned()),
            provider_plugin: PROVIDER.to_owned(),
            depends_on: Vec::new(),
            extra,
        };
        config.insert(resource.category(), &resource.name, entry);
    }
    for s in stacks {
        let resource = s.resource;
        let category = resource.category();
        let entry = ResourceEntry {
            service: resource.service().to_owned(),
            service_type: None,
            provider_plugin: PROVIDER.to_owned(),
            depends_on: s
                .dependencies
                .iter()
                .map(|d| DependsOn {
                    category: d.target.category().to_owned(),
                    resource_name: d.target.name.clone(),
                    attributes: d.attributes.clone(),
                })
                .collect(),
            extra: s.stack.backend_config.clone(),
        };
        config.insert(category, &resource.name, entry);
        let kept = s
            .stack
            .bindings
            .iter()
            .filter_map(|(name, binding)| match binding {
                Binding::Input(input) if s.stack.template.parameters.contains_key(name) => {
                    Some(input.kept_keys(name))
                }
                _ => None,
            });
        for key in kept.flatten() {
            config.parameters.insert(
                format!("AMPLIFY_{category}_{}_{key}", resource.name),
                ParameterUse {
                    used_by: vec![ResourceRef {
                        category: category.to_owned(),
                        resource_name: resource.name.clone(),
                    }],
                },
            );
        }
    }
    debug_assert_eq!(config.entries().count(), backend.resources.len());
    config
}

/// The `project-config.json` a new project starts with.
pub fn project_config(project: &ProjectSettings) -> String {
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
    map.insert("providers".into(), json!([PROVIDER]));
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
