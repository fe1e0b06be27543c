//! `#[auth(...)]`: a Cognito user pool with a web and a native app client, groups and an
//! optional identity pool whose roles live in the root stack.

mod client;
mod decl;
mod synth;

use indexmap::IndexMap;

use crate::category::model::Backend;
use crate::category::stack::{NestedStack, RootRoles, StackContext};
use crate::category::{
    Capability, Category, Declared, Descriptor, ImportKey, OutputDef, ParseContext,
};
use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::plan::ClientFragment;

pub use decl::STANDARD_ATTRIBUTES;

/// The auth category.
pub struct Auth;

/// How users sign in to a user pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// A chosen user name.
    Username,
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
}

/// User-pool MFA setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaMode {
    /// No MFA.
    Off,
    /// Users may enrol.
    Optional,
    /// Every user must use MFA.
    Required,
}

impl MfaMode {
    /// Cognito's `MfaConfiguration` value.
    pub fn cognito(self) -> &'static str {
        match self {
            MfaMode::Off => "OFF",
            MfaMode::Optional => "OPTIONAL",
            MfaMode::Required => "ON",
        }
    }
}

/// Password rules of a user pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length, 6–99.
    pub min_length: u32,
    /// Require a lower-case letter.
    pub lowercase: bool,
    /// Require an upper-case letter.
    pub uppercase: bool,
    /// Require a digit.
    pub numbers: bool,
    /// Require a symbol.
    pub symbols: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 8,
            lowercase: true,
            uppercase: true,
            numbers: true,
            symbols: true,
        }
    }
}

/// `#[auth(...)]`: a Cognito user pool with a web and a native app client.
#[derive(Debug, Clone)]
pub struct AuthSpec {
    /// Sign-in identifiers.
    pub sign_in: Vec<SignIn>,
    /// Standard attributes required at sign-up (Cognito names, e.g. `email`).
    pub required_attributes: Vec<String>,
    /// Password policy.
    pub password: PasswordPolicy,
    /// MFA mode.
    pub mfa: MfaMode,
    /// SMS MFA enabled.
    pub mfa_sms: bool,
    /// TOTP (authenticator app) MFA enabled.
    pub mfa_totp: bool,
    /// User groups, highest precedence first.
    pub groups: Vec<String>,
    /// Identity pool, if declared: `Some(guest_access)`.
    pub identity_pool: Option<bool>,
    /// The user pool's name before (`user_pool_name = "..."`, an adopted Gen 1 pool):
    /// deployed as `<user_pool_name>-<env>` instead of `<resource>-<env>`.
    pub user_pool_name: Option<String>,
    /// The identity pool's name before (`identity_pool(name = "...")`): deployed as
    /// `<name>__<env>`, as Amplify Gen 1 names identity pools.
    pub identity_pool_name: Option<String>,
    /// User names told apart by case (`case_sensitive_usernames`): the pool is deployed
    /// without `UsernameConfiguration`, as Gen 1 pools made before Amplify asked are.
    pub case_sensitive_usernames: bool,
}

impl Default for AuthSpec {
    /// User-name sign-in, Cognito's default password rules, no MFA, no groups, no
    /// identity pool: what `#[auth]` alone declares (and all an imported pool needs).
    fn default() -> Self {
        AuthSpec {
            sign_in: vec![SignIn::Username],
            required_attributes: Vec::new(),
            password: PasswordPolicy::default(),
            mfa: MfaMode::Off,
            mfa_sms: false,
            mfa_totp: false,
            groups: Vec::new(),
            identity_pool: None,
            user_pool_name: None,
            identity_pool_name: None,
            case_sensitive_usernames: false,
        }
    }
}

const KEYS: &[&str] = &[
    "sign_in",
    "required_attributes",
    "password",
    "mfa",
    "groups",
    "identity_pool",
    "user_pool_name",
    "case_sensitive_usernames",
];

const IMPORT: &[ImportKey] = &[
    ImportKey {
        key: "user_pool_id",
        output: "UserPoolId",
        required: true,
    },
    ImportKey {
        key: "web_client_id",
        output: "AppClientIDWeb",
        required: true,
    },
    ImportKey {
        key: "native_client_id",
        output: "AppClientID",
        required: false,
    },
    ImportKey {
        key: "identity_pool_id",
        output: "IdentityPoolId",
        required: false,
    },
];

