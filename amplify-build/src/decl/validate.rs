//! Checks that span resources: names, references, permissions and cycles.

use std::collections::HashMap;

use crate::deps::{dependencies, grantable_permissions};
use crate::model::{Audience, AuthMode, Backend, Spec};

use super::diagnostics::{did_you_mean, Diagnostics};

/// CloudFormation logical ids are at most 255 alphanumerics.
const MAX_LOGICAL_ID: usize = 255;
/// Amplify resource names (folder names, Lambda names) stay well below that.
const MAX_NAME: usize = 60;

pub(super) fn validate(backend: &Backend, cx: &Diagnostics) {
    check_names(backend, cx);
    check_references(backend, cx);
    check_cycles(backend, cx);
}

fn check_names(backend: &Backend, cx: &Diagnostics) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut auth_seen = false;
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
                    super::camel_case(&r.name)
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
        if let Spec::Auth(_) = r.spec {
            if auth_seen {
                cx.error(r.span, "only one `#[auth]` resource is allowed per backend (Amplify has one user pool per app)");
            }
            auth_seen = true;
        }
    }
}

fn check_references(backend: &Backend, cx: &Diagnostics) {
    let names: Vec<&str> = backend.resources.iter().map(|r| r.ident.as_str()).collect();
    let unknown = |name: &str, span, what: &str| {
        let hint = did_you_mean(name, &names)
            .map(|b| format!("did you mean `{b}`?"))
            .unwrap_or_else(|| format!("declare `{name}` in this module as {what}"));
        cx.error(
            span,
            format!("no resource named `{name}` in this backend; {hint}"),
        );
    };
    let auth = backend.auth();
    for r in &backend.resources {
        match &r.spec {
            Spec::Api(api) => {
                for mode in std::iter::once(&api.default_auth).chain(&api.additional_auth) {
                    if let AuthMode::UserPool(reference) = mode {
                        match backend.resolve(reference) {
                            None => unknown(&reference.name, reference.span, "an `#[auth]` struct"),
                            Some(t) if !matches!(t.spec, Spec::Auth(_)) => cx.error(
                                reference.span,
                                format!("`user_pool({})` must name an `#[auth]` resource, but `{}` is a {}", reference.name, reference.name, t.spec.attribute()),
                            ),
                            Some(_) => {}
                        }
                    }
                }
                for ds in &api.data_sources {
                    match backend.resolve(ds) {
                        None => unknown(&ds.name, ds.span, "a `#[function]` or `#[table]` struct"),
                        Some(t) if !matches!(t.spec, Spec::Function(_) | Spec::Table(_)) => cx.error(
                            ds.span,
                            format!("data source `{}` is a {}; data sources are `#[function]` or `#[table]` resources", ds.name, t.spec.attribute()),
                        ),
                        Some(_) => {}
                    }
                }
                for resolver in &api.resolvers {
                    let ds = &resolver.data_source;
                    if !api.data_sources.iter().any(|d| d.name == ds.name) {
                        cx.error(
                            ds.span,
                            format!("`{}` is not a data source of this API; add it: `data_sources = [{}]`", ds.name, ds.name),
                        );
                        continue;
                    }
                    match backend.resolve(ds).map(|t| &t.spec) {
                        Some(Spec::Table(_)) if resolver.code.is_none() => cx.error(
                            resolver.span,
                            format!(
                                "`{}::{}` resolves through table `{}`, which needs resolver code: write `{} = {}(code = \"resolvers/{}.js\")`",
                                resolver.type_name, resolver.field, ds.name, resolver_key(resolver), ds.name, resolver.field
                            ),
                        ),
                        Some(Spec::Function(_)) if resolver.code.is_some() => cx.error(
                            resolver.span,
                            format!("`{}::{}` resolves directly through function `{}`; remove `code = ...`", resolver.type_name, resolver.field, ds.name),
                        ),
                        _ => {}
                    }
                }
            }
            Spec::Bucket(bucket) => {
                for (audience, _, span) in &bucket.access {
                    if let Some((a, _)) = auth.filter(|(a, _)| a.is_imported()) {
                        cx.error(
                            *span,
                            format!("bucket access rules attach policies to roles this backend creates, but `{}` is imported; grant access where that user pool's identity pool is managed", a.ident),
                        );
                        continue;
                    }
                    match (audience, auth) {
                        (_, None) => cx.error(
                            *span,
                            "bucket access rules need an `#[auth(identity_pool)]` resource in this backend to grant access to",
                        ),
                        (Audience::Authenticated | Audience::Guest, Some((a, spec))) if spec.identity_pool.is_none() => cx.error(
                            *span,
                            format!("bucket access for signed-in users or guests needs an identity pool: add `identity_pool` to `#[auth]` on `{}`", a.ident),
                        ),
                        (Audience::Guest, Some((a, spec))) if spec.identity_pool == Some(false) => cx.error(
                            *span,
                            format!("guest access needs guests: write `identity_pool(guest_access = true)` on `{}`", a.ident),
                        ),
                        (Audience::Group(g), Some((a, spec))) => {
                            if spec.identity_pool.is_none() {
                                cx.error(*span, format!("group access needs an identity pool: add `identity_pool` to `#[auth]` on `{}`", a.ident));
                            } else if !spec.groups.contains(g) {
                                let groups: Vec<&str> = spec.groups.iter().map(String::as_str).collect();
                                let hint = did_you_mean(g, &groups)
                                    .map(|b| format!("did you mean `{b}`?"))
                                    .unwrap_or_else(|| format!("add it: `groups = [{g}]` on `{}`", a.ident));
                                cx.error(*span, format!("no user group `{g}` is declared; {hint}"));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Spec::Function(f) => {
                for grant in &f.grants {
                    let Some(target) = backend.resolve(&grant.target) else {
                        unknown(&grant.target.name, grant.target.span, "a resource struct");
                        continue;
                    };
                    if target.ident == r.ident {
                        cx.error(
                            grant.target.span,
                            format!("`{}` cannot be granted access to itself", r.ident),
                        );
                        continue;
                    }
                    if let Spec::Api(api) = &target.spec {
                        let iam = std::iter::once(&api.default_auth)
                            .chain(&api.additional_auth)
                            .any(|m| matches!(m, AuthMode::Iam));
                        if !iam {
                            cx.error(
                                grant.target.span,
                                format!(
                                    "`{}` signs its GraphQL calls with IAM, but API `{}` does not accept IAM: add `additional_auth = [iam]` to it",
                                    r.ident, target.ident
                                ),
                            );
                        }
                    }
                    let allowed = grantable_permissions(&target.spec);
                    for (perm, span) in &grant.permissions {
                        if !allowed.contains(&perm.as_str()) {
                            let hint = did_you_mean(perm, allowed)
                                .map(|b| format!("did you mean `{b}`?"))
                                .unwrap_or_else(|| {
                                    format!("expected one of: {}", allowed.join(", "))
                                });
                            cx.error(
                                *span,
                                format!(
                                    "`{perm}` is not a permission on {} `{}`; {hint}",
                                    target.spec.attribute(),
                                    target.ident
                                ),
                            );
                        }
                    }
                }
            }
            Spec::Auth(_) | Spec::Table(_) => {}
        }
    }
}

fn resolver_key(r: &crate::model::Resolver) -> String {
    format!("{}::{}", r.type_name, r.field)
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
