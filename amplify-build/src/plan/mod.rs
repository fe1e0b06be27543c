//! The deployment plan: everything synthesis knew that `cargo amplify` needs, written as
//! one typed file beside the root template ([`PLAN_FILE`]). The CLI deploys, reports
//! status, pulls and exports from it without parsing the declaration or re-reading
//! templates to recover names, keys and parameters.
//!
//! Every stack lists its template and content-addressed key, its typed per-environment
//! inputs ([`EnvInput`]), its assets, its outputs and its client-configuration fragments.

mod actions;
pub(crate) mod hash_memo;
mod publish;
mod root;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use actions::{ActionInput, ActionPayload, PostDeployAction};
pub use publish::{BuildCommand, PublishedFolder};
pub use root::{GroupPlan, LinkPlan, RootPlan, RootSecret, RootTemplateError};

/// Amplify's name for the CloudFormation provider: the key of the provider's blocks in
/// `team-provider-info.json` and `amplify-meta.json`, and `providerPlugin` of every
/// resource.
pub const PROVIDER: &str = "awscloudformation";

/// Where synthesis writes the plan, relative to the folder holding `amplify/`.
pub const PLAN_FILE: &str = "amplify/backend/awscloudformation/build/deployment-plan.json";

/// Where the placement of resources' stacks in group stacks is kept (when the root is
/// split): beside the provider's files, committed with the project (unlike `build/`), so
/// that a fresh clone places every stack where it was deployed.
pub const GROUPS_FILE: &str = "amplify/backend/awscloudformation/stack-groups.json";

/// The root template, relative to the folder holding `amplify/`.
pub const ROOT_TEMPLATE_FILE: &str =
    "amplify/backend/awscloudformation/build/root-cloudformation-stack.json";

/// Version of the plan's format; a CLI refuses plans of another version.
pub const PLAN_FORMAT: u32 = 2;

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// [`PLAN_FORMAT`] of the writer.
    pub format: u32,
    /// The Amplify project name.
    pub project_name: String,
    /// Every file synthesis read, with its content hash: the plan is current while these
    /// hashes hold.
    pub inputs: Vec<InputFile>,
    /// The root stack.
    pub root: RootPlan,
    /// One nested stack per created resource, in declaration order.
    pub stacks: Vec<StackPlan>,
    /// Resources imported by id: no stack, outputs known in advance.
    pub imported: Vec<ImportedResource>,
    /// What `cargo amplify export` writes for the CDK construct.
    pub export: ExportPlan,
    /// The categories the backend's resources belong to (`cargo amplify plugin list`).
    #[serde(default)]
    pub categories: Vec<CategoryInfo>,
    /// `backend-config.json` as synthesis wrote it: what `amplify-meta.json` records of
    /// each resource besides its outputs.
    #[serde(default)]
    pub backend_config: crate::files::BackendConfig,
}

/// A category plugin the backend uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInfo {
    /// The declaring attribute (`table`).
    pub attribute: String,
    /// The Amplify category (`storage`).
    pub category: String,
    /// The service (`DynamoDB`).
    pub service: String,
}

/// One file synthesis read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// First 16 hex digits of its SHA-256.
    pub sha256: String,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

impl Plan {
    /// The plan a push to a local cloud deploys: without the stacks of categories the
    /// local cloud cannot deploy (their [`StackPlan::local_cloud`] is false), which are
    /// returned. The root template then leaves them out too.
    pub fn for_local_cloud(&self) -> (Plan, Vec<StackPlan>) {
        let mut plan = self.clone();
        let (kept, left_out): (Vec<StackPlan>, Vec<StackPlan>) =
            plan.stacks.into_iter().partition(|s| s.local_cloud);
        plan.stacks = kept;
        plan.root
            .left_out
            .extend(left_out.iter().map(|s| s.logical_id.clone()));
        (plan, left_out)
    }
}

