//! The root stack in the plan: its template, parameters, secrets and link stacks, and
//! the root template one environment deploys (its per-environment values written into
//! the nested stacks' `Parameters`).

use serde::{Deserialize, Serialize};

use super::{content_hash, InputValue};

/// The root stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootPlan {
    /// The template file, relative to the folder holding `amplify/`.
    pub template: String,
    /// Its content-addressed key in the deployment bucket.
    pub template_key: String,
    /// Every parameter the root template declares, in order: only the provider's own
    /// (`DeploymentBucketName`, `AuthRoleName`, `UnauthRoleName`, and `env` when a stack
    /// takes it). Per-environment stack inputs are not root parameters, so the root's
    /// parameters do not grow with the backend: push writes their values into the nested
    /// stacks' `Parameters` ([`RootPlan::for_environment`]), as Amplify does.
    pub parameters: Vec<String>,
    /// The secrets push passes as `NoEcho` root parameters, from environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<RootSecret>,
    /// Link stacks: what resources contribute outside their own stacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkPlan>,
    /// Group stacks: when the backend is past what one root template may hold, the
    /// resources' stacks past it are nested one level deeper, in these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupPlan>,
    /// Nested stacks [`RootPlan::for_environment`] leaves out of the root: those of a
    /// [`super::Plan::for_local_cloud`]. Never written by synthesis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
}

/// A secret root parameter ([`super::EnvInput::Secret`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootSecret {
    /// The root parameter (`secret<LogicalId><parameter>`).
    pub parameter: String,
    /// The environment variable push reads it from.
    pub variable: String,
    /// The stack that takes it.
    pub logical_id: String,
}

/// A group stack of the root: an intermediate nested stack holding resources' stacks, so
/// that no template passes a CloudFormation quota. A member's per-environment input
/// `parameter` is the group's parameter `In<member logical id><parameter>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPlan {
    /// Its logical id in the root (`StackGroup<n>`).
    pub logical_id: String,
    /// The template, relative to the folder holding `amplify/`.
    pub template: String,
    /// Its content-addressed key in the deployment bucket.
    pub template_key: String,
    /// The logical ids of the resources' stacks it holds, in declaration order.
    pub members: Vec<String>,
}

impl GroupPlan {
    /// The group parameter carrying a member's per-environment input.
    pub fn input_parameter(member: &str, parameter: &str) -> String {
        format!("In{member}{parameter}")
    }
}

/// A link stack of the root ([`crate::Link`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkPlan {
    /// Its logical id in the root (`link<Resource><Name>`).
    pub logical_id: String,
    /// The resource that declares it.
    pub resource: String,
    /// The template, relative to the folder holding `amplify/`.
    pub template: String,
    /// Its content-addressed key in the deployment bucket.
    pub template_key: String,
}

impl RootPlan {
    /// The logical ids of its group stacks.
    pub fn group_ids(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.logical_id.clone()).collect()
    }

    /// The root template one environment deploys: `template` (the synthesised root, the
    /// file [`RootPlan::template`]) with each of `values` written into its nested stack's
    /// `Parameters`, and the content-addressed key it is uploaded under.
    pub fn for_environment(
        &self,
        template: &str,
        values: &[InputValue],
    ) -> Result<(String, String), RootTemplateError> {
        let mut root: serde_json::Value =
            serde_json::from_str(template).map_err(RootTemplateError::Json)?;
        leave_out(&mut root, &self.left_out)?;
        for v in values
            .iter()
            .filter(|v| !self.left_out.contains(&v.logical_id))
        {
            // A grouped member's value goes to its group, under the member's name.
            let (stack, parameter) = match self
                .groups
                .iter()
                .find(|g| g.members.contains(&v.logical_id))
            {
                Some(group) => (
                    &group.logical_id,
                    GroupPlan::input_parameter(&v.logical_id, &v.parameter),
                ),
                None => (&v.logical_id, v.parameter.clone()),
            };
            let properties = root
                .get_mut("Resources")
                .and_then(|r| r.get_mut(stack))
                .and_then(|r| r.get_mut("Properties"))
                .and_then(serde_json::Value::as_object_mut)
                .ok_or_else(|| RootTemplateError::NoStack(v.logical_id.clone()))?;
            let parameters = properties
                .entry("Parameters")
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            let Some(parameters) = parameters.as_object_mut() else {
                return Err(RootTemplateError::NoStack(v.logical_id.clone()));
            };
            parameters.insert(parameter, serde_json::Value::String(v.value.clone()));
        }
        let mut text = serde_json::to_string_pretty(&root).map_err(RootTemplateError::Json)?;
        text.push('\n');
        let key = format!(
            "amplify-cfn-templates/root-cloudformation-stack-{}.json",
            content_hash(text.as_bytes())
        );
        Ok((text, key))
    }
}

/// Removes the nested stacks `ids` from a root template, refusing when anything left
/// refers to one of them.
fn leave_out(root: &mut serde_json::Value, ids: &[String]) -> Result<(), RootTemplateError> {
    if ids.is_empty() {
        return Ok(());
    }
    let Some(resources) = root
        .get_mut("Resources")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return Ok(());
    };
    for id in ids {
        resources.remove(id);
    }
    for (user, resource) in resources.iter() {
        if let Some(used) = ids.iter().find(|id| refers_to(resource, id)) {
            return Err(RootTemplateError::LeftOutInUse {
                left_out: used.clone(),
                by: user.clone(),
            });
        }
    }
    if let Some(outputs) = root
        .get_mut("Outputs")
        .and_then(serde_json::Value::as_object_mut)
    {
        outputs.retain(|_, output| !ids.iter().any(|id| refers_to(output, id)));
    }
    Ok(())
}

/// Whether `value` names the resource `id` (`Ref`, `Fn::GetAtt`, `DependsOn`, `${id…}`).
fn refers_to(value: &serde_json::Value, id: &str) -> bool {
    use serde_json::Value as J;
    match value {
        J::Object(map) => map.iter().any(|(key, v)| match (key.as_str(), v) {
            ("Ref", J::String(target)) => target == id,
            ("Fn::GetAtt", J::Array(parts)) => parts.first().and_then(J::as_str) == Some(id),
            ("DependsOn", J::String(target)) => target == id,
            ("DependsOn", J::Array(targets)) => targets.iter().any(|t| t.as_str() == Some(id)),
            ("Fn::Sub", J::String(text)) => {
                text.contains(&format!("${{{id}}}")) || text.contains(&format!("${{{id}."))
            }
            _ => refers_to(v, id),
        }),
        J::Array(items) => items.iter().any(|v| refers_to(v, id)),
        _ => false,
    }
}

/// Why the synthesised root template could not take an environment's values: it and the
/// plan disagree (edited by hand, or written by another version).
#[derive(Debug, thiserror::Error)]
pub enum RootTemplateError {
    /// A stack a local cloud cannot deploy is used by one it deploys.
    #[error("`{by}` uses `{left_out}`, which the local cloud cannot deploy")]
    LeftOutInUse {
        /// The stack left out.
        left_out: String,
        /// What refers to it.
        by: String,
    },
    /// Not JSON.
    #[error("the root template is not JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The plan names a stack the template lacks.
    #[error("the root template has no nested stack `{0}`")]
    NoStack(String),
}
