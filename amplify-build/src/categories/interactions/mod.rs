//! `#[bot(...)]`: an Amazon Lex V2 chatbot — Amplify's interactions category on today's
//! service (Lex V1, which Amplify Gen 1 generated, is retired). One locale, intents with
//! sample utterances and slots, fulfilled by a declared function; a version published
//! from each change and an alias per environment; signed-in users (and guests, when
//! declared) may talk to it through the identity pool's roles.

mod decl;
mod synth;

use proc_macro2::Span;

use crate::categories::auth::AuthSpec;
use crate::category::model::{resolve, Backend, Reference};
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Capability, Category, Declared, Descriptor, Edge, OutputDef, ParseContext};
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::plan::{ClientFile, ClientFragment, Fragment};

/// The interactions category.
pub struct Interactions;

/// What a slot holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotKind {
    /// A Lex built-in type (`AMAZON.Date`).
    BuiltIn(String),
    /// One of these values (a custom slot type of the bot).
    Values(Vec<String>),
}

/// A slot of an intent.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Its name, as utterances write it in braces.
    pub name: String,
    /// Where it was declared.
    pub span: Span,
    /// What it holds.
    pub kind: SlotKind,
    /// The question that elicits it.
    pub prompt: String,
    /// Not required to fulfil the intent.
    pub optional: bool,
}

/// One intent.
#[derive(Debug, Clone)]
pub struct Intent {
    /// Its name.
    pub name: String,
    /// Where it was declared.
    pub span: Span,
    /// What users say to start it.
    pub utterances: Vec<String>,
    /// Its slots, in the order they are asked for.
    pub slots: Vec<Slot>,
    /// The question confirming the intent before it is fulfilled.
    pub confirm: Option<String>,
}

/// `#[bot(...)]`: one Lex V2 bot.
#[derive(Debug, Clone)]
pub struct BotSpec {
    /// Its locale (`en_US`).
    pub locale: String,
    /// The function fulfilling its intents.
    pub function: Option<Reference>,
    /// Guests may talk to it too.
    pub guest: bool,
    /// Seconds a conversation is kept without input.
    pub idle_session_ttl: u32,
    /// Subject to COPPA.
    pub child_directed: bool,
    /// Its intents.
    pub intents: Vec<Intent>,
}

const KEYS: &[&str] = &[
    "locale",
    "function",
    "guest",
    "idle_session_ttl",
    "child_directed",
    "intent",
];

impl Category for Interactions {
    type Spec = BotSpec;

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/lexv2/home?region={region}#bot/{BotId}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "bot",
            category: "interactions",
            service: "Lex",
            keys: KEYS,
            import: None,
            import_derived: &[],
            // `@aws-amplify/cdk-exported-backend` reads every interactions stack as Amplify's
            // retired Lex V1 one and fails without its custom-resource Lambda zip.
            exportable: false,
            local_cloud: false,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<BotSpec> {
        decl::parse(args, cx)
    }

    fn check(&self, it: Declared<'_, BotSpec>, backend: &Backend, cx: &Diagnostics) {
        if let Some(f) = &it.spec.function {
            let target = resolve(backend, f, "a `#[function]` struct", cx);
            if let Some(t) = target.filter(|t| !t.can(Capability::InvocableFunction)) {
                cx.error(
                    f.span,
                    format!(
                        "`function = {}` must name a Lambda function, but `{}` is a `#[{}]`",
                        f.name,
                        t.ident,
                        t.attribute()
                    ),
                );
            }
        }
        let Some(auth) = backend.find::<AuthSpec>() else {
            if !backend.resources.iter().any(|r| r.is_a::<AuthSpec>()) {
                cx.error(it.span, "users talk to a bot with the identity pool's credentials: declare `#[auth(identity_pool)]` in this backend");
            }
            return;
        };
        match auth.spec.identity_pool {
            None => cx.error(it.span, format!("users talk to a bot with the identity pool's credentials: add `identity_pool` to `#[auth]` on `{}`", auth.ident)),
            Some(false) if it.spec.guest => cx.error(it.span, format!("`guest` lets guests talk to the bot, and `{}` has no guests: write `identity_pool(guest_access = true)`", auth.ident)),
            _ if auth.is_imported() => cx.error(it.span, format!("the bot's access policies attach to roles this backend creates, but `{}` is imported", auth.ident)),
            _ => {}
        }
    }

