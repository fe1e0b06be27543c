//! What the plan wants against what was last deployed (`#current-cloud-backend`),
//! compared on env-independent content hashes: no false "Update" after an env checkout,
//! a rebuild or a touched file. Also renders Amplify's status table.

use std::collections::BTreeMap;

use amplify_build::plan::{Asset, Plan, PROVIDER};
use sha2::{Digest, Sha256};

use crate::cli::deploy::amplify_cli;
use crate::cli::deploy::assets::{self, hex, Packages};
use crate::cli::deploy::inputs;
use crate::cli::error::Result;
use crate::cli::state::project::{files_under, Project};
use crate::cli::state::{AmplifyMeta, EnvParameters};

/// A status row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// What a push would do.
    pub operation: Operation,
}

/// What a push does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// Not deployed yet.
    Create,
    /// Deployed with different content.
    Update,
    /// Deployed but no longer declared.
    Delete,
    /// Deployed as declared.
    NoChange,
}

impl Operation {
    /// Amplify's wording.
    pub fn label(self) -> &'static str {
        match self {
            Operation::Create => "Create",
            Operation::Update => "Update",
            Operation::Delete => "Delete",
            Operation::NoChange => "No Change",
        }
    }
}

/// Whether the rows say a push updates `stack` (deployed with other content).
pub fn updates(rows: &[Row], stack: &amplify_build::plan::StackPlan) -> bool {
    rows.iter().any(|r| {
        r.category == stack.category && r.name == stack.name && r.operation == Operation::Update
    })
}

/// Content hash of each stack's inputs (its folder and, for code, the code's sources),
/// by logical id.
pub fn fingerprints(
    project: &Project,
    plan: &Plan,
    kept: &EnvParameters,
) -> Result<BTreeMap<String, String>> {
    let mut packages: Option<Packages> = None;
    let mut out = BTreeMap::new();
    for stack in &plan.stacks {
        let dir = project.root.join(&stack.folder);
        let mut hasher = Sha256::new();
        for rel in files_under(&dir) {
            if amplify_cli::written_by_push(&dir, &rel) {
                continue;
            }
            hasher.update(rel.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(dir.join(&rel)).unwrap_or_default());
        }
        for asset in &stack.assets {
            if let Asset::FunctionCode { .. } = asset {
                hasher.update(assets::source_fingerprint(
                    &project.root,
                    &stack.name,
                    asset,
                    &mut packages,
                )?);
            }
        }
        // The environment's overrides of declared values are part of what is deployed.
        let overrides = inputs::resource_overrides(plan, kept, &stack.logical_id);
        if !overrides.is_empty() {
            hasher.update(overrides.as_bytes());
        }
        out.insert(stack.logical_id.clone(), hex(&hasher.finalize()[..8]));
    }
    Ok(out)
}

/// Compares the plan with the last deployed state.
pub fn rows(
    plan: &Plan,
    fingerprints: &BTreeMap<String, String>,
    deployed: &AmplifyMeta,
) -> Vec<Row> {
    let mut rows: Vec<Row> = plan
        .stacks
        .iter()
        .map(|s| {
            let operation = match deployed.get(&s.category, &s.name) {
                None => Operation::Create,
                Some(entry) if entry.last_push_time_stamp.is_none() => Operation::Create,
                Some(entry)
                    if entry.last_push_dir_hash.as_ref() != fingerprints.get(&s.logical_id) =>
                {
                    Operation::Update
                }
                Some(_) => Operation::NoChange,
            };
            Row {
                category: s.category.clone(),
                name: s.name.clone(),
                operation,
            }
        })
        .collect();
    for (category, name, entry) in deployed.resources() {
        if entry.entry.is_imported() {
            continue;
        }
        if !plan
            .stacks
            .iter()
            .any(|s| s.category == category && s.name == name)
        {
            rows.push(Row {
                category: category.to_owned(),
                name: name.to_owned(),
                operation: Operation::Delete,
            });
        }
    }
    rows.sort_by_key(|r| r.operation);
    rows
}

/// Renders Amplify's status table.
pub fn table(env: &str, rows: &[Row]) -> String {
    let header = ["Category", "Resource name", "Operation", "Provider plugin"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                capitalise(&r.category),
                r.name.clone(),
                r.operation.label().to_owned(),
                PROVIDER.to_owned(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{l}{}{r}\n", parts.join(m))
    };
    let row = |values: [&str; 4]| {
        let parts: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!(" {v:<w$} "))
            .collect();
        format!("│{}│\n", parts.join("│"))
    };
    let mut out = format!("\n    Current Environment: {env}\n\n");
    out.push_str(&line("┌", "┬", "┐"));
    out.push_str(&row(header));
    out.push_str(&line("├", "┼", "┤"));
    for c in &cells {
        out.push_str(&row([&c[0], &c[1], &c[2], &c[3]]));
    }
    out.push_str(&line("└", "┴", "┘"));
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_amplify_columns() {
        let rows = vec![
            Row {
                category: "auth".into(),
                name: "BlogAuth".into(),
                operation: Operation::Create,
            },
            Row {
                category: "function".into(),
                name: "PostsFn".into(),
                operation: Operation::NoChange,
            },
        ];
        let t = table("dev", &rows);
        assert!(t.contains("Current Environment: dev"));
        assert!(
            t.contains("│ Category │ Resource name │ Operation │ Provider plugin   │"),
            "{t}"
        );
        assert!(
            t.contains("│ Auth     │ BlogAuth      │ Create    │ awscloudformation │"),
            "{t}"
        );
        assert!(
            t.contains("│ Function │ PostsFn       │ No Change │ awscloudformation │"),
            "{t}"
        );
    }
}
