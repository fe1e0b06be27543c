//! `cargo amplify notifications-channels`: the post-deploy action of `#[notifications]`
//! push channels, run by `push` as any category's program is (the action's payload on
//! standard input, the result printed as JSON). It configures APNs and FCM on the
//! environment's End User Messaging project with the credentials push read from the
//! declared variables — SigV4-signed `UpdateApnsChannel` / `UpdateApnsSandboxChannel` /
//! `UpdateGcmChannel` calls (service `mobiletargeting`) — and prints the channels' state,
//! which push keeps as the action's result.

use std::io::Read;

use amplify_build::plan::ActionPayload;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::cli::aws::{self, AwsSettings};
use crate::cli::error::{CliError, Kind, Result};

/// The APNs settings the declaration gives (the token key comes separately, secret).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApnsSettings {
    bundle_id: String,
    team_id: String,
    token_key_id: String,
    #[serde(default)]
    sandbox: bool,
}

/// One channel's state after the call, as the result records it.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct ChannelState {
    platform: String,
    enabled: bool,
    last_modified: Option<String>,
}

/// Runs the action: reads the payload, configures each declared platform.
pub async fn channels(settings: &AwsSettings) -> Result<u8> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| {
        CliError::new(
            Kind::Other,
            format!("cannot read the action's payload: {e}"),
        )
    })?;
    let payload: ActionPayload = serde_json::from_str(&input).map_err(|e| {
        CliError::input(format!("the action's payload is not what push sends: {e}"))
            .help("this command is run by `cargo amplify push` for `#[notifications]` push channels, not by hand")
    })?;
    let aws = aws::connect(settings).await?;
    let credentials = aws.resolved_credentials().await?;
    let base = aws
        .endpoint
        .clone()
        .unwrap_or_else(|| format!("https://pinpoint.{}.amazonaws.com", aws.region));
    let client = Pinpoint::new(base, &aws.region, credentials);
    let result = configure(&client, &payload).await?;
    println!("{}", serde_json::to_string(&result).expect("JSON"));
    Ok(0)
}

/// The project (created the first time; its id is kept in the result), the calls for the
/// payload's platforms, and the result to keep: the channels' state, and the project as
/// the resource's `Id` and `Name` outputs.
async fn configure(client: &Pinpoint, payload: &ActionPayload) -> Result<Value> {
    let input = |name: &str| payload.inputs.get(name).filter(|v| !v.is_null());
    let project = input("projectName")
        .and_then(Value::as_str)
        .ok_or_else(|| CliError::input("the action's payload has no `projectName`"))?;
    let name = format!("{project}-{}", payload.environment);
    let kept = payload
        .previous
        .as_ref()
        .and_then(|p| p["outputs"]["Id"].as_str())
        .map(ToOwned::to_owned);
    let app = match kept {
        Some(id) => id,
        None => client.create_project(&name).await?,
    };
    let app = app.as_str();
    let mut result = serde_json::Map::new();
    result.insert("outputs".into(), json!({ "Id": app, "Name": name }));
    if let Some(apns) = input("apns") {
        let apns: ApnsSettings = serde_json::from_value(apns.clone())
            .map_err(|e| CliError::input(format!("the action's `apns` input: {e}")))?;
        let key = input("apnsTokenKey")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let channel = if apns.sandbox { "apns_sandbox" } else { "apns" };
        let body = json!({
            "BundleId": apns.bundle_id,
            "TeamId": apns.team_id,
            "TokenKeyId": apns.token_key_id,
            "TokenKey": key,
            "DefaultAuthenticationMethod": "TOKEN",
            "Enabled": true,
        });
        let state = client.update_channel(app, channel, &body).await?;
        result.insert("apns".into(), serde_json::to_value(state).expect("JSON"));
    }
    if let Some(service_json) = input("fcmServiceJson").and_then(Value::as_str) {
        let body = json!({
            "ServiceJson": service_json,
            "DefaultAuthenticationMethod": "TOKEN",
            "Enabled": true,
        });
        let state = client.update_channel(app, "gcm", &body).await?;
        result.insert("fcm".into(), serde_json::to_value(state).expect("JSON"));
    }
    Ok(Value::Object(result))
}

