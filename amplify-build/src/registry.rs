//! Which categories a backend may use: the built-in ones plus those a crate registers in
//! its build.rs. Looking a category up by its attribute is the only place a declaration
//! is matched to a category.

use std::sync::Arc;

use crate::category::{Category, Kind};

/// The categories known to one synthesis (or one macro expansion).
#[derive(Clone)]
pub struct Registry {
    kinds: Vec<Kind>,
}

impl Registry {
    /// The built-in categories: auth, api, storage (bucket and table), function.
    pub fn builtin() -> Self {
        let mut registry = Registry { kinds: Vec::new() };
        for kind in crate::categories::builtin() {
            registry.kinds.push(kind);
        }
        registry
    }

    /// Adds a category. Fails, naming the attribute, when one with the same attribute is
    /// already registered.
    pub fn register<C: Category>(&mut self, category: C) -> Result<(), String> {
        self.register_kind(Arc::new(category))
    }

    /// Adds an already erased category.
    pub fn register_kind(&mut self, kind: Kind) -> Result<(), String> {
        let attribute = kind.descriptor().attribute;
        if self.get(attribute).is_some() {
            return Err(attribute.to_owned());
        }
        self.kinds.push(kind);
        Ok(())
    }

    /// The category declared by `#[attribute(...)]`.
    pub fn get(&self, attribute: &str) -> Option<&Kind> {
        self.kinds
            .iter()
            .find(|k| k.descriptor().attribute == attribute)
    }

    /// Every registered attribute, built-ins first.
    pub fn attributes(&self) -> Vec<&'static str> {
        self.kinds
            .iter()
            .map(|k| k.descriptor().attribute)
            .collect()
    }

    /// Every registered category.
    pub fn iter(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.iter()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::builtin()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.attributes()).finish()
    }
}
