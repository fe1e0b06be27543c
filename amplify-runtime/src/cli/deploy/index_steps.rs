//! Index changes DynamoDB cannot make in one table update, deployed in steps. A push that
//! adds or removes several global secondary indexes on one table deploys intermediate
//! versions of the table's template first, each one index further along (removals
//! first), then the plan itself — Amplify's iterative deployment. Each step is a whole
//! deployment under its own content-addressed keys, so a push stopped between steps
//! (a failure, Ctrl-C) is resumed by the next one: the steps already applied deploy
//! again as no-ops, and local state records only the last.

use std::collections::BTreeMap;
use std::path::Path;

use amplify_build::plan::{content_hash, Asset, Plan};
use serde_json::Value;

use super::table_changes::IndexChange;
use super::Overrides;
use crate::cli::error::{CliError, Result};

/// One intermediate deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Why the push deploys in steps, for the summary.
    pub reason: &'static str,
    /// What it applies, one line per table: "table `NoteTable` of api Notes adds `byStars`".
    pub applies: Vec<String>,
    /// Templates in place of the synthesised ones, by path relative to the folder holding
    /// `amplify/`.
    pub contents: BTreeMap<String, Vec<u8>>,
}

/// The deployments that come before the plan's own: step `k` takes each table `k`
/// changes along (or to its end). Empty when no table changes more than one index.
pub fn plan(root: &Path, changes: &[IndexChange]) -> Result<Vec<Step>> {
    let total = changes.iter().map(IndexChange::count).max().unwrap_or(0);
    let mut steps = Vec::new();
    for k in 1..total {
        let mut templates: BTreeMap<String, Value> = BTreeMap::new();
        let mut applies = Vec::new();
        for change in changes {
            let names: Vec<String> = change.steps().collect();
            if let Some(name) = names.get(k - 1) {
                applies.push(format!(
                    "table `{}` of {} {name}",
                    change.table, change.resource
                ));
            }
            if k >= change.count() {
                continue; // at its end: the synthesised template has it
            }
            if !templates.contains_key(&change.template) {
                let synthesised = read_template(&root.join(&change.template))?;
                templates.insert(change.template.clone(), synthesised);
            }
            let deployed = read_template(&change.deployed)?;
            let template = templates.get_mut(&change.template).expect("inserted above");
            indexes_after(template, &deployed, change, k)
                .map_err(|what| CliError::input(format!("{}: {what}", change.template)))?;
        }
        let contents = templates
            .into_iter()
            .map(|(path, template)| {
                let mut text = serde_json::to_vec_pretty(&template).expect("JSON");
                text.push(b'\n');
                (path, text)
            })
            .collect();
        steps.push(Step {
            reason: "DynamoDB creates or deletes one index per table update",
            applies,
            contents,
        });
    }
    Ok(steps)
}

/// What `steps` (before the plan's own deployment) do, for `status` and `push`.
pub fn describe(steps: &[Step]) -> String {
    let total = steps.len() + 1;
    let mut reasons: Vec<&str> = steps.iter().map(|s| s.reason).collect();
    reasons.dedup();
    let mut text = format!(
        "{}: this push deploys in {total} steps.",
        reasons.join("; ")
    );
    for (i, step) in steps.iter().enumerate() {
        text.push_str(&format!("\n  {}. {}", i + 1, step.applies.join("; ")));
    }
    text.push_str(&format!("\n  {total}. the rest of the push"));
    if steps.iter().any(|s| s.reason.starts_with("DynamoDB")) {
        text.push_str(", with each table's last index change");
    }
    text
}

fn read_template(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::input(format!("`{}` is not a template: {e}", path.display()))
            .help("run `cargo build` to synthesise it again")
    })
}

/// Sets the table's indexes in `template` (the synthesised one) to the deployed ones with
/// the first `applied` changes of `change` made, and its attribute definitions to those
/// the keys then use.
fn indexes_after(
    template: &mut Value,
    deployed: &Value,
    change: &IndexChange,
    applied: usize,
) -> std::result::Result<(), String> {
    let properties = |t: &Value| t["Resources"][&change.table]["Properties"].clone();
    let (old, new) = (properties(deployed), properties(template));
    let removed = &change.removed[..applied.min(change.removed.len())];
    let added = &change.added[..applied.saturating_sub(change.removed.len())];
    let named =
        |props: &Value, name: &str| indexes(props).into_iter().find(|i| i["IndexName"] == name);
    let mut kept: Vec<Value> = indexes(&old)
        .into_iter()
        .filter(|i| !removed.iter().any(|r| i["IndexName"] == r.as_str()))
        .collect();
    for name in added {
        kept.push(
            named(&new, name).ok_or_else(|| format!("no index `{name}` on `{}`", change.table))?,
        );
    }
    let used: Vec<Value> = std::iter::once(&new["KeySchema"])
        .chain(kept.iter().map(|i| &i["KeySchema"]))
        .filter_map(Value::as_array)
        .flatten()
        .map(|k| k["AttributeName"].clone())
        .collect();
    let mut definitions: Vec<Value> = Vec::new();
    for definition in attribute_definitions(&new).chain(attribute_definitions(&old)) {
        let name = &definition["AttributeName"];
        if used.contains(name) && !definitions.iter().any(|d| d["AttributeName"] == *name) {
            definitions.push(definition.clone());
        }
    }
    let table = template["Resources"][&change.table]["Properties"]
        .as_object_mut()
        .ok_or_else(|| format!("no table `{}`", change.table))?;
    if kept.is_empty() {
        table.remove("GlobalSecondaryIndexes");
    } else {
        table.insert("GlobalSecondaryIndexes".into(), Value::Array(kept));
    }
    table.insert("AttributeDefinitions".into(), Value::Array(definitions));
    Ok(())
}

