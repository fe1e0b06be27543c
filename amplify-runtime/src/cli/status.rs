//! `cargo amplify status`: Amplify's table, computed locally against the last pushed state.

use serde_json::json;

use super::aws::{self, AwsSettings};
use super::error::Result;
use super::plan::{self, Operation, Row};
use super::project::Project;
use super::state::Pending;

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
                "awscloudformation".to_owned(),
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

/// Runs `status`.
pub async fn status(
    project: &Project,
    settings: &AwsSettings,
    env: Option<&str>,
    as_json: bool,
) -> Result<()> {
    let env = project.resolve_env(env)?;
    // The env must exist (and its file parse) even though status itself is local.
    let provider = project.env_provider(&env)?;
    if let Some(pending) = Pending::read(project, &env)? {
        // Reconciling needs the stack's real state: the only case where status calls AWS.
        let aws = aws::connect(settings).await?;
        super::deploy::reconcile_pending(project, &env, &aws, &pending, &provider).await?;
    }
    let desired = plan::desired(project)?;
    let deployed = project.deployed_meta()?;
    let rows = plan::rows(&desired, &deployed);
    let root_changed = deployed
        .get("providers")
        .and_then(|p| p["awscloudformation"]["rootStackTemplateKey"].as_str())
        != Some(desired.root_key.as_str());
    let tags_changed = std::fs::read_to_string(project.current_cloud_backend().join("tags.json"))
        .ok()
        .as_deref()
        != Some(desired.tags.as_str());
    if as_json {
        let resources: Vec<_> = rows
            .iter()
            .map(|r| json!({ "category": r.category, "resourceName": r.name, "operation": r.operation.label(), "providerPlugin": "awscloudformation" }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "environment": env,
                "resources": resources,
                "rootStackChanged": root_changed,
                "tagsChanged": tags_changed,
            }))
            .expect("JSON")
        );
        return Ok(());
    }
    print!("{}", table(&env, &rows));
    if tags_changed && deployed.contains_key("providers") {
        println!("\nTag Changes Detected");
    }
    if root_changed
        && rows.iter().all(|r| r.operation == Operation::NoChange)
        && deployed.contains_key("providers")
    {
        println!("\nRoot stack changes detected");
    }
    let meta = project.meta()?;
    if let Some(api) = meta.get("api").and_then(|a| a.as_object()) {
        for entry in api.values() {
            if let Some(url) = entry["output"]["GraphQLAPIEndpointOutput"].as_str() {
                println!("\nGraphQL endpoint: {url}");
            }
            if let Some(key) = entry["output"]["GraphQLAPIKeyOutput"].as_str() {
                println!("GraphQL API KEY: {key}");
            }
        }
    }
    Ok(())
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
