//! The backend model: plain data produced by the declaration parser and consumed by
//! synthesis. Spans are kept only where a later check may need to point at the source.

use proc_macro2::Span;

/// A whole backend: every resource declared in one `#[amplify::backend]` module.
#[derive(Debug, Clone)]
pub struct Backend {
    /// Resources in declaration order.
    pub resources: Vec<Resource>,
}

impl Backend {
    /// Looks a resource up by its Amplify resource name.
    pub fn get(&self, name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// The resource a by-name reference points at (references use the Rust item name).
    pub fn resolve(&self, reference: &Reference) -> Option<&Resource> {
        self.resources.iter().find(|r| r.ident == reference.name)
    }

    /// The backend's auth resource, if one is declared (there can be at most one).
    pub fn auth(&self) -> Option<(&Resource, &AuthSpec)> {
        self.resources.iter().find_map(|r| match &r.spec {
            Spec::Auth(a) => Some((r, a)),
            _ => None,
        })
    }
}

/// One declared resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Amplify resource name (folder name, second half of the logical id).
    pub name: String,
    /// Name of the Rust item that declared it.
    pub ident: String,
    /// Where the name was written.
    pub span: Span,
    /// What kind of resource it is, with its options.
    pub spec: Spec,
    /// For a resource that already exists elsewhere (`import(...)`): its outputs, by
    /// Amplify output name. Imported resources get no stack.
    pub imported: Option<indexmap::IndexMap<String, String>>,
}

impl Resource {
    /// Whether the resource is imported by id rather than created.
    pub fn is_imported(&self) -> bool {
        self.imported.is_some()
    }

    /// The logical id of this resource's nested stack in the root stack: `<category><name>`.
    pub fn logical_id(&self) -> String {
        format!("{}{}", self.spec.category(), self.name)
    }
}

/// The kind-specific part of a resource.
#[derive(Debug, Clone)]
pub enum Spec {
    /// Cognito user pool (+ identity pool).
    Auth(AuthSpec),
    /// AppSync GraphQL API.
    Api(ApiSpec),
    /// S3 bucket.
    Bucket(BucketSpec),
    /// DynamoDB table.
    Table(TableSpec),
    /// Lambda function.
    Function(FunctionSpec),
}

impl Spec {
    /// The Amplify category (`auth`, `api`, `storage`, `function`).
    pub fn category(&self) -> &'static str {
        match self {
            Spec::Auth(_) => "auth",
            Spec::Api(_) => "api",
            Spec::Bucket(_) | Spec::Table(_) => "storage",
            Spec::Function(_) => "function",
        }
    }

    /// The Amplify service name recorded in backend-config.json.
    pub fn service(&self) -> &'static str {
        match self {
            Spec::Auth(_) => "Cognito",
            Spec::Api(_) => "AppSync",
            Spec::Bucket(_) => "S3",
            Spec::Table(_) => "DynamoDB",
            Spec::Function(_) => "Lambda",
        }
    }

    /// The declaring attribute, as the user writes it.
    pub fn attribute(&self) -> &'static str {
        match self {
            Spec::Auth(_) => "auth",
            Spec::Api(_) => "api",
            Spec::Bucket(_) => "bucket",
            Spec::Table(_) => "table",
            Spec::Function(_) => "function",
        }
    }
}

/// A by-name reference from one resource to another.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Name of the referenced resource (the item's ident as written).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

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
        }
    }
}

/// An AppSync authorization mode.
#[derive(Debug, Clone)]
pub enum AuthMode {
    /// API key valid for the given number of days.
    ApiKey {
        /// Days until the key expires (1–365).
        expires_in_days: u32,
    },
    /// Cognito user pool of the referenced auth resource.
    UserPool(Reference),
    /// AWS IAM (SigV4).
    Iam,
}

impl AuthMode {
    /// The AppSync `AuthenticationType` value.
    pub fn appsync_type(&self) -> &'static str {
        match self {
            AuthMode::ApiKey { .. } => "API_KEY",
            AuthMode::UserPool(_) => "AMAZON_COGNITO_USER_POOLS",
            AuthMode::Iam => "AWS_IAM",
        }
    }
}

/// A resolver binding `Type.field` to a data source.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// GraphQL type (`Query`, `Mutation`, a model type…).
    pub type_name: String,
    /// Field of that type.
    pub field: String,
    /// Where `Type::field` was written.
    pub span: Span,
    /// The data source (a declared function or table).
    pub data_source: Reference,
    /// Path (relative to the crate root) of an APPSYNC_JS resolver, for table data sources.
    pub code: Option<String>,
    /// Contents of `code`, loaded by the caller's file reader.
    pub code_text: Option<String>,
}

