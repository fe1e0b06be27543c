//! What a model adds to its API's stack: its table (keyed by `id`, encrypted, with
//! point-in-time recovery and a stream), the data source with a role allowed that table
//! only, and a resolver per generated query and mutation.

use super::{resolver_code, Model};
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
                .prop(
                    "AttributeDefinitions",
                    list([obj([
                        ("AttributeName", Value::from("id")),
                        ("AttributeType", "S".into()),
                    ])]),
                )
                .prop(
                    "KeySchema",
                    list([obj([
                        ("AttributeName", Value::from("id")),
                        ("KeyType", "HASH".into()),
                    ])]),
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
            let code = resolver_code(model, operation);
            let mut resolver = Resource::new("AWS::AppSync::Resolver")
                .prop("ApiId", Value::get_att("GraphQLAPI", "ApiId"))
                .prop("TypeName", type_name)
                .prop("FieldName", field.as_str())
                .prop(
                    "DataSourceName",
                    Value::get_att(format!("{n}DataSource"), "Name"),
                )
                .prop("Kind", "UNIT")
                .prop(
                    "Runtime",
                    obj([
                        ("Name", Value::from("APPSYNC_JS")),
                        ("RuntimeVersion", "1.0.0".into()),
                    ]),
                )
                .prop("Code", code.as_str());
            resolver.depends_on.push("GraphQLSchema".into());
            t.resource(
                format!("{type_name}{}Resolver", super::super::upper_first(&field)),
                resolver,
            );
            files.push((format!("resolvers/{type_name}.{field}.js"), code));
        }
        t.output(format!("GetAtt{n}TableName"), Value::r#ref(&table_id))
            .description = Some(format!("The table of the `{n}` model."));
        t.output(
            format!("GetAtt{n}TableStreamArn"),
            Value::get_att(&table_id, "StreamArn"),
        )
        .description = Some(format!("The stream of the `{n}` model's table."));
    }
    files
}
