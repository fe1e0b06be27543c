//! Byte positions in the backend file: where an item is, and what an edit changed.

/// Where each line of a text starts, to turn a span's line and column into bytes.
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The byte offset of a line (1-based) and column (in characters).
    fn offset(&self, at: proc_macro2::LineColumn) -> Option<usize> {
        let start = *self.starts.get(at.line.checked_sub(1)?)?;
        let line = &self.text[start..];
        let within = match line.char_indices().nth(at.column) {
            Some((i, _)) => i,
            None if line.chars().count() == at.column => line.len(),
            None => return None,
        };
        Some(start + within)
    }

    /// The byte range a span covers.
    pub(super) fn byte_range(&self, span: proc_macro2::Span) -> Option<(usize, usize)> {
        let (start, end) = (self.offset(span.start())?, self.offset(span.end())?);
        (start < end).then_some((start, end))
    }
}

/// What an edit changed: the bytes before it (`prefix`) are the same in both texts, and
/// so are the `suffix` bytes after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edit {
    pub prefix: usize,
    pub suffix: usize,
}

/// The edit turning `old` into `new`, or `None` when they are the same.
pub(super) fn edit(old: &[u8], new: &[u8]) -> Option<Edit> {
    if old == new {
        return None;
    }
    let shorter = old.len().min(new.len());
    let prefix = common_len(shorter, |n| old[..n] == new[..n]);
    let room = shorter - prefix;
    let suffix = common_len(room, |n| old[old.len() - n..] == new[new.len() - n..]);
    Some(Edit { prefix, suffix })
}

/// The largest `n <= max` for which `same(n)` holds, given that it holds up to some
/// length and not past it: found by halving, each probe one `memcmp`.
fn common_len(max: usize, same: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, max);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if same(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_found_between_what_stayed() {
        // "memory = " stays, then "256" becomes "1024" and ", x" stays.
        let e = edit(b"memory = 256, x", b"memory = 1024, x").unwrap();
        assert_eq!((e.prefix, e.suffix), (9, 3));
        assert_eq!(edit(b"abc", b"abc"), None);
        // Inserted text: all of the old one is prefix and suffix.
        let e = edit(b"ab", b"aXb").unwrap();
        assert_eq!(e.prefix + e.suffix, 2);
        let e = edit(b"aaaa", b"aa").unwrap();
        assert_eq!(e.prefix + e.suffix, 2);
    }

    #[test]
    fn spans_become_byte_ranges() {
        let text = "mod m {\n    #[table(x = \"é\")]\n    pub struct T;\n}\n";
        let file = syn::parse_file(text).unwrap();
        let syn::Item::Mod(m) = &file.items[0] else {
            panic!()
        };
        let item = &m.content.as_ref().unwrap().1[0];
        let index = LineIndex::new(text);
        let (start, end) = index.byte_range(syn::spanned::Spanned::span(item)).unwrap();
        assert_eq!(&text[start..end], "#[table(x = \"é\")]\n    pub struct T;");
    }
}
