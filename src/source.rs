//! Inputs: discover files (paths, directories, globs), open them (mmap with
//! a fallback to reads), sniff gzip by magic, fingerprint the content, and
//! hand the content on in line-aligned blocks. A `.gz` stream (any number
//! of members) is inflated on its own thread while the caller parses.

use crossbeam_channel::{bounded, Receiver};
use flate2::read::MultiGzDecoder;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Size of the content prefix that identifies an input (see [`fingerprint`]).
pub const ID_PREFIX: usize = 64 * 1024;

/// A file to read, as discovered.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// Bytes on disk when discovered; reading stops there (a live log that
    /// grows while we read is taken as it was at the start).
    pub size: u64,
    pub mtime: SystemTime,
}

/// An input that could not be used, with the reason.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    pub reason: String,
}

/// Expand paths, directories (walked, symlink loops skipped) and globs into
/// a sorted, de-duplicated list of regular files.
pub fn discover(specs: &[String]) -> (Vec<InputFile>, Vec<InputError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for spec in specs {
        let path = Path::new(spec);
        if path.exists() || !spec.contains(['*', '?', '[']) {
            walk(
                path,
                &mut found,
                &mut errors,
                &mut seen,
                &mut HashSet::new(),
            );
            continue;
        }
        match glob::glob(spec) {
            Ok(paths) => {
                let mut any = false;
                for p in paths {
                    match p {
                        Ok(p) => {
                            any = true;
                            walk(&p, &mut found, &mut errors, &mut seen, &mut HashSet::new());
                        }
                        Err(e) => errors.push(InputError {
                            path: e.path().display().to_string(),
                            reason: e.error().to_string(),
                        }),
                    }
                }
                if !any {
                    errors.push(InputError {
                        path: spec.clone(),
                        reason: "no file matches this pattern".into(),
                    });
                }
            }
            Err(e) => errors.push(InputError {
                path: spec.clone(),
                reason: format!("bad glob pattern: {e}"),
            }),
        }
    }
    found.sort_by(|a: &InputFile, b| a.path.cmp(&b.path));
    (found, errors)
}

fn walk(
    path: &Path,
    found: &mut Vec<InputFile>,
    errors: &mut Vec<InputError>,
    seen: &mut HashSet<PathBuf>,
    dirs: &mut HashSet<PathBuf>,
) {
    let err = |e: io::Error| InputError {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return errors.push(err(e)),
    };
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if meta.is_dir() {
        if !dirs.insert(canon) {
            return; // symlink loop
        }
        if crate::dsn::is_maildir(path) {
            // cur/ and new/ (and Maildir++ subfolders), never tmp/
            for msg in crate::dsn::maildir_messages(path) {
                walk(&msg, found, errors, seen, dirs);
            }
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => return errors.push(err(e)),
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            if child
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue; // hidden files: editor swap files, our own state
            }
            walk(&child, found, errors, seen, dirs);
        }
    } else if meta.is_file() {
        if seen.insert(canon) {
            found.push(InputFile {
                path: path.to_path_buf(),
                size: meta.len(),
                mtime: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    } else {
        errors.push(InputError {
            path: path.display().to_string(),
            reason: "not a regular file".into(),
        });
    }
}

/// The bytes of one file: memory-mapped when possible, read otherwise.
pub enum Content {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Content {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Content::Mapped(m) => m,
            Content::Owned(v) => v,
        }
    }
}

impl Content {
    /// Drop the pages of the bytes before `upto` from this process's
    /// resident set: they were read and will not be read again. Without
    /// it a mapped input of many GB would count in full in the peak RSS by
    /// its end. (No effect on read, not mapped, content.)
    pub fn release_before(&self, upto: usize) {
        if let Content::Mapped(m) = self {
            let end = upto.min(m.len()) / 4096 * 4096;
            if end > 0 {
                // SAFETY: the map is private, read-only and never written,
                // so its pages are the file's own: dropped pages are read
                // again from the file if touched, with the same bytes (the
                // mapped range of a log is not rewritten, see `open`). The
                // callers pass only offsets they have finished with.
                unsafe {
                    let _ = m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end);
                }
            }
        }
    }
}

