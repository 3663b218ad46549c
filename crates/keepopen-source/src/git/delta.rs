//! Which bytes of a packed blob are copies of the blob it is a delta of.
//! gix resolves each delta from its base during the traversal but does not
//! hand out the instructions, so they are inflated again from the pack
//! (a delta is small beside what it makes) and read here: git's delta
//! format, two sizes then copy and insert instructions. Written here
//! because gix keeps its delta reader private.

use gix::ObjectId;
use gix::odb::pack;
use keepopen_content::Copied;

/// Blobs shorter than this are not worth it: scanning them whole costs
/// less than inflating their delta again.
pub(crate) const MIN_LEN: usize = 4096;

/// A delta is read again only when what it makes is at least this many
/// times its length.
const MAX_SHARE: usize = 8;

/// The pack's entries by offset, to name an offset-delta's base.
pub(crate) struct Offsets(Vec<(u64, u32)>);

impl Offsets {
    pub fn of(index: &pack::index::File) -> Self {
        let mut v: Vec<(u64, u32)> = (0..index.num_objects())
            .map(|i| (index.pack_offset_at_index(i), i))
            .collect();
        v.sort_unstable();
        Offsets(v)
    }

    fn index_at(&self, offset: u64) -> Option<u32> {
        let i = self.0.binary_search_by_key(&offset, |e| e.0).ok()?;
        Some(self.0[i].1)
    }
}

/// A thread's buffers for reading deltas again.
#[derive(Default)]
pub(crate) struct Deltas {
    inflate: gix::zlib::Inflate,
    buf: Vec<u8>,
    pub copies: Vec<Copied>,
}

impl Deltas {
    /// When the entry at `offset` is a delta whose result is `len` bytes:
    /// its base's id and length, with its copies in `self.copies`. `None`
    /// for a whole object, or one whose delta does not read back as one
    /// of that length (the caller then scans it whole).
    pub fn base(
        &mut self,
        bundle: &pack::Bundle,
        offsets: &Offsets,
        offset: u64,
        len: usize,
    ) -> Option<(ObjectId, usize)> {
        use pack::data::entry::Header;
        let entry = bundle.pack.entry(offset).ok()?;
        let base = match entry.header {
            Header::OfsDelta { base_distance } => {
                let at = entry.checked_base_pack_offset(base_distance)?;
                bundle.index.oid_at_index(offsets.index_at(at)?).to_owned()
            }
            Header::RefDelta { base_id } => base_id,
            _ => return None,
        };
        let size = usize::try_from(entry.decompressed_size).ok()?;
        // Inflating a delta again costs about what scanning a few times
        // its length does: one that is more than an eighth of what it
        // makes saves less than it costs (lockfiles rewritten in bulk,
        // minified bundles rebuilt).
        if size.saturating_mul(MAX_SHARE) > len {
            return None;
        }
        self.buf.clear();
        self.buf.resize(size, 0);
        // gix checks that the stream fills exactly `size` bytes.
        bundle
            .pack
            .decompress_entry(&entry, &mut self.inflate, &mut self.buf)
            .ok()?;
        let base_len = copies(&self.buf, len, &mut self.copies)?;
        Some((base, base_len))
    }
}

