//! A backend of 300 functions with 5 declared environment variables each (1,800 values
//! that differ per environment) deploys: the root stack keeps its provider parameters,
//! and each environment's values reach the nested stacks through the root template push
//! uploads, overrides included. Measured on MiniStack: the push takes about 6 s, the
//! whole test (with the crate's build) under 10 s once dependencies are built.

mod common;

use std::fs;

use common::{ok, Cloud, Emulator, Scratch};

const FUNCTIONS: usize = 300;
const VARIABLES: usize = 5;

fn backend() -> String {
    let mut src = String::from("#[amplify::backend]\npub mod backend {\n");
    for i in 0..FUNCTIONS {
        let vars: Vec<String> = (0..VARIABLES)
            .map(|v| format!("VAR_{v} = \"value {i}.{v}\""))
            .collect();
        src.push_str(&format!(
            "    #[function(runtime = node(code = \"functions/echo\"), env({}))]\n    pub struct F{i};\n",
            vars.join(", ")
        ));
    }
    src.push_str("}\n\nfn main() {}\n");
    src
}

#[test]
fn three_hundred_functions_with_five_variables_each_deploy() {
    let emulator = Emulator::start();
    let scratch = Scratch::generated(
        "big-backend",
        &[
            ("src/main.rs", backend()),
            (
                "functions/echo/index.js",
                "exports.handler = async () => process.env;\n".to_owned(),
            ),
        ],
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    // An override of one variable in this environment, kept in team-provider-info.json.
    let tpi_path = scratch.crate_dir().join("amplify/team-provider-info.json");
    let mut tpi: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&tpi_path).unwrap()).unwrap();
    tpi["dev"]["categories"] = serde_json::json!({"function": {"F299": {"VAR_4": "overridden"}}});
    fs::write(&tpi_path, serde_json::to_string_pretty(&tpi).unwrap()).unwrap();

    let started = std::time::Instant::now();
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    eprintln!("push of {FUNCTIONS} functions: {:.0?}", started.elapsed());

    let cloud = Cloud::new(&emulator);
    let root = scratch.stack_name("dev");
    let stack = cloud.stack(&root).expect("the root stack exists");
    let mut parameters: Vec<&str> = stack
        .parameters()
        .iter()
        .filter_map(|p| p.parameter_key())
        .collect();
    parameters.sort_unstable();
    assert_eq!(
        parameters,
        [
            "AuthRoleName",
            "DeploymentBucketName",
            "UnauthRoleName",
            "env"
        ]
    );
    assert_eq!(cloud.nested(&root).len(), FUNCTIONS);

    let f0 = cloud.nested_parameters(&root, "functionF0");
    assert!(
        f0.contains(&("envVar0".into(), "value 0.0".into())),
        "{f0:?}"
    );
    let key = f0
        .iter()
        .find(|(k, _)| k == "s3Key")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(key.starts_with("amplify-builds/F0-"), "{f0:?}");
    let f299 = cloud.nested_parameters(&root, "functionF299");
    assert!(
        f299.contains(&("envVar4".into(), "overridden".into())),
        "{f299:?}"
    );
    assert!(
        f299.contains(&("envVar3".into(), "value 299.3".into())),
        "{f299:?}"
    );

    // Nothing changed: no deploy.
    let again = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(again.contains("No changes detected"), "{again}");
}
