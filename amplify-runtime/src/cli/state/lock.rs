//! One state-changing command at a time per project: an exclusive OS file lock (`flock`
//! on Unix, `LockFileEx` on Windows) on `amplify/.config/local-state.lock`.
//!
//! Project-wide, not per environment: `amplify-meta.json`, `#current-cloud-backend`,
//! `local-env-info.json` and the client configuration describe the *current*
//! environment, so a `push` of one environment and an `env add` (which switches the
//! current one) or a `push` of another would write over each other's state. Every
//! command that writes local state takes it for its whole run (see `cli/mod.rs`).
//!
//! The lock itself, not the file's content, decides who holds it: taking it is one
//! atomic call, and the OS releases it when the holder exits, however it exits, so there
//! is no stale lock to detect and no window in which two pushes both see it free. The
//! file is never deleted (deleting it would let a late opener lock an orphaned inode);
//! the holder writes its process id and start time into it for the message others see,
//! and empties it on release.

use std::fs::{self, File, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::cli::error::{CliError, Kind, Result};
use crate::cli::state::project::{timestamp_now, Project};

/// Held for the duration of a state-changing command; released on drop (or when the
/// process ends).
pub struct StateLock {
    file: File,
}

/// What the holder writes into the lock file, for the message others see.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Holder {
    pid: u32,
    started_at: String,
    /// `push`, `env add`…
    #[serde(default)]
    command: String,
    /// The environment it works on, if any.
    #[serde(default)]
    env: Option<String>,
}

impl StateLock {
    /// Takes the project's lock for `command` (on `env`), or explains who holds it.
    pub fn acquire(project: &Project, command: &str, env: Option<&str>) -> Result<StateLock> {
        let path = lock_path(project);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| CliError::io("create", dir, e))?;
        }
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| CliError::io("open", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(busy(&mut file, command, &path)),
            Err(TryLockError::Error(e)) => return Err(CliError::io("lock", &path, e)),
        }
        let holder = Holder {
            pid: std::process::id(),
            started_at: timestamp_now(),
            command: command.to_owned(),
            env: env.map(ToOwned::to_owned),
        };
        let record = serde_json::to_string(&holder).expect("the record serialises");
        // Best effort: the record only improves the message another push prints.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "{record}"))
            .and_then(|()| file.flush());
        Ok(StateLock { file })
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

fn lock_path(project: &Project) -> PathBuf {
    project.root.join("amplify/.config/local-state.lock")
}

/// The error for a lock held by someone else, naming them when their record is readable.
fn busy(file: &mut File, command: &str, path: &std::path::Path) -> CliError {
    let mut text = String::new();
    let holder: Option<Holder> = file
        .read_to_string(&mut text)
        .ok()
        .and_then(|_| serde_json::from_str(text.trim()).ok());
    let running = match holder {
        Some(h) => {
            let what = match (h.command.as_str(), &h.env) {
                ("", Some(env)) => format!("a command on environment `{env}`"),
                ("", None) => "another command".to_owned(),
                (c, Some(env)) => format!("`{c}` of environment `{env}`"),
                (c, None) => format!("`{c}`"),
            };
            format!(
                "{what} is running (process {}, started {})",
                h.pid, h.started_at
            )
        }
        None => "another command is changing this project's state".to_owned(),
    };
    CliError::new(
        Kind::Busy,
        format!("cannot run `{command}` now: {running}"),
    )
    .help(format!(
        "wait for it to finish and run the command again (state-changing commands of one project run one at a time); the lock (`{}`) is released when that process ends",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let project = Project {
            root: dir.path().to_owned(),
        };
        (dir, project)
    }

    #[test]
    fn a_second_holder_is_refused_naming_the_first_and_release_frees_it() {
        let (_dir, project) = project();
        let first = StateLock::acquire(&project, "push", Some("dev")).unwrap();
        let err = StateLock::acquire(&project, "push", Some("dev"))
            .err()
            .expect("second push refused");
        assert_eq!(err.kind, Kind::Busy);
        assert!(
            err.message.contains(&format!(
                "cannot run `push` now: `push` of environment `dev` is running (process {}",
                std::process::id()
            )),
            "{}",
            err.message
        );
        // The current environment's files are shared: switching it waits too.
        let err = StateLock::acquire(&project, "env add", Some("prod"))
            .err()
            .expect("env add refused");
        assert!(
            err.message
                .starts_with("cannot run `env add` now: `push` of environment `dev`"),
            "{}",
            err.message
        );
        drop(first);
        let _again = StateLock::acquire(&project, "env add", Some("prod")).unwrap();
    }

    #[test]
    fn a_leftover_record_without_a_holder_does_not_block() {
        let (dir, project) = project();
        let path = dir.path().join("amplify/.config/local-state.lock");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        // What a crashed push of an older version, or an empty file, leaves behind.
        fs::write(&path, r#"{"pid": 4294967, "startedAt": "x"}"#).unwrap();
        let _lock = StateLock::acquire(&project, "push", Some("dev")).unwrap();
        fs::write(&path, "").unwrap();
    }

    /// Set in the child process of the crash test: the folder whose lock it takes.
    const CRASH_CHILD: &str = "AMPLIFY_TEST_LOCK_CRASH_DIR";

    #[test]
    fn a_holder_that_crashed_does_not_block_the_next_push() {
        if let Some(dir) = std::env::var_os(CRASH_CHILD) {
            // The child: take the lock and die without releasing it (no destructors).
            let project = Project { root: dir.into() };
            let lock = StateLock::acquire(&project, "push", Some("dev")).unwrap();
            std::mem::forget(lock);
            std::process::abort();
        }
        let (dir, project) = project();
        // This test's own name, wherever the module lives: the path without the crate.
        let module = module_path!().split_once("::").map_or("", |(_, m)| m);
        let name = format!("{module}::a_holder_that_crashed_does_not_block_the_next_push");
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", &name, "--test-threads=1"])
            .env(CRASH_CHILD, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success(), "the child crashed");
        let path = dir.path().join("amplify/.config/local-state.lock");
        assert!(
            fs::metadata(&path).unwrap().len() > 0,
            "the crashed holder left its record"
        );
        // No process table is consulted: the OS released the lock with the process.
        let _lock = StateLock::acquire(&project, "push", Some("dev")).unwrap();
    }

    #[test]
    fn many_threads_racing_for_the_lock_have_exactly_one_winner() {
        let (_dir, project) = project();
        for _ in 0..50 {
            let barrier = std::sync::Barrier::new(8);
            let winners = std::sync::atomic::AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..8 {
                    s.spawn(|| {
                        barrier.wait();
                        if let Ok(lock) = StateLock::acquire(&project, "push", Some("dev")) {
                            winners.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            // Hold it until every thread has tried.
                            barrier.wait();
                            drop(lock);
                        } else {
                            barrier.wait();
                        }
                    });
                }
            });
            assert_eq!(winners.into_inner(), 1);
        }
    }
}
