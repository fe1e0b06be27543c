//! Following a deployment live: the root stack's events and those of every nested stack
//! it touches, printed as they happen, until the root reaches a final state.

use aws_sdk_cloudformation::types::StackStatus;
use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_cloudformation::types::StackEvent;
use aws_smithy_types::DateTime;

use super::{root_causes, Failure, Stacks};
use crate::cli::aws::{is_missing_stack, sdk_error};
use crate::cli::error::{CliError, Kind, Result};
use crate::cli::progress::Progress;

/// What one wait has seen so far.
struct Watch<'p> {
    root: String,
    /// `(label, stack id)` of the root and of each nested stack seen starting.
    watched: Vec<(String, String)>,
    /// Event ids already shown (and the baseline before the operation).
    seen: HashSet<String>,
    /// When the operation's first root event happened: older nested events are history.
    since: Option<DateTime>,
    failures: Vec<Failure>,
    progress: &'p Progress,
}

impl Stacks<'_> {
    /// Follows the root stack and every nested stack it touches until the root reaches a
    /// final state. Returns that state and the root-cause failures (empty on success).
    pub async fn wait(
        &self,
        root: &str,
        baseline: &HashSet<String>,
        progress: &Progress,
    ) -> Result<(StackStatus, Vec<Failure>)> {
        let mut watch = Watch {
            root: root.to_owned(),
            watched: vec![(root.to_owned(), root.to_owned())],
            seen: baseline.clone(),
            since: None,
            failures: Vec::new(),
            progress,
        };
        let mut delay = Duration::from_millis(200);
        loop {
            // Status first, events second: every event up to the status read is then seen
            // in this pass, so a stack that just finished never loses its last events.
            let info = self.describe(root).await?;
            // Nested stacks found in this pass are read in the same pass; the pass's events
            // of every stack are then shown together in time order.
            let mut pass: Vec<(usize, StackEvent)> = Vec::new();
            let mut i = 0;
            while i < watch.watched.len() {
                let id = watch.watched[i].1.clone();
                let events = match self.events(&id, &watch.seen).await? {
                    Some(events) => events,
                    // A nested stack deleted during a rollback has no events to read any
                    // more, nor has the root once a delete removed it (some emulators
                    // answer "does not exist" for its events at once).
                    None if i > 0 || info.is_none() => Vec::new(),
                    None => {
                        return Err(CliError::new(
                            Kind::Aws,
                            format!("stack `{root}` disappeared while it was being deployed"),
                        )
                        .help("`cargo amplify status` shows what is deployed now"))
                    }
                };
                watch.collect(i, &events, &mut pass);
                i += 1;
            }
            // Stable: events of one instant keep the root-first, oldest-first order.
            pass.sort_by_key(|(_, e)| e.timestamp().map(|t| (t.secs(), t.subsec_nanos())));
            for (i, e) in &pass {
                watch.record(*i, e);
            }
            let Some(info) = info else {
                // Deleted: the final state of a delete, or of a failed create being removed.
                return Ok((StackStatus::DeleteComplete, root_causes(&watch.failures)));
            };
            progress.status(&format!("{root}: {}", info.status.as_str()));
            if !info.in_progress() {
                let ok = matches!(
                    info.status,
                    StackStatus::CreateComplete
                        | StackStatus::UpdateComplete
                        | StackStatus::DeleteComplete
                );
                let failures = if ok {
                    Vec::new()
                } else {
                    root_causes(&watch.failures)
                };
                return Ok((info.status, failures));
            }
            tokio::time::sleep(delay).await;
            // Slow growth: a stack is noticed done at most a quarter of its time late
            // (growing by half, a 4-second update was seen after 6.4 s).
            delay = (delay * 5 / 4).min(Duration::from_secs(5));
        }
    }

    /// Events of a stack not seen yet, newest first, following pages until a seen one.
    /// `None` when the stack does not exist (any more).
    async fn events(&self, stack: &str, seen: &HashSet<String>) -> Result<Option<Vec<StackEvent>>> {
        let mut out = Vec::new();
        let mut token = None;
        for _ in 0..50 {
            let page = match self
                .aws
                .cfn
                .describe_stack_events()
                .stack_name(stack)
                .set_next_token(token)
                .send()
                .await
            {
                Ok(page) => page,
                Err(e) if is_missing_stack(&e) => return Ok(None),
                Err(e) => return Err(sdk_error(format!("cannot read the events of `{stack}`"), e)),
            };
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
        Ok(Some(out))
    }
}

