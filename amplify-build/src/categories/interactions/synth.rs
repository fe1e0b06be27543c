//! The bot's nested stack: the Lex V2 bot (its locale built on every change), a version
//! of it whose logical id follows its definition (so a change publishes a new one), the
//! environment's alias pointing at that version with the fulfilment function, the
//! function's permission for Lex to call it, and the identity pool roles' right to talk.

use indexmap::IndexMap;

use super::{BotSpec, Intent, Slot, SlotKind};
use crate::category::stack::{description, IdentityRole, NestedStack, StackContext};
use crate::cfn::{list, obj, policy, Resource, Template, Value};
use crate::plan::content_hash;

/// What talking to a bot takes.
pub(super) const CONVERSE: &[&str] = &[
    "lex:RecognizeText",
    "lex:RecognizeUtterance",
    "lex:StartConversation",
    "lex:GetSession",
    "lex:PutSession",
    "lex:DeleteSession",
];

pub(super) fn nested_stack(name: &str, spec: &BotSpec, cx: &StackContext<'_>) -> NestedStack {
    let mut t = Template::new(description("interactions-Lex"));
    t.string_param("env").describe("Amplify environment name");
    cx.declare_dependency_parameters(&mut t);
    let mut bindings = IndexMap::new();
    let signed_in = IdentityRole::SignedIn.declare(&mut t, &mut bindings);
    let guest = spec
        .guest
        .then(|| IdentityRole::Guest.declare(&mut t, &mut bindings));
    t.resource(
        "BotRuntimeRole",
        Resource::new("AWS::IAM::Role")
            .prop(
                "AssumeRolePolicyDocument",
                policy::service_trust("lexv2.amazonaws.com"),
            )
            .prop(
                "Policies",
                list([obj([
                    ("PolicyName", Value::from("speech")),
                    (
                        "PolicyDocument",
                        policy::document(vec![policy::allow(
                            &["polly:SynthesizeSpeech"],
                            vec![Value::sub(
                                "arn:${AWS::Partition}:polly:${AWS::Region}:${AWS::AccountId}:lexicon/*",
                            )],
                        )]),
                    ),
                ])]),
            ),
    );
    let locale = locale(spec);
    // A new version whenever the bot's definition changes: an alias serves a version.
    let fingerprint = serde_json::to_vec(&locale).expect("values serialise");
    let version = format!("BotVersion{}", &content_hash(&fingerprint)[..8]);
    t.resource(
        "Bot",
        Resource::new("AWS::Lex::Bot")
            .prop("Name", Value::sub(format!("{name}_${{env}}")))
            .prop("RoleArn", Value::get_att("BotRuntimeRole", "Arn"))
            .prop(
                "DataPrivacy",
                obj([("ChildDirected", Value::from(spec.child_directed))]),
            )
            .prop(
                "IdleSessionTTLInSeconds",
                Value::from(spec.idle_session_ttl),
            )
            .prop("AutoBuildBotLocales", true)
            .prop("BotLocales", list([locale])),
    );
    t.resource(
        &version,
        Resource::new("AWS::Lex::BotVersion")
            .prop("BotId", Value::r#ref("Bot"))
            .prop(
                "BotVersionLocaleSpecification",
                list([obj([
                    ("LocaleId", Value::from(spec.locale.as_str())),
                    (
                        "BotVersionLocaleDetails",
                        obj([("SourceBotVersion", Value::from("DRAFT"))]),
                    ),
                ])]),
            ),
    );
    let mut alias_locale = vec![("Enabled", Value::from(true))];
    let function = spec.function.as_ref().and_then(|f| cx.backend.resolve(f));
    if let Some(function) = function {
        alias_locale.push((
            "CodeHookSpecification",
            obj([(
                "LambdaCodeHook",
                obj([
                    ("LambdaArn", StackContext::dependency_ref(function, "Arn")),
                    ("CodeHookInterfaceVersion", "1.0".into()),
                ]),
            )]),
        ));
    }
    t.resource(
        "BotAlias",
        Resource::new("AWS::Lex::BotAlias")
            .prop("BotId", Value::r#ref("Bot"))
            .prop("BotAliasName", Value::r#ref("env"))
            .prop("BotVersion", Value::get_att(&version, "BotVersion"))
            .prop(
                "BotAliasLocaleSettings",
                list([obj([
                    ("LocaleId", Value::from(spec.locale.as_str())),
                    ("BotAliasLocaleSetting", obj(alias_locale)),
                ])]),
            ),
    );
    if let Some(function) = function {
        t.resource(
            "LexInvokePermission",
            Resource::new("AWS::Lambda::Permission")
                .prop(
                    "FunctionName",
                    StackContext::dependency_ref(function, "Arn"),
                )
                .prop("Action", "lambda:InvokeFunction")
                .prop("Principal", "lexv2.amazonaws.com")
                .prop("SourceArn", Value::get_att("BotAlias", "Arn")),
        );
    }
    let talk = |role: Value| {
        Resource::new("AWS::IAM::Policy")
            .prop("PolicyName", Value::sub("lex-talk-${Bot}"))
            .prop("Roles", list([role]))
            .prop(
                "PolicyDocument",
                policy::document(vec![policy::allow(
                    CONVERSE,
                    vec![Value::get_att("BotAlias", "Arn")],
                )]),
            )
    };
    t.resource("CognitoAuthPolicy", talk(signed_in));
    if let Some(guest) = guest {
        t.resource("CognitoUnauthPolicy", talk(guest));
    }
    t.output("BotName", Value::sub(format!("{name}_${{env}}")));
    t.output("BotId", Value::r#ref("Bot"));
    t.output("BotAliasId", Value::get_att("BotAlias", "BotAliasId"));
    t.output("BotAliasArn", Value::get_att("BotAlias", "Arn"));
    t.output("LocaleId", Value::from(spec.locale.as_str()));
    t.output("Region", Value::r#ref("AWS::Region"));
    let mut stack = NestedStack::new(t, format!("{name}-cloudformation-template.json"));
    stack.bindings = bindings;
    stack
}

/// The bot's one locale: its custom slot types and intents, and Lex's fallback intent.
fn locale(spec: &BotSpec) -> Value {
    let mut slot_types = Vec::new();
    for intent in &spec.intents {
        for slot in &intent.slots {
            if let SlotKind::Values(values) = &slot.kind {
                slot_types.push(obj([
                    ("Name", Value::from(slot_type_name(intent, slot))),
                    (
                        "SlotTypeValues",
                        list(values.iter().map(|v| {
                            obj([("SampleValue", obj([("Value", Value::from(v.as_str()))]))])
                        })),
                    ),
                    (
                        "ValueSelectionSetting",
                        obj([("ResolutionStrategy", Value::from("ORIGINAL_VALUE"))]),
                    ),
                ]));
            }
        }
    }
    let mut intents: Vec<Value> = spec
        .intents
        .iter()
        .map(|i| intent(i, spec.function.is_some()))
        .collect();
    intents.push(obj([
        ("Name", Value::from("FallbackIntent")),
        ("ParentIntentSignature", "AMAZON.FallbackIntent".into()),
    ]));
    let mut locale = vec![
        ("LocaleId", Value::from(spec.locale.as_str())),
        ("NluConfidenceThreshold", Value::Str("0.40".into())),
    ];
    if !slot_types.is_empty() {
        locale.push(("SlotTypes", list(slot_types)));
    }
    locale.push(("Intents", list(intents)));
    obj(locale)
}

fn intent(intent: &Intent, fulfilled: bool) -> Value {
    let mut fields = vec![
        ("Name", Value::from(intent.name.as_str())),
        (
            "SampleUtterances",
            list(
                intent
                    .utterances
                    .iter()
                    .map(|u| obj([("Utterance", Value::from(u.as_str()))])),
            ),
        ),
    ];
    if !intent.slots.is_empty() {
        fields.push(("Slots", list(intent.slots.iter().map(|s| slot(intent, s)))));
        fields.push((
            "SlotPriorities",
            list(intent.slots.iter().enumerate().map(|(i, s)| {
                obj([
                    ("Priority", Value::from(i as u32 + 1)),
                    ("SlotName", Value::from(s.name.as_str())),
                ])
            })),
        ));
    }
    if let Some(question) = &intent.confirm {
        fields.push((
            "IntentConfirmationSetting",
            obj([
                ("PromptSpecification", prompt(question)),
                (
                    "DeclinationResponse",
                    obj([("MessageGroupsList", messages("Okay, I will not do that."))]),
                ),
            ]),
        ));
    }
    if fulfilled {
        fields.push(("FulfillmentCodeHook", obj([("Enabled", Value::from(true))])));
    }
    obj(fields)
}

fn slot(intent: &Intent, slot: &Slot) -> Value {
    let type_name = match &slot.kind {
        SlotKind::BuiltIn(t) => t.clone(),
        SlotKind::Values(_) => slot_type_name(intent, slot),
    };
    obj([
        ("Name", Value::from(slot.name.as_str())),
        ("SlotTypeName", Value::from(type_name)),
        (
            "ValueElicitationSetting",
            obj([
                (
                    "SlotConstraint",
                    Value::from(if slot.optional {
                        "Optional"
                    } else {
                        "Required"
                    }),
                ),
                ("PromptSpecification", prompt(&slot.prompt)),
            ]),
        ),
    ])
}

/// A custom slot type per slot with values: `<Intent><Slot>Values`.
fn slot_type_name(intent: &Intent, slot: &Slot) -> String {
    format!("{}{}Values", intent.name, slot.name)
}

fn prompt(text: &str) -> Value {
    obj([
        ("MessageGroupsList", messages(text)),
        ("MaxRetries", Value::from(2u32)),
    ])
}

fn messages(text: &str) -> Value {
    list([obj([(
        "Message",
        obj([("PlainTextMessage", obj([("Value", Value::from(text))]))]),
    )])])
}
