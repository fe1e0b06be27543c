//! Large backends deploy. 300 functions with 5 declared environment variables each (1,800
//! values that differ per environment): the root stack keeps its provider parameters,
//! and each environment's values reach the nested stacks through the root template push
//! uploads, overrides included (on MiniStack the push takes about 6 s, the whole test
//! under 10 s once dependencies are built). 1,000 tables and 1,000 functions granted one
//! each (2,000 resources, four times what one template may hold): the root is split into
//! group stacks, and a grouped function runs with its code and its table's name.

mod common;

use std::fs;

use common::{invoke, ok, Cloud, Emulator, Scratch};

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

const PAIRS: usize = 1000;

#[test]
fn two_thousand_resources_deploy_through_group_stacks() {
    let emulator = Emulator::start();
    let mut src = String::from("#[amplify::backend]\npub mod backend {\n");
    for i in 0..PAIRS {
        src.push_str(&format!(
            "    #[table(partition_key = id: string)]\n    pub struct T{i};\n    #[function(runtime = node(code = \"functions/echo\"), grant(T{i} = [read]))]\n    pub struct F{i};\n"
        ));
    }
    src.push_str("}\n\nfn main() {}\n");
    let scratch = Scratch::generated(
        "split-backend",
        &[
            ("src/main.rs", src),
            (
                "functions/echo/index.js",
                "exports.handler = async () => process.env;\n".to_owned(),
            ),
        ],
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    let started = std::time::Instant::now();
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    eprintln!("push of {} resources: {:.0?}", 2 * PAIRS, started.elapsed());

    let cloud = Cloud::new(&emulator);
    let root = scratch.stack_name("dev");
    let plan = scratch.json("amplify/backend/awscloudformation/build/deployment-plan.json");
    let groups = plan["root"]["groups"].as_array().unwrap();
    assert!(!groups.is_empty());
    let nested = cloud.nested(&root);
    assert!(nested.len() < 500, "{}", nested.len());
    for group in groups {
        let id = group["logicalId"].as_str().unwrap();
        let status = nested
            .iter()
            .find(|(l, _, _)| l == id)
            .map(|(_, s, _)| s.as_str());
        assert_eq!(status, Some("CREATE_COMPLETE"), "{id}");
    }
    // The last function is in a group: its outputs were read through it, and it runs
    // with its code and the name of the table it was granted.
    let last = format!("functionF{}", PAIRS - 1);
    assert!(
        groups.last().unwrap()["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == last.as_str()),
        "{last} is grouped"
    );
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let f = &meta["function"][format!("F{}", PAIRS - 1)]["output"];
    assert!(
        f["Arn"].as_str().is_some_and(|a| a.contains(":function:")),
        "{f}"
    );
    let env = invoke(emulator.port(), f["Name"].as_str().unwrap());
    assert_eq!(
        env[format!("STORAGE_T{}_NAME", PAIRS - 1)],
        meta["storage"][format!("T{}", PAIRS - 1)]["output"]["Name"],
        "{env}"
    );

    // Nothing changed: no deploy.
    let again = ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    assert!(again.contains("No changes detected"), "{again}");
}