/// Open a file, mapping at most `size` bytes (the size seen at discovery).
/// Every input goes through here.
pub fn open(path: &Path, size: u64) -> io::Result<Content> {
    let file = File::open(path)?;
    if size == 0 {
        return Ok(Content::Owned(Vec::new()));
    }
    // SAFETY: the map is read-only and private to this process. A log file
    // may be appended to while mapped; we only read the first `size` bytes,
    // which appending does not change. Truncation by another process would
    // be undefined behaviour, which is why the fallback below exists for
    // callers that cannot rule it out (stdin, pipes, special files).
    match unsafe { memmap2::MmapOptions::new().len(size as usize).map(&file) } {
        Ok(map) => {
            let _ = map.advise(memmap2::Advice::Sequential);
            Ok(Content::Mapped(map))
        }
        Err(_) => {
            let mut buf = Vec::with_capacity(size as usize);
            file.take(size).read_to_end(&mut buf)?;
            Ok(Content::Owned(buf))
        }
    }
}

/// True when the bytes start with the gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

/// Up to [`ID_PREFIX`] bytes of decoded content (inflating a gzip head).
pub fn head(bytes: &[u8]) -> Vec<u8> {
    if !is_gzip(bytes) {
        return bytes[..bytes.len().min(ID_PREFIX)].to_vec();
    }
    let mut out = Vec::with_capacity(ID_PREFIX);
    let _ = MultiGzDecoder::new(bytes)
        .take(ID_PREFIX as u64)
        .read_to_end(&mut out);
    out
}

/// Identity of an input: a hash of the first (up to 64 KiB) bytes of its
/// decoded content. The same log stays the same input as it grows
/// (`maillog`), is renamed (`maillog.1`) and is compressed (`maillog.2.gz`);
/// a file shorter than 64 KiB is matched on the length first seen
/// (see `state`).
pub fn fingerprint(head: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(head))
}

/// Why reading stopped early.
#[derive(Debug, thiserror::Error)]
#[error("{reason} at compressed byte offset {offset}")]
pub struct ReadError {
    pub reason: String,
    pub offset: u64,
}

