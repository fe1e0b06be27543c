//! Contracts between categories are checked in every build profile: an edge naming an
//! output its target lacks is an error at the reference, and a template whose
//! parameters its bindings and edges do not fill (or do not use) is refused before
//! anything is written.

use amplify_build::category::model::{Backend, Reference};
use amplify_build::category::stack::{
    description, Binding, NestedStack, ProjectSettings, StackContext,
};
use amplify_build::category::{Declared, Edge, Link, ParseContext};
use amplify_build::cfn::{Template, Value};
use amplify_build::decl::args::{ArgReader, ArgValue};
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::parse::parse_backend;
use amplify_build::plan::{ActionInput, EnvInput, PostDeployAction};
use amplify_build::synth::synthesize_backend;
use amplify_build::{Capability, Category, Descriptor, OutputDef, Registry};

/// A watcher of one table, consuming the outputs it was built with: `uses` names them
/// on the edge, `reads` in its template; its post-deploy action takes `notifies`, an
/// output of its own stack.
struct Watcher {
    uses: &'static str,
    reads: &'static str,
    notifies: &'static str,
    /// The table output its link stack (an alarm beside both stacks) consumes.
    link: Option<&'static str>,
}

#[derive(Debug)]
struct Watches(Reference);

impl Category for Watcher {
    type Spec = Watches;

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "watcher",
            category: "custom",
            service: "Watcher",
            keys: &["table"],
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<Watches> {
        let cx = args.cx();
        match args.take("table")?.value(cx, "a resource name")? {
            ArgValue::Ident(ident) => Some(Watches(Reference::to(ident))),
            _ => None,
        }
    }

    fn edges<'a>(&self, it: Declared<'a, Watches>, _: &'a Backend) -> Vec<Edge<'a>> {
        vec![Edge::to(&it.spec.0, vec![self.uses.to_owned()])]
    }

    fn outputs(&self, _: Option<&Watches>) -> Vec<OutputDef> {
        vec![OutputDef::new("Watching")]
    }

    fn links<'a>(&self, it: Declared<'a, Watches>, backend: &'a Backend) -> Vec<Link<'a>> {
        let (Some(output), Some(table)) = (self.link, backend.resolve(&it.spec.0)) else {
            return Vec::new();
        };
        let alarm = amplify_build::cfn::Resource::new("AWS::SSM::Parameter")
            .prop("Type", "String")
            .prop("Value", StackContext::dependency_ref(table, output));
        vec![Link {
            name: "Alarm".into(),
            uses: vec![Edge::to(&it.spec.0, vec![output.to_owned()])],
            resources: vec![("Alarm".into(), alarm)],
        }]
    }

    fn synthesize(&self, it: Declared<'_, Watches>, cx: &StackContext<'_>) -> NestedStack {
        let mut t = Template::new(description("custom-Watcher"));
        cx.declare_dependency_parameters(&mut t);
        t.string_param(format!("storage{}{}", it.spec.0.name, self.reads));
        t.output(
            "Watching",
            Value::r#ref(format!("storage{}{}", it.spec.0.name, self.reads)),
        );
        let mut stack = NestedStack::new(t, format!("{}-cloudformation-template.json", it.name));
        stack.actions.push(PostDeployAction {
            id: "announce".into(),
            description: "tell the team".into(),
            program: "announce".into(),
            args: Vec::new(),
            inputs: [(
                "watching".to_owned(),
                ActionInput::Output {
                    output: self.notifies.into(),
                },
            )]
            .into_iter()
            .collect(),
        });
        stack
    }
}

const SOURCE: &str = r#"
#[amplify::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct Orders;

    #[watcher(table = Orders)]
    pub struct OrderWatch;
}
"#;