/// The value one environment gives one stack input, as push resolved it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputValue {
    /// The stack's logical id in the root ([`StackPlan::logical_id`]).
    pub logical_id: String,
    /// The nested template's parameter ([`StackInput::parameter`]).
    pub parameter: String,
    /// The value, as CloudFormation passes parameters.
    pub value: String,
}

/// A nested stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StackPlan {
    /// Amplify category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// Amplify service.
    pub service: String,
    /// Logical id in the root stack.
    pub logical_id: String,
    /// The resource's folder, relative to the folder holding `amplify/`.
    pub folder: String,
    /// The nested template, relative to the folder holding `amplify/`.
    pub template: String,
    /// Its content-addressed key in the deployment bucket.
    pub template_key: String,
    /// Per-environment values push supplies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<StackInput>,
    /// Files push builds or uploads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    /// The stack's outputs.
    pub outputs: Vec<OutputDef>,
    /// What the resource contributes to client configuration files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_config: Vec<ClientFragment>,
    /// Whether `cargo amplify export` includes it.
    pub exportable: bool,
    /// Whether a local cloud can deploy it ([`Plan::for_local_cloud`]).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub local_cloud: bool,
    /// Steps push runs after the stacks deployed, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<PostDeployAction>,
    /// The resource's AWS console page (`cargo amplify console <Resource>`): an address
    /// with `{region}` and `{<Output>}` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<String>,
    /// Stacks nested in this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildStack>,
}

/// A per-environment value of one nested-stack parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StackInput {
    /// The nested template's parameter (`s3Key`); also the key under which the value is
    /// kept in `team-provider-info.json` (`categories.<category>.<resource>.<parameter>`).
    /// Push writes the environment's value into the root template's nested stack
    /// ([`RootPlan::for_environment`]); the deployment bucket's name is a root expression.
    pub parameter: String,
    /// What the value is.
    pub input: EnvInput,
}

/// The kinds of per-environment value push knows how to supply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EnvInput {
    /// The name of the environment's deployment bucket (where code zips live).
    DeploymentBucket,
    /// The key of an uploaded asset of the same stack (a function's code zip).
    AssetKey {
        /// The asset's id.
        asset: String,
    },
    /// When an AppSync API key expires, in seconds since the epoch; renewed by push
    /// while half its validity (at most a week) remains.
    ApiKeyExpiry {
        /// The declared validity.
        days: u32,
    },
    /// A secret read from an environment variable when push runs (an API token, a
    /// channel's credentials). Written to no file and no uploaded template: it is the one
    /// kind of value that is a root parameter (`NoEcho`, [`RootPlan::secrets`]), and the
    /// nested parameter bound to it must be `NoEcho` too.
    Secret {
        /// The variable.
        variable: String,
    },
    /// A value declared in Rust (a function's environment variable) that an environment
    /// may override in `team-provider-info.json`, at
    /// `<env>.categories.<category>.<resource>.<key>`, without editing the declaration.
    Override {
        /// The key it is kept under (the variable's name).
        key: String,
        /// The declared value, used where no override is kept.
        default: String,
    },
}

/// Where push keeps, beside an API key's expiry, the validity it was declared with
/// (`team-provider-info.json`, as Amplify keeps it).
pub const API_KEY_DAYS: &str = "apiKeyExpirationDays";

impl EnvInput {
    /// The keys push keeps for it in the environment's `categories` block of
    /// `team-provider-info.json` (the input's `parameter` and, for an API key, its declared
    /// validity). The Amplify CLI lists each in `backend-config.json` as
    /// `AMPLIFY_<category>_<resource>_<key>` and rewrites that list when it differs.
    /// Overrides are kept only where an environment sets one, and secrets nowhere.
    pub fn kept_keys<'a>(&self, parameter: &'a str) -> Vec<&'a str> {
        match self {
            EnvInput::DeploymentBucket | EnvInput::AssetKey { .. } => vec![parameter],
            EnvInput::ApiKeyExpiry { .. } => vec![parameter, API_KEY_DAYS],
            EnvInput::Secret { .. } | EnvInput::Override { .. } => Vec::new(),
        }
    }

    /// Whether Amplify keeps it as an environment parameter: out of `parameters.json`,
    /// listed under `parameters` in `backend-config.json` as
    /// `AMPLIFY_<category>_<resource>_<parameter>`.
    pub fn is_env_parameter(&self) -> bool {
        matches!(
            self,
            EnvInput::DeploymentBucket | EnvInput::AssetKey { .. } | EnvInput::Secret { .. }
        )
    }
}

