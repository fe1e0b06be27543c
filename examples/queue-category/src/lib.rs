//! `#[queue(...)]`: Amazon SQS queues as an amplify-rs category, written outside the
//! amplify-rs crates against the public [`amplify_build::Category`] interface.
//!
//! Register it in `build.rs`:
//!
//! ```no_run
//! amplify_build::Config::new()
//!     .category(amplify_category_queue::Queue)
//!     .synthesize()
//!     .expect("amplify backend synthesis");
//! ```
//!
//! then declare queues inside `#[amplify::backend]`:
//!
//! ```ignore
//! #[queue(visibility_timeout = 60, retention_days = 7, dead_letter(max_receives = 5))]
//! pub struct Jobs;
//!
//! #[function(runtime = node(code = "functions/enqueue"), grant(Jobs = [send]))]
//! pub struct Enqueue;
//! ```
//!
//! `consumer = Worker` has a function (any category's, as long as it is a Lambda
//! function: [`Capability::InvocableFunction`]) receive the queue's messages. The event
//! source mapping and the consumer's permission to receive live in a *link stack*
//! ([`amplify_build::Link`]): the queue's stack cannot name the function while the
//! function's grant names the queue.

mod synth;

use amplify_build::category::model::{resolve, Backend, Reference};
use amplify_build::category::stack::{NestedStack, StackContext};
use amplify_build::category::{Declared, ParseContext};
use amplify_build::cfn::policy;
use amplify_build::cfn::Value;
use amplify_build::cfn::{list, Resource};
use amplify_build::decl::args::ArgValue;
use amplify_build::decl::args::{ArgReader, Unit};
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::plan::{ClientFile, ClientFragment, Fragment};
use amplify_build::{Capability, Category, Descriptor, Edge, ImportKey, Link, OutputDef};

/// The queue category. Register it with [`amplify_build::Config::category`].
pub struct Queue;

/// One declared queue.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    /// A FIFO queue (exactly-once, ordered); its name ends in `.fifo`.
    pub fifo: bool,
    /// Seconds a received message stays hidden from other consumers.
    pub visibility_timeout: u32,
    /// Days a message is kept.
    pub retention_days: u32,
    /// Seconds every message is delayed before it can be received.
    pub delay: u32,
    /// Receives after which a message moves to a dead-letter queue, if one is wanted.
    pub dead_letter: Option<u32>,
    /// The function that receives the queue's messages, if any.
    pub consumer: Option<Reference>,
}

impl Default for QueueSpec {
    /// SQS's own defaults.
    fn default() -> Self {
        QueueSpec {
            fifo: false,
            visibility_timeout: 30,
            retention_days: 4,
            delay: 0,
            dead_letter: None,
            consumer: None,
        }
    }
}

const KEYS: &[&str] = &[
    "fifo",
    "visibility_timeout",
    "retention_days",
    "delay",
    "dead_letter",
    "consumer",
];

const IMPORT: &[ImportKey] = &[
    ImportKey {
        key: "url",
        output: "QueueUrl",
        required: true,
    },
    ImportKey {
        key: "arn",
        output: "QueueArn",
        required: true,
    },
];

/// Actions each permission grants on the queue.
const SEND: &[&str] = &[
    "sqs:SendMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
];
const CONSUME: &[&str] = &[
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
];

impl Category for Queue {
    type Spec = QueueSpec;

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "queue",
            category: "queue",
            service: "SQS",
            keys: KEYS,
            import: Some(IMPORT),
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<QueueSpec> {
        let cx = args.cx();
        let defaults = QueueSpec::default();
        let fifo = args.take("fifo").and_then(|a| a.flag(cx));
        let visibility_timeout = args
            .take("visibility_timeout")
            .map(|a| a.quantity(cx, 0..=43_200, Unit::Seconds));
        let retention_days = args
            .take("retention_days")
            .map(|a| a.quantity(cx, 1..=14, Unit::Days));
        let delay = args
            .take("delay")
            .map(|a| a.quantity(cx, 0..=900, Unit::Seconds));
        let dead_letter = args.take("dead_letter").map(|a| dead_letter(&a, cx));
        let consumer = args
            .take("consumer")
            .and_then(|a| match a.value(cx, "a function")? {
                ArgValue::Ident(ident) => Some(Reference::to(ident)),
                other => {
                    cx.error(
                        other.span(),
                        "`consumer` names a function: `consumer = Worker`",
                    );
                    None
                }
            });
        Some(QueueSpec {
            fifo: fifo.unwrap_or(defaults.fifo),
            // A value that failed to parse was reported; the default keeps the rest going.
            visibility_timeout: visibility_timeout
                .flatten()
                .unwrap_or(defaults.visibility_timeout),
            retention_days: retention_days.flatten().unwrap_or(defaults.retention_days),
            delay: delay.flatten().unwrap_or(defaults.delay),
            dead_letter: dead_letter.flatten(),
            consumer,
        })
    }

