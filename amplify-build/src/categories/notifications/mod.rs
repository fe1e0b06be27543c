//! `#[notifications(...)]`: Amplify's notifications on today's services. Email is Amazon
//! SES (an identity and a configuration set); SMS is AWS End User Messaging SMS (a
//! configuration set and an opt-out list); mobile push is AWS End User Messaging Push (a
//! project with APNs and FCM channels, the API that outlived Pinpoint's engagement
//! features, ended 2026-10-30). CloudFormation creates the SES and SMS resources; a
//! post-deploy action creates the push project and configures its channels with their
//! credentials (an APNs token key, the FCM service account), secrets read from
//! environment variables, and keeps their state — the project's id is an output of its
//! result. As in Amplify, notifications are not exported (seed `000`: SDK calls).

mod decl;
mod synth;

use crate::category::model::Backend;
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, OutputDef, ParseContext};
use crate::cfn::{policy, Value};
use crate::decl::args::ArgReader;
use crate::plan::{ClientFile, ClientFragment, Fragment};

/// The notifications category.
pub struct Notifications;

/// The email channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The sender address.
    pub from: String,
    /// The SES identity verifying it: the address, or its domain.
    pub identity: String,
}

/// APNs, with a token key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apns {
    /// The app's bundle id.
    pub bundle_id: String,
    /// The Apple developer team.
    pub team_id: String,
    /// The token key's id.
    pub key_id: String,
    /// The variable holding the `.p8` key's contents.
    pub key_variable: String,
    /// Apple's sandbox (development builds) rather than production.
    pub sandbox: bool,
}

/// Firebase Cloud Messaging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fcm {
    /// The variable holding the service account JSON.
    pub service_json_variable: String,
}

/// The push channel's platforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// iOS.
    pub apns: Option<Apns>,
    /// Android.
    pub fcm: Option<Fcm>,
}

/// `#[notifications(...)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationsSpec {
    /// Email through SES.
    pub email: Option<Email>,
    /// SMS through End User Messaging.
    pub sms: bool,
    /// Mobile push through End User Messaging.
    pub push: Option<Push>,
}

impl NotificationsSpec {
    /// Gen 2's channel names of the push project.
    fn channels(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if let Some(push) = &self.push {
            if push.apns.is_some() {
                out.push("APNS");
            }
            if push.fcm.is_some() {
                out.push("FCM");
            }
        }
        out
    }
}

const KEYS: &[&str] = &["email", "sms", "push"];

impl Category for Notifications {
    type Spec = NotificationsSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/sms-voice/home?region={region}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "notifications",
            category: "notifications",
            service: "EndUserMessaging",
            keys: KEYS,
            import: None,
            import_derived: &[],
            // Channels are configured with SDK calls (seed 000): Amplify exports none.
            exportable: false,
            // MiniStack has no End User Messaging (SES alone it has).
            local_cloud: false,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<NotificationsSpec> {
        decl::parse(args, cx)
    }

    fn outputs(&self, spec: Option<&NotificationsSpec>) -> Vec<OutputDef> {
        let email = spec.is_none_or(|s| s.email.is_some());
        let sms = spec.is_none_or(|s| s.sms);
        let push = spec.is_none_or(|s| s.push.is_some());
        let mut out =
            vec![OutputDef::new("Region").accessor("region", "Where messages are sent from.")];
        if email {
            out.push(
                OutputDef::new("FromAddress")
                    .accessor("from_address", "The sender of e-mail.")
                    .granted(),
            );
            out.push(
                OutputDef::new("ConfigurationSetName")
                    .accessor(
                        "configuration_set",
                        "The SES configuration set to send with.",
                    )
                    .granted(),
            );
            out.push(
                OutputDef::new("EmailIdentity").accessor("email_identity", "The SES identity."),
            );
        }
        if sms {
            out.push(
                OutputDef::new("SmsConfigurationSetName")
                    .accessor(
                        "sms_configuration_set",
                        "The End User Messaging SMS configuration set to send with.",
                    )
                    .granted(),
            );
            out.push(OutputDef::new("SmsOptOutListName"));
        }
        if push {
            // Reported by the push channels' action, which creates the project.
            out.push(
                OutputDef::new("Id")
                    .accessor(
                        "app_id",
                        "The End User Messaging Push project (the Pinpoint application id clients name).",
                    )
                    .in_status("Push project"),
            );
            out.push(OutputDef::new("Name"));
        }
        out
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["send"]
    }

