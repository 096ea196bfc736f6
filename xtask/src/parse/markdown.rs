//! Markdown pages (the docs repository's source form) → [`Document`], using pulldown-cmark events
//! with source offsets so that every block knows its line.

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::blocks::{parse_include, Block, Cell, Document, Link, Row, Section, Table};
use crate::diag::{Diagnostics, Kind};
use crate::span::{LineIndex, Span};

/// Text being collected for a heading, paragraph, list item or table cell, its white space
/// folded as it comes ([`Fold`]): the collected text is the block's text, not a draft of it.
#[derive(Default)]
struct Inline {
    text: Fold,
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

    /// Text whose source is `range`: its folded text is at most as long, one allocation.
    fn of(range: &std::ops::Range<usize>) -> Self {
        let mut inline = Inline::new(range.start);
        inline.text.out.reserve(range.len());
        inline
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
    lines: LineIndex<'a>,
    doc: Document,
    section: Section,
    inline: Option<Inline>,
    heading: Option<u8>,
    table: Option<TableBuf>,
    code: Option<(String, String, usize)>,
    html: Option<(String, usize)>,
    metadata: bool,
    /// How many block quotes the reader is in.
    quotes: u32,
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
        quotes: 0,
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

    // One call site, once per pulldown-cmark event: inlined into the loop (left to itself, the
    // compiler inlines it or not depending on how the crate falls into codegen units: 9 M
    // instructions a run when it does not).
    #[inline(always)]
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
                        inline.text.push(&t);
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
            inline.text.push(t);
        } else if !t.trim().is_empty() {
            // Text outside any paragraph (e.g. tight list items): collect it as its own paragraph.
            let mut inline = Inline::new(offset);
            inline.text.push(t);
            self.inline = Some(inline);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => self.metadata = true,
            Tag::Heading { level, .. } => {
                self.flush_inline(range.start);
                self.heading = Some(level as u8);
                self.inline = Some(Inline::of(&range));
            }
            Tag::Paragraph => {
                self.flush_inline(range.start);
                self.inline = Some(Inline::of(&range));
            }
            Tag::Item => {
                self.flush_inline(range.start);
                self.inline = Some(Inline::new(range.start));
            }
            Tag::Link { dest_url, .. } => {
                if let Some(inline) = &mut self.inline {
                    inline
                        .link_start
                        .push((inline.text.out.len(), dest_url.into_string()));
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
            // Not reserved at the source's length (as paragraphs are): the cells' texts move into
            // the page, and their spare capacity cost more fresh memory (80,000 more last-level
            // cache misses a run) than the reallocations it saves (4.5 M instructions).
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
            Tag::BlockQuote(_) => {
                self.flush_inline(range.start);
                self.quotes += 1;
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
                let heading = inline.text.out;
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
            TagEnd::BlockQuote(_) => {
                self.flush_inline(range.end);
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::Link => {
                if let Some(inline) = &mut self.inline {
                    if let Some((start, href)) = inline.link_start.pop() {
                        // The folded text of the link; a space before its first word is
                        // the paragraph's, not the link's.
                        let all = &inline.text.out;
                        let text = all.get(start..).unwrap_or("").trim_start_matches(' ');
                        inline.links.push(Link {
                            text: text.to_owned(),
                            href,
                        });
                    }
                }
            }
            TagEnd::TableCell => {
                let inline = self.inline.take().unwrap_or_default();
                if let Some(t) = &mut self.table {
                    t.row.push(Cell {
                        text: inline.text.out,
                        links: inline.links,
                    });
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = t.row.drain(..).map(|c| c.text).collect();
                }
            }
            TagEnd::TableRow => self.end_row(),
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

    /// A row of a table: its cells, as many as the header has. Where the row's line has
    /// another number of cells, the docs slipped: a row with more has a `|` that was meant as
    /// text, and the cells past the header's are read back into its last cell; a row with fewer
    /// whose line does not start with `|` in a table whose header does is the rest of the row
    /// above, which a line break cut (pulldown-cmark reads it as a row of its own). Both are
    /// reported.
    fn end_row(&mut self) {
        let Some(t) = &mut self.table else {
            return;
        };
        let (row_start, mut cells) = (t.row_start, std::mem::take(&mut t.row));
        let expected = t.header.len();
        let line = line_at(self.src, row_start);
        let raw = raw_cell_count(line);
        let span = Span::new(&self.file, self.lines.line(row_start));
        if raw == expected {
            t.rows.push(Row { cells, span });
            return;
        }
        let piped = |l: &str| l.trim_start().starts_with('|');
        let message = format!("table row has {raw} cells, the header has {expected}");
        if raw < expected && !piped(line) && piped(line_at(self.src, t.start)) {
            if let Some(cell) = t.rows.last_mut().and_then(|r| r.cells.last_mut()) {
                for c in cells.into_iter().filter(|c| !c.text.is_empty()) {
                    cell.text.push(' ');
                    cell.text.push_str(&c.text);
                    cell.links.extend(c.links);
                }
                self.diags.push(
                    &span,
                    Kind::BrokenTable,
                    format!("{message}: the rest of the row above, cut by a line break; read as the end of its last cell"),
                );
                return;
            }
        }
        if raw > expected && expected > 0 {
            let rest = collapse(cells_from(line, expected));
            if let (Some(cell), false) = (cells.last_mut(), rest.is_empty()) {
                cell.text.push_str(" | ");
                cell.text.push_str(&rest);
            }
            self.diags.push(
                &span,
                Kind::BrokenTable,
                format!("{message}: an unescaped `|` in the text; the cells past the header's are read as the end of the last one"),
            );
        } else {
            self.diags.push(&span, Kind::BrokenTable, message);
        }
        t.rows.push(Row { cells, span });
    }

    fn html_block(&mut self, html: &str, start: usize) {
        // Searchers made once for the run, not per block.
        use memchr::memmem::Finder;
        static OPEN: std::sync::LazyLock<Finder<'static>> =
            std::sync::LazyLock::new(|| Finder::new("<!--"));
        static CLOSE: std::sync::LazyLock<Finder<'static>> =
            std::sync::LazyLock::new(|| Finder::new("-->"));
        let Some(open) = OPEN.find(html.as_bytes()) else {
            return;
        };
        let body = &html[open + 4..];
        let end = CLOSE.find(body.as_bytes()).unwrap_or(body.len());
        let body = body[..end].trim();
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
            inline.text.out
        };
        if !text.is_empty() {
            self.section.blocks.push(Block::Paragraph {
                text,
                links: inline.links,
                span: Span::new(&self.file, first),
                quote: self.quotes > 0,
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
    1 + separators(t).count() - usize::from(t.starts_with('|')) - usize::from(closed(t))
}

/// The byte offsets in `t` (a trimmed raw table row) of the pipes that separate its cells:
/// unescaped, outside code spans; with the optional leading and trailing pipe.
fn separators(t: &str) -> impl Iterator<Item = usize> + '_ {
    // Where the backslash is that escapes the byte after it.
    let mut escape_at = None;
    let mut in_code = false;
    // The marks are ASCII, so bytes do (a byte of a wider character is none of them); only the
    // marks are visited (`memchr3` finds them), not every byte of the row.
    let bytes = t.as_bytes();
    memchr::memchr3_iter(b'\\', b'`', b'|', bytes).filter(move |&i| {
        let escaped = i > 0 && escape_at == Some(i - 1);
        match bytes[i] {
            b'\\' if !escaped => {
                escape_at = Some(i);
                false
            }
            b'`' => {
                in_code = !in_code;
                false
            }
            b'|' => !escaped && !in_code,
            _ => false,
        }
    })
}

/// A trimmed raw row that ends with a pipe closing its last cell.
fn closed(t: &str) -> bool {
    t.ends_with('|') && !t.ends_with("\\|") && t.len() > 1
}

/// The raw text of a row's cells from the `n`-th (0-based) on, without the closing pipe.
fn cells_from(line: &str, n: usize) -> &str {
    let t = line.trim();
    // The cell starts after the separator before it (the leading `|` counts as one).
    let start = match (n + usize::from(t.starts_with('|'))).checked_sub(1) {
        None => 0,
        Some(before) => match separators(t).nth(before) {
            Some(i) => i + 1,
            None => return "",
        },
    };
    let end = if closed(t) { t.len() - 1 } else { t.len() };
    t.get(start..end.max(start)).unwrap_or("")
}

/// Folds runs of white space into single spaces (white space as `char::is_whitespace`), without
/// leading or trailing space.
pub fn collapse(s: &str) -> String {
    let mut fold = Fold {
        out: String::with_capacity(s.len()),
        space: false,
    };
    fold.push(s);
    fold.out
}

/// Text whose white space is folded as it is appended, piece by piece, to what [`collapse`]
/// makes of all the pieces at once: runs of white space (also across pieces) become one space,
/// none at the start, and none at the end (a run is written only when a word follows it).
#[derive(Default)]
struct Fold {
    out: String,
    /// White space was read after the last word and is not written yet.
    space: bool,
}

impl Fold {
    fn push(&mut self, s: &str) {
        if is_plain(s.as_bytes()) {
            // Single spaces between words (most text): copied whole.
            let (lead, rest) = s.strip_prefix(' ').map_or((false, s), |r| (true, r));
            let (body, trail) = rest.strip_suffix(' ').map_or((rest, false), |r| (r, true));
            if !body.is_empty() {
                if (lead || self.space) && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.out.push_str(body);
                self.space = trail;
            } else {
                self.space |= lead && !self.out.is_empty();
            }
            return;
        }
        self.push_words(s);
    }

    fn push_words(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (space, len) = white_space_at(s, i);
            if space {
                self.space = !self.out.is_empty();
                i += len;
                continue;
            }
            // A word: copied whole, after one space if white space came before it.
            let start = i;
            i += len;
            while i < bytes.len() {
                let (space, len) = white_space_at(s, i);
                if space {
                    break;
                }
                i += len;
            }
            if std::mem::take(&mut self.space) {
                self.out.push(' ');
            }
            self.out.push_str(&s[start..i]);
        }
    }
}

/// Whether `s` is ASCII whose only white space is single spaces: folding keeps it as it is,
/// but for a space at either end. Decided 32 byte pairs at a time without branches in a block
/// (the compiler vectorises it), as most text is like that.
fn is_plain(s: &[u8]) -> bool {
    let odd = |c: u8| !(0x20..0x7f).contains(&c);
    let Some((&first, rest)) = s.split_first() else {
        return true;
    };
    !odd(first)
        && s.chunks(32).zip(rest.chunks(32)).all(|(before, block)| {
            let mut bad = false;
            for (&p, &c) in before.iter().zip(block) {
                bad |= odd(c) | ((c == b' ') & (p == b' '));
            }
            !bad
        })
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
        assert_eq!(cells_from("|a|b (x | y).|", 2), " y).");
        assert_eq!(cells_from("a | b | c | d", 1), " b | c | d");
        assert_eq!(cells_from("|a|b|", 2), "");
        assert_eq!(cells_from("|a|b|", 5), "");
        assert_eq!(collapse("  a \n\t b  c "), "a b c");
        assert_eq!(collapse(" \n "), "");
        assert_eq!(collapse("\u{a0}a\u{2003}\u{2003}é b\u{3000}"), "a é b");
        assert_eq!(collapse("ünï\u{b}cødé"), "ünï cødé");
    }

    /// The byte-by-byte count that [`raw_cell_count`] does on the marks only.
    fn cells_byte_by_byte(line: &str) -> usize {
        let t = line.trim();
        let (mut count, mut escaped, mut in_code) = (1, false, false);
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
        count
            - usize::from(t.starts_with('|'))
            - usize::from(t.ends_with('|') && !t.ends_with("\\|") && t.len() > 1)
    }

    #[test]
    fn cells_are_counted_as_byte_by_byte() {
        // Every string of up to six of these pieces.
        let pieces = ["|", "\\", "`", "a", " ", "é"];
        let mut lines = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| pieces.iter().map(move |p| format!("{l}{p}")))
                .collect();
            lines.extend(longer);
            lines.dedup();
        }
        for line in &lines {
            assert_eq!(raw_cell_count(line), cells_byte_by_byte(line), "{line:?}");
        }
    }

    #[test]
    fn plain_text_is_ascii_with_single_spaces() {
        for (s, plain) in [
            ("", true),
            (" a b ", true),
            ("a  b", false),
            ("a\tb", false),
            ("a\nb", false),
            ("é", false),
            ("a\u{7f}", false),
        ] {
            assert_eq!(is_plain(s.as_bytes()), plain, "{s:?}");
        }
        // A double space across the 32-byte blocks, and at every other place.
        let base = "x".repeat(70);
        for i in 0..69 {
            let mut s = base.clone().into_bytes();
            s[i] = b' ';
            assert!(is_plain(&s), "{i}");
            s[i + 1] = b' ';
            assert!(!is_plain(&s), "{i}");
        }
    }

    #[test]
    fn folding_piece_by_piece_is_collapsing_the_whole() {
        let samples = [
            "  a \n\t b  c ",
            "a\u{a0}\u{a0}é b\u{3000}",
            "word",
            " \n ",
            "x y",
            "ab\ncd ",
        ];
        for a in samples {
            for b in samples {
                // Every split of `a + b` into three pieces at character boundaries.
                let whole = format!("{a}{b}");
                let cuts: Vec<usize> = whole.char_indices().map(|(i, _)| i).collect();
                for &i in &cuts {
                    for &j in cuts.iter().filter(|&&j| j >= i) {
                        let mut fold = Fold::default();
                        for piece in [&whole[..i], &whole[i..j], &whole[j..]] {
                            fold.push(piece);
                        }
                        assert_eq!(fold.out, collapse(&whole), "{whole:?} cut at {i}, {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn link_texts_and_cells_are_folded() {
        let (doc, _) = parse(
            &"t.md".into(),
            "Text  before [the\n  link](a.md) after.\n\n| A | B |\n|---|---|\n|  x   y | [ z ](b.md) |\n",
        );
        let blocks: Vec<&Block> = doc.sections.iter().flat_map(|s| &s.blocks).collect();
        let Block::Paragraph { text, links, .. } = blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(text, "Text before the link after.");
        assert_eq!(links[0].text, "the link");
        let Block::Table(table) = blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.rows[0].cells[0].text, "x y");
        assert_eq!(table.rows[0].cells[1].text, "z");
        assert_eq!(table.rows[0].cells[1].links[0].text, "z");
    }

    #[test]
    fn a_pipe_in_a_cell_and_a_cell_cut_by_a_line_break_stay_in_their_row() {
        let src = "| Property | Type | Description |\n|---|---|---|\n\
                   |threats|String collection|Threats (accountBreach,dataDeletion,\n\
                   elevationOfPrivilege,spoofing).|\n\
                   |payloadFileName|String|Payload file name (*.mobileconfig | *.xml).|\n\
                   |tier|String|Control tier.|\n";
        let (doc, diags) = parse(&"t.md".into(), src);
        let blocks: Vec<&Block> = doc.sections.iter().flat_map(|s| &s.blocks).collect();
        let Block::Table(table) = blocks[0] else {
            panic!("{blocks:?}")
        };
        let rows: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec![
                    "threats",
                    "String collection",
                    "Threats (accountBreach,dataDeletion, elevationOfPrivilege,spoofing)."
                ],
                vec![
                    "payloadFileName",
                    "String",
                    "Payload file name (*.mobileconfig | *.xml)."
                ],
                vec!["tier", "String", "Control tier."],
            ]
        );
        let lines: Vec<(u32, Kind)> = diags.items.iter().map(|d| (d.span.line, d.kind)).collect();
        assert_eq!(lines, [(4, Kind::BrokenTable), (5, Kind::BrokenTable)]);
        // A short row whose line starts with `|` is a row (the docs' headings inside a table).
        let (doc, _) = parse(&"t.md".into(), "| A | B |\n|---|---|\n|a|b|\n|**More**|\n");
        let Some(Block::Table(table)) = doc.sections.iter().flat_map(|s| &s.blocks).next() else {
            panic!("{doc:?}")
        };
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells[1].text, "b");
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
