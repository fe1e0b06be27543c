//! A memo of [`super::content_hash`] for the build script, kept in `OUT_DIR` between runs.
//!
//! Template keys are SHA-256 based, and unoptimised (as cargo builds build scripts)
//! SHA-256 costs ~30 ns a byte: a sixth of a large backend's re-synthesis went to hashing
//! templates that had not changed. A run looks each text up by a cheap 128-bit
//! fingerprint first; only texts not seen before are hashed. Keys stay what they were, so
//! nothing deployed sees a change.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::Mutex;

/// Fingerprint → the first 8 bytes of the SHA-256.
type Memo = HashMap<u128, [u8; 8], BuildHasherDefault<Identity>>;

static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// The file in `OUT_DIR`.
const FILE: &str = "amplify-hash-memo.bin";
const ENTRY: usize = 24;

/// Fingerprints are already uniformly mixed: used as they are.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

/// Two independent 64-bit multiply–xorshift lanes over 8-byte words, each finished with
/// an avalanche: cheap unoptimised, and for texts (not adversarial input) as unlikely to
/// collide as a 128-bit value can be.
pub(crate) fn fingerprint(bytes: &[u8]) -> u128 {
    let (mut a, mut b) = (
        0x9E37_79B9_7F4A_7C15u64 ^ bytes.len() as u64,
        0xC2B2_AE3D_27D4_EB4Fu64,
    );
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let v = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        a = (a ^ v).wrapping_mul(0xFF51_AFD7_ED55_8CCD).rotate_left(31);
        b = (b.rotate_left(23) ^ v).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    let v = u64::from_le_bytes(tail);
    a = (a ^ v).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    b = (b ^ v.rotate_left(17)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    (u128::from(avalanche(a)) << 64) | u128::from(avalanche(b ^ a))
}

fn avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The memoised digest prefix of `bytes`, computing it with `digest` when unknown (or
/// when no memo is loaded: outside the build script every text is hashed).
pub(super) fn digest_prefix(bytes: &[u8], digest: impl FnOnce() -> [u8; 8]) -> [u8; 8] {
    let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    let Some(memo) = memo.as_mut() else {
        return digest();
    };
    *memo.entry(fingerprint(bytes)).or_insert_with(digest)
}

/// Loads the memo from `out_dir` (an empty one when there is none or it is damaged).
pub(crate) fn load(out_dir: &Path) {
    let bytes = std::fs::read(out_dir.join(FILE)).unwrap_or_default();
    let mut memo = Memo::default();
    if bytes.len().is_multiple_of(ENTRY) {
        for entry in bytes.chunks_exact(ENTRY) {
            let mut fp = [0u8; 16];
            fp.copy_from_slice(&entry[..16]);
            let mut prefix = [0u8; 8];
            prefix.copy_from_slice(&entry[16..]);
            memo.insert(u128::from_le_bytes(fp), prefix);
        }
    }
    *MEMO.lock().unwrap_or_else(|e| e.into_inner()) = Some(memo);
}

/// Writes the memo back to `out_dir` when it learnt something. An entry is right
/// forever, so none is evicted: the file grows by what edits change (24 bytes per new
/// text), and starts over empty once it would pass 4 MB.
pub(crate) fn save(out_dir: &Path) -> std::io::Result<()> {
    let memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    let Some(memo) = memo.as_ref() else {
        return Ok(());
    };
    let path = out_dir.join(FILE);
    let known = std::fs::metadata(&path).map_or(0, |m| m.len() as usize / ENTRY);
    if memo.len() == known {
        return Ok(());
    }
    let mut out = Vec::with_capacity(memo.len() * ENTRY);
    if memo.len() * ENTRY <= 4 << 20 {
        for (fp, prefix) in memo {
            out.extend_from_slice(&fp.to_le_bytes());
            out.extend_from_slice(prefix);
        }
    }
    let temp = out_dir.join(format!("{FILE}.tmp"));
    std::fs::write(&temp, out)?;
    std::fs::rename(temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_close_texts_apart() {
        let base = br#"{"Resources": {"Table1": {"Type": "AWS::DynamoDB::Table"}}}"#.to_vec();
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(fingerprint(&base)));
        // Every one-byte change, every truncation: all different.
        for i in 0..base.len() {
            let mut changed = base.clone();
            changed[i] ^= 1;
            assert!(seen.insert(fingerprint(&changed)), "byte {i}");
            assert!(seen.insert(fingerprint(&base[..i])), "prefix {i}");
        }
        assert_eq!(fingerprint(&base), fingerprint(&base.clone()));
    }
}