/// The End User Messaging (Pinpoint) REST API.
struct Pinpoint {
    base: String,
    region: String,
    credentials: aws_credential_types::Credentials,
    http: reqwest::Client,
}

impl Pinpoint {
    fn new(base: String, region: &str, credentials: aws_credential_types::Credentials) -> Self {
        crate::http::install_crypto_provider();
        Pinpoint {
            base,
            region: region.to_owned(),
            credentials,
            http: reqwest::Client::new(),
        }
    }

    /// `POST /v1/apps`: a new project named `name`; its id.
    async fn create_project(&self, name: &str) -> Result<String> {
        let what = format!("creating the push project `{name}`");
        let answer = self
            .call("POST", "/v1/apps", &json!({ "Name": name }), &what)
            .await?;
        answer["Id"]
            .as_str()
            .map(ToOwned::to_owned)
            .ok_or_else(|| CliError::new(Kind::Deploy, format!("{what} returned no id: {answer}")))
    }

    /// `PUT /v1/apps/{app}/channels/{channel}`.
    async fn update_channel(&self, app: &str, channel: &str, body: &Value) -> Result<ChannelState> {
        let what = format!("configuring the `{channel}` channel of project `{app}`");
        let path = format!("/v1/apps/{app}/channels/{channel}");
        let answer = self.call("PUT", &path, body, &what).await?;
        Ok(ChannelState {
            platform: answer["Platform"].as_str().unwrap_or(channel).to_owned(),
            enabled: answer["Enabled"].as_bool().unwrap_or(false),
            last_modified: answer["LastModifiedDate"].as_str().map(ToOwned::to_owned),
        })
    }

