//! Typed GraphQL operations, for real `cargo run`s: a crate with amplify-runtime's
//! `graphql` feature gets a Rust type per schema type and one async call per query and
//! mutation, with GraphQL's names, nullability, lists, enums, unions and Rust keywords
//! mapped as the README says; serde round-trips them the way AppSync spells them; names
//! that would clash in Rust are made distinct.

use amplify_tests::{exclusive, ScratchCrate};

const BUILD_RS: &str =
    "fn main() {\n    amplify_build::synthesize().expect(\"amplify backend synthesis\");\n}\n";

const SCHEMA: &str = r#"
"""Something the shop sells."""
type Item @aws_api_key {
  id: ID!
  type: String
  price: Float!
  count: Int
  tags: [String!]!
  status: Status!
  details: AWSJSON
  owner: Owner!
  related: [Item]
  outcome: Outcome
  createdAt: AWSTimestamp
  thumbnail(size: Int!): String!
}

input ItemFilter {
  price: Float
  not: ItemFilter
  and: [ItemFilter]
}

type Owner @aws_api_key {
  name: String!
  self: String
  fooBar: Int
  foo_bar: Int
}

union Outcome = Owner | Item

enum Status {
  IN_STOCK
  SOLD_OUT
  _1
}

input ItemInput {
  type: String
  price: Float!
  status: Status!
  tags: [String!]
}

type Query @aws_api_key {
  getItem(id: ID!): Item
  search(term: String, limit: Int): [Item!]!
  endpoint: String
  lookup(client: String): Item
  filter(where: ItemFilter): [Item]
}

type Mutation @aws_api_key {
  putItem(input: ItemInput!): Item!
}
"#;

const MAIN: &str = r##"
#[amplify::backend]
pub mod backend {
    #[api(schema = "schema.graphql", auth = api_key(expires_in_days = 7))]
    pub struct ShopApi;
}

use backend::shop_api::{Item, ItemFilter, ItemInput, Status};
use backend::ShopApi;

