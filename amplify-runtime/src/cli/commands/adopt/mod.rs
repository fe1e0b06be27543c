//! `cargo amplify adopt <gen1 project>`: the Rust declaration of an Amplify Gen 1 project,
//! written into this crate — `src/cloud.rs` (the `#[amplify::backend]` module), `build.rs`,
//! the GraphQL schemas and function code it names, and the Cargo.toml entries — for every
//! resource amplify-rs can express, read from the files the Amplify CLI keeps
//! (`backend-config.json`, each resource's `cli-inputs.json`, `amplify.state`). What it
//! cannot express is listed with what to do. Nothing existing is overwritten.

mod envs;
mod rest;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::cli::error::{CliError, Result};
use crate::cli::state::project::{files_under, write_atomic, Project};

/// What `adopt` wrote and what it left for the user.
#[derive(Debug, Default)]
pub struct Adoption {
    /// Files written, relative to the crate.
    pub written: Vec<String>,
    /// `(category resource, what to do)` for each resource not adopted.
    pub left: Vec<(String, String)>,
    /// The Gen 1 environment made current, when its environments were adopted.
    pub env: Option<String>,
}

#[derive(Deserialize)]
struct AuthInputs {
    #[serde(rename = "cognitoConfig")]
    cognito: CognitoConfig,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct CognitoConfig {
    username_attributes: Vec<String>,
    required_attributes: Vec<String>,
    password_policy_min_length: Option<u32>,
    password_policy_characters: Vec<String>,
    mfa_configuration: String,
    mfa_types: Vec<String>,
    user_pool_group_list: Vec<String>,
    auth_selections: String,
    allow_unauthenticated_identities: bool,
    user_pool_name: Option<String>,
    identity_pool_name: Option<String>,
    /// Absent in projects from before the Amplify CLI asked: their pools have no
    /// `UsernameConfiguration` (user names are case sensitive).
    username_case_sensitive: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiInputs {
    service_configuration: ApiConfig,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiConfig {
    default_auth_type: ApiAuth,
    #[serde(default)]
    additional_auth_types: Vec<ApiAuth>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiAuth {
    mode: String,
    #[serde(default)]
    expiration_time: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StorageInputs {
    #[serde(default)]
    auth_access: Vec<String>,
    #[serde(default)]
    guest_access: Vec<String>,
    #[serde(default)]
    partition_key: Option<KeyInput>,
    #[serde(default)]
    sort_key: Option<KeyInput>,
    /// An S3 bucket's name before Gen 1's stack suffix and environment.
    #[serde(default)]
    bucket_name: Option<String>,
    /// A DynamoDB table's name before Gen 1's environment suffix.
    #[serde(default)]
    table_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyInput {
    field_name: String,
    field_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FunctionState {
    function_runtime: String,
}

/// A Gen 1 project's folder: the one holding `amplify/`, or `amplify/` itself.
fn backend_dir(gen1: &Path) -> Result<PathBuf> {
    for candidate in [gen1.join("amplify/backend"), gen1.join("backend")] {
        if candidate.join("backend-config.json").is_file() {
            return Ok(candidate);
        }
    }
    Err(CliError::input(format!(
        "`{}` is not an Amplify Gen 1 project: no `amplify/backend/backend-config.json` in it",
        gen1.display()
    ))
    .help("name the folder that holds the project's `amplify/` folder"))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| CliError::input(format!("`{}` does not parse: {e}", path.display())))
}

/// `refappauth` → `Refappauth`: a struct name for a resource name.
fn struct_name(resource: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in resource.chars() {
        if !c.is_ascii_alphanumeric() {
            upper = true;
            continue;
        }
        if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes the declaration of the Gen 1 project at `gen1` into `project`'s crate; its
/// dependencies come from crates.io, or from the amplify-rs checkout `local` when given.
pub fn adopt(project: &Project, gen1: &Path, local: Option<&Path>) -> Result<Adoption> {
    let backend = backend_dir(gen1)?;
    let config: serde_json::Map<String, Value> = read_json(&backend.join("backend-config.json"))?;
    let cloud = project.root.join("src/cloud.rs");
    if cloud.exists() {
        return Err(CliError::input(format!(
            "`{}` exists: adopt writes the backend there",
            cloud.display()
        ))
        .help("run it in a new crate (`cargo new my-backend`, then `cargo amplify -C my-backend adopt …`)"));
    }
    let mut adoption = Adoption::default();
    let mut items = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let category = |name: &str| config.get(name).and_then(Value::as_object);
    let mut auth_struct = None;
    for (name, entry) in category("auth").into_iter().flatten() {
        if entry.get("service").and_then(Value::as_str) == Some("Cognito-UserPool-Groups") {
            adoption.left.push((format!("auth {name}"), "the groups are declared on the pool (`groups = [...]`), but Gen 1 keeps them in a stack of their own, which CloudFormation cannot move into the pool's (their names clash while both exist), and deleting it loses every user's membership in them: `status` names each group and `push` refuses; to move them, push once without `groups` and with `--allow-replace <Group>Group` for each, then with them".into()));
            continue;
        }
        let inputs: AuthInputs =
            read_json(&backend.join("auth").join(name).join("cli-inputs.json"))?;
        let ident = struct_name(name);
        let _ = write!(items, "{}", auth(name, &ident, &inputs.cognito));
        auth_struct.get_or_insert(ident);
    }
    for (name, entry) in category("storage").into_iter().flatten() {
        let dir = backend.join("storage").join(name);
        let inputs: StorageInputs = read_json(&dir.join("cli-inputs.json"))?;
        let service = entry.get("service").and_then(Value::as_str).unwrap_or("S3");
        let _ = write!(items, "{}", storage(name, service, &inputs));
    }
    let mut functions = BTreeSet::new();
    for (name, _) in category("function").into_iter().flatten() {
        let dir = backend.join("function").join(name);
        let state: FunctionState = read_json(&dir.join("amplify.state"))?;
        let runtime = match state.function_runtime.as_str() {
            "nodejs" => "node",
            "python" => "python",
            other => {
                adoption.left.push((format!("function {name}"), format!("its runtime `{other}` is not one amplify-rs builds from a folder; rewrite it in Rust (`runtime = rust(package = …)`) or Node.js/Python")));
                continue;
            }
        };
        let code = format!("functions/{name}");
        for rel in files_under(&dir.join("src")) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.starts_with("node_modules/") {
                continue;
            }
            let bytes = std::fs::read(dir.join("src").join(&rel))
                .map_err(|e| CliError::io("read", &dir.join("src").join(&rel), e))?;
            files.push((format!("{code}/{rel}"), bytes));
        }
        let _ = write!(
            items,
            "\n    #[function(name = \"{name}\", runtime = {runtime}(code = \"{code}\"))]\n    pub struct {};\n",
            struct_name(name)
        );
        functions.insert(name.clone());
    }
    for (name, entry) in category("api").into_iter().flatten() {
        let dir = backend.join("api").join(name);
        if entry.get("service").and_then(Value::as_str) == Some("API Gateway") {
            let inputs: rest::RestInputs = read_json(&dir.join("cli-inputs.json"))?;
            match rest::rest_api(name, &inputs, &functions, auth_struct.is_some()) {
                Ok(text) => items.push_str(&text),
                Err(why) => adoption.left.push((format!("api {name}"), why)),
            }
            continue;
        }
        let inputs: ApiInputs = read_json(&dir.join("cli-inputs.json"))?;
        let schema_path = format!("schema/{name}.graphql");
        let schema = std::fs::read(dir.join("schema.graphql"))
            .map_err(|e| CliError::io("read", &dir.join("schema.graphql"), e))?;
        files.push((schema_path.clone(), schema));
        let resolvers = files_under(&dir.join("resolvers"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "vtl"))
            .count();
        if resolvers > 0 {
            adoption.left.push((format!("api {name}"), format!("{resolvers} custom VTL resolver file(s) in `resolvers/` are not adopted: rewrite them as APPSYNC_JS resolvers (`resolvers(Type::field = Table(code = \"…js\"))`) or functions")));
        }
        match api(
            name,
            &schema_path,
            &inputs.service_configuration,
            auth_struct.as_deref(),
        ) {
            Ok(text) => items.push_str(&text),
            Err(why) => adoption.left.push((format!("api {name}"), why)),
        }
    }
    for (cat, resources) in &config {
        if [
            "auth",
            "storage",
            "function",
            "api",
            "parameters",
            "providers",
        ]
        .contains(&cat.as_str())
        {
            continue;
        }
        for name in resources.as_object().into_iter().flatten().map(|(n, _)| n) {
            adoption.left.push((
                format!("{cat} {name}"),
                "not adopted: declare it with its `#[...]` attribute (see the README's categories), or as a third-party category".into(),
            ));
        }
    }
    let module = format!(
        "//! The backend adopted from the Amplify Gen 1 project `{}` (`cargo amplify adopt`).\n\n#[amplify::backend]\npub mod backend {{{items}}}\n",
        gen1.display()
    );
    files.push(("src/cloud.rs".into(), module.into_bytes()));
    let build_rs = project.root.join("build.rs");
    if !build_rs.exists() {
        files.push((
            "build.rs".into(),
            b"fn main() {\n    amplify_build::synthesize().expect(\"amplify backend synthesis\");\n}\n"
                .to_vec(),
        ));
    }
    let manifest_path = project.root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| CliError::io("read", &manifest_path, e))?;
    for (rel, _) in &files {
        let path = project.root.join(rel);
        if path.exists() {
            return Err(CliError::input(format!(
                "`{}` exists: adopt does not overwrite it",
                path.display()
            )));
        }
    }
    for (rel, bytes) in files {
        write_atomic(&project.root.join(&rel), &bytes)?;
        adoption.written.push(rel);
    }
    // The crate's root names the module (`cargo new` made `src/main.rs`).
    let lib = project.root.join("src/lib.rs");
    let root_file = if lib.is_file() {
        lib
    } else {
        project.root.join("src/main.rs")
    };
    let root_text = std::fs::read_to_string(&root_file).unwrap_or_else(|_| "fn main() {}\n".into());
    if !root_text.contains("mod cloud;") {
        write_atomic(&root_file, format!("mod cloud;\n\n{root_text}").as_bytes())?;
        let rel = root_file.strip_prefix(&project.root).unwrap_or(&root_file);
        adoption.written.push(rel.display().to_string());
    }
    let with_dependencies = dependencies(&manifest, local);
    if with_dependencies != manifest {
        write_atomic(&manifest_path, with_dependencies.as_bytes())?;
        adoption.written.push("Cargo.toml".into());
    }
    let gen1_amplify = backend.parent().unwrap_or(&backend).to_path_buf();
    adoption.env = envs::adopt_environments(project, &gen1_amplify, &mut adoption)?;
    Ok(adoption)
}

/// `manifest` with the `amplify` dependency and the `amplify-build` build dependency
/// (each added only when missing, under its table).
fn dependencies(manifest: &str, local: Option<&Path>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let source = |package: &str| match local {
        Some(repo) => format!("path = {:?}", repo.join(package).display().to_string()),
        None => format!("version = \"{version}\""),
    };
    let mut out = manifest.to_owned();
    for (table, name, line) in [
        (
            "[dependencies]",
            "amplify-runtime",
            format!(
                "amplify = {{ package = \"amplify-runtime\", {} }}",
                source("amplify-runtime")
            ),
        ),
        (
            "[build-dependencies]",
            "amplify-build",
            format!("amplify-build = {{ {} }}", source("amplify-build")),
        ),
    ] {
        if out.contains(name) {
            continue;
        }
        match out.find(&format!("\n{table}\n")) {
            Some(at) => out.insert_str(at + table.len() + 2, &format!("{line}\n")),
            None => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!("\n{table}\n{line}\n"));
            }
        }
    }
    out
}

fn auth(name: &str, ident: &str, c: &CognitoConfig) -> String {
    let sign_in: Vec<&str> = if c.username_attributes.is_empty() {
        vec!["username"]
    } else {
        c.username_attributes
            .iter()
            .map(|a| {
                if a == "phone_number" {
                    "phone"
                } else {
                    "email"
                }
            })
            .collect()
    };
    let mut args = vec![
        format!("name = \"{name}\""),
        format!("sign_in = [{}]", sign_in.join(", ")),
    ];
    // The names Gen 1 deployed the pools with, so the first push updates them in place.
    if let Some(pool) = &c.user_pool_name {
        args.push(format!("user_pool_name = \"{pool}\""));
    }
    if c.username_case_sensitive.is_none() {
        args.push("case_sensitive_usernames".to_owned());
    }
    if !c.required_attributes.is_empty() {
        args.push(format!(
            "required_attributes = [{}]",
            c.required_attributes.join(", ")
        ));
    }
    let mut password = Vec::new();
    if let Some(min) = c.password_policy_min_length {
        password.push(format!("min_length = {min}"));
    }
    for (written, flag) in [
        ("Requires Lowercase", "lowercase"),
        ("Requires Uppercase", "uppercase"),
        ("Requires Numbers", "numbers"),
        ("Requires Symbols", "symbols"),
    ] {
        if c.password_policy_characters.iter().any(|p| p == written) {
            password.push(flag.to_owned());
        }
    }
    if !password.is_empty() {
        args.push(format!("password({})", password.join(", ")));
    }
    let methods: Vec<&str> = c
        .mfa_types
        .iter()
        .map(|t| if t.starts_with("SMS") { "sms" } else { "totp" })
        .collect();
    match c.mfa_configuration.as_str() {
        "OPTIONAL" if !methods.is_empty() => {
            args.push(format!("mfa = optional({})", methods.join(", ")))
        }
        "ON" if !methods.is_empty() => args.push(format!("mfa = required({})", methods.join(", "))),
        _ => {}
    }
    if !c.user_pool_group_list.is_empty() {
        args.push(format!("groups = [{}]", c.user_pool_group_list.join(", ")));
    }
    if c.auth_selections == "identityPoolAndUserPool" {
        let mut options = Vec::new();
        if c.allow_unauthenticated_identities {
            options.push("guest_access = true".to_owned());
        }
        if let Some(pool) = &c.identity_pool_name {
            options.push(format!("name = \"{pool}\""));
        }
        args.push(if options.is_empty() {
            "identity_pool".to_owned()
        } else {
            format!("identity_pool({})", options.join(", "))
        });
    }
    format!(
        "\n    #[auth({})]\n    pub struct {ident};\n",
        args.join(", ")
    )
}

fn storage(name: &str, service: &str, s: &StorageInputs) -> String {
    let ident = struct_name(name);
    if service == "DynamoDB" {
        let key = |k: &KeyInput| {
            let ty = match k.field_type.as_str() {
                "number" => "number",
                "binary" => "binary",
                _ => "string",
            };
            format!("{}: {ty}", k.field_name)
        };
        let mut args = vec![format!("name = \"{name}\"")];
        if let Some(pk) = &s.partition_key {
            args.push(format!("partition_key = {}", key(pk)));
        }
        if let Some(sk) = &s.sort_key {
            args.push(format!("sort_key = {}", key(sk)));
        }
        if let Some(table) = &s.table_name {
            args.push(format!("table_name = \"{table}\""));
        }
        return format!(
            "\n    #[table({})]\n    pub struct {ident};\n",
            args.join(", ")
        );
    }
    let permissions = |access: &[String]| -> Vec<&'static str> {
        access
            .iter()
            .filter_map(|a| match a.as_str() {
                "CREATE_AND_UPDATE" => Some("write"),
                "READ" => Some("read"),
                "DELETE" => Some("delete"),
                _ => None,
            })
            .collect()
    };
    let mut args = vec![format!("name = \"{name}\"")];
    for (key, access) in [
        ("authenticated", &s.auth_access),
        ("guest", &s.guest_access),
    ] {
        let p = permissions(access);
        if !p.is_empty() {
            args.push(format!("{key} = [{}]", p.join(", ")));
        }
    }
    if let Some(bucket) = &s.bucket_name {
        args.push(format!("bucket_name = \"{bucket}\""));
    }
    format!(
        "\n    #[bucket({})]\n    pub struct {ident};\n",
        args.join(", ")
    )
}

fn api(
    name: &str,
    schema: &str,
    c: &ApiConfig,
    auth: Option<&str>,
) -> std::result::Result<String, String> {
    let mode = |a: &ApiAuth| -> std::result::Result<String, String> {
        Ok(match a.mode.as_str() {
            "API_KEY" => format!(
                "api_key(expires_in_days = {})",
                a.expiration_time.unwrap_or(7)
            ),
            "AMAZON_COGNITO_USER_POOLS" => format!(
                "user_pool({})",
                auth.ok_or("its user-pool auth names no auth resource of the project")?
            ),
            "AWS_IAM" => "iam".into(),
            other => {
                return Err(format!(
                    "its auth mode `{other}` is not supported (API key, user pools and IAM are)"
                ))
            }
        })
    };
    let mut args = vec![
        format!("name = \"{name}\""),
        format!("schema = \"{schema}\""),
        format!("auth = {}", mode(&c.default_auth_type)?),
    ];
    if !c.additional_auth_types.is_empty() {
        let extra = c
            .additional_auth_types
            .iter()
            .map(mode)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        args.push(format!("additional_auth = [{}]", extra.join(", ")));
    }
    Ok(format!(
        "\n    #[api(\n        {},\n    )]\n    pub struct {};\n",
        args.join(",\n        "),
        struct_name(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_go_under_their_tables_once() {
        let bare = "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n";
        let out = dependencies(bare, None);
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            out,
            format!("[package]\nname = \"x\"\n\n[dependencies]\namplify = {{ package = \"amplify-runtime\", version = \"{version}\" }}\nserde = \"1\"\n\n[build-dependencies]\namplify-build = {{ version = \"{version}\" }}\n")
        );
        assert_eq!(dependencies(&out, None), out, "nothing added twice");
    }

    #[test]
    fn a_pool_from_before_case_insensitive_user_names_keeps_case_sensitivity() {
        let legacy: CognitoConfig = serde_json::from_str(
            r#"{"usernameAttributes": ["email"], "userPoolName": "old_pool"}"#,
        )
        .unwrap();
        let text = auth("users", "Users", &legacy);
        assert!(
            text.contains("user_pool_name = \"old_pool\", case_sensitive_usernames"),
            "{text}"
        );
        let asked: CognitoConfig =
            serde_json::from_str(r#"{"usernameCaseSensitive": false}"#).unwrap();
        assert!(!auth("users", "Users", &asked).contains("case_sensitive"));
    }

    #[test]
    fn resource_names_become_struct_names() {
        assert_eq!(struct_name("refappauth"), "Refappauth");
        assert_eq!(struct_name("my-api_v2"), "MyApiV2");
    }
}
