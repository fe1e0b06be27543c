//! The per-environment values of the plan's stack inputs ([`EnvInput`]): what push
//! supplies for each ([`InputValue`], written into the environment's root template),
//! and how they are kept in `team-provider-info.json` (Amplify's
//! `categories.<category>.<resource>.<parameter>`).

use amplify_build::plan::{
    content_hash, EnvInput, InputValue, Plan, RootSecret, StackPlan, API_KEY_DAYS,
};

use crate::cli::error::{CliError, Result};
use indexmap::IndexMap;

use crate::cli::state::{pushed_value, EnvParameters, ParameterValue};

/// The stored values of one resource.
fn stored<'a>(
    kept: &'a EnvParameters,
    category: &str,
    name: &str,
) -> Option<&'a IndexMap<String, ParameterValue>> {
    kept.get(category)?.get(name)
}

/// The key under which an asset was last uploaded in this environment, if any.
pub fn previous_asset_key<'a>(
    kept: &'a EnvParameters,
    category: &str,
    name: &str,
    parameter: &str,
) -> Option<&'a str> {
    stored(kept, category, name)?.get(parameter)?.as_text()
}

/// Each API key's expiry (epoch seconds), kept while more than a week (or half the
/// declared validity) remains, renewed otherwise, so pushes stay no-ops in between; and
/// whether any was renewed.
pub fn api_key_expiries(plan: &Plan, kept: &EnvParameters, now: i64) -> (Vec<InputValue>, bool) {
    let mut out = Vec::new();
    let mut renewed = false;
    for stack in &plan.stacks {
        for input in &stack.inputs {
            let EnvInput::ApiKeyExpiry { days } = &input.input else {
                continue;
            };
            let days = i64::from(*days);
            let kept = stored(kept, &stack.category, &stack.name);
            let epoch = kept.and_then(|k| k.get(&input.parameter)?.as_number());
            let same_days = kept.and_then(|k| k.get(API_KEY_DAYS)?.as_number()) == Some(days);
            let margin = (days * 86_400 / 2).min(7 * 86_400);
            let value = match epoch {
                Some(e) if same_days && e - now > margin => e,
                _ => {
                    renewed = true;
                    (now + days * 86_400) / 3600 * 3600
                }
            };
            out.push(value_of(stack, &input.parameter, value.to_string()));
        }
    }
    (out, renewed)
}