fn backend(watcher: Watcher) -> (Backend, Vec<String>) {
    let module: syn::ItemMod = syn::parse_str(SOURCE).unwrap();
    let mut registry = Registry::builtin();
    registry.register(watcher).unwrap();
    let cx = Diagnostics::new();
    let backend = parse_backend(&module, &registry, &|p: &str| Err(p.to_owned()), None, &cx);
    let errors = cx
        .into_errors()
        .iter()
        .map(|e| {
            let at = e.span().start();
            format!("{}:{}: {e}", at.line, at.column + 1)
        })
        .collect();
    (backend, errors)
}

fn project() -> ProjectSettings {
    ProjectSettings {
        project_name: "contracts".into(),
        frontend: "rust".into(),
    }
}

#[test]
fn an_edge_to_an_output_the_target_lacks_is_an_error_at_the_reference() {
    let (_, errors) = backend(Watcher {
        uses: "Arnn",
        reads: "Arnn",
        notifies: "Watching",
        link: None,
    });
    assert_eq!(
        errors,
        ["7:23: `OrderWatch` uses output `Arnn` of `Orders`, which a `#[table]` resource does not have; did you mean `Arn`? (the `#[watcher]` category names its edges' outputs)"]
    );
}

#[test]
fn a_link_stack_using_an_output_its_source_lacks_is_an_error_at_the_reference() {
    let (_, errors) = backend(Watcher {
        uses: "Arn",
        reads: "Arn",
        notifies: "Watching",
        link: Some("Nmae"),
    });
    assert_eq!(
        errors,
        ["7:23: `OrderWatch` uses output `Nmae` of `Orders`, which a `#[table]` resource does not have; did you mean `Name`? (the `#[watcher]` category names its edges' outputs)"]
    );
}

#[test]
fn a_link_stack_using_outputs_that_exist_synthesises_beside_both_stacks() {
    let (backend, errors) = backend(Watcher {
        uses: "Arn",
        reads: "Arn",
        notifies: "Watching",
        link: Some("Name"),
    });
    assert!(errors.is_empty(), "{errors:?}");
    let (files, plan) = synthesize_backend(&backend, &project());
    assert!(files.errors.is_empty(), "{:?}", files.errors);
    assert!(
        plan.root
            .links
            .iter()
            .any(|l| l.logical_id == "linkOrderWatchAlarm"),
        "{:?}",
        plan.root.links
    );
    let (_, root) = files
        .generated
        .iter()
        .find(|(path, _)| path.ends_with("root-cloudformation-stack.json"))
        .unwrap();
    let root: serde_json::Value = serde_json::from_str(root).unwrap();
    let link = &root["Resources"]["linkOrderWatchAlarm"];
    // The output it reads orders it after the table's stack (no DependsOn needed).
    assert_eq!(
        link["Properties"]["Parameters"]["storageOrdersName"],
        serde_json::json!({"Fn::GetAtt": ["storageOrders", "Outputs.Name"]})
    );
}

#[test]
fn a_template_reading_an_output_its_edges_do_not_carry_is_refused() {
    // The edge carries `Arn`, the template reads `Name`: the parameter would never be
    // given a value, and the one carrying `Arn` is never used.
    let (backend, errors) = backend(Watcher {
        uses: "Arn",
        reads: "Name",
        notifies: "Watching",
        link: None,
    });
    assert!(errors.is_empty(), "{errors:?}");
    let (files, _) = synthesize_backend(&backend, &project());
    assert_eq!(
        files.errors,
        [
            "the stack of `OrderWatch` declares parameters nothing in it uses (storageOrdersArn): the `#[watcher]` category's template and its parameters disagree",
            "the stack of `OrderWatch` takes parameters nothing supplies (storageOrdersName): the `#[watcher]` category must bind each one, or consume the output it names through an edge",
        ]
    );
}

#[test]
fn an_edge_and_template_that_agree_synthesise() {
    let (backend, errors) = backend(Watcher {
        uses: "Arn",
        reads: "Arn",
        notifies: "Watching",
        link: None,
    });
    assert!(errors.is_empty(), "{errors:?}");
    let (files, _) = synthesize_backend(&backend, &project());
    assert!(files.errors.is_empty(), "{:?}", files.errors);
}

