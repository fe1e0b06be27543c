//! A root stack that cannot take an update as it is: busy (refused), stuck in
//! `UPDATE_ROLLBACK_FAILED` (the rollback is resumed), or never created (deleted and
//! created again from the bootstrap template).

use crate::cli::aws::stack::{Failure, StackInfo, Stacks};
use crate::cli::aws::Aws;
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::progress::Progress;
use crate::cli::prompt::confirm;
use crate::cli::state::{ProviderInfo, RootValue};
use aws_sdk_cloudformation::types::StackStatus;

/// Makes the root stack ready for an update: refuses a busy stack, resumes a failed
/// rollback (the state Amplify users most often get stuck in), and re-creates a root
/// stack whose creation failed (after confirmation: it has to be deleted).
pub(crate) async fn prepare_stack(
    aws: &Aws,
    stacks: &Stacks<'_>,
    provider: &ProviderInfo,
    tags: &[(String, String)],
    yes: bool,
) -> Result<()> {
    let name = provider.require(RootValue::StackName)?.to_owned();
    let Some(info) = stacks.describe(&name).await? else {
        return Err(CliError::input(format!("the root stack `{name}` does not exist"))
            .help("it was deleted outside amplify-rs: run `cargo amplify delete --yes` to clear the env locally, then `cargo amplify init`"));
    };
    match &info.status {
        s if info.in_progress() => Err(CliError::new(
            Kind::Busy,
            format!("stack `{name}` is busy ({})", s.as_str()),
        )
        .help("another deployment is running; wait for it to finish")),
        StackStatus::RollbackComplete | StackStatus::RollbackFailed | StackStatus::CreateFailed => {
            confirm(yes, &format!("Root stack `{name}` never finished being created ({}). Delete it and create it again?", info.status.as_str()))?;
            recreate_root(aws, stacks, provider, tags, &info).await
        }
        StackStatus::UpdateRollbackFailed => {
            eprintln!("Stack `{name}` is in UPDATE_ROLLBACK_FAILED; resuming the rollback first …");
            let baseline = stacks.event_baseline(&name).await?;
            stacks.continue_rollback(&name).await?;
            let progress = Progress::new("Rolling back …");
            let (status, failures) = stacks.wait(&name, &baseline, &progress).await?;
            progress.finish();
            if status != StackStatus::UpdateRollbackComplete {
                return Err(deploy_failed(
                    format!(
                        "the rollback of `{name}` did not complete ({})",
                        status.as_str()
                    ),
                    &failures,
                )
                .help(
                    "fix or delete the resources named above in the AWS console, then push again",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Deletes a root stack whose creation failed and creates it again from the bootstrap
/// template, with the names the environment already has.
async fn recreate_root(
    aws: &Aws,
    stacks: &Stacks<'_>,
    provider: &ProviderInfo,
    tags: &[(String, String)],
    info: &StackInfo,
) -> Result<()> {
    let name = &info.name;
    let baseline = stacks.event_baseline(name).await?;
    stacks.delete(&info.id).await?;
    let progress = Progress::new(&format!("Deleting the failed stack {name} …"));
    stacks.wait(&info.id, &baseline, &progress).await?;
    progress.finish();
    // The bucket is retained by design; an empty one left by the failed create would
    // block the new stack's bucket of the same name.
    let bucket = provider.require(RootValue::DeploymentBucketName)?;
    let _ = aws.s3.delete_bucket().bucket(bucket).send().await;
    let parameters: Vec<(String, String)> = [
        RootValue::DeploymentBucketName,
        RootValue::AuthRoleName,
        RootValue::UnauthRoleName,
    ]
    .into_iter()
    .map(|v| Ok((v.key().to_owned(), provider.require(v)?.to_owned())))
    .collect::<Result<_>>()?;
    let baseline = stacks.event_baseline(name).await?;
    stacks
        .create(
            name,
            amplify_build::synth::bootstrap_root_template(),
            &parameters,
            tags,
        )
        .await?;
    let progress = Progress::new(&format!("Creating {name} …"));
    let (status, failures) = stacks.wait(name, &baseline, &progress).await?;
    progress.finish();
    if status != StackStatus::CreateComplete {
        return Err(deploy_failed(
            format!("re-creating `{name}` failed ({})", status.as_str()),
            &failures,
        )
        .help("fix the cause shown above, then push again"));
    }
    Ok(())
}

/// A failed deployment, with each root cause on a line of its own.
fn deploy_failed(what: String, failures: &[Failure]) -> CliError {
    let causes: Vec<String> = failures.iter().map(ToString::to_string).collect();
    CliError::new(
        Kind::Deploy,
        format!("{what}:\n    {}", causes.join("\n    ")),
    )
}

/// The root stack's states before an update, against an SDK mock of CloudFormation.
#[cfg(test)]
mod tests {
    use aws_sdk_cloudformation::operation::continue_update_rollback::ContinueUpdateRollbackOutput;
    use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
    use aws_sdk_cloudformation::types::Stack;
    use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};

    use super::*;
    use crate::cli::aws::stack::sdk_tests::aws_with;

    fn stack(status: StackStatus) -> DescribeStacksOutput {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name("root")
                    .stack_id("root-id")
                    .stack_status(status)
                    .creation_time(aws_smithy_types::DateTime::from_secs(0))
                    .build(),
            )
            .build()
    }

    /// CloudFormation answering `statuses` to successive `DescribeStacks`, no events, and
    /// accepting `ContinueUpdateRollback` (the returned rule counts those calls).
    async fn prepare(statuses: &'static [StackStatus]) -> (Result<()>, Rule) {
        let mut describe = mock!(aws_sdk_cloudformation::Client::describe_stacks).sequence();
        for status in statuses {
            describe = describe.output(move || stack(status.clone()));
        }
        let describe = describe.build();
        let events = mock!(aws_sdk_cloudformation::Client::describe_stack_events)
            .then_output(|| DescribeStackEventsOutput::builder().build());
        let resume = mock!(aws_sdk_cloudformation::Client::continue_update_rollback)
            .match_requests(|r| r.stack_name() == Some("root"))
            .then_output(|| ContinueUpdateRollbackOutput::builder().build());
        let aws = aws_with(mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            [&describe, &events, &resume]
        ));
        let provider = ProviderInfo {
            stack_name: Some("root".into()),
            ..ProviderInfo::default()
        };
        let result = prepare_stack(&aws, &Stacks::new(&aws), &provider, &[], true).await;
        (result, resume)
    }

    #[tokio::test]
    async fn a_failed_rollback_is_resumed_before_the_update() {
        let (result, resume) = prepare(&[
            StackStatus::UpdateRollbackFailed,
            StackStatus::UpdateRollbackInProgress,
            StackStatus::UpdateRollbackComplete,
        ])
        .await;
        assert!(result.is_ok(), "{:?}", result.err());
        assert_eq!(resume.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_rollback_that_fails_again_stops_the_push_naming_the_stack() {
        let (result, resume) = prepare(&[
            StackStatus::UpdateRollbackFailed,
            StackStatus::UpdateRollbackFailed,
        ])
        .await;
        let err = result.unwrap_err();
        assert!(
            err.message
                .contains("the rollback of `root` did not complete (UPDATE_ROLLBACK_FAILED)"),
            "{}",
            err.message
        );
        assert_eq!(err.kind, Kind::Deploy);
        assert_eq!(resume.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_busy_stack_is_refused_and_left_alone() {
        let (result, resume) = prepare(&[StackStatus::UpdateInProgress]).await;
        let err = result.unwrap_err();
        assert_eq!(err.kind, Kind::Busy, "{}", err.message);
        assert_eq!(resume.num_calls(), 0);
    }
}
