//! The grammar of `#[hosting(...)]`.

use std::path::{Component, Path};

use super::HostingSpec;
use crate::category::ParseContext;
use crate::decl::args::{ArgReader, Unit};
use crate::decl::diagnostics::Diagnostics;
use crate::plan::BuildCommand;

/// A day: CloudFront's default TTL, and the default `max_age`.
const DAY: u32 = 86_400;
/// A year: the longest `max-age` browsers honour.
const YEAR: u32 = 31_536_000;

/// Parses the arguments of `#[hosting]`.
pub(super) fn parse(r: &mut ArgReader, cx: &ParseContext<'_>) -> Option<HostingSpec> {
    let diagnostics = r.cx();
    // Every key is taken before any is judged, so one mistake is one error.
    let site = r.take("site");
    let build = r.take("build");
    let index = r.take("index");
    let spa = r.take("spa");
    let max_age = r.take("max_age");
    let build_dir = r.take("build_dir").and_then(|a| a.string(diagnostics));
    let dir_ok = build_dir
        .as_ref()
        .is_none_or(|d| relative_folder(diagnostics, d, "build_dir"));
    let build = match build.and_then(|a| a.string(diagnostics)) {
        Some(command) => {
            let words: Vec<String> = command
                .value()
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            let Some((program, args)) = words.split_first() else {
                diagnostics.error(
                    command.span(),
                    "`build` is empty; write the command that builds the site (`build = \"npm run build\"`) or remove it",
                );
                return None;
            };
            Some(BuildCommand {
                program: program.clone(),
                args: args.to_vec(),
                dir: build_dir.map(|d| d.value()).unwrap_or_default(),
            })
        }
        None => {
            if let Some(dir) = &build_dir {
                diagnostics.error(
                    dir.span(),
                    "`build_dir` is where the `build` command runs, and there is no `build`; add `build = \"npm run build\"` or remove it",
                );
                return None;
            }
            None
        }
    };
    let index = match index.and_then(|a| a.string(diagnostics)) {
        Some(i) if i.value().is_empty() || i.value().contains('/') => {
            diagnostics.error(
                i.span(),
                "`index` is a file name at the site's root, e.g. `index = \"index.html\"`",
            );
            return None;
        }
        Some(i) => i.value(),
        None => "index.html".to_owned(),
    };
    let spa = spa.and_then(|a| a.flag(diagnostics)).unwrap_or(true);
    let max_age = max_age.map(|a| a.quantity(diagnostics, 0..=YEAR, Unit::Seconds));
    let Some(site) = site else {
        diagnostics.error(
            cx.attr_span,
            "`#[hosting]` needs the folder to serve: `site = \"dist\"` (relative to the crate root)",
        );
        return None;
    };
    let site = site.string(diagnostics)?;
    if !relative_folder(diagnostics, &site, "site") || !dir_ok {
        return None;
    }
    Some(HostingSpec {
        site: site.value().trim_end_matches('/').to_owned(),
        build,
        index,
        spa,
        max_age: max_age.flatten().unwrap_or(DAY),
    })
}

/// A folder inside the crate: relative, not climbing out of it, not `amplify/`.
fn relative_folder(cx: &Diagnostics, lit: &syn::LitStr, key: &str) -> bool {
    let value = lit.value();
    let path = Path::new(&value);
    let climbs = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    let problem = if value.trim().is_empty() {
        Some("is empty")
    } else if climbs {
        Some("must be a folder inside the crate (relative, without `..`)")
    } else if path.starts_with("amplify") {
        Some("must not be inside `amplify/`, which synthesis owns")
    } else {
        None
    };
    if let Some(problem) = problem {
        cx.error(
            lit.span(),
            format!("`{key} = \"{value}\"` {problem}; e.g. `{key} = \"web/dist\"`"),
        );
    }
    problem.is_none()
}
