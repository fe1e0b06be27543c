//! [`Category`] without its `Spec` type, so that categories of different kinds can sit in
//! one registry and resources of different kinds in one backend. Every method takes the
//! resource whose spec this category parsed; the downcast cannot miss because a
//! resource keeps the category that parsed it.

use std::any::{Any, TypeId};
use std::rc::Rc;
use std::sync::Arc;

use proc_macro2::Span;

use super::model::{Backend, Resource};
use super::stack::{NestedStack, RootRoles, StackContext};
use super::{
    Capability, Category, Declared, Descriptor, Edge, GrantPart, Link, OutputDef, ParseContext,
};
use crate::cfn::Value;
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::Diagnostics;
use crate::operations::Operations;
use crate::plan::ClientFragment;

/// A registered category.
pub type Kind = Arc<dyn ErasedCategory>;

/// The object-safe face of [`Category`]; implemented for every category.
pub trait ErasedCategory: Send + Sync {
    /// See [`Category::descriptor`].
    fn descriptor(&self) -> Descriptor;
    /// The `TypeId` of the category's spec.
    fn spec_type(&self) -> TypeId;
    /// See [`Category::capabilities`].
    fn capabilities(&self) -> &'static [Capability];
    /// See [`Category::parse`].
    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<Rc<dyn Any>>;
    /// See [`Category::imported`].
    fn imported(&self, ids: &mut indexmap::IndexMap<String, String>) -> Rc<dyn Any>;
    /// See [`Category::check`]; nothing for a resource whose declaration did not parse.
    fn check(&self, resource: &Resource, backend: &Backend, cx: &Diagnostics);
    /// See [`Category::edges`].
    fn edges<'a>(&self, resource: &'a Resource, backend: &'a Backend) -> Vec<Edge<'a>>;
    /// See [`Category::console_page`].
    fn console_page(&self) -> Option<&'static str>;
    /// See [`Category::links`].
    fn links<'a>(&self, resource: &'a Resource, backend: &'a Backend) -> Vec<Link<'a>>;
    /// See [`Category::outputs`].
    fn outputs(&self, resource: &Resource) -> Vec<OutputDef>;
    /// See [`Category::permissions`].
    fn permissions(&self) -> &'static [&'static str];
    /// See [`Category::grant`].
    fn grant(
        &self,
        resource: &Resource,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value>;
    /// See [`Category::grant_parts`].
    fn grant_parts(&self, resource: &Resource) -> Vec<GrantPart>;
    /// See [`Category::grant_part`].
    fn grant_part(
        &self,
        resource: &Resource,
        part: &str,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value>;
    /// See [`Category::check_grant`].
    fn check_grant(&self, resource: &Resource, grantee: &Resource, at: Span, cx: &Diagnostics);
    /// See [`Category::synthesize`]; `None` for a resource whose declaration did not parse.
    fn synthesize(&self, resource: &Resource, cx: &StackContext<'_>) -> Option<NestedStack>;
    /// See [`Category::root`].
    fn root(&self, resource: &Resource, backend: &Backend, roles: &mut RootRoles);
    /// See [`Category::client_config`].
    fn client_config(&self, resource: &Resource, backend: &Backend) -> Vec<ClientFragment>;
    /// See [`Category::operations`].
    fn operations(&self, resource: &Resource) -> Option<Operations>;
}

fn declared<'a, C: Category>(resource: &'a Resource) -> Option<Declared<'a, C::Spec>> {
    let spec = resource.spec_any()?.downcast_ref::<C::Spec>()?;
    Some(Declared { resource, spec })
}

impl<C: Category> ErasedCategory for C {
    fn descriptor(&self) -> Descriptor {
        Category::descriptor(self)
    }

    fn spec_type(&self) -> TypeId {
        TypeId::of::<C::Spec>()
    }

    fn capabilities(&self) -> &'static [Capability] {
        Category::capabilities(self)
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<Rc<dyn Any>> {
        Category::parse(self, args, cx).map(|spec| Rc::new(spec) as Rc<dyn Any>)
    }

    fn imported(&self, ids: &mut indexmap::IndexMap<String, String>) -> Rc<dyn Any> {
        Rc::new(Category::imported(self, ids))
    }

    fn check(&self, resource: &Resource, backend: &Backend, cx: &Diagnostics) {
        if let Some(it) = declared::<C>(resource) {
            Category::check(self, it, backend, cx);
        }
    }

    fn edges<'a>(&self, resource: &'a Resource, backend: &'a Backend) -> Vec<Edge<'a>> {
        declared::<C>(resource)
            .map(|it| Category::edges(self, it, backend))
            .unwrap_or_default()
    }

    fn console_page(&self) -> Option<&'static str> {
        Category::console_page(self)
    }

    fn links<'a>(&self, resource: &'a Resource, backend: &'a Backend) -> Vec<Link<'a>> {
        declared::<C>(resource)
            .map(|it| Category::links(self, it, backend))
            .unwrap_or_default()
    }

    fn outputs(&self, resource: &Resource) -> Vec<OutputDef> {
        Category::outputs(self, declared::<C>(resource).map(|it| it.spec))
    }

    fn operations(&self, resource: &Resource) -> Option<Operations> {
        declared::<C>(resource).and_then(|it| Category::operations(self, it))
    }

    fn permissions(&self) -> &'static [&'static str] {
        Category::permissions(self)
    }

    fn grant(
        &self,
        resource: &Resource,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        declared::<C>(resource)
            .map(|it| Category::grant(self, it, permission, parameter))
            .unwrap_or_default()
    }

    fn grant_parts(&self, resource: &Resource) -> Vec<GrantPart> {
        declared::<C>(resource)
            .map(|it| Category::grant_parts(self, it))
            .unwrap_or_default()
    }

    fn grant_part(
        &self,
        resource: &Resource,
        part: &str,
        permission: &str,
        parameter: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
        declared::<C>(resource)
            .map(|it| Category::grant_part(self, it, part, permission, parameter))
            .unwrap_or_default()
    }

    fn check_grant(&self, resource: &Resource, grantee: &Resource, at: Span, cx: &Diagnostics) {
        if let Some(it) = declared::<C>(resource) {
            Category::check_grant(self, it, grantee, at, cx);
        }
    }

    fn synthesize(&self, resource: &Resource, cx: &StackContext<'_>) -> Option<NestedStack> {
        declared::<C>(resource).map(|it| Category::synthesize(self, it, cx))
    }

    fn root(&self, resource: &Resource, backend: &Backend, roles: &mut RootRoles) {
        if let Some(it) = declared::<C>(resource) {
            Category::root(self, it, backend, roles);
        }
    }

    fn client_config(&self, resource: &Resource, backend: &Backend) -> Vec<ClientFragment> {
        declared::<C>(resource)
            .map(|it| Category::client_config(self, it, backend))
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for dyn ErasedCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#[{}]", self.descriptor().attribute)
    }
}
