//! Rendered web-page text (what a browser shows of a docs page, copied as text) → [`Document`].
//!
//! This form has no markdown: headings are plain lines, each table cell is a line ending in ` |`,
//! code is bare lines. Headings and table shapes are recognised from the tables below.

use std::sync::Arc;

use super::blocks::{Block, Cell, Document, Row, Section, Table};
use crate::diag::{Diagnostics, Kind};
use crate::span::Span;

/// Lines that are part of the page chrome, not of the content.
const CHROME: &[&str] = &["-", "article", "in this article", "feedback"];

/// Section headings of API and resource pages (compared case-insensitively).
const HEADINGS: &[&str] = &[
    "permissions",
    "prerequisites",
    "http request",
    "request headers",
    "optional query parameters",
    "query parameters",
    "path parameters",
    "function parameters",
    "request body",
    "response",
    "responses",
    "example",
    "examples",
    "request",
    "properties",
    "relationships",
    "json representation",
    "methods",
    "error handling",
];

/// Header rows of the tables the docs use, so that a run of cells can be cut into rows.
const TABLE_HEADERS: &[&[&str]] = &[
    &[
        "Global service",
        "US Government L4",
        "US Government L5 (DOD)",
        "China operated by 21Vianet",
    ],
    &[
        "Permission type",
        "Least privileged permissions",
        "Higher privileged permissions",
    ],
    &[
        "Permission type",
        "Permissions (from least to most privileged)",
    ],
    &["Permission type", "Permissions"],
    &["Parameter", "Type", "Description"],
    &["Property", "Type", "Description"],
    &["Name", "Type", "Description"],
    &["Relationship", "Type", "Description"],
    &["Method", "Return type", "Description"],
    &["Header", "Value"],
    &["Name", "Description"],
    &["Name", "Value"],
];

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Does this text look like a rendered page rather than markdown?
pub fn is_rendered(src: &str) -> bool {
    let has_markdown = src.starts_with("---")
        || src.lines().any(|l| {
            let t = l.trim_start();
            t.starts_with("## ") || t.starts_with("```") || t.starts_with("<!--")
        });
    !has_markdown && src.lines().any(is_cell)
}

fn is_cell(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(" |") || t == "|"
}

fn is_heading(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    HEADINGS.contains(&l.as_str())
        || (l.starts_with("example ") && l.len() < 100 && l.contains(':'))
}

fn is_chrome(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    CHROME.contains(&l.as_str())
        || (l.starts_with("- ") && l.ends_with("to read"))
        || (l.ends_with(" minutes to read") && l.len() < 30)
}

fn request_line(line: &str) -> bool {
    let t = line.trim_start();
    METHODS.iter().any(|m| {
        t.strip_prefix(m)
            .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with('/'))
    })
}

fn status_line(line: &str) -> bool {
    line.trim_start().starts_with("HTTP/")
}

