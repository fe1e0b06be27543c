//! The notifications stack: what CloudFormation can create (the SES identity and
//! configuration set, the End User Messaging SMS configuration set and opt-out list), and
//! the post-deploy action that creates the End User Messaging Push project and configures
//! its channels with their secret credentials (CloudFormation's project types are
//! Pinpoint's, which ended on 2026-10-30).

use indexmap::IndexMap;

use super::NotificationsSpec;
use crate::category::stack::{description, NestedStack};
use crate::cfn::{list, obj, Resource, Template, Value};
use crate::plan::{ActionInput, PostDeployAction};

/// The program running the push channels' action: `cargo amplify` itself.
pub const CHANNELS_PROGRAM: &str = "cargo-amplify";

pub(super) fn nested_stack(name: &str, spec: &NotificationsSpec) -> NestedStack {
    let mut t = Template::new(description("notifications-EndUserMessaging"));
    t.string_param("env").describe("Amplify environment name");
    if let Some(email) = &spec.email {
        t.resource(
            "ConfigurationSet",
            Resource::new("AWS::SES::ConfigurationSet")
                .prop("Name", Value::sub(format!("{name}-${{env}}")))
                .prop(
                    "DeliveryOptions",
                    obj([("TlsPolicy", Value::from("REQUIRE"))]),
                )
                .prop(
                    "ReputationOptions",
                    obj([("ReputationMetricsEnabled", Value::from(true))]),
                )
                .prop(
                    "SendingOptions",
                    obj([("SendingEnabled", Value::from(true))]),
                )
                .prop(
                    "SuppressionOptions",
                    obj([(
                        "SuppressedReasons",
                        list([Value::from("BOUNCE"), "COMPLAINT".into()]),
                    )]),
                ),
        );
        t.resource(
            "EmailIdentity",
            Resource::new("AWS::SES::EmailIdentity")
                .prop("EmailIdentity", email.identity.as_str())
                .prop(
                    "ConfigurationSetAttributes",
                    obj([("ConfigurationSetName", Value::r#ref("ConfigurationSet"))]),
                ),
        );
        t.output("FromAddress", Value::from(email.from.as_str()));
        t.output("ConfigurationSetName", Value::r#ref("ConfigurationSet"));
        t.output("EmailIdentity", Value::r#ref("EmailIdentity"));
    }
    if spec.sms {
        t.resource(
            "SmsOptOutList",
            Resource::new("AWS::SMSVOICE::OptOutList")
                .prop("OptOutListName", Value::sub(format!("{name}-${{env}}"))),
        );
        t.resource(
            "SmsConfigurationSet",
            Resource::new("AWS::SMSVOICE::ConfigurationSet")
                .prop(
                    "ConfigurationSetName",
                    Value::sub(format!("{name}-${{env}}")),
                )
                .prop("MessageFeedbackEnabled", true),
        );
        t.output(
            "SmsConfigurationSetName",
            Value::r#ref("SmsConfigurationSet"),
        );
        t.output("SmsOptOutListName", Value::r#ref("SmsOptOutList"));
    }
    let actions: Vec<PostDeployAction> = spec
        .push
        .iter()
        .map(|push| channels_action(name, push))
        .collect();
    if spec.push.is_some() {
        t.output("Name", Value::sub(format!("{name}-${{env}}")));
        if t.resources.is_empty() {
            // Push alone: the project is the action's (CloudFormation's types for it are
            // Pinpoint's, which ended), and a template needs one resource.
            t.resource(
                "PushProjectPlaceholder",
                Resource::new("AWS::CloudFormation::WaitConditionHandle"),
            );
        }
    }
    t.output("Region", Value::r#ref("AWS::Region"));
    let mut stack = NestedStack::new(t, format!("{name}-cloudformation-template.json"));
    stack.actions = actions;
    stack
}

/// Creates the push project (once; its id is kept in the action's result, which reports
/// it as the `Id` output) and configures APNs and FCM with the credentials push reads
/// from the declared variables (never written to a file; only their hash is kept).
fn channels_action(name: &str, push: &super::Push) -> PostDeployAction {
    let mut inputs = IndexMap::from([(
        "projectName".to_owned(),
        ActionInput::Literal { value: name.into() },
    )]);
    let mut platforms = Vec::new();
    if let Some(apns) = &push.apns {
        platforms.push("APNs");
        inputs.insert(
            "apns".into(),
            ActionInput::Literal {
                value: serde_json::json!({
                    "bundleId": apns.bundle_id,
                    "teamId": apns.team_id,
                    "tokenKeyId": apns.key_id,
                    "sandbox": apns.sandbox,
                }),
            },
        );
        inputs.insert(
            "apnsTokenKey".into(),
            ActionInput::Secret {
                variable: apns.key_variable.clone(),
            },
        );
    }
    if let Some(fcm) = &push.fcm {
        platforms.push("FCM");
        inputs.insert(
            "fcmServiceJson".into(),
            ActionInput::Secret {
                variable: fcm.service_json_variable.clone(),
            },
        );
    }
    PostDeployAction {
        id: "push-channels".into(),
        description: format!(
            "create the push project and configure its {} channel",
            platforms.join(" and ")
        ),
        program: CHANNELS_PROGRAM.into(),
        args: vec!["amplify".into(), "notifications-channels".into()],
        inputs,
    }
}
