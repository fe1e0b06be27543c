//! What `cargo amplify export` hands to the CDK construct `AmplifyExportedBackend`, built
//! from the root stack's IR: the construct includes the root template with `CfnInclude`
//! and supplies each nested stack's template itself, so `TemplateURL`s go; literal
//! parameters move to the manifest; what the construct sets (the environment, where it
//! uploads assets) goes; expressions stay in the root.

use indexmap::IndexMap;

use super::Synthesized;
use crate::category::stack::{AssetLocation, Binding};
use crate::cfn::{Template, Value};
use crate::plan::ExportPlan;

/// Root parameters the construct always passes.
const CONSTRUCT_ROOT_PARAMETERS: &[&str] =
    &["DeploymentBucketName", "AuthRoleName", "UnauthRoleName"];

pub(super) fn export_plan(
    root: &Template,
    stacks: &[Synthesized],
    links: &[super::links::LinkStack],
) -> ExportPlan {
    let mut root = root.clone();
    // Link stacks are not handed to the construct yet (`cargo amplify export` says so).
    for link in links {
        root.resources.shift_remove(&link.logical_id);
    }
    let mut parameters = IndexMap::new();
    for s in stacks {
        let logical = s.resource.logical_id();
        if !s.resource.kind.descriptor().exportable {
            root.resources.shift_remove(&logical);
            continue;
        }
        let Some(resource) = root.resources.get_mut(&logical) else {
            continue;
        };
        resource.properties.shift_remove("TemplateURL");
        let mut literal = IndexMap::new();
        if let Some(Value::Map(params)) = resource.properties.get_mut("Parameters") {
            params.retain(
                |name, value| match placement(s.stack.bindings.get(name), name, value) {
                    Placement::Manifest => {
                        let json = serde_json::to_value(&*value).expect("values serialise");
                        literal.insert(name.clone(), json);
                        false
                    }
                    Placement::Construct => false,
                    Placement::Root => true,
                },
            );
            if params.is_empty() {
                resource.properties.shift_remove("Parameters");
            }
        }
        parameters.insert(logical, literal);
    }
    let unused: Vec<String> = root
        .unused_parameters()
        .into_iter()
        .filter(|p| !CONSTRUCT_ROOT_PARAMETERS.contains(p))
        .map(ToOwned::to_owned)
        .collect();
    for name in unused {
        root.parameters.shift_remove(&name);
    }
    // The construct includes a stack's own nested stacks from their files, as the root's.
    let mut templates = IndexMap::new();
    for s in stacks.iter().filter(|s| !s.stack.children.is_empty()) {
        let mut template = s.stack.template.clone();
        for child in &s.stack.children {
            if let Some(resource) = template.resources.get_mut(&child.logical_id) {
                resource.properties.shift_remove("TemplateURL");
            }
        }
        templates.insert(
            s.resource.logical_id(),
            serde_json::to_value(&template).expect("templates serialise"),
        );
    }
    ExportPlan {
        root: serde_json::to_value(&root).expect("templates serialise"),
        parameters,
        templates,
    }
}

enum Placement {
    /// A literal: the manifest's `parameters`.
    Manifest,
    /// Set by the construct.
    Construct,
    /// An expression the included root template evaluates.
    Root,
}

fn placement(binding: Option<&Binding>, name: &str, value: &Value) -> Placement {
    match binding {
        Some(Binding::Assets(AssetLocation::Bucket)) => Placement::Construct,
        Some(Binding::Input(input)) if input.is_env_parameter() => Placement::Construct,
        None if name == "env" => Placement::Construct,
        _ if is_literal(value) => Placement::Manifest,
        _ => Placement::Root,
    }
}

/// Plain data rather than an intrinsic function.
fn is_literal(value: &Value) -> bool {
    match value {
        Value::Bool(_) | Value::Int(_) | Value::Str(_) => true,
        Value::List(items) => items.iter().all(is_literal),
        _ => false,
    }
}
