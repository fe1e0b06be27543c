//! `cargo amplify local start|stop|status`: a local AWS cloud for any crate. The pinned
//! MiniStack emulator is installed on first use into the cache folder ([`tools`]),
//! started with the launcher that carries our fixes for its bugs, on a fixed or
//! remembered port, with its state saved in `amplify/.config/local-cloud/` on stop and
//! loaded on start, so deployed stacks survive restarts.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{read_json, write_atomic, write_json, Project};
use crate::cli::tools;

/// The emulator version amplify-rs is tested against.
const MINISTACK_VERSION: &str = "1.5.33";
const CRYPTOGRAPHY_VERSION: &str = "50.0.2";
/// The launcher with the fixes (see the file's docstring).
const LAUNCHER: &str = include_str!("../../../emulator/ministack_launcher.py");
/// The `cfn-response` module the launcher adds to inline Node.js functions.
const CFN_RESPONSE: &str = include_str!("../../../emulator/cfn_response.js");
/// The port used when none was given or remembered (LocalStack's, which tools expect).
const DEFAULT_PORT: u16 = 4566;

/// What `local start` remembers, in `amplify/.config/local-cloud/cloud.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CloudFile {
    port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pid: Option<u32>,
}

fn folder(project: &Project) -> PathBuf {
    project.root.join("amplify/.config/local-cloud")
}

/// The emulator's Python, installed (once) into the cache, and the launcher (with the
/// module it reads) written beside it.
fn install() -> Result<(PathBuf, PathBuf)> {
    // `cryptography` lets the emulator verify Cognito tokens' signatures (API Gateway
    // user-pool authorizers); without it every token is refused.
    let venv = tools::venv(
        &format!("ministack-{MINISTACK_VERSION}"),
        &[
            &format!("ministack=={MINISTACK_VERSION}"),
            &format!("cryptography=={CRYPTOGRAPHY_VERSION}"),
        ],
    )?;
    let launcher = venv.join("ministack_launcher.py");
    write_atomic(&launcher, LAUNCHER.as_bytes())?;
    write_atomic(&venv.join("cfn_response.js"), CFN_RESPONSE.as_bytes())?;
    Ok((tools::python(&venv), launcher))
}

/// `local start [--port N]`: prints the `export` lines to use it.
pub fn start(project: &Project, port: Option<u16>) -> Result<()> {
    let dir = folder(project);
    let remembered: Option<CloudFile> = read_json(&dir.join("cloud.json"))?;
    if let Some(CloudFile {
        port,
        pid: Some(pid),
    }) = &remembered
    {
        if alive(*pid) && healthy(*port) {
            eprintln!("The local cloud is already running (process {pid}).");
            print_exports(*port);
            return Ok(());
        }
    }
    let port = port.or(remembered.map(|r| r.port)).unwrap_or(DEFAULT_PORT);
    if TcpListener::bind(("127.0.0.1", port)).is_err() {
        return Err(CliError::input(format!("port {port} is in use"))
            .help("pass another with `cargo amplify local start --port <n>` (it is remembered)"));
    }
    let (python, launcher) = install()?;
    let state = dir.join("state");
    std::fs::create_dir_all(&state).map_err(|e| CliError::io("create", &state, e))?;
    let log_path = dir.join("ministack.log");
    let log = std::fs::File::create(&log_path).map_err(|e| CliError::io("create", &log_path, e))?;
    let mut command = Command::new(&python);
    command
        .arg(launcher)
        .env("GATEWAY_PORT", port.to_string())
        .env("BIND_HOST", "127.0.0.1")
        .env("PERSIST_STATE", "1")
        .env("STATE_DIR", &state)
        .stdin(Stdio::null())
        .stdout(
            log.try_clone()
                .map_err(|e| CliError::io("open", &log_path, e))?,
        )
        .stderr(log);
    // Its own process group: Ctrl-C in this terminal later does not stop it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let child = command
        .spawn()
        .map_err(|e| CliError::new(Kind::Other, format!("cannot start MiniStack: {e}")))?;
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !healthy(port) {
        if Instant::now() > deadline || !alive(pid) {
            return Err(CliError::new(Kind::Other, "the local cloud did not start")
                .help(format!("see {}", log_path.display())));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    write_json(
        &dir.join("cloud.json"),
        &CloudFile {
            port,
            pid: Some(pid),
        },
    )?;
    eprintln!(
        "The local cloud runs on port {port} (process {pid}); its state is kept in {}.",
        state.display()
    );
    print_exports(port);
    Ok(())
}

fn print_exports(port: u16) {
    println!("export AWS_ENDPOINT_URL=http://127.0.0.1:{port}");
    println!("export AWS_ACCESS_KEY_ID=testing");
    println!("export AWS_SECRET_ACCESS_KEY=testing");
    println!("export AWS_REGION=us-east-1");
}

/// `local stop`: a graceful stop, which saves the state, then a kill if it hangs.
pub fn stop(project: &Project) -> Result<()> {
    let path = folder(project).join("cloud.json");
    let Some(mut cloud) = read_json::<CloudFile>(&path)? else {
        eprintln!("No local cloud was started for this crate.");
        return Ok(());
    };
    let Some(pid) = cloud.pid.filter(|p| alive(*p)) else {
        eprintln!("The local cloud is not running.");
        return Ok(());
    };
    signal("-INT", pid);
    // Saving the state takes a few seconds.
    let deadline = Instant::now() + Duration::from_secs(30);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    if alive(pid) {
        signal("-KILL", pid);
        eprintln!(
            "The local cloud did not stop in time and was killed; its last state may be lost."
        );
    } else {
        eprintln!("Stopped the local cloud (state saved).");
    }
    cloud.pid = None;
    write_json(&path, &cloud)
}

/// `local status [--json]`.
pub fn status(project: &Project, json: bool) -> Result<()> {
    let cloud: Option<CloudFile> = read_json(&folder(project).join("cloud.json"))?;
    let running = cloud.as_ref().and_then(|c| c.pid).is_some_and(alive);
    let port = cloud.as_ref().map(|c| c.port);
    if json {
        println!(
            "{}",
            serde_json::json!({ "running": running, "port": port })
        );
    } else if running {
        println!("running on port {}", port.unwrap_or_default());
    } else {
        println!("not running");
    }
    Ok(())
}

fn signal(which: &str, pid: u32) {
    let _ = Command::new("kill")
        .args([which, &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

fn alive(pid: u32) -> bool {
    Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the emulator answers its health check on `port`.
fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /_ministack/health HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.contains("available")
}
