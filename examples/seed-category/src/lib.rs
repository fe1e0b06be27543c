//! `#[seeded_table(...)]`: DynamoDB tables that hold reference data — loaded from a JSON
//! file of the crate after every deploy that changed it — as an amplify-rs category
//! written outside the amplify-rs crates against the public
//! [`amplify_build::Category`] interface. It shows a post-deploy action
//! ([`amplify_build::plan::PostDeployAction`]): a program `cargo amplify push` runs once
//! the stacks are deployed, with an output of the table's stack and the file as inputs.
//!
//! `on_change = Audit` streams the table's changes to a function — any category's, as
//! long as it fills the [`Capability::InvocableFunction`] role. The event source mapping
//! and the function's permission to read the stream are a *contribution* into a link
//! stack ([`amplify_build::Link`]): the table's stack cannot name the function when the
//! function's grant names the table. The table itself fills the
//! [`Capability::DynamoDbTable`] role, so an `#[api]` can use it as a data source.
//!
//! Register it in `build.rs`:
//!
//! ```no_run
//! amplify_build::Config::new()
//!     .category(amplify_category_seed::SeededTable)
//!     .synthesize()
//!     .expect("amplify backend synthesis");
//! ```
//!
//! declare tables inside `#[amplify::backend]`:
//!
//! ```ignore
//! #[seeded_table(partition_key = "code", seed = "seed/priorities.json", on_change = Audit)]
//! pub struct Priorities;
//! ```
//!
//! and install the program push runs: `cargo install --path <this crate> --features program`
//! (it puts `amplify-seed` on `PATH`).

use amplify_build::category::model::{resolve, Backend, Reference};
use amplify_build::category::stack::{description, NestedStack, StackContext};
use amplify_build::category::{Declared, ParseContext};
use amplify_build::cfn::{list, obj, policy, Resource, Template, Value};
use amplify_build::decl::args::{ArgReader, ArgValue};
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::indexmap::IndexMap;
use amplify_build::plan::{ActionInput, PostDeployAction};
use amplify_build::{Capability, Category, Descriptor, Edge, Link, OutputDef};

/// The seeded-table category. Register it with [`amplify_build::Config::category`].
pub struct SeededTable;

/// One declared table.
#[derive(Debug, Clone)]
pub struct SeededTableSpec {
    /// The string partition key's attribute name.
    pub partition_key: String,
    /// The JSON file (relative to the crate root) holding an array of items.
    pub seed: String,
    /// The function that receives the table's changes (DynamoDB stream records).
    pub on_change: Option<Reference>,
}

/// The program the post-deploy action runs (this crate's binary).
pub const PROGRAM: &str = "amplify-seed";

const KEYS: &[&str] = &["partition_key", "seed", "on_change"];

/// What a stream consumer needs on the table's stream.
const READ_STREAM: &[&str] = &[
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
];

impl Category for SeededTable {
    type Spec = SeededTableSpec;

    fn capabilities(&self) -> &'static [Capability] {
        &[Capability::DynamoDbTable]
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "seeded_table",
            category: "storage",
            service: "SeededTable",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<SeededTableSpec> {
        let diagnostics = args.cx();
        let partition_key = args
            .take("partition_key")
            .and_then(|a| a.string(diagnostics));
        let seed = args.take("seed").and_then(|a| a.string(diagnostics));
        let on_change =
            args.take("on_change")
                .and_then(|a| match a.value(diagnostics, "a function")? {
                    ArgValue::Ident(ident) => Some(Reference::to(ident)),
                    other => {
                        diagnostics.error(
                            other.span(),
                            "`on_change` names a function: `on_change = Audit`",
                        );
                        None
                    }
                });
        let (Some(partition_key), Some(seed)) = (partition_key, seed) else {
            diagnostics.error(
                cx.attr_span,
                "`#[seeded_table]` needs `partition_key = \"id\"` and `seed = \"seed/items.json\"`",
            );
            return None;
        };
        // The file is read when push runs the action; a missing one is named here already.
        if let Err(e) = (cx.files)(&seed.value()) {
            diagnostics.error(
                seed.span(),
                format!("cannot read the seed file `{}`: {e}", seed.value()),
            );
            return None;
        }
        Some(SeededTableSpec {
            partition_key: partition_key.value(),
            seed: seed.value(),
            on_change,
        })
    }

    fn check(&self, it: Declared<'_, SeededTableSpec>, backend: &Backend, cx: &Diagnostics) {
        let Some(on_change) = &it.spec.on_change else {
            return;
        };
        let target = resolve(backend, on_change, "a `#[function]` struct", cx);
        if let Some(t) = target.filter(|t| !t.can(Capability::InvocableFunction)) {
            cx.error(
                on_change.span,
                format!(
                    "`on_change = {}` must name a Lambda function, but `{}` is a `#[{}]`; declare it with `#[function]`",
                    on_change.name,
                    on_change.name,
                    t.attribute()
                ),
            );
        }
    }

