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
        /// The paragraph is inside a block quote (`> **Note:** ...`, `> [!NOTE]`): a callout of
        /// the docs, not their running text.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        quote: bool,
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

/// Headers of the column that names the rows of a parameter, property or member table.
pub const NAME_HEADS: &[&str] = &[
    "name",
    "parameter",
    "property",
    "relationship",
    "member",
    "header",
    "value",
];

/// Headers of a column of types, whole (`Type property | Type of recurrence range` heads a
/// table about the values of a `type` property): a resource page's property table headed like
/// its methods table (`agreementFileData`) still gives types.
pub const TYPE_HEADS: &[&str] = &[
    "type",
    "types",
    "type(s)",
    "return type",
    "property type",
    "data type",
];

impl Table {
    /// The index of the first column whose header matches one of `names` (case-insensitive).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.columns(names).next()
    }

    /// Every column whose header starts with one of `names` (case aside), in order.
    pub fn columns<'a>(&'a self, names: &'a [&str]) -> impl Iterator<Item = usize> + 'a {
        self.header.iter().enumerate().filter_map(move |(i, h)| {
            let h = h.trim().as_bytes();
            names
                .iter()
                .any(|n| {
                    h.get(..n.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(n.as_bytes()))
                })
                .then_some(i)
        })
    }

    /// The column that gives each row's type: one headed as in [`TYPE_HEADS`], or the middle
    /// column of a `Name | Value | Description` table (the layout of the OneDrive pages' header,
    /// query and body tables, whose `Value` column holds `string`, `etag`, `ItemReference`).
    pub fn type_column(&self) -> Option<usize> {
        let heads: Vec<String> = self
            .header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        heads
            .iter()
            .position(|h| TYPE_HEADS.contains(&h.as_str()))
            .or_else(|| {
                // Not `Member | Value | Description`: an enum's values are numbers.
                match heads.as_slice() {
                    [name, value, description]
                        if ["name", "parameter", "property", "header"].contains(&name.as_str())
                            && value == "value"
                            && description.starts_with("description") =>
                    {
                        Some(1)
                    }
                    _ => None,
                }
            })
    }

    /// Whether the rows are things with names and types (parameters, properties): the table
    /// has a type column or its first column names the rows. Other tables in those sections are
    /// notes (`outlookCategory`'s colours of its `color` values, `findMeetingTimes`'s
    /// `activityDomain` values), not more properties.
    pub fn names_typed_rows(&self) -> bool {
        self.type_column().is_some() || self.column(NAME_HEADS) == Some(0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            span: Span::new(&"t.md".into(), 1),
        }
    }

    #[test]
    fn type_columns_and_tables_of_named_rows() {
        for (header, type_column, named) in [
            (&["Property", "Type", "Description"][..], Some(1), true),
            (&["Name", "Type(s)", "Description"], Some(1), true),
            (&["Name", " Type\t", "Description"], Some(1), true),
            (&["Method", "Return Type", "Description"], Some(1), true),
            (&["Name", "Value", "Description"], Some(1), true),
            (&["Parameter", "Value", "Description of it"], Some(1), true),
            // Name-value pairs and enum members: the value is not a type.
            (&["Name", "Value"], None, true),
            (&["Member", "Value", "Description"], None, true),
            (&["Value", "Value", "Description"], None, true),
            // Notes in a properties section.
            (
                &["Pre-set constant", "Color mapped to in Outlook"],
                None,
                false,
            ),
            (
                &["activityDomain value", "Suggestions for meeting times"],
                None,
                false,
            ),
            (
                &["type property", "Type of recurrence range", "Description"],
                None,
                false,
            ),
        ] {
            let t = table(header);
            assert_eq!(t.type_column(), type_column, "{header:?}");
            assert_eq!(t.names_typed_rows(), named, "{header:?}");
        }
    }
}
