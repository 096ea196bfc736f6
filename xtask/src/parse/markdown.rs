//! Markdown pages (the docs repository's source form) → [`Document`], using pulldown-cmark events
//! with source offsets so that every block knows its line.

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::blocks::{parse_include, Block, Cell, Document, Link, Row, Section, Table};
use crate::diag::{Diagnostics, Kind};
use crate::span::{LineIndex, Span};

/// Text being collected for a heading, paragraph, list item or table cell.
#[derive(Default)]
struct Inline {
    text: String,
    links: Vec<Link>,
    link_start: Vec<(usize, String)>,
    start: usize,
}

impl Inline {
    fn new(start: usize) -> Self {
        Inline {
            start,
            ..Default::default()
        }
    }
}

struct TableBuf {
    header: Vec<String>,
    rows: Vec<Row>,
    row: Vec<Cell>,
    row_start: usize,
    start: usize,
}

struct Reader<'a> {
    src: &'a str,
    file: Arc<str>,
    lines: LineIndex,
    doc: Document,
    section: Section,
    inline: Option<Inline>,
    heading: Option<u8>,
    table: Option<TableBuf>,
    code: Option<(String, String, usize)>,
    html: Option<(String, usize)>,
    metadata: bool,
    diags: Diagnostics,
}

/// The pulldown-cmark options the pages are read with (also the benchmark's plain parse).
pub fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    options
}

/// Parses a markdown page.
pub fn parse(file: &Arc<str>, src: &str) -> (Document, Diagnostics) {
    let options = options();
    let mut r = Reader {
        src,
        file: file.clone(),
        lines: LineIndex::new(src),
        doc: Document::default(),
        section: Section {
            level: 0,
            heading: String::new(),
            span: Span::new(file, 1),
            blocks: Vec::new(),
        },
        inline: None,
        heading: None,
        table: None,
        code: None,
        html: None,
        metadata: false,
        diags: Diagnostics::default(),
    };
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        r.event(event, range);
    }
    r.flush_inline(src.len());
    r.doc.sections.push(r.section);
    (r.doc, r.diags)
}

