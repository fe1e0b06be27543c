//! `#[api(...)]`: an AppSync GraphQL API with its auth modes, data sources and resolvers.

use std::collections::BTreeMap;

use proc_macro2::Span;

use super::function_fields::function_fields;
use super::{model, ApiSpec, AuthMode, Resolver};
use crate::category::model::Reference;
use crate::decl::args::{wrong_type, Arg, ArgBody, ArgReader, ArgValue, Unit};
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::decl::FileLoader;

const API_KEY_KEYS: &[&str] = &["expires_in_days"];
const RESOLVER_KEYS: &[&str] = &["code"];

/// Parses the arguments of `#[api]`, reading the schema (and resolver code) through `files`.
pub(super) fn parse(r: &mut ArgReader, attr_span: Span, files: FileLoader) -> Option<ApiSpec> {
    let cx = r.cx();
    let schema_arg = r.take("schema");
    let schema = match &schema_arg {
        Some(arg) => arg.string(cx).and_then(|lit| load_schema(cx, &lit, files)),
        None => {
            cx.error(
                attr_span,
                "`#[api]` needs a schema: add `schema = \"schema.graphql\"` (a path relative to the crate root)",
            );
            None
        }
    };

    let default_auth = match r.take("auth") {
        Some(arg) => arg
            .value(cx, "api_key")
            .and_then(|v| auth_mode(cx, &arg, v)),
        None => Some(AuthMode::ApiKey { expires_in_days: 7 }),
    };
    let mut additional_auth = Vec::new();
    if let Some(arg) = r.take("additional_auth") {
        for v in arg.list(cx).unwrap_or_default() {
            if let Some(mode) = auth_mode(cx, &arg, &v) {
                let kind = mode.appsync_type();
                if additional_auth
                    .iter()
                    .any(|(m, _): &(AuthMode, _)| m.appsync_type() == kind)
                {
                    cx.error(
                        v.span(),
                        format!("`{kind}` is listed twice in `additional_auth`; AppSync takes each auth mode once"),
                    );
                } else {
                    additional_auth.push((mode, v.span()));
                }
            }
        }
    }
    if let Some(default) = &default_auth {
        for (mode, span) in &additional_auth {
            if mode.appsync_type() == default.appsync_type() {
                cx.error(
                    *span,
                    format!(
                        "`{}` is already the default auth mode; remove it from `additional_auth`",
                        mode.appsync_type()
                    ),
                );
            }
        }
    }

    let mut data_sources: Vec<Reference> = Vec::new();
    if let Some(arg) = r.take("data_sources") {
        for v in arg.list(cx).unwrap_or_default() {
            match v {
                ArgValue::Ident(ident) => {
                    let name = ident.to_string();
                    if data_sources.iter().any(|d| d.name == name) {
                        cx.error(
                            ident.span(),
                            format!("data source `{name}` is listed twice"),
                        );
                    } else {
                        data_sources.push(Reference {
                            name,
                            span: ident.span(),
                        });
                    }
                }
                other => wrong_type(
                    cx,
                    &arg,
                    &other,
                    "declared function or table names, e.g. `[PostsFn]`",
                ),
            }
        }
    }

    let mut resolvers = Vec::new();
    if let Some(arg) = r.take("resolvers") {
        for entry in arg.nested(cx, false).map(|a| a.items).unwrap_or_default() {
            if let Some(resolver) = resolver(cx, &entry, files) {
                resolvers.push(resolver);
            }
        }
    }

    let selection_depth = match r.take("selection_depth") {
        Some(arg) => arg.int(cx, 1..=8)? as usize,
        None => super::operations::SELECTION_DEPTH,
    };

    let (schema_path, schema) = schema?;
    let default_auth = default_auth?;
    let additional_auth: Vec<AuthMode> = additional_auth.into_iter().map(|(m, _)| m).collect();
    let modes = model::Modes {
        api_key: std::iter::once(&default_auth)
            .chain(&additional_auth)
            .any(|m| matches!(m, AuthMode::ApiKey { .. })),
        user_pool: std::iter::once(&default_auth)
            .chain(&additional_auth)
            .any(|m| matches!(m, AuthMode::UserPool(_))),
        iam: std::iter::once(&default_auth)
            .chain(&additional_auth)
            .any(|m| matches!(m, AuthMode::Iam)),
    };
    let lit_span = match schema_arg.as_ref().map(|a| &a.body) {
        Some(ArgBody::Value(ArgValue::Str(lit))) => lit.span(),
        _ => attr_span,
    };
    check_model_modes(cx, lit_span, &schema_path, &schema.models, modes);
    let source_schema = schema.text.clone();
    // `@function` fields become resolvers through their functions, and leave the schema
    // (which is parsed again only then).
    let text = match graphql_parser::parse_schema::<String>(&schema.text) {
        Ok(document) => {
            let (fields, mistakes) = function_fields(&document, &schema_path, lit_span);
            for mistake in mistakes {
                cx.error(lit_span, mistake);
            }
            if fields.is_empty() {
                model::transform(&schema.text, &document, &schema.models, modes)
            } else {
                for resolver in fields {
                    if !data_sources
                        .iter()
                        .any(|d| d.name == resolver.data_source.name)
                    {
                        data_sources.push(resolver.data_source.clone());
                    }
                    resolvers.push(resolver);
                }
                let text = model::without_directives(&schema.text, &document, &["function"]);
                match graphql_parser::parse_schema::<String>(&text) {
                    Ok(document) => model::transform(&text, &document, &schema.models, modes),
                    Err(_) => text,
                }
            }
        }
        Err(_) => schema.text.clone(),
    };
    let transformed = Schema::read(text, schema.models);
    check_resolver_fields(cx, &transformed, &resolvers);
    for r in &resolvers {
        let generated = transformed.models.iter().any(|m| {
            let relation =
                m.name == r.type_name && m.relations.iter().any(|rel| rel.field == r.field);
            relation
                || m.generated_fields()
                    .iter()
                    .any(|(type_name, field, _)| *type_name == r.type_name && *field == r.field)
        });
        if generated {
            cx.error(
                r.field_span,
                format!("`{}::{}` is resolved by its `@model` type; remove this resolver, or declare the field on your own type", r.type_name, r.field),
            );
        }
    }
    Some(ApiSpec {
        schema_path,
        schema: transformed.text,
        source_schema,
        default_auth,
        additional_auth,
        data_sources,
        resolvers,
        models: transformed.models,
        selection_depth,
    })
}

