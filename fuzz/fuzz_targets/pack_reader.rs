//! The history reader on crafted packs: a bare repository whose only pack
//! is built from the input, read through `History::open` and
//! `Source::for_each` with a 1 MiB `max_blob_size` and one thread.
//!
//! The first byte chooses the shape. Its low two bits zero: the rest of the
//! input is the pack as it stands (seeds are real packs made by `git`, see
//! README), its trailing checksum recomputed when bit 2 is set. Otherwise the
//! rest describes entries, so the fuzzer gets past the header and the zlib
//! streams at once: blobs, trees, commits and tags with honest or wildly
//! wrong declared sizes (up to 2^64), ofs- and ref-deltas on earlier entries
//! (chains of them) whose copy instructions can claim up to 16 MiB each,
//! truncated zlib streams and a wrong object count. Bit 3 set: an index is
//! written beside the pack first (gix's `Bundle::write_to_directory`, as
//! `git index-pack` would), so the indexed path with its size checks and
//! delta-tree traversal reads it; clear: the pack has no `.idx` and the
//! reader's index rebuild runs.
//!
//! Asserted: nothing panics, `for_each` returns (and within libFuzzer's
//! `-timeout` and `-rss_limit_mb`), and no visited blob is larger than the
//! `max_blob_size` it was given.
#![no_main]

use gix::hash::ObjectId;
use keepopen_source::{Progress, Source, git::History};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::atomic::AtomicBool;

const LIMIT: u64 = 1 << 20;

