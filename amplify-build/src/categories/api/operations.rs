//! The typed operations of an API ([`GraphqlOperations`]), read from its schema: every
//! `Query` and `Mutation` field becomes an operation whose document selects the scalar
//! and enum fields of what it returns, and nested objects down to [`SELECTION_DEPTH`]
//! levels, or the API's `selection_depth` (as Amplify's codegen does, so recursive types
//! end).

use std::collections::{BTreeMap, BTreeSet};

use graphql_parser::schema::{Definition, Document, Type, TypeDefinition, TypeExtension};

use super::ApiSpec;
use crate::operations::{
    GraphqlField, GraphqlOperation, GraphqlOperations, GraphqlType, GraphqlTypeKind, OperationKind,
    TypeClass, TypeRef,
};

/// How many levels of nested objects a document selects below the operation's field.
pub const SELECTION_DEPTH: usize = 2;

/// The operations of `spec`, or `None` if its schema does not parse (already reported).
pub(super) fn operations(spec: &ApiSpec) -> Option<GraphqlOperations> {
    operations_to_depth(
        &spec.schema,
        spec.default_auth.appsync_type(),
        spec.selection_depth,
    )
    .ok()
}

/// The operations of a schema's text (for the types a resolver function receives and
/// returns, generated in the function's crate), or the parser's message.
pub fn schema_operations(schema: &str, default_auth: &str) -> Result<GraphqlOperations, String> {
    operations_to_depth(schema, default_auth, SELECTION_DEPTH)
}

/// [`schema_operations`] selecting `depth` levels of nested objects.
fn operations_to_depth(
    schema: &str,
    default_auth: &str,
    depth: usize,
) -> Result<GraphqlOperations, String> {
    let document = graphql_parser::parse_schema::<String>(schema).map_err(|e| e.to_string())?;
    let mut schema = Schema::read(&document);
    schema.depth = depth;
    let mut operations = Vec::new();
    for (kind, root) in [
        (OperationKind::Query, &schema.query),
        (OperationKind::Mutation, &schema.mutation),
    ] {
        for field in schema.objects.get(root.as_str()).into_iter().flatten() {
            operations.push(schema.operation(kind, root, field));
        }
    }
    let roots: BTreeSet<&str> = [&schema.query, &schema.mutation, &schema.subscription]
        .into_iter()
        .map(String::as_str)
        .collect();
    let types = schema
        .order
        .iter()
        .filter(|name| !roots.contains(name.as_str()))
        .filter_map(|name| schema.generated_type(name))
        .collect();
    Ok(GraphqlOperations {
        default_auth: default_auth.to_owned(),
        types,
        operations,
    })
}

/// Converts a parsed field (name, type, description).
type MakeField<'f> =
    dyn for<'a> Fn(&String, &Type<'a, String>, &Option<String>) -> GraphqlField + 'f;

/// The parts of a schema operations are made of, with extensions merged in.
struct Schema {
    query: String,
    mutation: String,
    subscription: String,
    /// Object and interface fields by type.
    objects: BTreeMap<String, Vec<GraphqlField>>,
    inputs: BTreeMap<String, Vec<GraphqlField>>,
    enums: BTreeMap<String, Vec<String>>,
    docs: BTreeMap<String, String>,
    /// Arguments of object fields, by (type, field).
    arguments: BTreeMap<(String, String), Vec<GraphqlField>>,
    /// Generated type names in schema order.
    order: Vec<String>,
    /// Levels of nested objects a document selects.
    depth: usize,
}

