//! Our CloudFormation client: create/update/delete a root stack, follow its events and
//! those of its nested stacks live, and on failure name the root-cause resource rather
//! than the waiter's message.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use aws_sdk_cloudformation::types::{Capability, Parameter, StackEvent, Tag};
use aws_smithy_types::DateTime;

use super::aws::{error_message, sdk_error, Aws};
use super::error::{CliError, Kind, Result};
use super::progress::Progress;

/// What `describe` knows about a stack.
#[derive(Debug, Clone)]
pub struct StackInfo {
    /// Stack name.
    pub name: String,
    /// Stack id (ARN).
    pub id: String,
    /// e.g. `UPDATE_COMPLETE`.
    pub status: String,
    /// Outputs by key.
    pub outputs: BTreeMap<String, String>,
}

impl StackInfo {
    /// Whether CloudFormation is still working on it.
    pub fn in_progress(&self) -> bool {
        self.status.ends_with("_IN_PROGRESS")
    }
}

/// Outcome of `update`.
#[derive(Debug, PartialEq, Eq)]
pub enum UpdateStarted {
    /// CloudFormation accepted the update; wait for it.
    Started,
    /// "No updates are to be performed": already in the desired state.
    NoChanges,
}

/// One failed resource, as reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Logical id of the stack the resource is in (the root stack's name for the root).
    pub stack: String,
    /// Logical id of the resource.
    pub resource: String,
    /// Its type.
    pub resource_type: String,
    /// Its status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// CloudFormation's reason.
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} › {} ({}) {}: {}",
            self.stack, self.resource, self.resource_type, self.status, self.reason
        )
    }
}

/// The CloudFormation side of a deployment.
pub struct Stacks<'a> {
    aws: &'a Aws,
}

const CAPABILITIES: [Capability; 2] = [
    Capability::CapabilityNamedIam,
    Capability::CapabilityAutoExpand,
];

impl<'a> Stacks<'a> {
    /// Wraps the run's clients.
    pub fn new(aws: &'a Aws) -> Self {
        Stacks { aws }
    }

    /// The stack, or `None` if it does not exist.
    pub async fn describe(&self, name: &str) -> Result<Option<StackInfo>> {
        match self.aws.cfn.describe_stacks().stack_name(name).send().await {
            Ok(out) => Ok(out.stacks().first().map(|s| StackInfo {
                name: s.stack_name().unwrap_or_default().to_owned(),
                id: s.stack_id().unwrap_or_default().to_owned(),
                status: s
                    .stack_status()
                    .map(|x| x.as_str().to_owned())
                    .unwrap_or_default(),
                outputs: s
                    .outputs()
                    .iter()
                    .filter_map(|o| {
                        Some((
                            o.output_key()?.to_owned(),
                            o.output_value().unwrap_or_default().to_owned(),
                        ))
                    })
                    .collect(),
            })),
            Err(e) if error_message(&e).is_some_and(|m| m.contains("does not exist")) => Ok(None),
            Err(e) => Err(sdk_error(format!("cannot describe stack `{name}`"), e)),
        }
    }

    /// Creates a stack from an inline template (the small bootstrap root stack).
    pub async fn create(
        &self,
        name: &str,
        template_body: String,
        parameters: &[(String, String)],
        tags: &[(String, String)],
    ) -> Result<()> {
        self.aws
            .cfn
            .create_stack()
            .stack_name(name)
            .set_capabilities(Some(CAPABILITIES.to_vec()))
            .set_parameters(Some(params(parameters)))
            .set_tags(Some(tag_list(tags)))
            .template_body(template_body)
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot create stack `{name}`"), e))?;
        Ok(())
    }

    /// Updates a stack; "No updates are to be performed" is success.
    pub async fn update(
        &self,
        name: &str,
        template_url: &str,
        parameters: &[(String, String)],
        tags: &[(String, String)],
    ) -> Result<UpdateStarted> {
        let result = self
            .aws
            .cfn
            .update_stack()
            .stack_name(name)
            .template_url(template_url)
            .set_capabilities(Some(CAPABILITIES.to_vec()))
            .set_parameters(Some(params(parameters)))
            .set_tags(Some(tag_list(tags)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(UpdateStarted::Started),
            Err(e)
                if error_message(&e)
                    .is_some_and(|m| m.contains("No updates are to be performed")) =>
            {
                Ok(UpdateStarted::NoChanges)
            }
            Err(e) => Err(sdk_error(format!("cannot update stack `{name}`"), e)),
        }
    }

    /// Deletes a stack (nested stacks go with it).
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.aws
            .cfn
            .delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot delete stack `{name}`"), e))?;
        Ok(())
    }

