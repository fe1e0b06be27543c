//! The root template an environment deploys.

use super::*;

fn root_plan() -> RootPlan {
    RootPlan {
        template: ROOT_TEMPLATE_FILE.into(),
        template_key: "synthesised".into(),
        parameters: vec!["env".into()],
        secrets: Vec::new(),
        links: Vec::new(),
        groups: Vec::new(),
        left_out: Vec::new(),
    }
}

const ROOT: &str = r#"{
  "Resources": {
"functionA": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "u", "Parameters": { "MODE": "declared" } } },
"functionB": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "u" } }
  }
}"#;

fn value(logical_id: &str, parameter: &str, value: &str) -> InputValue {
    InputValue {
        logical_id: logical_id.into(),
        parameter: parameter.into(),
        value: value.into(),
    }
}

#[test]
fn an_environments_values_go_into_their_nested_stacks_and_change_the_key() {
    let values = [
        value("functionA", "MODE", "prod"),
        value("functionB", "s3Key", "amplify-builds/b.zip"),
    ];
    let (text, key) = root_plan().for_environment(ROOT, &values).unwrap();
    let root: serde_json::Value = serde_json::from_str(&text).unwrap();
    let a = &root["Resources"]["functionA"]["Properties"];
    assert_eq!(a["Parameters"]["MODE"], "prod");
    assert_eq!(a["TemplateURL"], "u", "the rest is kept");
    let b = &root["Resources"]["functionB"]["Properties"]["Parameters"];
    assert_eq!(b["s3Key"], "amplify-builds/b.zip");
    assert!(key.starts_with("amplify-cfn-templates/root-cloudformation-stack-"));

    let (_, same) = root_plan().for_environment(ROOT, &values).unwrap();
    assert_eq!(key, same, "the same values give the same bytes");
    let (_, other) = root_plan()
        .for_environment(ROOT, &[value("functionA", "MODE", "dev")])
        .unwrap();
    assert_ne!(key, other);
}

#[test]
fn a_value_for_a_stack_the_template_lacks_is_an_error() {
    let err = root_plan()
        .for_environment(ROOT, &[value("functionGone", "s3Key", "k")])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the root template has no nested stack `functionGone`"
    );
}

#[test]
fn a_local_cloud_root_leaves_out_what_it_cannot_deploy_and_its_values() {
    let mut plan = root_plan();
    plan.left_out = vec!["functionB".into()];
    let values = [
        value("functionA", "MODE", "prod"),
        value("functionB", "s3Key", "k"),
    ];
    let (text, key) = plan.for_environment(ROOT, &values).unwrap();
    let root: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(root["Resources"].get("functionB").is_none(), "{text}");
    assert_eq!(
        root["Resources"]["functionA"]["Properties"]["Parameters"]["MODE"],
        "prod"
    );
    let (_, whole) = root_plan().for_environment(ROOT, &values).unwrap();
    assert_ne!(key, whole, "a different template, a different key");
}

#[test]
fn leaving_out_a_stack_another_uses_is_an_error_naming_both() {
    let uses = r#"{
  "Resources": {
"functionA": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "u", "Parameters": { "botId": { "Fn::GetAtt": ["interactionsBot", "Outputs.BotId"] } } } },
"interactionsBot": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "u" } }
  },
  "Outputs": { "BotStack": { "Value": { "Ref": "interactionsBot" } } }
}"#;
    let mut plan = root_plan();
    plan.left_out = vec!["interactionsBot".into()];
    let err = plan.for_environment(uses, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`functionA` uses `interactionsBot`, which the local cloud cannot deploy"
    );
    // An output naming it goes with it.
    let alone = r#"{
  "Resources": { "interactionsBot": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "u" } } },
  "Outputs": { "BotStack": { "Value": { "Ref": "interactionsBot" } } }
}"#;
    let (text, _) = plan.for_environment(alone, &[]).unwrap();
    assert!(!text.contains("BotStack"), "{text}");
}
