//! `@model` types on the local cloud: the generated queries and mutations create, list
//! with a filter and pagination, update and delete items of the model's table, and its
//! `@auth` rules hold in the resolvers — another signed-in user cannot update, delete or
//! read the owner's item, and the API key only reads. Relations (`@hasMany` /
//! `@belongsTo`), `@index` query fields, `@primaryKey` with a sort key, `@default` and
//! group rules, on a second backend.

mod common;

use common::{cognito, ok, post_json as post, Cloud, Emulator, Scratch};
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

    /// Counts the notes by reading their table directly: Amplify's variables
    /// `API_NOTES_NOTETABLE_NAME` / `_ARN` and a policy on that table only.
    #[function(runtime = node(code = "functions/count"), grant(Notes::Note = [read]))]
    pub struct CountNotes;
}

fn main() {}
"#;

const COUNT: &str = r#"const { DynamoDBClient, ScanCommand } = require("@aws-sdk/client-dynamodb");

exports.handler = async () => {
  const table = process.env.API_NOTES_NOTETABLE_NAME;
  const out = await new DynamoDBClient({}).send(new ScanCommand({ TableName: table, Select: "COUNT" }));
  return { table, arn: process.env.API_NOTES_NOTETABLE_ARN, count: out.Count };
};
"#;

const SCHEMA: &str = r#"# Anyone with the API key reads; signed-in users write their own notes.
type Note @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  title: String!
  stars: Int
}
"#;

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

/// Pushes `backend` with `schema` to the emulator: the scratch crate, its API, and the
/// user pool's id and app client.
fn deploy(
    emulator: &Emulator,
    name: &str,
    backend: &str,
    schema: &str,
) -> (Scratch, Api, String, String) {
    let scratch = Scratch::generated(
        name,
        &[
            ("src/main.rs", backend.to_owned()),
            ("schema.graphql", schema.to_owned()),
            ("functions/count/index.js", COUNT.to_owned()),
        ],
    );
    ok(&scratch.amplify(emulator, &["init", "--env", "dev", "--yes"]));
    ok(&scratch.amplify(emulator, &["push", "--yes"]));
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
    let pool = users["UserPoolId"].as_str().unwrap().to_owned();
    let client = users["AppClientID"].as_str().unwrap().to_owned();
    (scratch, api, pool, client)
}

#[test]
fn model_operations_run_and_owner_rules_hold_in_the_resolvers() {
    let emulator = Emulator::start();
    let (scratch, api, pool, client) = deploy(&emulator, "models", BACKEND, SCHEMA);
    let (pool, client) = (pool.as_str(), client.as_str());
    let meta = scratch.json("amplify/backend/amplify-meta.json");
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

    // A function granted the model's table reads it directly.
    let counted = post(
        emulator.port(),
        "/2015-03-31/functions/CountNotes-dev/invocations",
        &[
            ("Host", &format!("127.0.0.1:{}", emulator.port())),
            ("content-type", "application/json"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &json!({}),
    );
    assert_eq!(counted["count"], 4, "{counted}");
    assert!(
        counted["table"]
            .as_str()
            .is_some_and(|t| t.starts_with("Note-"))
            && counted["arn"]
                .as_str()
                .is_some_and(|a| a.contains(":table/Note-")),
        "{counted}"
    );

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

const BLOG_BACKEND: &str = r#"#[amplify::backend]
pub mod backend {
    #[auth(sign_in = [email], groups = [Editors])]
    pub struct Users;

    #[api(
        schema = "schema.graphql",
        auth = api_key(expires_in_days = 7),
        additional_auth = [user_pool(Users)],
    )]
    pub struct Blog;
}

fn main() {}
"#;

const BLOG_SCHEMA: &str = r#"enum Status { DRAFT PUBLISHED }

# Anyone reads; authors write their own posts; editors may change or remove any.
type Post @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }, { allow: groups, groups: ["Editors"], operations: [read, update, delete] }]) {
  title: String!
  status: Status @default(value: "DRAFT")
  draftNotes: String @auth(rules: [{ allow: owner }])
  slug: String! @index(name: "bySlug", queryField: "postBySlug")
  comments: [Comment] @hasMany
  tags: [Tag] @manyToMany(relationName: "PostTags")
}