fn indexes(properties: &Value) -> Vec<Value> {
    properties["GlobalSecondaryIndexes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn attribute_definitions(properties: &Value) -> impl Iterator<Item = &Value> {
    properties["AttributeDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
}

/// The plan step `number` deploys, and the files and keys it deploys in place of the
/// synthesised ones: a changed template gets its own key, a changed file of a stack's
/// files (a model's stack among an API's) moves the whole folder to its own prefix; the
/// root template refers to both, or the group template holding the stack, which then
/// gets its own key too. Its root key is marked, so that an interrupted step is never
/// recorded as the push itself. `read` gives a synthesised file's bytes.
pub fn stage(
    plan: &Plan,
    step: &Step,
    number: usize,
    read: &dyn Fn(&str) -> Result<Vec<u8>>,
) -> Result<(Plan, Overrides)> {
    let mut staged = plan.clone();
    let mut rewrites = Vec::new();
    let tag = |contents: &[&[u8]]| {
        let joined: Vec<u8> = contents.concat();
        format!("step{number}-{}", content_hash(&joined))
    };
    for stack in &mut staged.stacks {
        if let Some(text) = step.contents.get(&stack.template) {
            let old = stack.template_key.clone();
            let stem = old.strip_suffix(".json").unwrap_or(&old);
            stack.template_key = format!("{stem}-{}.json", tag(&[text]));
            rewrites.push((old, stack.template_key.clone()));
        }
        for asset in &mut stack.assets {
            let Asset::Files { prefix, files, .. } = asset else {
                continue;
            };
            let changed: Vec<&[u8]> = files
                .iter()
                .filter_map(|f| step.contents.get(&f.path).map(Vec::as_slice))
                .collect();
            if !changed.is_empty() {
                let old = prefix.clone();
                *prefix = format!("{old}-{}", tag(&changed));
                rewrites.push((old, prefix.clone()));
            }
        }
    }
    let mut contents = step.contents.clone();
    // A grouped stack's key is in its group's template: that template changes too.
    for group in &mut staged.root.groups {
        let synthesised = String::from_utf8_lossy(&read(&group.template)?).into_owned();
        let mut text = synthesised.clone();
        for (from, to) in &rewrites {
            text = text.replace(from.as_str(), to);
        }
        if text != synthesised {
            let old = group.template_key.clone();
            let stem = old.strip_suffix(".json").unwrap_or(&old);
            group.template_key = format!("{stem}-{}.json", tag(&[text.as_bytes()]));
            rewrites.push((old, group.template_key.clone()));
            contents.insert(group.template.clone(), text.into_bytes());
        }
    }
    staged.root.template_key = format!("{}#step{number}", plan.root.template_key);
    Ok((staged, Overrides { contents, rewrites }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gsi(name: &str, key: &str) -> Value {
        json!({"IndexName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}})
    }

    fn template(indexes: &[(&str, &str)]) -> Value {
        let mut definitions = vec![json!({"AttributeName": "id", "AttributeType": "S"})];
        definitions.extend(
            indexes
                .iter()
                .map(|(_, key)| json!({"AttributeName": key, "AttributeType": "S"})),
        );
        json!({"Resources": {"NoteTable": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": definitions,
            "GlobalSecondaryIndexes": indexes.iter().map(|(n, k)| gsi(n, k)).collect::<Vec<_>>(),
        }}}})
    }

    #[test]
    fn each_step_is_one_index_further_removals_first_with_the_attributes_its_keys_use() {
        let dir = tempfile::tempdir().unwrap();
        let (new_rel, old_rel) = ("new.json", "old.json");
        let write =
            |rel: &str, t: Value| std::fs::write(dir.path().join(rel), t.to_string()).unwrap();
        write(old_rel, template(&[("byOld", "old")]));
        write(new_rel, template(&[("byA", "a"), ("byB", "b")]));
        let change = IndexChange {
            resource: "api Notes".into(),
            table: "NoteTable".into(),
            template: new_rel.into(),
            deployed: dir.path().join(old_rel),
            removed: vec!["byOld".into()],
            added: vec!["byA".into(), "byB".into()],
        };
        let steps = plan(dir.path(), std::slice::from_ref(&change)).unwrap();
        assert_eq!(steps.len(), 2, "three changes: two steps, then the plan");
        assert_eq!(
            steps[0].applies,
            ["table `NoteTable` of api Notes removes `byOld`"]
        );
        let props = |step: &Step| {
            let t: Value = serde_json::from_slice(&step.contents[new_rel]).unwrap();
            t["Resources"]["NoteTable"]["Properties"].clone()
        };
        let first = props(&steps[0]);
        assert!(first.get("GlobalSecondaryIndexes").is_none(), "{first}");
        assert_eq!(
            first["AttributeDefinitions"],
            json!([{"AttributeName": "id", "AttributeType": "S"}])
        );
        let second = props(&steps[1]);
        assert_eq!(second["GlobalSecondaryIndexes"], json!([gsi("byA", "a")]));
        assert_eq!(
            second["AttributeDefinitions"],
            json!([{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "a", "AttributeType": "S"}])
        );
    }

    #[test]
    fn a_staged_plan_moves_what_changed_to_keys_of_its_own() {
        let plan: Plan = serde_json::from_value(json!({
            "format": amplify_build::plan::PLAN_FORMAT,
            "projectName": "notes",
            "inputs": [],
            "imported": [],
            "export": {"root": {}, "parameters": {}},
            "root": {"template": "root.json", "templateKey": "amplify-cfn-templates/root-1.json", "parameters": []},
            "stacks": [{
                "category": "api", "name": "Notes", "service": "AppSync", "logicalId": "apiNotes",
                "folder": "amplify/backend/api/Notes", "outputs": [], "exportable": true,
                "template": "amplify/backend/api/Notes/build/cloudformation-template.json",
                "templateKey": "amplify-cfn-templates/api/Notes/cloudformation-template-abc.json",
                "assets": [{"kind": "files", "prefix": "amplify-appsync-files/123", "exportFolder": "x",
                    "files": [{"key": "stacks/Note.json", "path": "amplify/backend/api/Notes/build/stacks/Note.json"}]}]
            }]
        }))
        .unwrap_or_else(|e| panic!("a minimal plan: {e}"));
        let step = Step {
            reason: "test",
            applies: vec![],
            contents: BTreeMap::from([(
                "amplify/backend/api/Notes/build/stacks/Note.json".to_owned(),
                b"{}".to_vec(),
            )]),
        };
        let (staged, overrides) = stage(&plan, &step, 1, &|_| unreachable!("no groups")).unwrap();
        let Asset::Files { prefix, .. } = &staged.stacks[0].assets[0] else {
            panic!("files")
        };
        assert!(
            prefix.starts_with("amplify-appsync-files/123-step1-"),
            "{prefix}"
        );
        assert_eq!(
            overrides.rewrites,
            [("amplify-appsync-files/123".to_owned(), prefix.clone())]
        );
        assert_eq!(
            staged.stacks[0].template_key, plan.stacks[0].template_key,
            "the API's own template did not change"
        );
        assert_ne!(staged.root.template_key, plan.root.template_key);
    }

    #[test]
    fn a_grouped_stack_moves_its_group_to_a_key_of_its_own() {
        let template = "amplify/backend/storage/Notes/build/cloudformation-template.json";
        let key = "amplify-cfn-templates/storage/Notes/t-abc.json";
        let plan: Plan = serde_json::from_value(json!({
            "format": amplify_build::plan::PLAN_FORMAT,
            "projectName": "notes", "inputs": [], "imported": [],
            "export": {"root": {}, "parameters": {}},
            "root": {"template": "root.json", "templateKey": "amplify-cfn-templates/root-1.json", "parameters": [],
                "groups": [{"logicalId": "StackGroup1", "template": "groups/StackGroup1.json",
                    "templateKey": "amplify-cfn-templates/groups/StackGroup1-1.json", "members": ["storageNotes"]}]},
            "stacks": [{"category": "storage", "name": "Notes", "service": "DynamoDB", "logicalId": "storageNotes",
                "folder": "amplify/backend/storage/Notes", "outputs": [], "exportable": true,
                "template": template, "templateKey": key}]
        }))
        .unwrap();
        let step = Step {
            reason: "test",
            applies: vec![],
            contents: BTreeMap::from([(template.to_owned(), b"{}".to_vec())]),
        };
        let group_text = format!("{{\"TemplateURL\": \"https://s3/{key}\"}}");
        let read = |rel: &str| -> Result<Vec<u8>> {
            assert_eq!(rel, "groups/StackGroup1.json");
            Ok(group_text.clone().into_bytes())
        };
        let (staged, overrides) = stage(&plan, &step, 2, &read).unwrap();
        let member_key = &staged.stacks[0].template_key;
        assert!(member_key.contains("-step2-"), "{member_key}");
        let group = &staged.root.groups[0];
        assert!(
            group.template_key.contains("-step2-"),
            "{}",
            group.template_key
        );
        let written =
            String::from_utf8(overrides.contents["groups/StackGroup1.json"].clone()).unwrap();
        assert!(written.contains(member_key.as_str()), "{written}");
        assert!(overrides.rewrites.contains(&(
            "amplify-cfn-templates/groups/StackGroup1-1.json".to_owned(),
            group.template_key.clone()
        )));
    }
}
