//! `amplify/backend/tags.json`: the stack tags, with Amplify's placeholders.

use serde::Deserialize;

use crate::cli::error::{CliError, Result};

#[derive(Deserialize)]
struct Tag {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Value")]
    value: String,
}

/// `tags.json` with `{project-name}`/`{project-env}` filled in, checked as Amplify does.
pub fn hydrate_tags(text: &str, project: &str, env: &str) -> Result<Vec<(String, String)>> {
    let entries: Vec<Tag> = serde_json::from_str(text).map_err(|e| {
        CliError::input(format!(
            "`amplify/backend/tags.json` line {}: {e}",
            e.line()
        ))
        .help("it is a list of {\"Key\": \"...\", \"Value\": \"...\"}; fix the file; nothing was deployed")
    })?;
    if entries.len() > 50 {
        return Err(CliError::input(
            "`amplify/backend/tags.json` has more than 50 tags",
        ));
    }
    let mut tags: Vec<(String, String)> = Vec::new();
    for t in entries {
        let v = t
            .value
            .replace("{project-name}", project)
            .replace("{project-env}", env);
        if t.key.len() > 128 || v.len() > 256 || tags.iter().any(|(x, _)| *x == t.key) {
            return Err(CliError::input(format!(
                "`amplify/backend/tags.json`: tag `{}` is too long or repeated",
                t.key
            )));
        }
        tags.push((t.key, v));
    }
    Ok(tags)
}
