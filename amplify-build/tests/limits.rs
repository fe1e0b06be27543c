//! CloudFormation quotas are errors at build time, not discovered at deploy time.

use amplify_build::{Config, Outcome};

/// Synthesises a backend of `resources` (Rust declarations) in a new crate.
fn synthesize(resources: &str) -> (tempfile::TempDir, amplify_build::Report) {
    let dir = tempfile::tempdir().unwrap();
    let src = format!("#[amplify::backend]\npub mod backend {{\n{resources}}}\n");
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), src).unwrap();
    let report = Config::new()
        .project_name("big")
        .synthesize_in(dir.path())
        .unwrap();
    (dir, report)
}

fn problems(report: &amplify_build::Report) -> &[String] {
    match &report.outcome {
        Outcome::InvalidDeclaration(problems) => problems,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_root_stack_over_the_resource_quota_is_split_not_refused() {
    let tables: String = (0..505)
        .map(|i| format!("    #[table(partition_key = id: string)]\n    pub struct T{i};\n"))
        .collect();
    let (dir, report) = synthesize(&tables);
    assert_eq!(report.outcome, Outcome::Synthesized { resources: 505 });
    let plan: amplify_build::plan::Plan = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(amplify_build::plan::PLAN_FILE)).unwrap(),
    )
    .unwrap();
    assert!(
        !plan.root.groups.is_empty(),
        "the stacks past the root's room are grouped"
    );
}

/// `n` functions with `vars` declared environment variables each.
fn functions_with_variables(n: usize, vars: usize) -> String {
    (0..n)
        .map(|i| {
            let env: Vec<String> = (0..vars).map(|v| format!("VAR_{v} = \"value {i}.{v}\"")).collect();
            format!(
                "    #[function(runtime = rust(package = \"f{i}\"), env({}))]\n    pub struct F{i};\n",
                env.join(", ")
            )
        })
        .collect()
}

#[test]
fn per_environment_values_do_not_grow_the_root_stack() {
    // Each function has a code key and five overridable variables: 1,800 values that
    // differ per environment, none of them a root parameter.
    let (dir, report) = synthesize(&functions_with_variables(300, 5));
    assert_eq!(report.outcome, Outcome::Synthesized { resources: 300 });
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let root = std::fs::read_to_string(
        dir.path()
            .join("amplify/backend/awscloudformation/build/root-cloudformation-stack.json"),
    )
    .unwrap();
    let root: serde_json::Value = serde_json::from_str(&root).unwrap();
    let parameters: Vec<&String> = root["Parameters"].as_object().unwrap().keys().collect();
    assert_eq!(
        parameters,
        [
            "DeploymentBucketName",
            "AuthRoleName",
            "UnauthRoleName",
            "env"
        ]
    );
    // The declared values are the synthesised root's; push writes the environment's.
    let f299 = &root["Resources"]["functionF299"]["Properties"]["Parameters"];
    assert_eq!(f299["envVar4"], "value 299.4", "{f299}");
    assert!(
        f299.get("s3Key").is_none(),
        "push supplies the code key: {f299}"
    );
}

#[test]
fn a_nested_stack_over_the_parameter_quota_is_an_error() {
    // Every granted table is two parameters of the function's stack (name and ARN).
    let mut resources: String = (0..100)
        .map(|i| format!("    #[table(partition_key = id: string)]\n    pub struct T{i};\n"))
        .collect();
    let grants: Vec<String> = (0..100).map(|i| format!("T{i} = [read]")).collect();
    resources.push_str(&format!(
        "    #[function(runtime = rust(package = \"f\"), grant({}))]\n    pub struct Reader;\n",
        grants.join(", ")
    ));
    let (dir, report) = synthesize(&resources);
    let problems = problems(&report);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("the stack of `Reader` would have 2"),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("parameters; CloudFormation allows 200 per template, so the deploy would be refused: make `Reader` use fewer other resources"),
        "{problems:?}"
    );
    assert!(!dir.path().join("amplify").exists(), "nothing is written");
}

#[test]
fn a_small_backend_has_no_quota_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "#[amplify::backend]\nmod backend {\n    #[table(partition_key = id: string)]\n    pub struct T;\n}\n",
    )
    .unwrap();
    let report = Config::new()
        .project_name("small")
        .synthesize_in(dir.path())
        .unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}
