//! The synthesised templates of every fixture and of the examples (one with a
//! third-party category) pass the real checkers:
//! cfn-lint with zero errors and zero warnings, and checkov with zero failures. On top,
//! structural checks for what checkov does not look at (S3 bucket policies).

use std::path::PathBuf;
use std::process::Command;

use amplify_build::Config;
use amplify_tests::{
    cfn_lint, collect_templates, copy_tree, fixtures_dir, python_tool, workspace_root,
};
use serde_json::Value;

/// Synthesises every fixture and the example; returns the temp dirs and template paths.
fn synthesize_all() -> (Vec<tempfile::TempDir>, Vec<PathBuf>) {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sources.sort();
    sources.push(workspace_root().join("examples/blog"));
    sources.push(workspace_root().join("examples/jobs"));
    sources.push(workspace_root().join("examples/storefront"));
    let mut dirs = Vec::new();
    let mut templates = Vec::new();
    for src in sources {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&src, dir.path());
        let report = Config::new()
            .project_name("checked")
            .category(amplify_category_queue::Queue)
            .category(amplify_category_seed::SeededTable)
            .synthesize_in(dir.path())
            .unwrap();
        assert!(
            matches!(report.outcome, amplify_build::Outcome::Synthesized { .. }),
            "{}: {:?}",
            src.display(),
            report.outcome
        );
        collect_templates(&dir.path().join("amplify/backend"), &mut templates);
        dirs.push(dir);
    }
    assert!(
        templates.len() >= 20,
        "expected the templates of every fixture, found {}",
        templates.len()
    );
    (dirs, templates)
}

#[test]
fn cfn_lint_reports_nothing() {
    let (_dirs, templates) = synthesize_all();
    let findings = cfn_lint(&templates);
    let shown: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f["Filename"], f["Location"]["Start"]["LineNumber"], f["Rule"]["Id"], f["Message"]
            )
        })
        .collect();
    assert!(
        findings.is_empty(),
        "cfn-lint findings:\n{}",
        shown.join("\n")
    );
}

#[test]
fn checkov_finds_no_failures_and_the_security_checks_pass() {
    let (_dirs, templates) = synthesize_all();
    let mut cmd = Command::new(python_tool("checkov"));
    for t in &templates {
        cmd.arg("-f").arg(t);
    }
    let out = cmd
        .args([
            "--framework",
            "cloudformation",
            "-o",
            "json",
            "--skip-download",
        ])
        // Offline: no update check, no guideline download.
        .env("CKV_SKIP_PACKAGE_UPDATE_CHECK", "true")
        .env("BC_SKIP_MAPPING", "TRUE")
        .env("CKV_PARSE_ERROR_FAIL", "true")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let summary = &report["summary"];
    let failed: Vec<String> = report["results"]["failed_checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    format!(
                        "{} {} {} {}",
                        c["check_id"], c["check_name"], c["file_path"], c["resource"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        summary["failed"],
        0,
        "checkov failures:\n{}",
        failed.join("\n")
    );
    assert_eq!(summary["parsing_errors"], 0);

    let passed: Vec<&str> = report["results"]["passed_checks"]
        .as_array()
        .expect("passed checks")
        .iter()
        .filter_map(|c| c["check_id"].as_str())
        .collect();
    // Public access block (4), encryption at rest, and IAM wildcard checks must have run and passed.
    for id in [
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "CKV_AWS_19",
        "CKV_AWS_62",
        "CKV_AWS_63",
        "CKV_AWS_107",
        "CKV_AWS_108",
        "CKV_AWS_109",
        "CKV_AWS_110",
        "CKV_AWS_111",
        "CKV_AWS_119",
        "CKV_AWS_28",
    ] {
        assert!(passed.contains(&id), "{id} did not pass on any resource");
    }
    // Every skip carries a documented reason.
    for skipped in report["results"]["skipped_checks"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let comment = skipped["check_result"]["suppress_comment"]
            .as_str()
            .unwrap_or_default();
        assert!(comment.len() > 20, "undocumented skip: {skipped}");
    }
}

#[test]
fn every_bucket_denies_insecure_transport_and_policies_name_their_actions() {
    let (_dirs, templates) = synthesize_all();
    for path in templates {
        let t: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let resources = t["Resources"].as_object().unwrap();
        for (id, r) in resources {
            if r["Type"] == "AWS::S3::Bucket" {
                let bucket_ref = |v: &Value| {
                    v == &serde_json::json!({"Ref": id}) || r["Properties"]["BucketName"] == *v
                };
                let denies_http = resources.values().any(|p| {
                    p["Type"] == "AWS::S3::BucketPolicy"
                        && bucket_ref(&p["Properties"]["Bucket"])
                        && p["Properties"]["PolicyDocument"]["Statement"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|s| {
                                s["Effect"] == "Deny"
                                    && s["Condition"]["Bool"]["aws:SecureTransport"] == "false"
                            })
                });
                assert!(
                    denies_http,
                    "{}: bucket {id} has no deny-non-TLS policy",
                    path.display()
                );
            }
            for statement in statements(r) {
                let actions = as_list(&statement["Action"]);
                assert!(
                    actions
                        .iter()
                        .all(|a| a != "*" && !a.ends_with(":*") || statement["Effect"] == "Deny"),
                    "{}: {id} allows a wildcard action: {statement}",
                    path.display()
                );
                if statement["Effect"] == "Allow"
                    && as_list(&statement["Resource"]).iter().any(|r| r == "*")
                {
                    // Only where AWS has no resource ARN to name.
                    assert!(
                        actions
                            .iter()
                            .all(|a| a == "sns:Publish" || a.starts_with("xray:")),
                        "{}: {id} uses Resource '*' for {actions:?}",
                        path.display()
                    );
                }
            }
        }
    }
}

fn as_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Policy statements in inline policies, managed policies and policy resources.
fn statements(resource: &Value) -> Vec<Value> {
    let props = &resource["Properties"];
    let mut docs = vec![props["PolicyDocument"].clone()];
    for p in props["Policies"].as_array().into_iter().flatten() {
        docs.push(p["PolicyDocument"].clone());
    }
    docs.iter()
        .filter_map(|d| d["Statement"].as_array())
        .flatten()
        .filter(|s| !s["Action"].is_null())
        .cloned()
        .collect()
}

#[test]
fn identity_pools_allow_guests_only_when_declared() {
    for (fixture, expected) in [
        ("auth_full", false),
        ("storage_options", true),
        ("function_grants", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures_dir().join(fixture), dir.path());
        let report = Config::new()
            .project_name("checked")
            .category(amplify_category_queue::Queue)
            .category(amplify_category_seed::SeededTable)
            .synthesize_in(dir.path())
            .unwrap();
        assert!(
            matches!(report.outcome, amplify_build::Outcome::Synthesized { .. }),
            "{fixture}: {:?}",
            report.outcome
        );
        let auth_dir = std::fs::read_dir(dir.path().join("amplify/backend/auth"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let mut templates = Vec::new();
        collect_templates(&auth_dir, &mut templates);
        let t: Value =
            serde_json::from_str(&std::fs::read_to_string(&templates[0]).unwrap()).unwrap();
        assert_eq!(
            t["Resources"]["IdentityPool"]["Properties"]["AllowUnauthenticatedIdentities"],
            expected,
            "{fixture}"
        );
    }
}
