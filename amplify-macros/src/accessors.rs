//! Typed accessors for deployed outputs: each resource struct gets one function per
//! output it has (`Photos::bucket_name()`, `BlogApi::endpoint()` …), so asking for an
//! output a resource does not have, or for a resource that is not declared, does not
//! compile.

use std::path::Path;

use amplify_build::declaration::DeclaredResource;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

/// The accessors of every resource, plus `outputs()` for the whole file.
pub fn expand(resources: &[DeclaredResource]) -> TokenStream {
    let rt = runtime_path();
    let embedded = embedded(&rt);
    let mut out = quote! {
        #embedded

        /// Every output of this backend: the file named by `AMPLIFY_OUTPUTS` if set, else
        /// the `amplify_outputs.json` embedded at build time.
        #[allow(dead_code)]
        pub fn outputs() -> ::core::result::Result<&'static #rt::config::Outputs, #rt::config::ConfigError> {
            #rt::config::__private::outputs(__AMPLIFY_EMBEDDED).map(|(o, _)| o)
        }
    };
    for r in resources {
        let ident = syn::Ident::new(&r.ident, Span::call_site());
        let (category, name) = (&r.category, &r.name);
        let accessors = r
            .outputs
            .iter()
            .filter_map(|o| Some((o.accessor.as_deref()?, &o.name, &o.doc)));
        let fns = accessors.map(|(f, key, doc)| {
            let f = format_ident!("{f}");
            quote! {
                #[doc = #doc]
                #[allow(dead_code)]
                pub fn #f() -> ::core::result::Result<&'static str, #rt::config::ConfigError> {
                    #rt::config::__private::output(__AMPLIFY_EMBEDDED, #category, #name, #key)
                }
            }
        });
        out.extend(quote! {
            impl #ident {
                #(#fns)*
            }
        });
    }
    out
}

/// The outputs build.rs embedded, or `None` when the crate has no amplify build script.
fn embedded(rt: &TokenStream) -> TokenStream {
    let generated = std::env::var_os("OUT_DIR").map(|d| Path::new(&d).join("amplify_outputs.rs"));
    match generated {
        Some(path) if path.is_file() => {
            let path = path.to_string_lossy().into_owned();
            quote! {
                include!(#path);
                #[doc(hidden)]
                static __AMPLIFY_EMBEDDED_DATA: #rt::config::__private::Embedded = #rt::config::__private::Embedded {
                    project: __AMPLIFY_PROJECT,
                    file: __AMPLIFY_OUTPUTS_FILE,
                    json: __AMPLIFY_OUTPUTS_JSON,
                };
                #[doc(hidden)]
                static __AMPLIFY_EMBEDDED: ::core::option::Option<&'static #rt::config::__private::Embedded> =
                    ::core::option::Option::Some(&__AMPLIFY_EMBEDDED_DATA);
            }
        }
        _ => quote! {
            #[doc(hidden)]
            static __AMPLIFY_EMBEDDED: ::core::option::Option<&'static #rt::config::__private::Embedded> =
                ::core::option::Option::None;
        },
    }
}

/// How the crate being compiled names `amplify-runtime`: usually renamed to `amplify`
/// (`amplify = { package = "amplify-runtime" }`), else `amplify_runtime`.
pub(crate) fn runtime_path() -> TokenStream {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(|d| Path::new(&d).join("Cargo.toml"));
    let name = manifest
        .and_then(|m| std::fs::read_to_string(m).ok())
        .and_then(|text| dependency_name(&text, "amplify-runtime"))
        .unwrap_or_else(|| "amplify_runtime".to_owned());
    let ident = syn::Ident::new(&name, Span::call_site());
    quote!(::#ident)
}

/// The name under which a manifest depends on `package` (`amplify = { package =
/// "amplify-runtime" }` gives `amplify`), as a Rust identifier.
fn dependency_name(manifest: &str, package: &str) -> Option<String> {
    let manifest: toml::Table = manifest.parse().ok()?;
    let tables = ["dependencies", "dev-dependencies", "build-dependencies"];
    let targets = manifest
        .get("target")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(toml::Value::as_table);
    std::iter::once(&manifest)
        .chain(targets)
        .flat_map(|t| tables.iter().filter_map(|name| t.get(*name)?.as_table()))
        .flat_map(|deps| deps.iter())
        .find(|(key, spec)| {
            let renamed = spec.get("package").and_then(toml::Value::as_str);
            renamed.map_or(key.as_str() == package, |p| p == package)
        })
        .map(|(key, _)| key.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_and_plain_dependencies() {
        let renamed = "[package]\nname = \"x\"\n[dependencies]\namplify = { package = \"amplify-runtime\", path = \"..\" }\n";
        assert_eq!(
            dependency_name(renamed, "amplify-runtime").as_deref(),
            Some("amplify")
        );
        let plain = "[dev-dependencies]\namplify-runtime = { path = \"..\" }\n";
        assert_eq!(
            dependency_name(plain, "amplify-runtime").as_deref(),
            Some("amplify_runtime")
        );
        assert_eq!(
            dependency_name("[dependencies]\nserde = \"1\"\n", "amplify-runtime"),
            None
        );
    }
}
