//! Zip archives as office formats use them (xlsx, docx, OpenDocument).
//! Which kind an archive is comes from its entry names or its `mimetype`
//! entry without inflating anything; an entry is inflated only within a
//! budget, since archives from history are untrusted and may declare sizes
//! they do not have.

use super::ReadError;
use std::io::{Cursor, Read};

pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The end of a zip searched for entry names: its central directory.
/// Larger directories are read with the `zip` crate instead.
pub(crate) const ZIP_TAIL: usize = 256 * 1024;

pub(crate) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The media type an OpenDocument file declares in its first entry,
/// `mimetype`, which the standard requires to be stored uncompressed:
/// `application/vnd.oasis.opendocument.text` and the like.
pub(crate) fn mimetype(data: &[u8]) -> Option<&[u8]> {
    let name_len = usize::from(u16_at(data, 26)?);
    let extra_len = usize::from(u16_at(data, 28)?);
    if data.get(30..30 + name_len) != Some(b"mimetype") {
        return None;
    }
    let body = data.get(30 + name_len + extra_len..)?;
    // The next entry's header (`PK`) ends it when no size was written.
    let len = body
        .iter()
        .take(128)
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"./-+".contains(b))
        .count();
    Some(&body[..len])
}

/// The kind `kind` gives when handed a test for entry names: first over the
/// archive's tail, where its central directory sits, then, when that finds
/// nothing in a larger archive, over the directory as the zip crate reads
/// it.
pub(crate) fn kind_by_names(
    data: &[u8],
    kind: impl Fn(&dyn Fn(&[u8]) -> bool) -> Option<&'static str>,
) -> Option<&'static str> {
    let tail = data
        .get(data.len().saturating_sub(ZIP_TAIL)..)
        .unwrap_or(data);
    let found = kind(&|name| memchr::memmem::find(tail, name).is_some());
    if found.is_some() || data.len() <= ZIP_TAIL {
        return found;
    }
    let archive = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    kind(&|name| std::str::from_utf8(name).is_ok_and(|n| archive.index_for_name(n).is_some()))
}

pub(crate) fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at + 2)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

/// Entry `name` inflated, or `None` when the archive has no such entry.
/// `budget` is how many bytes may still be inflated for this file: an
/// entry declaring more is refused before inflating, and one inflating to
/// more than it declared is stopped at the budget. `kind` names the file
/// in errors (`document`).
pub(crate) fn read_entry(
    archive: &mut Archive<'_>,
    name: &str,
    budget: &mut u64,
    kind: &'static str,
) -> Result<Option<Vec<u8>>, ReadError> {
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt {
        kind,
        reason: format!("{name}: {e}"),
    };
    let too_large = |size: u64| ReadError::TooLarge {
        kind,
        reason: format!(
            "{name} holds {size} bytes or more uncompressed, over what is left of the limit ({budget} bytes)"
        ),
    };
    let entry = archive.by_index_data(index).map_err(|e| corrupt(&e))?;
    if entry.encrypted() {
        return Err(ReadError::Encrypted { kind });
    }
    if entry.size() > *budget {
        return Err(too_large(entry.size()));
    }
    let file = archive.by_index(index).map_err(|e| corrupt(&e))?;
    let mut out = Vec::new();
    file.take(budget.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| corrupt(&e))?;
    let read = out.len() as u64;
    if read > *budget {
        return Err(too_large(read));
    }
    *budget -= read;
    Ok(Some(out))
}