    fn edges<'a>(&self, it: Declared<'a, BotSpec>, _: &'a Backend) -> Vec<Edge<'a>> {
        it.spec
            .function
            .iter()
            .map(|f| Edge::to(f, vec!["Arn".to_owned()]))
            .collect()
    }

    fn outputs(&self, _: Option<&BotSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("BotName")
                .accessor("bot_name", "The bot's name (`<Name>_<env>`).")
                .in_status("Lex bot"),
            OutputDef::new("BotId")
                .accessor("bot_id", "The bot's id.")
                .granted(),
            OutputDef::new("BotAliasId")
                .accessor("alias_id", "The environment's alias of the bot.")
                .granted(),
            OutputDef::new("BotAliasArn").accessor("alias_arn", "The alias's ARN."),
            OutputDef::new("LocaleId").accessor("locale_id", "The bot's locale (`en_US`)."),
            OutputDef::new("Region").accessor("region", "The bot's region."),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["converse"]
    }

    fn grant(
        &self,
        _: Declared<'_, BotSpec>,
        _: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<crate::cfn::Value> {
        vec![crate::cfn::policy::allow(
            synth::CONVERSE,
            vec![crate::cfn::Value::sub(format!(
                "arn:${{AWS::Partition}}:lex:${{AWS::Region}}:${{AWS::AccountId}}:bot-alias/${{{}}}/${{{}}}",
                parameter("BotId"),
                parameter("BotAliasId")
            ))],
        )]
    }

    fn synthesize(&self, it: Declared<'_, BotSpec>, cx: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec, cx)
    }

    fn client_config(&self, it: Declared<'_, BotSpec>, _: &Backend) -> Vec<ClientFragment> {
        client_config(&it.name)
    }
}

/// `aws_bots_config` (aws-exports.js), `Lex` (awsconfiguration.json), and the values
/// aws-amplify's Lex V2 provider is configured with (`Interactions.LexV2.<Name>`) under
/// `custom.interactions` in `amplify_outputs.json`.
fn client_config(name: &str) -> Vec<ClientFragment> {
    let out = Fragment::output;
    vec![
        ClientFragment {
            file: ClientFile::AwsExports,
            value: Fragment::object([
                ("aws_bots", Fragment::literal("enable")),
                (
                    "aws_bots_config",
                    Fragment::List(vec![Fragment::object([
                        ("name", out("BotName")),
                        ("alias", out("BotAliasId")),
                        ("region", Fragment::Region),
                        ("botId", out("BotId")),
                        ("aliasId", out("BotAliasId")),
                        ("localeId", out("LocaleId")),
                    ])]),
                ),
            ]),
        },
        ClientFragment {
            file: ClientFile::AwsConfiguration,
            value: Fragment::object([(
                "Lex",
                Fragment::object([(
                    name,
                    Fragment::object([
                        ("Name", out("BotName")),
                        ("Alias", out("BotAliasId")),
                        ("Region", Fragment::Region),
                        ("BotId", out("BotId")),
                        ("LocaleId", out("LocaleId")),
                    ]),
                )]),
            )]),
        },
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(
                    "interactions",
                    Fragment::object([(
                        "LexV2",
                        Fragment::object([(
                            name,
                            Fragment::object([
                                ("botId", out("BotId")),
                                ("aliasId", out("BotAliasId")),
                                ("localeId", out("LocaleId")),
                                ("region", Fragment::Region),
                            ]),
                        )]),
                    )]),
                )]),
            )]),
        },
    ]
}