    /// Resumes a rollback that failed (`UPDATE_ROLLBACK_FAILED`).
    pub async fn continue_rollback(&self, name: &str) -> Result<()> {
        self.aws
            .cfn
            .continue_update_rollback()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot continue the rollback of `{name}`"), e))?;
        Ok(())
    }

    /// Ids of the root's newest events: the baseline before an operation starts.
    pub async fn event_baseline(&self, name: &str) -> Result<HashSet<String>> {
        match self
            .aws
            .cfn
            .describe_stack_events()
            .stack_name(name)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .stack_events()
                .iter()
                .filter_map(|e| e.event_id().map(ToOwned::to_owned))
                .collect()),
            Err(e) if error_message(&e).is_some_and(|m| m.contains("does not exist")) => {
                Ok(HashSet::new())
            }
            Err(e) => Err(sdk_error(format!("cannot read the events of `{name}`"), e)),
        }
    }

    /// Follows the root stack and every nested stack it touches until the root reaches a
    /// final state. Returns that state and the root-cause failures (empty on success).
    pub async fn wait(
        &self,
        root: &str,
        baseline: &HashSet<String>,
        progress: &Progress,
    ) -> Result<(String, Vec<Failure>)> {
        let mut watched: Vec<(String, String)> = vec![(root.to_owned(), root.to_owned())];
        let mut seen: HashSet<String> = baseline.clone();
        let mut since: Option<DateTime> = None;
        let mut failures: Vec<Failure> = Vec::new();
        let mut delay = Duration::from_millis(200);
        loop {
            // Status first, events second: every event up to the status read is then seen
            // in this pass, so a stack that just finished never loses its last events.
            let info = self.describe(root).await?;
            let mut i = 0;
            while i < watched.len() {
                let (label, id) = watched[i].clone();
                let events = match self.events(&id, &seen).await {
                    Ok(events) => events,
                    // A nested stack deleted during a rollback has no events to read any more.
                    Err(e) if i > 0 && e.message.contains("does not exist") => Vec::new(),
                    Err(e) => return Err(e),
                };
                let mut fresh: Vec<&StackEvent> = events
                    .iter()
                    .filter(|e| {
                        i == 0
                            || since.is_none_or(|s| {
                                e.timestamp().is_none_or(|t| {
                                    (t.secs(), t.subsec_nanos()) >= (s.secs(), s.subsec_nanos())
                                })
                            })
                    })
                    .collect();
                fresh.reverse(); // oldest first
                for e in fresh {
                    seen.insert(e.event_id().unwrap_or_default().to_owned());
                    if i == 0 && since.is_none() {
                        since = e.timestamp().copied();
                    }
                    let status = e.resource_status().map(|s| s.as_str()).unwrap_or_default();
                    let logical = e.logical_resource_id().unwrap_or_default();
                    let kind = e.resource_type().unwrap_or_default();
                    let reason = e.resource_status_reason().unwrap_or_default();
                    // Root-level resources by their own name; nested ones as `stack › resource`.
                    let name = if i == 0 {
                        logical.to_owned()
                    } else {
                        format!("{label} › {logical}")
                    };
                    progress
                        .event(format!("  {status:<24} {name:<44} {kind:<40} {reason}").trim_end());
                    if status.ends_with("_FAILED") {
                        failures.push(Failure {
                            stack: label.clone(),
                            resource: logical.to_owned(),
                            resource_type: kind.to_owned(),
                            status: status.to_owned(),
                            reason: reason.to_owned(),
                        });
                    }
                    // The root's own events name the root; only children are watched.
                    if kind == "AWS::CloudFormation::Stack" && logical != root {
                        if let Some(physical) = e
                            .physical_resource_id()
                            .filter(|p| p.starts_with("arn:") && *p != id)
                        {
                            if !watched.iter().any(|(_, w)| w == physical) {
                                watched.push((logical.to_owned(), physical.to_owned()));
                            }
                        }
                    }
                }
                i += 1;
            }
            let Some(info) = info else {
                // Deleted: the final state of a delete, or of a failed create being removed.
                return Ok(("DELETE_COMPLETE".into(), root_causes(&failures)));
            };
            progress.status(&format!("{root}: {}", info.status));
            if !info.in_progress() {
                let ok = matches!(
                    info.status.as_str(),
                    "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE"
                );
                return Ok((
                    info.status,
                    if ok {
                        Vec::new()
                    } else {
                        root_causes(&failures)
                    },
                ));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 3 / 2).min(Duration::from_secs(5));
        }
    }

    /// Events of a stack not seen yet, newest first, following pages until a seen one.
    async fn events(&self, stack: &str, seen: &HashSet<String>) -> Result<Vec<StackEvent>> {
        let mut out = Vec::new();
        let mut token = None;
        for _ in 0..50 {
            let page = self
                .aws
                .cfn
                .describe_stack_events()
                .stack_name(stack)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error(format!("cannot read the events of `{stack}`"), e))?;
            let mut reached_seen = false;
            for e in page.stack_events() {
                if e.event_id().is_some_and(|id| seen.contains(id)) {
                    reached_seen = true;
                    break;
                }
                out.push(e.clone());
            }
            token = page.next_token().map(ToOwned::to_owned);
            if reached_seen || token.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// Outputs of the root and of each nested stack, by the nested stack's logical id.
    pub async fn outputs(
        &self,
        root: &str,
    ) -> Result<(StackInfo, BTreeMap<String, BTreeMap<String, String>>)> {
        let info = self.describe(root).await?.ok_or_else(|| {
            CliError::new(
                Kind::Aws,
                format!("stack `{root}` disappeared while reading its outputs"),
            )
        })?;
        let mut nested = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .aws
                .cfn
                .list_stack_resources()
                .stack_name(root)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error(format!("cannot list the resources of `{root}`"), e))?;
            for r in out.stack_resource_summaries() {
                if r.resource_type() == Some("AWS::CloudFormation::Stack") {
                    if let (Some(l), Some(p)) = (r.logical_resource_id(), r.physical_resource_id())
                    {
                        nested.push((l.to_owned(), p.to_owned()));
                    }
                }
            }
            token = out.next_token().map(ToOwned::to_owned);
            if token.is_none() {
                break;
            }
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (logical, physical) in nested {
            let cfn = self.aws.cfn.clone();
            tasks.spawn(async move {
                let out = cfn.describe_stacks().stack_name(&physical).send().await;
                (logical, physical, out)
            });
        }
        let mut outputs = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            let (logical, physical, out) = joined
                .map_err(|e| CliError::new(Kind::Other, format!("output reader failed: {e}")))?;
            let out = out
                .map_err(|e| sdk_error(format!("cannot describe nested stack `{physical}`"), e))?;
            let values = out
                .stacks()
                .first()
                .map(|s| {
                    s.outputs()
                        .iter()
                        .filter_map(|o| {
                            Some((
                                o.output_key()?.to_owned(),
                                o.output_value().unwrap_or_default().to_owned(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            outputs.insert(logical, values);
        }
        Ok((info, outputs))
    }
}

fn params(values: &[(String, String)]) -> Vec<Parameter> {
    values
        .iter()
        .map(|(k, v)| {
            Parameter::builder()
                .parameter_key(k)
                .parameter_value(v)
                .build()
        })
        .collect()
}

fn tag_list(tags: &[(String, String)]) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The failures worth showing: cancellations caused by another failure and stacks that
/// failed only because something inside them did are dropped when a deeper cause exists.
pub fn root_causes(failures: &[Failure]) -> Vec<Failure> {
    let cascade = |f: &Failure| {
        let r = f.reason.to_ascii_lowercase();
        r.contains("cancelled")
            || r.contains("the following resource(s) failed")
            || r.starts_with("embedded stack")
            || r.contains("nested stack")
            || (f.resource_type == "AWS::CloudFormation::Stack" && r.is_empty())
    };
    // A nested stack whose own resources reported the failure adds nothing.
    let explained = |f: &Failure| {
        f.resource_type == "AWS::CloudFormation::Stack"
            && failures.iter().any(|g| g.stack == f.resource)
    };
    let deep: Vec<Failure> = failures
        .iter()
        .filter(|f| !cascade(f) && !explained(f))
        .cloned()
        .collect();
    let mut out = if deep.is_empty() {
        failures.to_vec()
    } else {
        deep
    };
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(stack: &str, resource: &str, kind: &str, reason: &str) -> Failure {
        Failure {
            stack: stack.into(),
            resource: resource.into(),
            resource_type: kind.into(),
            status: "CREATE_FAILED".into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn the_deepest_failure_is_the_root_cause() {
        let events = vec![
            failure("storagePosts", "DynamoDBTable", "AWS::DynamoDB::Table", "Table already exists: Posts-dev"),
            failure("storagePosts", "Other", "AWS::IAM::Role", "Resource creation cancelled"),
            failure("amplify-app-dev-1", "storagePosts", "AWS::CloudFormation::Stack", "Embedded stack arn:… was not successfully created: The following resource(s) failed to create: [DynamoDBTable]."),
            failure("amplify-app-dev-1", "amplify-app-dev-1", "AWS::CloudFormation::Stack", "The following resource(s) failed to update: [storagePosts]."),
        ];
        let causes = root_causes(&events);
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].resource, "DynamoDBTable");
        assert_eq!(
            causes[0].to_string(),
            "storagePosts › DynamoDBTable (AWS::DynamoDB::Table) CREATE_FAILED: Table already exists: Posts-dev"
        );
    }

    #[test]
    fn a_nested_stack_repeating_its_resource_is_dropped() {
        let events = vec![
            failure(
                "root",
                "storagePosts",
                "AWS::CloudFormation::Stack",
                "cannot replace PostTable-dev",
            ),
            failure(
                "storagePosts",
                "DynamoDBTable",
                "AWS::DynamoDB::Table",
                "cannot replace PostTable-dev",
            ),
        ];
        let causes = root_causes(&events);
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].resource, "DynamoDBTable");
    }

    #[test]
    fn without_a_deeper_cause_the_stack_failure_is_kept() {
        let events = vec![failure(
            "root",
            "apiX",
            "AWS::CloudFormation::Stack",
            "Embedded stack failed",
        )];
        assert_eq!(root_causes(&events), events);
    }
}

/// Request shapes against SDK mock clients: what exactly is sent, and how answers map.
#[cfg(test)]
mod sdk_tests {
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksError;
    use aws_sdk_cloudformation::operation::update_stack::{UpdateStackError, UpdateStackOutput};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;
    use crate::cli::aws::CallLog;

    fn aws_with(cfn: aws_sdk_cloudformation::Client) -> Aws {
        Aws {
            cfn,
            s3: mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[]),
            region: "us-east-1".into(),
            calls: CallLog::default(),
        }
    }

    fn validation_error(message: &str) -> ErrorMetadata {
        ErrorMetadata::builder()
            .code("ValidationError")
            .message(message)
            .build()
    }

    #[tokio::test]
    async fn update_sends_the_url_both_capabilities_parameters_and_tags() {
        let rule = mock!(aws_sdk_cloudformation::Client::update_stack)
            .match_requests(|r| {
                r.stack_name() == Some("amplify-app-dev-12345")
                    && r.template_url() == Some("https://s3.amazonaws.com/b/root-1.json")
                    && r.capabilities()
                        == [
                            Capability::CapabilityNamedIam,
                            Capability::CapabilityAutoExpand,
                        ]
                    && r.parameters().len() == 2
                    && r.parameters()[0].parameter_key() == Some("env")
                    && r.parameters()[0].parameter_value() == Some("dev")
                    && r.tags().len() == 1
                    && r.tags()[0].key() == Some("user:Stack")
                    && r.tags()[0].value() == Some("dev")
            })
            .then_output(|| UpdateStackOutput::builder().stack_id("id").build());
        let aws = aws_with(mock_client!(aws_sdk_cloudformation, [&rule]));
        let started = Stacks::new(&aws)
            .update(
                "amplify-app-dev-12345",
                "https://s3.amazonaws.com/b/root-1.json",
                &[
                    ("env".into(), "dev".into()),
                    ("DeploymentBucketName".into(), "b".into()),
                ],
                &[("user:Stack".into(), "dev".into())],
            )
            .await
            .unwrap();
        assert_eq!(started, UpdateStarted::Started);
        assert_eq!(rule.num_calls(), 1);
    }

    #[tokio::test]
    async fn no_updates_to_perform_is_success() {
        let rule = mock!(aws_sdk_cloudformation::Client::update_stack).then_error(|| {
            UpdateStackError::generic(validation_error("No updates are to be performed."))
        });
        let aws = aws_with(mock_client!(aws_sdk_cloudformation, [&rule]));
        let started = Stacks::new(&aws)
            .update("s", "https://x", &[], &[])
            .await
            .unwrap();
        assert_eq!(started, UpdateStarted::NoChanges);
    }

    #[tokio::test]
    async fn other_update_errors_name_the_stack_and_the_code() {
        let rule = mock!(aws_sdk_cloudformation::Client::update_stack).then_error(|| {
            UpdateStackError::generic(validation_error(
                "Stack:x is in UPDATE_IN_PROGRESS state and can not be updated.",
            ))
        });
        let aws = aws_with(mock_client!(aws_sdk_cloudformation, [&rule]));
        let err = Stacks::new(&aws)
            .update("app-stack", "https://x", &[], &[])
            .await
            .unwrap_err();
        assert_eq!(err.kind, Kind::Aws);
        assert!(err.message.starts_with("cannot update stack `app-stack`: ValidationError: Stack:x is in UPDATE_IN_PROGRESS"), "{}", err.message);
    }

    #[tokio::test]
    async fn a_missing_stack_is_none_not_an_error() {
        let rule = mock!(aws_sdk_cloudformation::Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("gone"))
            .then_error(|| {
                DescribeStacksError::generic(validation_error("Stack with id gone does not exist"))
            });
        let aws = aws_with(mock_client!(aws_sdk_cloudformation, [&rule]));
        assert!(Stacks::new(&aws).describe("gone").await.unwrap().is_none());
    }
}
