//! Custom resources of the deployed root stack that the plan's root no longer has, retired
//! without running their functions. Deleting a custom resource runs its function's
//! delete handler, and Amplify Gen 1's root has one whose handler does harm once the
//! stack is ours: `UpdateRolesWithIDPFunctionOutputs`, whose function set the auth and
//! unauth roles' trust policies for the identity pool and, on delete, sets them to deny
//! it — every signed-in and guest user would lose their AWS credentials, although the
//! roles' trust policies are now in our root template. So a takeover push first deploys
//! an intermediate root that keeps each such resource as it is and gives its function
//! (code written inline in the template, as Gen 1 writes it) code that only answers
//! CloudFormation; the push's own deployment then deletes them, harmlessly.

use std::path::Path;

use amplify_build::plan::Plan;
use serde_json::{json, Map, Value};

use super::index_steps::Step;
use crate::cli::error::{CliError, Result};

/// Where `#current-cloud-backend` keeps the deployed root template.
const DEPLOYED_ROOT: &str =
    "amplify/#current-cloud-backend/awscloudformation/build/root-cloudformation-stack.json";

/// What the retired functions run: an answer of success to any request, the resource's
/// physical id kept, nothing else done.
const RESPONDER: &str = "const response = require('cfn-response');\n\
exports.handler = (event, context) => {\n\
    // Retired by amplify-rs: what this resource managed is in the root template now.\n\
    response.send(event, context, response.SUCCESS, {}, event.PhysicalResourceId);\n\
};\n";

/// The responder's runtime, the newest Node.js one Lambda has: the deployed function's may
/// be one Lambda no longer lets a function be updated on (a project made years ago).
const RESPONDER_RUNTIME: &str = "nodejs24.x";

/// The intermediate deployment retiring the deployed root's custom resources that the
/// plan drops, backed by inline functions it drops too; `None` when there are none (or no
/// deployed root to compare with).
pub fn step(root: &Path, plan: &Plan) -> Result<Option<Step>> {
    let Some(deployed) = read(&root.join(DEPLOYED_ROOT))? else {
        return Ok(None);
    };
    let Some(mut planned) = read(&root.join(&plan.root.template))? else {
        return Ok(None);
    };
    let retired = retirements(&deployed, &planned);
    if retired.is_empty() {
        return Ok(None);
    }
    let applies = retired
        .iter()
        .map(|r| {
            format!(
                "retires `{}` of the deployed root stack without running `{}` (its delete handler would undo what the root now declares)",
                r.resource, r.function
            )
        })
        .collect();
    let resources = planned["Resources"]
        .as_object_mut()
        .ok_or_else(|| CliError::input(format!("`{}` has no Resources", plan.root.template)))?;
    for retirement in retired {
        for (id, resource) in retirement.kept {
            resources.insert(id, resource);
        }
    }
    let mut text = serde_json::to_vec_pretty(&planned).expect("JSON");
    text.push(b'\n');
    Ok(Some(Step {
        reason: "custom resources of the deployed root are retired first",
        applies,
        contents: [(plan.root.template.clone(), text)].into(),
    }))
}

/// One custom resource to retire, and the deployed resources the intermediate root keeps
/// for it (the resource, its function with the responder's code, the function's role).
struct Retirement {
    resource: String,
    function: String,
    kept: Vec<(String, Value)>,
}

fn retirements(deployed: &Value, planned: &Value) -> Vec<Retirement> {
    let (Some(was), Some(is)) = (
        deployed["Resources"].as_object(),
        planned["Resources"].as_object(),
    ) else {
        return Vec::new();
    };
    let dropped = |id: &str| was.contains_key(id) && !is.contains_key(id);
    let mut found = Vec::new();
    for (id, resource) in was {
        let kind = resource["Type"].as_str().unwrap_or_default();
        let custom = kind.starts_with("Custom::") || kind == "AWS::CloudFormation::CustomResource";
        if !custom || !dropped(id) {
            continue;
        }
        let Some(function) = arn_of(&resource["Properties"]["ServiceToken"]) else {
            continue;
        };
        let inline = &was
            .get(function)
            .map(|f| &f["Properties"]["Code"]["ZipFile"]);
        let is_function = was
            .get(function)
            .is_some_and(|f| f["Type"] == "AWS::Lambda::Function");
        if !is_function || !dropped(function) || inline.is_none_or(Value::is_null) {
            continue;
        }
        let mut kept = vec![
            (id.clone(), resource.clone()),
            (function.to_owned(), responder(&was[function])),
        ];
        if let Some(role) = arn_of(&was[function]["Properties"]["Role"]).filter(|r| dropped(r)) {
            kept.push((role.to_owned(), was[role].clone()));
        }
        // Kept only when everything they refer to is in the intermediate root.
        let present = |name: &str| is.contains_key(name) || kept.iter().any(|(k, _)| k == name);
        let mut refers = Vec::new();
        for (_, resource) in &kept {
            references(resource, &mut refers);
        }
        if refers
            .iter()
            .all(|r| present(r) || r.starts_with("AWS::") || is_parameter(planned, r))
        {
            found.push(Retirement {
                resource: id.clone(),
                function: function.to_owned(),
                kept,
            });
        }
    }
    found
}