impl Schema {
    fn read(document: &Document<'_, String>) -> Schema {
        let classes = classes(document);
        let class = |name: &str| classes.get(name).copied().unwrap_or(TypeClass::Scalar);
        let field = |name: &String, ty: &Type<'_, String>, doc: &Option<String>| GraphqlField {
            name: name.clone(),
            ty: type_ref(ty, &class),
            doc: doc.clone(),
            unselectable: false,
        };
        let mut schema = Schema {
            query: "Query".into(),
            mutation: "Mutation".into(),
            subscription: "Subscription".into(),
            objects: BTreeMap::new(),
            inputs: BTreeMap::new(),
            enums: BTreeMap::new(),
            docs: BTreeMap::new(),
            arguments: BTreeMap::new(),
            order: Vec::new(),
            depth: SELECTION_DEPTH,
        };
        for def in &document.definitions {
            match def {
                Definition::SchemaDefinition(s) => {
                    // A schema definition names every root there is: an ordinary
                    // `type Mutation` it leaves out is no root.
                    schema.query = s.query.clone().unwrap_or_default();
                    schema.mutation = s.mutation.clone().unwrap_or_default();
                    schema.subscription = s.subscription.clone().unwrap_or_default();
                }
                Definition::TypeDefinition(t) => schema.define(t, &field),
                Definition::TypeExtension(TypeExtension::Object(o)) => {
                    schema.object(&o.name, &o.fields, &field);
                }
                Definition::TypeExtension(TypeExtension::InputObject(i)) => {
                    let fields = i
                        .fields
                        .iter()
                        .map(|f| field(&f.name, &f.value_type, &f.description));
                    schema
                        .inputs
                        .entry(i.name.clone())
                        .or_default()
                        .extend(fields);
                }
                Definition::TypeExtension(TypeExtension::Enum(e)) => {
                    let values = e.values.iter().map(|v| v.name.clone());
                    schema
                        .enums
                        .entry(e.name.clone())
                        .or_default()
                        .extend(values);
                }
                _ => {}
            }
        }
        schema
    }

    fn define(&mut self, def: &TypeDefinition<'_, String>, field: &MakeField<'_>) {
        let (name, doc) = match def {
            TypeDefinition::Object(o) => {
                self.object(&o.name, &o.fields, field);
                (&o.name, &o.description)
            }
            TypeDefinition::Interface(o) => {
                self.object(&o.name, &o.fields, field);
                (&o.name, &o.description)
            }
            TypeDefinition::InputObject(i) => {
                let fields = i
                    .fields
                    .iter()
                    .map(|f| field(&f.name, &f.value_type, &f.description));
                self.inputs
                    .entry(i.name.clone())
                    .or_default()
                    .extend(fields);
                (&i.name, &i.description)
            }
            TypeDefinition::Enum(e) => {
                let values = e.values.iter().map(|v| v.name.clone());
                self.enums.entry(e.name.clone()).or_default().extend(values);
                (&e.name, &e.description)
            }
            TypeDefinition::Scalar(_) | TypeDefinition::Union(_) => return,
        };
        if !self.order.contains(name) {
            self.order.push(name.clone());
        }
        if let Some(doc) = doc {
            self.docs.insert(name.clone(), doc.clone());
        }
    }

    fn generated_type(&self, name: &str) -> Option<GraphqlType> {
        let (kind, fields, values) = if let Some(fields) = self.objects.get(name) {
            (GraphqlTypeKind::Object, fields.clone(), Vec::new())
        } else if let Some(fields) = self.inputs.get(name) {
            (GraphqlTypeKind::Input, fields.clone(), Vec::new())
        } else {
            (
                GraphqlTypeKind::Enum,
                Vec::new(),
                self.enums.get(name)?.clone(),
            )
        };
        Some(GraphqlType {
            name: name.to_owned(),
            kind,
            doc: self.docs.get(name).cloned(),
            fields,
            values,
        })
    }

    fn object(
        &mut self,
        name: &str,
        fields: &[graphql_parser::schema::Field<'_, String>],
        field: &MakeField<'_>,
    ) {
        for f in fields {
            let arguments: Vec<GraphqlField> = f
                .arguments
                .iter()
                .map(|a| field(&a.name, &a.value_type, &a.description))
                .collect();
            let mut converted = field(&f.name, &f.field_type, &f.description);
            converted.unselectable = arguments.iter().any(|a| a.ty.is_non_null());
            self.arguments
                .insert((name.to_owned(), f.name.clone()), arguments);
            self.objects
                .entry(name.to_owned())
                .or_default()
                .push(converted);
        }
    }

    fn operation(&self, kind: OperationKind, root: &str, field: &GraphqlField) -> GraphqlOperation {
        let arguments = self
            .arguments
            .get(&(root.to_owned(), field.name.clone()))
            .cloned()
            .unwrap_or_default();
        let name = super::upper_first(&field.name);
        let variables: Vec<String> = arguments
            .iter()
            .map(|a| format!("${}: {}", a.name, a.ty.to_graphql()))
            .collect();
        let passed: Vec<String> = arguments
            .iter()
            .map(|a| format!("{0}: ${0}", a.name))
            .collect();
        let mut document = format!("{} {name}", kind.keyword());
        if !variables.is_empty() {
            document.push_str(&format!("({})", variables.join(", ")));
        }
        document.push_str(&format!(" {{ {}", field.name));
        if !passed.is_empty() {
            document.push_str(&format!("({})", passed.join(", ")));
        }
        document.push_str(&self.selection(&field.ty, 0));
        document.push_str(" }");
        GraphqlOperation {
            kind,
            field: field.name.clone(),
            arguments,
            returns: field.ty.clone(),
            name,
            document,
            doc: field.doc.clone(),
        }
    }

    /// ` { a b c { d } }` for an object, nothing for a scalar or enum.
    fn selection(&self, ty: &TypeRef, depth: usize) -> String {
        let (name, class) = ty.named();
        match class {
            TypeClass::Union => return " { __typename }".to_owned(),
            TypeClass::Generated if self.objects.contains_key(name) => {}
            _ => return String::new(),
        }
        let mut picked = Vec::new();
        for field in &self.objects[name] {
            let (inner, class) = field.ty.named();
            let nested = class == TypeClass::Union
                || (class == TypeClass::Generated && self.objects.contains_key(inner));
            if field.unselectable {
                continue;
            }
            if !nested {
                picked.push(field.name.clone());
            } else if depth < self.depth {
                let below = self.selection(&field.ty, depth + 1);
                if !below.is_empty() {
                    picked.push(format!("{}{below}", field.name));
                }
            }
        }
        if picked.is_empty() {
            picked.push("__typename".to_owned());
        }
        format!(" {{ {} }}", picked.join(" "))
    }
}