    /// One SigV4-signed call; its JSON answer, or an error saying `what` failed.
    async fn call(&self, method: &str, path: &str, body: &Value, what: &str) -> Result<Value> {
        let url = format!("{}{path}", self.base.trim_end_matches('/'));
        let bytes = serde_json::to_vec(body).expect("JSON");
        let headers = [("content-type", "application/json")];
        let request = crate::http::Signable {
            method,
            url: &url,
            headers: &headers,
            body: &bytes,
        };
        let signed =
            crate::http::sign(&self.credentials, &self.region, "mobiletargeting", &request)
                .map_err(|e| {
                    CliError::new(Kind::Other, format!("cannot sign the call to {url}: {e}"))
                })?;
        let verb = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid method");
        let mut call = self
            .http
            .request(verb, &url)
            .header("content-type", "application/json");
        for (name, value) in signed {
            call = call.header(name, value);
        }
        let failed = |e: String| {
            CliError::new(Kind::Deploy, format!("{what} failed: {e}"))
                .help("check the channel's credentials in the variables the declaration names, then push again; the stacks are deployed")
        };
        let response = call
            .body(bytes)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| failed(e.to_string()))?;
        if !status.is_success() {
            return Err(failed(format!("{status}: {text}")));
        }
        serde_json::from_str(&text).map_err(|e| failed(format!("unexpected answer ({e}): {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// What the stand-in service received: request line, headers, body.
    type Seen = Vec<(String, String, String)>;

    /// A stand-in for the End User Messaging API (MiniStack has none): answers `count`
    /// requests as the service does — `status` for channel updates — and hands back what
    /// it received.
    fn fake_pinpoint(
        count: usize,
        status: &'static str,
    ) -> (String, std::thread::JoinHandle<Seen>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for stream in listener.incoming().take(count) {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let mut headers = String::new();
                let mut length = 0;
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    if h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                    headers.push_str(&h);
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8(body).unwrap();
                let (code, answer) = if line.starts_with("POST /v1/apps ") {
                    ("200 OK", r#"{"Id":"app-1","Name":"Alerts-dev"}"#.to_owned())
                } else if status != "200 OK" {
                    (status, r#"{"Message":"Invalid token key"}"#.to_owned())
                } else {
                    let platform = if line.contains("/gcm ") {
                        "GCM"
                    } else {
                        "APNS_SANDBOX"
                    };
                    let answer = format!(
                        r#"{{"ApplicationId":"app-1","Enabled":true,"Platform":"{platform}","LastModifiedDate":"2026-12-01T00:00:00.000Z"}}"#
                    );
                    ("200 OK", answer)
                };
                write!(
                    stream,
                    "HTTP/1.1 {code}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                )
                .unwrap();
                seen.push((line.trim().to_owned(), headers, body));
            }
            seen
        });
        (base, handle)
    }

    fn payload(inputs: Value, previous: Value) -> ActionPayload {
        serde_json::from_value(json!({
            "environment": "dev", "region": "eu-west-1", "category": "notifications",
            "resource": "Alerts", "action": "push-channels", "inputs": inputs, "previous": previous
        }))
        .unwrap()
    }

    fn client(base: String) -> Pinpoint {
        let credentials =
            aws_credential_types::Credentials::new("AKIDTEST", "secret", None, None, "t");
        Pinpoint::new(base, "eu-west-1", credentials)
    }

    fn run(client: &Pinpoint, payload: &ActionPayload) -> Result<Value> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(configure(client, payload))
    }

    #[test]
    fn the_project_is_created_then_its_channels_configured_with_the_secrets() {
        let (base, server) = fake_pinpoint(3, "200 OK");
        let payload = payload(
            json!({
                "projectName": "Alerts",
                "apns": {"bundleId": "com.example.shop", "teamId": "ABCDE12345", "tokenKeyId": "KEY1234567", "sandbox": true},
                "apnsTokenKey": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
                "fcmServiceJson": "{\"type\":\"service_account\"}",
            }),
            Value::Null,
        );
        let result = run(&client(base), &payload).unwrap();
        let seen = server.join().unwrap();
        // First run: the project, named for the environment, becomes the `Id` output.
        assert_eq!(seen[0].0, "POST /v1/apps HTTP/1.1");
        assert_eq!(seen[0].2, r#"{"Name":"Alerts-dev"}"#);
        assert_eq!(
            result["outputs"],
            json!({"Id": "app-1", "Name": "Alerts-dev"})
        );
        assert_eq!(
            seen[1].0,
            "PUT /v1/apps/app-1/channels/apns_sandbox HTTP/1.1"
        );
        assert!(
            seen[1]
                .1
                .contains("/eu-west-1/mobiletargeting/aws4_request"),
            "signed for End User Messaging: {}",
            seen[1].1
        );
        let apns: Value = serde_json::from_str(&seen[1].2).unwrap();
        assert_eq!(
            apns["TokenKey"],
            "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"
        );
        assert_eq!(apns["BundleId"], "com.example.shop");
        assert_eq!(apns["DefaultAuthenticationMethod"], "TOKEN");
        assert_eq!(seen[2].0, "PUT /v1/apps/app-1/channels/gcm HTTP/1.1");
        let fcm: Value = serde_json::from_str(&seen[2].2).unwrap();
        assert_eq!(fcm["ServiceJson"], "{\"type\":\"service_account\"}");
        // The kept result has the channels' state and no secret.
        assert_eq!(result["apns"]["platform"], "APNS_SANDBOX");
        assert_eq!(result["fcm"]["enabled"], true);
        assert!(!result.to_string().contains("PRIVATE KEY"), "{result}");
    }

    #[test]
    fn a_later_run_keeps_its_project_and_a_refused_channel_fails_naming_it() {
        let (base, server) = fake_pinpoint(1, "400 Bad Request");
        let payload = payload(
            json!({
                "projectName": "Alerts",
                "apns": {"bundleId": "b", "teamId": "ABCDE12345", "tokenKeyId": "KEY1234567"},
                "apnsTokenKey": "bad",
            }),
            json!({"outputs": {"Id": "app-1", "Name": "Alerts-dev"}}),
        );
        let err = run(&client(base), &payload).unwrap_err();
        let seen = server.join().unwrap();
        assert_eq!(
            seen[0].0, "PUT /v1/apps/app-1/channels/apns HTTP/1.1",
            "no new project"
        );
        let text = err.to_string();
        assert!(
            text.contains("`apns` channel of project `app-1`")
                && text.contains("Invalid token key"),
            "{text}"
        );
    }
}
