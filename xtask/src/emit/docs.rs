//! Rustdoc text from the model: descriptions, HTTP lines, permissions, national clouds.

use crate::model::{BodyModel, Cloud, Operation};

/// Escapes text for markdown in rustdoc: brackets would become intra-doc links, and bare URLs
/// (which rustdoc warns about) become autolinks.
pub fn prose(text: &str) -> String {
    if !text.bytes().any(|b| matches!(b, b'[' | b']' | b'<' | b'>')) {
        return autolink(text);
    }
    let escaped = plain_html(text)
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    autolink(&escaped)
}

/// Ends `text` with a full stop unless it ends a sentence already (`.`, `!`, `?`, `:`, `;`), so
/// that a sentence can follow: the docs leave the period off many descriptions
/// (`Inherited from deviceConfiguration`).
pub fn end_sentence(text: &mut String) {
    let last = text.trim_end().chars().last();
    if last.is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | ';')) {
        text.truncate(text.trim_end().len());
        text.push('.');
    }
}

/// The HTML that the docs' table cells use for layout, as text: line breaks and list tags
/// become spaces (list items keep a dash), `<code>` becomes backticks. Other tags stay, escaped.
const HTML_AS_TEXT: &[(&str, &str)] = &[
    ("<br>", " "),
    ("<br/>", " "),
    ("<br />", " "),
    ("</br>", " "),
    ("<ul>", " "),
    ("</ul>", " "),
    ("<li>", " - "),
    ("</li>", " "),
    ("<code>", "`"),
    ("</code>", "`"),
];

fn plain_html(text: &str) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for (tag, with) in HTML_AS_TEXT {
        // Tags are written in any case (`<BR>`, `<Br/>`).
        while let Some(pos) = out.to_ascii_lowercase().find(tag) {
            out.replace_range(pos..pos + tag.len(), with);
        }
    }
    // Collapse the runs of spaces that the replacements leave.
    let mut collapsed = String::with_capacity(out.len());
    for part in out.split(' ') {
        if part.is_empty() {
            continue;
        }
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(part);
    }
    collapsed
}

/// `<https://...>` around each URL that starts a word (not in code or after a bracket); trailing
/// punctuation stays outside.
fn autolink(text: &str) -> String {
    // One searcher for the run (asked of every paragraph of rustdoc; most have no URL).
    static HTTP: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("http"));
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(pos) = HTTP.find(rest.as_bytes()) {
        let (before, at) = rest.split_at(pos);
        out.push_str(before);
        let starts_word = before
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\''));
        let is_url = at.starts_with("https://") || at.starts_with("http://");
        if !(starts_word && is_url) {
            out.push_str("http");
            rest = &at["http".len()..];
            continue;
        }
        let end = at
            .find(|c: char| c.is_whitespace() || matches!(c, '\\' | '`' | '&' | '"'))
            .unwrap_or(at.len());
        let url = at[..end].trim_end_matches(['.', ',', ';', ':', ')', '\'', '!', '?']);
        if url.ends_with("//") {
            // A scheme alone is not a link.
            out.push_str(url);
            rest = &at[url.len()..];
            continue;
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &at[url.len()..];
    }
    out.push_str(rest);
    out
}

fn cloud_name(c: Cloud) -> &'static str {
    match c {
        Cloud::Global => "Global service",
        Cloud::UsGovL4 => "US Government L4",
        Cloud::UsGovL5 => "US Government L5 (DOD)",
        Cloud::China => "China operated by 21Vianet",
    }
}

/// The properties a page's body table lists for a body that is a resource
/// ([`Operation::body_fields`]), with their descriptions (`Required.` and all).
fn body_fields(s: &mut String, op: &Operation) {
    if op.body_fields.is_empty() {
        return;
    }
    s.push_str(
        "\n# Request body\n\n\
         The properties of the body that the docs list for this request:\n\n",
    );
    for f in &op.body_fields {
        s.push_str(&format!("- `{}`", f.name));
        if let Some(d) = &f.description {
            s.push_str(": ");
            s.push_str(&prose(d));
        }
        s.push('\n');
    }
}

/// What an operation on a base type says of the derived types its pages document it with
/// ([`Operation::variants`]): how to send one, how to read one.
fn variants(s: &mut String, op: &Operation) {
    if op.variants.is_empty() {
        return;
    }
    let short = |n: &str| format!("`{}`", n.rsplit('.').next().unwrap_or(n));
    let kinds = op
        .variants
        .iter()
        .map(|t| short(t))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(BodyModel::Type { ty }) = &op.body {
        s.push_str(&format!(
            "\n# Request body\n\nA {} of one of the kinds the docs document this request \
             with: {kinds}. Make one of those the body with \
             `graph_requests::models::upcast(&value)`: its own properties go along, and its \
             `@odata.type` tells Graph which kind it is.\n",
            short(ty.named().unwrap_or("?")),
        ));
    } else if let Some(ty) = op.response.ty.as_ref().and_then(|t| t.named()) {
        let (each, it) = if op.response.collection {
            ("Each item is a", "an item")
        } else {
            ("A", "it")
        };
        s.push_str(&format!(
            "\n# Response\n\n{each} {} of one of the kinds the docs document this request \
             with: {kinds}; `downcast` reads {it} as its kind.\n",
            short(ty),
        ));
    }
}

