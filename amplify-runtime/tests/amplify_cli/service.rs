//! A stand-in for the Amplify service, which neither the local emulator nor any other
//! serves, answering the calls the Amplify CLI makes during `init`, `env add` and `pull`:
//! ListApps, GetApp, CreateApp, ListBackendEnvironments, GetBackendEnvironment,
//! CreateBackendEnvironment, DeleteBackendEnvironment (REST-JSON, as the Amplify API
//! speaks it), and the Amplify Studio `/AppState` check, answered "not a Studio app".
//! The CLI reaches it through `AWS_AMPLIFY_ENDPOINT` and `AMPLIFY_CLI_APPSTATE_BASE_URL`.
//! Apps and environments live in memory; nothing is signed or checked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{json, Value};

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
/// The apps' and environments' creation and update time (epoch seconds): a fixed date,
/// as nothing in the tests depends on it.
const CREATED: u64 = 1_796_083_200;

#[derive(Default)]
struct State {
    /// Apps by id, in creation order of their ids.
    apps: BTreeMap<String, String>,
    /// Backend environments by (app id, environment name): (stack name, deployment bucket).
    environments: BTreeMap<(String, String), (String, String)>,
}

/// The stand-in, serving on a loopback port until dropped.
pub struct AmplifyService {
    pub url: String,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl AmplifyService {
    pub fn start() -> AmplifyService {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let serving = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            let state = Mutex::new(State::default());
            for mut request in serving.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let path = request.url().split('?').next().unwrap_or("").to_owned();
                let (status, answer) =
                    answer(&mut state.lock().unwrap(), request.method(), &path, &body);
                let header =
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let response = tiny_http::Response::from_string(answer.to_string())
                    .with_status_code(status)
                    .with_header(header);
                let _ = request.respond(response);
            }
        });
        AmplifyService {
            url: format!("http://127.0.0.1:{port}"),
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for AmplifyService {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn app(id: &str, name: &str) -> Value {
    json!({
        "appId": id,
        "appArn": format!("arn:aws:amplify:{REGION}:{ACCOUNT}:apps/{id}"),
        "name": name,
        "platform": "WEB",
        "defaultDomain": format!("{id}.amplifyapp.com"),
        "environmentVariables": {},
        "enableBranchAutoBuild": false,
        "enableBasicAuth": false,
        "createTime": CREATED,
        "updateTime": CREATED,
    })
}

fn environment(app_id: &str, name: &str, stack: &str, bucket: &str) -> Value {
    json!({
        "backendEnvironmentArn":
            format!("arn:aws:amplify:{REGION}:{ACCOUNT}:apps/{app_id}/backendenvironments/{name}"),
        "environmentName": name,
        "stackName": stack,
        "deploymentArtifacts": bucket,
        "createTime": CREATED,
        "updateTime": CREATED,
    })
}

fn not_found(what: &str) -> (u16, Value) {
    (
        404,
        json!({"__type": "NotFoundException", "message": format!("{what} not found")}),
    )
}

/// The answer to one request: status code and JSON body.
fn answer(state: &mut State, method: &tiny_http::Method, path: &str, body: &str) -> (u16, Value) {
    use tiny_http::Method::{Delete, Get, Post};
    let input: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = |key: &str| input[key].as_str().unwrap_or_default().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Get, ["AppState"]) => (200, json!({})),
        (Get, ["apps"]) => {
            let apps: Vec<Value> = state.apps.iter().map(|(id, name)| app(id, name)).collect();
            (200, json!({"apps": apps}))
        }
        (Post, ["apps"]) => {
            // Amplify's app ids: `d` and 13 lower-case alphanumerics.
            let id = format!("d{:013}", state.apps.len() + 1);
            state.apps.insert(id.clone(), text("name"));
            (200, json!({"app": app(&id, &text("name"))}))
        }
        (Get, ["apps", id]) => match state.apps.get(*id) {
            Some(name) => (200, json!({"app": app(id, name)})),
            None => not_found(&format!("app {id}")),
        },
        (Get, ["apps", id, "backendenvironments"]) => {
            let environments: Vec<Value> = state
                .environments
                .iter()
                .filter(|((app_id, _), _)| app_id == id)
                .map(|((_, name), (stack, bucket))| environment(id, name, stack, bucket))
                .collect();
            (200, json!({"backendEnvironments": environments}))
        }
        (Post, ["apps", id, "backendenvironments"]) if state.apps.contains_key(*id) => {
            let (name, stack, bucket) = (
                text("environmentName"),
                text("stackName"),
                text("deploymentArtifacts"),
            );
            let created = environment(id, &name, &stack, &bucket);
            state
                .environments
                .insert((id.to_string(), name), (stack, bucket));
            (200, json!({"backendEnvironment": created}))
        }
        (Get, ["apps", id, "backendenvironments", name]) => {
            match state.environments.get(&(id.to_string(), name.to_string())) {
                Some((stack, bucket)) => (
                    200,
                    json!({"backendEnvironment": environment(id, name, stack, bucket)}),
                ),
                None => not_found(&format!("backend environment {name}")),
            }
        }
        (Delete, ["apps", id, "backendenvironments", name]) => {
            match state
                .environments
                .remove(&(id.to_string(), name.to_string()))
            {
                Some((stack, bucket)) => (
                    200,
                    json!({"backendEnvironment": environment(id, name, &stack, &bucket)}),
                ),
                None => not_found(&format!("backend environment {name}")),
            }
        }
        _ => (
            400,
            json!({"__type": "BadRequestException",
                   "message": format!("the stand-in does not serve {method} {path}")}),
        ),
    }
}