/// Something push builds or uploads for a stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Asset {
    /// A Lambda function's code: built, zipped reproducibly, uploaded under
    /// `amplify-builds/<name>-<hash>-build.zip`.
    FunctionCode {
        /// Id that [`EnvInput::AssetKey`] refers to.
        id: String,
        /// Where the code comes from.
        source: CodeSource,
        /// The Lambda runtime identifier (`provided.al2023`, `nodejs22.x`).
        runtime: String,
        /// The CPU architecture to build for.
        architecture: Architecture,
    },
    /// Files uploaded as they are under a content-addressed key prefix (AppSync schema
    /// and resolvers).
    Files {
        /// The key prefix, e.g. `amplify-appsync-files/<hash>`.
        prefix: String,
        /// The folder `cargo amplify export` puts them in, under the resource's folder.
        export_folder: String,
        /// The files.
        files: Vec<AssetFile>,
    },
    /// A folder published to a bucket of the stack once it deployed (a site).
    PublishedFolder(PublishedFolder),
}

/// One file of an [`Asset::Files`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetFile {
    /// Key below the prefix.
    pub key: String,
    /// The file, relative to the folder holding `amplify/`.
    pub path: String,
}

/// Where a function's code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CodeSource {
    /// A binary package of the Cargo workspace, deployed as `bootstrap`.
    RustPackage {
        /// The package name.
        package: String,
    },
    /// A folder zipped as it is (Node.js, Python).
    Folder {
        /// Relative to the crate root.
        path: String,
    },
}

/// CPU architecture of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// x86-64.
    X86_64,
    /// Graviton.
    Arm64,
}

impl Architecture {
    /// Lambda's name (`x86_64`, `arm64`).
    pub fn lambda_name(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// A resource imported by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedResource {
    /// Amplify category.
    pub category: String,
    /// Resource name.
    pub name: String,
    /// Amplify service.
    pub service: String,
    /// The declared ids, by output name.
    pub outputs: IndexMap<String, String>,
    /// Outputs that follow from the ids, as `Fn::Sub` texts over `${AWS::Partition}`,
    /// `${AWS::Region}` and `${AWS::AccountId}` (an imported table's ARN).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub derived: IndexMap<String, String>,
    /// What the resource contributes to client configuration files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_config: Vec<ClientFragment>,
}

/// A part of a client configuration file, merged with the other resources' parts:
/// objects merge key by key, lists concatenate, and the first value of a key wins (so
/// the first declared bucket is the default one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientFragment {
    /// The file.
    pub file: ClientFile,
    /// The part, at the file's top level.
    pub value: Fragment,
}

/// The client configuration files amplify-rs writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientFile {
    /// `amplify_outputs.json` (Amplify Gen 2 schema).
    AmplifyOutputs,
    /// `aws-exports.js` and the JavaScript `amplifyconfiguration.json` (same object).
    AwsExports,
    /// `awsconfiguration.json` (Android, iOS, Flutter).
    AwsConfiguration,
    /// The native `amplifyconfiguration.json`.
    NativeAmplifyConfiguration,
}

/// A value of a fragment, filled in from the resource's outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Fragment {
    /// A value known at synthesis.
    Literal(serde_json::Value),
    /// One of the resource's outputs; when the stack has no such output, the key holding
    /// it is left out.
    Output(String),
    /// The resource's `Region` output, else the environment's region.
    Region,
    /// The whole rendered document of another file (the native configuration embeds
    /// `awsconfiguration.json`).
    Document(ClientFile),
    /// An object.
    Object(IndexMap<String, Fragment>),
    /// A list.
    List(Vec<Fragment>),
}

