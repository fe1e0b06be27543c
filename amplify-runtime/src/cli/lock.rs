//! One push per environment at a time: a lock file beside the local state, taken over
//! when the process that wrote it is gone.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use serde_json::json;

use super::error::{CliError, Kind, Result};
use super::project::{read_json, Project};

/// Held for the duration of a push; removed on drop.
pub struct PushLock {
    path: PathBuf,
}

impl PushLock {
    /// Takes the lock of `env`, or explains who holds it.
    pub fn acquire(project: &Project, env: &str) -> Result<PushLock> {
        let path = project
            .root
            .join(format!("amplify/.config/local-push-{env}.lock"));
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| CliError::io("create", dir, e))?;
        }
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let record = json!({ "pid": std::process::id(), "startedAt": super::project::timestamp_now() });
                    let _ = writeln!(file, "{record}");
                    return Ok(PushLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = read_json::<serde_json::Value>(&path).ok().flatten();
                    let pid = holder.as_ref().and_then(|h| h["pid"].as_u64());
                    match pid {
                        Some(pid) if process_alive(pid) => {
                            let since = holder
                                .as_ref()
                                .and_then(|h| h["startedAt"].as_str())
                                .unwrap_or("earlier");
                            return Err(CliError::new(
                                Kind::Busy,
                                format!("another push of environment `{env}` is running (process {pid}, started {since})"),
                            )
                            .help(format!(
                                "wait for it to finish; if that process is not a push, delete `{}`",
                                path.display()
                            )));
                        }
                        _ => {
                            eprintln!("note: removing a stale push lock left by a process that is gone ({})", path.display());
                            let _ = fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(CliError::io("create", &path, e)),
            }
        }
        Err(CliError::new(
            Kind::Busy,
            format!("could not take the push lock `{}`", path.display()),
        ))
    }
}

impl Drop for PushLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether a process with this id exists on this machine.
fn process_alive(pid: u64) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without /proc, treat the lock as live: a stale one is removed by hand.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_a_dead_one_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project {
            root: dir.path().to_owned(),
        };
        let first = PushLock::acquire(&project, "dev").unwrap();
        let err = PushLock::acquire(&project, "dev")
            .err()
            .expect("second push refused");
        assert_eq!(err.kind, Kind::Busy);
        assert!(err
            .message
            .contains("another push of environment `dev` is running"));
        drop(first);
        // A lock left by a process that no longer exists is taken over.
        let path = dir.path().join("amplify/.config/local-push-dev.lock");
        fs::write(&path, r#"{"pid": 4294967, "startedAt": "x"}"#).unwrap();
        let _again = PushLock::acquire(&project, "dev").unwrap();
    }
}
