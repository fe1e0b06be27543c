//! The queue's nested stack: the queue, its dead-letter queue if declared, and the
//! outputs the category's table promises.

use amplify_build::category::stack::{description, NestedStack};
use amplify_build::cfn::{obj, Resource, Template, Value};

use crate::QueueSpec;

/// The nested stack of the queue named `name`.
pub(crate) fn nested_stack(name: &str, spec: &QueueSpec) -> NestedStack {
    let mut t = Template::new(description("queue-SQS"));
    t.string_param("env").describe("Amplify environment name");
    // Resource names have at most 60 characters and environment names 10, so even
    // `<name>-dlq-<env>.fifo` stays within SQS's 80.
    let suffix = if spec.fifo { ".fifo" } else { "" };
    let mut queue = base_queue(spec.fifo)
        .prop("QueueName", Value::sub(format!("{name}-${{env}}{suffix}")))
        .prop("VisibilityTimeout", Value::from(spec.visibility_timeout))
        .prop(
            "MessageRetentionPeriod",
            Value::from(spec.retention_days * 24 * 60 * 60),
        )
        .prop("DelaySeconds", Value::from(spec.delay));
    if let Some(max_receives) = spec.dead_letter {
        // Messages are kept in the dead-letter queue for the longest period SQS allows,
        // so that a failure can still be looked at after the source's retention.
        let dead = base_queue(spec.fifo)
            .prop(
                "QueueName",
                Value::sub(format!("{name}-dlq-${{env}}{suffix}")),
            )
            .prop("MessageRetentionPeriod", Value::from(14_u32 * 24 * 60 * 60));
        t.resource("DeadLetterQueue", dead);
        queue = queue.prop(
            "RedrivePolicy",
            obj([
                (
                    "deadLetterTargetArn",
                    Value::get_att("DeadLetterQueue", "Arn"),
                ),
                ("maxReceiveCount", Value::from(max_receives)),
            ]),
        );
        t.output("DeadLetterQueueUrl", Value::r#ref("DeadLetterQueue"));
    }
    t.resource("Queue", queue);
    t.output("QueueUrl", Value::r#ref("Queue"));
    t.output("QueueArn", Value::get_att("Queue", "Arn"));
    t.output("QueueName", Value::get_att("Queue", "QueueName"));
    t.output("Region", Value::r#ref("AWS::Region"));
    NestedStack::new(t, format!("build/{name}-cloudformation-template.json"))
}

/// What every queue of this category has: SQS-managed encryption at rest.
fn base_queue(fifo: bool) -> Resource {
    let queue = Resource::new("AWS::SQS::Queue")
        .prop("SqsManagedSseEnabled", Value::from(true))
        .checkov_skip(
            "CKV_AWS_27",
            "encrypted at rest with SQS-managed keys (SqsManagedSseEnabled), which the check predates",
        );
    if fifo {
        queue.prop("FifoQueue", Value::from(true))
    } else {
        queue
    }
}
