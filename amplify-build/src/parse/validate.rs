//! Checks that span resources: names, consumed outputs and cycles here, and each category's own checks of
//! its references ([`crate::category::Category::check`]), which resolve them with
//! [`resolve`].

use std::collections::HashMap;

use crate::category::model::Backend;
use crate::deps::dependencies;

use crate::decl::diagnostics::{did_you_mean, Diagnostics};

/// CloudFormation logical ids are at most 255 alphanumerics.
const MAX_LOGICAL_ID: usize = 255;
/// Amplify resource names (folder names, Lambda names) stay well below that.
const MAX_NAME: usize = 60;

pub(crate) fn validate(backend: &Backend, cx: &Diagnostics) {
    check_names(backend, cx);
    for resource in &backend.resources {
        resource.kind.check(resource, backend, cx);
    }
    check_capabilities(backend, cx);
    // A reference to the wrong kind of resource is the user's mistake, already
    // reported by the category; an edge's output missing from a valid declaration is
    // the category's own.
    if !cx.has_errors() {
        check_edge_outputs(backend, cx);
    }
    check_cycles(backend, cx);
}

/// A category that claims a capability lists the outputs it promises; once per category.
fn check_capabilities(backend: &Backend, cx: &Diagnostics) {
    let mut seen: Vec<&str> = Vec::new();
    for resource in &backend.resources {
        let attribute = resource.attribute();
        if seen.contains(&attribute) {
            continue;
        }
        seen.push(attribute);
        let outputs: Vec<String> = resource.outputs().into_iter().map(|o| o.name).collect();
        for capability in resource.kind.capabilities() {
            let lacking: Vec<&str> = capability
                .outputs()
                .iter()
                .copied()
                .filter(|o| !outputs.iter().any(|have| have == o))
                .collect();
            if !lacking.is_empty() {
                cx.error(
                    resource.span,
                    format!(
                        "the `#[{attribute}]` category says its resources are {}, but they lack the output(s) {}: list them in its `outputs`",
                        capability.describe(),
                        lacking.join(", ")
                    ),
                );
            }
        }
    }
}

/// Every output a resource consumes from another must be one the other has: a typo in a
/// category's edge (`"Arnn"`) is an error here, in every profile, at the reference —
/// not a stack parameter that never receives a value at deploy time.
fn check_edge_outputs(backend: &Backend, cx: &Diagnostics) {
    for resource in &backend.resources {
        let links = resource.kind.links(resource, backend);
        let link_uses = links.into_iter().flat_map(|l| l.uses);
        for edge in resource
            .kind
            .edges(resource, backend)
            .into_iter()
            .chain(link_uses)
        {
            let Some(target) = backend.resources.iter().find(|r| r.ident == edge.target) else {
                continue;
            };
            let outputs = target.outputs();
            let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
            for wanted in &edge.outputs {
                if names.contains(&wanted.as_str()) {
                    continue;
                }
                let hint = did_you_mean(wanted, &names)
                    .map(|b| format!("did you mean `{b}`?"))
                    .unwrap_or_else(|| format!("it has: {}", names.join(", ")));
                cx.error(
                    edge.span,
                    format!(
                        "`{}` uses output `{wanted}` of `{}`, which a `#[{}]` resource does not have; {hint} (the `#[{}]` category names its edges' outputs)",
                        resource.ident,
                        target.ident,
                        target.attribute(),
                        resource.attribute(),
                    ),
                );
            }
        }
    }
}

fn check_names(backend: &Backend, cx: &Diagnostics) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for r in &backend.resources {
        let valid_chars = r
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && r.name.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid_chars {
            cx.error(
                r.span,
                format!(
                    "resource name `{}` would make the CloudFormation logical id `{}` invalid: use ASCII letters and digits only, starting with a letter (e.g. `{}`), or set `name = \"...\"`",
                    r.name,
                    r.logical_id(),
                    crate::decl::camel_case(&r.name)
                ),
            );
        } else if r.name.len() > MAX_NAME || r.logical_id().len() > MAX_LOGICAL_ID {
            cx.error(
                r.span,
                format!(
                    "resource name `{}` is longer than {MAX_NAME} characters; shorten it",
                    r.name
                ),
            );
        }
        let folded = r.name.to_ascii_lowercase();
        if let Some(first) = seen.get(&folded) {
            cx.error(
                r.span,
                format!("a resource named `{first}` is already declared; resource names must be unique (ignoring case, as folders are)"),
            );
        } else {
            seen.insert(folded, &r.name);
        }
    }
}

/// Reports each dependency cycle once, at the reference that closes it.
fn check_cycles(backend: &Backend, cx: &Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let index: HashMap<&str, usize> = backend
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut marks = vec![Mark::New; backend.resources.len()];
    let mut stack: Vec<usize> = Vec::new();

    fn visit(
        i: usize,
        backend: &Backend,
        index: &HashMap<&str, usize>,
        marks: &mut Vec<Mark>,
        stack: &mut Vec<usize>,
        cx: &Diagnostics,
    ) {
        marks[i] = Mark::Active;
        stack.push(i);
        for dep in dependencies(backend, &backend.resources[i]) {
            let j = index[dep.target.name.as_str()];
            match marks[j] {
                Mark::Active => {
                    let start = stack.iter().position(|&k| k == j).unwrap_or(0);
                    let mut path: Vec<&str> = stack[start..]
                        .iter()
                        .map(|&k| backend.resources[k].ident.as_str())
                        .collect();
                    path.push(&backend.resources[j].ident);
                    cx.error(
                        dep.span,
                        format!(
                            "dependency cycle: {}; CloudFormation cannot order these stacks, remove one of the references",
                            path.join(" → ")
                        ),
                    );
                }
                Mark::New => visit(j, backend, index, marks, stack, cx),
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[i] = Mark::Done;
    }

    for i in 0..backend.resources.len() {
        if marks[i] == Mark::New {
            visit(i, backend, &index, &mut marks, &mut stack, cx);
        }
    }
}
