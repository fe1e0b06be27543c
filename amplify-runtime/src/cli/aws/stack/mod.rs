//! Our CloudFormation client: create/update/delete a root stack, follow its events and
//! those of its nested stacks live, and on failure name the root-cause resource rather
//! than the waiter's message.

use std::collections::{BTreeMap, HashSet};

use aws_sdk_cloudformation::types::{Capability, Parameter, StackStatus, Tag};

mod failures;
mod watch;

use crate::cli::aws::{is_missing_stack, is_no_updates, sdk_error, Aws};
use crate::cli::error::{CliError, Kind, Result};

pub use failures::{root_causes, Failure};

/// What `describe` knows about a stack.
#[derive(Debug, Clone)]
pub struct StackInfo {
    /// Stack name.
    pub name: String,
    /// Stack id (ARN).
    pub id: String,
    /// Its status, as the SDK gives it.
    pub status: StackStatus,
    /// Outputs by key.
    pub outputs: BTreeMap<String, String>,
    /// Parameter values by key (the root stack's `env`).
    pub parameters: BTreeMap<String, String>,
}

impl StackInfo {
    /// Whether CloudFormation is still working on it.
    pub fn in_progress(&self) -> bool {
        in_progress(&self.status)
    }
}

/// Whether CloudFormation is still working on a stack in `status`.
pub fn in_progress(status: &StackStatus) -> bool {
    use StackStatus as S;
    matches!(
        status,
        S::CreateInProgress
            | S::DeleteInProgress
            | S::ImportInProgress
            | S::ImportRollbackInProgress
            | S::ReviewInProgress
            | S::RollbackInProgress
            | S::UpdateCompleteCleanupInProgress
            | S::UpdateInProgress
            | S::UpdateRollbackCompleteCleanupInProgress
            | S::UpdateRollbackInProgress
    )
}

/// Outcome of `update`.
#[derive(Debug, PartialEq, Eq)]
pub enum UpdateStarted {
    /// CloudFormation accepted the update; wait for it.
    Started,
    /// "No updates are to be performed": already in the desired state.
    NoChanges,
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
                    .cloned()
                    .unwrap_or_else(|| StackStatus::from("")),
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
                parameters: s
                    .parameters()
                    .iter()
                    .filter_map(|p| {
                        Some((
                            p.parameter_key()?.to_owned(),
                            p.parameter_value().unwrap_or_default().to_owned(),
                        ))
                    })
                    .collect(),
            })),
            Err(e) if is_missing_stack(&e) => Ok(None),
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
            Err(e) if is_no_updates(&e) => Ok(UpdateStarted::NoChanges),
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
            Err(e) if is_missing_stack(&e) => Ok(HashSet::new()),
            Err(e) => Err(sdk_error(format!("cannot read the events of `{name}`"), e)),
        }
    }

    /// Outputs of the root and of each nested stack, by the nested stack's logical id.
    ///
    /// The stacks in `groups` (the plan's group stacks) are looked into: their members'
    /// outputs are read as if they were the root's own nested stacks.
    pub async fn outputs(
        &self,
        root: &str,
        groups: &[String],
    ) -> Result<(StackInfo, BTreeMap<String, BTreeMap<String, String>>)> {
        let info = self.describe(root).await?.ok_or_else(|| {
            CliError::new(
                Kind::Aws,
                format!("stack `{root}` disappeared while reading its outputs"),
            )
        })?;
        let mut nested = self.nested_stacks(root).await?;
        let (grouped, mut nested): (Vec<_>, Vec<_>) = nested
            .drain(..)
            .partition(|(logical, _)| groups.contains(logical));
        for (_, group) in grouped {
            nested.extend(self.nested_stacks(&group).await?);
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

impl Stacks<'_> {
    /// The template `stack` was last deployed with, as CloudFormation keeps it.
    pub async fn template(&self, stack: &str) -> Result<String> {
        let out = self
            .aws
            .cfn
            .get_template()
            .stack_name(stack)
            .template_stage(aws_sdk_cloudformation::types::TemplateStage::Original)
            .send()
            .await
            .map_err(|e| sdk_error(format!("cannot read the template of `{stack}`"), e))?;
        Ok(out.template_body().unwrap_or_default().to_owned())
    }

    /// `(logical id, stack id)` of each stack nested directly in `stack`.
    pub async fn nested_stacks(&self, stack: &str) -> Result<Vec<(String, String)>> {
        let mut nested = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .aws
                .cfn
                .list_stack_resources()
                .stack_name(stack)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error(format!("cannot list the resources of `{stack}`"), e))?;
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
                return Ok(nested);
            }
        }
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

/// Request shapes against SDK mock clients: what exactly is sent, and how answers map.
#[cfg(test)]
pub(crate) mod sdk_tests {
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksError;
    use aws_sdk_cloudformation::operation::update_stack::{UpdateStackError, UpdateStackOutput};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;
    use crate::cli::aws::CallLog;

    /// Clients whose CloudFormation is `cfn` (the others are never called).
    pub(crate) fn aws_with(cfn: aws_sdk_cloudformation::Client) -> Aws {
        Aws {
            cfn,
            sts: mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[]),
            s3: mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[]),
            // Never called by these tests.
            cloudfront: aws_sdk_cloudfront::Client::from_conf(
                aws_sdk_cloudfront::Config::builder()
                    .behavior_version(aws_sdk_cloudfront::config::BehaviorVersion::latest())
                    .build(),
            ),
            region: "us-east-1".into(),
            calls: CallLog::default(),
            credentials: aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::for_tests(),
            ),
            endpoint: None,
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
