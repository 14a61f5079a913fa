//! Writing results: into a staging folder first, then swapped in place of the previous results.
//!
//! A command writes all its files into `output/.kefu-staging-<name>-<pid>/` and, only when every
//! file is written, renames that folder to its final name (the previous one is moved aside and
//! then removed). A failure or interruption before that leaves the previous results untouched;
//! a staging folder left by a killed process is removed by the next run. File names made from
//! data (room numbers, titles) go through [`safe_file_name`], so they stay inside the folder.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// A folder of results being written.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    name: String,
    tmp: PathBuf,
    written: usize,
    committed: bool,
}

impl Staging {
    /// Starts writing the result folder `name` (e.g. `受控表单`) under `root` (e.g. `output/`).
    pub fn begin(root: &Path, name: &str) -> Result<Staging, Error> {
        std::fs::create_dir_all(root).map_err(|e| Error::io("创建输出目录", root, &e))?;
        clean_leftovers(root, name);
        let tmp = root.join(format!(".kefu-staging-{name}-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io("清理临时目录", &tmp, &e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io("创建临时目录", &tmp, &e))?;
        Ok(Staging { root: root.to_path_buf(), name: name.to_string(), tmp, written: 0, committed: false })
    }

    /// Writes `bytes` to `rel` inside the folder; `rel` must be made of safe names.
    pub fn write(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        let path = self.tmp.join(rel);
        debug_assert!(rel.components().all(|c| matches!(c, std::path::Component::Normal(_))));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("创建目录", parent, &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("写入", &self.final_path().join(rel), &e))?;
        self.written += 1;
        Ok(())
    }

    /// The folder being written, for writers that lay out their own files inside it.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// How many files have been written.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Where the folder will be once committed.
    pub fn final_path(&self) -> PathBuf {
        self.root.join(&self.name)
    }

    /// Puts the finished folder in place of the previous one.
    pub fn commit(mut self) -> Result<PathBuf, Error> {
        let target = self.final_path();
        let old = self.root.join(format!(".kefu-old-{}-{}", self.name, std::process::id()));
        if target.exists() {
            std::fs::rename(&target, &old).map_err(|e| Error::io("替换旧结果", &target, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &target) {
            // Put the previous results back before reporting.
            let _ = std::fs::rename(&old, &target);
            return Err(Error::io("放置新结果", &target, &e));
        }
        self.committed = true;
        if old.exists() {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(target)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Removes staging and set-aside folders of `name` left by processes that were killed.
fn clean_leftovers(root: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(s) = file_name.to_str() else { continue };
        let leftover = [format!(".kefu-staging-{name}-"), format!(".kefu-old-{name}-")]
            .iter()
            .any(|prefix| s.strip_prefix(prefix.as_str()).is_some_and(|pid| pid.chars().all(|c| c.is_ascii_digit())));
        if leftover {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes one file so that readers see either the old or the new content, never a half-written
/// one: the bytes go to a temporary name in the same folder, which is then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建目录", dir, &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".kefu-tmp-{}-{name}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io("写入", path, &e));
    }
    Ok(())
}

/// Every file under `dir`, at any depth, sorted by path.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Error::io("读取", &d, &e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The sha256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Bytes in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file name made from data: path separators, control characters and characters Windows
/// forbids become `_`; leading dots are dropped; at most 80 characters.
pub fn safe_file_name(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    out = out.trim().trim_start_matches('.').trim().to_string();
    if out.chars().count() > 80 {
        out = out.chars().take(80).collect();
    }
    if out.is_empty() { "_".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_data_stay_in_their_folder() {
        assert_eq!(safe_file_name("钥匙借用/领用登记表"), "钥匙借用_领用登记表");
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("a\0b\nc"), "a_b_c");
        assert_eq!(safe_file_name(".."), "_");
        assert_eq!(safe_file_name(&"长".repeat(300)).chars().count(), 80);
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("子目录/计划.xlsx");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = Staging::begin(dir.path(), "结果").unwrap();
        first.write(Path::new("a.txt"), b"old").unwrap();
        first.commit().unwrap();

        let mut failed = Staging::begin(dir.path(), "结果").unwrap();
        failed.write(Path::new("a.txt"), b"half").unwrap();
        drop(failed);
        assert_eq!(std::fs::read(dir.path().join("结果/a.txt")).unwrap(), b"old");

        let mut second = Staging::begin(dir.path(), "结果").unwrap();
        second.write(Path::new("sub/b.txt"), b"new").unwrap();
        second.commit().unwrap();
        assert!(!dir.path().join("结果/a.txt").exists());
        assert_eq!(std::fs::read(dir.path().join("结果/sub/b.txt")).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no staging folders left: {names:?}");
    }
}
