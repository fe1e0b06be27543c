//! The backend model: plain data produced by the declaration parser and consumed by
//! synthesis. Each resource keeps the category that parsed it and that category's spec;
//! other categories read a spec only through its Rust type ([`Resource::spec`]).

use std::any::{Any, TypeId};
use std::rc::Rc;

use indexmap::IndexMap;
use proc_macro2::Span;

use super::{Declared, Kind, OutputDef};
use crate::decl::diagnostics::{did_you_mean, Diagnostics};

/// A whole backend: every resource declared in one `#[amplify::backend]` module.
#[derive(Debug, Clone, Default)]
pub struct Backend {
    /// Resources in declaration order, including those whose declaration has errors
    /// (so that references to them are not reported a second time).
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

    /// The first resource whose spec is an `S`, with its spec.
    pub fn find<S: 'static>(&self) -> Option<Declared<'_, S>> {
        self.all::<S>().next()
    }

    /// Every resource whose spec is an `S`.
    pub fn all<S: 'static>(&self) -> impl Iterator<Item = Declared<'_, S>> {
        self.resources.iter().filter_map(|r| r.declared::<S>())
    }
}

/// One declared resource.
#[derive(Clone)]
pub struct Resource {
    /// Amplify resource name (folder name, second half of the logical id).
    pub name: String,
    /// Name of the Rust item that declared it.
    pub ident: String,
    /// Where the name was written.
    pub span: Span,
    /// The category that declared it.
    pub kind: Kind,
    /// For a resource that already exists elsewhere (`import(...)`): its outputs, by
    /// Amplify output name. Imported resources get no stack.
    pub imported: Option<IndexMap<String, String>>,
    spec: Option<Rc<dyn Any>>,
}

impl Resource {
    /// A resource of `kind`; `spec` is `None` when its declaration did not parse.
    pub fn new(
        name: String,
        ident: String,
        span: Span,
        kind: Kind,
        spec: Option<Rc<dyn Any>>,
        imported: Option<IndexMap<String, String>>,
    ) -> Self {
        Resource {
            name,
            ident,
            span,
            kind,
            imported,
            spec,
        }
    }

    /// The spec, if this resource's category parses into an `S` and it parsed.
    pub fn spec<S: 'static>(&self) -> Option<&S> {
        self.spec.as_deref()?.downcast_ref::<S>()
    }

    /// The resource with its spec, if its spec is an `S`.
    pub fn declared<S: 'static>(&self) -> Option<Declared<'_, S>> {
        Some(Declared {
            resource: self,
            spec: self.spec::<S>()?,
        })
    }

    /// The spec without its type, for [`crate::category::ErasedCategory`].
    pub fn spec_any(&self) -> Option<&dyn Any> {
        self.spec.as_deref()
    }

    /// Whether the resource's category parses into an `S`, whether or not this
    /// declaration parsed.
    pub fn is_a<S: 'static>(&self) -> bool {
        self.kind.spec_type() == TypeId::of::<S>()
    }

    /// Whether the resource's category gives it `capability`.
    pub fn can(&self, capability: super::Capability) -> bool {
        self.kind.capabilities().contains(&capability)
    }

    /// Whether the declaration parsed.
    pub fn is_valid(&self) -> bool {
        self.spec.is_some()
    }

    /// Whether the resource is imported by id rather than created.
    pub fn is_imported(&self) -> bool {
        self.imported.is_some()
    }

    /// The Amplify category (`auth`, `storage`, …).
    pub fn category(&self) -> &'static str {
        self.kind.descriptor().category
    }

    /// The Amplify service (`Cognito`, `DynamoDB`, …).
    pub fn service(&self) -> &'static str {
        self.kind.descriptor().service
    }

    /// The declaring attribute, as the user writes it (`table`).
    pub fn attribute(&self) -> &'static str {
        self.kind.descriptor().attribute
    }

    /// The logical id of this resource's nested stack in the root stack: `<category><name>`.
    pub fn logical_id(&self) -> String {
        format!("{}{}", self.category(), self.name)
    }

    /// The outputs this resource has (every possible one if its declaration did not parse).
    pub fn outputs(&self) -> Vec<OutputDef> {
        self.kind.outputs(self)
    }

    /// Typed operations apps call on it, if its category has any.
    pub fn operations(&self) -> Option<crate::operations::Operations> {
        self.kind.operations(self)
    }

    /// Names of the outputs resources using this one receive.
    pub fn granted_outputs(&self) -> Vec<String> {
        self.outputs()
            .into_iter()
            .filter(|o| o.granted)
            .map(|o| o.name)
            .collect()
    }
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resource")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("valid", &self.is_valid())
            .field("imported", &self.imported)
            .finish()
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

impl Reference {
    /// A reference to the item `ident` as written.
    pub fn to(ident: &syn::Ident) -> Self {
        Reference {
            name: ident.to_string(),
            span: ident.span(),
        }
    }
}

/// The resource `reference` names, or an error at the reference saying what to declare
/// (`what`: "an `#[auth]` struct") or which declared name was meant.
pub fn resolve<'a>(
    backend: &'a Backend,
    reference: &Reference,
    what: &str,
    cx: &Diagnostics,
) -> Option<&'a Resource> {
    if let Some(found) = backend.resolve(reference) {
        return Some(found);
    }
    let names: Vec<&str> = backend.resources.iter().map(|r| r.ident.as_str()).collect();
    let name = &reference.name;
    let hint = did_you_mean(name, &names)
        .map(|b| format!("did you mean `{b}`?"))
        .unwrap_or_else(|| format!("declare `{name}` in this module as {what}"));
    cx.error(
        reference.span,
        format!("no resource named `{name}` in this backend; {hint}"),
    );
    None
}
