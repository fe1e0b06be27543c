//! Stacks that a push would move to another parent (the root or a group stack). Synthesis
//! keeps every stack where it was (its placement is committed), so a move means that
//! placement was lost or edited; CloudFormation would create the stack anew under its
//! new parent and delete the old one, with what it holds (a user pool's accounts, a
//! table's items). Push refuses it.

use std::collections::BTreeMap;
use std::path::Path;

use amplify_build::plan::{Plan, GROUPS_FILE, PLAN_FILE};

use crate::cli::state::project::read_json;

/// A stack whose parent changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The stack's logical id.
    pub stack: String,
    /// Its deployed parent: `the root` or a group's logical id.
    pub from: String,
    /// The parent the plan gives it.
    pub to: String,
}

impl std::fmt::Display for Move {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` from {} to {}", self.stack, self.from, self.to)
    }
}

/// The moves from the plan last deployed (in `#current-cloud-backend` under `root`, the
/// folder holding `amplify/`) to `plan`; none when nothing was deployed.
pub fn moves(root: &Path, plan: &Plan) -> Vec<Move> {
    let deployed_copy = |file: &str| {
        root.join(file.replacen("amplify/backend/", "amplify/#current-cloud-backend/", 1))
    };
    if plan.root.groups.is_empty() && !deployed_copy(GROUPS_FILE).exists() {
        return Vec::new(); // every stack at the root, then and now
    }
    let rel = deployed_copy(PLAN_FILE);
    let Ok(Some(deployed)) = read_json::<Plan>(&rel) else {
        return Vec::new();
    };
    let (before, after) = (parents(&deployed), parents(plan));
    after
        .into_iter()
        .filter_map(|(stack, to)| {
            let from = before.get(&stack)?;
            (*from != to).then(|| Move {
                stack,
                from: from.clone(),
                to,
            })
        })
        .collect()
}

/// Each stack's parent in `plan`.
fn parents(plan: &Plan) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = plan
        .stacks
        .iter()
        .map(|s| (s.logical_id.clone(), "the root".to_owned()))
        .collect();
    for group in &plan.root.groups {
        for member in &group.members {
            out.insert(member.clone(), format!("`{}`", group.logical_id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(groups: serde_json::Value) -> Plan {
        let stacks: Vec<serde_json::Value> = ["storageA", "storageB"]
            .iter()
            .map(|id| {
                json!({
                    "category": "storage", "name": &id[7..], "service": "DynamoDB", "logicalId": id,
                    "folder": "f", "template": "t", "templateKey": "k", "outputs": [], "exportable": true
                })
            })
            .collect();
        serde_json::from_value(json!({
            "format": amplify_build::plan::PLAN_FORMAT, "projectName": "big", "inputs": [],
            "imported": [], "export": {"root": {}, "parameters": {}},
            "root": {"template": "root.json", "templateKey": "k", "parameters": [], "groups": groups},
            "stacks": stacks
        }))
        .unwrap()
    }

    #[test]
    fn a_stack_given_another_parent_is_a_move_and_nothing_deployed_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let flat = plan(json!([]));
        assert_eq!(moves(dir.path(), &flat), Vec::new(), "nothing deployed");
        let deployed = dir.path().join(PLAN_FILE.replacen(
            "amplify/backend/",
            "amplify/#current-cloud-backend/",
            1,
        ));
        std::fs::create_dir_all(deployed.parent().unwrap()).unwrap();
        std::fs::write(&deployed, serde_json::to_string(&flat).unwrap()).unwrap();
        assert_eq!(moves(dir.path(), &flat), Vec::new());
        let grouped = plan(
            json!([{"logicalId": "StackGroup1", "template": "g", "templateKey": "g",
            "members": ["storageB"]}]),
        );
        let found = moves(dir.path(), &grouped);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "`storageB` from the root to `StackGroup1`"
        );
    }
}
