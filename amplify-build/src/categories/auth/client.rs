//! What a user pool contributes to the client configuration files: the Gen 2 `auth`
//! section, the Cognito keys of aws-exports.js, and the native clients' sections (which
//! use the native app client, `AppClientID`).

use super::{AuthSpec, SignIn};
use crate::category::model::Resource;
use crate::plan::{ClientFile, ClientFragment, Fragment};

pub(super) fn fragments(resource: &Resource, spec: &AuthSpec) -> Vec<ClientFragment> {
    // An imported pool is configured where it was created: only its ids are known.
    let declared = (!resource.is_imported()).then_some(spec);
    vec![
        ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([("auth", gen2(spec, declared))]),
        },
        ClientFragment {
            file: ClientFile::AwsExports,
            value: aws_exports(spec, declared),
        },
        ClientFragment {
            file: ClientFile::AwsConfiguration,
            value: awsconfiguration(spec),
        },
        ClientFragment {
            file: ClientFile::NativeAmplifyConfiguration,
            value: Fragment::object([(
                "auth",
                Fragment::object([(
                    "plugins",
                    Fragment::object([(
                        "awsCognitoAuthPlugin",
                        Fragment::Document(ClientFile::AwsConfiguration),
                    )]),
                )]),
            )]),
        },
    ]
}

/// `EMAIL`, `PHONE_NUMBER`: sign-in identifiers that are the user name itself (with a
/// chosen user name they are aliases instead).
pub(super) fn username_attributes(spec: &AuthSpec) -> Vec<&'static str> {
    if spec.sign_in.contains(&SignIn::Username) {
        return Vec::new();
    }
    spec.sign_in
        .iter()
        .filter_map(|s| match s {
            SignIn::Email => Some("EMAIL"),
            SignIn::Phone => Some("PHONE_NUMBER"),
            SignIn::Username => None,
        })
        .collect()
}

/// `EMAIL`, `PHONE_NUMBER`: what Cognito verifies.
pub(super) fn verification_mechanisms(spec: &AuthSpec) -> Vec<&'static str> {
    let mut out = Vec::new();
    if spec.sign_in.contains(&SignIn::Email)
        || spec.required_attributes.iter().any(|a| a == "email")
    {
        out.push("EMAIL");
    }
    if spec.sign_in.contains(&SignIn::Phone) {
        out.push("PHONE_NUMBER");
    }
    out
}

/// `REQUIRES_LOWERCASE`, …: the password policy's character classes.
pub(super) fn password_characters(spec: &AuthSpec) -> Vec<&'static str> {
    let p = &spec.password;
    [
        (p.lowercase, "REQUIRES_LOWERCASE"),
        (p.uppercase, "REQUIRES_UPPERCASE"),
        (p.numbers, "REQUIRES_NUMBERS"),
        (p.symbols, "REQUIRES_SYMBOLS"),
    ]
    .into_iter()
    .filter_map(|(on, label)| on.then_some(label))
    .collect()
}

/// `SMS`, `TOTP`.
pub(super) fn mfa_types(spec: &AuthSpec) -> Vec<&'static str> {
    let mut out = Vec::new();
    if spec.mfa_sms {
        out.push("SMS");
    }
    if spec.mfa_totp {
        out.push("TOTP");
    }
    out
}

fn lower(values: &[&str]) -> Fragment {
    Fragment::literal(
        values
            .iter()
            .map(|v| v.to_ascii_lowercase())
            .collect::<Vec<_>>(),
    )
}

