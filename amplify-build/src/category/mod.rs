//! The category interface: everything amplify-rs knows about one kind of resource lives
//! behind [`Category`], in one module per category (`crate::categories::*` for the
//! built-in ones, any crate for a third-party one).
//!
//! A category owns
//! - its declaration grammar: the attribute (`#[table(...)]`), its keys, parsing and
//!   validation with spans ([`Category::parse`], [`Category::check`]);
//! - its outputs table ([`Category::outputs`]): the one source for typed accessors,
//!   the environment variables grantees receive, and the outputs recorded after a push;
//! - its edges to other resources ([`Category::edges`]) and the grants other resources
//!   may take on it ([`Category::permissions`], [`Category::grant`]);
//! - its synthesis into the typed CloudFormation IR ([`Category::synthesize`]), with
//!   typed per-environment inputs and assets (see [`crate::synth::Binding`]);
//! - its client-configuration fragments ([`Category::client_config`]).
//!
//! The [`Registry`] maps attributes to categories; nothing else matches on category names.

mod erased;
pub mod model;
pub mod stack;

use proc_macro2::Span;

use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::decl::FileLoader;
use crate::operations::Operations;
use crate::plan::ClientFragment;
use model::{Backend, Reference, Resource};
use stack::{NestedStack, RootRoles, StackContext};

pub use crate::plan::OutputDef;
pub use erased::{ErasedCategory, Kind};

/// What a category is called, and how resources of it are declared.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    /// The declaring attribute, as the user writes it: `table` for `#[table(...)]`.
    pub attribute: &'static str,
    /// The Amplify category (`storage`): folder under `amplify/backend/`, first half of
    /// the nested stack's logical id.
    pub category: &'static str,
    /// The Amplify service recorded in `backend-config.json` (`DynamoDB`).
    pub service: &'static str,
    /// Keys the attribute accepts, besides `name` and `import` which every attribute has.
    pub keys: &'static [&'static str],
    /// How an existing resource is imported with `import(...)`; `None` when it cannot be.
    pub import: Option<&'static [ImportKey]>,
    /// Outputs of an imported resource that follow from its ids: `(output, Fn::Sub text)`
    /// where `{Output}` stands for an imported id and `${AWS::Region}`,
    /// `${AWS::AccountId}`, `${AWS::Partition}` for the deployment's.
    pub import_derived: &'static [(&'static str, &'static str)],
    /// Whether `cargo amplify export` can hand the category to CDK. Categories configured
    /// through SDK calls rather than CloudFormation (notifications) say no.
    pub exportable: bool,
    /// Whether the local cloud (MiniStack) can deploy it. A push to a local cloud leaves
    /// the stacks of a category that says no (Lex, End User Messaging) out, saying so;
    /// they deploy to AWS as declared.
    pub local_cloud: bool,
}

/// A role a resource can play for other categories, whichever category declares it: an
/// API's user-pool auth takes any [`Capability::UserPool`], an AppSync data source any
/// [`Capability::InvocableFunction`] or [`Capability::DynamoDbTable`]. A category that
/// claims one promises its outputs ([`Capability::outputs`]); synthesis checks that it
/// lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// A Cognito user pool (`UserPoolId`, `UserPoolArn`).
    UserPool,
    /// A Lambda function others invoke (`Arn`, `Name`, and `LambdaExecutionRole`, the
    /// role it runs as, which a link may give permissions).
    InvocableFunction,
    /// A DynamoDB table others read and write (`Name`, `Arn`).
    DynamoDbTable,
}

impl Capability {
    /// The outputs every resource with this capability has.
    pub fn outputs(self) -> &'static [&'static str] {
        match self {
            Capability::UserPool => &["UserPoolId", "UserPoolArn"],
            Capability::InvocableFunction => &["Arn", "Name", "LambdaExecutionRole"],
            Capability::DynamoDbTable => &["Name", "Arn"],
        }
    }

    /// What it is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Capability::UserPool => "a Cognito user pool",
            Capability::InvocableFunction => "a Lambda function",
            Capability::DynamoDbTable => "a DynamoDB table",
        }
    }
}

