//! The grammar of `#[custom(...)]`.

use indexmap::IndexMap;
use proc_macro2::Span;

use super::CustomSpec;
use crate::category::model::Reference;
use crate::category::ParseContext;
use crate::cfn::read_template;
use crate::decl::args::{ArgReader, ArgValue};
use crate::decl::diagnostics::did_you_mean;

/// Parses the arguments of `#[custom]`.
pub(super) fn parse(r: &mut ArgReader, cx: &ParseContext<'_>) -> Option<CustomSpec> {
    let diagnostics = r.cx();
    // Every key is taken before any is judged, so one mistake is one error.
    let template = r.take("template");
    let uses_arg = r.take("uses");
    let parameters_arg = r.take("parameters");
    let Some(template) = template else {
        diagnostics.error(
            cx.attr_span,
            "`#[custom]` needs its CloudFormation template: `template = \"custom/my-resources.json\"` (relative to the crate root)",
        );
        return None;
    };
    let lit = template.string(diagnostics)?;
    let path = lit.value();
    let text = match (cx.files)(&path) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.error(
                lit.span(),
                format!("cannot read the template `{path}`: {e}"),
            );
            return None;
        }
    };
    let template = match read_template(&text) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.error(lit.span(), format!("`{path}` cannot be deployed: {e}"));
            return None;
        }
    };
    let mut uses = Vec::new();
    if let Some(arg) = uses_arg {
        for entry in arg
            .nested(diagnostics, false)
            .map(|a| a.items)
            .unwrap_or_default()
        {
            let reference = Reference {
                name: entry.key_text(),
                span: entry.key_span(),
            };
            let mut outputs = Vec::new();
            for value in entry.list(diagnostics).unwrap_or_default() {
                match value {
                    ArgValue::Ident(ident) => outputs.push((ident.to_string(), ident.span())),
                    other => diagnostics.error(
                        other.span(),
                        "name the outputs the template takes: `uses(PostTable = [Arn, Name])`",
                    ),
                }
            }
            uses.push((reference, outputs));
        }
    }
    let mut parameters = IndexMap::new();
    if let Some(arg) = parameters_arg {
        let declared: Vec<&str> = template.parameters.keys().map(String::as_str).collect();
        for entry in arg
            .nested(diagnostics, false)
            .map(|a| a.items)
            .unwrap_or_default()
        {
            let name = entry.key_text();
            if !template.parameters.contains_key(&name) {
                let hint = did_you_mean(&name, &declared)
                    .map(|d| format!("did you mean `{d}`?"))
                    .unwrap_or_else(|| format!("it declares: {}", declared.join(", ")));
                diagnostics.error(
                    entry.key_span(),
                    format!("`{path}` has no parameter `{name}`; {hint}"),
                );
                continue;
            }
            if let Some(value) = entry.string(diagnostics) {
                parameters.insert(name, value.value());
            }
        }
    }
    check_accessor_names(&template, lit.span(), diagnostics, &path);
    Some(CustomSpec {
        path,
        template,
        uses,
        parameters,
    })
}

/// The typed accessor of an output: `TopicArn` → `topic_arn`.
pub(super) fn accessor_name(output: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in output.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = true;
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    out
}

/// Outputs whose accessors would clash, or not be Rust names, are refused at the template.
fn check_accessor_names(
    template: &crate::cfn::Template,
    span: Span,
    cx: &crate::decl::diagnostics::Diagnostics,
    path: &str,
) {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for name in template.outputs.keys() {
        let accessor = accessor_name(name);
        if accessor.is_empty() || accessor.starts_with(|c: char| c.is_ascii_digit()) {
            cx.error(
                span,
                format!("`{path}` has output `{name}`, which makes no Rust accessor name; start it with a letter"),
            );
        } else if let Some((_, other)) = seen.iter().find(|(a, _)| *a == accessor) {
            cx.error(
                span,
                format!("`{path}` has outputs `{other}` and `{name}`, whose accessors would both be `{accessor}()`; rename one"),
            );
        }
        seen.push((accessor, name));
    }
}
