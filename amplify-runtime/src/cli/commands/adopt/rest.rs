//! A Gen 1 REST API (`API Gateway` in the api category): its `cli-inputs.json` paths as
//! `#[rest_api]` routes, each answered by its adopted function, with Amplify's access
//! settings (`open`: no keys; `private`: signed-in users; `protected`: signed-in users and
//! guests; per-group operations) behind the IAM authorizer, as Amplify deploys them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::struct_name;

/// `api/<name>/cli-inputs.json` of a REST API.
#[derive(Debug, Deserialize)]
pub(super) struct RestInputs {
    #[serde(default)]
    paths: BTreeMap<String, RestPath>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestPath {
    lambda_function: String,
    #[serde(default)]
    permissions: Permissions,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Permissions {
    setting: String,
    auth: Vec<String>,
    guest: Vec<String>,
    groups: BTreeMap<String, Vec<String>>,
}

/// The `#[rest_api]` item of REST API `name`, or why it cannot be adopted. `functions` are
/// the adopted functions' resource names; `auth` whether an auth resource was adopted.
pub(super) fn rest_api(
    name: &str,
    inputs: &RestInputs,
    functions: &BTreeSet<String>,
    auth: bool,
) -> Result<String, String> {
    if inputs.paths.is_empty() {
        return Err("it has no paths".into());
    }
    let mut paths = Vec::new();
    for (route, path) in &inputs.paths {
        if !functions.contains(&path.lambda_function) {
            return Err(format!(
                "its path `{route}` is answered by function `{}`, which was not adopted",
                path.lambda_function
            ));
        }
        let mut args = vec![
            format!("route = \"{route}\""),
            format!("function = {}", struct_name(&path.lambda_function)),
        ];
        let p = &path.permissions;
        let restricted = match p.setting.as_str() {
            "open" | "" => false,
            "private" | "protected" => true,
            other => return Err(format!("its path `{route}` has access setting `{other}`")),
        };
        if restricted && !auth {
            return Err(format!(
                "its path `{route}` is restricted to signed-in users, and the project has no auth resource"
            ));
        }
        let list = |ops: &[String]| ops.join(", ");
        if restricted && !p.auth.is_empty() {
            args.push(format!("authenticated = [{}]", list(&p.auth)));
        }
        if p.setting == "protected" && !p.guest.is_empty() {
            args.push(format!("guest = [{}]", list(&p.guest)));
        }
        if restricted && !p.groups.is_empty() {
            let groups: Vec<String> = p
                .groups
                .iter()
                .map(|(group, ops)| format!("{group} = [{}]", list(ops)))
                .collect();
            args.push(format!("groups({})", groups.join(", ")));
        }
        paths.push(format!("        path({})", args.join(", ")));
    }
    Ok(format!(
        "\n    #[rest_api(\n        name = \"{name}\",\n{}\n    )]\n    pub struct {};\n",
        paths.join(",\n"),
        struct_name(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(json: &str) -> RestInputs {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn paths_become_routes_with_amplify_access_settings() {
        let rest = inputs(
            r#"{"version": 1, "paths": {
                "/items": {"name": "/items", "lambdaFunction": "itemsfn", "permissions": {"setting": "protected", "auth": ["create", "read"], "guest": ["read"], "groups": {"Admins": ["delete"]}}},
                "/public/{id}": {"lambdaFunction": "itemsfn", "permissions": {"setting": "open"}}
            }}"#,
        );
        let functions = BTreeSet::from(["itemsfn".to_owned()]);
        let item = rest_api("shop", &rest, &functions, true).unwrap();
        assert_eq!(
            item,
            "\n    #[rest_api(\n        name = \"shop\",\n        path(route = \"/items\", function = Itemsfn, authenticated = [create, read], guest = [read], groups(Admins = [delete])),\n        path(route = \"/public/{id}\", function = Itemsfn)\n    )]\n    pub struct Shop;\n"
        );
    }

    #[test]
    fn a_path_without_its_function_or_auth_is_not_adopted() {
        let rest = inputs(
            r#"{"paths": {"/items": {"lambdaFunction": "gofn", "permissions": {"setting": "private", "auth": ["read"]}}}}"#,
        );
        let none = BTreeSet::new();
        assert!(rest_api("shop", &rest, &none, true)
            .unwrap_err()
            .contains("function `gofn`, which was not adopted"));
        let functions = BTreeSet::from(["gofn".to_owned()]);
        assert!(rest_api("shop", &rest, &functions, false)
            .unwrap_err()
            .contains("no auth resource"));
    }

    #[test]
    fn the_adopted_item_synthesises_beside_its_function_and_auth() {
        let rest = inputs(
            r#"{"paths": {"/items/{id}": {"lambdaFunction": "itemsfn", "permissions": {"setting": "protected", "auth": ["create", "read", "update", "delete"], "guest": ["read"], "groups": {"Admins": ["delete"]}}}}}"#,
        );
        let functions = BTreeSet::from(["itemsfn".to_owned()]);
        let item = rest_api("shop", &rest, &functions, true).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let src = format!(
            "#[amplify::backend]\npub mod backend {{\n    #[auth(sign_in = [email], groups = [Admins], identity_pool(guest_access = true))]\n    pub struct Users;\n    #[function(name = \"itemsfn\", runtime = node(code = \"functions/itemsfn\"))]\n    pub struct Itemsfn;\n{item}}}\n"
        );
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("functions/itemsfn")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), src).unwrap();
        std::fs::write(
            dir.path().join("functions/itemsfn/index.js"),
            "exports.handler = async () => ({statusCode: 200});\n",
        )
        .unwrap();
        let report = amplify_build::Config::new()
            .project_name("shop")
            .synthesize_in(dir.path())
            .unwrap();
        assert_eq!(
            report.outcome,
            amplify_build::Outcome::Synthesized { resources: 3 },
            "{item}"
        );
    }
}
