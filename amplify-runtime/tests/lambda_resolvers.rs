//! A Lambda resolver's result reaches the GraphQL answer whatever its JSON type: objects,
//! lists and scalars (`Int`, `Boolean`, `AWSDate`, `AWSJSON`), as AppSync returns them.
//! MiniStack's data plane accepts only objects; its launcher hands the rest over as JSON
//! text (fix 2 of `amplify-runtime/emulator/ministack_launcher.py`). A field with Amplify's
//! `@function` directive is resolved by the function it names.

mod common;

use std::io::{Read, Write};

use common::{ok, Emulator, Scratch};
use serde_json::{json, Value};

const BACKEND: &str = r#"#[amplify::backend]
pub mod backend {
    #[function(runtime = node(code = "functions/answers"))]
    pub struct Answers;

    #[api(
        schema = "schema.graphql",
        auth = api_key(expires_in_days = 7),
        data_sources = [Answers],
        resolvers(
            Query::count = Answers,
            Query::ok = Answers,
            Query::today = Answers,
            Query::payload = Answers,
            Query::tags = Answers,
            Query::item = Answers,
        ),
    )]
    pub struct Scalars;
}

fn main() {}
"#;

const SCHEMA: &str = "type Item {\n  id: ID!\n}\n\ntype Query {\n  count: Int\n  ok: Boolean\n  today: AWSDate\n  payload: AWSJSON\n  tags: [String]\n  item: Item\n  viaDirective: Int @function(name: \"Answers-${env}\")\n}\n";

const HANDLER: &str = "exports.handler = async (event) => ({\n  count: 3,\n  ok: true,\n  today: '2026-12-05',\n  payload: JSON.stringify({ a: 1 }),\n  tags: ['a', 'b'],\n  item: { id: 'i-1' },\n  viaDirective: 7,\n})[event.info.fieldName];\n";

/// POSTs `query` to the API through the emulator's AppSync data plane.
fn query(port: u16, endpoint: &str, key: &str, query: &str) -> Value {
    let host = endpoint
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap();
    let body = json!({ "query": query }).to_string();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (_, body) = out.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn scalar_list_and_object_results_of_a_lambda_resolver_are_answered() {
    let emulator = Emulator::start();
    let scratch = Scratch::generated(
        "scalars",
        &[
            ("src/main.rs", BACKEND.to_owned()),
            ("schema.graphql", SCHEMA.to_owned()),
            ("functions/answers/index.js", HANDLER.to_owned()),
        ],
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    let outputs = scratch.json("amplify_outputs.json");
    let endpoint = outputs["data"]["url"].as_str().unwrap();
    let key = outputs["data"]["api_key"].as_str().unwrap();
    let answer = query(
        emulator.port(),
        endpoint,
        key,
        "{ count ok today payload tags item { id } viaDirective }",
    );
    assert_eq!(
        answer,
        json!({ "data": {
            "count": 3,
            "ok": true,
            "today": "2026-12-05",
            "payload": "{\"a\":1}",
            "tags": ["a", "b"],
            "item": { "id": "i-1" },
            "viaDirective": 7
        }}),
        "{answer}"
    );
    // The schema the API serves is the one synthesis uploaded (launcher fix 6): a field
    // it does not have is a validation error, not an empty answer.
    let refused = query(emulator.port(), endpoint, key, "{ count nonsense }");
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nonsense"), "{refused}");
}
