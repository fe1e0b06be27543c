//! The grammar of `#[function(...)]`: runtime, settings, environment and grants.

use proc_macro2::Span;

use super::runtimes::{self, NODE, PYTHON};
use super::{EnvVar, FunctionSpec, Grant, Runtime};
use crate::category::model::Reference;
use crate::decl::args::{choice, wrong_type, ArgReader, ArgValue, Unit};
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::plan::Architecture;

const RUST_KEYS: &[&str] = &["package"];
const SCRIPT_KEYS: &[&str] = &["version", "handler", "code"];

/// Environment variable names that Lambda reserves for itself.
const RESERVED_ENV: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "TZ",
];

/// Parses the arguments of `#[function]`.
/// `today` is the build's date, for the runtime deprecation check (none without one).
pub(super) fn parse(
    r: &mut ArgReader,
    attr_span: Span,
    today: Option<&str>,
) -> Option<FunctionSpec> {
    let cx = r.cx();
    let runtime = match r.take("runtime") {
        Some(arg) => arg
            .value(cx, "rust(package = \"my-fn\")")
            .and_then(|v| runtime(cx, v, today)),
        None => {
            cx.error(
                attr_span,
                "`#[function]` needs a runtime: add `runtime = rust(package = \"my-fn\")` (or `node(...)` / `python(...)`)",
            );
            None
        }
    };
    let memory = r
        .take("memory")
        .and_then(|a| a.quantity(cx, 128..=10_240, Unit::Megabytes))
        .unwrap_or(128);
    let timeout = r
        .take("timeout")
        .and_then(|a| a.quantity(cx, 1..=900, Unit::Seconds))
        .unwrap_or(25);
    let architecture = match r.take("architecture") {
        Some(arg) => match arg
            .value(cx, "arm64")
            .and_then(|v| choice(cx, "architecture", v, &["x86_64", "arm64"]))
        {
            Some((a, _)) if a == "arm64" => Architecture::Arm64,
            _ => Architecture::X86_64,
        },
        None => Architecture::X86_64,
    };

    let mut env: Vec<EnvVar> = Vec::new();
    if let Some(arg) = r.take("env") {
        for entry in arg.nested(cx, false).map(|a| a.items).unwrap_or_default() {
            let key = entry.key_text();
            let Some(value) = entry.string(cx) else {
                continue;
            };
            if let Some(problem) =
                env_name_problem(&key).or_else(|| secret_problem(&key, &value.value()))
            {
                cx.error(
                    entry.key_span(),
                    format!("environment variable `{key}` {problem}"),
                );
            } else if env.iter().any(|v| v.name == key) {
                cx.error(
                    entry.key_span(),
                    format!("environment variable `{key}` is set twice"),
                );
            } else {
                env.push(EnvVar {
                    name: key,
                    value: value.value(),
                    span: entry.key_span(),
                });
            }
        }
    }

    let mut grants = Vec::new();
    for arg in r.take_all("grant") {
        let Some(args) = arg.nested(cx, false) else {
            continue;
        };
        if args.items.is_empty() {
            cx.error(
                arg.span(),
                "`grant(...)` names resources and permissions: `grant(PostTable = [read, write])`",
            );
        }
        for entry in args.items {
            if entry.key.len() > 2 {
                cx.error(
                    entry.key_span(),
                    "grant targets are resource names, e.g. `PostTable`, or a part of one, e.g. `BlogApi::Comment`",
                );
                continue;
            }
            let Some(perms) = entry.list(cx) else {
                continue;
            };
            let name = entry
                .key
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("::");
            if perms.is_empty() {
                cx.error(
                    entry.span(),
                    format!("`{name} = []` grants nothing; name the permissions (`{name} = [read]`) or remove it"),
                );
            }
            let written = |g: &Grant| match &g.part {
                Some((part, _)) => format!("{}::{part}", g.target.name),
                None => g.target.name.clone(),
            };
            if grants.iter().any(|g: &Grant| written(g) == name) {
                cx.error(
                    entry.key_span(),
                    format!("`{name}` is granted twice; list all its permissions once: `{name} = [read, write]`"),
                );
            }
            let mut permissions: Vec<(String, Span)> = Vec::new();
            for p in perms {
                match p {
                    ArgValue::Ident(i) => {
                        let perm = i.to_string();
                        if permissions.iter().any(|(p, _)| *p == perm) {
                            cx.error(i.span(), format!("permission `{perm}` is listed twice"));
                        } else {
                            permissions.push((perm, i.span()));
                        }
                    }
                    other => wrong_type(
                        cx,
                        &entry,
                        &other,
                        "permission names such as `[read, write]`",
                    ),
                }
            }
            grants.push(Grant {
                target: Reference {
                    name: entry.key[0].to_string(),
                    span: entry.key[0].span(),
                },
                part: entry.key.get(1).map(|p| (p.to_string(), p.span())),
                permissions,
            });
        }
    }

    let reserved_concurrency = r
        .take("reserved_concurrency")
        .and_then(|a| a.int(cx, 0..=1000));
    let tracing = r.take("tracing").and_then(|a| a.flag(cx)).unwrap_or(false);

    Some(FunctionSpec {
        runtime: runtime?,
        memory,
        timeout,
        architecture,
        env,
        grants,
        reserved_concurrency,
        tracing,
    })
}

