//! Stage 1, parse: one page of text → a [`Page`] with a span on every node.

pub mod blocks;
pub mod http;
pub mod markdown;
pub mod page;
pub mod rendered;

use std::sync::Arc;

pub use page::{Form, Page};

use crate::diag::Diagnostics;

/// Parses one page. `file` is the path shown in diagnostics; `version` is `v1.0` or `beta`.
pub fn parse_page(file: &Arc<str>, version: &str, src: &str) -> (Page, Diagnostics) {
    let (form, (doc, mut diags)) = if rendered::is_rendered(src) {
        (Form::Rendered, rendered::parse(file, src))
    } else {
        (Form::Markdown, markdown::parse(file, src))
    };
    let page = page::interpret(file, version, form, doc, &mut diags);
    (page, diags)
}
