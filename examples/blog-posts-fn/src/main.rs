//! The blog's resolver function, deployed as the `provided.al2023` `bootstrap` binary
//! (`cargo amplify push` builds it with cargo-zigbuild against Amazon Linux 2023's glibc
//! for AWS, and for this host when the local cloud runs it).
//!
//! AppSync calls it directly (the direct-Lambda event: `info.fieldName`, `arguments`,
//! `identity`, read through the types `#[amplify::resolvers]` generates from the schema)
//! for `createPost` and `listPosts`; posts live in the table the function is
//! granted (`grant(PostTable = [read, write])` gives `STORAGE_POSTTABLE_NAME`). The author
//! of a post is the signed-in caller, never a client-supplied value.

use std::collections::HashMap;

use amplify::lambda::Identity;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use lambda_runtime::{service_fn, Error, LambdaEvent};

/// The variable Amplify names after the granted table's `Name` output.
const TABLE_VAR: &str = "STORAGE_POSTTABLE_NAME";

/// The blog API's schema, typed: `Post`, `PostInput`, the arguments of each field, and
/// `Call`, which reads AppSync's event into the field it calls. A schema change that
/// breaks this function is a compile error here.
#[amplify::resolvers(schema = "../blog/schema.graphql")]
mod api {}

use api::{answers, Call, Post, PostInput};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let table = std::env::var(TABLE_VAR)
        .map_err(|_| format!("{TABLE_VAR} is not set: grant this function the posts table"))?;
    // rustls with ring, as the rest of amplify-rs: no C toolchain beyond what zig gives.
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await;
    let db = Client::new(&config);
    let (db, table) = (&db, table.as_str());
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let request_id = event.context.request_id.clone();
        async move {
            let call = Call::from_event(event.payload)?;
            resolve(db, table, call, &request_id).await
        }
    }))
    .await
}

async fn resolve(
    db: &Client,
    table: &str,
    call: Call,
    request_id: &str,
) -> Result<serde_json::Value, Error> {
    match call {
        Call::CreatePost(event) => {
            let post = new_post(event.arguments.post, event.identity.as_ref(), request_id);
            db.put_item()
                .table_name(table)
                .set_item(Some(to_item(&post)))
                .send()
                .await?;
            let answer: answers::CreatePost = Some(post);
            Ok(serde_json::to_value(answer)?)
        }
        Call::ListPosts(_) => {
            let posts = scan(db, table).await?;
            let answer: answers::ListPosts = Some(posts.into_iter().map(Some).collect());
            Ok(serde_json::to_value(answer)?)
        }
        Call::GetPost(_) => Err("`getPost` is the table's JS resolver, not this function".into()),
    }
}

/// The stored post: the caller is its author; the invocation's request id is a fresh,
/// unique id when the client gave none.
fn new_post(input: PostInput, identity: Option<&Identity>, request_id: &str) -> Post {
    let author = identity.and_then(|i| i.username.clone().or_else(|| i.sub.clone()));
    Post {
        id: input.id.unwrap_or_else(|| request_id.to_owned()),
        title: input.title,
        content: input.content,
        author,
    }
}

async fn scan(db: &Client, table: &str) -> Result<Vec<Post>, Error> {
    let mut posts = Vec::new();
    let mut start = None;
    loop {
        let page = db
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .send()
            .await?;
        posts.extend(page.items().iter().filter_map(from_item));
        start = page.last_evaluated_key;
        if start.is_none() {
            return Ok(posts);
        }
    }
}

fn to_item(post: &Post) -> HashMap<String, AttributeValue> {
    let mut item = HashMap::from([
        ("id".to_owned(), AttributeValue::S(post.id.clone())),
        ("title".to_owned(), AttributeValue::S(post.title.clone())),
        (
            "content".to_owned(),
            AttributeValue::S(post.content.clone()),
        ),
    ]);
    if let Some(author) = &post.author {
        item.insert("author".to_owned(), AttributeValue::S(author.clone()));
    }
    item
}

/// A stored item as a post; items missing a required attribute are skipped.
fn from_item(item: &HashMap<String, AttributeValue>) -> Option<Post> {
    let text = |key: &str| item.get(key)?.as_s().ok().cloned();
    Some(Post {
        id: text("id")?,
        title: text("title")?,
        content: text("content")?,
        author: text("author"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_is_the_caller_not_the_client() {
        let call = Call::from_event(serde_json::json!({
            "info": { "fieldName": "createPost", "parentTypeName": "Mutation" },
            "arguments": { "post": { "title": "T", "content": "C", "author": "mallory" } },
            "identity": { "sub": "1234", "username": "alice" },
        }))
        .unwrap();
        let Call::CreatePost(event) = call else {
            panic!("not createPost: {call:?}");
        };
        let post = new_post(event.arguments.post, event.identity.as_ref(), "req-1");
        assert_eq!(post.author.as_deref(), Some("alice"));
        assert_eq!(post.id, "req-1", "no id given: the request id");
    }

    #[test]
    fn an_event_that_breaks_the_schema_is_an_error_naming_the_field() {
        let missing = Call::from_event(serde_json::json!({
            "info": { "fieldName": "createPost", "parentTypeName": "Mutation" },
            "arguments": {},
        }))
        .unwrap_err();
        assert!(
            missing.to_string().contains("`Mutation.createPost`"),
            "{missing}"
        );
        let unknown = Call::from_event(serde_json::json!({
            "info": { "fieldName": "deletePost", "parentTypeName": "Mutation" },
            "arguments": {},
        }))
        .unwrap_err();
        assert!(
            unknown.to_string().contains("`Mutation.deletePost`"),
            "{unknown}"
        );
    }

    #[test]
    fn items_round_trip_and_incomplete_ones_are_skipped() {
        let post = Post {
            id: "p1".into(),
            title: "Hello".into(),
            content: "World".into(),
            author: None,
        };
        assert_eq!(from_item(&to_item(&post)), Some(post.clone()));
        let mut broken = to_item(&post);
        broken.remove("title");
        assert_eq!(from_item(&broken), None);
    }

    #[test]
    fn a_list_answer_is_a_json_array() {
        let answer: answers::ListPosts = Some(vec![]);
        assert_eq!(serde_json::to_value(answer).unwrap(), serde_json::json!([]));
    }
}
