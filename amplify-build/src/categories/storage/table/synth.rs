//! The DynamoDB table's nested stack.

use super::{Billing, KeyAttr, TableSpec};
use crate::category::stack::{description, NestedStack};
use crate::cfn::{obj, Resource, Template, Value};

/// The nested stack of the table named `name`.
pub(super) fn nested_stack(name: &str, spec: &TableSpec) -> NestedStack {
    let mut t = Template::new(description("storage-DynamoDB"));
    t.string_param("env").describe("Amplify environment name");
    t.resource("DynamoDBTable", table(name, spec));
    t.output("Name", Value::r#ref("DynamoDBTable"));
    t.output("Arn", Value::get_att("DynamoDBTable", "Arn"));
    if spec.stream {
        t.output("StreamArn", Value::get_att("DynamoDBTable", "StreamArn"));
    }
    t.output(
        "PartitionKeyName",
        Value::from(spec.partition_key.name.as_str()),
    );
    t.output(
        "PartitionKeyType",
        Value::from(spec.partition_key.kind.code()),
    );
    if let Some(sk) = &spec.sort_key {
        t.output("SortKeyName", Value::from(sk.name.as_str()));
        t.output("SortKeyType", Value::from(sk.kind.code()));
    }
    t.output("Region", Value::r#ref("AWS::Region"));
    NestedStack::new(t, format!("build/{name}-cloudformation-template.json"))
}

fn key_schema(pk: &KeyAttr, sk: Option<&KeyAttr>) -> Value {
    let mut keys = vec![obj([
        ("AttributeName", Value::from(pk.name.as_str())),
        ("KeyType", "HASH".into()),
    ])];
    if let Some(sk) = sk {
        keys.push(obj([
            ("AttributeName", Value::from(sk.name.as_str())),
            ("KeyType", "RANGE".into()),
        ]));
    }
    Value::List(keys)
}

fn throughput(billing: Billing) -> Option<Value> {
    match billing {
        Billing::OnDemand => None,
        Billing::Provisioned { read, write } => Some(obj([
            ("ReadCapacityUnits", Value::from(read)),
            ("WriteCapacityUnits", Value::from(write)),
        ])),
    }
}

fn table(name: &str, spec: &TableSpec) -> Resource {
    let mut attributes: Vec<&KeyAttr> = Vec::new();
    let keys = std::iter::once(&spec.partition_key)
        .chain(spec.sort_key.iter())
        .chain(
            spec.indexes
                .iter()
                .flat_map(|i| std::iter::once(&i.partition_key).chain(i.sort_key.iter())),
        );
    for a in keys {
        if !attributes.iter().any(|b| b.name == a.name) {
            attributes.push(a);
        }
    }
    let definitions: Vec<Value> = attributes
        .iter()
        .map(|a| {
            obj([
                ("AttributeName", Value::from(a.name.as_str())),
                ("AttributeType", a.kind.code().into()),
            ])
        })
        .collect();

    let mut table = Resource::new("AWS::DynamoDB::Table")
        .prop(
            "TableName",
            Value::sub(format!(
                "{}-${{env}}",
                spec.table_name.as_deref().unwrap_or(name)
            )),
        )
        .prop("AttributeDefinitions", Value::List(definitions))
        .prop(
            "KeySchema",
            key_schema(&spec.partition_key, spec.sort_key.as_ref()),
        )
        .prop(
            "BillingMode",
            match spec.billing {
                Billing::OnDemand => "PAY_PER_REQUEST",
                Billing::Provisioned { .. } => "PROVISIONED",
            },
        )
        .prop_opt("ProvisionedThroughput", throughput(spec.billing));
    if !spec.indexes.is_empty() {
        let gsis = spec
            .indexes
            .iter()
            .map(|i| {
                let mut fields = vec![
                    ("IndexName", Value::from(i.name.as_str())),
                    (
                        "KeySchema",
                        key_schema(&i.partition_key, i.sort_key.as_ref()),
                    ),
                    ("Projection", obj([("ProjectionType", Value::from("ALL"))])),
                ];
                if let Some(t) = throughput(spec.billing) {
                    fields.push(("ProvisionedThroughput", t));
                }
                obj(fields)
            })
            .collect();
        table = table.prop("GlobalSecondaryIndexes", Value::List(gsis));
    }
    table = table
        .prop("SSESpecification", super::kms_encryption())
        .prop(
            "PointInTimeRecoverySpecification",
            obj([(
                "PointInTimeRecoveryEnabled",
                spec.point_in_time_recovery.into(),
            )]),
        );
    if spec.stream {
        table = table.prop(
            "StreamSpecification",
            obj([("StreamViewType", Value::from("NEW_AND_OLD_IMAGES"))]),
        );
    }
    table.checkov_skip_if(
        !spec.point_in_time_recovery,
        "CKV_AWS_28",
        "point-in-time recovery turned off in the declaration: #[table(point_in_time_recovery = false)]",
    )
}
