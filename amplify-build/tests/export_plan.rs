//! The export plan (what `cargo amplify export` hands to the CDK construct) is built from
//! the root stack's IR: categories that cannot be exported are left out, nested stacks
//! lose their `TemplateURL`s, literal parameters move to the manifest, what the construct
//! supplies (environment, asset locations, per-environment inputs) goes, and root
//! parameters nothing uses any more are dropped.

use amplify_build::category::stack::{description, NestedStack, ProjectSettings, StackContext};
use amplify_build::category::{Declared, ParseContext};
use amplify_build::cfn::{Template, Value};
use amplify_build::decl::args::ArgReader;
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::parse::parse_backend;
use amplify_build::synth::synthesize_backend;
use amplify_build::{Category, Descriptor, OutputDef, Registry};
use serde_json::json;

/// A category configured outside CloudFormation, as Amplify's notifications are.
struct Notice;

impl Category for Notice {
    type Spec = ();

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "notice",
            category: "notice",
            service: "Pinpoint",
            keys: &[],
            import: None,
            import_derived: &[],
            exportable: false,
            local_cloud: true,
        }
    }

    fn parse(&self, _: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<()> {
        Some(())
    }

    fn outputs(&self, _: Option<&()>) -> Vec<OutputDef> {
        vec![OutputDef::new("Id")]
    }

    fn synthesize(&self, it: Declared<'_, ()>, _: &StackContext<'_>) -> NestedStack {
        let mut t = Template::new(description("notice-Pinpoint"));
        t.string_param("env");
        t.output("Id", Value::sub("${env}"));
        NestedStack::new(t, format!("build/{}-cloudformation-template.json", it.name))
    }
}

const SOURCE: &str = r#"
#[amplify::backend]
mod backend {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[table(partition_key = id: string)]
    pub struct Notes;

    #[function(runtime = node(code = "fn"), grant(Notes = [read]))]
    pub struct NotesFn;

    #[api(schema = "schema.graphql", auth = api_key(expires_in_days = 7), additional_auth = [user_pool(Users)], data_sources = [NotesFn], resolvers(Query::listNotes = NotesFn))]
    pub struct Api;

    #[notice]
    pub struct News;
}
"#;

#[test]
fn export_root_keeps_what_the_construct_needs_and_nothing_else() {
    let module: syn::ItemMod = syn::parse_str(SOURCE).unwrap();
    let mut registry = Registry::builtin();
    registry.register(Notice).unwrap();
    let loader = |path: &str| match path {
        "schema.graphql" => Ok("type Note { id: ID! }\ntype Query { listNotes: [Note] }\n".into()),
        other => Err(format!("no file {other}")),
    };
    let cx = Diagnostics::new();
    let backend = parse_backend(&module, &registry, &loader, None, &cx);
    assert!(!cx.has_errors(), "{:?}", cx.into_errors());
    let project = ProjectSettings {
        project_name: "notes".into(),
        frontend: "rust".into(),
    };
    let (files, plan) = synthesize_backend(&backend, &project);

    // The synthesised root has every stack, with template URLs; its parameters are the
    // provider's alone: per-environment values are written into the nested stacks by
    // push (the code key) or hold the value no environment overrides (the expiry).
    let (_, deployed) = files
        .generated
        .iter()
        .find(|(path, _)| path.ends_with("root-cloudformation-stack.json"))
        .unwrap();
    let deployed: serde_json::Value = serde_json::from_str(deployed).unwrap();
    assert!(deployed["Resources"]["noticeNews"].is_object());
    let root_parameters: Vec<&String> =
        deployed["Parameters"].as_object().unwrap().keys().collect();
    assert_eq!(
        root_parameters,
        [
            "DeploymentBucketName",
            "AuthRoleName",
            "UnauthRoleName",
            "env"
        ]
    );
    let nested = |logical: &str| deployed["Resources"][logical]["Properties"]["Parameters"].clone();
    assert!(nested("functionNotesFn").get("s3Key").is_none());
    assert_eq!(nested("apiApi")["APIKeyExpirationEpoch"], "0");

    let root = &plan.export.root;
    let resources = root["Resources"].as_object().unwrap();
    assert!(
        !resources.contains_key("noticeNews"),
        "non-exportable categories are left out"
    );
    assert!(!plan.export.parameters.contains_key("noticeNews"));
    for logical in ["authUsers", "storageNotes", "functionNotesFn", "apiApi"] {
        let stack = &resources[logical]["Properties"];
        assert!(stack["TemplateURL"].is_null(), "{logical}: {stack}");
        let params = stack["Parameters"].as_object().cloned().unwrap_or_default();
        assert!(
            !params.contains_key("env"),
            "{logical}: the construct sets env"
        );
    }

    // The function: code location is the construct's; the table's outputs stay
    // expressions over the included root.
    let function = &resources["functionNotesFn"]["Properties"]["Parameters"];
    assert!(function.get("deploymentBucketName").is_none(), "{function}");
    assert!(function.get("s3Key").is_none(), "{function}");
    assert_eq!(
        function["storageNotesName"],
        json!({"Fn::GetAtt": ["storageNotes", "Outputs.Name"]})
    );

    // The API: literals move to the manifest; the construct supplies the bucket.
    let api = &resources["apiApi"]["Properties"]["Parameters"];
    for gone in [
        "AppSyncApiName",
        "S3DeploymentBucket",
        "S3DeploymentRootKey",
    ] {
        assert!(api.get(gone).is_none(), "{gone}: {api}");
    }
    let manifest = &plan.export.parameters["apiApi"];
    assert_eq!(manifest["AppSyncApiName"], "Api");
    assert!(manifest["S3DeploymentRootKey"]
        .as_str()
        .unwrap()
        .starts_with("amplify-appsync-files/"));
    assert_eq!(
        api["AuthCognitoUserPoolId"],
        json!({"Fn::GetAtt": ["authUsers", "Outputs.UserPoolId"]})
    );

    // Root parameters: the construct's three stay. The API-key expiry is a literal of
    // the manifest whose value lets AppSync choose, so the construct need not set it.
    let parameters: Vec<&String> = root["Parameters"].as_object().unwrap().keys().collect();
    assert_eq!(
        parameters,
        ["DeploymentBucketName", "AuthRoleName", "UnauthRoleName"]
    );
    assert!(api.get("APIKeyExpirationEpoch").is_none(), "{api}");
    assert_eq!(manifest["APIKeyExpirationEpoch"], "0");
}