/// Refuses a key in the environment's `categories` block of `team-provider-info.json`
/// that no input of its resource reads — a misspelt override would otherwise be ignored
/// while the declared value is deployed.
pub fn check_overrides(plan: &Plan, kept: &EnvParameters, env: &str) -> Result<()> {
    for stack in &plan.stacks {
        let Some(values) = stored(kept, &stack.category, &stack.name) else {
            continue;
        };
        let mut known: Vec<&str> = vec![API_KEY_DAYS];
        let mut declared: Vec<&str> = Vec::new();
        for input in &stack.inputs {
            known.push(&input.parameter);
            if let EnvInput::Override { key, .. } = &input.input {
                known.push(key);
                declared.push(key);
            }
        }
        let Some(unknown) = values.keys().find(|k| !known.contains(&k.as_str())) else {
            continue;
        };
        let path = format!(
            "{env}.categories.{}.{}.{unknown}",
            stack.category, stack.name
        );
        let hint = match amplify_build::decl::diagnostics::did_you_mean(unknown, &declared) {
            Some(close) => format!("did you mean `{close}`? Rename the key at `{path}`"),
            None if declared.is_empty() => format!(
                "`{}` declares no value an environment can override; remove `{path}`, or declare it in Rust (`env({unknown} = \"…\")`)",
                stack.name
            ),
            None => format!(
                "it overrides one of {}; rename or remove `{path}`",
                declared.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(CliError::input(format!(
            "amplify/team-provider-info.json overrides `{unknown}` of `{}` in environment `{env}`, which it does not declare",
            stack.name
        ))
        .help(hint));
    }
    Ok(())
}

/// The value of every overridable input: the environment's override
/// (`categories.<category>.<resource>.<key>` in team-provider-info.json) or the declared
/// default.
pub fn overrides(plan: &Plan, kept: &EnvParameters) -> Vec<InputValue> {
    let mut out = Vec::new();
    for stack in &plan.stacks {
        for input in &stack.inputs {
            let EnvInput::Override { key, default } = &input.input else {
                continue;
            };
            let value = stored(kept, &stack.category, &stack.name)
                .and_then(|values| values.get(key))
                .map(|v| match v {
                    ParameterValue::Text(t) => t.clone(),
                    ParameterValue::Number(n) => n.to_string(),
                })
                .unwrap_or_else(|| default.clone());
            out.push(value_of(stack, &input.parameter, value));
        }
    }
    out
}

/// `value` for `parameter` of `stack`.
pub fn value_of(stack: &StackPlan, parameter: &str, value: String) -> InputValue {
    InputValue {
        logical_id: stack.logical_id.clone(),
        parameter: parameter.to_owned(),
        value,
    }
}

/// The value of a secret root parameter, from its environment variable.
pub fn secret_value(plan: &Plan, secret: &RootSecret) -> Result<String> {
    std::env::var(&secret.variable).map_err(|_| {
        let resource = plan
            .stacks
            .iter()
            .find(|s| s.logical_id == secret.logical_id)
            .map_or(secret.logical_id.as_str(), |s| s.name.as_str());
        CliError::input(format!(
            "`{resource}` needs the secret `{}`, which is not set",
            secret.variable
        ))
        .help(format!(
            "export {}=… in the environment push runs in (CI: from its secret store); it is passed to CloudFormation as a NoEcho parameter and written nowhere",
            secret.variable
        ))
    })
}

/// Checks before anything is deployed that every secret the plan takes is set.
pub fn check_secrets(plan: &Plan) -> Result<()> {
    for secret in &plan.root.secrets {
        secret_value(plan, secret)?;
    }
    Ok(())
}

/// The overrides (and secrets, by hash) one stack's resource has in this environment,
/// for its fingerprint: a changed override or secret is a change to deploy.
pub fn resource_overrides(plan: &Plan, kept: &EnvParameters, logical_id: &str) -> String {
    let secrets: String = plan
        .root
        .secrets
        .iter()
        .filter(|s| s.logical_id == logical_id)
        .map(|s| {
            let value = std::env::var(&s.variable).unwrap_or_default();
            format!("{}#{};", s.variable, content_hash(value.as_bytes()))
        })
        .collect();
    secrets + &stack_overrides(plan, kept, logical_id)
}

fn stack_overrides(plan: &Plan, kept: &EnvParameters, logical_id: &str) -> String {
    let Some(stack) = plan.stacks.iter().find(|s| s.logical_id == logical_id) else {
        return String::new();
    };
    let Some(values) = stored(kept, &stack.category, &stack.name) else {
        return String::new();
    };
    stack
        .inputs
        .iter()
        .filter_map(|input| match &input.input {
            EnvInput::Override { key, .. } => Some(format!("{key}={:?};", values.get(key)?)),
            _ => None,
        })
        .collect()
}

/// The env's `categories` block after a push: every input's value, by resource, with the
/// overrides it already had (a declared default is not stored: it follows the Rust).
pub fn env_parameters(
    plan: &Plan,
    bucket: &str,
    pushed: &[InputValue],
    kept: &EnvParameters,
) -> EnvParameters {
    let mut out = EnvParameters::new();
    for stack in &plan.stacks {
        for input in &stack.inputs {
            let root_value = pushed_value(pushed, stack, &input.parameter);
            let mut values: Vec<(String, ParameterValue)> = Vec::new();
            match (&input.input, root_value) {
                (EnvInput::DeploymentBucket, _) => {
                    values.push((input.parameter.clone(), ParameterValue::Text(bucket.into())));
                }
                (EnvInput::AssetKey { .. }, Some(key)) => {
                    values.push((input.parameter.clone(), ParameterValue::Text(key.into())));
                }
                (EnvInput::ApiKeyExpiry { days }, Some(epoch)) => {
                    let epoch = epoch.parse::<i64>().unwrap_or(0);
                    values.push((input.parameter.clone(), ParameterValue::Number(epoch)));
                    values.push((
                        API_KEY_DAYS.into(),
                        ParameterValue::Number(i64::from(*days)),
                    ));
                }
                (EnvInput::Override { key, .. }, _) => {
                    let kept = stored(kept, &stack.category, &stack.name)
                        .and_then(|values| values.get(key));
                    if let Some(value) = kept {
                        values.push((key.clone(), value.clone()));
                    }
                }
                _ => {}
            }
            let slot = out
                .entry(stack.category.clone())
                .or_default()
                .entry(stack.name.clone())
                .or_default();
            slot.extend(values);
        }
    }
    out
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplify_build::plan::{ExportPlan, RootPlan, PLAN_FORMAT};

    fn plan_with_secret(variable: &str) -> Plan {
        Plan {
            format: PLAN_FORMAT,
            project_name: "p".into(),
            inputs: Vec::new(),
            root: RootPlan {
                template: String::new(),
                template_key: String::new(),
                parameters: Vec::new(),
                secrets: vec![RootSecret {
                    parameter: "secretcustomHooksigningKey".into(),
                    variable: variable.into(),
                    logical_id: "customHook".into(),
                }],
                links: Vec::new(),
                groups: Vec::new(),
                left_out: Vec::new(),
            },
            stacks: Vec::new(),
            imported: Vec::new(),
            export: ExportPlan {
                templates: Default::default(),
                root: serde_json::Value::Null,
                parameters: Default::default(),
            },
            categories: Vec::new(),
            backend_config: Default::default(),
        }
    }

    #[test]
    fn an_unset_secret_is_refused_by_name_before_anything_deploys() {
        let plan = plan_with_secret("AMPLIFY_RS_TEST_UNSET_SECRET");
        let err = check_secrets(&plan).unwrap_err().to_string();
        assert!(
            err.contains(
                "`customHook` needs the secret `AMPLIFY_RS_TEST_UNSET_SECRET`, which is not set"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_changed_secret_changes_the_fingerprint() {
        let variable = "AMPLIFY_RS_TEST_ROTATED_SECRET";
        let plan = plan_with_secret(variable);
        let kept = EnvParameters::default();
        std::env::set_var(variable, "first");
        let first = resource_overrides(&plan, &kept, "customHook");
        assert_eq!(secret_value(&plan, &plan.root.secrets[0]).unwrap(), "first");
        std::env::set_var(variable, "second");
        let second = resource_overrides(&plan, &kept, "customHook");
        assert_ne!(first, second);
        assert!(!second.contains("second"), "only a hash is kept: {second}");
    }
}
