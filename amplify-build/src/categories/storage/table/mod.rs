//! `#[table(...)]`: a DynamoDB table with its keys, indexes, capacity and stream.

mod decl;
mod synth;

use indexmap::IndexMap;

use crate::category::stack::{NestedStack, StackContext};
use crate::category::{
    Capability, Category, Declared, Descriptor, ImportKey, OutputDef, ParseContext,
};
use crate::cfn::policy;
use crate::cfn::Value;
use crate::decl::args::ArgReader;

/// The DynamoDB part of the storage category.
pub struct Table;

/// A DynamoDB attribute type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
}

impl KeyType {
    /// The DynamoDB `AttributeType` letter.
    pub fn code(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }
}

/// A key attribute.
#[derive(Debug, Clone)]
pub struct KeyAttr {
    /// Attribute name.
    pub name: String,
    /// Attribute type.
    pub kind: KeyType,
    /// Where it was declared.
    pub span: proc_macro2::Span,
}

/// A global secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Partition key.
    pub partition_key: KeyAttr,
    /// Optional sort key.
    pub sort_key: Option<KeyAttr>,
}

/// Table capacity mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Pay per request.
    OnDemand,
    /// Provisioned read/write capacity units.
    Provisioned {
        /// Read capacity units.
        read: u32,
        /// Write capacity units.
        write: u32,
    },
}

/// `#[table(...)]`: a DynamoDB table.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// Partition key.
    pub partition_key: KeyAttr,
    /// Optional sort key.
    pub sort_key: Option<KeyAttr>,
    /// Global secondary indexes.
    pub indexes: Vec<Index>,
    /// Capacity mode.
    pub billing: Billing,
    /// Continuous backups.
    pub point_in_time_recovery: bool,
    /// Emit a stream of item changes.
    pub stream: bool,
    /// The name it was deployed with before (`table_name = "..."`, an adopted Gen 1
    /// table): deployed as `<table_name>-<env>` instead of `<resource>-<env>`.
    pub table_name: Option<String>,
}

const KEYS: &[&str] = &[
    "partition_key",
    "sort_key",
    "index",
    "billing",
    "point_in_time_recovery",
    "stream",
    "table_name",
];

const IMPORT: &[ImportKey] = &[ImportKey {
    key: "name",
    output: "Name",
    required: true,
}];

const DERIVED: &[(&str, &str)] = &[
    (
        "Arn",
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/{Name}",
    ),
    ("Region", "${AWS::Region}"),
];

/// IAM actions of one permission on a table.
pub fn actions(permission: &str) -> &'static [&'static str] {
    match permission {
        "read" => &[
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
        ],
        "write" => &[
            "dynamodb:BatchWriteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
        ],
        _ => &["dynamodb:DeleteItem"],
    }
}

/// Server-side encryption with the account's AWS-managed DynamoDB key.
pub fn kms_encryption() -> Value {
    crate::cfn::obj([
        ("SSEEnabled", true.into()),
        ("SSEType", "KMS".into()),
        ("KMSMasterKeyId", "alias/aws/dynamodb".into()),
    ])
}

/// The table and its indexes, given a `Ref` to its ARN.
pub fn arns(arn: Value) -> Vec<Value> {
    vec![
        arn.clone(),
        Value::Join(String::new(), vec![arn, "/index/*".into()]),
    ]
}

impl Category for Table {
    type Spec = TableSpec;

    fn capabilities(&self) -> &'static [Capability] {
        &[Capability::DynamoDbTable]
    }

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/dynamodbv2/home?region={region}#table?name={Name}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "table",
            category: "storage",
            service: "DynamoDB",
            keys: KEYS,
            import: Some(IMPORT),
            import_derived: DERIVED,
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<TableSpec> {
        decl::parse(args, cx.attr_span)
    }

    fn imported(&self, _: &mut IndexMap<String, String>) -> TableSpec {
        decl::imported()
    }

    fn outputs(&self, spec: Option<&TableSpec>) -> Vec<OutputDef> {
        let mut outputs = vec![
            OutputDef::new("Name")
                .accessor("table_name", "The DynamoDB table name.")
                .granted(),
            OutputDef::new("Arn")
                .accessor("table_arn", "The table ARN.")
                .granted(),
        ];
        if spec.is_none_or(|s| s.stream) {
            outputs.push(
                OutputDef::new("StreamArn").accessor("stream_arn", "The table's stream ARN."),
            );
        }
        outputs.push(OutputDef::new("PartitionKeyName"));
        outputs.push(OutputDef::new("PartitionKeyType"));
        if spec.is_none_or(|s| s.sort_key.is_some()) {
            outputs.push(OutputDef::new("SortKeyName"));
            outputs.push(OutputDef::new("SortKeyType"));
        }
        outputs.push(OutputDef::new("Region").accessor("region", "The table's region."));
        outputs
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["read", "write", "delete"]
    }

    fn grant(
        &self,
        _: Declared<'_, TableSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        vec![policy::allow(
            actions(permission),
            arns(Value::r#ref(parameter("Arn"))),
        )]
    }

    fn synthesize(&self, it: Declared<'_, TableSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec)
    }
}