/// What the hand-written runtime does with the answer of an operation, by the type it returns:
/// the protocol the docs describe after the operation, which no generated operation covers.
const RUNTIME_HELPERS: &[(&str, &str)] = &[(
    "microsoft.graph.uploadSession",
    "# Uploading\n\nThe session's `upload_url` takes the file in byte ranges: \
     `client.large_file_upload(url).upload(bytes)` (or `.upload_from(file, len)`) sends them \
     as the docs describe ([`LargeFileUpload`](crate::runtime::LargeFileUpload)).\n",
)];

/// The section of [`RUNTIME_HELPERS`] for the type a (single-value) operation returns.
fn runtime_helpers(s: &mut String, op: &Operation) {
    let returned = op.response.ty.as_ref().and_then(|t| t.named());
    for (ty, doc) in RUNTIME_HELPERS {
        if returned == Some(*ty) && !op.response.collection {
            s.push('\n');
            s.push_str(doc);
        }
    }
}

/// The full rustdoc of an operation.
pub fn operation(op: &Operation, version: &str) -> String {
    let mut s = String::new();
    match &op.description {
        Some(d) => s.push_str(&prose(d)),
        None => s.push_str(&format!("`{}` (the docs give no description).", op.name)),
    }
    for note in &op.notes {
        s.push_str("\n\n> ");
        s.push_str(&prose(note));
    }
    s.push_str("\n\n```text\n");
    for p in &op.paths {
        s.push_str(&format!("{} /{version}{}\n", op.method, p.raw));
    }
    s.push_str("```\n");
    body_fields(&mut s, op);
    variants(&mut s, op);
    runtime_helpers(&mut s, op);
    s.push_str("\n# Permissions\n\n");
    if op.permissions.is_empty() {
        s.push_str("Not documented.\n");
    } else {
        let list = |l: &[String]| {
            if l.is_empty() {
                "Not supported".to_owned()
            } else {
                l.join(", ")
            }
        };
        // The docs' tables of two columns list each kind's permissions from least to most
        // privileged; those of three split them.
        let split = op.permissions.iter().any(|p| p.higher.is_some());
        if split {
            s.push_str(
                "| Permission type | Least privileged | Higher privileged |\n|---|---|---|\n",
            );
        } else {
            s.push_str(
                "| Permission type | Permissions (from least to most privileged) |\n|---|---|\n",
            );
        }
        for p in &op.permissions {
            s.push_str(&format!("| {} | {}", prose(&p.kind), list(&p.least)));
            match (&p.higher, split) {
                (Some(higher), _) => s.push_str(&format!(" | {}", list(higher))),
                (None, true) => s.push_str(" | "),
                (None, false) => {}
            }
            s.push_str(" |\n");
        }
    }
    if let Some(clouds) = &op.clouds {
        s.push_str("\n# National clouds\n\n");
        for c in clouds {
            let mark = if c.available {
                "available"
            } else {
                "not available"
            };
            s.push_str(&format!("- {}: {mark}\n", cloud_name(c.cloud)));
        }
    }
    s.push_str("\n# Source\n\n");
    for src in &op.sources {
        s.push_str(&format!("- `{src}`\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_ended_once() {
        for (text, want) in [
            (
                "Inherited from deviceConfiguration",
                "Inherited from deviceConfiguration.",
            ),
            ("Read-only. ", "Read-only. "),
            ("Possible values are: ", "Possible values are: "),
            ("The id (a GUID)", "The id (a GUID)."),
            ("Trailing space  ", "Trailing space."),
            ("", ""),
        ] {
            let mut t = text.to_owned();
            end_sentence(&mut t);
            assert_eq!(t, want, "{text:?}");
        }
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            prose("See https://contoso.com/a?b=1, or (http://x.y/z). Not `https://code` nor [https://l](u)."),
            "See <https://contoso.com/a?b=1>, or (<http://x.y/z>). Not `https://code` nor \\[https://l\\](u)."
        );
        assert_eq!(prose("https://a.b"), "<https://a.b>");
        assert_eq!(
            prose("Key. <br><BR/>Values:<ul><li><code>a</code></li><li>b</li></ul> <b>x</b>"),
            "Key. Values: - `a` - b &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            prose("For example, \"https://a.b/c\"."),
            "For example, \"<https://a.b/c>\"."
        );
        assert_eq!(
            prose("no links, httpx and http:// alone"),
            "no links, httpx and http:// alone"
        );
    }
}
