//! `@model` types on the local cloud: the generated queries and mutations create, list
//! with a filter and pagination, update and delete items of the model's table, and its
//! `@auth` rules hold in the resolvers — another signed-in user cannot update, delete or
//! read the owner's item, and the API key only reads.

mod common;

use std::io::{Read, Write};

use common::{ok, Emulator, Scratch};
use serde_json::{json, Value};

const BACKEND: &str = r#"#[amplify::backend]
pub mod backend {
    #[auth(sign_in = [email])]
    pub struct Users;

    #[api(
        schema = "schema.graphql",
        auth = api_key(expires_in_days = 7),
        additional_auth = [user_pool(Users)],
    )]
    pub struct Notes;
}

fn main() {}
"#;

const SCHEMA: &str = r#"# Anyone with the API key reads; signed-in users write their own notes.
type Note @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  title: String!
  stars: Int
}
"#;

/// One HTTP POST of `body` to `path` of the emulator; the answer's body as JSON.
fn post(port: u16, path: &str, headers: &[(&str, &str)], body: &Value) -> Value {
    let body = body.to_string();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut request = format!("POST {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!(
        "content-length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (_, body) = out.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// A Cognito call (AWS JSON 1.1).
fn cognito(port: u16, action: &str, body: Value) -> Value {
    let target = format!("AWSCognitoIdentityProviderService.{action}");
    post(
        port,
        "/",
        &[
            ("Host", &format!("127.0.0.1:{port}")),
            ("X-Amz-Target", &target),
            ("content-type", "application/x-amz-json-1.1"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &body,
    )
}

/// A new confirmed user's ID token.
fn sign_in(port: u16, pool: &str, client: &str, email: &str) -> String {
    let password = "Notes-Passw0rd!";
    cognito(
        port,
        "SignUp",
        json!({"ClientId": client, "Username": email, "Password": password,
               "UserAttributes": [{"Name": "email", "Value": email}]}),
    );
    cognito(
        port,
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool, "Username": email}),
    );
    let answer = cognito(
        port,
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
    );
    answer["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned()
}

struct Api {
    port: u16,
    host: String,
    key: String,
}

impl Api {
    /// Runs `query` as the API key's caller (`None`) or a user (their token).
    fn run(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut headers = vec![
            ("Host", self.host.as_str()),
            ("content-type", "application/json"),
        ];
        match token {
            Some(t) => headers.push(("Authorization", t)),
            None => headers.push(("x-api-key", &self.key)),
        }
        post(
            self.port,
            "/graphql",
            &headers,
            &json!({"query": query, "variables": variables}),
        )
    }

    fn create(&self, token: &str, title: &str, stars: i64) -> String {
        let answer = self.run(
            Some(token),
            "mutation ($input: CreateNoteInput!) { createNote(input: $input) { id title stars owner createdAt } }",
            json!({"input": {"title": title, "stars": stars}}),
        );
        answer["data"]["createNote"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    }

    /// Every page of `listNotes` with `filter`, `limit` items a page.
    fn list_all(&self, token: Option<&str>, filter: Value, limit: i64) -> (Vec<String>, usize) {
        let mut titles = Vec::new();
        let mut pages = 0;
        let mut next: Value = Value::Null;
        loop {
            let answer = self.run(
                token,
                "query ($filter: ModelNoteFilterInput, $limit: Int, $next: String) { listNotes(filter: $filter, limit: $limit, nextToken: $next) { items { title } nextToken } }",
                json!({"filter": filter, "limit": limit, "next": next}),
            );
            let page = &answer["data"]["listNotes"];
            assert!(page.is_object(), "{answer}");
            pages += 1;
            for item in page["items"].as_array().unwrap() {
                titles.push(item["title"].as_str().unwrap().to_owned());
            }
            next = page["nextToken"].clone();
            if next.is_null() || pages > 50 {
                break;
            }
        }
        titles.sort();
        (titles, pages)
    }
}

fn error_type(answer: &Value) -> String {
    answer["errors"][0]["errorType"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {answer}"))
        .to_owned()
}

#[test]
fn model_operations_run_and_owner_rules_hold_in_the_resolvers() {
    let emulator = Emulator::start();
    let scratch = Scratch::generated(
        "models",
        &[
            ("src/main.rs", BACKEND.to_owned()),
            ("schema.graphql", SCHEMA.to_owned()),
        ],
    );
    ok(&scratch.amplify(&emulator, &["init", "--env", "dev", "--yes"]));
    ok(&scratch.amplify(&emulator, &["push", "--yes"]));
    let outputs = scratch.json("amplify_outputs.json");
    let endpoint = outputs["data"]["url"].as_str().unwrap();
    let api = Api {
        port: emulator.port(),
        host: endpoint
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap()
            .to_owned(),
        key: outputs["data"]["api_key"].as_str().unwrap().to_owned(),
    };
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let users = &meta["auth"]["Users"]["output"];
    let pool = users["UserPoolId"].as_str().unwrap();
    let client = users["AppClientID"].as_str().unwrap();
    assert!(
        meta["api"]["Notes"]["output"]["GetAttNoteTableName"]
            .as_str()
            .is_some_and(|t| t.starts_with("Note-")),
        "{meta}"
    );
    let alice = sign_in(emulator.port(), pool, client, "alice@example.com");
    let bob = sign_in(emulator.port(), pool, client, "bob@example.com");

    let first = api.create(&alice, "a1", 1);
    api.create(&alice, "a2", 2);
    api.create(&alice, "a3", 3);
    let bobs = api.create(&bob, "b1", 5);

    // A user lists their own notes; the filter narrows them; pages follow nextToken.
    let (mine, _) = api.list_all(Some(&alice), Value::Null, 100);
    assert_eq!(mine, ["a1", "a2", "a3"]);
    let (starred, _) = api.list_all(Some(&alice), json!({"stars": {"ge": 2}}), 100);
    assert_eq!(starred, ["a2", "a3"]);
    let (paged, pages) = api.list_all(Some(&alice), Value::Null, 1);
    assert_eq!(paged, ["a1", "a2", "a3"]);
    assert!(pages >= 3, "one item a page: {pages} pages");
    // The API key reads everyone's (public read), and cannot write.
    let (all, _) = api.list_all(
        None,
        json!({"or": [{"title": {"beginsWith": "a"}}, {"stars": {"eq": 5}}]}),
        100,
    );
    assert_eq!(all, ["a1", "a2", "a3", "b1"]);
    let refused = api.run(
        None,
        "mutation { createNote(input: {title: \"anon\"}) { id } }",
        Value::Null,
    );
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");

    // Another user can neither read, update nor delete the owner's note.
    let get = "query ($id: ID!) { getNote(id: $id) { id title } }";
    let read = api.run(Some(&bob), get, json!({"id": first}));
    assert_eq!(error_type(&read), "Unauthorized", "{read}");
    let update = "mutation ($input: UpdateNoteInput!) { updateNote(input: $input) { id title updatedAt createdAt } }";
    let hacked = api.run(
        Some(&bob),
        update,
        json!({"input": {"id": first, "title": "hacked"}}),
    );
    assert_eq!(error_type(&hacked), "Unauthorized", "{hacked}");
    let delete = "mutation ($input: DeleteNoteInput!) { deleteNote(input: $input) { id title } }";
    let removed = api.run(Some(&bob), delete, json!({"input": {"id": first}}));
    assert_eq!(error_type(&removed), "Unauthorized", "{removed}");

    // The owner can; the condition input is honoured.
    let updated = api.run(
        Some(&alice),
        update,
        json!({"input": {"id": first, "title": "a1 edited"}}),
    );
    assert_eq!(
        updated["data"]["updateNote"]["title"], "a1 edited",
        "{updated}"
    );
    let conditioned = api.run(
        Some(&alice),
        "mutation ($input: UpdateNoteInput!, $c: ModelNoteConditionInput) { updateNote(input: $input, condition: $c) { id } }",
        json!({"input": {"id": first, "stars": 9}, "c": {"stars": {"gt": 100}}}),
    );
    // A failed condition on an owner's write is refused as a whole (ownership and the
    // condition are one DynamoDB condition), and nothing changes.
    assert_eq!(error_type(&conditioned), "Unauthorized", "{conditioned}");
    let unchanged = api.run(
        Some(&alice),
        "query ($id: ID!) { getNote(id: $id) { stars } }",
        json!({"id": first}),
    );
    assert_eq!(unchanged["data"]["getNote"]["stars"], 1, "{unchanged}");
    let gone = api.run(Some(&alice), delete, json!({"input": {"id": first}}));
    assert_eq!(gone["data"]["deleteNote"]["title"], "a1 edited", "{gone}");
    let after = api.run(None, get, json!({"id": first}));
    assert!(after["data"]["getNote"].is_null(), "{after}");
    // Bob still reads his own.
    let own = api.run(Some(&bob), get, json!({"id": bobs}));
    assert_eq!(own["data"]["getNote"]["title"], "b1", "{own}");
}