/// Why `key` cannot be a Lambda environment variable name, if it cannot.
fn env_name_problem(key: &str) -> Option<&'static str> {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !first_ok || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Some("must start with a letter and contain only letters, digits and `_`");
    }
    if key.starts_with("AWS_") || RESERVED_ENV.contains(&key) {
        return Some("is reserved by AWS Lambda; choose another name");
    }
    if key == "ENV" || key == "REGION" {
        return Some("is set by amplify-rs itself (the environment name and region)");
    }
    None
}

/// Literal secrets do not belong in a template (they would sit in the deployment
/// bucket and in CloudFormation's console); the check runs here, with a span, instead of
/// leaving it to scanners of the synthesised template.
fn secret_problem(key: &str, value: &str) -> Option<&'static str> {
    let upper = key.to_ascii_uppercase();
    let secret_name = [
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "TOKEN",
        "PRIVATE_KEY",
        "API_KEY",
        "ACCESS_KEY",
    ]
    .iter()
    .any(|w| upper.contains(w));
    let access_key_id = value.len() == 20
        && (value.starts_with("AKIA") || value.starts_with("ASIA"))
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    (secret_name || access_key_id).then_some(
        "looks like a secret: templates are stored in plain text; keep secrets in SSM Parameter Store or Secrets Manager and pass their name instead",
    )
}

fn runtime(cx: &Diagnostics, value: &ArgValue, today: Option<&str>) -> Option<Runtime> {
    let (kind, args, span) = match value {
        ArgValue::Call(i, args, span) => (i.to_string(), args.clone(), *span),
        ArgValue::Ident(i) => (i.to_string(), Default::default(), i.span()),
        other => {
            cx.error(
                other.span(),
                "expected a runtime: `rust(package = \"my-fn\")`, `node(...)` or `python(...)`",
            );
            return None;
        }
    };
    match kind.as_str() {
        "rust" => {
            let mut r = ArgReader::new(args, "`rust(...)`", RUST_KEYS, cx);
            let package = r.take("package").and_then(|a| a.string(cx));
            r.finish();
            match package {
                Some(p) if is_package_name(&p.value()) => {
                    Some(Runtime::Rust { package: p.value() })
                }
                Some(p) => {
                    cx.error(
                        p.span(),
                        format!("`{}` is not a valid Cargo package name", p.value()),
                    );
                    None
                }
                None => {
                    cx.error(span, "`rust(...)` names the workspace package to build: `rust(package = \"my-fn\")`");
                    None
                }
            }
        }
        "node" | "python" => {
            let mut r = ArgReader::new(args, format!("`{kind}(...)`"), SCRIPT_KEYS, cx);
            let version = r.take("version");
            let handler = r
                .take("handler")
                .and_then(|a| a.string(cx))
                .map(|s| s.value());
            let code = r.take("code").and_then(|a| a.string(cx)).map(|s| s.value());
            r.finish();
            let handler = handler.unwrap_or_else(|| "index.handler".into());
            let Some(code) = code else {
                cx.error(
                    span,
                    format!(
                        "`{kind}(...)` needs the code folder: `{kind}(code = \"functions/my-fn\")`"
                    ),
                );
                return None;
            };
            if kind == "node" {
                let v = match &version {
                    Some(a) => a.int(cx, 1..=99)?,
                    None => runtimes::newest(NODE)
                        .parse()
                        .expect("Node.js versions are numbers"),
                };
                if let Some(problem) = runtimes::problem("Node.js", NODE, &v.to_string(), today) {
                    cx.error(version.as_ref().map_or(span, |a| a.span()), problem);
                    return None;
                }
                Some(Runtime::Node {
                    version: v,
                    handler,
                    code,
                })
            } else {
                let v = match &version {
                    Some(a) => a.string(cx)?.value(),
                    None => runtimes::newest(PYTHON).into(),
                };
                if let Some(problem) = runtimes::problem("Python", PYTHON, &v, today) {
                    cx.error(version.as_ref().map_or(span, |a| a.span()), problem);
                    return None;
                }
                Some(Runtime::Python {
                    version: v,
                    handler,
                    code,
                })
            }
        }
        other => {
            let hint = did_you_mean(other, &["rust", "node", "python"])
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| "expected `rust(...)`, `node(...)` or `python(...)`".into());
            cx.error(span, format!("unknown runtime `{other}`; {hint}"));
            None
        }
    }
}

fn is_package_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
