//! The code writer: generated Rust is written as text, laid out as it is written (one item or
//! statement per line, four spaces per block), so that emitting 18 MB of code is string appends
//! rather than token trees, a parser and a pretty-printer.
//!
//! What is written is checked, not trusted: the tests parse every generated file with `syn`
//! (`tests/generated_code.rs`), and CI compiles the crates with `-D warnings`.

use std::cell::RefCell;
use std::fmt::{Display, Write};

/// Rust source under construction.
///
/// Its buffer comes from the buffers that code written before on this thread left behind, and
/// goes back there when the code is dropped: a thread writing thousands of files grows a buffer
/// a few times, not each file's buffer from nothing. The finished text is copied out at its size.
#[derive(Debug)]
pub struct Code {
    out: String,
    depth: usize,
}

thread_local! {
    /// Emptied buffers of dropped [`Code`], for the next code on this thread.
    static SPARE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// How many emptied buffers a thread keeps (code is nested a few levels deep at most).
const SPARE_BUFFERS: usize = 8;

impl Default for Code {
    fn default() -> Self {
        Self::with_depth(0)
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        if out.capacity() == 0 {
            return;
        }
        out.clear();
        // A thread that is ending has no spares any more: the buffer is simply freed.
        let _ = SPARE.try_with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.len() < SPARE_BUFFERS {
                spare.push(out);
            }
        });
    }
}

impl Code {
    pub fn new() -> Self {
        Self::default()
    }

    /// Code that starts `depth` blocks deep, to be [`append`](Self::append)ed into a block.
    pub fn with_depth(depth: usize) -> Self {
        let out = SPARE
            .try_with(|spare| spare.borrow_mut().pop())
            .ok()
            .flatten()
            .unwrap_or_default();
        Self { out, depth }
    }

    /// Appends code written separately (e.g. with [`with_depth`](Self::with_depth)).
    pub fn append(&mut self, other: Code) -> &mut Self {
        self.out.push_str(&other.out);
        self
    }

    /// One line at the current indentation; an empty `text` is an empty line.
    pub fn line(&mut self, text: impl LineText) -> &mut Self {
        self.line_of(|out| text.write_to(out))
    }

    /// One line at the current indentation, its text written by `write` (none: an empty line).
    fn line_of(&mut self, write: impl FnOnce(&mut String)) -> &mut Self {
        let start = self.out.len();
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        write(&mut self.out);
        if self.out.len() == start + 4 * self.depth {
            self.out.truncate(start);
        }
        self.out.push('\n');
        self
    }

    /// `head {` and one level deeper.
    pub fn open(&mut self, head: impl LineText) -> &mut Self {
        self.line_of(|out| {
            head.write_to(out);
            out.push_str(" {");
        });
        self.depth += 1;
        self
    }

    /// One level shallower and `}` followed by `tail` (e.g. `,` or `;`).
    pub fn close(&mut self, tail: &str) -> &mut Self {
        self.depth = self.depth.saturating_sub(1);
        self.line_of(|out| {
            out.push('}');
            out.push_str(tail);
        })
    }

    /// An empty line.
    pub fn blank(&mut self) -> &mut Self {
        self.out.push('\n');
        self
    }

    /// `///` lines of rustdoc.
    pub fn doc(&mut self, text: &str) -> &mut Self {
        self.doc_lines("///", text)
    }

    /// `//!` lines of rustdoc for the enclosing module.
    pub fn inner_doc(&mut self, text: &str) -> &mut Self {
        self.doc_lines("//!", text)
    }

    fn doc_lines(&mut self, mark: &str, text: &str) -> &mut Self {
        for l in text.lines() {
            self.line_of(|out| {
                out.push_str(mark);
                if !l.is_empty() {
                    out.push(' ');
                    out.push_str(l);
                }
            });
        }
        self
    }

    /// An attribute line such as a `cfg`, unless it is empty.
    pub fn attr(&mut self, attr: &str) -> &mut Self {
        if !attr.is_empty() {
            self.line(attr);
        }
        self
    }

    /// Everything written so far.
    pub fn finish(self) -> String {
        self.finish_after("")
    }

    /// `head` and everything written so far, in a string of just that size.
    pub fn finish_after(self, head: &str) -> String {
        let mut text = String::with_capacity(head.len() + self.out.len());
        text.push_str(head);
        text.push_str(&self.out);
        text
    }
}

/// The text of a line of code: a string is copied as it is, `format_args!` is formatted (or
/// copied, when it has no arguments), without going through `Display` for every string.
pub trait LineText {
    fn write_to(self, out: &mut String);
}

impl LineText for &str {
    fn write_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl LineText for &String {
    fn write_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl LineText for String {
    fn write_to(self, out: &mut String) {
        out.push_str(&self);
    }
}

impl LineText for std::fmt::Arguments<'_> {
    fn write_to(self, out: &mut String) {
        match self.as_str() {
            Some(s) => out.push_str(s),
            None => {
                let _ = out.write_fmt(self);
            }
        }
    }
}

/// A Rust string literal of `s`, escaped as the compiler reads it back (by proc-macro2; text
/// of printable ASCII without `"` or `\\`, most of it, needs no escape and is quoted as it is).
pub fn lit(s: &str) -> String {
    if s.bytes()
        .all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\')
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        out
    } else {
        proc_macro2::Literal::string(s).to_string()
    }
}

/// `a, b, c`.
pub fn list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{item}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_what_proc_macro2_writes() {
        for s in [
            "",
            "plain text, with 'quotes' and {braces}",
            "say \"hi\"",
            "back\\slash",
            "tab\there\nnew line",
            "\0 and \x001",
            "caf\u{e9} \u{200b}",
            "~ and \x7f",
        ] {
            assert_eq!(lit(s), proc_macro2::Literal::string(s).to_string(), "{s:?}");
        }
    }

    #[test]
    fn blocks_indent_and_docs_become_comment_lines() {
        let mut c = Code::new();
        c.doc("A thing.\n\nMore.")
            .open("pub struct A")
            .doc("Field.")
            .line("pub a: u8,")
            .close("")
            .blank()
            .attr("")
            .attr("#[cfg(feature = \"x\")]")
            .line("");
        assert_eq!(
            c.finish(),
            "/// A thing.\n///\n/// More.\npub struct A {\n    /// Field.\n    pub a: u8,\n}\n\n#[cfg(feature = \"x\")]\n\n"
        );
    }

    #[test]
    fn buffers_are_reused_and_start_empty() {
        let mut first = Code::new();
        first.line("x".repeat(10_000));
        let text = first.finish_after("// head\n");
        assert_eq!(text.len(), "// head\n".len() + 10_001);
        assert_eq!(
            text.capacity(),
            text.len(),
            "the finished text has its own size"
        );
        // The next code on this thread takes the buffer back, empty.
        let mut second = Code::with_depth(1);
        assert!(second.out.capacity() >= 10_001);
        second.line("y");
        assert_eq!(second.finish(), "    y\n");
    }

    #[test]
    fn literals_are_escaped_for_rust() {
        assert_eq!(lit("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(list(["a", "b"]), "a, b");
        assert_eq!(list(Vec::<&str>::new()), "");
    }
}