/// Reads the input front to back; past its end, zeros.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    fn empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A delta header size: little-endian groups of seven bits.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A pack entry header: type, then the size in a 4-bit and 7-bit groups.
fn entry_header(out: &mut Vec<u8>, kind: u8, size: u64) {
    let mut b = (kind << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest != 0 {
        out.push(b | 0x80);
        b = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(b);
}

/// An ofs-delta's distance back to its base, in git's offset encoding.
fn ofs_distance(out: &mut Vec<u8>, mut d: u64) {
    let mut buf = vec![(d & 0x7f) as u8];
    d >>= 7;
    while d != 0 {
        d -= 1;
        buf.push(0x80 | (d & 0x7f) as u8);
        d >>= 7;
    }
    buf.reverse();
    out.extend_from_slice(&buf);
}

fn sha1(data: &[u8]) -> ObjectId {
    let mut h = gix::hash::hasher(gix::hash::Kind::Sha1);
    h.update(data);
    h.try_finalize().expect("sha1 without collision")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(data).expect("in memory");
    z.finish().expect("in memory")
}

/// A delta's instructions: copies from the base (any offset, sizes up to
/// 16 MiB) and inserts of input bytes; returns the size they produce.
fn instructions(c: &mut Cursor<'_>, out: &mut Vec<u8>) -> u64 {
    let mut produced = 0u64;
    for _ in 0..(c.u8() % 16) {
        let op = c.u8();
        if op & 0x80 != 0 {
            let offset = u32::from(c.u16()) << (op & 0x08);
            let size: u32 = match op & 0x03 {
                0 => u32::from(c.u8()) + 1,
                1 => 0x10000, // encoded as no size bytes
                2 => 0xff_ffff,
                _ => 1 << 20,
            };
            let mut cmd = 0x80u8;
            let mut args = Vec::new();
            for i in 0..4 {
                let b = (offset >> (8 * i)) as u8;
                if b != 0 {
                    cmd |= 1 << i;
                    args.push(b);
                }
            }
            if size != 0x10000 {
                for i in 0..3 {
                    let b = (size >> (8 * i)) as u8;
                    if b != 0 {
                        cmd |= 0x10 << i;
                        args.push(b);
                    }
                }
            }
            out.push(cmd);
            out.extend_from_slice(&args);
            produced += u64::from(size);
        } else {
            let n = (op & 0x7f).max(1);
            let bytes = c.take(usize::from(n));
            out.push(bytes.len().max(1) as u8);
            out.extend_from_slice(bytes);
            if bytes.is_empty() {
                out.push(0);
            }
            produced += bytes.len().max(1) as u64;
        }
    }
    produced
}

/// A pack described by the input, entry by entry.
fn structured(c: &mut Cursor<'_>) -> Vec<u8> {
    let count_mode = c.u8();
    let mut body = Vec::new();
    // (offset, payload length, id if not a delta)
    let mut entries: Vec<(u64, u64, Option<ObjectId>)> = Vec::new();
    while !c.empty() && entries.len() < 64 {
        let offset = 12 + body.len() as u64;
        let kind_byte = c.u8();
        let size_mode = c.u8();
        let mut entry = Vec::new();
        let (kind, payload, id) = match kind_byte % 6 {
            k @ 0..=3 => {
                let kind = k + 1; // commit, tree, blob, tag
                let len = usize::from(c.u8()) * usize::from(size_mode >> 4).max(1);
                let payload = c.take(len).to_vec();
                let name = ["commit", "tree", "blob", "tag"][usize::from(k)];
                let mut obj = format!("{name} {}\0", payload.len()).into_bytes();
                obj.extend_from_slice(&payload);
                (kind, payload, Some(sha1(&obj)))
            }
            k => {
                let kind = if k == 4 { 6 } else { 7 };
                let base = if entries.is_empty() {
                    None
                } else {
                    Some(usize::from(c.u8()) % entries.len())
                };
                let mut delta = Vec::new();
                let mut instr = Vec::new();
                let produced = instructions(c, &mut instr);
                let base_size = match (c.u8() % 4, base) {
                    (0 | 1, Some(b)) => entries[b].1,
                    (2, _) => u64::from(c.u32()),
                    _ => c.u64(),
                };
                let result = match size_mode % 4 {
                    0 | 1 => produced,
                    2 => u64::from(c.u32()),
                    _ => c.u64(),
                };
                varint(&mut delta, base_size);
                varint(&mut delta, result);
                delta.extend_from_slice(&instr);
                if kind == 6 {
                    let d = match base {
                        Some(b) if c.u8() % 8 != 0 => offset - entries[b].0,
                        _ => c.u64(),
                    };
                    ofs_distance(&mut entry, d);
                } else {
                    let id = match base.and_then(|b| entries[b].2) {
                        Some(id) if c.u8() % 8 != 0 => id,
                        _ => ObjectId::from_bytes_or_panic(&{
                            let mut b = [0u8; 20];
                            b.copy_from_slice(&[c.take(20), &[0u8; 20][..]].concat()[..20]);
                            b
                        }),
                    };
                    entry.extend_from_slice(id.as_bytes());
                }
                (kind, delta, None)
            }
        };
        let declared = match (size_mode >> 2) % 4 {
            0 | 1 => payload.len() as u64,
            2 => payload.len() as u64 + u64::from(c.u16()),
            _ => c.u64(),
        };
        let mut head = Vec::new();
        entry_header(&mut head, kind, declared);
        body.extend_from_slice(&head);
        body.extend_from_slice(&entry);
        let mut z = zlib(&payload);
        if kind_byte & 0x80 != 0 {
            z.truncate(usize::from(c.u8()) % (z.len() + 1));
        }
        body.extend_from_slice(&z);
        entries.push((offset, payload.len() as u64, id));
    }
    let count = if count_mode % 8 == 0 {
        c.u32()
    } else {
        entries.len() as u32
    };
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&count.to_be_bytes());
    pack.extend_from_slice(&body);
    let sum = sha1(&pack);
    pack.extend_from_slice(sum.as_bytes());
    pack
}

fuzz_target!(|data: &[u8]| {
    let mut c = Cursor(data);
    let flags = c.u8();
    let pack = if flags & 3 == 0 {
        let mut raw = c.0.to_vec();
        if flags & 4 != 0 && raw.len() >= 32 {
            raw.truncate(raw.len() - 20);
            let sum = sha1(&raw);
            raw.extend_from_slice(sum.as_bytes());
        }
        raw
    } else {
        structured(&mut c)
    };

    let tmp = tempfile::tempdir().expect("a temporary folder");
    let git = tmp.path().join("repo.git");
    let packs = git.join("objects/pack");
    std::fs::create_dir_all(&packs).expect("objects/pack");
    std::fs::create_dir_all(git.join("refs/heads")).expect("refs/heads");
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").expect("HEAD");
    std::fs::write(
        git.join("config"),
        "[core]\n\trepositoryformatversion = 0\n\tbare = true\n",
    )
    .expect("config");

    let indexed = flags & 8 != 0
        && gix::odb::pack::Bundle::write_to_directory(
            &mut &pack[..],
            Some(&packs),
            &mut gix::progress::Discard,
            &AtomicBool::new(false),
            None::<gix::objs::find::Never>,
            gix::hash::Kind::Sha1,
            gix::odb::pack::bundle::write::Options {
                thread_limit: Some(1),
                alloc_limit_bytes: Some(LIMIT as usize),
                ..Default::default()
            },
        )
        .is_ok();
    if !indexed {
        // Whatever a failed write left behind goes, then the bare pack.
        let _ = std::fs::remove_dir_all(&packs);
        std::fs::create_dir_all(&packs).expect("objects/pack");
        let name = format!("pack-{}.pack", sha1(&pack).to_hex());
        std::fs::write(packs.join(name), &pack).expect("the pack");
    }

    let history = match History::open(&git) {
        Ok(h) => h.max_blob_size(LIMIT).threads(1),
        Err(e) => panic!("a valid bare layout did not open: {e:?}"),
    };
    let visit = |item: keepopen_source::Item<'_>| {
        assert!(
            item.content.data.len() as u64 <= LIMIT,
            "a {}-byte item passed a {LIMIT}-byte limit: {:?}",
            item.content.data.len(),
            item.key
        );
    };
    let _problems = history.for_each(&visit, &Progress::default());
});
