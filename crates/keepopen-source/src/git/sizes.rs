//! Declared sizes, checked before anything is allocated for them. A pack
//! entry's header says how big its object is, and a reader allocates that
//! much: a 90-byte entry declaring 8 GiB made a scan allocate 8 GiB. Here
//! each entry's claim is held against what its bytes could produce and
//! against the configured ceiling (`--max-blob-size`); an object over
//! either, and every delta built on one, is left out and named.

use crate::limit::over_limit;
use gix::ObjectId;
use gix::odb::pack;
use pack::data::entry::Header;
use std::collections::HashMap;

/// Deflate cannot expand its input more than about 1032 times.
const DEFLATE_MAX_RATIO: u64 = 1032;
/// More than one delta instruction byte can produce: a copy of 0xFF0000
/// bytes takes two bytes of instruction (a command and one size byte).
const COPY_PER_BYTE: u64 = 0x80_0000;

/// An object left out, and why.
#[derive(Debug)]
pub(crate) struct Oversized {
    pub id: ObjectId,
    pub why: String,
}

/// The objects of `bundle` that cannot be read: a blob over `limit`, or
/// any object declaring more than its bytes could produce. Commits, trees
/// and tags are held only to the second: the history's shape needs them.
pub(crate) fn oversized(bundle: &pack::Bundle, limit: u64) -> Vec<Oversized> {
    let pack = &bundle.pack;
    let mut entries: Vec<(u64, ObjectId)> = bundle
        .index
        .iter()
        .map(|e| (e.pack_offset, e.oid))
        .collect();
    entries.sort_unstable();
    let at = |offset: u64| entries.binary_search_by_key(&offset, |e| e.0).ok();
    let mut bad: HashMap<usize, String> = HashMap::new();
    // (delta, its base), as positions in `entries`.
    let mut bases: Vec<(u32, u32)> = Vec::new();
    // Whether each entry is (or is a delta of) a blob, or of unknown kind.
    let mut blob = vec![true; entries.len()];
    let mut inflate = flate2::Decompress::new(true);
    for (i, &(offset, _)) in entries.iter().enumerate() {
        let end = entries
            .get(i + 1)
            .map_or(pack.pack_end() as u64, |&(next, _)| next);
        let Ok(entry) = pack.entry(offset) else {
            continue; // a damaged entry is the traversal's to report
        };
        let base = match entry.header {
            Header::OfsDelta { base_distance } => {
                entry.checked_base_pack_offset(base_distance).and_then(at)
            }
            Header::RefDelta { base_id } => bundle
                .index
                .lookup(base_id)
                .and_then(|i| at(bundle.index.pack_offset_at_index(i))),
            Header::Blob => None,
            _ => {
                blob[i] = false;
                None
            }
        };
        if let Some(b) = base {
            // An ofs-delta's base comes first, so its kind is known.
            blob[i] = b >= i || blob[b];
            bases.push((i as u32, b as u32));
        }
        let compressed = end.saturating_sub(entry.data_offset);
        let data = pack.entry_slice(entry.data_offset..end).unwrap_or_default();
        let ceiling = if blob[i] { limit } else { u64::MAX };
        if let Some(why) = too_big(&entry, compressed, data, ceiling, &mut inflate) {
            bad.insert(i, why);
        }
    }
    // A delta on a left-out base would decode that base: leave it out too.
    // Bases may follow their deltas (ref-deltas), hence the fixpoint.
    while !bad.is_empty() {
        let mut changed = false;
        for &(d, b) in &bases {
            let (d, b) = (d as usize, b as usize);
            if !bad.contains_key(&d) && bad.contains_key(&b) {
                let why = format!("its delta base {} is skipped", entries[b].1);
                bad.insert(d, why);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out: Vec<Oversized> = bad
        .into_iter()
        .map(|(i, why)| Oversized {
            id: entries[i].1,
            why,
        })
        .collect();
    out.sort_by_key(|o| o.id);
    out
}

/// Why the loose object at `path` cannot be read within `limit`, if it
/// cannot: its header (`blob 123\0`) is read, nothing more.
pub(crate) fn loose_too_big(path: &std::path::Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let compressed = file.metadata().ok()?.len();
    let mut start = [0u8; 64];
    let n = file.read(&mut start).ok()?;
    let mut inflate = flate2::Decompress::new(true);
    let mut head = [0u8; 32];
    let _ = inflate.decompress(&start[..n], &mut head, flate2::FlushDecompress::Sync);
    let got = &head[..(inflate.total_out() as usize).min(head.len())];
    let nul = got.iter().position(|&b| b == 0)?;
    let text = std::str::from_utf8(&got[..nul]).ok()?;
    let (kind, size) = text.split_once(' ')?;
    let declared: u64 = size.parse().ok()?;
    let ceiling = if kind == "blob" { limit } else { u64::MAX };
    claim(
        declared,
        compressed.saturating_mul(DEFLATE_MAX_RATIO),
        compressed,
        ceiling,
    )
}

/// Why an entry cannot be read within `limit`, if it cannot.
fn too_big(
    entry: &pack::data::Entry,
    compressed: u64,
    data: &[u8],
    limit: u64,
    inflate: &mut flate2::Decompress,
) -> Option<String> {
    let possible = compressed.saturating_mul(DEFLATE_MAX_RATIO);
    let declared = entry.decompressed_size;
    if let Some(why) = claim(declared, possible, compressed, limit) {
        return Some(why);
    }
    if !matches!(
        entry.header,
        Header::OfsDelta { .. } | Header::RefDelta { .. }
    ) {
        return None;
    }
    // A delta starts with the sizes of its base and of its result.
    let mut head = [0u8; 20];
    inflate.reset(true);
    let _ = inflate.decompress(data, &mut head, flate2::FlushDecompress::Sync);
    let got = &head[..(inflate.total_out() as usize).min(head.len())];
    let (base_size, rest) = varint(got)?;
    let (result, rest) = varint(rest)?;
    let instructions = declared.saturating_sub((got.len() - rest.len()) as u64);
    let producible = instructions.saturating_mul(base_size.clamp(1, COPY_PER_BYTE));
    if result > producible {
        return Some(format!(
            "its delta declares a {result}-byte result, more than its {instructions} bytes of instructions can produce"
        ));
    }
    (result > limit).then(|| over_limit(result, limit))
}

fn claim(declared: u64, possible: u64, compressed: u64, limit: u64) -> Option<String> {
    if declared > possible {
        return Some(format!(
            "declares {declared} bytes, more than its {compressed} compressed bytes can hold"
        ));
    }
    (declared > limit).then(|| over_limit(declared, limit))
}

/// A delta header's size: little-endian groups of seven bits.
pub(crate) fn varint(data: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, &data[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_sizes_are_seven_bit_groups() {
        assert_eq!(varint(&[0x05, 0xff]), Some((5, &[0xff][..])));
        assert_eq!(varint(&[0x80, 0x01]), Some((128, &[][..])));
        assert_eq!(varint(&[0x80]), None);
    }

    #[test]
    fn a_claim_past_what_deflate_can_produce_is_refused() {
        let limit = 256 << 20;
        assert!(claim(8 << 30, 90 * DEFLATE_MAX_RATIO, 90, limit).is_some());
        assert!(claim(1000, 90 * DEFLATE_MAX_RATIO, 90, limit).is_none());
        assert!(claim(300 << 20, u64::MAX, 1 << 30, limit).is_some());
    }
}
