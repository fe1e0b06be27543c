//! The per-environment values of the plan's stack inputs ([`EnvInput`]): what push
//! supplies for each, and how they are kept in `team-provider-info.json` (Amplify's
//! `categories.<category>.<resource>.<parameter>`).

use std::collections::BTreeMap;

use amplify_build::plan::{EnvInput, Plan};
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

/// API-key expiry per root parameter: kept while more than a week (or half the declared
/// validity) remains, renewed otherwise, so pushes stay no-ops in between. The flag says
/// whether it was renewed.
pub fn api_key_expiries(
    plan: &Plan,
    kept: &EnvParameters,
    now: i64,
) -> BTreeMap<String, (i64, bool)> {
    let mut out = BTreeMap::new();
    for stack in &plan.stacks {
        for input in &stack.inputs {
            let (EnvInput::ApiKeyExpiry { days }, Some(root)) =
                (&input.input, &input.root_parameter)
            else {
                continue;
            };
            let days = i64::from(*days);
            let kept = stored(kept, &stack.category, &stack.name);
            let epoch = kept.and_then(|k| k.get(&input.parameter)?.as_number());
            let same_days = kept.and_then(|k| k.get(API_KEY_DAYS)?.as_number()) == Some(days);
            let margin = (days * 86_400 / 2).min(7 * 86_400);
            let value = match epoch {
                Some(e) if same_days && e - now > margin => (e, false),
                _ => ((now + days * 86_400) / 3600 * 3600, true),
            };
            out.insert(root.clone(), value);
        }
    }
    out
}

/// The env's `categories` block after a push: every input's value, by resource.
pub fn env_parameters(
    plan: &Plan,
    bucket: &str,
    parameters: &BTreeMap<String, String>,
) -> EnvParameters {
    let mut out = EnvParameters::new();
    for stack in &plan.stacks {
        for input in &stack.inputs {
            let root_value = input
                .root_parameter
                .as_ref()
                .and_then(|p| parameters.get(p));
            let mut values: Vec<(String, ParameterValue)> = Vec::new();
            match (&input.input, root_value) {
                (EnvInput::DeploymentBucket, _) => {
                    values.push((input.parameter.clone(), ParameterValue::Text(bucket.into())));
                }
                (EnvInput::AssetKey { .. }, Some(key)) => {
                    values.push((input.parameter.clone(), ParameterValue::Text(key.clone())));
                }
                (EnvInput::ApiKeyExpiry { days }, Some(epoch)) => {
                    let epoch = epoch.parse::<i64>().unwrap_or(0);
                    values.push((input.parameter.clone(), ParameterValue::Number(epoch)));
                    values.push((
                        API_KEY_DAYS.into(),
                        ParameterValue::Number(i64::from(*days)),
                    ));
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