impl Watch<'_> {
    /// Takes the new events (newest first, as CloudFormation lists them) of the `i`th
    /// watched stack into `pass`, oldest first, watching the nested stacks they name.
    fn collect(&mut self, i: usize, events: &[StackEvent], pass: &mut Vec<(usize, StackEvent)>) {
        let since = self.since;
        let mut fresh: Vec<&StackEvent> = events
            .iter()
            .filter(|e| {
                i == 0 || since.is_none_or(|s| e.timestamp().is_none_or(|t| !is_before(t, &s)))
            })
            .collect();
        fresh.reverse();
        for e in fresh {
            self.seen
                .insert(e.event_id().unwrap_or_default().to_owned());
            if i == 0 && self.since.is_none() {
                self.since = e.timestamp().copied();
            }
            self.discover(i, e);
            pass.push((i, e.clone()));
        }
    }

    /// Watches the nested stack an event of the `i`th watched stack names, if new.
    fn discover(&mut self, i: usize, e: &StackEvent) {
        let id = self.watched[i].1.clone();
        let kind = e.resource_type().unwrap_or_default();
        let logical = e.logical_resource_id().unwrap_or_default();
        // The root's own events name the root; only children are watched.
        if kind == "AWS::CloudFormation::Stack" && logical != self.root {
            if let Some(physical) = e
                .physical_resource_id()
                .filter(|p| p.starts_with("arn:") && *p != id)
            {
                if !self.watched.iter().any(|(_, w)| w == physical) {
                    self.watched.push((logical.to_owned(), physical.to_owned()));
                }
            }
        }
    }

    /// Prints one event of the `i`th watched stack and remembers a failure.
    fn record(&mut self, i: usize, e: &StackEvent) {
        let (label, _) = self.watched[i].clone();
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
        self.progress
            .event(format!("  {status:<24} {name:<44} {kind:<40} {reason}").trim_end());
        if status.ends_with("_FAILED") {
            self.failures.push(Failure {
                stack: label,
                resource: logical.to_owned(),
                resource_type: kind.to_owned(),
                status: status.to_owned(),
                reason: reason.to_owned(),
            });
        }
    }
}

fn is_before(t: &DateTime, since: &DateTime) -> bool {
    (t.secs(), t.subsec_nanos()) < (since.secs(), since.subsec_nanos())
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudformation::operation::describe_stack_events::{
        DescribeStackEventsError, DescribeStackEventsOutput,
    };
    use aws_smithy_mocks::{mock, mock_client, RuleMode};
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;
    use crate::cli::aws::stack::sdk_tests::aws_with;

    fn event(id: &str) -> StackEvent {
        StackEvent::builder()
            .event_id(id)
            .stack_id("s")
            .stack_name("s")
            .timestamp(DateTime::from_secs(0))
            .build()
    }

    #[tokio::test]
    async fn events_follow_pages_until_one_already_seen_and_no_further() {
        let first = mock!(aws_sdk_cloudformation::Client::describe_stack_events)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                DescribeStackEventsOutput::builder()
                    .stack_events(event("e5"))
                    .stack_events(event("e4"))
                    .next_token("page2")
                    .build()
            });
        let second = mock!(aws_sdk_cloudformation::Client::describe_stack_events)
            .match_requests(|r| r.next_token() == Some("page2"))
            .then_output(|| {
                DescribeStackEventsOutput::builder()
                    .stack_events(event("e3"))
                    .stack_events(event("e2"))
                    .stack_events(event("e1"))
                    .next_token("page3")
                    .build()
            });
        // Reading page 3 would be a bug: e2 was seen, so everything after it was too.
        let third = mock!(aws_sdk_cloudformation::Client::describe_stack_events)
            .match_requests(|r| r.next_token() == Some("page3"))
            .then_output(|| {
                DescribeStackEventsOutput::builder()
                    .stack_events(event("e0"))
                    .build()
            });
        let aws = aws_with(mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            [&first, &second, &third]
        ));
        let seen: HashSet<String> = ["e2".to_owned(), "e1".to_owned()].into();
        let events = Stacks::new(&aws).events("s", &seen).await.unwrap().unwrap();
        let ids: Vec<&str> = events.iter().filter_map(|e| e.event_id()).collect();
        assert_eq!(ids, ["e5", "e4", "e3"]);
        assert_eq!(first.num_calls(), 1);
        assert_eq!(second.num_calls(), 1);
        assert_eq!(third.num_calls(), 0);
    }

    #[tokio::test]
    async fn a_stack_that_is_gone_has_no_events_rather_than_an_error() {
        let gone = mock!(aws_sdk_cloudformation::Client::describe_stack_events).then_error(|| {
            DescribeStackEventsError::generic(
                ErrorMetadata::builder()
                    .code("ValidationError")
                    .message("Stack [s] does not exist")
                    .build(),
            )
        });
        let aws = aws_with(mock_client!(aws_sdk_cloudformation, [&gone]));
        assert!(Stacks::new(&aws)
            .events("s", &HashSet::new())
            .await
            .unwrap()
            .is_none());
    }
}