/// Each model's rules need the auth mode that carries them.
fn check_model_modes(
    cx: &Diagnostics,
    span: Span,
    path: &str,
    models: &[model::Model],
    modes: model::Modes,
) {
    for m in models {
        let at = format!("{path}:{}", m.line);
        let rule_sets = std::iter::once(&m.auth).chain(m.field_auth.iter().map(|(_, a)| a));
        let (mut api_key, mut user_pool, mut iam) = (false, false, false);
        for a in rule_sets {
            api_key |= !a.public.is_empty();
            user_pool |= a.needs_user_pool();
            iam |= a.needs_iam();
        }
        if api_key && !modes.api_key {
            cx.error(span, format!("`{}` ({at}) allows `public` (API-key) callers, and the API has no API key: add `api_key` to its auth modes", m.name));
        }
        if user_pool && !modes.user_pool {
            cx.error(span, format!("`{}` ({at}) has `owner`, `private` or `groups` rules, which need user-pool auth on the API: add `user_pool(YourAuth)` to its auth modes", m.name));
        }
        if iam && !modes.iam {
            cx.error(span, format!("`{}` ({at}) has rules with `provider: iam`, which need IAM auth on the API: add `iam` to its auth modes", m.name));
        }
    }
}

/// A schema's text plus the fields of each object type, and its `@model` types.
struct Schema {
    text: String,
    fields: BTreeMap<String, Vec<String>>,
    models: Vec<model::Model>,
}

impl Schema {
    /// The fields of each object type of `text` (which parses).
    fn read(text: String, models: Vec<model::Model>) -> Schema {
        use graphql_parser::schema::{Definition, TypeDefinition, TypeExtension};
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Ok(document) = graphql_parser::parse_schema::<String>(&text) {
            for def in &document.definitions {
                let (name, names): (&String, Vec<String>) = match def {
                    Definition::TypeDefinition(TypeDefinition::Object(o)) => {
                        (&o.name, o.fields.iter().map(|f| f.name.clone()).collect())
                    }
                    Definition::TypeExtension(TypeExtension::Object(o)) => {
                        (&o.name, o.fields.iter().map(|f| f.name.clone()).collect())
                    }
                    _ => continue,
                };
                fields.entry(name.clone()).or_default().extend(names);
            }
        }
        Schema {
            text,
            fields,
            models,
        }
    }
}

