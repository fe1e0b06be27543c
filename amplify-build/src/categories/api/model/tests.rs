//! The model reader and the schema it makes, on schemas using every directive, and each
//! mistake named with its position.

use graphql_parser::schema::{Definition, TypeDefinition};

use super::*;

const BLOG: &str = r#"enum Status { DRAFT PUBLISHED }

type Post @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }, { allow: groups, groups: ["Admins"] }]) {
  title: String!
  status: Status @default(value: "DRAFT")
  slug: String! @index(name: "bySlug", queryField: "postBySlug")
  comments: [Comment] @hasMany
}

type Comment @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner, ownerField: "author", identityClaim: "sub" }]) {
  post: Post @belongsTo
  text: String!
}

type Score @model(subscriptions: null, timestamps: null, mutations: { create: "addScore" }) {
  game: String! @primaryKey(sortKeyFields: ["points"])
  points: Int!
}

type Query {
  hello: String
}
"#;

fn read(schema: &str) -> (Vec<Model>, Vec<String>) {
    let doc = graphql_parser::parse_schema::<String>(schema).unwrap();
    parse(&doc, "schema.graphql")
}

fn transformed(schema: &str) -> String {
    let doc = graphql_parser::parse_schema::<String>(schema).unwrap();
    let (models, errors) = parse(&doc, "schema.graphql");
    assert!(errors.is_empty(), "{errors:?}");
    let modes = Modes {
        api_key: true,
        user_pool: true,
        iam: false,
    };
    let out = transform(schema, &doc, &models, modes);
    graphql_parser::parse_schema::<String>(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    out
}

#[test]
fn plurals_are_amplify_s() {
    assert_eq!(plural("Todo"), "Todos");
    assert_eq!(plural("Category"), "Categories");
    assert_eq!(plural("Day"), "Days");
    assert_eq!(plural("Address"), "Addresses");
    assert_eq!(plural("Box"), "Boxes");
}

#[test]
fn relations_keys_indexes_and_rules_are_read() {
    let (models, errors) = read(BLOG);
    assert!(errors.is_empty(), "{errors:?}");
    let [post, comment, score] = &models[..] else {
        panic!("{models:?}")
    };
    assert_eq!(post.auth.public, vec![ModelOperation::Read]);
    assert_eq!(post.auth.owners[0].field, "owner");
    assert_eq!(post.auth.owners[0].claim, "sub::username");
    assert!(
        matches!(&post.auth.groups[0], GroupRule::Static { groups, .. } if groups == &["Admins"])
    );
    assert_eq!(
        post.field("status").unwrap().default,
        Some(serde_json::json!("DRAFT"))
    );
    assert_eq!(
        post.relations,
        vec![Relation {
            field: "comments".into(),
            target: "Comment".into(),
            kind: RelationKind::Indexed {
                index: "gsi-Post.comments".into(),
                source: "id".into(),
                single: false
            }
        }]
    );
    // The key of the relation is stored on the comment, named as transformer v2 names it,
    // and the belongsTo side reads the same field.
    assert!(comment.field("postCommentsId").is_some());
    assert_eq!(comment.indexes[0].key.partition, "postCommentsId");
    assert_eq!(
        comment.relations[0].kind,
        RelationKind::Keyed {
            fields: vec!["postCommentsId".into()]
        }
    );
    assert_eq!(comment.auth.owners[0].claim, "sub");
    assert_eq!(score.key_fields(), vec!["game", "points"]);
    assert_eq!(score.timestamps, (None, None));
    assert!(score.field("id").is_none() && score.field("createdAt").is_none());
    let generated: Vec<String> = score
        .generated_fields()
        .into_iter()
        .map(|(_, f, _)| f)
        .collect();
    assert_eq!(generated, ["getScore", "listScores", "addScore"]);
    assert_eq!(
        post.generated_fields().last().unwrap().1,
        "postBySlug",
        "index query fields are generated too"
    );
}

#[test]
fn the_schema_appsync_serves_has_connections_keys_and_index_queries() {
    let out = transformed(BLOG);
    for line in [
        "type Post @aws_api_key @aws_cognito_user_pools {",
        "  comments(filter: ModelCommentFilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): ModelCommentConnection",
        "  post: Post\n",
        "  postCommentsId: ID\n",
        "  getPost(id: ID!): Post @aws_api_key @aws_cognito_user_pools",
        "  postBySlug(slug: String!, sortDirection: ModelSortDirection, filter: ModelPostFilterInput, limit: Int, nextToken: String): ModelPostConnection",
        "  getScore(game: String!, points: Int!): Score",
        "  listScores(game: String, points: ModelIntKeyConditionInput, filter: ModelScoreFilterInput, limit: Int, nextToken: String, sortDirection: ModelSortDirection): ModelScoreConnection",
        "  addScore(input: CreateScoreInput!, condition: ModelScoreConditionInput): Score",
        "  status: ModelStatusInput",
        "input ModelStatusInput {\n  eq: Status\n  ne: Status\n",
        "input ModelIntKeyConditionInput {",
        "enum ModelSortDirection {",
        "  hello: String",
        "  onCreatePost: Post @aws_subscribe(mutations: [\"createPost\"])",
        // A defaulted field and an owner field are optional on create.
        "input CreatePostInput {\n  id: ID\n  title: String!\n  status: Status\n  slug: String!\n  owner: String\n}",
        "input DeleteScoreInput {\n  game: String!\n  points: Int!\n}",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
    for absent in [
        "@model",
        "@auth",
        "@hasMany",
        "@belongsTo",
        "@index",
        "@default",
        "@primaryKey",
        "updateScore",
        "onCreateScore",
        "ModelStringKeyConditionInput",
    ] {
        assert!(!out.contains(absent), "`{absent}` in:\n{out}");
    }
    let doc = graphql_parser::parse_schema::<String>(&out).unwrap();
    let queries = doc
        .definitions
        .iter()
        .filter(|d| matches!(d, Definition::TypeDefinition(TypeDefinition::Object(o)) if o.name == "Query"))
        .count();
    assert_eq!(
        queries, 1,
        "one Query type, holding the user's field and the models'"
    );
}

#[test]
fn relations_by_reference_and_by_named_index() {
    let schema = r#"type Team @model {
  members: [Member] @hasMany(references: ["teamId"])
  leads: [Member] @hasMany(indexName: "byLead", fields: ["id"])
  captain: Member @hasOne(references: ["captainOf"])
}
type Member @model {
  teamId: ID!
  leadOf: ID @index(name: "byLead")
  captainOf: ID
  team: Team @belongsTo(references: ["teamId"])
}
"#;
    let (models, errors) = read(schema);
    assert!(errors.is_empty(), "{errors:?}");
    let member = &models[1];
    let names: Vec<&str> = member.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["byLead", "gsi-Team.members", "gsi-Team.captain"]);
    assert!(matches!(
        &models[0].relations[2].kind,
        RelationKind::Indexed { single: true, .. }
    ));
    transformed(schema);
}

