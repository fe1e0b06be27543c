//! The stream's nested stack, in the shape of Amplify's Kinesis template: the stream
//! (`<name>-<env>`, encrypted), and the identity pool roles' permission to put events.

use super::{AnalyticsSpec, WRITE};
use crate::category::stack::{description, IdentityRole, NestedStack};
use crate::cfn::{list, obj, policy, Resource, Template, Value};

pub(super) fn nested_stack(name: &str, spec: &AnalyticsSpec) -> NestedStack {
    let mut t = Template::new(description("analytics-Kinesis"));
    t.string_param("env").describe("Amplify environment name");
    let mut bindings = indexmap::IndexMap::new();
    let signed_in = IdentityRole::SignedIn.declare(&mut t, &mut bindings);
    let guest = spec
        .guest
        .then(|| IdentityRole::Guest.declare(&mut t, &mut bindings));
    let mut stream = Resource::new("AWS::Kinesis::Stream")
        .prop(
            "Name",
            Value::Join("-".into(), vec![name.into(), Value::r#ref("env")]),
        )
        .prop("RetentionPeriodHours", Value::from(spec.retention_hours))
        .prop(
            "StreamEncryption",
            obj([
                ("EncryptionType", Value::from("KMS")),
                ("KeyId", "alias/aws/kinesis".into()),
            ]),
        );
    stream = match spec.shards {
        Some(shards) => stream.prop("ShardCount", Value::from(shards)),
        None => stream.prop(
            "StreamModeDetails",
            obj([("StreamMode", Value::from("ON_DEMAND"))]),
        ),
    };
    t.resource("KinesisStream", stream);
    let put = |id: &str, role: Value| {
        Resource::new("AWS::IAM::Policy")
            .prop("PolicyName", Value::sub(format!("{id}-${{KinesisStream}}")))
            .prop("Roles", list([role]))
            .prop(
                "PolicyDocument",
                policy::document(vec![policy::allow(
                    WRITE,
                    vec![Value::get_att("KinesisStream", "Arn")],
                )]),
            )
    };
    t.resource("CognitoAuthPolicy", put("kinesis_amplify_auth", signed_in));
    if let Some(guest) = guest {
        t.resource("CognitoUnauthPolicy", put("kinesis_amplify_unauth", guest));
    }
    t.output("kinesisStreamArn", Value::get_att("KinesisStream", "Arn"));
    t.output("kinesisStreamId", Value::r#ref("KinesisStream"));
    t.output(
        "kinesisStreamShardCount",
        match spec.shards {
            Some(shards) => Value::from(shards.to_string()),
            None => Value::from("on-demand"),
        },
    );
    t.output("Region", Value::r#ref("AWS::Region"));
    let mut stack = NestedStack::new(t, "kinesis-cloudformation-template.json");
    stack.bindings = bindings;
    stack
}
