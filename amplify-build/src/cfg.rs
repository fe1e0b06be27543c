//! Evaluates `#[cfg(...)]` on the modules the scanner follows, the way rustc will for
//! the crate being built: features from `CARGO_FEATURE_*`, target settings from
//! `CARGO_CFG_*` (both set by Cargo for build scripts). A backend module, or a `mod`
//! leading to it, that is configured out is not synthesised.

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

/// Where cfg values come from: Cargo's build-script environment.
pub trait CfgSource {
    /// The value of an environment variable.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment (a build script's).
pub struct ProcessEnv;

impl CfgSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// Whether every `#[cfg(...)]` among `attrs` holds. A predicate that cannot be read is
/// taken to hold: rustc reports it, and skipping the module would hide the backend.
pub fn enabled(attrs: &[Attribute], env: &dyn CfgSource) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .all(|a| match a.parse_args::<Meta>() {
            Ok(meta) => holds(&meta, env).unwrap_or(true),
            Err(_) => true,
        })
}

/// `None` when the predicate is not one this evaluator knows.
fn holds(meta: &Meta, env: &dyn CfgSource) -> Option<bool> {
    match meta {
        Meta::Path(path) => {
            let name = path.get_ident()?.to_string();
            match name.as_str() {
                // Build scripts never see `cfg(test)`, and the library is not built
                // for tests when the backend is synthesised.
                "test" => Some(false),
                _ => Some(
                    env.var(&format!("CARGO_CFG_{}", name.to_ascii_uppercase()))
                        .is_some(),
                ),
            }
        }
        Meta::NameValue(nv) => {
            let key = nv.path.get_ident()?.to_string();
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(value),
                ..
            }) = &nv.value
            else {
                return None;
            };
            let value = value.value();
            if key == "feature" {
                let var = format!(
                    "CARGO_FEATURE_{}",
                    value.to_ascii_uppercase().replace('-', "_")
                );
                return Some(env.var(&var).is_some());
            }
            let set = env.var(&format!("CARGO_CFG_{}", key.to_ascii_uppercase()))?;
            Some(set.split(',').any(|v| v == value))
        }
        Meta::List(list) => {
            let op = list.path.get_ident()?.to_string();
            let inner = list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()?;
            let mut values = inner.iter().map(|m| holds(m, env));
            match op.as_str() {
                "all" => values.try_fold(true, |acc, v| Some(acc && v?)),
                "any" => values.try_fold(false, |acc, v| Some(acc || v?)),
                "not" if inner.len() == 1 => values.next()?.map(|v| !v),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Vars(HashMap<&'static str, &'static str>);

    impl CfgSource for Vars {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| (*v).to_owned())
        }
    }

    fn check(cfg: &str, vars: &[(&'static str, &'static str)]) -> bool {
        let item: syn::ItemMod = syn::parse_str(&format!("#[cfg({cfg})] mod m {{}}")).unwrap();
        enabled(&item.attrs, &Vars(vars.iter().copied().collect()))
    }

    #[test]
    fn features_and_target_settings() {
        let env = [
            ("CARGO_FEATURE_CLOUD_BACKEND", "1"),
            ("CARGO_CFG_UNIX", ""),
            ("CARGO_CFG_TARGET_OS", "linux"),
            ("CARGO_CFG_TARGET_FAMILY", "unix"),
        ];
        assert!(check("feature = \"cloud-backend\"", &env));
        assert!(!check("feature = \"other\"", &env));
        assert!(check("unix", &env));
        assert!(!check("windows", &env));
        assert!(check("target_os = \"linux\"", &env));
        assert!(!check("target_os = \"macos\"", &env));
        assert!(check("all(unix, feature = \"cloud-backend\")", &env));
        assert!(!check("all(unix, feature = \"other\")", &env));
        assert!(check("any(windows, feature = \"cloud-backend\")", &env));
        assert!(check("not(test)", &env));
        assert!(!check("test", &env));
        // Unknown shapes are left to rustc.
        assert!(check("target_os", &env));
    }
}