impl Reader<'_> {
    fn span(&self, offset: usize) -> Span {
        Span::new(&self.file, self.lines.line(offset))
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) | Event::Code(t) => self.text(&t, range.start),
            Event::InlineHtml(t) | Event::Html(t) => {
                if let Some((html, _)) = &mut self.html {
                    html.push_str(&t);
                } else if let Some(inline) = &mut self.inline {
                    if !t.trim_start().starts_with("<!--") {
                        inline.text.push_str(&t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => self.text("\n", range.start),
            _ => {}
        }
    }

    fn text(&mut self, t: &str, offset: usize) {
        if self.metadata {
            self.parse_frontmatter(t, offset);
        } else if let Some((_, code, _)) = &mut self.code {
            code.push_str(t);
        } else if let Some(inline) = &mut self.inline {
            inline.text.push_str(t);
        } else if !t.trim().is_empty() {
            // Text outside any paragraph (e.g. tight list items): collect it as its own paragraph.
            self.inline = Some(Inline::new(offset));
            self.inline.as_mut().unwrap().text.push_str(t);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => self.metadata = true,
            Tag::Heading { level, .. } => {
                self.flush_inline(range.start);
                self.heading = Some(level as u8);
                self.inline = Some(Inline::new(range.start));
            }
            Tag::Paragraph => {
                self.flush_inline(range.start);
                let mut inline = Inline::new(range.start);
                inline.text.reserve(range.len());
                self.inline = Some(inline);
            }
            Tag::Item => {
                self.flush_inline(range.start);
                self.inline = Some(Inline::new(range.start));
            }
            Tag::Link { dest_url, .. } => {
                if let Some(inline) = &mut self.inline {
                    inline
                        .link_start
                        .push((inline.text.len(), dest_url.to_string()));
                }
            }
            Tag::Table(_) => {
                self.flush_inline(range.start);
                self.table = Some(TableBuf {
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    row_start: range.start,
                    start: range.start,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row.clear();
                    t.row_start = range.start;
                }
            }
            Tag::TableCell => self.inline = Some(Inline::new(range.start)),
            Tag::CodeBlock(kind) => {
                self.flush_inline(range.start);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                // The block's source is about as long as its text: one allocation.
                let text = String::with_capacity(range.len());
                self.code = Some((lang, text, range.start));
                self.check_fence(range);
            }
            Tag::HtmlBlock => {
                self.flush_inline(range.start);
                self.html = Some((String::new(), range.start));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::MetadataBlock(_) => self.metadata = false,
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(1);
                let inline = self.inline.take().unwrap_or_default();
                // `# [HTTP](#tab/http)` lines are tab markers, not sections.
                if inline.links.iter().any(|l| l.href.starts_with("#tab/")) {
                    return;
                }
                let span = self.span(inline.start);
                let heading = collapse(&inline.text);
                let next = Section {
                    level,
                    heading,
                    span,
                    blocks: Vec::new(),
                };
                let done = std::mem::replace(&mut self.section, next);
                self.doc.sections.push(done);
            }
            TagEnd::Paragraph | TagEnd::Item => self.flush_inline(range.end),
            TagEnd::Link => {
                if let Some(inline) = &mut self.inline {
                    if let Some((start, href)) = inline.link_start.pop() {
                        let text = collapse(&inline.text[start.min(inline.text.len())..]);
                        inline.links.push(Link { text, href });
                    }
                }
            }
            TagEnd::TableCell => {
                let inline = self.inline.take().unwrap_or_default();
                if let Some(t) = &mut self.table {
                    t.row.push(Cell {
                        text: collapse(&inline.text),
                        links: inline.links,
                    });
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = t.row.drain(..).map(|c| c.text).collect();
                }
            }
            TagEnd::TableRow => {
                let (row_start, cells) = match &mut self.table {
                    Some(t) => (t.row_start, std::mem::take(&mut t.row)),
                    None => return,
                };
                let span = self.span(row_start);
                let expected = self.table.as_ref().map_or(0, |t| t.header.len());
                let raw = raw_cell_count(line_at(self.src, row_start));
                if raw != expected {
                    self.diags.push(
                        &span,
                        Kind::BrokenTable,
                        format!("table row has {raw} cells, the header has {expected}"),
                    );
                }
                if let Some(t) = &mut self.table {
                    t.rows.push(Row { cells, span });
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let span = self.span(t.start);
                    self.section.blocks.push(Block::Table(Table {
                        header: t.header,
                        rows: t.rows,
                        span,
                    }));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text, start)) = self.code.take() {
                    let span = self.span(start);
                    let first_line =
                        span.line + u32::from(!lang.is_empty() || fenced(self.src, start));
                    self.section.blocks.push(Block::Code {
                        lang,
                        text,
                        span,
                        first_line,
                    });
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((html, start)) = self.html.take() {
                    self.html_block(&html, start);
                }
            }
            _ => {}
        }
    }

    fn html_block(&mut self, html: &str, start: usize) {
        let Some(open) = html.find("<!--") else {
            return;
        };
        let body = &html[open + 4..];
        let body = body.split("-->").next().unwrap_or(body).trim();
        if body.starts_with('{') {
            let span = self.span(start + open);
            self.section.blocks.push(Block::Annotation {
                json: body.to_owned(),
                span,
            });
        }
    }

    fn flush_inline(&mut self, end: usize) {
        if self.heading.is_some() || self.table.is_some() {
            return;
        }
        let Some(inline) = self.inline.take() else {
            return;
        };
        let first = self.lines.line(inline.start);
        // Includes are read from the source: the link inside `[!INCLUDE [name](path)]` is not text.
        let raw = self
            .src
            .get(inline.start..end.max(inline.start))
            .unwrap_or("");
        let mut has_include = false;
        let mut prose = Vec::new();
        // Only a paragraph with `[!` can hold an include.
        let lines = memchr::memmem::find(raw.as_bytes(), b"[!").map(|_| raw.lines());
        for (i, line) in lines.into_iter().flatten().enumerate() {
            let line = line.trim_start_matches(['>', ' ']);
            match parse_include(line) {
                Some((name, path)) => {
                    has_include = true;
                    self.section.blocks.push(Block::Include {
                        name,
                        path,
                        span: Span::new(&self.file, first + i as u32),
                    });
                }
                None => prose.push(line),
            }
        }
        let text = if has_include {
            collapse(&prose.join(" "))
        } else {
            collapse(&inline.text)
        };
        if !text.is_empty() {
            self.section.blocks.push(Block::Paragraph {
                text,
                links: inline.links,
                span: Span::new(&self.file, first),
            });
        }
    }

    /// pulldown-cmark runs an unclosed fence to the end of the page: report it. A closed block
    /// ends with its closing fence (pulldown-cmark ends the block there), so only the block's
    /// last line is read, not the code.
    fn check_fence(&mut self, range: std::ops::Range<usize>) {
        let raw = &self.src[range.clone()];
        let (first, rest) = raw.split_once('\n').unwrap_or((raw, ""));
        let first = first.trim_start();
        let Some(mark) = first.chars().next().filter(|c| *c == '`' || *c == '~') else {
            return;
        };
        let fence = first.len() - first.trim_start_matches(mark).len();
        if fence < 3 {
            return;
        }
        let last = rest.trim_end().rsplit('\n').next().unwrap_or("").trim();
        let closed = last.len() >= fence && last.trim_start_matches(mark).is_empty();
        if !closed {
            let span = self.span(range.start);
            self.diags.push(
                &span,
                Kind::UnclosedFence,
                "code fence is never closed; it runs to the end of the page",
            );
        }
    }

    fn parse_frontmatter(&mut self, text: &str, offset: usize) {
        // The text event of a metadata block starts after the opening `---` line.
        let first = self.lines.line(offset);
        for (i, line) in text.lines().enumerate() {
            if let Some((key, value)) = line.split_once(':') {
                if key.starts_with([' ', '\t']) || key.trim().is_empty() {
                    continue;
                }
                let value = value.trim().trim_matches('"').trim_matches('\'').to_owned();
                let span = Span::new(&self.file, first + i as u32);
                self.doc
                    .frontmatter
                    .push((key.trim().to_owned(), value, span));
            }
        }
    }
}

fn fenced(src: &str, start: usize) -> bool {
    let t = src[start..].trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// The source line that contains `offset`.
fn line_at(src: &str, offset: usize) -> &str {
    let start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
    &src[start..end]
}

/// Counts the cells of a raw table row: unescaped pipes outside code spans, without the optional
/// leading and trailing pipe.
fn raw_cell_count(line: &str) -> usize {
    let t = line.trim();
    let mut count = 1;
    let mut escaped = false;
    let mut in_code = false;
    // The marks are ASCII, so bytes do (a byte of a wider character is none of them).
    for b in t.bytes() {
        match b {
            b'\\' if !escaped => {
                escaped = true;
                continue;
            }
            b'`' => in_code = !in_code,
            b'|' if !escaped && !in_code => count += 1,
            _ => {}
        }
        escaped = false;
    }
    if t.starts_with('|') {
        count -= 1;
    }
    if t.ends_with('|') && !t.ends_with("\\|") && t.len() > 1 {
        count -= 1;
    }
    count
}

/// Folds runs of white space into single spaces (white space as `char::is_whitespace`), without
/// leading or trailing space.
pub fn collapse(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = white_space_at(s, i);
        if space {
            i += len;
            continue;
        }
        // A word: copied whole, after one space if it is not the first.
        let start = i;
        i += len;
        while i < bytes.len() {
            let (space, len) = white_space_at(s, i);
            if space {
                break;
            }
            i += len;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(&bytes[start..i]);
    }
    // Whole words and ASCII spaces were copied, so this is UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether the character at byte `i` of `s` is white space (`char::is_whitespace`), and its
/// length in bytes. ASCII is decided on the byte; other characters are decoded (rare here).
#[inline]
fn white_space_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        (matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
    } else {
        let c = s[i..].chars().next().unwrap_or(' ');
        (c.is_whitespace(), c.len_utf8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_cells() {
        assert_eq!(raw_cell_count("|a|b|"), 2);
        assert_eq!(raw_cell_count("a | b | c"), 3);
        assert_eq!(raw_cell_count("| a \\| b | c |"), 2);
        assert_eq!(raw_cell_count("| `a|b` | c |"), 2);
        assert_eq!(collapse("  a \n\t b  c "), "a b c");
        assert_eq!(collapse(" \n "), "");
        assert_eq!(collapse("\u{a0}a\u{2003}\u{2003}é b\u{3000}"), "a é b");
        assert_eq!(collapse("ünï\u{b}cødé"), "ünï cødé");
    }

    #[test]
    fn unclosed_fences_are_reported_and_closed_ones_are_not() {
        let unclosed = |src: &str| {
            let (doc, diags) = parse(&"t.md".into(), src);
            let n = diags
                .finish()
                .iter()
                .filter(|d| d.kind == Kind::UnclosedFence)
                .count();
            (n, doc)
        };
        for closed in [
            "```json\n{}\n```\n",
            "```json\n{}\n```\n\ntext\n",
            "~~~\na\n~~~~\n",
            "````\n```\ninner\n```\n````\n",
            "- item\n\n  ```http\n  GET /me\n  ```\n",
        ] {
            assert_eq!(unclosed(closed).0, 0, "{closed:?}");
        }
        for open in [
            "```json\n{}\n",
            "```\n",
            "````\n```\ninner\n```\n",
            "~~~\na\n```\n",
        ] {
            assert_eq!(unclosed(open).0, 1, "{open:?}");
        }
        // The code is the text between the fences.
        let (_, doc) = unclosed("```json\n{\"a\": 1}\n```\n");
        let code = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .find_map(|b| match b {
                Block::Code { text, .. } => Some(text.clone()),
                _ => None,
            });
        assert_eq!(code.as_deref(), Some("{\"a\": 1}\n"));
    }
}
