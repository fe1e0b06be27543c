//! `#[function(...)]`: a Lambda function, its execution role with least-privilege grants
//! on other resources, and the environment variables naming what it was granted.

mod decl;
mod runtimes;
mod synth;

use crate::category::model::resolve;
use crate::category::model::{Backend, Reference};
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{
    Capability, Category, Declared, Descriptor, Edge, GrantPart, OutputDef, ParseContext,
};
use crate::cfn::policy;
use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::plan::Architecture;

/// The function category.
pub struct Function;

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
    /// The part of it, when the grant names one (`BlogApi::Comment`).
    pub part: Option<(String, proc_macro2::Span)>,
    /// Permission names as written (`read`, `write`, `invoke`…), checked against the
    /// target's category.
    pub permissions: Vec<(String, proc_macro2::Span)>,
}

/// One declared environment variable.
#[derive(Debug, Clone)]
pub struct EnvVar {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Where the name was written.
    pub span: proc_macro2::Span,
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
    pub env: Vec<EnvVar>,
    /// Grants on other resources.
    pub grants: Vec<Grant>,
    /// Reserved concurrency, if declared.
    pub reserved_concurrency: Option<u32>,
    /// Active X-Ray tracing.
    pub tracing: bool,
}

const KEYS: &[&str] = &[
    "runtime",
    "memory",
    "timeout",
    "architecture",
    "env",
    "grant",
    "reserved_concurrency",
    "tracing",
];

impl Category for Function {
    type Spec = FunctionSpec;

    fn capabilities(&self) -> &'static [Capability] {
        &[Capability::InvocableFunction]
    }

    fn console_page(&self) -> Option<&'static str> {
        Some(
            "https://{region}.console.aws.amazon.com/lambda/home?region={region}#/functions/{Name}",
        )
    }

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "function",
            category: "function",
            service: "Lambda",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<FunctionSpec> {
        decl::parse(args, cx.attr_span, cx.today)
    }

    fn check(&self, it: Declared<'_, FunctionSpec>, backend: &Backend, cx: &Diagnostics) {
        check_name_length(it, cx);
        let granted_vars: Vec<(String, proc_macro2::Span)> = granted_variables(it.spec, backend)
            .into_iter()
            .map(|v| (v.name, v.span))
            .collect();
        check_env(it.spec, &granted_vars, cx);
        for grant in &it.spec.grants {
            let Some(target) = resolve(backend, &grant.target, "a resource struct", cx) else {
                continue;
            };
            if target.ident == it.ident {
                cx.error(
                    grant.target.span,
                    format!("`{}` cannot be granted access to itself", it.ident),
                );
                continue;
            }
            if grant.part.is_none() {
                target
                    .kind
                    .check_grant(target, it.resource, grant.target.span, cx);
            }
            let allowed: Vec<&str> = match &grant.part {
                None => target.kind.permissions().to_vec(),
                Some((part, span)) => match grant_part(target, part) {
                    Some(p) => p.permissions,
                    None => {
                        let parts: Vec<String> = target
                            .kind
                            .grant_parts(target)
                            .into_iter()
                            .map(|p| p.name)
                            .collect();
                        let known = if parts.is_empty() {
                            "it has none; grant the resource itself".to_owned()
                        } else {
                            format!("its parts are {}", parts.join(", "))
                        };
                        cx.error(
                            *span,
                            format!(
                                "`{part}` is not a part of {} `{}` a grant can name; {known}",
                                target.attribute(),
                                target.ident
                            ),
                        );
                        continue;
                    }
                },
            };
            let what = match &grant.part {
                Some((part, _)) => format!("`{}::{part}`", target.ident),
                None => format!("{} `{}`", target.attribute(), target.ident),
            };
            for (perm, span) in &grant.permissions {
                if !allowed.contains(&perm.as_str()) {
                    let hint = did_you_mean(perm, &allowed)
                        .map(|b| format!("did you mean `{b}`?"))
                        .unwrap_or_else(|| {
                            if allowed.is_empty() {
                                "nothing can be granted on it".to_owned()
                            } else {
                                format!("expected one of: {}", allowed.join(", "))
                            }
                        });
                    cx.error(
                        *span,
                        format!("`{perm}` is not a permission on {what}; {hint}"),
                    );
                }
            }
        }
    }

    fn edges<'a>(&self, it: Declared<'a, FunctionSpec>, backend: &'a Backend) -> Vec<Edge<'a>> {
        it.spec
            .grants
            .iter()
            .filter_map(|grant| {
                let target = backend.resolve(&grant.target)?;
                let outputs = match &grant.part {
                    None => target.granted_outputs(),
                    Some((part, _)) => grant_part(target, part)?
                        .variables
                        .into_iter()
                        .map(|(_, output)| output)
                        .collect(),
                };
                Some(Edge::to(&grant.target, outputs))
            })
            .collect()
    }

    fn outputs(&self, _: Option<&FunctionSpec>) -> Vec<OutputDef> {
        vec![
            OutputDef::new("Name")
                .accessor("function_name", "The Lambda function name.")
                .granted(),
            OutputDef::new("Arn")
                .accessor("function_arn", "The function ARN.")
                .granted(),
            OutputDef::new("Region").accessor("region", "The function's region."),
            OutputDef::new("LambdaExecutionRole"),
            OutputDef::new("LambdaExecutionRoleArn"),
        ]
    }

    fn permissions(&self) -> &'static [&'static str] {
        &["invoke"]
    }

    fn grant(
        &self,
        _: Declared<'_, FunctionSpec>,
        _: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        vec![policy::allow(
            &["lambda:InvokeFunction"],
            vec![Value::r#ref(parameter("Arn"))],
        )]
    }

    fn synthesize(&self, it: Declared<'_, FunctionSpec>, cx: &StackContext<'_>) -> NestedStack {
        synth::nested_stack(it.resource, it.spec, cx)
    }
}

