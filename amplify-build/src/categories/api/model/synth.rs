//! What a model adds to its API's stack: its table (with its key and secondary indexes,
//! encrypted, with point-in-time recovery and a stream), the data source with a role
//! allowed that table only, and a resolver per generated query, mutation and relation
//! field.

use super::resolvers::Operation;
use super::{attribute_type, resolver_code, Key, Model, RelationKind};
use crate::categories::storage::table;
use crate::cfn::{list, obj, policy, Resource, Template, Value};

/// Adds every model's resources to the API's template; returns the resolvers' code as
/// AppSync files (`resolvers/<Type>.<field>.js`).
pub fn add_models(t: &mut Template, models: &[Model]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for model in models {
        let n = &model.name;
        let table_id = model.table_id();
        t.resource(
            &table_id,
            Resource::new("AWS::DynamoDB::Table")
                .prop(
                    "TableName",
                    Value::sub(format!("{n}-${{GraphQLAPI.ApiId}}-${{env}}")),
                )
                .prop("AttributeDefinitions", attribute_definitions(model))
                .prop("KeySchema", key_schema(&model.key))
                .prop(
                    "GlobalSecondaryIndexes",
                    if model.indexes.is_empty() {
                        Value::no_value()
                    } else {
                        list(model.indexes.iter().map(|i| {
                            obj([
                                ("IndexName", Value::from(i.name.as_str())),
                                ("KeySchema", key_schema(&i.key)),
                                ("Projection", obj([("ProjectionType", Value::from("ALL"))])),
                            ])
                        }))
                    },
                )
                .prop("BillingMode", "PAY_PER_REQUEST")
                .prop(
                    "SSESpecification",
                    obj([
                        ("SSEEnabled", true.into()),
                        ("SSEType", "KMS".into()),
                        ("KMSMasterKeyId", "alias/aws/dynamodb".into()),
                    ]),
                )
                .prop(
                    "PointInTimeRecoverySpecification",
                    obj([("PointInTimeRecoveryEnabled", true.into())]),
                )
                .prop(
                    "StreamSpecification",
                    obj([("StreamViewType", Value::from("NEW_AND_OLD_IMAGES"))]),
                ),
        );
        let role = format!("{n}DataSourceRole");
        let mut actions: Vec<&str> = Vec::new();
        for p in ["read", "write", "delete"] {
            actions.extend(table::actions(p));
        }
        t.resource(
            &role,
            Resource::new("AWS::IAM::Role")
                .prop(
                    "AssumeRolePolicyDocument",
                    policy::service_trust("appsync.amazonaws.com"),
                )
                .prop(
                    "Policies",
                    list([obj([
                        ("PolicyName", Value::from(format!("{n}-table"))),
                        (
                            "PolicyDocument",
                            policy::document(vec![policy::allow(
                                &actions,
                                table::arns(Value::get_att(&table_id, "Arn")),
                            )]),
                        ),
                    ])]),
                ),
        );
        t.resource(
            format!("{n}DataSource"),
            Resource::new("AWS::AppSync::DataSource")
                .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
                .prop("Name", table_id.as_str())
                .prop("Type", "AMAZON_DYNAMODB")
                .prop(
                    "DynamoDBConfig",
                    obj([
                        ("TableName", Value::r#ref(&table_id)),
                        ("AwsRegion", Value::r#ref("AWS::Region")),
                    ]),
                )
                .prop("ServiceRoleArn", Value::get_att(&role, "Arn")),
        );
        for (type_name, field, operation) in model.generated_fields() {
            let operation = match operation {
                "get" => Operation::Get,
                "list" => Operation::List,
                "create" => Operation::Create,
                "update" => Operation::Update,
                "delete" => Operation::Delete,
                _ => Operation::Index(
                    model
                        .indexes
                        .iter()
                        .find(|i| i.query_field.as_deref() == Some(field.as_str()))
                        .expect("an index query field names its index"),
                ),
            };
            let code = resolver_code(model, operation);
            files.push(add_resolver(t, type_name, &field, n, code));
        }
        for relation in &model.relations {
            let target = models
                .iter()
                .find(|m| m.name == relation.target)
                .expect("relations name models");
            let operation = match &relation.kind {
                RelationKind::Indexed {
                    index,
                    source,
                    single,
                } => Operation::Related {
                    index,
                    source,
                    single: *single,
                },
                RelationKind::Keyed { fields } => Operation::Keyed(fields),
            };
            let code = resolver_code(target, operation);
            files.push(add_resolver(t, n, &relation.field, &target.name, code));
        }
        t.output(format!("GetAtt{n}TableName"), Value::r#ref(&table_id))
            .description = Some(format!("The table of the `{n}` model."));
        t.output(
            format!("GetAtt{n}TableArn"),
            Value::get_att(&table_id, "Arn"),
        )
        .description = Some(format!("The ARN of the `{n}` model's table."));
        t.output(
            format!("GetAtt{n}TableStreamArn"),
            Value::get_att(&table_id, "StreamArn"),
        )
        .description = Some(format!("The stream of the `{n}` model's table."));
    }
    files
}

/// A UNIT APPSYNC_JS resolver of `type_name.field` on `model`'s table; its file.
fn add_resolver(
    t: &mut Template,
    type_name: &str,
    field: &str,
    model: &str,
    code: String,
) -> (String, String) {
    let mut resolver = Resource::new("AWS::AppSync::Resolver")
        .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
        .prop("TypeName", type_name)
        .prop("FieldName", field)
        .prop(
            "DataSourceName",
            Value::get_att(format!("{model}DataSource"), "Name"),
        )
        .prop("Kind", "UNIT")
        .prop(
            "Runtime",
            obj([
                ("Name", Value::from("APPSYNC_JS")),
                ("RuntimeVersion", "1.0.0".into()),
            ]),
        )
        // From the uploaded AppSync files, as Amplify does: inline code would count
        // against the template's size (1 MB) once per resolver.
        .prop(
            "CodeS3Location",
            Value::sub(format!(
                "s3://${{S3DeploymentBucket}}/${{S3DeploymentRootKey}}/resolvers/{type_name}.{field}.js"
            )),
        );
    resolver.depends_on.push("GraphQLSchema".into());
    let id: String = format!("{type_name}{}Resolver", super::super::upper_first(field))
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    t.resource(id, resolver);
    (format!("resolvers/{type_name}.{field}.js"), code)
}

/// The table's attributes: every key field of the table and its indexes, once.
fn attribute_definitions(model: &Model) -> Value {
    let mut seen: Vec<&str> = Vec::new();
    let keys = std::iter::once(&model.key).chain(model.indexes.iter().map(|i| &i.key));
    for key in keys {
        for name in std::iter::once(&key.partition).chain(&key.sort) {
            if !seen.contains(&name.as_str()) {
                seen.push(name);
            }
        }
    }
    list(seen.into_iter().map(|name| {
        let ty = model
            .field(name)
            .map(|f| f.type_name.as_str())
            .unwrap_or("ID");
        obj([
            ("AttributeName", Value::from(name)),
            ("AttributeType", attribute_type(ty).into()),
        ])
    }))
}

fn key_schema(key: &Key) -> Value {
    let mut parts = vec![obj([
        ("AttributeName", Value::from(key.partition.as_str())),
        ("KeyType", "HASH".into()),
    ])];
    if let Some(sort) = &key.sort {
        parts.push(obj([
            ("AttributeName", Value::from(sort.as_str())),
            ("KeyType", "RANGE".into()),
        ]));
    }
    list(parts)
}
