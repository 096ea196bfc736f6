//! Source positions: every parsed node carries the file and 1-based line it came from.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
}

impl Span {
    pub fn new(file: &Arc<str>, line: u32) -> Self {
        Span {
            file: file.clone(),
            line,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Maps byte offsets of a text to 1-based line numbers by counting line breaks from the offset
/// asked for before (a parser asks in about increasing order), with `bytecount`'s vectorised
/// count: no table of line starts is built for a page whose lines are mostly never asked for.
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// The offset asked for last and its line.
    at: Cell<(usize, u32)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text: text.as_bytes(),
            at: Cell::new((0, 1)),
        }
    }

    /// The 1-based line of a byte offset (offsets past the end are on the last line).
    pub fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        let (at, line) = self.at.get();
        let line = if offset >= at {
            line + breaks(&self.text[at..offset])
        } else {
            line - breaks(&self.text[offset..at])
        };
        self.at.set((offset, line));
        line
    }
}

fn breaks(bytes: &[u8]) -> u32 {
    bytecount::count(bytes, b'\n') as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(6), 3);
        assert_eq!(idx.line(7), 4);
        assert_eq!(idx.line(99), 4);
    }

    /// Offsets asked in any order give the line a plain count gives.
    #[test]
    fn lines_of_offsets_in_any_order() {
        let text: String = (0..3000u32)
            .map(|i| match i.wrapping_mul(2_654_435_761) % 7 {
                0 | 1 => '\n',
                _ => 'x',
            })
            .collect();
        let idx = LineIndex::new(&text);
        let mut offset = 0usize;
        for step in 0..2000usize {
            // Mostly forward, sometimes back, sometimes past the end.
            offset = (offset + step.wrapping_mul(7919) % 97).wrapping_sub(step % 5 * 11) % 3100;
            let expected = 1 + text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
            assert_eq!(idx.line(offset), expected, "offset {offset}");
        }
    }
}
