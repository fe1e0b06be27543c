//! `#[custom]`: a user's CloudFormation template as a resource — read into the typed IR,
//! wired to other resources' outputs by Amplify's parameter names, its outputs typed —
//! and each mistake one error at its token.

use amplify_build::category::stack::ProjectSettings;
use amplify_build::decl::diagnostics::Diagnostics;
use amplify_build::parse::parse_backend;
use amplify_build::synth::synthesize_backend;
use amplify_build::Registry;

const TEMPLATE: &str = r#"{
  "Parameters": {
    "env": {"Type": "String"},
    "storageOrdersArn": {"Type": "String"},
    "RetentionDays": {"Type": "Number", "Default": 7}
  },
  "Resources": {
    "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {
      "TopicName": {"Fn::Sub": "alerts-${env}"},
      "Tags": [{"Key": "orders", "Value": {"Ref": "storageOrdersArn"}}, {"Key": "days", "Value": {"Ref": "RetentionDays"}}]
    }}
  },
  "Outputs": {"TopicArn": {"Value": {"Ref": "Alerts"}, "Description": "Where alerts go."}}
}"#;

fn backend(custom: &str) -> (amplify_build::category::model::Backend, Vec<String>) {
    let source = format!(
        "#[amplify::backend]\nmod backend {{\n    #[table(partition_key = id: string)]\n    pub struct Orders;\n\n    {custom}\n    pub struct Alerts;\n}}\n"
    );
    let module: syn::ItemMod = syn::parse_str(&source).unwrap();
    let cx = Diagnostics::new();
    let files = |path: &str| match path {
        "custom/alerts.json" => Ok(TEMPLATE.to_owned()),
        "custom/broken.json" => Ok("{\"Resources\": ".to_owned()),
        other => Err(format!("no file `{other}`")),
    };
    let backend = parse_backend(&module, &Registry::builtin(), &files, None, &cx);
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

#[test]
fn a_template_takes_outputs_and_values_and_offers_its_outputs() {
    let (backend, errors) = backend(
        r#"#[custom(template = "custom/alerts.json", uses(Orders = [Arn]), parameters(RetentionDays = "30"))]"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let (files, plan) = synthesize_backend(
        &backend,
        &ProjectSettings {
            project_name: "shop".into(),
            frontend: "rust".into(),
        },
    );
    assert!(files.errors.is_empty(), "{:?}", files.errors);
    let (_, template) = files
        .generated
        .iter()
        .find(|(p, _)| p.ends_with("custom/Alerts/Alerts-cloudformation-template.json"))
        .expect("the template, under Amplify's folder for the resource");
    let template: serde_json::Value = serde_json::from_str(template).unwrap();
    assert_eq!(template["Resources"]["Alerts"]["Type"], "AWS::SNS::Topic");
    let (_, root) = files
        .generated
        .iter()
        .find(|(p, _)| p.ends_with("root-cloudformation-stack.json"))
        .unwrap();
    let root: serde_json::Value = serde_json::from_str(root).unwrap();
    let parameters = &root["Resources"]["customAlerts"]["Properties"]["Parameters"];
    assert_eq!(
        parameters["storageOrdersArn"],
        serde_json::json!({"Fn::GetAtt": ["storageOrders", "Outputs.Arn"]})
    );
    assert_eq!(parameters["RetentionDays"], "30");
    let stack = plan
        .stacks
        .iter()
        .find(|s| s.name == "Alerts")
        .expect("a stack of its own");
    assert_eq!(stack.category, "custom");
    assert_eq!(stack.service, "customCloudformation");
    let (_, config) = files
        .generated
        .iter()
        .find(|(p, _)| p.ends_with("backend-config.json"))
        .unwrap();
    let config: serde_json::Value = serde_json::from_str(config).unwrap();
    assert_eq!(
        config["custom"]["Alerts"]["dependsOn"][0]["attributes"],
        serde_json::json!(["Arn"])
    );
}

#[test]
fn each_mistake_is_one_error_at_its_token() {
    let cases = [
        (
            r#"#[custom(template = "custom/nothere.json")]"#,
            "6:25: cannot read the template `custom/nothere.json`: no file `custom/nothere.json`",
        ),
        (
            r#"#[custom(template = "custom/broken.json")]"#,
            "6:25: `custom/broken.json` cannot be deployed: it is not JSON",
        ),
        (
            r#"#[custom(template = "custom/alerts.json", uses(Orders = [Arnn]))]"#,
            "6:62: `Orders` has no output `Arnn`; did you mean `Arn`?",
        ),
        (
            r#"#[custom(template = "custom/alerts.json", uses(Orders = [Name]))]"#,
            "`custom/alerts.json` does not declare the parameter `storageOrdersName` that carries `Orders`'s `Name`",
        ),
        (
            r#"#[custom(template = "custom/alerts.json", uses(Ordres = [Arn]))]"#,
            "no resource named `Ordres` in this backend; did you mean `Orders`?",
        ),
        (
            r#"#[custom(template = "custom/alerts.json", uses(Orders = [Arn]), parameters(RetentionDay = "1"))]"#,
            "`custom/alerts.json` has no parameter `RetentionDay`; did you mean `RetentionDays`?",
        ),
        (
            r#"#[custom(uses(Orders = [Arn]))]"#,
            "`#[custom]` needs its CloudFormation template",
        ),
    ];
    for (declaration, expected) in cases {
        let (_, errors) = backend(declaration);
        assert_eq!(errors.len(), 1, "{declaration}: {errors:?}");
        assert!(errors[0].contains(expected), "{declaration}: {errors:?}");
    }
}
