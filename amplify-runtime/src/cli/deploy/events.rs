//! The phases a deployment goes through, as events. The pipeline emits each once, when
//! it happens; the progress lines on stderr are rendered from them, `push --json` lists
//! them, and the post-command hook receives them (`data.amplify.phases`). Observers see
//! the same typed events, so what they report cannot drift from what happened.

use std::sync::Mutex;

use serde::Serialize;

/// One phase of a deployment, with what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "phase",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Phase {
    /// Code built and packaged, templates read, every per-environment input resolved.
    Prepared {
        /// Objects the deployment needs in the bucket.
        objects: usize,
        /// Per-environment stack inputs resolved.
        inputs: usize,
    },
    /// The objects the bucket lacked were uploaded.
    Uploaded {
        /// Objects uploaded.
        objects: usize,
        /// Objects already there (content-addressed: unchanged).
        kept: usize,
    },
    /// CloudFormation finished with the root stack.
    Deployed {
        /// The root stack.
        stack: String,
        /// Its final status (`UPDATE_COMPLETE`…), or `null` when it reported no changes.
        status: Option<String>,
    },
    /// The deployed stacks' outputs were read.
    OutputsCollected {
        /// Stacks read, the root included.
        stacks: usize,
    },
    /// The post-deploy actions that were due ran.
    ActionsRun {
        /// Actions run.
        ran: usize,
        /// Whether one failed (reported after the deployment was recorded).
        failed: bool,
    },
    /// Local state and client configuration were written.
    StateWritten {
        /// The client configuration files written.
        client_files: Vec<String>,
    },
}

impl Phase {
    /// The line shown on stderr as the phase happens, if the phase has one.
    fn line(&self) -> Option<String> {
        match self {
            Phase::Prepared { .. } | Phase::OutputsCollected { .. } => None,
            Phase::Uploaded { objects, kept } => Some(format!(
                "Uploaded {objects} object(s) to the deployment bucket ({kept} unchanged, kept)."
            )),
            Phase::Deployed {
                stack,
                status: Some(status),
            } => Some(format!("Deployed {stack}: {status}")),
            Phase::Deployed { status: None, .. } => {
                Some("CloudFormation reports no changes to deploy.".to_owned())
            }
            Phase::ActionsRun { ran: 0, .. } => None,
            Phase::ActionsRun { ran, failed } => Some(format!(
                "Ran {ran} post-deploy action(s){}.",
                if *failed { ", one failed" } else { "" }
            )),
            Phase::StateWritten { client_files } => Some(format!(
                "Client configuration written: {}",
                client_files.join(", ")
            )),
        }
    }
}

/// The phases of one command's deployments, in order.
#[derive(Debug, Default)]
pub struct Events {
    seen: Mutex<Vec<Phase>>,
}

impl Events {
    /// Records `phase` and shows its line.
    pub fn emit(&self, phase: Phase) {
        tracing::info!(?phase, "deployment phase");
        if let Some(line) = phase.line() {
            eprintln!("{line}");
        }
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(phase);
        }
    }

    /// Every phase so far.
    pub fn seen(&self) -> Vec<Phase> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observers_see_the_phases_in_order_with_camel_case_fields() {
        let events = Events::default();
        events.emit(Phase::Uploaded {
            objects: 2,
            kept: 5,
        });
        events.emit(Phase::Deployed {
            stack: "amplify-app-dev-1a2b3".into(),
            status: None,
        });
        events.emit(Phase::StateWritten {
            client_files: vec!["amplify_outputs.json".into()],
        });
        let seen = serde_json::to_value(events.seen()).unwrap();
        assert_eq!(
            seen,
            serde_json::json!([
                { "phase": "uploaded", "objects": 2, "kept": 5 },
                { "phase": "deployed", "stack": "amplify-app-dev-1a2b3", "status": null },
                { "phase": "stateWritten", "clientFiles": ["amplify_outputs.json"] },
            ])
        );
    }

    #[test]
    fn each_line_says_what_the_phase_did() {
        let deployed = Phase::Deployed {
            stack: "root".into(),
            status: Some("UPDATE_COMPLETE".into()),
        };
        assert_eq!(deployed.line().unwrap(), "Deployed root: UPDATE_COMPLETE");
        let unchanged = Phase::Deployed {
            stack: "root".into(),
            status: None,
        };
        assert_eq!(
            unchanged.line().unwrap(),
            "CloudFormation reports no changes to deploy."
        );
        let none_ran = Phase::ActionsRun {
            ran: 0,
            failed: false,
        };
        assert_eq!(none_ran.line(), None);
        let one_failed = Phase::ActionsRun {
            ran: 2,
            failed: true,
        };
        assert_eq!(
            one_failed.line().unwrap(),
            "Ran 2 post-deploy action(s), one failed."
        );
    }
}
