//! Edges between resources: which outputs of which resource another one consumes.
//! Validation (cycles) and synthesis (`dependsOn`, root parameter wiring) read the same
//! list, built from each category's [`crate::category::Category::edges`].

use crate::category::model::{Backend, Resource};
use crate::category::stack::Dependency;

/// The resolved dependencies of `resource`, de-duplicated, in declaration order.
/// References that do not resolve are skipped (validation reports them).
pub fn dependencies<'a>(backend: &'a Backend, resource: &'a Resource) -> Vec<Dependency<'a>> {
    let mut out: Vec<Dependency<'a>> = Vec::new();
    for edge in resource.kind.edges(resource, backend) {
        let Some(target) = backend.resources.iter().find(|r| r.ident == edge.target) else {
            continue;
        };
        // A reference to oneself is reported by validation; it is not an edge.
        if target.ident == resource.ident {
            continue;
        }
        if let Some(existing) = out.iter_mut().find(|d| d.target.name == target.name) {
            for a in edge.outputs {
                if !existing.attributes.contains(&a) {
                    existing.attributes.push(a);
                }
            }
        } else {
            out.push(Dependency {
                target,
                attributes: edge.outputs,
                span: edge.span,
            });
        }
    }
    out
}
