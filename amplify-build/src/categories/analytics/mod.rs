//! `#[analytics(...)]`: an Amazon Kinesis data stream that the app's signed-in users (and,
//! when declared, guests) put events into — Amplify's `Kinesis` analytics service, which
//! replaces Amazon Pinpoint analytics (ended 2026-10-30). The identity pool's roles get
//! `kinesis:PutRecord(s)` on the stream; functions may be granted `write` or `read`.

mod synth;

use crate::category::model::Backend;
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, OutputDef, ParseContext};
use crate::cfn::{policy, Value};
use crate::decl::args::{ArgReader, Unit};
use crate::plan::{ClientFile, ClientFragment, Fragment};

/// The analytics category (Kinesis Data Streams).
pub struct Analytics;

/// `#[analytics(...)]`: one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsSpec {
    /// Provisioned shards; `None` is on-demand capacity.
    pub shards: Option<u32>,
    /// How long records are kept, in hours.
    pub retention_hours: u32,
    /// Guests (the identity pool's unauthenticated role) may put events too.
    pub guest: bool,
}

const KEYS: &[&str] = &["shards", "retention_hours", "guest"];

/// What reading the stream takes (a function consuming the events).
const READ: &[&str] = &[
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
];
/// What putting events takes.
pub(crate) const WRITE: &[&str] = &["kinesis:PutRecord", "kinesis:PutRecords"];

impl Category for Analytics {
    type Spec = AnalyticsSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/kinesis/home?region={region}#/streams/details/{kinesisStreamId}/monitoring")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "analytics",
            category: "analytics",
            service: "Kinesis",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<AnalyticsSpec> {
        let cx = args.cx();
        let shards = args
            .take("shards")
            .map(|a| a.quantity(cx, 1..=500, Unit::Count));
        let retention = args
            .take("retention_hours")
            .map(|a| a.quantity(cx, 24..=8760, Unit::Count));
        let guest = args.take("guest").and_then(|a| a.flag(cx)).unwrap_or(false);
        Some(AnalyticsSpec {
            shards: shards.flatten(),
            retention_hours: retention.flatten().unwrap_or(24),
            guest,
        })
    }

    fn outputs(&self, _: Option<&AnalyticsSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("kinesisStreamId")
                .accessor("stream_name", "The Kinesis stream's name.")
                .granted(),
            OutputDef::new("kinesisStreamArn")
                .accessor("stream_arn", "The Kinesis stream's ARN.")
                .granted(),
            OutputDef::new("kinesisStreamShardCount"),
            OutputDef::new("Region").accessor("region", "The stream's region."),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["write", "read"]
    }

    fn grant(
        &self,
        _: Declared<'_, AnalyticsSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let arn = Value::r#ref(parameter("kinesisStreamArn"));
        let actions = if permission == "write" { WRITE } else { READ };
        vec![policy::allow(actions, vec![arn])]
    }

    fn synthesize(&self, it: Declared<'_, AnalyticsSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec)
    }

    fn client_config(&self, it: Declared<'_, AnalyticsSpec>, _: &Backend) -> Vec<ClientFragment> {
        // Amplify's Kinesis providers are configured in code (`Analytics: {Kinesis:
        // {region}}`), not read from a file: the stream is under `custom.analytics`.
        vec![ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(
                    "analytics",
                    Fragment::object([(
                        it.name.as_str(),
                        Fragment::object([
                            ("kinesis_stream_name", Fragment::output("kinesisStreamId")),
                            ("kinesis_stream_arn", Fragment::output("kinesisStreamArn")),
                            ("aws_region", Fragment::Region),
                        ]),
                    )]),
                )]),
            )]),
        }]
    }
}
