//! Live progress of a deployment: a spinner with the latest event on a terminal, plain
//! lines otherwise (CI logs, pipes). Always on stderr.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Where progress goes.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A spinner on a TTY, plain lines otherwise.
    pub fn new(title: &str) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar.set_message(title.to_owned());
            Progress { bar: Some(bar) }
        } else {
            eprintln!("{title}");
            Progress { bar: None }
        }
    }

    /// One resource event: kept as a line above the spinner.
    pub fn event(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Updates the spinner text (no-op without a TTY).
    pub fn status(&self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(text.to_owned());
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
