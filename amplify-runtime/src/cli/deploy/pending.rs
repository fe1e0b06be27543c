//! The marker of a push in progress (`amplify/.config/local-push-pending-<env>.json`):
//! written before a deployment starts, removed once local state records its outcome, so
//! that an interrupted push is settled by the next command.

use std::path::PathBuf;

use crate::cli::error::Result;
use crate::cli::state::project::{read_json, write_json, Project};
use crate::cli::state::Pending;

/// Where the marker of `env`'s push in progress lives.
fn pending_path(project: &Project, env: &str) -> PathBuf {
    project
        .root
        .join(format!("amplify/.config/local-push-pending-{env}.json"))
}

/// Records the push that is about to start.
pub fn write_pending(project: &Project, env: &str, pending: &Pending) -> Result<()> {
    write_json(&pending_path(project, env), pending)
}

/// The pending push of `env`, if any.
pub fn read_pending(project: &Project, env: &str) -> Result<Option<Pending>> {
    read_json(&pending_path(project, env))
}

/// Forgets the pending push.
pub fn clear_pending(project: &Project, env: &str) {
    let _ = std::fs::remove_file(pending_path(project, env));
}
