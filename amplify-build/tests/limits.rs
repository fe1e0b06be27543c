//! CloudFormation quotas are reported at build time, not discovered at deploy time.

use amplify_build::{Config, Outcome};

#[test]
fn a_root_stack_over_the_resource_quota_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = String::from("#[amplify::backend]\npub mod backend {\n");
    for i in 0..505 {
        src.push_str(&format!(
            "    #[table(partition_key = id: string)]\n    pub struct T{i};\n"
        ));
    }
    src.push_str("}\n");
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), src).unwrap();
    let report = Config::new()
        .project_name("big")
        .synthesize_in(dir.path())
        .unwrap();
    assert_eq!(report.outcome, Outcome::Synthesized { resources: 505 });
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("the root stack has 509 resources")),
        "{:?}",
        report.warnings
    );
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
