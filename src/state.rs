//! Run state under `OUT/.bouncelens/`: which inputs were processed (so runs
//! are incremental and idempotent), the lock that keeps two runs apart, and
//! the commit protocol that makes a killed run harmless.
//!
//! Commit of one input: its parts are fully written under `tmp/`; a journal
//! `pending/<id>.json` names them; then the input's old parts are removed,
//! the new ones renamed into place, the state file rewritten (temp + rename;
//! at most every two seconds and at the end of the run) and then the
//! journal deleted. A run that finds a journal rolls it forward.

use crate::sink::{create_private, PendingPart, META_DIR};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

const STATE_FILE: &str = "state.json";
const STATE_VERSION: u32 = 1;
/// Longest time between state saves while a run commits inputs.
const SAVE_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot use output directory {path}: {source}")]
    Out {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another bouncelens run holds the lock on {0} (wait for it to finish)")]
    Locked(PathBuf),
    #[error("state file {path} is unreadable ({reason}); run again with --reprocess to rebuild the tables from the inputs")]
    Corrupt { path: PathBuf, reason: String },
    #[error("shard name {0:?} must be letters, digits, '.', '-' or '_' (not starting with '.')")]
    BadShard(String),
    #[error("cannot write state under {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What we remember about one processed input.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    /// Bytes of decoded content hashed into the id (≤ 64 KiB).
    pub head_len: u64,
    /// Decoded bytes processed.
    pub content_len: u64,
    /// Whether the input was gzip.
    pub gz: bool,
    pub format: String,
    pub run_id: String,
    /// Part files, relative to `--out`.
    pub parts: Vec<PathBuf>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub inputs: BTreeMap<String, Entry>,
}

/// A journal of one commit in progress.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    id: String,
    entry: Entry,
    parts: Vec<PendingPart>,
    tmp_dir: PathBuf,
}

/// The open output directory: state loaded, lock held.
pub struct OutDir {
    pub root: PathBuf,
    meta: PathBuf,
    sharded: bool,
    pub state: State,
    /// Applied commits whose journal waits for the next state save.
    unsaved: Vec<(PathBuf, PathBuf)>,
    last_save: std::time::Instant,
    _lock: File,
}

