//! CI deploys, cross-account: `pipeline-deploy` from fresh clones deploys the blog
//! example's `staging` branch to one account and `main` to another (two MiniStack
//! instances with different account ids), with Gen 2 stack names and no local state;
//! `generate outputs --app-id --branch` from another fresh clone gets production's ids,
//! and the app built with them prints them. Outside CI, `pipeline-deploy` refuses.

mod common;

use common::*;
use serde_json::Value;

const APP_ID: &str = "d2ab3cd4ef5gh6";

#[test]
fn pipeline_deploy_stages_to_two_accounts_and_generate_outputs_reads_them() {
    let staging = Emulator::start_for_account("111111111111");
    let production = Emulator::start_for_account("222222222222");

    // Outside CI: refused, nothing deployed.
    let clone = Scratch::blog();
    let out = clone
        .command(&["pipeline-deploy", "--branch", "main", "--app-id", APP_ID])
        .env("AWS_ENDPOINT_URL", &production.url)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("CI/CD") && err.contains("cargo amplify push"),
        "{err}"
    );

    // In CI, from fresh clones: staging, then production.
    // Production through a role assumed in its account, as the seed's pipeline does.
    let production_role = "arn:aws:iam::222222222222:role/amplify-deployer";
    for (emulator, branch, role) in [
        (&staging, "staging", None),
        (&production, "main", Some(production_role)),
    ] {
        let clone = Scratch::blog();
        let mut args = vec!["pipeline-deploy", "--branch", branch, "--app-id", APP_ID];
        if let Some(role) = role {
            args.extend(["--role-arn", role]);
        }
        let out = clone
            .command(&args)
            .env("AWS_ENDPOINT_URL", &emulator.url)
            .env("CI", "1")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{branch}: {said}");
        // The role was assumed, not merely accepted: the deploy ran as its session.
        if role.is_some() {
            assert!(
                said.contains("with the identity arn:aws:sts::222222222222:assumed-role/amplify-deployer/cargo-amplify"),
                "{said}"
            );
        } else {
            assert!(!said.contains("assumed-role"), "{said}");
        }
        let cloud = Cloud::new(emulator);
        let stack = expected_stack(branch);
        assert_eq!(cloud.status(&stack), "UPDATE_COMPLETE", "{branch}");
        assert_eq!(cloud.nested(&stack).len(), 5);
        let outputs = clone.json("amplify_outputs.json");
        assert!(outputs["auth"]["user_pool_id"].is_string(), "{outputs}");
        // No Gen 1 state was needed or written.
        assert!(!clone
            .crate_dir()
            .join("amplify/team-provider-info.json")
            .exists());
        assert!(!clone
            .crate_dir()
            .join("amplify/backend/amplify-meta.json")
            .exists());
    }

    // Each account has its own branch only.
    assert!(Cloud::new(&staging)
        .stack(&expected_stack("main"))
        .is_none());
    assert!(Cloud::new(&production)
        .stack(&expected_stack("staging"))
        .is_none());

    // A frontend job builds against production from another fresh clone.
    let clone = Scratch::blog();
    let out = clone
        .command(&[
            "generate", "outputs", "--app-id", APP_ID, "--branch", "main",
        ])
        .env("AWS_ENDPOINT_URL", &production.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs: Value = clone.json("amplify_outputs.json");
    let pool = outputs["auth"]["user_pool_id"].as_str().unwrap().to_owned();
    let cloud = Cloud::new(&production);
    let deployed_pool = cloud
        .nested(&expected_stack("main"))
        .into_iter()
        .find(|(logical, _, _)| logical == "authBlogAuth")
        .and_then(|(_, _, outputs)| outputs.into_iter().find(|(k, _)| k == "UserPoolId"))
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(pool, deployed_pool);
    let app = clone.run_app("blog-example", &["config"]);
    let printed = String::from_utf8_lossy(&app.stdout);
    assert!(
        app.status.success(),
        "{}",
        String::from_utf8_lossy(&app.stderr)
    );
    assert!(
        printed.contains(&format!("user pool        {pool}")),
        "{printed}"
    );

    // --stack reads a stack by name too, and writes the same file (the environment
    // included, from the stack's `env` parameter); an unknown one is refused.
    let by_branch = std::fs::read(clone.crate_dir().join("amplify_outputs.json")).unwrap();
    std::fs::remove_file(clone.crate_dir().join("amplify_outputs.json")).unwrap();
    let out = clone
        .command(&["generate", "outputs", "--stack", &expected_stack("main")])
        .env("AWS_ENDPOINT_URL", &production.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let by_stack: Value = clone.json("amplify_outputs.json");
    assert_eq!(
        by_stack,
        serde_json::from_slice::<Value>(&by_branch).unwrap()
    );
    let env = by_stack["custom"]["amplify_rs"]["environment"]
        .as_str()
        .unwrap_or_default();
    assert!(env.starts_with("main"), "{by_stack}");
    let out = clone
        .command(&[
            "generate",
            "outputs",
            "--stack",
            "amplify-nothere-main-branch-0000000000",
        ])
        .env("AWS_ENDPOINT_URL", &production.url)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Gen 2's name for a branch of `APP_ID` (the hash pinned by the unit tests).
fn expected_stack(branch: &str) -> String {
    use sha2::{Digest, Sha512};
    let digest = Sha512::digest(format!("{APP_ID}{branch}").as_bytes());
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("amplify-{APP_ID}-{branch}-branch-{hash}")
}