/// Call `f` with line-aligned blocks of about `block` bytes of decoded
/// content, in order. Plain content is sliced in place (no copy); gzip is
/// inflated on a separate thread, two blocks ahead at most. A damaged gzip
/// stream yields every whole line before the damage, then the error.
pub fn for_each_block<E>(
    bytes: &[u8],
    block: usize,
    f: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<(), ReadError>, E> {
    for_each_block_with(bytes, block, &|_| {}, f)
}

/// [`for_each_block`] over a file's content, handing back the pages of
/// what was read as it goes ([`Content::release_before`]): the input's
/// share of the peak RSS stays about one block.
pub fn for_each_block_of<E>(
    content: &Content,
    block: usize,
    f: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<(), ReadError>, E> {
    let released = std::sync::atomic::AtomicUsize::new(0);
    let release = |upto: usize| {
        // only every 64 MiB: each call walks the page tables of the range
        if upto >= released.load(std::sync::atomic::Ordering::Relaxed) + (64 << 20) {
            released.store(upto, std::sync::atomic::Ordering::Relaxed);
            content.release_before(upto);
        }
    };
    for_each_block_with(content, block, &release, f)
}

/// [`for_each_block`], calling `release(n)` once the first `n` bytes of
/// `bytes` (compressed bytes, for gzip) are no longer needed.
fn for_each_block_with<E>(
    bytes: &[u8],
    block: usize,
    release: &(dyn Fn(usize) + Sync),
    mut f: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<(), ReadError>, E> {
    if !is_gzip(bytes) {
        let mut start = 0;
        while start < bytes.len() {
            let end = line_aligned_end(bytes, start, block);
            f(&bytes[start..end])?;
            release(end);
            start = end;
        }
        return Ok(Ok(()));
    }
    let bgzf = bgzf_blocks(bytes);
    let (tx, rx) = bounded::<Result<Vec<u8>, ReadError>>(2);
    // used buffers go back to the inflater: no fresh pages per block
    let (back, spare) = bounded::<Vec<u8>>(4);
    std::thread::scope(|s| {
        s.spawn(move || match bgzf {
            Some(blocks) => inflate_bgzf(bytes, &blocks, block, release, &spare, |b| {
                tx.send(b).is_ok()
            }),
            None => inflate_blocks(bytes, block, release, &spare, |b| tx.send(b).is_ok()),
        });
        let mut outcome = Ok(());
        for msg in rx {
            match msg {
                Ok(buf) => {
                    f(&buf)?;
                    let _ = back.try_send(buf);
                }
                Err(e) => outcome = Err(e),
            }
        }
        Ok(outcome)
    })
}

/// End of a block that starts at `start`: the newline after `start + block`.
fn line_aligned_end(bytes: &[u8], start: usize, block: usize) -> usize {
    let target = (start + block).min(bytes.len());
    if target == bytes.len() {
        return target;
    }
    match memchr::memchr(b'\n', &bytes[target..]) {
        Some(i) => target + i + 1,
        None => bytes.len(),
    }
}

struct Counting<'a> {
    inner: &'a [u8],
    pos: u64,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// A buffer for the next block: one the consumer handed back if there is
/// one (its pages are already faulted in), starting with `carry`.
fn next_buffer(spare: &Receiver<Vec<u8>>, carry: &mut Vec<u8>) -> Vec<u8> {
    let mut buf = spare.try_recv().unwrap_or_default();
    buf.clear();
    buf.extend_from_slice(carry);
    carry.clear();
    buf
}

/// Inflate `bytes` into line-aligned blocks passed to `send` (false = stop);
/// buffers come back through `spare` for reuse.
fn inflate_blocks(
    bytes: &[u8],
    block: usize,
    release: &(dyn Fn(usize) + Sync),
    spare: &Receiver<Vec<u8>>,
    mut send: impl FnMut(Result<Vec<u8>, ReadError>) -> bool,
) {
    let mut dec = MultiGzDecoder::new(Counting {
        inner: bytes,
        pos: 0,
    });
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = next_buffer(spare, &mut carry);
        buf.reserve(block + 64 * 1024);
        let want = block.saturating_sub(buf.len()).max(64 * 1024);
        let read = (&mut dec).take(want as u64).read_to_end(&mut buf);
        let eof = matches!(read, Ok(0));
        if let Err(e) = read {
            let offset = dec.get_ref().pos;
            // keep whole lines before the damage
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                buf.truncate(nl + 1);
                if !send(Ok(buf)) {
                    return;
                }
            }
            send(Err(ReadError {
                reason: format!("damaged gzip stream ({e})"),
                offset,
            }));
            return;
        }
        if eof {
            if !buf.is_empty() {
                send(Ok(buf));
            }
            return;
        }
        // the decoder has its own 32 KiB window: bytes it has read are done
        release(dec.get_ref().pos as usize);
        if let Some(nl) = memchr::memrchr(b'\n', &buf) {
            carry.extend_from_slice(&buf[nl + 1..]);
            buf.truncate(nl + 1);
        } else {
            carry = buf; // one very long line: keep reading
            continue;
        }
        if !send(Ok(buf)) {
            return;
        }
    }
}

/// One BGZF block: where it starts in the file, where its deflate data
/// lies, and how long it inflates to.
#[derive(Debug, Clone, Copy)]
struct BgzfBlock {
    start: usize,
    data: (usize, usize),
    crc: u32,
    len: usize,
}

/// The BGZF block (what `bgzip` writes: gzip members of at most 64 KiB,
/// each naming its own size in a `BC` extra field) at the start of `b`.
fn bgzf_block(b: &[u8], start: usize) -> Option<BgzfBlock> {
    let h = b.get(start..start + 12)?;
    if h[..4] != [0x1f, 0x8b, 8, 4] {
        return None;
    }
    let xlen = usize::from(u16::from_le_bytes([h[10], h[11]]));
    let extra = b.get(start + 12..start + 12 + xlen)?;
    let mut i = 0;
    let mut size = None;
    while i + 4 <= extra.len() {
        let slen = usize::from(u16::from_le_bytes([extra[i + 2], extra[i + 3]]));
        if extra[i..i + 2] == *b"BC" && slen == 2 && i + 6 <= extra.len() {
            size = Some(usize::from(u16::from_le_bytes([extra[i + 4], extra[i + 5]])) + 1);
        }
        i += 4 + slen;
    }
    let size = size?;
    let end = start + size;
    let data_start = start + 12 + xlen;
    if end > b.len() || data_start + 8 > end {
        return None;
    }
    let word = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
    Some(BgzfBlock {
        start,
        data: (data_start, end - 8),
        crc: word(end - 8),
        len: word(end - 4) as usize,
    })
}

/// Every block, when the whole of `bytes` is BGZF (else `None`, and the
/// stream is read as ordinary gzip, which also reports damage).
fn bgzf_blocks(bytes: &[u8]) -> Option<Vec<BgzfBlock>> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let b = bgzf_block(bytes, at)?;
        // a BGZF block inflates to at most 64 KiB
        if b.len > 1 << 16 {
            return None;
        }
        at = b.data.1 + 8;
        blocks.push(b);
    }
    (!blocks.is_empty()).then_some(blocks)
}

