//! Errors the build script found, put back at the tokens they name: the build script
//! records each error's source range (line and column), and the macro finds the tokens
//! of its input that start and end there.

use amplify_build::declaration::Located;
use proc_macro2::{Span, TokenStream, TokenTree};

/// A compile error covering the tokens of `input` that `at` names; at the whole input
/// when no token starts there (the message then says where).
pub fn error_at(input: TokenStream, at: &Located) -> syn::Error {
    let mut tokens = Vec::new();
    flatten(input.clone(), &mut tokens);
    let position = |span: Span, start: bool| {
        let p = if start { span.start() } else { span.end() };
        (p.line, p.column)
    };
    let first = tokens.iter().find(|t| position(t.span(), true) == at.start);
    let last = tokens
        .iter()
        .rev()
        .find(|t| position(t.span(), false) == at.end && position(t.span(), true) >= at.start);
    match (first, last) {
        (Some(first), Some(last)) => {
            let range: TokenStream = [first.clone(), last.clone()].into_iter().collect();
            syn::Error::new_spanned(range, &at.message)
        }
        (Some(only), None) | (None, Some(only)) => syn::Error::new(only.span(), &at.message),
        (None, None) => syn::Error::new_spanned(
            input,
            format!(
                "{} (at line {}, column {})",
                at.message,
                at.start.0,
                at.start.1 + 1
            ),
        ),
    }
}

/// Every token of a stream, groups included as a whole and then their contents.
fn flatten(stream: TokenStream, out: &mut Vec<TokenTree>) {
    for tree in stream {
        if let TokenTree::Group(group) = &tree {
            out.push(tree.clone());
            flatten(group.stream(), out);
        } else {
            out.push(tree);
        }
    }
}