fn main() {
    let input = ItemInput {
        r#type: Some("book".into()),
        price: 12.5,
        status: Status::InStock,
        tags: None,
    };
    println!("input {}", serde_json::to_string(&input).unwrap());

    // An answer without the nested objects a selection may leave out.
    let item: Item = serde_json::from_str(
        r#"{"id":"1","price":2.0,"tags":["a"],"status":"SOLD_OUT","createdAt":1700000000}"#,
    )
    .unwrap();
    let owner_missing = item.owner.is_none();
    let created: Option<i64> = item.created_at;
    println!("item {:?} {owner_missing} {created:?} {:?}", item.status, item.r#type);

    // The calls' types, checked by the compiler (not run: there is no API here).
    let _calls = async {
        let client = ShopApi::client().unwrap();
        let one: Option<Item> = ShopApi::get_item(&client, "1".into()).await.unwrap();
        let many: Vec<Item> = ShopApi::search(&client, None, Some(3)).await.unwrap();
        let put: Item = ShopApi::put_item(&client, input.clone()).await.unwrap();
        let outcome: Option<serde_json::Value> = put.outcome;
        // Names that would clash get out of each other's way.
        let clashing: Option<String> = ShopApi::endpoint_query(&client).await.unwrap();
        let by_client = ShopApi::lookup(&client, Some("c".into())).await.unwrap();
        let owner = put.owner.unwrap();
        let both: (Option<i32>, Option<i32>, Option<String>) =
            (owner.foo_bar, owner.foo_bar_2, owner.self_);
        // A recursive input is boxed; a field with required arguments is never selected.
        let filter = ItemFilter {
            price: None,
            not: Some(Box::new(ItemFilter { price: Some(1.0), not: None, and: None })),
            and: None,
        };
        let filtered = ShopApi::filter(&client, Some(filter)).await.unwrap();
        let _: Option<String> = put.thumbnail;
        let _ = Status::V1;
        (one, many, outcome, clashing, by_client, both, filtered)
    };
}
"##;

#[test]
fn generated_operations_compile_and_speak_appsync_s_json() {
    let _serial = exclusive();
    let krate = ScratchCrate::custom_with_dependencies(
        "gqlshop",
        &[
            ("build.rs", BUILD_RS),
            ("schema.graphql", SCHEMA),
            ("src/main.rs", MAIN),
        ],
        "amplify = { package = \"amplify-runtime\", path = \"{runtime}\", features = [\"graphql\"] }\nserde_json = \"1\"\n",
        "",
    );
    let out = krate.cargo(&["run", "-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(r#"input {"type":"book","price":12.5,"status":"IN_STOCK"}"#),
        "renamed keys, enum values as declared, absent options left out: {stdout}"
    );
    assert!(
        stdout.contains("item SoldOut true Some(1700000000) None"),
        "{stdout}"
    );
}

#[test]
fn without_the_feature_the_same_backend_has_no_operations() {
    let _serial = exclusive();
    let main = "#[amplify::backend]\npub mod backend {\n    #[api(schema = \"schema.graphql\", auth = api_key(expires_in_days = 7))]\n    pub struct ShopApi;\n}\n\nfn main() {\n    let _ = backend::ShopApi::client();\n}\n";
    let krate = ScratchCrate::custom(
        "gqlshopoff",
        &[
            ("build.rs", BUILD_RS),
            ("schema.graphql", SCHEMA),
            ("src/main.rs", main),
        ],
        "",
    );
    let out = krate.cargo(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "client() exists only with the feature"
    );
    assert!(
        stderr.contains("no function or associated item named `client`"),
        "{stderr}"
    );
}

const MODEL_MAIN: &str = r##"#[amplify::backend]
pub mod backend {
    #[auth(sign_in = [email])]
    pub struct Users;

    #[api(schema = "schema.graphql", auth = api_key(expires_in_days = 7), additional_auth = [user_pool(Users)], selection_depth = 4)]
    pub struct NotesApi;
}

use backend::notes_api::{
    Comment, CreateNoteInput, ModelIntInput, ModelNoteFilterInput, ModelSortDirection, ModelStringInput, Note,
    UpdateNoteInput,
};
use backend::NotesApi;

fn main() {
    // The calls' types, checked by the compiler (not run: there is no API here).
    let _calls = async {
        let client = NotesApi::client().unwrap();
        let input = CreateNoteInput { id: None, title: "first".into(), stars: Some(3), owner: None };
        let created: Option<Note> = NotesApi::create_note(&client, input, None).await.unwrap();
        let filter = ModelNoteFilterInput {
            stars: Some(ModelIntInput { ge: Some(2), ..Default::default() }),
            not: Some(Box::new(ModelNoteFilterInput {
                title: Some(ModelStringInput { begins_with: Some("draft".into()), ..Default::default() }),
                ..Default::default()
            })),
            ..Default::default()
        };
        let page = NotesApi::list_notes(&client, Some(filter), Some(10), None).await.unwrap();
        let next: Option<String> = page.and_then(|p| p.next_token);
        let id = created.map(|n| n.id).unwrap_or_default();
        let update = UpdateNoteInput { id: id.clone(), title: None, stars: Some(4), owner: None };
        let _ = NotesApi::update_note(&client, update, None).await.unwrap();
        let one: Option<Note> = NotesApi::get_note(&client, id).await.unwrap();
        // A relation is navigable: the note's comments (a page of them), each comment's note.
        let comments: Vec<Comment> = one
            .as_ref()
            .and_then(|n| n.comments.clone())
            .map(|page| page.items.into_iter().flatten().flatten().collect())
            .unwrap_or_default();
        let _back: Option<String> = comments.first().and_then(|c| c.note.as_ref()).map(|n| n.title.clone());
        // An index query field, newest first.
        let titled = NotesApi::notes_by_title(&client, "first".into(), Some(ModelSortDirection::Desc), None, Some(5), None)
            .await
            .unwrap();
        // Every note, page by page; with `selection_depth = 4` a listed note's comments
        // come with their items.
        let every: Vec<Note> = amplify::graphql::Pages::new(|token| NotesApi::list_notes(&client, None, Some(10), token))
            .all()
            .await
            .unwrap();
        let _texts: Vec<String> = every
            .into_iter()
            .filter_map(|n| n.comments)
            .flat_map(|c| c.items.into_iter().flatten().flatten().map(|c| c.text))
            .collect();
        (next, one, titled.and_then(|p| p.items).map(|items| items.len()))
    };
}
"##;

/// `@model` types get typed operations from the transformed schema: inputs, filters
/// (all-optional ones with `Default`, recursive ones boxed), connections, relation
/// fields and index queries.
#[test]
fn model_types_get_typed_operations() {
    let _serial = exclusive();
    let krate = ScratchCrate::custom_with_dependencies(
        "gqlnotes",
        &[
            ("build.rs", BUILD_RS),
            (
                "schema.graphql",
                "type Note @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {\n  title: String! @index(name: \"byTitle\", queryField: \"notesByTitle\")\n  stars: Int\n  comments: [Comment] @hasMany\n}\ntype Comment @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {\n  text: String!\n  note: Note @belongsTo\n}\n",
            ),
            ("src/main.rs", MODEL_MAIN),
        ],
        "amplify = { package = \"amplify-runtime\", path = \"{runtime}\", features = [\"graphql\"] }\nserde_json = \"1\"\n",
        "",
    );
    let out = krate.cargo(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
}
