//! Cognito: user pool, web and native app clients, groups with their roles, and the
//! identity pool. The identity pool's role attachment lives in the root stack, next to
//! the roles it attaches ([`root_roles`]).

use serde_json::json;

use super::{client, AuthSpec, MfaMode, SignIn};
use crate::category::model::Resource as Decl;
use crate::category::stack::{description, NestedStack, RootRef, RootRoles};
use crate::cfn::policy;
use crate::cfn::{list, obj, to_pretty_json, Resource, Template, Value};

/// The nested stack of a user pool named `name`.
pub(super) fn nested_stack(name: &str, spec: &AuthSpec) -> NestedStack {
    let mut t = Template::new(description("auth-Cognito"));
    t.string_param("env").describe("Amplify environment name");

    let needs_sms = spec.mfa_sms || spec.sign_in.contains(&SignIn::Phone);
    if needs_sms {
        t.resource(
            "SNSRole",
            Resource::new("AWS::IAM::Role")
                .prop(
                    "AssumeRolePolicyDocument",
                    policy::document(vec![obj([
                        ("Effect", Value::from("Allow")),
                        ("Principal", obj([("Service", Value::from("cognito-idp.amazonaws.com"))])),
                        ("Action", list([Value::from("sts:AssumeRole")])),
                        (
                            "Condition",
                            obj([("StringEquals", obj([("sts:ExternalId", Value::sub(format!("{name}-sms-${{env}}")))]))]),
                        ),
                    ])]),
                )
                .prop(
                    "Policies",
                    list([obj([
                        ("PolicyName", Value::from("cognito-sms")),
                        ("PolicyDocument", policy::document(vec![policy::allow(&["sns:Publish"], vec!["*".into()])])),
                    ])]),
                )
                .checkov_skip(
                    "CKV_AWS_111",
                    "Cognito sends SMS to phone numbers, which have no ARN: sns:Publish needs Resource '*'",
                ),
        );
    }

    t.resource("UserPool", user_pool(name, spec, needs_sms));
    // Native apps (Rust among them: the AWS SDK for Rust has no SRP) may also sign in
    // with USER_PASSWORD_AUTH, over TLS; browsers keep to SRP.
    let web_flows = vec!["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"];
    let native_flows = vec![
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    ];
    for (id, suffix, flows) in [
        ("UserPoolClientWeb", "web", web_flows),
        ("UserPoolClient", "native", native_flows),
    ] {
        t.resource(
            id,
            Resource::new("AWS::Cognito::UserPoolClient")
                .prop("ClientName", format!("{name}-{suffix}"))
                .prop("UserPoolId", Value::r#ref("UserPool"))
                .prop("GenerateSecret", false)
                .prop("ExplicitAuthFlows", flows)
                .prop("PreventUserExistenceErrors", "ENABLED")
                .prop("EnableTokenRevocation", true)
                .prop("RefreshTokenValidity", 30u32)
                .prop(
                    "TokenValidityUnits",
                    obj([("RefreshToken", Value::from("days"))]),
                )
                .prop("SupportedIdentityProviders", vec!["COGNITO"]),
        );
    }

    if let Some(guest) = spec.identity_pool {
        let providers = ["UserPoolClientWeb", "UserPoolClient"]
            .into_iter()
            .map(|client| {
                obj([
                    ("ClientId", Value::r#ref(client)),
                    ("ProviderName", Value::get_att("UserPool", "ProviderName")),
                ])
            })
            .collect();
        let mut pool = Resource::new("AWS::Cognito::IdentityPool")
            .prop(
                "IdentityPoolName",
                match &spec.identity_pool_name {
                    Some(kept) => Value::sub(format!("{kept}__${{env}}")),
                    None => Value::sub(format!("{name}_identitypool_${{env}}")),
                },
            )
            .prop("AllowUnauthenticatedIdentities", guest)
            .prop("CognitoIdentityProviders", Value::List(providers));
        if guest {
            pool = pool.checkov_skip(
                "CKV_AWS_366",
                "guest access is declared: #[auth(identity_pool(guest_access = true))]",
            );
        }
        t.resource("IdentityPool", pool);
    }

    for (precedence, group) in spec.groups.iter().enumerate() {
        let role_id = format!("{group}GroupRole");
        let mut g = Resource::new("AWS::Cognito::UserPoolGroup")
            .prop("GroupName", group.as_str())
            .prop("UserPoolId", Value::r#ref("UserPool"))
            .prop("Precedence", precedence as i64);
        if spec.identity_pool.is_some() {
            g = g.prop("RoleArn", Value::get_att(&role_id, "Arn"));
            t.resource(
                &role_id,
                Resource::new("AWS::IAM::Role").prop(
                    "AssumeRolePolicyDocument",
                    policy::identity_pool_trust(Value::r#ref("IdentityPool"), "authenticated"),
                ),
            );
        }
        t.resource(format!("{group}Group"), g);
    }

    let pool_name = user_pool_name(name, spec);
    if spec.identity_pool.is_some() {
        t.output("IdentityPoolId", Value::r#ref("IdentityPool"));
        t.output("IdentityPoolName", Value::get_att("IdentityPool", "Name"));
    }
    t.output("UserPoolId", Value::r#ref("UserPool"));
    t.output("UserPoolArn", Value::get_att("UserPool", "Arn"));
    t.output("UserPoolName", pool_name);
    t.output("AppClientIDWeb", Value::r#ref("UserPoolClientWeb"));
    t.output("AppClientID", Value::r#ref("UserPoolClient"));
    if spec.identity_pool.is_some() {
        for group in &spec.groups {
            let role = super::group_role_output(group);
            t.output(role.clone(), Value::r#ref(role));
        }
    }

    let mut stack = NestedStack::new(t, format!("build/{name}-cloudformation-template.json"));
    stack
        .backend_config
        .insert("customAuth".into(), json!(false));
    if let Some(guest) = spec.identity_pool {
        stack
            .backend_config
            .insert("allowUnauthenticatedIdentities".into(), json!(guest));
    }
    stack
        .backend_config
        .insert("frontendAuthConfig".into(), frontend_auth_config(spec));
    stack
        .files
        .push(("parameters.json".into(), amplify_cli_parameters(name, spec)));
    stack
}

/// `auth/<name>/parameters.json` as the Amplify CLI reads it for a pool it did not write
/// (its older layout, which it still reads where a resource has no `cli-inputs.json`):
/// the settings from which it derives `frontendAuthConfig` and its SMS checks, the same
/// values as ours. No `cli-inputs.json` on purpose: from one, the CLI would regenerate the
/// pool's template at its next push, with its own logical ids.
fn amplify_cli_parameters(name: &str, spec: &AuthSpec) -> String {
    let lower = |values: Vec<&str>| -> Vec<String> {
        values.iter().map(|v| v.to_ascii_lowercase()).collect()
    };
    let mfa_types: Vec<&str> = client::mfa_types(spec)
        .into_iter()
        .map(|t| if t == "SMS" { "SMS Text Message" } else { t })
        .collect();
    let password_characters: Vec<String> = client::password_characters(spec)
        .into_iter()
        .map(|c| {
            // `REQUIRES_LOWERCASE` → `Requires Lowercase`.
            let words: Vec<String> = c
                .split('_')
                .map(|w| w[..1].to_owned() + &w[1..].to_ascii_lowercase())
                .collect();
            words.join(" ")
        })
        .collect();
    let username_attributes = lower(client::username_attributes(spec));
    to_pretty_json(&json!({
        "resourceName": name,
        "serviceName": "Cognito",
        "authSelections": if spec.identity_pool.is_some() { "identityPoolAndUserPool" } else { "userPoolOnly" },
        "usernameAttributes": if username_attributes.is_empty() { Vec::new() } else { vec![username_attributes.join(", ")] },
        "requiredAttributes": spec.required_attributes,
        "autoVerifiedAttributes": lower(client::verification_mechanisms(spec)),
        "passwordPolicyMinLength": spec.password.min_length,
        "passwordPolicyCharacters": password_characters,
        "mfaConfiguration": spec.mfa.cognito(),
        "mfaTypes": mfa_types,
        "allowUnauthenticatedIdentities": spec.identity_pool.unwrap_or(false),
        "userPoolGroupList": spec.groups,
    }))
}

fn user_pool(name: &str, spec: &AuthSpec, needs_sms: bool) -> Resource {
    let signs_in_with_username = spec.sign_in.contains(&SignIn::Username);
    let identifiers: Vec<&str> = spec
        .sign_in
        .iter()
        .filter_map(|s| match s {
            SignIn::Email => Some("email"),
            SignIn::Phone => Some("phone_number"),
            SignIn::Username => None,
        })
        .collect();
    let uses_email = spec.sign_in.contains(&SignIn::Email)
        || spec.required_attributes.iter().any(|a| a == "email");
    let mut verified: Vec<&str> = Vec::new();
    if uses_email {
        verified.push("email");
    }
    if spec.sign_in.contains(&SignIn::Phone) {
        verified.push("phone_number");
    }
    // Standard attributes keep the type Cognito gives them (`updated_at` is a number):
    // only requiredness is declared.
    let schema: Vec<Value> = spec
        .required_attributes
        .iter()
        .map(|a| {
            obj([
                ("Name", Value::from(a.as_str())),
                ("Mutable", true.into()),
                ("Required", true.into()),
            ])
        })
        .collect();
    let p = &spec.password;
    let mut pool = Resource::new("AWS::Cognito::UserPool")
        .prop("UserPoolName", user_pool_name(name, spec))
        .prop(
            "Policies",
            obj([(
                "PasswordPolicy",
                obj([
                    ("MinimumLength", Value::from(p.min_length)),
                    ("RequireLowercase", p.lowercase.into()),
                    ("RequireNumbers", p.numbers.into()),
                    ("RequireSymbols", p.symbols.into()),
                    ("RequireUppercase", p.uppercase.into()),
                    ("TemporaryPasswordValidityDays", 7u32.into()),
                ]),
            )]),
        );
    if !schema.is_empty() {
        pool = pool.prop("Schema", Value::List(schema));
    }
    if !identifiers.is_empty() {
        let key = if signs_in_with_username {
            "AliasAttributes"
        } else {
            "UsernameAttributes"
        };
        pool = pool.prop(key, identifiers);
    }
    if !verified.is_empty() {
        pool = pool.prop("AutoVerifiedAttributes", verified);
    }
    let recovery = if uses_email {
        "verified_email"
    } else {
        "verified_phone_number"
    };
    if uses_email || spec.sign_in.contains(&SignIn::Phone) {
        pool = pool.prop(
            "AccountRecoverySetting",
            obj([(
                "RecoveryMechanisms",
                list([obj([
                    ("Name", Value::from(recovery)),
                    ("Priority", 1u32.into()),
                ])]),
            )]),
        );
    }
    if !spec.case_sensitive_usernames {
        pool = pool.prop(
            "UsernameConfiguration",
            obj([("CaseSensitive", false.into())]),
        );
    }
    pool = pool.prop("MfaConfiguration", spec.mfa.cognito());
    if spec.mfa != MfaMode::Off {
        let mut methods = Vec::new();
        if spec.mfa_sms {
            methods.push("SMS_MFA");
        }
        if spec.mfa_totp {
            methods.push("SOFTWARE_TOKEN_MFA");
        }
        pool = pool.prop("EnabledMfas", methods);
    }
    if needs_sms {
        pool = pool.prop(
            "SmsConfiguration",
            obj([
                ("SnsCallerArn", Value::get_att("SNSRole", "Arn")),
                ("ExternalId", Value::sub(format!("{name}-sms-${{env}}"))),
            ]),
        );
    }
    pool
}

/// The `frontendAuthConfig` block Amplify keeps in backend-config.json, from which client
/// configuration (sign-in form, password rules) is generated.
fn frontend_auth_config(spec: &AuthSpec) -> serde_json::Value {
    json!({
        "socialProviders": [],
        "usernameAttributes": client::username_attributes(spec),
        "signupAttributes": spec.required_attributes.iter().map(|a| a.to_ascii_uppercase()).collect::<Vec<_>>(),
        "passwordProtectionSettings": {
            "passwordPolicyMinLength": spec.password.min_length,
            "passwordPolicyCharacters": client::password_characters(spec)
        },
        "mfaConfiguration": spec.mfa.cognito(),
        "mfaTypes": client::mfa_types(spec),
        "verificationMechanisms": client::verification_mechanisms(spec)
    })
}

/// With an identity pool, the root's roles trust it (the unauthenticated one only when
/// guests are allowed) and a role attachment gives group members their group's role.
pub(super) fn root_roles(resource: &Decl, spec: &AuthSpec, roles: &mut RootRoles) {
    let Some(guest) = spec.identity_pool else {
        return;
    };
    if resource.is_imported() {
        // Its roles are managed where the pool was created.
        return;
    }
    let pool_output =
        |output: &str| Value::get_att(resource.logical_id(), format!("Outputs.{output}"));
    roles.auth_trust = Some(policy::identity_pool_trust(
        pool_output("IdentityPoolId"),
        "authenticated",
    ));
    let mut attached = vec![("authenticated", RootRef::AuthRoleArn.value())];
    if guest {
        roles.unauth_trust = Some(policy::identity_pool_trust(
            pool_output("IdentityPoolId"),
            "unauthenticated",
        ));
        attached.push(("unauthenticated", RootRef::UnauthRoleArn.value()));
    }
    let mut attachment = Resource::new("AWS::Cognito::IdentityPoolRoleAttachment")
        .prop("IdentityPoolId", pool_output("IdentityPoolId"))
        .prop("Roles", obj(attached));
    if !spec.groups.is_empty() {
        // Group members get their group's role through the token's preferred role.
        let mapping = |client: &str| {
            obj([
                (
                    "IdentityProvider",
                    Value::Join(
                        String::new(),
                        vec![
                            "cognito-idp.".into(),
                            Value::r#ref("AWS::Region"),
                            ".amazonaws.com/".into(),
                            pool_output("UserPoolId"),
                            ":".into(),
                            pool_output(client),
                        ],
                    ),
                ),
                ("Type", "Token".into()),
                ("AmbiguousRoleResolution", "AuthenticatedRole".into()),
            ])
        };
        attachment = attachment.prop(
            "RoleMappings",
            obj([
                ("UserPoolWeb", mapping("AppClientIDWeb")),
                ("UserPoolNative", mapping("AppClientID")),
            ]),
        );
    }
    roles
        .resources
        .push(("IdentityPoolRoleAttachment".to_owned(), attachment));
}

/// `<name>-<env>`: the resource's name, or the one the pool was deployed with before.
fn user_pool_name(resource: &str, spec: &AuthSpec) -> Value {
    let name = spec.user_pool_name.as_deref().unwrap_or(resource);
    Value::sub(format!("{name}-${{env}}"))
}