#[test]
fn each_mistake_is_named_with_its_position() {
    let cases = [
        (
            "type A @model { tags: [String]! @primaryKey }",
            "the primary key of `A` (schema.graphql:1:33) uses `tags: [String]`, which cannot be a key",
        ),
        (
            "type A @model { id: ID! other: Ghost @belongsTo }",
            "field `A.other` (schema.graphql:1:38) is a `@belongsTo` relation to `Ghost`, which is not a `@model` type",
        ),
        (
            "type A @model { x: String @index(name: \"byX\") y: String @index(name: \"byX\") }",
            "index `byX` of `A` (schema.graphql:1:57) is declared twice",
        ),
        (
            "type A @model { n: Int @default(value: \"many\") }",
            "field `A.n` (schema.graphql:1:17) has `@default(value: \"many\")` (schema.graphql:1:24), which is not an Int",
        ),
        (
            "type A @model { k: ID! @primaryKey(sortKeyFields: [\"nope\"]) }",
            "the primary key of `A` (schema.graphql:1:24) names `nope`, which is not a stored field",
        ),
        (
            "type A @model { bs: [B] @hasMany(indexName: \"byA\") } type B @model { aId: ID }",
            "field `A.bs` (schema.graphql:1:25) names index `byA`, which `B` does not have",
        ),
        (
            "type A @model { bs: [B] @manyToMany(relationName: \"AB\") } type B @model { x: Int }",
            "field `A.bs` (schema.graphql:1:25) is `@manyToMany(relationName: \"AB\")`, which needs exactly one counterpart",
        ),
        (
            "type A @model { bs: [B] @manyToMany } type B @model { x: Int }",
            "has `@manyToMany` without a `relationName`",
        ),
        (
            "type A @model { secret: String @auth(rules: [{ allow: nobody }]) }",
            "field `A.secret` (schema.graphql:1:32) has its own `@auth`, and `allow: nobody` is not a rule",
        ),
        (
            "type A @model(search: true) { x: Int }",
            "`@model` of `A` (schema.graphql:1:8): `search` is not an option of `@model`",
        ),
        (
            "type A @model @auth(rules: [{ allow: groups }]) { x: Int }",
            "`@auth` of `A` (schema.graphql:1:15): a group rule names its groups",
        ),
        (
            "type A @model { b: B @hasOne } type B @model { x: Int }",
            "", // valid: the key is stored on A as `aBId`
        ),
        (
            "type A @model { bs: B @hasMany } type B @model { x: Int }",
            "field `A.bs` (schema.graphql:1:23) is `@hasMany`, so its type is a list: `[B]`",
        ),
        (
            "type A @model { other: A }",
            "field `A.other` (schema.graphql:1:17) has the model type `A` without a relation",
        ),
    ];
    let mut wrong = Vec::new();
    for (schema, expected) in cases {
        let (_, errors) = read(schema);
        let right = if expected.is_empty() {
            errors.is_empty()
        } else {
            errors.len() == 1 && errors[0].contains(expected)
        };
        if !right {
            wrong.push(format!(
                "{schema}:\n  got      {errors:?}\n  expected {expected}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn rules_whose_mode_the_api_lacks_leave_the_fields_without_directives() {
    // The missing mode is a compile error of its own; the schema is still written.
    let schema = "type A @model @auth(rules: [{ allow: owner }]) { x: Int }";
    let doc = graphql_parser::parse_schema::<String>(schema).unwrap();
    let (models, _) = parse(&doc, "schema.graphql");
    let modes = Modes {
        api_key: true,
        user_pool: false,
        iam: false,
    };
    let out = transform(schema, &doc, &models, modes);
    assert!(
        out.contains("  createA(input: CreateAInput!, condition: ModelAConditionInput): A\n"),
        "{out}"
    );
}

#[test]
fn many_to_many_makes_its_join_model() {
    let schema = r#"type Post @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  title: String!
  tags: [Tag] @manyToMany(relationName: "PostTags")
}
type Tag @model @auth(rules: [{ allow: public, operations: [read] }, { allow: private }]) {
  label: String!
  posts: [Post] @manyToMany(relationName: "PostTags")
}
"#;
    let (models, errors) = read(schema);
    assert!(errors.is_empty(), "{errors:?}");
    let join = models
        .iter()
        .find(|m| m.name == "PostTags")
        .expect("a join model");
    assert!(join.synthetic);
    let fields: Vec<&str> = join.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        fields,
        ["id", "postId", "tagId", "createdAt", "updatedAt", "owner"]
    );
    let indexes: Vec<&str> = join.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(indexes, ["byPost", "byTag"]);
    assert_eq!(join.auth.private, ALL.to_vec(), "the rules of both sides");
    assert_eq!(join.auth.owners.len(), 1);
    let post = &models[0];
    assert_eq!(
        post.relations[0].kind,
        RelationKind::Indexed {
            index: "byPost".into(),
            source: "id".into(),
            single: false
        }
    );
    let out = transformed(schema);
    for line in [
        "  tags(filter: ModelPostTagsFilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): ModelPostTagsConnection",
        "type PostTags @aws_api_key @aws_cognito_user_pools {\n  id: ID!\n  postId: ID!\n  tagId: ID!\n",
        "  post: Post\n  tag: Tag\n}",
        "  createPostTags(input: CreatePostTagsInput!, condition: ModelPostTagsConditionInput): PostTags",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
}

#[test]
fn a_field_with_its_own_rules_gets_its_own_modes() {
    let schema = r#"type Note @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  title: String!
  secret: String @auth(rules: [{ allow: owner, ownerField: "keeper" }])
}
"#;
    let (models, errors) = read(schema);
    assert!(errors.is_empty(), "{errors:?}");
    let note = &models[0];
    assert_eq!(note.field_auth.len(), 1);
    assert!(
        note.field("keeper").is_some(),
        "the field rule's owner field is stored"
    );
    let out = transformed(schema);
    assert!(
        out.contains("  secret: String @aws_cognito_user_pools\n"),
        "{out}"
    );
    assert!(!out.contains("@auth"), "{out}");
}