    fn grant(
        &self,
        it: Declared<'_, NotificationsSpec>,
        _: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let mut statements = Vec::new();
        if it.spec.email.is_some() {
            statements.push(policy::allow(
                &["ses:SendEmail", "ses:SendRawEmail"],
                vec![
                    Value::sub(
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*",
                    ),
                    Value::sub(format!(
                        "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:configuration-set/${{{}}}",
                        parameter("ConfigurationSetName")
                    )),
                ],
            ));
        }
        if it.spec.sms {
            statements.push(policy::allow(
                &["sms-voice:SendTextMessage"],
                vec![Value::sub(format!(
                    "arn:${{AWS::Partition}}:sms-voice:${{AWS::Region}}:${{AWS::AccountId}}:configuration-set/${{{}}}",
                    parameter("SmsConfigurationSetName")
                ))],
            ));
        }
        statements
    }

    fn synthesize(&self, it: Declared<'_, NotificationsSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec)
    }

    fn client_config(
        &self,
        it: Declared<'_, NotificationsSpec>,
        _: &Backend,
    ) -> Vec<ClientFragment> {
        client_config(&it.name, it.spec)
    }
}

/// Amplify's `Notifications.Push` (aws-exports.js), Gen 2's `notifications` (the push
/// project and its channels) and the native push plugin; the email and SMS settings
/// under `custom.notifications.<Name>` (Gen 2 has no SES or SMS section; a key whose
/// output the resource lacks is left out).
fn client_config(name: &str, spec: &NotificationsSpec) -> Vec<ClientFragment> {
    let project = || {
        Fragment::object([
            ("appId", Fragment::output("Id")),
            ("region", Fragment::Region),
        ])
    };
    let mut out = Vec::new();
    if spec.push.is_some() {
        out.push(ClientFragment {
            file: ClientFile::AwsExports,
            value: Fragment::object([(
                "Notifications",
                Fragment::object([("Push", Fragment::object([("AWSPinpoint", project())]))]),
            )]),
        });
        out.push(ClientFragment {
            file: ClientFile::NativeAmplifyConfiguration,
            value: Fragment::object([(
                "notifications",
                Fragment::object([(
                    "plugins",
                    Fragment::object([("awsPinpointPushNotificationsPlugin", project())]),
                )]),
            )]),
        });
        out.push(ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "notifications",
                Fragment::object([
                    ("aws_region", Fragment::Region),
                    ("amazon_pinpoint_app_id", Fragment::output("Id")),
                    ("channels", Fragment::literal(spec.channels())),
                ]),
            )]),
        });
    }
    if spec.email.is_some() || spec.sms {
        let mut channels = Vec::new();
        if spec.email.is_some() {
            channels.push((
                "email",
                Fragment::object([
                    ("from_address", Fragment::output("FromAddress")),
                    (
                        "configuration_set",
                        Fragment::output("ConfigurationSetName"),
                    ),
                    ("aws_region", Fragment::Region),
                ]),
            ));
        }
        if spec.sms {
            channels.push((
                "sms",
                Fragment::object([
                    (
                        "configuration_set",
                        Fragment::output("SmsConfigurationSetName"),
                    ),
                    ("aws_region", Fragment::Region),
                ]),
            ));
        }
        out.push(ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(
                    "notifications",
                    Fragment::object([(name, Fragment::object(channels))]),
                )]),
            )]),
        });
    }
    out
}