/// `F` of `{"Fn::GetAtt": ["F", "Arn"]}`.
fn arn_of(value: &Value) -> Option<&str> {
    match value["Fn::GetAtt"].as_array().map(Vec::as_slice) {
        Some([Value::String(id), attribute]) if attribute == "Arn" => Some(id),
        _ => None,
    }
}

/// The deployed function with the responder's code.
fn responder(function: &Value) -> Value {
    let mut function = function.clone();
    if let Some(properties) = function["Properties"].as_object_mut() {
        properties.insert("Code".into(), json!({ "ZipFile": RESPONDER }));
        properties.insert("Handler".into(), json!("index.handler"));
        properties.insert("Runtime".into(), json!(RESPONDER_RUNTIME));
    }
    function
}

fn is_parameter(template: &Value, name: &str) -> bool {
    template["Parameters"].get(name).is_some()
}

/// The logical ids and parameters `value` refers to (`Ref`, `Fn::GetAtt`, `DependsOn`).
fn references(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            collect_from(map, into);
            map.values().for_each(|v| references(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, into)),
        _ => {}
    }
}

fn collect_from(map: &Map<String, Value>, into: &mut Vec<String>) {
    if let Some(Value::String(name)) = map.get("Ref") {
        into.push(name.clone());
    }
    if let Some(Value::String(id)) = map.get("Fn::GetAtt").and_then(|a| a.get(0)) {
        into.push(id.clone());
    }
    match map.get("DependsOn") {
        Some(Value::String(id)) => into.push(id.clone()),
        Some(Value::Array(ids)) => {
            into.extend(ids.iter().filter_map(|i| i.as_str().map(str::to_owned)))
        }
        _ => {}
    }
}

fn read(path: &Path) -> Result<Option<Value>> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| CliError::input(format!("`{}` is not a template: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::io("read", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gen 1's root: the roles, the auth stack, and the function updating the roles'
    /// trust through a custom resource.
    fn gen1_root() -> Value {
        json!({"Parameters": {"AuthRoleName": {"Type": "String"}}, "Resources": {
            "AuthRole": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "AuthRoleName"}}},
            "authUsers": {"Type": "AWS::CloudFormation::Stack", "Properties": {}},
            "UpdateRolesWithIDPFunctionRole": {"Type": "AWS::IAM::Role", "DependsOn": ["AuthRole"]},
            "UpdateRolesWithIDPFunction": {"Type": "AWS::Lambda::Function", "DependsOn": ["AuthRole"],
                "Properties": {"Code": {"ZipFile": "exports.handler = deny;"}, "Handler": "index.handler",
                    "Runtime": "nodejs22.x",
                    "Role": {"Fn::GetAtt": ["UpdateRolesWithIDPFunctionRole", "Arn"]}}},
            "UpdateRolesWithIDPFunctionOutputs": {"Type": "Custom::LambdaCallout", "Properties": {
                "ServiceToken": {"Fn::GetAtt": ["UpdateRolesWithIDPFunction", "Arn"]},
                "idpId": {"Fn::GetAtt": ["authUsers", "Outputs.IdentityPoolId"]},
                "authRoleName": {"Ref": "AuthRole"}}}
        }})
    }

    fn our_root() -> Value {
        json!({"Parameters": {"AuthRoleName": {"Type": "String"}}, "Resources": {
            "AuthRole": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "AuthRoleName"}}},
            "authUsers": {"Type": "AWS::CloudFormation::Stack", "Properties": {}}
        }})
    }

    #[test]
    fn a_dropped_callout_is_kept_with_a_function_that_only_answers() {
        let retired = retirements(&gen1_root(), &our_root());
        assert_eq!(retired.len(), 1);
        let kept: Vec<&str> = retired[0].kept.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            kept,
            [
                "UpdateRolesWithIDPFunctionOutputs",
                "UpdateRolesWithIDPFunction",
                "UpdateRolesWithIDPFunctionRole"
            ]
        );
        let (_, callout) = &retired[0].kept[0];
        assert_eq!(
            callout,
            &gen1_root()["Resources"]["UpdateRolesWithIDPFunctionOutputs"],
            "its properties unchanged, so CloudFormation does not call it to update"
        );
        let function = &retired[0].kept[1].1["Properties"];
        assert_eq!(function["Code"]["ZipFile"], RESPONDER);
        assert_eq!(function["Runtime"], RESPONDER_RUNTIME);
    }

    #[test]
    fn nothing_is_retired_when_the_root_keeps_it_or_it_refers_to_what_is_gone() {
        assert!(retirements(&gen1_root(), &gen1_root()).is_empty());
        let mut without_auth = our_root();
        without_auth["Resources"]
            .as_object_mut()
            .unwrap()
            .remove("authUsers");
        assert!(
            retirements(&gen1_root(), &without_auth).is_empty(),
            "its properties refer to a stack the root no longer has"
        );
    }
}
