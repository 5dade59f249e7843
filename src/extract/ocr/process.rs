//! Runs an external program (tesseract, pdftoppm) under the file's time limit.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::extract::{Context, ExtractError};

/// How the run ended when it did not succeed.
#[derive(Debug)]
pub enum RunError {
    /// The program does not exist at that path.
    NotFound,
    /// It ran but failed; the text is the end of what it wrote to stderr.
    Failed(String),
    /// Timeout or an I/O error of our own: the file must fail with it.
    Fatal(ExtractError),
}

/// Longest a program may run when no file deadline applies (tool probes).
pub const PROBE_TIME: Duration = Duration::from_secs(15);

/// Spawns `command` with stdout and stderr sent to files in `workdir` and
/// waits for it. It is killed when the file's deadline passes or when it has
/// run for `max_time` by itself, whichever comes first.
pub fn run(
    mut command: Command,
    workdir: &Path,
    ctx: Option<&Context>,
    max_time: Duration,
) -> Result<PathBuf, RunError> {
    let out_path = workdir.join("stdout.txt");
    let err_path = workdir.join("stderr.txt");
    let io = |e: std::io::Error| RunError::Fatal(ExtractError::Io(e));
    let stdout = std::fs::File::create(&out_path).map_err(io)?;
    let stderr = std::fs::File::create(&err_path).map_err(io)?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr));
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RunError::NotFound),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(RunError::NotFound);
        }
        Err(e) => return Err(io(e)),
    };
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    let status: ExitStatus = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io(e));
            }
        }
        let expired = match ctx.map(|c| c.deadline.check()) {
            Some(Err(timeout)) => Some(timeout),
            _ if started.elapsed() > max_time => Some(ExtractError::Timeout(max_time)),
            _ => None,
        };
        if let Some(timeout) = expired {
            // Kill and reap, so no process outlives the file it was run for.
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::Fatal(timeout));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    };
    if status.success() {
        Ok(out_path)
    } else {
        Err(RunError::Failed(stderr_tail(&err_path)))
    }
}

/// The last few lines the program wrote to stderr, for the warning text.
fn stderr_tail(path: &Path) -> String {
    let text = std::fs::read(path).unwrap_or_default();
    let start = text.len().saturating_sub(400);
    let tail = String::from_utf8_lossy(text.get(start..).unwrap_or_default()).into_owned();
    let lines: Vec<&str> = tail
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

/// Reads a file the program wrote, refusing more than `max` bytes.
pub fn read_output(path: &Path, max: usize) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let mut data = Vec::new();
    std::fs::File::open(path)?
        .take(max as u64 + 1)
        .read_to_end(&mut data)?;
    if data.len() > max {
        return Err(ExtractError::TooLarge("文字识别输出超过上限".into()));
    }
    Ok(data)
}

/// Finds an executable by name in the directories of `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_program_is_reported_as_not_found() {
        let dir = tempfile::tempdir().expect("temp dir");
        let command = Command::new(dir.path().join("no-such-program"));
        assert!(matches!(
            run(command, dir.path(), None, PROBE_TIME),
            Err(RunError::NotFound)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn slow_program_is_killed() {
        let Some(sleep) = find_on_path("sleep") else {
            eprintln!("skipped: no `sleep` program");
            return;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(sleep);
        command.arg("30");
        let started = Instant::now();
        let result = run(command, dir.path(), None, Duration::from_millis(200));
        assert!(matches!(
            result,
            Err(RunError::Fatal(ExtractError::Timeout(_)))
        ));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