/// One key of `import(...)`: the id it declares and the output it stands for.
#[derive(Debug, Clone, Copy)]
pub struct ImportKey {
    /// The key, e.g. `user_pool_id`.
    pub key: &'static str,
    /// The output of a created resource it replaces, e.g. `UserPoolId`.
    pub output: &'static str,
    /// Whether an import must give it.
    pub required: bool,
}

/// What a category's parser sees besides the arguments.
pub struct ParseContext<'a> {
    /// The span of the whole attribute, for "missing key" errors.
    pub attr_span: Span,
    /// Reads files relative to the crate root (schemas, resolver code).
    pub files: FileLoader<'a>,
    /// The build's date (`YYYY-MM-DD`) where the caller takes one as an input: the build
    /// script, from `SOURCE_DATE_EPOCH` or else the day it runs. `None` in the
    /// `#[backend]` macro, which reads no clock: checks that depend on a date (a Lambda
    /// runtime's deprecation) are the build script's.
    pub today: Option<&'a str>,
}

/// A use of one resource by another, with the outputs it consumes.
#[derive(Debug, Clone)]
pub struct Edge<'a> {
    /// The item name of the resource used.
    pub target: &'a str,
    /// Where the use was written (a cycle is reported there).
    pub span: Span,
    /// Outputs of the target the resource consumes.
    pub outputs: Vec<String>,
}

impl<'a> Edge<'a> {
    /// The use written as `reference`.
    pub fn to(reference: &'a Reference, outputs: Vec<String>) -> Self {
        Edge {
            target: &reference.name,
            span: reference.span,
            outputs,
        }
    }
}

/// A part of a resource that a grant may name on its own (`grant(BlogApi::Comment =
/// [read])`: the table of a `@model` type), with what it may be granted and what its
/// grantees receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantPart {
    /// Its name after `::`.
    pub name: String,
    /// The permissions it takes.
    pub permissions: Vec<&'static str>,
    /// Environment variables of a grantee, by name suffix (the grantee adds
    /// `<CATEGORY>_<RESOURCE>_`), each the value of one of the resource's outputs.
    pub variables: Vec<(String, String)>,
}

/// Resources a resource contributes outside its own stack, in a *link stack* of the root
/// that depends on every resource it uses and that nothing depends on: a trigger or a
/// subscription that would otherwise make a cycle (a queue's stack naming its consumer
/// while the consumer's grant names the queue). Its resources refer to the outputs it
/// consumes with [`stack::StackContext::dependency_ref`]; it may use the declaring
/// resource's own outputs too.
pub struct Link<'a> {
    /// Unique per resource: the link stack's logical id is `link<Resource><name>`.
    pub name: String,
    /// The resources it uses, with the outputs it consumes from each.
    pub uses: Vec<Edge<'a>>,
    /// Its CloudFormation resources, by logical id.
    pub resources: Vec<(String, crate::cfn::Resource)>,
}

/// One resource of a category with its parsed declaration.
pub struct Declared<'a, S> {
    /// The resource (name, ident, span, import).
    pub resource: &'a Resource,
    /// Its declaration.
    pub spec: &'a S,
}

impl<S> Clone for Declared<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Declared<'_, S> {}

impl<S> std::ops::Deref for Declared<'_, S> {
    type Target = Resource;
    fn deref(&self) -> &Resource {
        self.resource
    }
}