/// Which names are generated types, custom scalars or unions.
fn classes(document: &Document<'_, String>) -> BTreeMap<String, TypeClass> {
    let mut classes = BTreeMap::new();
    for def in &document.definitions {
        let (name, class) = match def {
            Definition::TypeDefinition(TypeDefinition::Scalar(s)) => {
                (&s.name, TypeClass::CustomScalar)
            }
            Definition::TypeDefinition(TypeDefinition::Union(u)) => (&u.name, TypeClass::Union),
            Definition::TypeDefinition(TypeDefinition::Object(o)) => {
                (&o.name, TypeClass::Generated)
            }
            Definition::TypeDefinition(TypeDefinition::Interface(o)) => {
                (&o.name, TypeClass::Generated)
            }
            Definition::TypeDefinition(TypeDefinition::InputObject(o)) => {
                (&o.name, TypeClass::Generated)
            }
            Definition::TypeDefinition(TypeDefinition::Enum(o)) => (&o.name, TypeClass::Enum),
            _ => continue,
        };
        classes.insert(name.clone(), class);
    }
    classes
}

fn type_ref(ty: &Type<'_, String>, class: &dyn Fn(&str) -> TypeClass) -> TypeRef {
    match ty {
        Type::NamedType(name) => TypeRef::Named {
            name: name.clone(),
            non_null: false,
            class: class(name),
        },
        Type::ListType(of) => TypeRef::List {
            of: Box::new(type_ref(of, class)),
            non_null: false,
        },
        Type::NonNullType(inner) => match type_ref(inner, class) {
            TypeRef::Named { name, class, .. } => TypeRef::Named {
                name,
                non_null: true,
                class,
            },
            TypeRef::List { of, .. } => TypeRef::List { of, non_null: true },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::categories::api::AuthMode;

    fn ops(schema: &str) -> GraphqlOperations {
        let spec = ApiSpec {
            schema_path: "schema.graphql".into(),
            schema: schema.into(),
            source_schema: schema.into(),
            default_auth: AuthMode::ApiKey { expires_in_days: 7 },
            additional_auth: Vec::new(),
            data_sources: Vec::new(),
            resolvers: Vec::new(),
            models: Vec::new(),
            selection_depth: 2,
        };
        operations(&spec).unwrap()
    }

    const BLOG: &str = "
        type Post { id: ID! title: String! author: Author comments: [Comment!]! }
        type Author { name: String posts: [Post] }
        type Comment { text: String post: Post! }
        input PostInput { id: ID title: String! }
        enum Status { DRAFT PUBLISHED }
        type Query { getPost(id: ID!): Post listPosts(status: Status): [Post] }
        type Mutation { createPost(post: PostInput!): Post }
        type Subscription { onCreatePost: Post }
    ";

    #[test]
    fn one_operation_per_query_and_mutation_field() {
        let ops = ops(BLOG);
        let names: Vec<_> = ops
            .operations
            .iter()
            .map(|o| (o.kind, o.field.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (OperationKind::Query, "getPost"),
                (OperationKind::Query, "listPosts"),
                (OperationKind::Mutation, "createPost"),
            ]
        );
        let types: Vec<_> = ops
            .types
            .iter()
            .map(|t| (t.name.as_str(), t.kind))
            .collect();
        assert_eq!(
            types,
            [
                ("Post", GraphqlTypeKind::Object),
                ("Author", GraphqlTypeKind::Object),
                ("Comment", GraphqlTypeKind::Object),
                ("PostInput", GraphqlTypeKind::Input),
                ("Status", GraphqlTypeKind::Enum),
            ]
        );
        assert_eq!(ops.default_auth, "API_KEY");
    }

    #[test]
    fn documents_select_nested_objects_to_a_fixed_depth() {
        let ops = ops(BLOG);
        assert_eq!(
            ops.operations[0].document,
            "query GetPost($id: ID!) { getPost(id: $id) { id title author { name posts { id title } } comments { text post { id title } } } }"
        );
        assert_eq!(
            ops.operations[2].document,
            "mutation CreatePost($post: PostInput!) { createPost(post: $post) { id title author { name posts { id title } } comments { text post { id title } } } }"
        );
        assert_eq!(
            ops.operations[1].arguments[0].ty.to_graphql(),
            "Status",
            "an optional argument"
        );
    }

    #[test]
    fn the_api_chooses_how_deep_documents_select() {
        let shallow = operations_to_depth(BLOG, "API_KEY", 1).unwrap();
        assert_eq!(
            shallow.operations[0].document,
            "query GetPost($id: ID!) { getPost(id: $id) { id title author { name } comments { text } } }"
        );
        let deep = operations_to_depth(BLOG, "API_KEY", 3).unwrap();
        assert!(
            deep.operations[0]
                .document
                .contains("author { name posts { id title author { name } comments { text } } }"),
            "{}",
            deep.operations[0].document
        );
    }

    #[test]
    fn a_schema_definition_names_the_roots() {
        let ops = ops("
            schema { query: Root }
            type Root { hello: String }
            type Mutation { notARoot: String }
        ");
        let fields: Vec<_> = ops.operations.iter().map(|o| o.field.as_str()).collect();
        assert_eq!(fields, ["hello"]);
        assert!(
            ops.types.iter().any(|t| t.name == "Mutation"),
            "an ordinary type"
        );
        assert_eq!(ops.operations[0].document, "query Hello { hello }");
    }

    #[test]
    fn extensions_custom_scalars_and_unions() {
        let ops = ops("
            scalar Json
            union Result = A | B
            type A { a: Int }
            type B { b: Json }
            type Query { one: Result }
            extend type Query { two(x: Json!): [Int!]! }
        ");
        assert_eq!(ops.operations.len(), 2);
        assert_eq!(
            ops.operations[0].document,
            "query One { one { __typename } }"
        );
        assert_eq!(
            ops.operations[1].document,
            "query Two($x: Json!) { two(x: $x) }"
        );
        let arg = &ops.operations[1].arguments[0].ty;
        assert_eq!(arg.named(), ("Json", TypeClass::CustomScalar));
    }
}