type Tag @model @auth(rules: [{ allow: public, operations: [read] }, { allow: private }]) {
  label: String!
  posts: [Post] @manyToMany(relationName: "PostTags")
}

type Comment @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  post: Post @belongsTo
  text: String!
}

type Score @model @auth(rules: [{ allow: public }]) {
  game: String! @primaryKey(sortKeyFields: ["points"])
  points: Int!
}
"#;

/// Adds the user `email` to the user pool group `group`.
fn join_group(port: u16, pool: &str, email: &str, group: &str) {
    cognito(
        port,
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool, "Username": email, "GroupName": group}),
    );
}

#[test]
fn relations_indexes_keys_defaults_and_group_rules_run_in_the_resolvers() {
    let emulator = Emulator::start();
    let port = emulator.port();
    let (_scratch, api, pool, client) = deploy(&emulator, "models-blog", BLOG_BACKEND, BLOG_SCHEMA);
    let alice = sign_in(port, &pool, &client, "alice@example.com");
    let bob = sign_in(port, &pool, &client, "bob@example.com");
    sign_in(port, &pool, &client, "carol@example.com");
    join_group(port, &pool, "carol@example.com", "Editors");
    // Signed in again after joining, so the token carries the group.
    let carol = cognito(
        port,
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "carol@example.com", "PASSWORD": "Notes-Passw0rd!"}}),
    )["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned();

    // `@default` fills the status; the relation's key field is an input of the comment.
    let post = api.run(
        Some(&alice),
        "mutation { createPost(input: {title: \"Hello\", slug: \"hello\"}) { id status owner } }",
        Value::Null,
    );
    assert_eq!(post["data"]["createPost"]["status"], "DRAFT", "{post}");
    let post_id = post["data"]["createPost"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for text in ["first", "second", "third"] {
        let c = api.run(
            Some(&bob),
            "mutation ($input: CreateCommentInput!) { createComment(input: $input) { id postCommentsId } }",
            json!({"input": {"text": text, "postCommentsId": post_id}}),
        );
        assert_eq!(
            c["data"]["createComment"]["postCommentsId"],
            post_id.as_str(),
            "{c}"
        );
    }

    // Navigating: the post's comments page by page, each comment back to its post.
    let nested = "query ($id: ID!, $next: String) { getPost(id: $id) { title comments(limit: 2, nextToken: $next) { items { text post { title } } nextToken } } }";
    let first_page = api.run(None, nested, json!({"id": post_id}));
    let comments = &first_page["data"]["getPost"]["comments"];
    assert_eq!(
        comments["items"].as_array().map(Vec::len),
        Some(2),
        "{first_page}"
    );
    assert_eq!(
        comments["items"][0]["post"]["title"], "Hello",
        "{first_page}"
    );
    let next = comments["nextToken"].clone();
    assert!(next.is_string(), "{first_page}");
    let second_page = api.run(None, nested, json!({"id": post_id, "next": next}));
    let rest = &second_page["data"]["getPost"]["comments"]["items"];
    assert_eq!(rest.as_array().map(Vec::len), Some(1), "{second_page}");

    // The index query field.
    let by_slug = api.run(
        None,
        "query { postBySlug(slug: \"hello\") { items { id title } } }",
        Value::Null,
    );
    assert_eq!(
        by_slug["data"]["postBySlug"]["items"][0]["id"],
        post_id.as_str(),
        "{by_slug}"
    );

    // Many to many: a tag links to the post through the join model `PostTags`, and each
    // side reaches the other through it.
    let tag = api.run(
        Some(&bob),
        "mutation { createTag(input: {label: \"rust\"}) { id } }",
        Value::Null,
    );
    let tag_id = tag["data"]["createTag"]["id"].as_str().unwrap().to_owned();
    let link = api.run(
        Some(&alice),
        "mutation ($input: CreatePostTagsInput!) { createPostTags(input: $input) { id postId tagId } }",
        json!({"input": {"postId": post_id, "tagId": tag_id}}),
    );
    assert_eq!(
        link["data"]["createPostTags"]["tagId"],
        tag_id.as_str(),
        "{link}"
    );
    let tagged = api.run(
        None,
        "query ($id: ID!) { getPost(id: $id) { tags { items { tag { label posts { items { post { title } } } } } } } }",
        json!({"id": post_id}),
    );
    let via = &tagged["data"]["getPost"]["tags"]["items"][0]["tag"];
    assert_eq!(via["label"], "rust", "{tagged}");
    assert_eq!(
        via["posts"]["items"][0]["post"]["title"], "Hello",
        "{tagged}"
    );

    // A field with its own rules: only the author reads or writes the draft notes.
    let notes = "mutation ($input: UpdatePostInput!) { updatePost(input: $input) { id } }";
    let refused = api.run(
        Some(&carol),
        notes,
        json!({"input": {"id": post_id, "draftNotes": "an editor's"}}),
    );
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
    let written = api.run(
        Some(&alice),
        notes,
        json!({"input": {"id": post_id, "draftNotes": "mine"}}),
    );
    assert!(written["data"]["updatePost"]["id"].is_string(), "{written}");
    let read_notes = "query ($id: ID!) { getPost(id: $id) { title draftNotes } }";
    let own = api.run(Some(&alice), read_notes, json!({"id": post_id}));
    assert_eq!(own["data"]["getPost"]["draftNotes"], "mine", "{own}");
    let other = api.run(Some(&bob), read_notes, json!({"id": post_id}));
    assert_eq!(error_type(&other), "Unauthorized", "{other}");
    let guest = api.run(None, read_notes, json!({"id": post_id}));
    assert!(
        guest["errors"].is_array(),
        "the API key may not select it: {guest}"
    );

    // A static group rule: an editor changes the author's post, another user cannot.
    let publish = "mutation ($input: UpdatePostInput!) { updatePost(input: $input) { status } }";
    let input = json!({"input": {"id": post_id, "status": "PUBLISHED"}});
    let refused = api.run(Some(&bob), publish, input.clone());
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
    let published = api.run(Some(&carol), publish, input);
    assert_eq!(
        published["data"]["updatePost"]["status"], "PUBLISHED",
        "{published}"
    );
    let create = api.run(
        Some(&carol),
        "mutation { createPost(input: {title: \"x\", slug: \"x\", owner: \"someone-else\"}) { id } }",
        Value::Null,
    );
    assert_eq!(
        error_type(&create),
        "Unauthorized",
        "editors may not create for others: {create}"
    );

    // A sort key: get by the whole key, list one partition with a key condition, newest first.
    let add = "mutation ($input: CreateScoreInput!) { createScore(input: $input) { game points } }";
    for (game, points) in [("chess", 1), ("chess", 5), ("chess", 9), ("go", 7)] {
        let s = api.run(
            None,
            add,
            json!({"input": {"game": game, "points": points}}),
        );
        assert_eq!(s["data"]["createScore"]["points"], points, "{s}");
    }
    let again = api.run(None, add, json!({"input": {"game": "chess", "points": 5}}));
    assert_eq!(
        error_type(&again),
        "DynamoDB:ConditionalCheckFailedException",
        "the key is taken: {again}"
    );
    let top = api.run(
        None,
        "query { listScores(game: \"chess\", points: {ge: 5}, sortDirection: DESC) { items { points } } }",
        Value::Null,
    );
    assert_eq!(
        top["data"]["listScores"]["items"],
        json!([{"points": 9}, {"points": 5}]),
        "{top}"
    );
    let one = api.run(
        None,
        "query { getScore(game: \"go\", points: 7) { game } }",
        Value::Null,
    );
    assert_eq!(one["data"]["getScore"]["game"], "go", "{one}");
}

/// Model changes CloudFormation cannot make in one update are refused before anything
/// is uploaded; one index is an update that keeps the items; a renamed model is said to
/// delete its table.
#[test]
fn model_changes_deploy_safely() {
    let emulator = Emulator::start();
    let (scratch, api, _, _) = deploy(&emulator, "models-changes", BACKEND, SCHEMA);
    let alice_note = "mutation { createNote(input: {title: \"kept\"}) { id } }";
    // Written with the API key is refused (public reads only): write through a user.
    let meta = scratch.json("amplify/backend/amplify-meta.json");
    let users = &meta["auth"]["Users"]["output"];
    let pool = users["UserPoolId"].as_str().unwrap();
    let client = users["AppClientID"].as_str().unwrap();
    let alice = sign_in(emulator.port(), pool, client, "alice@example.com");
    let created = api.run(Some(&alice), alice_note, Value::Null);
    assert!(created["data"]["createNote"]["id"].is_string(), "{created}");
    let schema = scratch.crate_dir().join("schema.graphql");

    // Two new indexes on one table: DynamoDB takes one per table update, so the push
    // deploys in two steps, one index each, and the note is found through both.
    common::edit(
        &schema,
        "  title: String!\n  stars: Int\n",
        "  title: String! @index(name: \"byTitle\", queryField: \"notesByTitle\")\n  stars: Int @index(name: \"byStars\", queryField: \"notesByStars\")\n",
    );
    let status = scratch.amplify(&emulator, &["status", "--json"]);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        status["deploymentSteps"],
        json!([["table `NoteTable` of api Notes adds `byStars`"]]),
        "{status}"
    );
    let text =
        String::from_utf8_lossy(&scratch.amplify(&emulator, &["status"]).stdout).into_owned();
    assert!(text.contains("this push deploys in 2 steps"), "{text}");
    let out = scratch.amplify(&emulator, &["push", "--yes", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Deployment 1 of 2: table `NoteTable` of api Notes adds `byStars`")
            && stderr.contains("Deployment 2 of 2: the rest of the push"),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let deployed: Vec<&Value> = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["phase"] == "deployed")
        .collect();
    assert_eq!(deployed.len(), 2, "{report}");
    assert!(
        deployed.iter().all(|p| p["status"] == "UPDATE_COMPLETE"),
        "{report}"
    );
    // The first step's template, in the bucket under its own key, had one index.
    let step_key = report["uploaded"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|k| k.contains("-step1-") && k.ends_with("stacks/Note.json"))
        .unwrap_or_else(|| panic!("no step template uploaded: {report}"))
        .to_owned();
    let bucket = scratch.json("amplify/team-provider-info.json")["dev"]["awscloudformation"]
        ["DeploymentBucketName"]
        .as_str()
        .unwrap()
        .to_owned();
    let step: Value =
        serde_json::from_slice(&Cloud::new(&emulator).object(&bucket, &step_key)).unwrap();
    let indexes = &step["Resources"]["NoteTable"]["Properties"]["GlobalSecondaryIndexes"];
    assert_eq!(indexes.as_array().map(Vec::len), Some(1), "{indexes}");
    assert_eq!(indexes[0]["IndexName"], "byStars");
    for query in [
        "query { notesByTitle(title: \"kept\") { items { title } } }",
        "query { notesByStars(stars: 3) { items { title } } }",
    ] {
        let found = api.run(None, query, Value::Null);
        assert!(found.get("errors").is_none(), "{query}: {found}");
    }
    let found = api.run(
        None,
        "query { notesByTitle(title: \"kept\") { items { title } } }",
        Value::Null,
    );
    assert_eq!(
        found["data"]["notesByTitle"]["items"][0]["title"], "kept",
        "{found}"
    );
    // Nothing is left to do, and no step is planned again.
    let again = scratch.amplify(&emulator, &["status", "--json"]);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["deploymentSteps"], json!([]), "{again}");

    // A renamed model is a new table: the old one would go with its items, so the push
    // is refused (nothing deployed) until the table is named with --allow-replace.
    common::edit(&schema, "type Note @model", "type Memo @model");
    // (The function's grant names the model: a stale name is a compile error.)
    common::edit(
        &scratch.crate_dir().join("src/main.rs"),
        "grant(Notes::Note",
        "grant(Notes::Memo",
    );
    let before = scratch.state_snapshot();
    let refused = scratch.amplify(&emulator, &["push", "--yes"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("this push would lose the items of 1 table(s)")
            && stderr.contains("table `NoteTable` of api Notes: no longer declared")
            && stderr.contains("`--allow-replace NoteTable`"),
        "{stderr}"
    );
    assert_eq!(
        scratch.state_snapshot(),
        before,
        "a refused push changes nothing"
    );
    let renamed = scratch.amplify(
        &emulator,
        &["push", "--yes", "--allow-replace", "NoteTable"],
    );
    let stderr = String::from_utf8_lossy(&renamed.stderr);
    assert!(renamed.status.success(), "{stderr}");
    assert!(
        stderr.contains("Warning: table `NoteTable` of api Notes: no longer declared: the push deletes it and every item in it"),
        "{stderr}"
    );
}
