//! The form-neutral document tree: both the markdown pages and the rendered web-page texts are
//! read into sections of blocks, which `page.rs` then interprets.

use serde::Serialize;

use crate::span::Span;

/// A document: optional front matter, text before the first heading, and sections.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Document {
    pub frontmatter: Vec<(String, String, Span)>,
    pub sections: Vec<Section>,
}

/// A heading and the blocks under it until the next heading. The first section of a document
/// may have an empty heading (the text before any heading).
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub level: u8,
    pub heading: String,
    pub span: Span,
    pub blocks: Vec<Block>,
}

/// A link inside a paragraph or a table cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// One block of content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        text: String,
        links: Vec<Link>,
        span: Span,
    },
    Table(Table),
    Code {
        lang: String,
        text: String,
        span: Span,
        /// The line of the first line of `text`.
        first_line: u32,
    },
    /// `<!-- { ... } -->` annotation: the raw JSON text.
    Annotation {
        json: String,
        span: Span,
    },
    /// `[!INCLUDE [name](path)]`.
    Include {
        name: String,
        path: String,
        span: Span,
    },
}

impl Block {
    pub fn span(&self) -> &Span {
        match self {
            Block::Paragraph { span, .. }
            | Block::Code { span, .. }
            | Block::Annotation { span, .. }
            | Block::Include { span, .. } => span,
            Block::Table(t) => &t.span,
        }
    }
}

/// A table: header cells and rows of cells, each row with its line.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Table {
    /// The index of the first column whose header matches one of `names` (case-insensitive).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| {
            let h = h.trim().to_ascii_lowercase();
            names.iter().any(|n| h == *n || h.starts_with(n))
        })
    }
}

/// Parses `[!INCLUDE [name](path)]` (any case), returning name and path.
pub fn parse_include(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let rest = t
        .strip_prefix("[!INCLUDE")
        .or_else(|| t.strip_prefix("[!include"))?;
    let rest = rest.trim_start().strip_prefix('[')?;
    let (name, rest) = rest.split_once(']')?;
    let rest = rest.trim_start().strip_prefix('(')?;
    let (path, _) = rest.split_once(')')?;
    Some((name.trim().to_owned(), path.trim().to_owned()))
}