const DERIVED: &[(&str, &str)] = &[
    (
        "UserPoolArn",
        "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/{UserPoolId}",
    ),
    ("Region", "${AWS::Region}"),
];

impl Category for Auth {
    type Spec = AuthSpec;

    fn capabilities(&self) -> &'static [Capability] {
        &[Capability::UserPool]
    }

    fn console_page(&self) -> Option<&'static str> {
        Some("https://{region}.console.aws.amazon.com/cognito/v2/idp/user-pools/{UserPoolId}/users?region={region}")
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "auth",
            category: "auth",
            service: "Cognito",
            keys: KEYS,
            import: Some(IMPORT),
            import_derived: DERIVED,
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, _: &ParseContext<'_>) -> Option<AuthSpec> {
        decl::parse(args)
    }

    fn imported(&self, ids: &mut IndexMap<String, String>) -> AuthSpec {
        // A pool with one app client serves web and native clients alike.
        if !ids.contains_key("AppClientID") {
            if let Some(web) = ids.get("AppClientIDWeb").cloned() {
                ids.insert("AppClientID".to_owned(), web);
            }
        }
        AuthSpec {
            identity_pool: ids.contains_key("IdentityPoolId").then_some(false),
            ..AuthSpec::default()
        }
    }

    fn check(&self, it: Declared<'_, AuthSpec>, backend: &Backend, cx: &Diagnostics) {
        let first = backend
            .resources
            .iter()
            .find(|r| r.is_a::<AuthSpec>())
            .expect("`it` is one");
        if first.ident != it.ident {
            cx.error(
                it.span,
                "only one `#[auth]` resource is allowed per backend (Amplify has one user pool per app)",
            );
        }
    }

    fn outputs(&self, spec: Option<&AuthSpec>) -> Vec<OutputDef> {
        let mut outputs = vec![
            OutputDef::new("UserPoolId")
                .accessor("user_pool_id", "The Cognito user pool id.")
                .granted(),
            OutputDef::new("UserPoolArn")
                .accessor("user_pool_arn", "The user pool ARN.")
                .granted(),
            OutputDef::new("UserPoolName"),
            OutputDef::new("AppClientIDWeb")
                .accessor("web_client_id", "The app client id for web clients."),
            OutputDef::new("AppClientID")
                .accessor("native_client_id", "The app client id for native clients."),
        ];
        if spec.is_none_or(|s| s.identity_pool.is_some()) {
            outputs.push(
                OutputDef::new("IdentityPoolId")
                    .accessor("identity_pool_id", "The Cognito identity pool id."),
            );
            outputs.push(OutputDef::new("IdentityPoolName"));
            // Each group's role, assumed through the identity pool.
            for group in spec.map(|s| s.groups.as_slice()).unwrap_or_default() {
                outputs.push(OutputDef::new(group_role_output(group)));
            }
        }
        outputs
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["read", "manage"]
    }

    fn grant(
        &self,
        _: Declared<'_, AuthSpec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let actions: &[&str] = match permission {
            "read" => &[
                "cognito-idp:AdminGetUser",
                "cognito-idp:AdminListGroupsForUser",
                "cognito-idp:ListGroups",
                "cognito-idp:ListUsers",
                "cognito-idp:ListUsersInGroup",
            ],
            _ => &[
                "cognito-idp:AdminAddUserToGroup",
                "cognito-idp:AdminCreateUser",
                "cognito-idp:AdminDeleteUser",
                "cognito-idp:AdminDisableUser",
                "cognito-idp:AdminEnableUser",
                "cognito-idp:AdminRemoveUserFromGroup",
                "cognito-idp:AdminUpdateUserAttributes",
            ],
        };
        vec![crate::cfn::policy::allow(
            actions,
            vec![Value::r#ref(parameter("UserPoolArn"))],
        )]
    }

    fn synthesize(&self, it: Declared<'_, AuthSpec>, _: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(&it.name, it.spec)
    }

    fn root(&self, it: Declared<'_, AuthSpec>, _: &Backend, roles: &mut RootRoles) {
        synth::root_roles(it.resource, it.spec, roles);
    }

    fn client_config(&self, it: Declared<'_, AuthSpec>, _: &Backend) -> Vec<ClientFragment> {
        client::fragments(it.resource, it.spec)
    }
}

/// The auth stack's output carrying the role of one user group (bucket group access
/// consumes it).
pub fn group_role_output(group: &str) -> String {
    format!("{group}GroupRole")
}