/// Inflate one BGZF block into `out` (exactly its inflated length),
/// checking the length and the CRC.
fn inflate_bgzf_block(bytes: &[u8], b: &BgzfBlock, out: &mut [u8]) -> Result<(), String> {
    let mut d = flate2::Decompress::new(false);
    let status = d
        .decompress(
            &bytes[b.data.0..b.data.1],
            out,
            flate2::FlushDecompress::Finish,
        )
        .map_err(|e| e.to_string())?;
    if status != flate2::Status::StreamEnd || d.total_out() as usize != b.len {
        return Err("BGZF block inflates to the wrong length".into());
    }
    let mut crc = flate2::Crc::new();
    crc.update(out);
    if crc.sum() != b.crc {
        return Err("BGZF block CRC mismatch".into());
    }
    Ok(())
}

/// BGZF: groups of blocks (about `block` bytes inflated) are inflated in
/// parallel (rayon), then cut at the last newline like [`inflate_blocks`].
fn inflate_bgzf(
    bytes: &[u8],
    blocks: &[BgzfBlock],
    block: usize,
    release: &(dyn Fn(usize) + Sync),
    spare: &Receiver<Vec<u8>>,
    mut send: impl FnMut(Result<Vec<u8>, ReadError>) -> bool,
) {
    use rayon::prelude::*;
    let mut carry: Vec<u8> = Vec::new();
    let mut next = 0;
    while next < blocks.len() {
        let mut end = next;
        let mut size = 0;
        while end < blocks.len() && (size < block || end == next) {
            size += blocks[end].len;
            end += 1;
        }
        let group = &blocks[next..end];
        // every block inflates straight into its own slice of the buffer
        let mut buf = next_buffer(spare, &mut carry);
        let from = buf.len();
        buf.resize(from + size, 0);
        let mut slices = Vec::with_capacity(group.len());
        let mut rest = &mut buf[from..];
        for b in group {
            let (mine, tail) = rest.split_at_mut(b.len);
            slices.push(mine);
            rest = tail;
        }
        let failed = group
            .par_iter()
            .zip(slices.into_par_iter())
            .enumerate()
            .filter_map(|(i, (b, out))| inflate_bgzf_block(bytes, b, out).err().map(|e| (i, e)))
            .min_by_key(|(i, _)| *i);
        if let Some((i, reason)) = failed {
            // keep whole lines before the damaged block
            let good = from + group[..i].iter().map(|b| b.len).sum::<usize>();
            buf.truncate(good);
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                buf.truncate(nl + 1);
                if !send(Ok(buf)) {
                    return;
                }
            }
            send(Err(ReadError {
                reason: format!("damaged gzip stream ({reason})"),
                offset: group[i].start as u64,
            }));
            return;
        }
        release(group[group.len() - 1].data.1 + 8);
        next = end;
        if next == blocks.len() {
            if !buf.is_empty() {
                send(Ok(buf));
            }
            return;
        }
        match memchr::memrchr(b'\n', &buf) {
            Some(nl) => {
                carry.extend_from_slice(&buf[nl + 1..]);
                buf.truncate(nl + 1);
                if !send(Ok(buf)) {
                    return;
                }
            }
            None => carry = buf, // one very long line: keep reading
        }
    }
}

