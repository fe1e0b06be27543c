//! Asking the user to confirm, on a terminal only.

use std::io::IsTerminal;

use crate::cli::error::{CliError, Kind, Result};

/// Asks on a terminal; without one, `--yes` is required.
pub fn confirm(yes: bool, question: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            CliError::input("confirmation needed, but stdin is not a terminal")
                .help("pass `--yes` to proceed without asking"),
        );
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(Kind::Other, e.to_string()))?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::new(Kind::Other, "cancelled; nothing was changed"))
    }
}
