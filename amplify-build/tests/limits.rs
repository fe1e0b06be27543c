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
fn a_root_stack_over_the_resource_quota_is_an_error_and_nothing_is_written() {
    let tables: String = (0..505)
        .map(|i| format!("    #[table(partition_key = id: string)]\n    pub struct T{i};\n"))
        .collect();
    let (dir, report) = synthesize(&tables);
    let problems = problems(&report);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("src/lib.rs:2:9: the root stack would have 509 resources; CloudFormation allows 500 per template"),
        "{problems:?}"
    );
    assert!(!dir.path().join("amplify").exists(), "nothing is written");
}

#[test]
fn a_root_stack_over_the_parameter_quota_is_an_error() {
    // Four root parameters of its own, one code key per function: 197 functions make 201.
    let functions: String = (0..197)
        .map(|i| {
            format!("    #[function(runtime = rust(package = \"f{i}\"))]\n    pub struct F{i};\n")
        })
        .collect();
    let (_dir, report) = synthesize(&functions);
    let problems = problems(&report);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("the root stack would have 201 parameters; CloudFormation allows 200 per template (the root takes one per function"),
        "{problems:?}"
    );
    // One fewer fits.
    let functions: String = (0..196)
        .map(|i| {
            format!("    #[function(runtime = rust(package = \"f{i}\"))]\n    pub struct F{i};\n")
        })
        .collect();
    let (_dir, report) = synthesize(&functions);
    assert_eq!(report.outcome, Outcome::Synthesized { resources: 196 });
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
