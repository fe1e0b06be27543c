//! What a model adds to its API: a nested stack of its own, as transformer v2 makes it
//! (`stacks/<Model>.json`), holding its table (with its key and secondary indexes,
//! encrypted, with point-in-time recovery and a stream), the data source with a role
//! allowed that table only, and a resolver per generated query and mutation; and, in the
//! API's stack, the resolvers of relation fields and the model's outputs.

use super::super::synth::{data_source_role, table_actions};
use super::resolvers::Operation;
use super::{attribute_type, resolver_code, Key, Model, RelationKind};
use crate::categories::storage::table;
use crate::category::stack::description;
use crate::cfn::{list, obj, Resource, Template, Value};

/// What the models add to their API: the AppSync files (resolver code, and each model's
/// stack template as `stacks/<Model>.json`, uploaded with them as Amplify does) and the
/// logical ids of the model stacks in the API's template.
pub struct ModelStacks {
    /// `(path under the AppSync files, contents)`.
    pub files: Vec<(String, String)>,
    /// The model stacks' logical ids (the model names), each with its file's path.
    pub children: Vec<(String, String)>,
}

/// The parameters a model stack takes from its API's stack.
const CHILD_PARAMETERS: [&str; 4] = ["env", "ApiId", "S3DeploymentBucket", "S3DeploymentRootKey"];

/// Adds a nested stack per model to the API's template (and the resolvers of relation
/// fields, which join two models' stacks); returns the files they need.
pub fn add_models(t: &mut Template, models: &[Model]) -> ModelStacks {
    let mut files = Vec::new();
    let mut children = Vec::new();
    for model in models {
        let n = &model.name;
        let (child, resolvers) = model_stack(model);
        files.extend(resolvers);
        let path = format!("stacks/{n}.json");
        files.push((path.clone(), child.to_json()));
        let parameters = CHILD_PARAMETERS.map(|p| {
            let value = match p {
                "ApiId" => Value::get_att("GraphQLAPI", "ApiId"),
                other => Value::r#ref(other),
            };
            (p.to_owned(), value)
        });
        let mut stack = Resource::new("AWS::CloudFormation::Stack")
            .prop(
                "TemplateURL",
                Value::sub(format!(
                    "https://s3.amazonaws.com/${{S3DeploymentBucket}}/${{S3DeploymentRootKey}}/{path}"
                )),
            )
            .prop("Parameters", Value::Map(parameters.into_iter().collect()));
        // The model's resolvers name fields of the schema.
        stack.depends_on.push("GraphQLSchema".into());
        t.resource(n.as_str(), stack);
        for (attr, what) in [
            ("TableName", "The table of the `{n}` model."),
            ("TableArn", "The ARN of the `{n}` model's table."),
            ("TableStreamArn", "The stream of the `{n}` model's table."),
        ] {
            let output = format!("GetAtt{n}{attr}");
            t.output(&output, Value::get_att(n, format!("Outputs.{output}")))
                .description = Some(what.replace("{n}", n));
        }
        children.push((n.clone(), path));
    }
    for model in models {
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
            let data_source = Value::get_att(
                &target.name,
                format!("Outputs.GetAtt{}DataSourceName", target.name),
            );
            let api = Value::get_att("GraphQLAPI", "ApiId");
            let (id, file, mut resolver) =
                resolver(&model.name, &relation.field, api, data_source, code);
            resolver.depends_on.push("GraphQLSchema".into());
            t.resource(id, resolver);
            files.push(file);
        }
    }
    ModelStacks { files, children }
}

/// One model's stack: its table, the data source with a role allowed that table only,
/// and the resolvers of its queries and mutations; and their code files.
fn model_stack(model: &Model) -> (Template, Vec<(String, String)>) {
    let n = &model.name;
    let mut t = Template::new(description("api-AppSync-model"));
    for p in CHILD_PARAMETERS {
        t.string_param(p);
    }
    let mut files = Vec::new();
    let table_id = model.table_id();
    t.resource(
        &table_id,
        Resource::new("AWS::DynamoDB::Table")
            .prop("TableName", Value::sub(format!("{n}-${{ApiId}}-${{env}}")))
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
            .prop("SSESpecification", table::kms_encryption())
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
    t.resource(
        &role,
        data_source_role(
            &format!("{n}-table"),
            &table_actions(),
            table::arns(Value::get_att(&table_id, "Arn")),
        ),
    );
    t.resource(
        format!("{n}DataSource"),
        Resource::new("AWS::AppSync::DataSource")
            .prop("ApiId", Value::r#ref("ApiId"))
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
        let data_source = Value::get_att(format!("{n}DataSource"), "Name");
        let (id, file, resolver) =
            resolver(type_name, &field, Value::r#ref("ApiId"), data_source, code);
        t.resource(id, resolver);
        files.push(file);
    }
    for (field, _) in &model.field_auth {
        let code = resolver_code(model, Operation::FieldRead(field));
        let data_source = Value::get_att(format!("{n}DataSource"), "Name");
        let (id, file, resolver) = resolver(n, field, Value::r#ref("ApiId"), data_source, code);
        t.resource(id, resolver);
        files.push(file);
    }
    let table_id = model.table_id();
    for (attr, value) in [
        ("TableName", Value::r#ref(&table_id)),
        ("TableArn", Value::get_att(&table_id, "Arn")),
        ("TableStreamArn", Value::get_att(&table_id, "StreamArn")),
        (
            "DataSourceName",
            Value::get_att(format!("{n}DataSource"), "Name"),
        ),
    ] {
        t.output(format!("GetAtt{n}{attr}"), value);
    }
    (t, files)
}

/// A UNIT APPSYNC_JS resolver of `type_name.field` on `data_source`, its code read from
/// the uploaded AppSync files: its logical id, its file and the resource.
fn resolver(
    type_name: &str,
    field: &str,
    api: Value,
    data_source: Value,
    code: String,
) -> (String, (String, String), Resource) {
    let path = format!("resolvers/{type_name}.{field}.js");
    let resolver = Resource::new("AWS::AppSync::Resolver")
        .prop("ApiId", api)
        .prop("TypeName", type_name)
        .prop("FieldName", field)
        .prop("DataSourceName", data_source)
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
                "s3://${{S3DeploymentBucket}}/${{S3DeploymentRootKey}}/{path}"
            )),
        );
    let id: String = format!("{type_name}{}Resolver", super::super::upper_first(field))
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (id, (path, code), resolver)
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