impl Fragment {
    /// An object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Fragment)>) -> Fragment {
        Fragment::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A literal.
    pub fn literal(value: impl Serialize) -> Fragment {
        Fragment::Literal(serde_json::to_value(value).expect("literals serialise"))
    }

    /// An output.
    pub fn output(name: &str) -> Fragment {
        Fragment::Output(name.to_owned())
    }
}

/// What `cargo amplify export` needs beyond the stacks' templates and assets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportPlan {
    /// The root template as the construct includes it: no `TemplateURL`s, no
    /// parameters the construct supplies (environment, asset locations).
    pub root: serde_json::Value,
    /// Literal parameters of each exported nested stack (the construct adds `env`), by
    /// logical id.
    pub parameters: IndexMap<String, IndexMap<String, serde_json::Value>>,
    /// Nested templates as the construct includes them, where they differ from the
    /// deployed ones (stacks with [`ChildStack`]s: no `TemplateURL`s), by logical id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub templates: IndexMap<String, serde_json::Value>,
}

/// A stack nested in a resource's stack (a `@model` type's in its API's): its template is
/// one of the resource's files, uploaded with its assets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildStack {
    /// Its logical id in the resource's template.
    pub logical_id: String,
    /// Its template: relative to the resource's folder as a category writes it, to the
    /// folder holding `amplify/` in a [`StackPlan`].
    pub template: String,
    /// Where `cargo amplify export` puts it: relative to the resource's export folder as
    /// a category writes it, to the export's root in a [`StackPlan`].
    pub export_template: String,
}

/// One output of a resource's stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputDef {
    /// The CloudFormation output name, also the key in `amplify-meta.json` and
    /// `amplify_outputs.json` (`BucketName`).
    pub name: String,
    /// The typed accessor the `#[backend]` macro generates for it (`bucket_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessor: Option<String>,
    /// Documentation of the accessor.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// Whether resources that use this one receive it: a dependant's stack parameter, a
    /// grantee's environment variable (`STORAGE_POSTTABLE_NAME`).
    #[serde(default)]
    pub granted: bool,
    /// How `cargo amplify status` shows the deployed value, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusLine>,
}

/// A deployed output `cargo amplify status` prints (a GraphQL endpoint, an API key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusLine {
    /// What it is (`GraphQL endpoint`).
    pub label: String,
    /// A credential: masked unless `status --show-secrets`.
    #[serde(default)]
    pub secret: bool,
}

impl OutputDef {
    /// An output without an accessor.
    pub fn new(name: impl Into<String>) -> Self {
        OutputDef {
            name: name.into(),
            accessor: None,
            doc: String::new(),
            granted: false,
            status: None,
        }
    }

    /// Has `cargo amplify status` print the deployed value after `label`.
    pub fn in_status(mut self, label: &str) -> Self {
        self.status = Some(StatusLine {
            label: label.to_owned(),
            secret: false,
        });
        self
    }

    /// [`OutputDef::in_status`] for a credential, masked unless asked for.
    pub fn secret_in_status(mut self, label: &str) -> Self {
        self.status = Some(StatusLine {
            label: label.to_owned(),
            secret: true,
        });
        self
    }

    /// Gives the output a typed accessor.
    pub fn accessor(mut self, name: &str, doc: &str) -> Self {
        self.accessor = Some(name.to_owned());
        self.doc = doc.to_owned();
        self
    }

    /// Passes the output to resources that use this one.
    pub fn granted(mut self) -> Self {
        self.granted = true;
        self
    }
}

/// First 16 hex digits of the SHA-256 of `bytes`: used in content-addressed S3 keys.
pub fn content_hash(bytes: &[u8]) -> String {
    let prefix = hash_memo::digest_prefix(bytes, || {
        let digest = Sha256::digest(bytes);
        let mut prefix = [0u8; 8];
        prefix.copy_from_slice(&digest[..8]);
        prefix
    });
    let mut out = String::with_capacity(16);
    for b in prefix {
        let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests;