fn header_line(line: &str) -> bool {
    let Some((name, _)) = line.split_once(": ") else {
        return false;
    };
    !name.is_empty()
        && name.len() < 60
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Parses a rendered page.
pub fn parse(file: &Arc<str>, src: &str) -> (Document, Diagnostics) {
    let lines: Vec<&str> = src.lines().collect();
    let mut diags = Diagnostics::default();
    let mut doc = Document::default();
    let mut section = Section {
        level: 0,
        heading: String::new(),
        span: Span::new(file, 1),
        blocks: Vec::new(),
    };
    let span = |i: usize| Span::new(file, i as u32 + 1);
    let mut i = 0;
    let mut seen_content = false;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() || is_chrome(line) {
            i += 1;
            continue;
        }
        if is_heading(line) {
            let next = Section {
                level: 2,
                heading: line.trim().to_owned(),
                span: span(i),
                blocks: Vec::new(),
            };
            doc.sections.push(std::mem::replace(&mut section, next));
            seen_content = true;
            i += 1;
            continue;
        }
        if !seen_content
            && !line.starts_with("Namespace:")
            && !is_cell(line)
            && line.len() < 100
            && !line.ends_with('.')
        {
            // The first line of a rendered page is its title, when it has one.
            let next = Section {
                level: 1,
                heading: line.trim().to_owned(),
                span: span(i),
                blocks: Vec::new(),
            };
            doc.sections.push(std::mem::replace(&mut section, next));
            seen_content = true;
            i += 1;
            continue;
        }
        seen_content = true;
        if is_cell(line) {
            let start = i;
            let mut cells = Vec::new();
            while i < lines.len() && is_cell(lines[i]) {
                let cell = lines[i].trim_end();
                cells.push((cell[..cell.len() - 1].trim().to_owned(), i));
                i += 1;
            }
            section
                .blocks
                .push(Block::Table(table(file, &cells, start, &mut diags)));
            continue;
        }
        if request_line(line) || status_line(line) {
            let start = i;
            let mut text = String::new();
            while i < lines.len()
                && (request_line(lines[i]) || (i == start && status_line(lines[i])))
            {
                text.push_str(lines[i].trim());
                text.push('\n');
                i += 1;
            }
            while i < lines.len() && header_line(lines[i]) {
                text.push_str(lines[i].trim());
                text.push('\n');
                i += 1;
            }
            // Blank lines are kept (one `\n` each) so that line `k` of the text is source line
            // `first_line + k`: diagnostics about the body point at the right line.
            let mut blanks = 0;
            while i < lines.len() && lines[i].trim().is_empty() {
                blanks += 1;
                i += 1;
            }
            if i < lines.len() && matches!(lines[i].trim_start().chars().next(), Some('{' | '[')) {
                text.push_str(&"\n".repeat(blanks));
                let (body, next) = json_lines(&lines, i);
                text.push_str(&body);
                i = next;
            }
            section.blocks.push(Block::Code {
                lang: "http".into(),
                text,
                span: span(start),
                first_line: start as u32 + 1,
            });
            continue;
        }
        section.blocks.push(Block::Paragraph {
            text: line.trim().to_owned(),
            links: Vec::new(),
            span: span(i),
            // The text of a rendered page keeps a quote's `>` (`>**Note:** ...`).
            quote: line.trim_start().starts_with('>'),
        });
        i += 1;
    }
    doc.sections.push(section);
    (doc, diags)
}

/// Collects the lines of a JSON value that starts at `start`, until its brackets balance.
fn json_lines(lines: &[&str], start: usize) -> (String, usize) {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    let mut text = String::new();
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        text.push_str(line);
        text.push('\n');
        i += 1;
        for c in line.chars() {
            if in_str {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            break;
        }
    }
    (text, i)
}

/// Cuts a run of cells into a table, using the known header rows to find the column count.
fn table(
    file: &Arc<str>,
    cells: &[(String, usize)],
    start: usize,
    diags: &mut Diagnostics,
) -> Table {
    let span = Span::new(file, start as u32 + 1);
    let columns = TABLE_HEADERS
        .iter()
        .filter(|h| {
            h.len() <= cells.len()
                && h.iter()
                    .zip(cells)
                    .all(|(a, (b, _))| a.eq_ignore_ascii_case(b))
        })
        .map(|h| h.len())
        .max();
    let columns = match columns {
        Some(c) => c,
        None => {
            diags.push(
                &span,
                Kind::BrokenTable,
                format!(
                    "cannot tell the columns of a table starting with `{}`; read as two columns",
                    cells.first().map_or("", |c| c.0.as_str())
                ),
            );
            2
        }
    };
    if !cells.len().is_multiple_of(columns) {
        diags.push(
            &span,
            Kind::BrokenTable,
            format!(
                "{} cells do not fill rows of {columns}; the last row is incomplete",
                cells.len()
            ),
        );
    }
    let mut chunks = cells.chunks(columns);
    let header = chunks
        .next()
        .map(|c| c.iter().map(|(t, _)| t.clone()).collect())
        .unwrap_or_default();
    let rows = chunks
        .map(|c| Row {
            span: Span::new(file, c[0].1 as u32 + 1),
            cells: c
                .iter()
                .map(|(t, _)| Cell {
                    text: t.clone(),
                    links: Vec::new(),
                })
                .collect(),
        })
        .collect();
    Table { header, rows, span }
}