    fn links<'a>(&self, it: Declared<'a, SeededTableSpec>, backend: &'a Backend) -> Vec<Link<'a>> {
        let Some(on_change) = &it.spec.on_change else {
            return Vec::new();
        };
        let Some(target) = backend.resolve(on_change) else {
            return Vec::new(); // reported by `check`
        };
        vec![stream_link(it, on_change, target)]
    }

    fn outputs(&self, _: Option<&SeededTableSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("Name")
                .accessor("table_name", "The table's name.")
                .granted(),
            OutputDef::new("Arn")
                .accessor("table_arn", "The table's ARN.")
                .granted(),
            OutputDef::new("StreamArn"),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["read"]
    }

    fn grant(
        &self,
        _: Declared<'_, SeededTableSpec>,
        _: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let arn = Value::r#ref(parameter("Arn"));
        vec![policy::allow(
            &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
            vec![arn],
        )]
    }

    fn synthesize(&self, it: Declared<'_, SeededTableSpec>, _: &StackContext<'_>) -> NestedStack {
        let mut stack = NestedStack::new(
            table_template(&it.name, &it.spec.partition_key),
            format!("build/{}-cloudformation-template.json", it.name),
        );
        stack.actions.push(PostDeployAction {
            id: "seed".into(),
            description: format!("load {} into the table", it.spec.seed),
            program: PROGRAM.into(),
            args: Vec::new(),
            inputs: IndexMap::from([
                (
                    "table".to_owned(),
                    ActionInput::Output {
                        output: "Name".into(),
                    },
                ),
                (
                    "partitionKey".to_owned(),
                    ActionInput::Literal {
                        value: it.spec.partition_key.clone().into(),
                    },
                ),
                (
                    "items".to_owned(),
                    ActionInput::File {
                        path: it.spec.seed.clone(),
                    },
                ),
            ]),
        });
        stack
    }
}

/// An on-demand table keyed by one string attribute, encrypted and recoverable.
fn table_template(name: &str, partition_key: &str) -> Template {
    let mut t = Template::new(description("storage-SeededTable"));
    t.string_param("env").describe("Amplify environment name");
    t.resource(
        "Table",
        Resource::new("AWS::DynamoDB::Table")
            .prop("TableName", Value::sub(format!("{name}-${{env}}")))
            .prop("BillingMode", "PAY_PER_REQUEST")
            .prop(
                "AttributeDefinitions",
                list([obj([
                    ("AttributeName", Value::from(partition_key)),
                    ("AttributeType", "S".into()),
                ])]),
            )
            .prop(
                "KeySchema",
                list([obj([
                    ("AttributeName", Value::from(partition_key)),
                    ("KeyType", "HASH".into()),
                ])]),
            )
            .prop(
                "StreamSpecification",
                obj([("StreamViewType", Value::from("NEW_AND_OLD_IMAGES"))]),
            )
            .prop("SSESpecification", obj([("SSEEnabled", Value::from(true))]))
            .prop(
                "PointInTimeRecoverySpecification",
                obj([("PointInTimeRecoveryEnabled", Value::from(true))]),
            )
            .checkov_skip(
                "CKV_AWS_119",
                "reference data, not secrets: encrypted at rest with the AWS-owned key",
            ),
    );
    t.output("Name", Value::r#ref("Table"));
    t.output("Arn", Value::get_att("Table", "Arn"));
    t.output("StreamArn", Value::get_att("Table", "StreamArn"));
    t
}

/// The link stack that has `target` receive the table's stream: its permission to read
/// the stream, and the event source mapping (created after the permission, which Lambda
/// checks).
fn stream_link<'a>(
    it: Declared<'a, SeededTableSpec>,
    on_change: &'a Reference,
    target: &'a amplify_build::category::model::Resource,
) -> Link<'a> {
    let stream_arn = StackContext::dependency_ref(it.resource, "StreamArn");
    let function = |output: &str| StackContext::dependency_ref(target, output);
    let permission = Resource::new("AWS::IAM::Policy")
        .prop(
            "PolicyName",
            Value::sub(format!("{}-stream-${{env}}", it.name)),
        )
        .prop("Roles", list([function("LambdaExecutionRole")]))
        .prop(
            "PolicyDocument",
            policy::document(vec![policy::allow(READ_STREAM, vec![stream_arn.clone()])]),
        );
    let mut mapping = Resource::new("AWS::Lambda::EventSourceMapping")
        .prop("EventSourceArn", stream_arn)
        .prop("FunctionName", function("Arn"))
        .prop("StartingPosition", "LATEST")
        .prop("BatchSize", Value::from(100_u32));
    mapping.depends_on.push("StreamPolicy".into());
    Link {
        name: "Changes".into(),
        uses: vec![
            Edge {
                target: &it.resource.ident,
                span: it.resource.span,
                outputs: vec!["StreamArn".into()],
            },
            Edge::to(on_change, vec!["Arn".into(), "LambdaExecutionRole".into()]),
        ],
        resources: vec![
            ("StreamPolicy".into(), permission),
            ("Mapping".into(), mapping),
        ],
    }
}