fn load_schema(cx: &Diagnostics, lit: &syn::LitStr, files: FileLoader) -> Option<(String, Schema)> {
    let path = lit.value();
    let text = match files(&path) {
        Ok(text) => text,
        Err(reason) => {
            cx.error(
                lit.span(),
                format!("cannot read GraphQL schema `{path}`: {reason}; the path is relative to the crate root (where Cargo.toml is)"),
            );
            return None;
        }
    };
    let document = match graphql_parser::parse_schema::<String>(&text) {
        Ok(doc) => doc,
        Err(e) => {
            cx.error(
                lit.span(),
                format!("GraphQL schema `{path}` does not parse: {e}"),
            );
            return None;
        }
    };
    let (models, mistakes) = model::parse(&document, &path);
    for mistake in mistakes {
        cx.error(lit.span(), mistake);
    }
    for (directive, at) in transformer_directives(&document) {
        cx.error(
            lit.span(),
            format!(
                "`@{directive}` ({path}:{}:{}) is a directive of Amplify's GraphQL transformer that amplify-rs does not generate {}; AppSync would refuse the schema. Remove it (resolve the field with `resolvers(...)` instead)",
                at.line, at.column, where_supported(&directive)
            ),
        );
    }
    Some((path, Schema::read(text, models)))
}

fn auth_mode(cx: &Diagnostics, arg: &Arg, value: &ArgValue) -> Option<AuthMode> {
    const MODES: &[&str] = &["api_key", "user_pool", "iam"];
    let (name, args, span) = match value {
        ArgValue::Ident(i) => (i.to_string(), None, i.span()),
        ArgValue::Call(i, args, span) => (i.to_string(), Some(args.clone()), *span),
        other => {
            wrong_type(
                cx,
                arg,
                other,
                "an auth mode: `api_key`, `user_pool(AuthName)` or `iam`",
            );
            return None;
        }
    };
    match name.as_str() {
        "api_key" => {
            let mut expires_in_days = 7;
            if let Some(args) = args {
                let mut r = ArgReader::new(args, "`api_key(...)`", API_KEY_KEYS, cx);
                if let Some(a) = r.take("expires_in_days") {
                    expires_in_days = a.quantity(cx, 1..=365, Unit::Days)?;
                }
                r.finish();
            }
            Some(AuthMode::ApiKey { expires_in_days })
        }
        "user_pool" => match args.as_ref().map(|a| a.items.as_slice()) {
            Some([only]) if only.key.len() == 1 && matches!(only.body, ArgBody::Flag) => {
                Some(AuthMode::UserPool(Reference {
                    name: only.key[0].to_string(),
                    span: only.key[0].span(),
                }))
            }
            _ => {
                cx.error(
                    span,
                    "`user_pool` names the auth resource it uses: write `user_pool(MyAuth)`",
                );
                None
            }
        },
        "iam" => {
            if args.is_some() {
                cx.error(span, "`iam` takes no arguments");
            }
            Some(AuthMode::Iam)
        }
        other => {
            let hint = did_you_mean(other, MODES)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| format!("expected one of: {}", MODES.join(", ")));
            cx.error(span, format!("unknown auth mode `{other}`; {hint}"));
            None
        }
    }
}

/// `Type::field = DataSource` or `Type::field = DataSource(code = "file.js")`.
fn resolver(cx: &Diagnostics, entry: &Arg, files: FileLoader) -> Option<Resolver> {
    if entry.key.len() != 2 {
        cx.error(
            entry.key_span(),
            format!(
                "resolver keys are `Type::field`, e.g. `Query::listPosts`; found `{}`",
                entry.key_text()
            ),
        );
        return None;
    }
    let value = entry.value(cx, "MyFunction")?;
    let (target, code_args) = match value {
        ArgValue::Ident(i) => (i.clone(), None),
        ArgValue::Call(i, args, _) => (i.clone(), Some(args.clone())),
        other => {
            wrong_type(cx, entry, other, "a data source name, e.g. `PostsFn`");
            return None;
        }
    };
    let mut code = None;
    let mut code_text = None;
    if let Some(args) = code_args {
        let mut r = ArgReader::new(args, "the resolver", RESOLVER_KEYS, cx);
        if let Some(lit) = r.take("code").and_then(|a| a.string(cx)) {
            match files(&lit.value()) {
                Ok(text) => code_text = Some(text),
                Err(reason) => cx.error(
                    lit.span(),
                    format!("cannot read resolver code `{}`: {reason}", lit.value()),
                ),
            }
            code = Some(lit.value());
        }
        r.finish();
    }
    Some(Resolver {
        type_name: entry.key[0].to_string(),
        field: entry.key[1].to_string(),
        span: entry.key_span(),
        field_span: entry.key[1].span(),
        data_source: Reference {
            name: target.to_string(),
            span: target.span(),
        },
        code,
        code_text,
    })
}