/// `amplify_outputs.json`'s `auth`.
fn gen2(spec: &AuthSpec, declared: Option<&AuthSpec>) -> Fragment {
    let mut fields = vec![
        ("aws_region", Fragment::Region),
        ("user_pool_id", Fragment::output("UserPoolId")),
        ("user_pool_client_id", Fragment::output("AppClientIDWeb")),
    ];
    if spec.identity_pool.is_some() {
        fields.push(("identity_pool_id", Fragment::output("IdentityPoolId")));
    }
    let Some(spec) = declared else {
        return Fragment::object(fields);
    };
    let characters = password_characters(spec);
    let has = |c: &str| characters.contains(&c);
    fields.push((
        "password_policy",
        Fragment::object([
            ("min_length", Fragment::literal(spec.password.min_length)),
            (
                "require_numbers",
                Fragment::literal(has("REQUIRES_NUMBERS")),
            ),
            (
                "require_lowercase",
                Fragment::literal(has("REQUIRES_LOWERCASE")),
            ),
            (
                "require_uppercase",
                Fragment::literal(has("REQUIRES_UPPERCASE")),
            ),
            (
                "require_symbols",
                Fragment::literal(has("REQUIRES_SYMBOLS")),
            ),
        ]),
    ));
    let required: Vec<&str> = spec
        .required_attributes
        .iter()
        .map(String::as_str)
        .collect();
    for (key, values) in [
        ("username_attributes", username_attributes(spec)),
        ("standard_required_attributes", required),
        ("user_verification_types", verification_mechanisms(spec)),
    ] {
        if !values.is_empty() {
            fields.push((key, lower(&values)));
        }
    }
    if let Some(guest) = spec.identity_pool {
        fields.push((
            "unauthenticated_identities_enabled",
            Fragment::literal(guest),
        ));
    }
    let mfa = match spec.mfa.cognito() {
        "ON" => "REQUIRED",
        "OFF" => "NONE",
        other => other,
    };
    fields.push(("mfa_configuration", Fragment::literal(mfa)));
    let methods = mfa_types(spec);
    if !methods.is_empty() {
        fields.push(("mfa_methods", Fragment::literal(methods)));
    }
    Fragment::object(fields)
}

/// The Cognito keys of aws-exports.js.
fn aws_exports(spec: &AuthSpec, declared: Option<&AuthSpec>) -> Fragment {
    let mut fields = Vec::new();
    if spec.identity_pool.is_some() {
        fields.push((
            "aws_cognito_identity_pool_id",
            Fragment::output("IdentityPoolId"),
        ));
    }
    let upper = |values: Vec<&str>| Fragment::literal(values);
    let required: Vec<String> = declared
        .map(|s| {
            s.required_attributes
                .iter()
                .map(|a| a.to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    fields.extend([
        ("aws_cognito_region", Fragment::Region),
        ("aws_user_pools_id", Fragment::output("UserPoolId")),
        (
            "aws_user_pools_web_client_id",
            Fragment::output("AppClientIDWeb"),
        ),
        ("oauth", Fragment::literal(serde_json::json!({}))),
        (
            "aws_cognito_username_attributes",
            upper(declared.map(username_attributes).unwrap_or_default()),
        ),
        ("aws_cognito_social_providers", upper(Vec::new())),
        ("aws_cognito_signup_attributes", Fragment::literal(required)),
        (
            "aws_cognito_mfa_configuration",
            Fragment::literal(declared.map_or("OFF", |s| s.mfa.cognito())),
        ),
        (
            "aws_cognito_mfa_types",
            upper(declared.map(mfa_types).unwrap_or_default()),
        ),
        (
            "aws_cognito_password_protection_settings",
            match declared {
                Some(s) => Fragment::literal(serde_json::json!({
                    "passwordPolicyMinLength": s.password.min_length,
                    "passwordPolicyCharacters": password_characters(s),
                })),
                None => Fragment::Literal(serde_json::Value::Null),
            },
        ),
        (
            "aws_cognito_verification_mechanisms",
            upper(declared.map(verification_mechanisms).unwrap_or_default()),
        ),
    ]);
    Fragment::object(fields)
}

/// `awsconfiguration.json`'s Cognito sections (native clients use `AppClientID`).
fn awsconfiguration(spec: &AuthSpec) -> Fragment {
    let mut fields = Vec::new();
    if spec.identity_pool.is_some() {
        fields.push((
            "CredentialsProvider",
            Fragment::object([(
                "CognitoIdentity",
                Fragment::object([(
                    "Default",
                    Fragment::object([
                        ("PoolId", Fragment::output("IdentityPoolId")),
                        ("Region", Fragment::Region),
                    ]),
                )]),
            )]),
        ));
    }
    fields.push((
        "CognitoUserPool",
        Fragment::object([(
            "Default",
            Fragment::object([
                ("PoolId", Fragment::output("UserPoolId")),
                ("AppClientId", Fragment::output("AppClientID")),
                ("Region", Fragment::Region),
            ]),
        )]),
    ));
    fields.push((
        "Auth",
        Fragment::object([(
            "Default",
            Fragment::literal(serde_json::json!({ "authenticationFlowType": "USER_SRP_AUTH" })),
        )]),
    ));
    Fragment::object(fields)
}