#[test]
fn a_post_deploy_action_taking_an_output_its_stack_lacks_is_refused() {
    let (backend, errors) = backend(Watcher {
        uses: "Arn",
        reads: "Arn",
        notifies: "Watchng",
        link: None,
    });
    assert!(errors.is_empty(), "{errors:?}");
    let (files, _) = synthesize_backend(&backend, &project());
    assert_eq!(
        files.errors,
        ["the post-deploy action `announce` of `OrderWatch` takes input `watching` from output `Watchng`, which its stack does not have: the `#[watcher]` category's action and template disagree"]
    );
}

/// A ledger: a DynamoDB table of another crate, which says so with its capability.
struct Ledger {
    capability: Capability,
}

impl Category for Ledger {
    type Spec = ();

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "ledger",
            category: "storage",
            service: "Ledger",
            keys: &[],
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn capabilities(&self) -> &'static [Capability] {
        match self.capability {
            Capability::DynamoDbTable => &[Capability::DynamoDbTable],
            _ => &[Capability::UserPool],
        }
    }

    fn parse(&self, _: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<()> {
        Some(())
    }

    fn outputs(&self, _: Option<&()>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("Name").granted(),
            OutputDef::new("Arn").granted(),
        ]
    }

    fn synthesize(&self, it: Declared<'_, ()>, _: &StackContext<'_>) -> NestedStack {
        let mut t = Template::new(description("storage-Ledger"));
        t.string_param("env");
        t.resource(
            "Table",
            amplify_build::cfn::Resource::new("AWS::DynamoDB::Table")
                .prop("TableName", Value::sub(format!("{}-${{env}}", it.name))),
        );
        t.output("Name", Value::r#ref("Table"));
        t.output("Arn", Value::get_att("Table", "Arn"));
        NestedStack::new(t, format!("{}-cloudformation-template.json", it.name))
    }
}

const LEDGER_API: &str = r#"
#[amplify::backend]
mod backend {
    #[ledger]
    pub struct Entries;

    #[api(schema = "schema.graphql", data_sources = [Entries], resolvers(Query::entries = Entries(code = "entries.js")))]
    pub struct Books;
}
"#;

fn ledger_backend(capability: Capability) -> (Backend, Vec<String>) {
    let module: syn::ItemMod = syn::parse_str(LEDGER_API).unwrap();
    let mut registry = Registry::builtin();
    registry.register(Ledger { capability }).unwrap();
    let loader = |path: &str| {
        match path {
        "schema.graphql" => Ok("type Entry { id: ID! }\ntype Query { entries: [Entry] }\n".into()),
        "entries.js" => Ok("export function request() { return {}; }\nexport function response(ctx) { return ctx.result; }\n".into()),
        other => Err(format!("no file {other}")),
    }
    };
    let cx = Diagnostics::new();
    let backend = parse_backend(&module, &registry, &loader, None, &cx);
    let errors = cx.into_errors().iter().map(ToString::to_string).collect();
    (backend, errors)
}

#[test]
fn a_third_party_table_serves_as_an_appsync_data_source() {
    let (backend, errors) = ledger_backend(Capability::DynamoDbTable);
    assert!(errors.is_empty(), "{errors:?}");
    let (files, _) = synthesize_backend(&backend, &project());
    assert!(files.errors.is_empty(), "{:?}", files.errors);
    let (_, api) = files
        .generated
        .iter()
        .find(|(path, _)| {
            path.starts_with("amplify/backend/api/Books/")
                && path.ends_with("cloudformation-template.json")
        })
        .expect("the API's template");
    let api: serde_json::Value = serde_json::from_str(api).unwrap();
    let source = &api["Resources"]["EntriesDataSource"]["Properties"];
    assert_eq!(source["Type"], "AMAZON_DYNAMODB", "{source}");
    assert_eq!(
        source["DynamoDBConfig"]["TableName"],
        serde_json::json!({"Ref": "storageEntriesName"})
    );
}