fn check_resolver_fields(cx: &Diagnostics, schema: &Schema, resolvers: &[Resolver]) {
    let types: Vec<&str> = schema.fields.keys().map(String::as_str).collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in resolvers {
        if seen.contains(&(r.type_name.as_str(), r.field.as_str())) {
            cx.error(
                r.span,
                format!("`{}::{}` has two resolvers; keep one", r.type_name, r.field),
            );
            continue;
        }
        seen.push((&r.type_name, &r.field));
        match schema.fields.get(&r.type_name) {
            None => {
                let hint = did_you_mean(&r.type_name, &types)
                    .map(|b| format!("did you mean `{b}`?"))
                    .unwrap_or_else(|| {
                        format!("the schema's object types are: {}", types.join(", "))
                    });
                cx.error(
                    r.span,
                    format!("the schema has no type `{}`; {hint}", r.type_name),
                );
            }
            Some(fields) if !fields.contains(&r.field) => {
                let names: Vec<&str> = fields.iter().map(String::as_str).collect();
                let hint = did_you_mean(&r.field, &names)
                    .map(|b| format!("did you mean `{b}`?"))
                    .unwrap_or_else(|| format!("its fields are: {}", names.join(", ")));
                cx.error(
                    r.field_span,
                    format!(
                        "type `{}` in the schema has no field `{}`; {hint}",
                        r.type_name, r.field
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

use model::{MODEL_FIELD_DIRECTIVES as MODEL_FIELD, MODEL_TYPE_DIRECTIVES as MODEL_TYPE};

/// What to say about where a transformer directive is generated.
fn where_supported(directive: &str) -> &'static str {
    if MODEL_TYPE.contains(&directive) || MODEL_FIELD.contains(&directive) {
        "outside a `@model` type (write it in one)"
    } else {
        "yet (of them it takes `@model`, `@auth`, `@primaryKey`, `@index`, `@default`, `@hasMany`, `@hasOne`, `@belongsTo` and `@function`)"
    }
}

/// Amplify's transformer directives (`@model`, `@auth`, keys, relations…) that are written
/// where amplify-rs does not generate them, with their positions; AppSync's own `@aws_*`
/// directives pass through.
fn transformer_directives(
    document: &graphql_parser::schema::Document<'_, String>,
) -> Vec<(String, graphql_parser::Pos)> {
    use graphql_parser::schema::{Definition, Directive, TypeDefinition};
    const TRANSFORMER: &[&str] = &[
        "model",
        "auth",
        "primaryKey",
        "index",
        "hasOne",
        "hasMany",
        "belongsTo",
        "manyToMany",
        "default",
        "http",
        "predictions",
        "searchable",
        "connection",
        "key",
        "versioned",
        "sql",
        "refersTo",
        "mapsTo",
        "conversation",
        "generation",
    ];
    let mut found = Vec::new();
    let mut note = |directives: &[Directive<'_, String>]| {
        for d in directives {
            if TRANSFORMER.contains(&d.name.as_str()) {
                found.push((d.name.clone(), d.position));
            }
        }
    };
    for def in &document.definitions {
        match def {
            Definition::TypeDefinition(TypeDefinition::Object(o)) => {
                let is_model = o.directives.iter().any(|d| d.name == "model");
                let on_type = |d: &&Directive<'_, String>| {
                    !(is_model && MODEL_TYPE.contains(&d.name.as_str()))
                };
                let on_field = |d: &&Directive<'_, String>| {
                    !(is_model && MODEL_FIELD.contains(&d.name.as_str()))
                };
                note(
                    &o.directives
                        .iter()
                        .filter(on_type)
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                for f in &o.fields {
                    note(
                        &f.directives
                            .iter()
                            .filter(on_field)
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
            }
            Definition::TypeDefinition(TypeDefinition::Interface(i)) => {
                note(&i.directives);
                for f in &i.fields {
                    note(&f.directives);
                }
            }
            Definition::TypeDefinition(TypeDefinition::InputObject(i)) => {
                note(&i.directives);
                for f in &i.fields {
                    note(&f.directives);
                }
            }
            Definition::TypeDefinition(TypeDefinition::Enum(e)) => note(&e.directives),
            Definition::TypeDefinition(TypeDefinition::Union(u)) => note(&u.directives),
            Definition::TypeDefinition(TypeDefinition::Scalar(sc)) => note(&sc.directives),
            _ => {}
        }
    }
    found
}
