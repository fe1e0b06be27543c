//! Writing the layout to disk: atomically (temp file + rename), only when bytes change,
//! never over a file the user owns.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Created or replaced.
    Written,
    /// Already had these bytes; not touched (mtime unchanged).
    Unchanged,
    /// Exists and belongs to the user; left alone.
    Kept,
}

/// Writes `contents` to `path` unless it already holds exactly those bytes.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<WriteOutcome, Error> {
    match fs::read(path) {
        Ok(existing) if existing == contents.as_bytes() => return Ok(WriteOutcome::Unchanged),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            })
        }
    }
    write_atomic(path, contents.as_bytes()).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(WriteOutcome::Written)
}

/// Creates `path` with `contents` if it does not exist. An existing file is the user's;
/// if it is JSON it must at least parse, or the error names its line.
pub fn seed(path: &Path, contents: &str) -> Result<WriteOutcome, Error> {
    if path.exists() {
        if path.extension().is_some_and(|e| e == "json") {
            read_json(path)?;
        }
        return Ok(WriteOutcome::Kept);
    }
    write_atomic(path, contents.as_bytes()).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(WriteOutcome::Written)
}

/// Reads and parses a JSON file, reporting syntax errors with line and column.
pub fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    let text = fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Json {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Replaces (or appends) the marked block of a `.gitignore`, keeping every other line.
pub fn merge_gitignore(path: &Path, block: &str) -> Result<WriteOutcome, Error> {
    let existing = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    let begin = block.lines().next().unwrap_or_default();
    let end = block.lines().last().unwrap_or_default();
    let merged = match (existing.find(begin), existing.find(end)) {
        (Some(b), Some(e)) if e > b => {
            let after = existing[e..]
                .find('\n')
                .map_or(existing.len(), |n| e + n + 1);
            format!("{}{block}{}", &existing[..b], &existing[after..])
        }
        _ if existing.is_empty() => block.to_owned(),
        _ if existing.ends_with('\n') => format!("{existing}{block}"),
        _ => format!("{existing}\n{block}"),
    };
    write_if_changed(path, &merged)
}

/// Writes through a temporary file in the same directory and renames it into place, so
/// a reader (or an interrupted build) never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Whether the crate's source tree must not be written: a packaged (`cargo package`,
/// registry) or vendored copy, or a directory we cannot write.
pub fn source_is_read_only(crate_root: &Path) -> bool {
    if crate_root.join(".cargo_vcs_info.json").exists()
        || crate_root.join(".cargo-checksum.json").exists()
    {
        return true;
    }
    let probe = crate_root.join(format!(".amplify-write-probe-{}", std::process::id()));
    match fs::write(&probe, b"") {
        Ok(()) => {
            let _ = fs::remove_file(&probe);
            false
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_bytes_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.json");
        assert_eq!(write_if_changed(&p, "{}\n").unwrap(), WriteOutcome::Written);
        let before = fs::metadata(&p).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            write_if_changed(&p, "{}\n").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(fs::metadata(&p).unwrap().modified().unwrap(), before);
        assert_eq!(write_if_changed(&p, "[]\n").unwrap(), WriteOutcome::Written);
        assert_eq!(fs::read_to_string(&p).unwrap(), "[]\n");
        let leftovers: Vec<_> = fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn seeded_files_belong_to_the_user() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tags.json");
        fs::write(&p, "[ {\"Key\": \"mine\", \"Value\": \"x\"} ]").unwrap();
        assert_eq!(seed(&p, "[]\n").unwrap(), WriteOutcome::Kept);
        assert!(fs::read_to_string(&p).unwrap().contains("mine"));
    }

    #[test]
    fn corrupt_user_json_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("project-config.json");
        fs::write(&p, "{\n  \"projectName\": \"x\",\n  oops\n}\n").unwrap();
        let err = seed(&p, "{}").unwrap_err().to_string();
        assert!(err.contains("project-config.json` line 3"), "{err}");
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "{\n  \"projectName\": \"x\",\n  oops\n}\n"
        );
    }

    #[test]
    fn gitignore_block_is_replaced_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".gitignore");
        fs::write(&p, "target\n#begin\nold\n#end\nmine\n").unwrap();
        merge_gitignore(&p, "#begin\nnew\n#end\n").unwrap();
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "target\n#begin\nnew\n#end\nmine\n"
        );
        merge_gitignore(&p, "#begin\nnew\n#end\n").unwrap();
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "target\n#begin\nnew\n#end\nmine\n"
        );
    }
}