#[test]
fn a_capability_without_its_outputs_is_an_error() {
    let (_, errors) = ledger_backend(Capability::UserPool);
    assert!(
        errors.contains(&"the `#[ledger]` category says its resources are a Cognito user pool, but they lack the output(s) UserPoolId, UserPoolArn: list them in its `outputs`".to_owned()),
        "{errors:?}"
    );
}

/// A webhook whose signing key is a secret of the environment.
struct Webhook {
    masked: bool,
}

impl Category for Webhook {
    type Spec = ();

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "webhook",
            category: "custom",
            service: "Webhook",
            keys: &[],
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, _: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<()> {
        Some(())
    }

    fn outputs(&self, _: Option<&()>) -> Vec<OutputDef> {
        vec![OutputDef::new("SecretArn")]
    }

    fn synthesize(&self, it: Declared<'_, ()>, _: &StackContext<'_>) -> NestedStack {
        let mut t = Template::new(description("custom-Webhook"));
        let key = t.string_param("signingKey");
        if self.masked {
            key.no_echo();
        }
        t.resource(
            "Key",
            amplify_build::cfn::Resource::new("AWS::SecretsManager::Secret")
                .prop("SecretString", Value::r#ref("signingKey")),
        );
        t.output("SecretArn", Value::r#ref("Key"));
        let mut stack = NestedStack::new(t, format!("{}-cloudformation-template.json", it.name));
        stack.bind(
            "signingKey",
            Binding::Input(EnvInput::Secret {
                variable: "WEBHOOK_SIGNING_KEY".into(),
            }),
        );
        stack
    }
}

fn webhook_files(masked: bool) -> (amplify_build::synth::FileSet, amplify_build::plan::Plan) {
    let module: syn::ItemMod = syn::parse_str(
        "#[amplify::backend]\nmod backend {\n    #[webhook]\n    pub struct Deliveries;\n}\n",
    )
    .unwrap();
    let mut registry = Registry::builtin();
    registry.register(Webhook { masked }).unwrap();
    let cx = Diagnostics::new();
    let backend = parse_backend(&module, &registry, &|p: &str| Err(p.to_owned()), None, &cx);
    assert!(!cx.has_errors());
    synthesize_backend(&backend, &project())
}

#[test]
fn a_secret_input_is_a_no_echo_root_parameter_and_written_nowhere() {
    let (files, plan) = webhook_files(true);
    assert!(files.errors.is_empty(), "{:?}", files.errors);
    let file = |suffix: &str| {
        files
            .generated
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .map(|(_, text)| serde_json::from_str::<serde_json::Value>(text).unwrap())
            .unwrap()
    };
    let root = file("root-cloudformation-stack.json");
    let parameter = &root["Parameters"]["secretcustomDeliveriessigningKey"];
    assert_eq!(parameter["NoEcho"], true, "{parameter}");
    assert_eq!(
        root["Resources"]["customDeliveries"]["Properties"]["Parameters"]["signingKey"],
        serde_json::json!({"Ref": "secretcustomDeliveriessigningKey"})
    );
    assert_eq!(plan.root.secrets.len(), 1);
    assert_eq!(plan.root.secrets[0].variable, "WEBHOOK_SIGNING_KEY");
    // Amplify keeps environment values out of parameters.json.
    assert_eq!(file("Deliveries/parameters.json"), serde_json::json!({}));
}

#[test]
fn a_secret_in_a_parameter_that_echoes_is_refused() {
    let (files, _) = webhook_files(false);
    assert_eq!(
        files.errors,
        ["the stack of `Deliveries` takes the secret `signingKey` in a parameter that is not NoEcho: the `#[webhook]` category must declare it with `.no_echo()`"]
    );
}
