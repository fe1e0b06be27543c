//! Backends past what one root template holds are split into group stacks, each within
//! every CloudFormation quota, and a stack keeps its place when the backend changes.

use std::collections::BTreeMap;
use std::path::Path;

use amplify_build::plan::{GroupPlan, Plan, PLAN_FILE, ROOT_TEMPLATE_FILE};
use amplify_build::{Config, Outcome};
use serde_json::Value;

/// `n` tables and `n` functions, each function granted the table before it.
fn tables_and_functions(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| {
            format!(
                "    #[table(partition_key = id: string)]\n    pub struct T{i};\n    #[function(runtime = rust(package = \"f{i}\"), grant(T{i} = [read, write]))]\n    pub struct F{i};\n"
            )
        })
        .collect()
}

fn synthesize(dir: &Path, resources: &str) -> amplify_build::Report {
    let src = format!("#[amplify::backend]\npub mod backend {{\n{resources}}}\n");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), src).unwrap();
    Config::new()
        .project_name("big")
        .synthesize_in(dir)
        .unwrap()
}

fn json(dir: &Path, rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap()
}

/// Each nested stack's parent: the root, or its group.
fn parents(dir: &Path) -> BTreeMap<String, String> {
    let plan: Plan = serde_json::from_value(json(dir, PLAN_FILE)).unwrap();
    let mut out: BTreeMap<String, String> = plan
        .stacks
        .iter()
        .map(|s| (s.logical_id.clone(), "root".to_owned()))
        .collect();
    for g in &plan.root.groups {
        for m in &g.members {
            out.insert(m.clone(), g.logical_id.clone());
        }
    }
    out
}

fn count(template: &Value, section: &str) -> usize {
    template[section].as_object().map_or(0, |o| o.len())
}

#[test]
fn two_thousand_resources_are_split_into_groups_within_every_quota() {
    let dir = tempfile::tempdir().unwrap();
    let report = synthesize(dir.path(), &tables_and_functions(0, 1000));
    assert_eq!(report.outcome, Outcome::Synthesized { resources: 2000 });
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let plan: Plan = serde_json::from_value(json(dir.path(), PLAN_FILE)).unwrap();
    assert!(!plan.root.groups.is_empty());
    let root_text = std::fs::read_to_string(dir.path().join(ROOT_TEMPLATE_FILE)).unwrap();
    let root: Value = serde_json::from_str(&root_text).unwrap();
    assert!(
        count(&root, "Resources") <= 500,
        "{}",
        count(&root, "Resources")
    );
    assert!(root_text.len() <= 1_000_000);
    assert_eq!(
        count(&root, "Parameters"),
        4,
        "the provider's own, whatever the size"
    );
    let mut placed = 0;
    for group in &plan.root.groups {
        let text = std::fs::read_to_string(dir.path().join(&group.template)).unwrap();
        let t: Value = serde_json::from_str(&text).unwrap();
        assert!(count(&t, "Resources") <= 500, "{}", group.logical_id);
        assert!(
            count(&t, "Parameters") <= 200,
            "{}: {}",
            group.logical_id,
            count(&t, "Parameters")
        );
        assert!(count(&t, "Outputs") <= 200, "{}", group.logical_id);
        assert!(text.len() <= 1_000_000);
        for m in &group.members {
            assert!(t["Resources"][m].is_object(), "{m} in {}", group.logical_id);
            assert!(root["Resources"].get(m).is_none(), "{m} is in one place");
        }
        // The root passes every group parameter that push does not.
        let passed = &root["Resources"][&group.logical_id]["Properties"]["Parameters"];
        for (name, declared) in t["Parameters"].as_object().unwrap() {
            let pushed = plan.stacks.iter().any(|s| {
                s.inputs
                    .iter()
                    .any(|i| GroupPlan::input_parameter(&s.logical_id, &i.parameter) == *name)
            });
            assert!(
                passed.get(name).is_some() || pushed || declared.get("Default").is_some(),
                "{}: {name} has no value",
                group.logical_id
            );
        }
        placed += group.members.len();
    }
    let at_root = plan
        .stacks
        .iter()
        .filter(|s| root["Resources"].get(&s.logical_id).is_some())
        .count();
    assert_eq!(at_root + placed, 2000, "every stack has one parent");
}

#[test]
fn a_stack_keeps_its_parent_when_the_backend_changes() {
    let dir = tempfile::tempdir().unwrap();
    let first = tables_and_functions(0, 600);
    assert!(matches!(
        synthesize(dir.path(), &first).outcome,
        Outcome::Synthesized { .. }
    ));
    let before = parents(dir.path());
    // New resources declared first, and one removed: no other stack moves.
    let grown = format!("{}{}", tables_and_functions(1000, 30), first.replacen(
        "    #[table(partition_key = id: string)]\n    pub struct T5;\n    #[function(runtime = rust(package = \"f5\"), grant(T5 = [read, write]))]\n    pub struct F5;\n",
        "",
        1,
    ));
    assert!(matches!(
        synthesize(dir.path(), &grown).outcome,
        Outcome::Synthesized { .. }
    ));
    let after = parents(dir.path());
    for (stack, parent) in &before {
        if stack.ends_with("T5") || stack.ends_with("F5") {
            assert!(!after.contains_key(stack), "{stack} was removed");
            continue;
        }
        assert_eq!(after.get(stack), Some(parent), "{stack} moved");
    }
    assert_eq!(after.len(), before.len() + 60 - 2);
}

#[test]
fn a_flat_backend_that_grows_past_the_quota_keeps_its_root_stacks_there() {
    let dir = tempfile::tempdir().unwrap();
    let tables = |from: usize, n: usize| -> String {
        (from..from + n)
            .map(|i| format!("    #[table(partition_key = id: string)]\n    pub struct T{i};\n"))
            .collect()
    };
    assert!(matches!(
        synthesize(dir.path(), &tables(0, 480)).outcome,
        Outcome::Synthesized { .. }
    ));
    let plan: Plan = serde_json::from_value(json(dir.path(), PLAN_FILE)).unwrap();
    assert!(
        plan.root.groups.is_empty(),
        "a backend that fits stays flat"
    );
    assert!(matches!(
        synthesize(dir.path(), &tables(0, 520)).outcome,
        Outcome::Synthesized { .. }
    ));
    let after = parents(dir.path());
    for i in 0..480 {
        assert_eq!(after[&format!("storageT{i}")], "root", "T{i} stays");
    }
    for i in 480..520 {
        assert_ne!(after[&format!("storageT{i}")], "root", "T{i} is grouped");
    }
}

#[test]
fn a_fresh_clone_places_every_stack_where_it_was_deployed() {
    let dir = tempfile::tempdir().unwrap();
    let tables = |n: usize| -> String {
        (0..n)
            .map(|i| format!("    #[table(partition_key = id: string)]\n    pub struct T{i};\n"))
            .collect()
    };
    // Grown past the quota after a flat deploy: 480 stacks stay at the root.
    synthesize(dir.path(), &tables(480));
    synthesize(dir.path(), &tables(520));
    let deployed = parents(dir.path());
    assert!(dir
        .path()
        .join("amplify/backend/awscloudformation/stack-groups.json")
        .is_file());
    // A clone has no `build/` (git-ignored): only the committed files say where stacks are.
    std::fs::remove_dir_all(dir.path().join("amplify/backend/awscloudformation/build")).unwrap();
    synthesize(dir.path(), &tables(521));
    let after = parents(dir.path());
    for (stack, parent) in &deployed {
        assert_eq!(after.get(stack), Some(parent), "{stack} moved");
    }
}
