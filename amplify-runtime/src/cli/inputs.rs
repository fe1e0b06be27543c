//! The per-environment values of the plan's stack inputs ([`EnvInput`]): what push
//! supplies for each ([`InputValue`], written into the environment's root template),
//! and how they are kept in `team-provider-info.json` (Amplify's
//! `categories.<category>.<resource>.<parameter>`).

use amplify_build::plan::{EnvInput, InputValue, Plan, StackPlan};
use indexmap::IndexMap;

use super::state::{EnvParameters, ParameterValue};

/// Where the declared validity of an API key is kept beside its expiry.
const API_KEY_DAYS: &str = "apiKeyExpirationDays";

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

/// The value push gave `parameter` of `stack`, if any.
pub fn find<'a>(values: &'a [InputValue], stack: &StackPlan, parameter: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|v| v.logical_id == stack.logical_id && v.parameter == parameter)
        .map(|v| v.value.as_str())
}

/// The overrides one stack's resource has in this environment, for its fingerprint: a
/// changed override is a change to deploy.
pub fn resource_overrides(plan: &Plan, kept: &EnvParameters, logical_id: &str) -> String {
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
            let root_value = find(pushed, stack, &input.parameter);
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