/// A kind of backend resource. Implement it in one module, register it (built-ins in
/// [`Registry::builtin`], third-party ones with [`crate::Config::category`] in build.rs),
/// and every part of amplify-rs — the macro's checks and accessors, synthesis, `cargo
/// amplify push`, the client configuration — handles its resources.
pub trait Category: Send + Sync + 'static {
    /// The parsed declaration of one resource.
    type Spec: std::fmt::Debug + 'static;

    /// Names, keys and capabilities.
    fn descriptor(&self) -> Descriptor;

    /// The roles its resources play for other categories (none by default).
    fn capabilities(&self) -> &'static [Capability] {
        &[]
    }

    /// Parses the attribute's arguments (`name` and `import` are already taken). Report
    /// mistakes to `args.cx()` at their spans; return `None` if the spec is unusable.
    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<Self::Spec>;

    /// The spec of an imported resource, from the ids given in `import(...)` (by output
    /// name; a category may add derived ones). Only called when the descriptor has
    /// `import` keys.
    fn imported(&self, ids: &mut indexmap::IndexMap<String, String>) -> Self::Spec {
        let _ = ids;
        unreachable!("`{}` declares no import keys", self.descriptor().attribute)
    }

    /// Checks that need the rest of the backend (references and what they point at).
    fn check(&self, it: Declared<'_, Self::Spec>, backend: &Backend, cx: &Diagnostics) {
        let _ = (it, backend, cx);
    }

    /// The resources this one uses and the outputs it consumes from each. References
    /// that do not resolve may be returned; they are skipped.
    fn edges<'a>(&self, it: Declared<'a, Self::Spec>, backend: &'a Backend) -> Vec<Edge<'a>> {
        let _ = (it, backend);
        Vec::new()
    }

    /// The AWS console page of a resource, for `cargo amplify console <Resource>`: an
    /// address with `{region}` and `{<Output>}` placeholders
    /// (`https://{region}.console.aws.amazon.com/sqs/v3/home?region={region}#/queues/{QueueUrl}`).
    /// Default: the resource's nested stack.
    fn console_page(&self) -> Option<&'static str> {
        None
    }

    /// What the resource contributes outside its own stack ([`Link`]); none by default.
    fn links<'a>(&self, it: Declared<'a, Self::Spec>, backend: &'a Backend) -> Vec<Link<'a>> {
        let _ = (it, backend);
        Vec::new()
    }

    /// The outputs of a resource. `None` when its declaration did not parse: return
    /// every output the category can have, so the accessors a user calls still exist
    /// and one mistake gives one error.
    fn outputs(&self, spec: Option<&Self::Spec>) -> Vec<OutputDef>;

    /// Permissions another resource may be granted on this one (`grant(X = [read])`).
    fn permissions(&self) -> &'static [&'static str] {
        &[]
    }

    /// IAM statements for one granted permission. `parameter` names the grantee's
    /// parameter carrying one of this resource's granted outputs.
    fn grant(
        &self,
        it: Declared<'_, Self::Spec>,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let _ = (it, permission, parameter);
        Vec::new()
    }

    /// Parts of the resource a grant may name on their own ([`GrantPart`]); none by
    /// default.
    fn grant_parts(&self, it: Declared<'_, Self::Spec>) -> Vec<GrantPart> {
        let _ = it;
        Vec::new()
    }

    /// IAM statements for one permission granted on the part `part`; `parameter` as for
    /// [`Category::grant`].
    fn grant_part(
        &self,
        it: Declared<'_, Self::Spec>,
        part: &str,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        let _ = (it, part, permission, parameter);
        Vec::new()
    }

    /// Checks a grant another resource takes on this one (beyond the permission names).
    fn check_grant(
        &self,
        it: Declared<'_, Self::Spec>,
        grantee: &Resource,
        at: Span,
        cx: &Diagnostics,
    ) {
        let _ = (it, grantee, at, cx);
    }

    /// The nested stack of one created (not imported) resource.
    fn synthesize(&self, it: Declared<'_, Self::Spec>, cx: &StackContext<'_>) -> NestedStack;

    /// What the resource adds to the root stack (the auth category trusts its identity
    /// pool with the root's roles). Called for created and imported resources.
    fn root(&self, it: Declared<'_, Self::Spec>, backend: &Backend, roles: &mut RootRoles) {
        let _ = (it, backend, roles);
    }

    /// Typed operations apps call on the resource (a GraphQL API's queries and
    /// mutations, a REST API's routes), which the `#[backend]` macro turns into Rust
    /// functions on the resource's struct.
    fn operations(&self, it: Declared<'_, Self::Spec>) -> Option<Operations> {
        let _ = it;
        None
    }

    /// Fragments of the client configuration files, filled from the resource's outputs
    /// after a push.
    fn client_config(
        &self,
        it: Declared<'_, Self::Spec>,
        backend: &Backend,
    ) -> Vec<ClientFragment> {
        let _ = (it, backend);
        Vec::new()
    }
}