impl OutDir {
    /// Create/lock `root`; load the state (or start empty with `reprocess`).
    /// A `shard` keeps its state, lock, journals and temp files apart
    /// (`.bouncelens/shards/NAME/`), so runs of different shards can share
    /// `root` at the same time.
    pub fn open(root: &Path, shard: Option<&str>, reprocess: bool) -> Result<OutDir, StateError> {
        let meta = match shard {
            None => root.join(META_DIR),
            Some(name) => {
                if !valid_shard(name) {
                    return Err(StateError::BadShard(name.to_owned()));
                }
                root.join(META_DIR).join("shards").join(name)
            }
        };
        let sharded = shard.is_some();
        let out_err = |source| StateError::Out {
            path: root.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(meta.join("pending")).map_err(out_err)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(meta.join("lock"))
            .map_err(out_err)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StateError::Locked(root.to_path_buf()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(out_err(e)),
        }
        // prove we can write here before any work starts
        let probe = meta.join(format!("probe-{}", std::process::id()));
        File::create(&probe)
            .and_then(|mut f| f.write_all(b"ok").and_then(|_| f.sync_all()))
            .map_err(out_err)?;
        let _ = std::fs::remove_file(&probe);
        let mut dir = OutDir {
            root: root.to_path_buf(),
            meta,
            sharded,
            state: State::default(),
            unsaved: Vec::new(),
            last_save: std::time::Instant::now(),
            _lock: lock,
        };
        dir.state = dir.load(reprocess)?;
        dir.roll_forward()?;
        dir.flush()?;
        let _ = std::fs::remove_dir_all(dir.meta.join("tmp"));
        Ok(dir)
    }

    fn load(&self, reprocess: bool) -> Result<State, StateError> {
        let path = self.meta.join(STATE_FILE);
        let fresh = State {
            version: STATE_VERSION,
            ..State::default()
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(fresh),
            Err(e) if reprocess => {
                eprintln!("bouncelens: ignoring unreadable state file ({e})");
                return Ok(fresh);
            }
            Err(e) => {
                return Err(StateError::Corrupt {
                    path,
                    reason: e.to_string(),
                })
            }
        };
        match serde_json::from_str::<State>(&text) {
            Ok(s) if s.version == STATE_VERSION => Ok(s),
            Ok(s) if reprocess => Ok(State {
                version: STATE_VERSION,
                ..s
            }),
            Ok(s) => Err(StateError::Corrupt {
                path,
                reason: format!("version {} is not {STATE_VERSION}", s.version),
            }),
            // A shard's inputs rewrite the same part names when processed
            // again, so its rows are replaced; other shards' rows stay.
            Err(_) if reprocess && self.sharded => Ok(fresh),
            // --reprocess rebuilds: parts of inputs named in a corrupt state
            // cannot be found, so the tables are cleared instead.
            Err(_) if reprocess => {
                clear_tables(&self.root).map_err(|source| StateError::Write {
                    path: self.root.clone(),
                    source,
                })?;
                Ok(fresh)
            }
            Err(e) => Err(StateError::Corrupt {
                path,
                reason: e.to_string(),
            }),
        }
    }

    fn save(&self) -> Result<(), StateError> {
        let path = self.meta.join(STATE_FILE);
        let tmp = self.meta.join(format!("{STATE_FILE}.tmp"));
        let err = |source| StateError::Write {
            path: path.clone(),
            source,
        };
        let text = serde_json::to_vec_pretty(&self.state).expect("state serialises");
        let mut f = create_private(&tmp).map_err(err)?;
        f.write_all(&text).and_then(|_| f.sync_all()).map_err(err)?;
        std::fs::rename(&tmp, &path).map_err(err)
    }

    /// Commit one input's parts and record it (see the module docs).
    pub fn commit(
        &mut self,
        id: &str,
        entry: Entry,
        tmp_dir: PathBuf,
        parts: Vec<PendingPart>,
    ) -> Result<(), StateError> {
        let journal = Journal {
            id: id.to_owned(),
            entry,
            parts,
            tmp_dir,
        };
        let path = self.meta.join("pending").join(format!("{id}.json"));
        let err = |source| StateError::Write {
            path: path.clone(),
            source,
        };
        let mut f = create_private(&path).map_err(err)?;
        f.write_all(&serde_json::to_vec(&journal).expect("journal serialises"))
            .map_err(err)?;
        self.apply(journal, &path)
    }

    fn apply(&mut self, j: Journal, journal_path: &Path) -> Result<(), StateError> {
        let err = |source| StateError::Write {
            path: self.root.clone(),
            source,
        };
        let new: Vec<&PathBuf> = j.parts.iter().map(|p| &p.rel).collect();
        if let Some(old) = self.state.inputs.get(&j.id) {
            for rel in old.parts.iter().filter(|r| !new.contains(r)) {
                let _ = std::fs::remove_file(self.root.join(rel));
            }
        }
        for p in &j.parts {
            let dest = self.root.join(&p.rel);
            if p.tmp.exists() {
                std::fs::create_dir_all(dest.parent().expect("has a parent")).map_err(err)?;
                std::fs::rename(&p.tmp, &dest).map_err(err)?;
            }
        }
        let mut entry = j.entry;
        entry.parts = j.parts.into_iter().map(|p| p.rel).collect();
        self.state.inputs.insert(j.id, entry);
        self.unsaved.push((journal_path.to_path_buf(), j.tmp_dir));
        // Saving the state after every input would rewrite it n times for n
        // small inputs; the journals keep unsaved commits safe meanwhile.
        if self.last_save.elapsed() >= SAVE_EVERY || self.unsaved.len() >= 10_000 {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the state file, then drop the journals it now covers.
    /// Where this run's temp parts go (`PartSink`).
    pub fn tmp_root(&self) -> PathBuf {
        self.meta.join("tmp")
    }

    /// Remove the temp area (parts of inputs not committed). Safe: we hold
    /// the lock, so no other run is writing there.
    pub fn remove_temp(&self) {
        let _ = std::fs::remove_dir_all(self.meta.join("tmp"));
    }

    pub fn flush(&mut self) -> Result<(), StateError> {
        if self.unsaved.is_empty() {
            return Ok(());
        }
        // one sync of the whole file system instead of one per part file:
        // what the state names must be on disk before the state is
        sync_fs(&self.root).map_err(|source| StateError::Write {
            path: self.root.clone(),
            source,
        })?;
        self.save()?;
        for (journal, tmp_dir) in self.unsaved.drain(..) {
            let _ = std::fs::remove_dir_all(&tmp_dir);
            let _ = std::fs::remove_file(&journal);
        }
        self.last_save = std::time::Instant::now();
        Ok(())
    }

    /// Finish commits that a killed run left half done.
    fn roll_forward(&mut self) -> Result<(), StateError> {
        let dir = self.meta.join("pending");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for e in rd.flatten() {
            let path = e.path();
            let parsed = std::fs::read(&path)
                .ok()
                .and_then(|b| serde_json::from_slice::<Journal>(&b).ok());
            match parsed {
                Some(j) => self.apply(j, &path)?,
                // a journal cut short was never acted on
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        Ok(())
    }

    /// Find the recorded input this content belongs to: the same id, or a
    /// shorter head (the file was under 64 KiB then) that this one starts with.
    pub fn find(&self, id: &str, head: &[u8]) -> Option<(&str, &Entry)> {
        if let Some((k, e)) = self.state.inputs.get_key_value(id) {
            return Some((k.as_str(), e));
        }
        self.state
            .inputs
            .iter()
            .filter(|(_, e)| (e.head_len as usize) < head.len() && e.head_len > 0)
            .find(|(k, e)| crate::source::fingerprint(&head[..e.head_len as usize]) == **k)
            .map(|(k, e)| (k.as_str(), e))
    }
}

/// A shard name is one safe path component.
fn valid_shard(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.len() <= 200
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

fn clear_tables(root: &Path) -> std::io::Result<()> {
    for t in crate::sink::TABLES {
        let dir = root.join(t);
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
    }
    Ok(())
}

/// Flush every file of the file system holding `dir` to stable storage.
fn sync_fs(dir: &Path) -> std::io::Result<()> {
    let f = File::open(dir)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: syncfs only reads the descriptor, which `f` keeps open.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        f.sync_all()
    }
}