/// Split a block into about `parts` line-aligned chunks for parallel parsing.
pub fn split_lines(block: &[u8], parts: usize) -> Vec<&[u8]> {
    let size = (block.len() / parts.max(1)).max(256 * 1024);
    let mut out = Vec::new();
    let mut start = 0;
    while start < block.len() {
        let end = line_aligned_end(block, start, size);
        out.push(&block[start..end]);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn collect(bytes: &[u8], block: usize) -> (Vec<u8>, Result<(), ReadError>, usize) {
        let mut all = Vec::new();
        let mut n = 0;
        let r = for_each_block::<()>(bytes, block, |b| {
            all.extend_from_slice(b);
            n += 1;
            Ok(())
        })
        .unwrap();
        (all, r, n)
    }

    fn text(lines: usize) -> Vec<u8> {
        (0..lines)
            .map(|i| format!("line {i} with some padding text\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn plain_and_gzip_yield_the_same_bytes() {
        let data = text(50_000);
        let (plain, r1, n1) = collect(&data, 100_000);
        let (inflated, r2, n2) = collect(&gz(&data), 100_000);
        assert!(r1.is_ok() && r2.is_ok());
        assert_eq!(plain, data);
        assert_eq!(inflated, data);
        assert!(n1 > 5 && n2 > 5);
    }

    /// What `bgzip` writes: members of at most 64 KiB of input, each with
    /// a `BC` extra field holding its size - 1, then the empty EOF block.
    fn bgzf(data: &[u8], chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut member = |piece: &[u8]| {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(piece).unwrap();
            let cdata = e.finish().unwrap();
            let bsize = (18 + cdata.len() + 8 - 1) as u16;
            out.extend_from_slice(&[
                0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, b'B', b'C', 2, 0,
            ]);
            out.extend_from_slice(&bsize.to_le_bytes());
            out.extend_from_slice(&cdata);
            let mut crc = flate2::Crc::new();
            crc.update(piece);
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(piece.len() as u32).to_le_bytes());
        };
        for piece in data.chunks(chunk) {
            member(piece);
        }
        member(b"");
        out
    }

    #[test]
    fn bgzf_is_inflated_in_parallel_to_the_same_bytes() {
        let data = text(60_000);
        let z = bgzf(&data, 65_280);
        let blocks = bgzf_blocks(&z).expect("recognised as BGZF");
        assert_eq!(blocks.len(), data.len().div_ceil(65_280) + 1);
        assert!(bgzf_blocks(&gz(&data)).is_none(), "plain gzip is not BGZF");
        // groups smaller than, equal to and larger than a block
        for block in [1000, 65_536, 300_000, 10 << 20] {
            let (out, r, n) = collect(&z, block);
            assert!(r.is_ok());
            assert_eq!(out, data, "block {block}");
            assert!(n >= 1);
        }
        // the first 64 KiB (the fingerprint) are the same as plain
        assert_eq!(head(&z), head(&data));
    }

    #[test]
    fn damaged_bgzf_keeps_whole_lines_before_the_damage() {
        let data = text(60_000);
        let mut z = bgzf(&data, 65_280);
        let blocks = bgzf_blocks(&z).unwrap();
        // flip bytes inside the deflate data of block 10
        let victim = blocks[10];
        for byte in &mut z[victim.data.0 + 20..victim.data.0 + 40] {
            *byte ^= 0x5a;
        }
        let (out, r, _) = collect(&z, 200_000);
        let err = r.unwrap_err();
        assert_eq!(err.offset, victim.start as u64, "{err}");
        assert!(
            out.len() <= 10 * 65_280 && out.len() > 8 * 65_280,
            "{}",
            out.len()
        );
        assert!(out.ends_with(b"\n"));
        assert!(data.starts_with(&out));
        // cut short: not a whole BGZF file, read as gzip, damage reported
        let z = bgzf(&data, 65_280);
        let (out, r, _) = collect(&z[..z.len() / 2], 200_000);
        assert!(r.is_err());
        assert!(!out.is_empty() && data.starts_with(&out));
    }

    #[test]
    fn multi_member_gzip_is_read_to_the_end() {
        let a = text(1000);
        let b = text(2000);
        let mut both = gz(&a);
        both.extend(gz(&b));
        let (out, r, _) = collect(&both, 10_000);
        assert!(r.is_ok());
        assert_eq!(out.len(), a.len() + b.len());
    }

    #[test]
    fn truncated_gzip_keeps_whole_lines_and_reports_offset() {
        let data = text(100_000);
        let z = gz(&data);
        let cut = &z[..z.len() / 2];
        let (out, r, _) = collect(cut, 64 * 1024);
        let err = r.unwrap_err();
        assert!(err.offset > 0 && err.offset <= cut.len() as u64);
        assert!(!out.is_empty() && out.ends_with(b"\n"));
        assert!(data.starts_with(&out));
    }

    #[test]
    fn blocks_are_line_aligned_without_trailing_newline() {
        let data = b"a\nbb\nccc".to_vec();
        let mut blocks = Vec::new();
        for_each_block::<()>(&data, 1, |b| {
            blocks.push(b.to_vec());
            Ok(())
        })
        .unwrap()
        .unwrap();
        assert_eq!(
            blocks,
            vec![b"a\n".to_vec(), b"bb\n".to_vec(), b"ccc".to_vec()]
        );
    }

    #[test]
    fn fingerprint_follows_content_not_compression() {
        let data = text(10);
        assert_eq!(fingerprint(&head(&data)), fingerprint(&head(&gz(&data))));
        assert_ne!(fingerprint(&head(&data)), fingerprint(&head(&text(11))));
    }
}