    fn imported(&self, _: &mut amplify_build::indexmap::IndexMap<String, String>) -> QueueSpec {
        QueueSpec::default()
    }

    fn outputs(&self, spec: Option<&QueueSpec>) -> Vec<OutputDef> {
        let mut outputs = vec![
            OutputDef::new("QueueUrl")
                .accessor(
                    "queue_url",
                    "The queue's URL, for SendMessage and ReceiveMessage.",
                )
                .granted(),
            OutputDef::new("QueueArn")
                .accessor("queue_arn", "The queue's ARN.")
                .granted(),
            OutputDef::new("QueueName").accessor("queue_name", "The queue's name."),
            OutputDef::new("Region").accessor("region", "The queue's region."),
        ];
        // Without a parsed spec every possible output is listed, so that accessors a
        // user calls exist even while the declaration has a mistake.
        if spec.is_none_or(|s| s.dead_letter.is_some()) {
            outputs.push(OutputDef::new("DeadLetterQueueUrl").accessor(
                "dead_letter_queue_url",
                "The URL of the queue failed messages move to.",
            ));
        }
        outputs
    }

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/sqs/v3/home?region={region}#/queues/{QueueUrl}")
    }

    fn check(&self, it: Declared<'_, QueueSpec>, backend: &Backend, cx: &Diagnostics) {
        let Some(consumer) = &it.spec.consumer else {
            return;
        };
        let target = resolve(backend, consumer, "a `#[function]` struct", cx);
        if let Some(t) = target.filter(|t| !t.can(Capability::InvocableFunction)) {
            cx.error(
                consumer.span,
                format!(
                    "`consumer = {}` must name a Lambda function, but `{}` is a `#[{}]`; declare it with `#[function]`",
                    consumer.name,
                    consumer.name,
                    t.attribute()
                ),
            );
        }
    }

    fn links<'a>(&self, it: Declared<'a, QueueSpec>, backend: &'a Backend) -> Vec<Link<'a>> {
        let Some(consumer) = &it.spec.consumer else {
            return Vec::new();
        };
        let Some(target) = backend.resolve(consumer) else {
            return Vec::new(); // reported by `check`
        };
        let queue_arn = StackContext::dependency_ref(it.resource, "QueueArn");
        let function = |output: &str| StackContext::dependency_ref(target, output);
        let policy = Resource::new("AWS::IAM::Policy")
            .prop(
                "PolicyName",
                Value::sub(format!("{}-consume-${{env}}", it.name)),
            )
            .prop("Roles", list([function("LambdaExecutionRole")]))
            .prop(
                "PolicyDocument",
                policy::document(vec![policy::allow(CONSUME, vec![queue_arn.clone()])]),
            );
        let mut mapping = Resource::new("AWS::Lambda::EventSourceMapping")
            .prop("EventSourceArn", queue_arn)
            .prop("FunctionName", function("Arn"))
            .prop("BatchSize", Value::from(10_u32));
        // Lambda checks the permission when the mapping is created.
        mapping.depends_on.push("ConsumerPolicy".into());
        vec![Link {
            name: "Consumer".into(),
            uses: vec![
                Edge {
                    target: &it.resource.ident,
                    span: it.resource.span,
                    outputs: vec!["QueueArn".into()],
                },
                Edge::to(consumer, vec!["Arn".into(), "LambdaExecutionRole".into()]),
            ],
            resources: vec![
                ("ConsumerPolicy".into(), policy),
                ("Mapping".into(), mapping),
            ],
        }]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["send", "consume"]
    }

    fn grant(
        &self,
        _: Declared<'_, QueueSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let actions = match permission {
            "send" => SEND,
            _ => CONSUME,
        };
        let arn = Value::r#ref(parameter("QueueArn"));
        vec![policy::allow(actions, vec![arn])]
    }

    fn synthesize(&self, it: Declared<'_, QueueSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec)
    }

    fn client_config(&self, it: Declared<'_, QueueSpec>, _: &Backend) -> Vec<ClientFragment> {
        vec![ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(
                    "queues",
                    Fragment::object([(
                        it.name.as_str(),
                        Fragment::object([
                            ("url", Fragment::output("QueueUrl")),
                            ("arn", Fragment::output("QueueArn")),
                            ("aws_region", Fragment::Region),
                        ]),
                    )]),
                )]),
            )]),
        }]
    }
}

/// `dead_letter(max_receives = n)`; `dead_letter` alone keeps SQS's usual 5 receives.
fn dead_letter(arg: &amplify_build::decl::args::Arg, cx: &Diagnostics) -> Option<u32> {
    let nested = arg.nested(cx, true)?;
    let mut reader = ArgReader::new(nested, "`dead_letter(...)`", &["max_receives"], cx);
    let max = reader.take("max_receives").map(|a| a.int(cx, 1..=1000));
    reader.finish();
    match max {
        Some(parsed) => parsed,
        None => Some(5),
    }
}
