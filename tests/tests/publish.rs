//! The three crates are ready to publish: crates.io's metadata is complete and within its
//! limits, and `cargo publish --workspace --dry-run` packages them in dependency order
//! (amplify-build, amplify-macros, amplify-runtime), every file they compile included.

use std::process::Command;

use amplify_tests::workspace_root;
use serde_json::Value;

const PUBLISHED: [&str; 3] = ["amplify-build", "amplify-macros", "amplify-runtime"];

fn cargo(args: &[&str]) -> std::process::Output {
    amplify_tests::without_test_package_env(&mut Command::new(env!("CARGO")))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .unwrap()
}

#[test]
fn published_crates_have_complete_metadata() {
    let out = cargo(&[
        "metadata",
        "--no-deps",
        "--format-version",
        "1",
        "--offline",
    ]);
    assert!(out.status.success());
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    for name in PUBLISHED {
        let package = packages
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in the workspace"));
        for key in [
            "description",
            "license",
            "repository",
            "readme",
            "documentation",
        ] {
            let value = package[key].as_str().unwrap_or_default();
            assert!(!value.is_empty(), "{name} has no `{key}`");
        }
        let keywords = package["keywords"].as_array().unwrap();
        assert!((1..=5).contains(&keywords.len()), "{name}: 1 to 5 keywords");
        for keyword in keywords {
            let keyword = keyword.as_str().unwrap();
            assert!(
                keyword.len() <= 20
                    && keyword
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{name}: crates.io refuses keyword `{keyword}`"
            );
        }
        assert!(!package["categories"].as_array().unwrap().is_empty());
        assert!(package["publish"].is_null(), "{name} is publishable");
        for dep in package["dependencies"].as_array().unwrap() {
            let is_dev = dep["kind"] == "dev";
            let versioned = dep["req"] != "*";
            assert!(
                is_dev || versioned,
                "{name} depends on {} without a version: crates.io needs one",
                dep["name"]
            );
        }
    }
}

#[test]
fn the_runtime_package_carries_the_emulator_launcher() {
    let out = cargo(&[
        "package",
        "--list",
        "-p",
        "amplify-runtime",
        "--allow-dirty",
        "--offline",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = String::from_utf8_lossy(&out.stdout);
    assert!(files.lines().any(|f| f == "emulator/ministack_launcher.py"));
    assert!(files.lines().any(|f| f == "README.md"));
}

#[test]
fn cargo_publish_dry_run_packages_all_three_in_order() {
    // The full dry run also compiles each packaged crate (about two minutes here); it is
    // run by hand before a release. Packaging alone checks the manifests, the order in
    // which crates.io must receive them, and the index.
    let out = cargo(&[
        "publish",
        "--workspace",
        "--dry-run",
        "--no-verify",
        "--locked",
        "--allow-dirty",
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let order: Vec<&str> = said
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Packaging "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(order, PUBLISHED, "{said}");
}
