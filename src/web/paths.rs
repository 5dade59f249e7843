//! Safe paths: a file or folder named in a request is opened only when,
//! with every symlink and `..` resolved, it lies inside the data folder or an
//! allow-listed root.

use std::path::{Component, Path, PathBuf};

/// Longest kept file name, in characters.
const MAX_NAME_CHARS: usize = 120;

/// Why a requested path was refused (in Chinese, shown to the reviewer).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PathError {
    #[error("未配置允许访问的服务器目录（启动时用 --allow-root 指定）")]
    NoRoots,
    #[error("路径为空或含有非法字符")]
    Invalid,
    #[error("路径不存在或无法访问")]
    Missing,
    #[error("路径不在允许访问的目录内")]
    Outside,
}

/// Whether `canonical` (already canonical) lies inside one of `roots`.
pub fn inside(canonical: &Path, roots: &[PathBuf]) -> bool {
    roots.iter().any(|r| canonical.starts_with(r))
}

/// Resolves a path typed by a reviewer: absolute, or relative to the first
/// root. Returns the canonical path when it exists inside a root.
pub fn resolve(requested: &str, roots: &[PathBuf]) -> Result<PathBuf, PathError> {
    let first = roots.first().ok_or(PathError::NoRoots)?;
    let requested = requested.trim();
    if requested.is_empty() || requested.contains('\0') {
        return Err(PathError::Invalid);
    }
    let path = Path::new(requested);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        first.join(path)
    };
    let canonical = std::fs::canonicalize(&joined).map_err(|_| {
        // Say "outside" for a path that climbs out, whether or not it exists.
        if climbs_out(path) {
            PathError::Outside
        } else {
            PathError::Missing
        }
    })?;
    if inside(&canonical, roots) {
        Ok(canonical)
    } else {
        Err(PathError::Outside)
    }
}

/// Opens a stored document's file only inside the data folder or a root.
pub fn checked_file(key: &Path, data: &Path, roots: &[PathBuf]) -> Result<PathBuf, PathError> {
    let canonical = std::fs::canonicalize(key).map_err(|_| PathError::Missing)?;
    if canonical.starts_with(data) || inside(&canonical, roots) {
        Ok(canonical)
    } else {
        Err(PathError::Outside)
    }
}

fn climbs_out(path: &Path) -> bool {
    path.components().any(|c| matches!(c, Component::ParentDir))
}

/// The last component of an uploaded file's name, made safe to create: no
/// separators, no control characters, no leading dots, bounded length.
pub fn sanitise_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        return "upload".to_string();
    }
    let count = cleaned.chars().count();
    if count <= MAX_NAME_CHARS {
        return cleaned.to_string();
    }
    // Keep the extension: the format is told from it.
    let ext: String = match cleaned.rsplit_once('.') {
        Some((_, e)) if e.chars().count() <= 10 => format!(".{e}"),
        _ => String::new(),
    };
    let stem: String = cleaned
        .chars()
        .take(MAX_NAME_CHARS - ext.chars().count())
        .collect();
    format!("{stem}{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> Vec<PathBuf> {
        vec![std::fs::canonicalize(dir).unwrap()]
    }

    #[test]
    fn relative_and_absolute_paths_inside_a_root_resolve() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        let roots = roots(dir.path());
        let inside = roots[0].join("docs");
        assert_eq!(resolve("docs", &roots), Ok(inside.clone()));
        assert_eq!(resolve(inside.to_str().unwrap(), &roots), Ok(inside));
    }

    #[test]
    fn parent_dirs_absolute_paths_and_symlinks_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        let roots = roots(&root);
        assert_eq!(resolve("../", &roots), Err(PathError::Outside));
        assert_eq!(resolve("docs/../../", &roots), Err(PathError::Outside));
        assert_eq!(resolve("../../../../etc", &roots), Err(PathError::Outside));
        assert_eq!(resolve("../nowhere/x", &roots), Err(PathError::Outside));
        assert_eq!(resolve("/etc", &roots), Err(PathError::Outside));
        assert_eq!(resolve("link", &roots), Err(PathError::Outside));
        assert_eq!(resolve("", &roots), Err(PathError::Invalid));
        assert_eq!(resolve("a\0b", &roots), Err(PathError::Invalid));
        assert_eq!(resolve("docs", &[]), Err(PathError::NoRoots));
    }

    #[test]
    fn stored_files_outside_the_data_folder_are_not_opened() {
        let data = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let data_dir = std::fs::canonicalize(data.path()).unwrap();
        std::fs::write(data_dir.join("a.txt"), "x").unwrap();
        std::fs::write(other.path().join("b.txt"), "x").unwrap();
        std::os::unix::fs::symlink(other.path().join("b.txt"), data_dir.join("c.txt")).unwrap();
        assert!(checked_file(&data_dir.join("a.txt"), &data_dir, &[]).is_ok());
        assert_eq!(
            checked_file(&other.path().join("b.txt"), &data_dir, &[]),
            Err(PathError::Outside)
        );
        assert_eq!(
            checked_file(&data_dir.join("c.txt"), &data_dir, &[]),
            Err(PathError::Outside)
        );
        assert!(checked_file(&data_dir.join("../etc/passwd"), &data_dir, &[]).is_err());
    }

    #[test]
    fn uploaded_names_lose_their_folders_and_dots() {
        assert_eq!(sanitise_file_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitise_file_name("..\\..\\a.docx"), "a.docx");
        assert_eq!(sanitise_file_name("/abs/x.txt"), "x.txt");
        assert_eq!(sanitise_file_name(".."), "upload");
        assert_eq!(sanitise_file_name(".hidden.txt"), "hidden.txt");
        assert_eq!(sanitise_file_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(sanitise_file_name("通知.docx"), "通知.docx");
        let long = format!("{}.docx", "长".repeat(300));
        let kept = sanitise_file_name(&long);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with(".docx"));
    }
}
