//! `@function(name: "PostsFn")` on a field: the declared function resolves it, as
//! Amplify's `@function` directive makes a Lambda resolve a field. The directive becomes a
//! resolver of the API (and the function one of its data sources), and leaves the schema
//! AppSync serves. Amplify writes the deployed name (`"PostsFn-${env}"`); the suffix is
//! read as the environment's, so a Gen 1 schema keeps working.

use graphql_parser::schema::{Definition, Document, TypeDefinition, Value as GqlValue};
use proc_macro2::Span;

use super::Resolver;
use crate::category::model::Reference;

/// The resolvers the `@function` fields of `document` make, and a message for each mistake (naming `path`,
/// the line and the column); `span` is where the schema is named in the declaration.
pub(super) fn function_fields(
    document: &Document<'_, String>,
    path: &str,
    span: Span,
) -> (Vec<Resolver>, Vec<String>) {
    let mut fields = Vec::new();
    let mut errors = Vec::new();
    for def in &document.definitions {
        let Definition::TypeDefinition(TypeDefinition::Object(o)) = def else {
            continue;
        };
        let is_model = o.directives.iter().any(|d| d.name == "model");
        for f in &o.fields {
            let found: Vec<_> = f
                .directives
                .iter()
                .filter(|d| d.name == "function")
                .collect();
            let Some(d) = found.first() else {
                continue;
            };
            let at = format!("{path}:{}:{}", d.position.line, d.position.column);
            let here = format!("field `{}.{}` ({at})", o.name, f.name);
            if found.len() > 1 {
                errors.push(format!("{here} has several `@function`s: a pipeline of functions is not supported yet; resolve it with one function that calls the others"));
                continue;
            }
            if is_model {
                errors.push(format!("{here} is a field of a `@model` type: `@function` there is not supported yet; put it on a field of `Query`, `Mutation` or another type"));
                continue;
            }
            let name = d.arguments.iter().find_map(|(k, v)| match (k.as_str(), v) {
                ("name", GqlValue::String(n)) => Some(n.clone()),
                _ => None,
            });
            let Some(name) = name else {
                errors.push(format!("{here} has `@function` without a name: write `@function(name: \"MyFunction\")`, naming a declared `#[function]`"));
                continue;
            };
            let name = name.strip_suffix("-${env}").unwrap_or(&name).to_owned();
            fields.push(Resolver {
                type_name: o.name.clone(),
                field: f.name.clone(),
                span,
                field_span: span,
                data_source: Reference { name, span },
                code: None,
                code_text: None,
            });
        }
    }
    (fields, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_fields_become_resolvers_and_mistakes_are_named() {
        let schema = r#"type Query {
  summary(id: ID!): String @function(name: "Summarize-${env}")
  twice: String @function(name: "A") @function(name: "B")
  nameless: String @function
}
type Note @model { text: String @function(name: "X") }
"#;
        let doc = graphql_parser::parse_schema::<String>(schema).unwrap();
        let (fields, errors) = function_fields(&doc, "s.graphql", Span::call_site());
        assert_eq!(fields.len(), 1);
        let r = &fields[0];
        assert_eq!(
            (
                r.type_name.as_str(),
                r.field.as_str(),
                r.data_source.name.as_str()
            ),
            ("Query", "summary", "Summarize")
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("field `Query.twice` (s.graphql:3:17) has several `@function`s"));
        assert!(errors[1]
            .contains("field `Query.nameless` (s.graphql:4:20) has `@function` without a name"));
        assert!(
            errors[2].contains("field `Note.text` (s.graphql:6:33) is a field of a `@model` type"),
            "{errors:?}"
        );
    }
}