/// The longest environment name Amplify allows (`cargo amplify env add`).
const MAX_ENV_NAME: usize = 10;

/// The function is deployed as `<name>-<env>`, and Lambda names have at most 64
/// characters.
fn check_name_length(it: Declared<'_, FunctionSpec>, cx: &Diagnostics) {
    const MAX_FUNCTION_NAME: usize = 64;
    let longest = it.name.len() + 1 + MAX_ENV_NAME;
    if longest > MAX_FUNCTION_NAME {
        cx.error(
            it.span,
            format!(
                "function `{}` is deployed as `{}-<env>`, up to {longest} characters, over Lambda's {MAX_FUNCTION_NAME}; use a name of at most {} characters (`name = \"...\"`)",
                it.name,
                it.name,
                MAX_FUNCTION_NAME - 1 - MAX_ENV_NAME
            ),
        );
    }
}

/// Lambda's limit on all environment variables together: names and values, in bytes.
const MAX_ENV_BYTES: usize = 4096;
/// What a granted variable's value (a resource name or ARN) is counted as: the
/// values are only known at deploy time.
const GRANTED_VALUE_ESTIMATE: usize = 128;

/// A user variable may not take the name of one a grant sets (it would silently replace
/// the resource's name), and all of them together must fit Lambda's limit.
fn check_env(spec: &FunctionSpec, granted: &[(String, proc_macro2::Span)], cx: &Diagnostics) {
    for var in &spec.env {
        if granted.iter().any(|(name, _)| *name == var.name) {
            cx.error(
                var.span,
                format!(
                    "environment variable `{}` is set by a grant of this function to the granted resource; choose another name",
                    var.name
                ),
            );
        }
    }
    let user: usize = spec.env.iter().map(|v| v.name.len() + v.value.len()).sum();
    let granted_bytes: usize = granted
        .iter()
        .map(|(name, _)| name.len() + GRANTED_VALUE_ESTIMATE)
        .sum();
    let amplify = "ENV".len() + MAX_ENV_NAME + "REGION".len() + 16;
    let total = user + granted_bytes + amplify;
    if total > MAX_ENV_BYTES {
        if let Some(last) = spec.env.last() {
            cx.error(
                last.span,
                format!(
                    "environment variables take about {total} bytes (yours: {user}, from grants and amplify-rs: about {}), over Lambda's {MAX_ENV_BYTES}; shorten them or read large values from SSM Parameter Store",
                    total - user
                ),
            );
        }
    }
}

/// `STORAGE_POSTTABLE_NAME`: how Amplify names the variable carrying a granted output.
pub(super) fn env_var_name(target: &crate::category::model::Resource, attribute: &str) -> String {
    format!("{}_{}_{}", target.category(), target.name, attribute).to_ascii_uppercase()
}

/// The part `name` of `target` a grant may name.
fn grant_part(target: &crate::category::model::Resource, name: &str) -> Option<GrantPart> {
    target
        .kind
        .grant_parts(target)
        .into_iter()
        .find(|p| p.name == name)
}

/// An environment variable a grant sets: the granted resource's output it holds.
pub(super) struct GrantedVariable<'a> {
    /// `STORAGE_POSTTABLE_NAME`, `API_BLOGAPI_COMMENTTABLE_NAME`.
    pub name: String,
    /// The granted resource.
    pub target: &'a crate::category::model::Resource,
    /// Its output.
    pub output: String,
    /// Where the grant was written.
    pub span: proc_macro2::Span,
}

/// The variables the function's grants set, each once: a resource's granted outputs
/// (`<CATEGORY>_<RESOURCE>_<OUTPUT>`), or a part's variables (`<CATEGORY>_<RESOURCE>_`
/// and the part's suffix, as Amplify names a model table's: `API_BLOGAPI_COMMENTTABLE_NAME`).
pub(super) fn granted_variables<'a>(
    spec: &FunctionSpec,
    backend: &'a Backend,
) -> Vec<GrantedVariable<'a>> {
    let mut out: Vec<GrantedVariable<'a>> = Vec::new();
    for grant in &spec.grants {
        let Some(target) = backend.resolve(&grant.target) else {
            continue;
        };
        let pairs: Vec<(String, String)> = match &grant.part {
            None => target
                .granted_outputs()
                .into_iter()
                .map(|o| (env_var_name(target, &o), o))
                .collect(),
            Some((part, _)) => grant_part(target, part)
                .map(|p| p.variables)
                .unwrap_or_default()
                .into_iter()
                .map(|(suffix, o)| (env_var_name(target, &suffix), o))
                .collect(),
        };
        for (name, output) in pairs {
            if !out.iter().any(|v| v.name == name) {
                out.push(GrantedVariable {
                    name,
                    target,
                    output,
                    span: grant.target.span,
                });
            }
        }
    }
    out
}