/// `#[api(...)]`: an AppSync GraphQL API.
#[derive(Debug, Clone)]
pub struct ApiSpec {
    /// Schema path relative to the crate root.
    pub schema_path: String,
    /// Schema text, as read when the declaration was parsed.
    pub schema: String,
    /// Default authorization mode.
    pub default_auth: AuthMode,
    /// Additional authorization modes.
    pub additional_auth: Vec<AuthMode>,
    /// Data sources (declared functions and tables), in declaration order.
    pub data_sources: Vec<Reference>,
    /// Resolvers.
    pub resolvers: Vec<Resolver>,
}

/// Who a bucket grants access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Signed-in users (identity pool authenticated role).
    Authenticated,
    /// Guests (identity pool unauthenticated role).
    Guest,
    /// Members of a user-pool group.
    Group(String),
}

/// Object permissions on a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Get and list.
    Read,
    /// Put.
    Write,
    /// Delete.
    Delete,
}

/// `#[bucket(...)]`: an S3 bucket for user files.
#[derive(Debug, Clone)]
pub struct BucketSpec {
    /// Access rules per audience.
    pub access: Vec<(Audience, Vec<Access>, Span)>,
    /// Keep prior object versions.
    pub versioning: bool,
}

/// A DynamoDB attribute type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
}

impl KeyType {
    /// The DynamoDB `AttributeType` letter.
    pub fn code(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }
}

/// A key attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttr {
    /// Attribute name.
    pub name: String,
    /// Attribute type.
    pub kind: KeyType,
}

/// A global secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Partition key.
    pub partition_key: KeyAttr,
    /// Optional sort key.
    pub sort_key: Option<KeyAttr>,
}

/// Table capacity mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Pay per request.
    OnDemand,
    /// Provisioned read/write capacity units.
    Provisioned {
        /// Read capacity units.
        read: u32,
        /// Write capacity units.
        write: u32,
    },
}

/// `#[table(...)]`: a DynamoDB table.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// Partition key.
    pub partition_key: KeyAttr,
    /// Optional sort key.
    pub sort_key: Option<KeyAttr>,
    /// Global secondary indexes.
    pub indexes: Vec<Index>,
    /// Capacity mode.
    pub billing: Billing,
    /// Continuous backups.
    pub point_in_time_recovery: bool,
    /// Emit a stream of item changes.
    pub stream: bool,
}

/// Where a function's code comes from.
#[derive(Debug, Clone)]
pub enum Runtime {
    /// A binary crate of the workspace, built for `provided.al2023` as `bootstrap`.
    Rust {
        /// The Cargo package name.
        package: String,
    },
    /// Node.js code from a folder.
    Node {
        /// Major version, e.g. 20.
        version: u32,
        /// Handler, e.g. `index.handler`.
        handler: String,
        /// Code folder relative to the crate root.
        code: String,
    },
    /// Python code from a folder.
    Python {
        /// Version, e.g. `3.12`.
        version: String,
        /// Handler, e.g. `index.handler`.
        handler: String,
        /// Code folder relative to the crate root.
        code: String,
    },
}

impl Runtime {
    /// The Lambda runtime identifier.
    pub fn lambda_runtime(&self) -> String {
        match self {
            Runtime::Rust { .. } => "provided.al2023".into(),
            Runtime::Node { version, .. } => format!("nodejs{version}.x"),
            Runtime::Python { version, .. } => format!("python{version}"),
        }
    }

    /// The Lambda handler.
    pub fn handler(&self) -> &str {
        match self {
            Runtime::Rust { .. } => "bootstrap",
            Runtime::Node { handler, .. } | Runtime::Python { handler, .. } => handler,
        }
    }
}

/// A permission granted to a function on another resource.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The resource access is granted on.
    pub target: Reference,
    /// Permission names as written (`read`, `write`, `invoke`…), checked against the target's kind.
    pub permissions: Vec<(String, Span)>,
}

/// CPU architecture of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    /// x86-64.
    X86_64,
    /// Graviton.
    Arm64,
}

/// `#[function(...)]`: a Lambda function.
#[derive(Debug, Clone)]
pub struct FunctionSpec {
    /// Code and runtime.
    pub runtime: Runtime,
    /// Memory in MB (128–10240).
    pub memory: u32,
    /// Timeout in seconds (1–900).
    pub timeout: u32,
    /// Architecture.
    pub architecture: Architecture,
    /// User environment variables, in declaration order.
    pub env: Vec<(String, String)>,
    /// Grants on other resources.
    pub grants: Vec<Grant>,
    /// Reserved concurrency, if declared.
    pub reserved_concurrency: Option<u32>,
    /// Active X-Ray tracing.
    pub tracing: bool,
}
