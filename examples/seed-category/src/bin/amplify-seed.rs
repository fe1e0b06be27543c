//! `amplify-seed`: the program of `#[seeded_table]`'s post-deploy action. `cargo amplify
//! push` runs it with the environment's AWS settings and the action's payload on
//! standard input (`inputs.table`, `inputs.partitionKey`, `inputs.items`: the seed
//! file's text, a JSON array of objects); it writes every item and prints
//! `{"written": n}`.

use std::io::Read;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("amplify-seed: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the payload: {e}"))?;
    let payload: Value =
        serde_json::from_str(&input).map_err(|e| format!("the payload is not JSON: {e}"))?;
    let inputs = &payload["inputs"];
    let table = inputs["table"].as_str().ok_or("no `table` input")?;
    let key = inputs["partitionKey"]
        .as_str()
        .ok_or("no `partitionKey` input")?;
    let items: Vec<Value> = serde_json::from_str(inputs["items"].as_str().unwrap_or("null"))
        .map_err(|e| format!("the seed file is not a JSON array of objects: {e}"))?;

    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_config::from_env().http_client(http).load().await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    for (i, item) in items.iter().enumerate() {
        let Some(fields) = item.as_object() else {
            return Err(format!("item {i} is not an object"));
        };
        if !fields.get(key).is_some_and(Value::is_string) {
            return Err(format!(
                "item {i} has no string `{key}` (the partition key)"
            ));
        }
        client
            .put_item()
            .table_name(table)
            .set_item(Some(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), attribute(v)))
                    .collect(),
            ))
            .send()
            .await
            .map_err(|e| format!("cannot write item {i} to `{table}`: {}", error_chain(&e)))?;
    }
    println!("{}", serde_json::json!({ "written": items.len() }));
    Ok(())
}

/// A JSON value as a DynamoDB attribute.
fn attribute(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(items) => AttributeValue::L(items.iter().map(attribute).collect()),
        Value::Object(fields) => AttributeValue::M(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), attribute(v)))
                .collect(),
        ),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
