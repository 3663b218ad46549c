//! Loose objects read from their files directly (inflate, check the
//! `<kind> <size>\0` header): independent of the object database, so that a
//! repository whose alternates gix refuses (a cycle git tolerates) still
//! has every loose object read.

use gix::object::Kind;
use std::io::Read;
use std::path::Path;

/// The kind and content of the loose object at `path`. Its declared size
/// was checked against the limit before (see `sizes::loose_too_big`); the
/// read stops at the declared size, so a lying header cannot grow it.
pub(crate) fn read(path: &Path) -> Result<(Kind, Vec<u8>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let mut inflate = flate2::read::ZlibDecoder::new(std::io::BufReader::new(file));
    let mut head = Vec::with_capacity(32);
    let mut byte = [0u8; 1];
    while head.len() < 64 {
        inflate
            .read_exact(&mut byte)
            .map_err(|e| format!("header does not inflate: {e}"))?;
        head.push(byte[0]);
        if byte[0] == 0 {
            break;
        }
    }
    let (kind, size, _) = gix::objs::decode::loose_header(&head)
        .map_err(|e| format!("header does not parse: {e}"))?;
    let size = usize::try_from(size).map_err(|_| "declared size too large".to_string())?;
    let mut data = Vec::with_capacity(size.min(1 << 20));
    (&mut inflate)
        .take(size as u64)
        .read_to_end(&mut data)
        .map_err(|e| format!("content does not inflate: {e}"))?;
    if data.len() != size {
        return Err(format!(
            "declares {size} bytes but holds {}: truncated",
            data.len()
        ));
    }
    Ok((kind, data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(bytes).expect("deflate");
        z.finish().expect("deflate")
    }

    #[test]
    fn reads_a_blob_and_refuses_truncated_or_garbled_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("obj");
        std::fs::write(&p, deflate(b"blob 5\0hello")).expect("write");
        assert_eq!(read(&p), Ok((Kind::Blob, b"hello".to_vec())));
        std::fs::write(&p, deflate(b"blob 9\0hello")).expect("write");
        assert!(read(&p).expect_err("short").contains("truncated"));
        std::fs::write(&p, deflate(b"blub 5\0hello")).expect("write");
        assert!(read(&p).expect_err("kind").contains("header"));
        std::fs::write(&p, b"not zlib at all").expect("write");
        assert!(read(&p).is_err());
    }
}
