//! The blog's resolver function, deployed as the `provided.al2023` `bootstrap` binary.
//!
//! It speaks the Lambda runtime API (plain HTTP on `AWS_LAMBDA_RUNTIME_API`) and answers
//! AppSync direct-Lambda events by field name. Storage in `STORAGE_POSTTABLE_NAME` is
//! not wired in yet: `createPost` echoes the post with an id, `listPosts` returns the
//! posts created by this instance.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};

fn main() {
    let Ok(api) = std::env::var("AWS_LAMBDA_RUNTIME_API") else {
        eprintln!("blog-posts-fn: AWS_LAMBDA_RUNTIME_API is not set; run me inside AWS Lambda");
        std::process::exit(2);
    };
    let mut posts: Vec<Value> = Vec::new();
    loop {
        let (request_id, event) = match next_invocation(&api) {
            Ok(next) => next,
            Err(e) => {
                eprintln!("blog-posts-fn: cannot fetch the next invocation: {e}");
                std::process::exit(1);
            }
        };
        let (path, body) = match handle(&event, &mut posts) {
            Ok(result) => (
                format!("/2018-06-01/runtime/invocation/{request_id}/response"),
                result,
            ),
            Err(message) => (
                format!("/2018-06-01/runtime/invocation/{request_id}/error"),
                json!({ "errorMessage": message, "errorType": "ResolverError" }),
            ),
        };
        if let Err(e) = http(&api, "POST", &path, Some(&body.to_string())) {
            eprintln!("blog-posts-fn: cannot post the result: {e}");
        }
    }
}

/// Answers one AppSync direct-Lambda event.
fn handle(event: &Value, posts: &mut Vec<Value>) -> Result<Value, String> {
    let field = event["info"]["fieldName"].as_str().unwrap_or_default();
    match field {
        "listPosts" => Ok(Value::Array(posts.clone())),
        "createPost" => {
            let input = &event["arguments"]["post"];
            let title = input["title"]
                .as_str()
                .ok_or("createPost needs post.title")?;
            let content = input["content"]
                .as_str()
                .ok_or("createPost needs post.content")?;
            let id = input["id"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("post-{}", posts.len() + 1));
            let post = json!({ "id": id, "title": title, "content": content });
            posts.push(post.clone());
            Ok(post)
        }
        other => Err(format!("no resolver for field `{other}`")),
    }
}

fn next_invocation(api: &str) -> std::io::Result<(String, Value)> {
    let (headers, body) = http(api, "GET", "/2018-06-01/runtime/invocation/next", None)?;
    let id = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("lambda-runtime-aws-request-id"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let event = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok((id, event))
}

/// Response headers and body.
type Response = (Vec<(String, String)>, Vec<u8>);

/// A minimal HTTP/1.1 exchange with the local runtime API.
fn http(api: &str, method: &str, path: &str, body: Option<&str>) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(api)?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {api}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    Ok((headers, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_posts_are_listed() {
        let mut posts = Vec::new();
        let created = handle(
            &json!({"info": {"fieldName": "createPost"}, "arguments": {"post": {"title": "t", "content": "c"}}}),
            &mut posts,
        )
        .unwrap();
        assert_eq!(created["id"], "post-1");
        let listed = handle(&json!({"info": {"fieldName": "listPosts"}}), &mut posts).unwrap();
        assert_eq!(
            listed,
            json!([{"id": "post-1", "title": "t", "content": "c"}])
        );
        assert!(handle(&json!({"info": {"fieldName": "nope"}}), &mut posts).is_err());
    }
}
