//! `#[function(...)]`: a Lambda function, its execution role with least-privilege grants
//! on other resources, and the environment variables naming what it was granted.

mod decl;
mod synth;

use crate::category::model::resolve;
use crate::category::model::{Backend, Reference};
use crate::category::stack::{NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, Edge, OutputDef, ParseContext};
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
    /// Permission names as written (`read`, `write`, `invoke`…), checked against the
    /// target's category.
    pub permissions: Vec<(String, proc_macro2::Span)>,
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

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "function",
            category: "function",
            service: "Lambda",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<FunctionSpec> {
        decl::parse(args, cx.attr_span)
    }

    fn check(&self, it: Declared<'_, FunctionSpec>, backend: &Backend, cx: &Diagnostics) {
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
            target
                .kind
                .check_grant(target, it.resource, grant.target.span, cx);
            let allowed = target.kind.permissions();
            for (perm, span) in &grant.permissions {
                if !allowed.contains(&perm.as_str()) {
                    let hint = did_you_mean(perm, allowed)
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
                        format!(
                            "`{perm}` is not a permission on {} `{}`; {hint}",
                            target.attribute(),
                            target.ident
                        ),
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
                Some(Edge::to(&grant.target, target.granted_outputs()))
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