/// Reads git's delta instructions into `out`: the copies, in order. Returns
/// the base's length, or `None` when `delta` is not a well-formed delta
/// that makes `len` bytes from it.
pub(crate) fn copies(delta: &[u8], len: usize, out: &mut Vec<Copied>) -> Option<usize> {
    out.clear();
    let (base_len, rest) = super::sizes::varint(delta)?;
    let (result, delta) = super::sizes::varint(rest)?;
    let base_len = usize::try_from(base_len).ok()?;
    if usize::try_from(result).ok()? != len {
        return None;
    }
    let mut i = 0;
    let mut at = 0usize;
    while i < delta.len() {
        let cmd = delta[i];
        i += 1;
        if cmd & 0x80 != 0 {
            let mut field = |bits: u8, shifts: &[u32]| -> Option<usize> {
                let mut v = 0usize;
                for (k, &shift) in shifts.iter().enumerate() {
                    if bits & (1 << k) != 0 {
                        v |= usize::from(*delta.get(i)?) << shift;
                        i += 1;
                    }
                }
                Some(v)
            };
            let from = field(cmd & 0x0f, &[0, 8, 16, 24])?;
            let size = match field((cmd >> 4) & 0x07, &[0, 8, 16])? {
                0 => 0x10000,
                n => n,
            };
            if from.checked_add(size)? > base_len {
                return None;
            }
            out.push(Copied {
                at,
                from,
                len: size,
            });
            at = at.checked_add(size)?;
        } else if cmd != 0 {
            let n = usize::from(cmd);
            if i + n > delta.len() {
                return None;
            }
            i += n;
            at = at.checked_add(n)?;
        } else {
            return None; // reserved
        }
        if at > len {
            return None;
        }
    }
    (at == len).then_some(base_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint_of(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    #[test]
    fn copies_and_inserts_are_read_as_git_writes_them() {
        // base 70,000 bytes; result: copy 10 at 5, insert "abc", copy
        // 0x10000 (size 0) at 0x0102, insert 1 byte.
        let mut d = Vec::new();
        varint_of(70_000, &mut d);
        varint_of(10 + 3 + 0x10000 + 1, &mut d);
        d.extend([0x80 | 0x01 | 0x10, 5, 10]);
        d.extend([3, b'a', b'b', b'c']);
        d.extend([0x80 | 0x01 | 0x02, 0x02, 0x01]);
        d.extend([1, b'z']);
        let mut out = Vec::new();
        assert_eq!(copies(&d, 10 + 3 + 0x10000 + 1, &mut out), Some(70_000));
        assert_eq!(
            out,
            vec![
                Copied {
                    at: 0,
                    from: 5,
                    len: 10
                },
                Copied {
                    at: 13,
                    from: 0x0102,
                    len: 0x10000
                },
            ]
        );
        // The wrong result length, a copy past the base, a reserved
        // instruction, a truncated insert: none is read.
        assert_eq!(copies(&d, 99, &mut out), None);
        let mut past = Vec::new();
        varint_of(8, &mut past);
        varint_of(10, &mut past);
        past.extend([0x80 | 0x10, 10]);
        assert_eq!(copies(&past, 10, &mut out), None);
        let mut reserved = Vec::new();
        varint_of(8, &mut reserved);
        varint_of(1, &mut reserved);
        reserved.push(0);
        assert_eq!(copies(&reserved, 1, &mut out), None);
        assert_eq!(
            copies(&d[..d.len() - 1], 10 + 3 + 0x10000 + 1, &mut out),
            None
        );
    }

    #[test]
    fn any_bytes_read_without_panic_and_copies_stay_in_bounds() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut out = Vec::new();
        for round in 0..20_000 {
            let n = (round % 40) + 1;
            let d: Vec<u8> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let len = (x % 300) as usize;
            if let Some(base_len) = copies(&d, len, &mut out) {
                for c in &out {
                    assert!(c.at + c.len <= len && c.from + c.len <= base_len);
                }
            }
        }
    }

    /// A real pack made by git: every blob read from it whose delta is
    /// read back has copies that are exactly its base's bytes, and the
    /// versions of a file that changes a little are read that way.
    #[test]
    fn a_git_pack_s_deltas_name_bytes_that_are_their_base_s() {
        use crate::{Key, Progress, Source};
        use std::collections::HashMap;
        use std::sync::Mutex;
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        super::super::test_git(d, &["init", "-q", "-b", "main"]);
        let mut lines: Vec<String> = (0..600)
            .map(|i| format!("setting_{i} = value number {} for the service\n", i * 7))
            .collect();
        for v in 0..25 {
            lines[(v * 37) % 600] = format!("changed in version {v}\n");
            lines.insert((v * 53) % 600, format!("inserted in version {v}\n"));
            std::fs::write(d.join("config.txt"), lines.concat()).expect("write");
            super::super::test_git(d, &["add", "-A"]);
            super::super::test_git(d, &["commit", "-q", "-m", &format!("v{v}")]);
        }
        // Packed as `git gc` packs: each path's versions against each other.
        let list = std::process::Command::new("git")
            .args(["rev-list", "--objects", "--all"])
            .current_dir(d)
            .output()
            .expect("rev-list");
        let mut child = std::process::Command::new("git")
            .args(["pack-objects", "-q", "--window=50", "--depth=50"])
            .arg(".git/objects/pack/pack")
            .current_dir(d)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("pack-objects");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &list.stdout)
            .expect("list");
        assert!(child.wait().expect("pack-objects ends").success());
        super::super::test_git(d, &["prune-packed"]);

        type Seen = (Vec<u8>, Option<(Vec<u8>, usize, Vec<Copied>)>);
        let seen: Mutex<HashMap<Vec<u8>, Seen>> = Mutex::default();
        let visit = |item: crate::Item<'_>| {
            if !matches!(item.key, Key::Blob(_)) {
                return;
            }
            let l = item.content.lineage.expect("a packed blob is named");
            let base = l.base.map(|b| (b.id.to_vec(), b.len, b.copies.to_vec()));
            seen.lock()
                .expect("lock")
                .insert(l.id.to_vec(), (item.content.data.to_vec(), base));
        };
        super::super::History::open(d)
            .expect("opens")
            .for_each(&visit, &Progress::default());
        let seen = seen.into_inner().expect("lock");
        assert_eq!(seen.len(), 25, "every version read once");
        let (mut with_base, mut new_bytes) = (0, 0);
        for (data, base) in seen.values() {
            let Some((id, len, copies)) = base else {
                continue;
            };
            let (base_data, _) = &seen[id];
            assert_eq!(base_data.len(), *len);
            for c in copies {
                assert_eq!(data[c.at..c.at + c.len], base_data[c.from..c.from + c.len]);
            }
            with_base += 1;
            new_bytes += data.len() - copies.iter().map(|c| c.len).sum::<usize>();
        }
        assert!(with_base >= 20, "{with_base} of 25 read as deltas");
        assert!(new_bytes > 0);
    }
}
