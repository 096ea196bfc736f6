//! Interprets a [`Document`] as a Graph docs page: title, namespace, permissions, clouds, HTTP
//! request syntax, header/query/body tables, response sentence, examples, properties.

use std::sync::Arc;

use serde::Serialize;

use super::blocks::{Block, Document, Link, Section, Table, NAME_HEADS};
use super::http;
use crate::diag::{Diagnostics, Kind};
use crate::span::Span;

/// Text with its position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Markdown,
    Rendered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    Api,
    Resource,
    Enum,
    Other,
}

/// One page of the docs, interpreted.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub file: Arc<str>,
    pub version: String,
    pub form: Form,
    pub kind: PageKind,
    pub title: Option<Text>,
    /// The front matter's `title`, kept apart: a fallback when the H1 does not name the type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub front_title: Option<Text>,
    pub namespace: Option<Text>,
    pub description: Option<Text>,
    /// The links of the description's paragraph (`Deletes a [user](intune-devices-user.md)`):
    /// whether the page documents a type's own view or a partial view of it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub description_links: Vec<Link>,
    pub permissions: Vec<PermissionRow>,
    pub permissions_include: Option<Text>,
    pub clouds: Vec<CloudCell>,
    pub clouds_include: Option<Text>,
    pub requests: Vec<RequestLine>,
    pub request_headers: Vec<HeaderLine>,
    pub headers: Vec<ParamRow>,
    pub query: Vec<ParamRow>,
    pub body: Option<Body>,
    /// The types the request-body prose names: its links to types, and an unlinked `a JSON
    /// representation for the androidLobApp object`. A table of only their properties is one
    /// of them, not a type of its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub body_mentions: Vec<Link>,
    pub response: Option<ResponseSentence>,
    /// The response sentences of the subsections of `Response`, each with its subsection's
    /// heading: the responses of the page's request subsections.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_responses: Vec<ResponseSentence>,
    pub examples: Vec<Example>,
    pub properties: Vec<ParamRow>,
    pub relationships: Vec<ParamRow>,
    pub resource: Option<Example>,
    pub enum_members: Vec<ParamRow>,
    /// `### X values` sections: of a page that documents several enums (`enums.md`), or the
    /// enums of a resource page's properties (`printerStatus`'s `printerProcessingState`).
    pub enum_sets: Vec<EnumSet>,
    /// OData system query options the page says the operation supports (`$select`, ...).
    pub odata: Vec<String>,
    /// The page says the operation supports the OData query parameters in general.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub odata_general: bool,
    pub notes: Vec<Text>,
    /// The callouts before the first section (`> **Note:** ...`, `> [!IMPORTANT]`): notes the
    /// docs put in a box, e.g. Intune's licence requirement. Not the description.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub callouts: Vec<Text>,
    /// The response headers a table of the Response section names (`Location`, `Retry-After`
    /// of `exportPersonalData`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_headers: Vec<String>,
    /// The rows of a `Path parameters` table: what the path's parameters and a function's
    /// arguments are (types, descriptions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<ParamRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermissionRow {
    pub kind: String,
    /// The permissions of the second column: the least privileged ones, or, in a table of two
    /// columns (`Permissions (from least to most privileged)`), all of them in that order.
    pub least: Vec<String>,
    /// The third column's higher privileged permissions; `None` in a table of two columns.
    pub higher: Option<Vec<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CloudCell {
    pub cloud: String,
    pub available: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestLine {
    pub method: String,
    pub path: String,
    pub span: Span,
    /// The subsection of `HTTP request` the line is in, on pages that document several requests
    /// that way (`profilephoto-get.md`: `### Get the photo`, `### Get the metadata of the
    /// photo`): each subsection is an operation of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderLine {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// One enum of a page that documents several: its name and member rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumSet {
    pub name: String,
    pub members: Vec<ParamRow>,
    pub span: Span,
}

/// The enum named by a heading like `lifecycleEventType values` (a single word before it).
fn enum_set_name(heading: &str) -> Option<&str> {
    let h = heading.trim();
    let cut = h.len().checked_sub(" values".len())?;
    if !h.is_char_boundary(cut) || !h[cut..].eq_ignore_ascii_case(" values") {
        return None;
    }
    let name = h[..cut].trim().trim_matches('`');
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '_'))
    .then_some(name)
}

/// A row of a name/type/description table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamRow {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty_link: Option<String>,
    pub description: String,
    /// What a `Required?` column says of the row (`Yes`, `No`), where the table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "body", rename_all = "snake_case")]
pub enum Body {
    None {
        span: Span,
    },
    Type {
        link: Link,
        rows: Vec<ParamRow>,
        span: Span,
    },
    Parameters {
        rows: Vec<ParamRow>,
        span: Span,
    },
    Unknown {
        text: String,
        span: Span,
    },
    /// A JSON array of a linked type: "In the request body, supply an array of
    /// [patchContentCommand](...) objects".
    Many {
        link: Link,
        span: Span,
    },
    /// Raw content, not JSON: "include the binary data of the photo", "the binary stream of
    /// the file to be uploaded", "supply the HTML content for the page".
    Content {
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseSentence {
    /// The subsection of `Response` the sentence is in (`### Response for getting the photo`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub status: Option<u16>,
    pub link: Option<Link>,
    pub collection: bool,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Request,
    Response,
    Resource,
    Other,
}

/// A code block of the examples, with its annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<serde_json::Value>,
    pub lang: String,
    pub text: String,
    pub span: Span,
    pub first_line: u32,
}

impl Example {
    pub fn annotation_str(&self, key: &str) -> Option<&str> {
        self.annotation.as_ref()?.get(key)?.as_str()
    }

    pub fn annotation_bool(&self, key: &str) -> bool {
        self.annotation
            .as_ref()
            .and_then(|a| a.get(key))
            .and_then(|v| v.as_bool().or_else(|| v.as_str().map(|s| s == "true")))
            .unwrap_or(false)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Preamble,
    Permissions,
    HttpRequest,
    Headers,
    Query,
    /// `Path parameters` (and a bare `Parameters`): the workbook's function arguments
    /// (`range/cell`'s `row` and `column`), besides the path's own `{id}`s.
    PathParams,
    Body,
    Response,
    Examples,
    Properties,
    Relationships,
    Json,
    Members,
    Other,
}

/// Section headings, by prefix of the lower-cased heading.
const SECTIONS: &[(&str, SectionKind)] = &[
    ("permissions", SectionKind::Permissions),
    ("prerequisites", SectionKind::Permissions),
    ("http request", SectionKind::HttpRequest),
    ("request headers", SectionKind::Headers),
    ("optional query parameters", SectionKind::Query),
    ("query parameters", SectionKind::Query),
    ("optional request headers", SectionKind::Headers),
    ("function parameters", SectionKind::Query),
    ("path parameters", SectionKind::PathParams),
    ("parameters", SectionKind::PathParams),
    ("request body", SectionKind::Body),
    ("response", SectionKind::Response),
    ("example", SectionKind::Examples),
    ("properties", SectionKind::Properties),
    ("relationships", SectionKind::Relationships),
    ("json representation", SectionKind::Json),
    ("members", SectionKind::Members),
];

/// The OData system query options the runtime knows.
pub const ODATA_OPTIONS: &[&str] = &[
    "$select", "$filter", "$expand", "$orderby", "$top", "$skip", "$count", "$search",
];

/// Whether a request-body sentence (lower-cased) says the body is an array of the type it links.
fn says_array(lower: &str) -> bool {
    lower.starts_with("in the request body")
        && (lower.contains("an array of") || lower.contains("a collection of"))
        && !lower.contains("json representation")
}

/// The type a sentence names, unlinked, as the one whose representation it is: `androidLobApp`
/// of "supply a JSON representation for the androidLobApp object" (`lower` is `text` in lower
/// case, so its offsets are `text`'s).
fn object_named<'t>(text: &'t str, lower: &str) -> Option<&'t str> {
    let at = lower.find("representation ")? + "representation ".len();
    let rest = lower[at..]
        .strip_prefix("of ")
        .or_else(|| lower[at..].strip_prefix("for "))?;
    let article = ["the ", "an ", "a "]
        .iter()
        .find(|a| rest.starts_with(**a))
        .map_or(0, |a| a.len());
    let start = lower.len() - rest.len() + article;
    let len = lower[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(lower.len() - start);
    let after = &lower[start + len..];
    let is_type = [" object", " resource", " entity"]
        .iter()
        .any(|w| after.starts_with(w));
    (len > 0 && is_type).then(|| &text[start..start + len])
}

/// Whether a request-body sentence (lower-cased) says the body is raw content: it starts by
/// saying what the body holds ("In the request body, include the binary data of the photo",
/// "The contents of the request body should be the binary stream of the file") and names binary
/// data or HTML. (A later sentence such as `printer-update`'s "With application permissions, ...
/// a binary stream" describes an alternative, not the body.)
fn says_raw_content(lower: &str) -> bool {
    let about_the_body = lower.starts_with("in the request body")
        || lower.starts_with("the contents of the request body");
    about_the_body
        && ["binary data", "binary stream", "html content"]
            .iter()
            .any(|w| lower.contains(w))
}

/// The text of a callout without its markup: `[!NOTE] text` (a docfx alert) reads `Note: text`;
/// a rendered page's `>**Note:** text` reads `Note: text`.
fn callout(text: &str) -> String {
    let t = text.trim_start_matches(['>', ' ']);
    if let Some((kind, rest)) = t.strip_prefix("[!").and_then(|r| r.split_once(']')) {
        if !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_alphabetic()) {
            let kind = kind.to_ascii_lowercase();
            let (first, tail) = kind.split_at(1);
            return format!("{}{tail}: {}", first.to_ascii_uppercase(), rest.trim());
        }
    }
    match t.strip_prefix("**") {
        Some(rest) => rest.replacen("**", "", 1),
        None => t.to_owned(),
    }
}

/// The diagnostic of a description that [`is_todo`].
fn placeholder_message(text: &str) -> String {
    if text.contains("TODO") {
        "description is a TODO placeholder".to_owned()
    } else {
        format!(
            "description is the placeholder \"{}\"",
            text.trim().trim_matches('"')
        )
    }
}

/// Whether a text is a placeholder rather than content: TODO text, or Intune's "Not yet
/// documented" as the whole text (not when more follows: "Not yet documented. Possible values
/// are: ..." still names the values).
pub fn is_todo(s: &str) -> bool {
    // Asked of every description: one searcher for the run, not one per call.
    static TODO: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("TODO"));
    let not_yet = "not yet documented";
    let t = s.trim().trim_matches('"');
    TODO.find(s.as_bytes()).is_some()
        || t.get(..not_yet.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(not_yet))
            && t[not_yet.len()..].trim_start_matches('.').trim().is_empty()
}

fn classify(section: &Section, in_examples: bool) -> SectionKind {
    if section.level <= 1 {
        return SectionKind::Preamble;
    }
    if in_examples {
        return SectionKind::Examples;
    }
    let h = section.heading.to_ascii_lowercase();
    SECTIONS
        .iter()
        .find(|(prefix, _)| h.starts_with(prefix))
        .map_or(SectionKind::Other, |(_, k)| *k)
}

/// Interprets a document.
pub fn interpret(
    file: &Arc<str>,
    version: &str,
    form: Form,
    doc: Document,
    diags: &mut Diagnostics,
) -> Page {
    let front = |key: &str| doc.frontmatter.iter().find(|(k, _, _)| k == key);
    let doc_type = front("doc_type")
        .map(|(_, v, _)| v.trim().trim_matches(['"', '\'', '_']).to_ascii_lowercase());
    // The folder tells operations from types (some api pages say `resourcePageType`); the
    // doc type tells enums and conceptual pages apart.
    let kind = match (
        doc_type.as_deref(),
        file.contains("/api/"),
        file.contains("/resources/"),
    ) {
        (Some("conceptualpagetype"), _, _) => PageKind::Other,
        (_, true, _) => PageKind::Api,
        (Some("enumpagetype"), _, _) => PageKind::Enum,
        (_, _, true) => PageKind::Resource,
        (Some("apipagetype"), _, _) => PageKind::Api,
        (Some("resourcepagetype"), _, _) => PageKind::Resource,
        _ => PageKind::Other,
    };
    let mut page = Page {
        file: file.clone(),
        version: version.to_owned(),
        form,
        kind,
        title: None,
        front_title: front("title").map(|(_, v, span)| Text {
            value: v.trim().trim_matches(['"', '\'']).to_owned(),
            span: span.clone(),
        }),
        namespace: None,
        description: None,
        description_links: Vec::new(),
        permissions: Vec::new(),
        permissions_include: None,
        clouds: Vec::new(),
        clouds_include: None,
        requests: Vec::new(),
        request_headers: Vec::new(),
        headers: Vec::new(),
        query: Vec::new(),
        body: None,
        body_mentions: Vec::new(),
        response: None,
        group_responses: Vec::new(),
        examples: Vec::new(),
        properties: Vec::new(),
        relationships: Vec::new(),
        resource: None,
        enum_members: Vec::new(),
        enum_sets: Vec::new(),
        odata: Vec::new(),
        odata_general: false,
        notes: Vec::new(),
        callouts: Vec::new(),
        response_headers: Vec::new(),
        path_params: Vec::new(),
    };
    if let Some(s) = doc
        .sections
        .iter()
        .find(|s| s.level == 1 && !s.heading.is_empty())
    {
        page.title = Some(Text {
            value: s.heading.clone(),
            span: s.span.clone(),
        });
    } else if let Some((_, v, span)) = front("title") {
        page.title = Some(Text {
            value: v.clone(),
            span: span.clone(),
        });
    }
    let mut in_examples = false;
    let mut pending: Option<(serde_json::Value, Span)> = None;
    let mut outer: Option<(u8, SectionKind)> = None;
    let mut elsewhere = Elsewhere::default();
    // The document is consumed: an example's code (most of a page's bytes) moves into the page.
    for mut section in doc.sections {
        let kind = classify(&section, in_examples);
        if kind == SectionKind::Examples {
            in_examples = true;
        }
        // A `## Response` after `## Example`: on a page without a response sentence before, its
        // sentence is the page's.
        let late_response =
            kind == SectionKind::Examples && classify(&section, false) == SectionKind::Response;
        // A subsection of `HTTP request` or `Response` keeps its own kind; its request blocks
        // and response sentences are those of one request of several.
        let group = subsection_of(outer, &section, kind).map(|parent| {
            let heading = Text {
                value: section.heading.clone(),
                span: section.span.clone(),
            };
            (parent, heading)
        });
        if group.is_none() && section.level >= 2 {
            outer = Some((section.level, kind));
        }
        let request_group = group
            .as_ref()
            .filter(|(parent, _)| *parent == SectionKind::HttpRequest)
            .map(|(_, heading)| heading);
        let response_group = group
            .as_ref()
            .filter(|(parent, _)| *parent == SectionKind::Response)
            .map(|(_, heading)| heading);
        for block in std::mem::take(&mut section.blocks) {
            match block {
                Block::Annotation { json, span } => {
                    pending = parse_annotation(&json, &span, diags).map(|v| (v, span));
                }
                Block::Code {
                    lang,
                    text,
                    span,
                    first_line,
                } => {
                    let annotation = pending.take().map(|(v, _)| v);
                    let block_type = block_type(annotation.as_ref());
                    // A request block of a subsection of `HTTP request` is one of its requests.
                    let kind = match request_group {
                        Some(_) if first_request_line(&text).is_some() => SectionKind::HttpRequest,
                        _ => kind,
                    };
                    if !in_examples {
                        elsewhere.see(kind, block_type, &text, &span, first_line, &section.heading);
                    }
                    page.code(
                        kind,
                        annotation,
                        lang,
                        text,
                        span,
                        first_line,
                        request_group,
                        diags,
                    );
                }
                Block::Paragraph {
                    text,
                    links,
                    span,
                    quote,
                } => {
                    if quote && kind == SectionKind::Preamble {
                        page.callouts.push(Text {
                            value: callout(&text),
                            span,
                        });
                    } else if late_response && page.response.is_none() {
                        // The page's response sentence (`driveitem-get-content-format.md`:
                        // "Returns a `302 Found` response redirecting to ..."), if it writes
                        // the status with its reason phrase (not "the default page size (200
                        // items)").
                        page.response = response_sentence(&text, &links, &span, None)
                            .filter(|r| r.status.is_some_and(|s| with_reason(&text, s)));
                    } else {
                        page.group_response(&text, &links, &span, response_group);
                        page.paragraph(kind, &text, &links, &span, diags);
                    }
                }
                Block::Table(table) => match enum_set_name(&section.heading).filter(|_| {
                    section.level >= 2
                        && match page.kind {
                            PageKind::Enum => true,
                            // A resource page's own tables are properties: only a table
                            // of members makes an enum there.
                            PageKind::Resource => table.header.first().is_some_and(|h| {
                                ["member", "value", "name"]
                                    .contains(&h.trim().to_ascii_lowercase().as_str())
                            }),
                            _ => false,
                        }
                }) {
                    Some(name) => page.enum_sets.push(EnumSet {
                        name: name.to_owned(),
                        members: {
                            let described_by = table.column(&["description"]);
                            param_rows(table, described_by, diags)
                        },
                        span: section.span.clone(),
                    }),
                    None => page.table(kind, table, diags),
                },
                Block::Include { name, path, span } => page.include(kind, &name, &path, &span),
            }
        }
    }
    if page.kind == PageKind::Api {
        if page.requests.is_empty() {
            requests_elsewhere(&mut page, elsewhere.stray, diags);
        } else if !elsewhere.outside.is_empty() {
            template_requests(
                &mut page,
                Some(&elsewhere.outside),
                "is an example request outside the examples, written without a host",
                diags,
            );
        }
    }
    if page.description.is_none() {
        if let Some((_, v, span)) = front("description") {
            if is_todo(v) {
                diags.push(span, Kind::TodoPlaceholder, placeholder_message(v));
            } else if !v.is_empty() {
                page.description = Some(Text {
                    value: v.clone(),
                    span: span.clone(),
                });
            }
        }
    }
    page
}

/// The `blockType` an annotation gives its code block (`request`, `response`, `ignored`, ...).
fn block_type(annotation: Option<&serde_json::Value>) -> &str {
    annotation
        .and_then(|a| a.get("blockType"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
}

/// The kind a section takes from the section it is a subsection of: a subsection of `HTTP
/// request` or `Response` that its own heading does not classify otherwise (`### Get the
/// photo`, `### Response for getting the photo`) is one request, or one request's response, of
/// several.
fn subsection_of(
    outer: Option<(u8, SectionKind)>,
    section: &Section,
    own: SectionKind,
) -> Option<SectionKind> {
    let (level, kind) = outer?;
    (section.level > level
        && matches!(kind, SectionKind::HttpRequest | SectionKind::Response)
        && (own == SectionKind::Other || own == kind))
        .then_some(kind)
}

/// The first line of a code block that is a request line with a path (`GET /sites/root`), when
/// that is the block's first line (comments and blank lines aside).
fn first_request_line(text: &str) -> Option<(&'static str, &str)> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|t| !t.is_empty() && !t.starts_with("//") && !t.starts_with('#'))?;
    http::request_line(line)
        .filter(|(_, path)| path.starts_with(['/', '{']) || path.starts_with("http"))
}

/// A code block of request syntax outside an `HTTP request` section, before the examples.
struct StrayBlock {
    text: String,
    span: Span,
    first_line: u32,
    heading: String,
}

/// Request syntax a page writes outside its `HTTP request` section, before the examples: the
/// page's own requests where it has no such section ([`requests_elsewhere`]), or requests of it
/// beside those of the section ([`template_requests`]).
#[derive(Default)]
struct Elsewhere {
    /// Unannotated (or `ignored`) blocks of request syntax.
    stray: Vec<StrayBlock>,
    /// Blocks annotated as example requests (`drive-list.md`: `## List a site's drives`).
    outside: Vec<Span>,
}

impl Elsewhere {
    /// A code block outside the examples, in a section of `kind` under `heading`.
    fn see(
        &mut self,
        kind: SectionKind,
        block_type: &str,
        text: &str,
        span: &Span,
        first_line: u32,
        heading: &str,
    ) {
        if matches!(kind, SectionKind::HttpRequest | SectionKind::Json) {
            return;
        }
        if block_type == "request" {
            self.outside.push(span.clone());
        } else if matches!(block_type, "" | "ignored") && first_request_line(text).is_some() {
            self.stray.push(StrayBlock {
                text: text.to_owned(),
                span: span.clone(),
                first_line,
                heading: heading.to_owned(),
            });
        }
    }
}

/// An API page without an `HTTP request` section (`site-get.md` puts its requests under `Get
/// the tenant's root site` and two more headings, `chat-post-members.md` its request under
/// `Permissions`): the request blocks found elsewhere before the examples are its requests, and
/// so are the example requests written as templates (`GET /sites/{site-id}`), each reported.
fn requests_elsewhere(page: &mut Page, stray: Vec<StrayBlock>, diags: &mut Diagnostics) {
    for StrayBlock {
        text,
        span,
        first_line,
        heading,
    } in stray
    {
        diags.push(
            &span,
            Kind::RequestElsewhere,
            format!("request syntax under `{heading}`, and the page has no `HTTP request` section; read as the page's request"),
        );
        page.syntax(&text, &span, first_line, None, diags);
    }
    template_requests(
        page,
        None,
        "is written as a template, and the page has no `HTTP request` section",
        diags,
    );
}

/// The example requests written as templates (`GET /sites/{site-id}`), or, of `only` those
/// outside the examples, without a host, that the page's request lines do not have: read as
/// request lines, each reported.
/// `drive-list.md` documents `GET /groups/{groupId}/drives` under `HTTP request` and
/// `GET /sites/{siteId}/drives`, `/users/{userId}/drives`, `/me/drives` each as the example
/// request of a section of its own.
fn template_requests(page: &mut Page, only: Option<&[Span]>, why: &str, diags: &mut Diagnostics) {
    let templates: Vec<RequestLine> = page
        .examples
        .iter()
        .filter(|e| e.role == Role::Request && only.is_none_or(|o| o.contains(&e.span)))
        .filter_map(|e| {
            let (method, url) = first_request_line(&e.text)?;
            let url = http::url_end(url);
            let known = page
                .requests
                .iter()
                .any(|r| r.method == method && r.path == url);
            // Outside the examples, a path without a host is syntax too (`GET /me/drives`).
            let template = url.contains('{') || (only.is_some() && url.starts_with('/'));
            (template && !known).then(|| RequestLine {
                method: method.to_owned(),
                path: url.to_owned(),
                span: Span::new(&e.span.file, e.first_line),
                group: None,
            })
        })
        .collect();
    for line in templates {
        diags.push(
            &line.span,
            Kind::RequestElsewhere,
            format!(
                "`{} {}` {why}; read as a request of the page",
                line.method, line.path
            ),
        );
        page.requests.push(line);
    }
}

/// Parses an annotation, repairing the common slips (trailing commas) with a diagnostic.
fn parse_annotation(json: &str, span: &Span, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    let mut value = read_annotation(json, span, diags)?;
    // Some pages write the type key as `@type` (SharePoint's `list`, `site`, `itemAnalytics`).
    if let Some(obj) = value.as_object_mut() {
        if !obj.contains_key("@odata.type") {
            if let Some(t) = obj.get("@type").and_then(|t| t.as_str()).map(str::to_owned) {
                diags.push(
                    span,
                    Kind::InvalidAnnotation,
                    format!(
                        "annotation names its type with `@type` (`{t}`); read as `@odata.type`"
                    ),
                );
                obj.insert("@odata.type".to_owned(), serde_json::Value::String(t));
            }
        }
    }
    Some(value)
}

fn read_annotation(json: &str, span: &Span, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    match serde_json::from_str(json) {
        Ok(v) => Some(v),
        Err(e) => {
            let repaired = crate::lenient::repair(json);
            let value = serde_json::from_str(&repaired).ok();
            let what = if value.is_some() {
                "repaired"
            } else {
                "ignored"
            };
            diags.push(
                span,
                Kind::InvalidAnnotation,
                format!("annotation is not valid JSON ({e}); {what}"),
            );
            value
        }
    }
}

impl Page {
    #[allow(clippy::too_many_arguments)]
    fn code(
        &mut self,
        kind: SectionKind,
        annotation: Option<serde_json::Value>,
        lang: String,
        text: String,
        span: Span,
        first_line: u32,
        group: Option<&Text>,
        diags: &mut Diagnostics,
    ) {
        if kind == SectionKind::HttpRequest {
            self.syntax(&text, &span, first_line, group, diags);
            return;
        }
        let first = text.trim_start();
        let role = match block_type(annotation.as_ref()) {
            "request" => Role::Request,
            "response" => Role::Response,
            "resource" => Role::Resource,
            "ignored" if kind != SectionKind::Examples && kind != SectionKind::Json => Role::Other,
            _ if http::request_line(first.lines().next().unwrap_or("")).is_some() => Role::Request,
            _ if first.starts_with("HTTP/") => Role::Response,
            _ if kind == SectionKind::Json => Role::Resource,
            _ => Role::Other,
        };
        let example = Example {
            role,
            annotation,
            lang,
            text,
            span,
            first_line,
        };
        match role {
            Role::Resource if self.resource.is_none() => self.resource = Some(example),
            Role::Request | Role::Response => self.examples.push(example),
            _ => {}
        }
    }

    /// The HTTP request block: request lines and header lines.
    fn syntax(
        &mut self,
        text: &str,
        span: &Span,
        first_line: u32,
        group: Option<&Text>,
        diags: &mut Diagnostics,
    ) {
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with("//") || t.starts_with('#') {
                continue;
            }
            let line_span = Span::new(&span.file, first_line + i as u32);
            if let Some((method, path)) = http::request_line(t) {
                self.requests.push(RequestLine {
                    method: method.to_owned(),
                    path: path.to_owned(),
                    span: line_span,
                    group: group.cloned(),
                });
            } else if let Some((name, value)) = http::header_line(t) {
                self.request_headers.push(HeaderLine {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    span: line_span,
                });
            } else if t.starts_with('/') || t.starts_with('{') {
                diags.push(
                    &line_span,
                    Kind::BadRequestLine,
                    format!("request line `{t}` has no HTTP method"),
                );
            } else {
                diags.push(
                    &line_span,
                    Kind::BadRequestLine,
                    format!("cannot read `{t}` in the HTTP request block"),
                );
            }
        }
    }

    fn paragraph(
        &mut self,
        kind: SectionKind,
        text: &str,
        links: &[Link],
        span: &Span,
        diags: &mut Diagnostics,
    ) {
        let note = || Text {
            value: text.to_owned(),
            span: span.clone(),
        };
        match kind {
            SectionKind::Preamble => {
                if let Some(ns) = text.strip_prefix("Namespace:") {
                    if self.namespace.is_none() {
                        // Only the name: some pages run the description on in the same paragraph.
                        self.namespace = Some(Text {
                            value: ns.split_whitespace().next().unwrap_or("").to_owned(),
                            span: span.clone(),
                        });
                    }
                } else if text.contains("national cloud deployments") {
                    self.notes.push(note());
                } else if self.description.is_none() {
                    if is_todo(text) {
                        diags.push(span, Kind::TodoPlaceholder, placeholder_message(text));
                        // Mark as seen so later prose is not taken for the description.
                        self.description = Some(Text {
                            value: String::new(),
                            span: span.clone(),
                        });
                    } else {
                        self.description = Some(note());
                        self.description_links = links.to_vec();
                    }
                } else {
                    self.notes.push(note());
                }
            }
            SectionKind::HttpRequest if self.requests.is_empty() => {
                // Rendered pages have no fences: request lines come as paragraphs (a method and a
                // path, nothing else; not prose like "POST to branding/localizations to ...").
                let words = text.split_whitespace().count();
                let looks_like_path = |p: &str| p.starts_with(['/', '{']) || p.starts_with("http");
                if let Some((method, path)) =
                    http::request_line(text).filter(|(_, p)| words <= 3 && looks_like_path(p))
                {
                    self.requests.push(RequestLine {
                        method: method.to_owned(),
                        path: path.to_owned(),
                        span: span.clone(),
                        group: None,
                    });
                }
            }
            SectionKind::Body => {
                let lower = text.to_ascii_lowercase();
                self.body_mentions
                    .extend(links.iter().filter(|l| is_type_link(&l.href)).cloned());
                let linked = |name: &str| links.iter().any(|l| l.text.eq_ignore_ascii_case(name));
                if let Some(name) = object_named(text, &lower).filter(|n| !linked(n)) {
                    self.body_mentions.push(Link {
                        text: name.to_owned(),
                        href: String::new(),
                    });
                }
                let type_link = links.iter().find(|l| is_type_link(&l.href)).cloned();
                if lower.contains("not require")
                    || lower.contains("don't supply")
                    || lower.contains("do not supply")
                    || lower.contains("doesn't require")
                {
                    self.body.get_or_insert(Body::None { span: span.clone() });
                } else if let Some(link) = type_link
                    .clone()
                    .filter(|_| self.body.is_none() && says_array(&lower))
                {
                    self.body = Some(Body::Many {
                        link,
                        span: span.clone(),
                    });
                } else if let (Some(link), true) = (
                    type_link,
                    lower.contains("json representation") || lower.contains("json body of"),
                ) {
                    match &mut self.body {
                        Some(Body::Parameters { rows, .. }) => {
                            let rows = std::mem::take(rows);
                            self.body = Some(Body::Type {
                                link,
                                rows,
                                span: span.clone(),
                            });
                        }
                        _ => {
                            self.body = Some(Body::Type {
                                link,
                                rows: Vec::new(),
                                span: span.clone(),
                            })
                        }
                    }
                } else if self.body.is_none() && says_raw_content(&lower) {
                    self.body = Some(Body::Content { span: span.clone() });
                } else if self.body.is_none() {
                    self.body = Some(Body::Unknown {
                        text: text.to_owned(),
                        span: span.clone(),
                    });
                }
            }
            SectionKind::Response if self.response.is_none() => {
                self.response = response_sentence(text, links, span, None);
            }
            SectionKind::Query => {
                let lower = text.to_ascii_lowercase();
                for option in ODATA_OPTIONS {
                    if lower.contains(option) && !self.odata.iter().any(|o| o == option) {
                        self.odata.push((*option).to_owned());
                    }
                }
                // "This method supports the OData query parameters ..., including ...": the
                // options named are examples, not the whole list.
                if lower.contains("supports the")
                    && lower.contains("odata query parameters")
                    && !lower.contains("does not support")
                {
                    self.odata_general = true;
                }
                self.notes.push(note());
            }
            SectionKind::Permissions => match scenario_permissions(text) {
                // A list of scenarios instead of a table (`profilephoto-update.md`: "Profile
                // photo of the signed-in user - User.ReadWrite, User.ReadWrite.All").
                Some((scenario, least)) => self.permissions.push(PermissionRow {
                    kind: scenario.to_owned(),
                    least,
                    higher: None,
                    span: span.clone(),
                }),
                None => self.notes.push(note()),
            },
            _ => self.notes.push(note()),
        }
    }

    /// A response sentence of a subsection of `Response` (see [`ResponseSentence::group`]),
    /// the first of its subsection; `group` is the subsection of the paragraph, if any.
    fn group_response(&mut self, text: &str, links: &[Link], span: &Span, group: Option<&Text>) {
        let Some(group) = group else {
            return;
        };
        if self
            .group_responses
            .iter()
            .any(|r| r.group.as_ref() == Some(&group.value))
        {
            return;
        }
        if let Some(sentence) = response_sentence(text, links, span, Some(&group.value)) {
            self.group_responses.push(sentence);
        }
    }

    fn table(&mut self, kind: SectionKind, table: Table, diags: &mut Diagnostics) {
        if table.column(&["global service"]).is_some() {
            for row in &table.rows {
                for (head, cell) in table.header.iter().zip(&row.cells) {
                    self.clouds.push(CloudCell {
                        cloud: head.clone(),
                        available: cell.text.contains('✅')
                            || cell.text.eq_ignore_ascii_case("yes"),
                        span: row.span.clone(),
                    });
                }
            }
            return;
        }
        let by_type = table.column(&["permission type"]);
        if kind == SectionKind::Permissions && by_type.is_none() {
            // A table of scenarios, one column per permission type (`calendar-get.md`:
            // `Calendar | Delegated (work or school account) | ... | Application`, a row for a
            // user's and one for a group's calendar): each cell is the permissions of its
            // column's type in its row's scenario.
            let types: Vec<usize> = table
                .columns(&["delegated", "application"])
                .filter(|&i| i > 0)
                .collect();
            if types.len() >= 2 {
                for row in &table.rows {
                    let scenario = row.cells.first().map_or("", |c| c.text.trim());
                    for &i in &types {
                        let cell = row.cells.get(i).map_or("", |c| c.text.as_str());
                        self.permissions.push(PermissionRow {
                            kind: format!("{}, {scenario}", table.header[i].trim()),
                            least: permission_list(cell),
                            higher: None,
                            span: row.span.clone(),
                        });
                    }
                }
                return;
            }
        }
        if by_type.is_some() {
            let split = table.header.len() > 2;
            for row in &table.rows {
                let cell = |i: usize| row.cells.get(i).map_or("", |c| c.text.as_str());
                let list = |i: usize| permission_list(cell(i));
                if (1..row.cells.len()).any(|i| is_todo(cell(i))) {
                    diags.push(
                        &row.span,
                        Kind::TodoPlaceholder,
                        format!("permissions for `{}` are a TODO placeholder", cell(0)),
                    );
                }
                self.permissions.push(PermissionRow {
                    kind: cell(0).to_owned(),
                    least: list(1),
                    higher: split.then(|| list(2)),
                    span: row.span.clone(),
                });
            }
            return;
        }
        let typed = matches!(
            kind,
            SectionKind::Body | SectionKind::Properties | SectionKind::Relationships
        );
        if typed && !table.names_typed_rows() {
            return;
        }
        if kind == SectionKind::Response {
            let name = table.column(NAME_HEADS).unwrap_or(0);
            let names = table.rows.iter().filter_map(|r| r.cells.get(name));
            self.response_headers
                .extend(names.map(|c| c.text.trim_matches('`').to_owned()));
            return;
        }
        let mut described_by = table.column(&["description"]);
        if kind == SectionKind::Headers && described_by.is_none() {
            // A `Header | Value` table (the photo upload's) says in its value column what to
            // send (`image/jpeg. Required.`).
            described_by = table.column(&["value"]);
        }
        let span = table.span.clone();
        let rows = param_rows(table, described_by, diags);
        match kind {
            SectionKind::Headers | SectionKind::HttpRequest => self.headers.extend(rows),
            SectionKind::Query => self.query.extend(rows),
            SectionKind::PathParams => self.path_params.extend(rows),
            SectionKind::Body => match &mut self.body {
                Some(Body::Type { rows: r, .. }) | Some(Body::Parameters { rows: r, .. }) => {
                    r.extend(rows)
                }
                _ => self.body = Some(Body::Parameters { rows, span }),
            },
            SectionKind::Properties => self.properties.extend(rows),
            SectionKind::Relationships => self.relationships.extend(rows),
            SectionKind::Members | SectionKind::Other if self.kind == PageKind::Enum => {
                self.enum_members.extend(rows)
            }
            _ => {}
        }
    }

    fn include(&mut self, kind: SectionKind, name: &str, path: &str, span: &Span) {
        let text = Text {
            value: path.to_owned(),
            span: span.clone(),
        };
        if name.contains("national-cloud") {
            self.clouds_include = Some(text);
        } else if kind == SectionKind::Permissions && name.contains("permissions") {
            self.permissions_include = Some(text);
        }
    }
}

/// A sentence that gives the response's status code (`If successful, this method returns a
/// `200 OK` response code and a [user](...) object in the response body`).
fn response_sentence(
    text: &str,
    links: &[Link],
    span: &Span,
    group: Option<&str>,
) -> Option<ResponseSentence> {
    let status = status_code(text)?;
    Some(ResponseSentence {
        group: group.map(str::to_owned),
        status: Some(status),
        link: links
            .iter()
            .find(|l| is_type_link(&l.href) && names_a_type(&l.text))
            .cloned(),
        collection: text.to_ascii_lowercase().contains("collection"),
        text: text.to_owned(),
        span: span.clone(),
    })
}

/// A scenario and its permissions, from a list item "scenario - Perm.One, Perm.Two": only
/// permission names after the dash.
fn scenario_permissions(text: &str) -> Option<(&str, Vec<String>)> {
    let (scenario, list) = text.rsplit_once(" - ")?;
    let items: Vec<&str> = list
        .split(',')
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| !p.is_empty())
        .collect();
    let all_names = items.iter().all(|p| is_permission_name(p));
    (!scenario.trim().is_empty() && !items.is_empty() && all_names).then(|| {
        let least = items.into_iter().map(str::to_owned).collect();
        (scenario.trim(), least)
    })
}

fn permission_list(cell: &str) -> Vec<String> {
    cell.split([',', ' ', ';'])
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| is_permission_name(p))
        .map(str::to_owned)
        .collect()
}

/// `User.ReadWrite.All`: a capital first, dotted words, nothing else.
fn is_permission_name(p: &str) -> bool {
    p.contains('.')
        && p.starts_with(|c: char| c.is_ascii_uppercase())
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Reads name/type/description rows from a table, the description from column `desc_col`.
fn param_rows(table: Table, desc_col: Option<usize>, diags: &mut Diagnostics) -> Vec<ParamRow> {
    let name_col = table.column(NAME_HEADS).unwrap_or(0);
    let type_col = table.type_column();
    let required_col = table.column(&["required"]);
    let mut rows = Vec::with_capacity(table.rows.len());
    // The table is consumed: its cells' texts move into the rows.
    for row in table.rows {
        let Some(name) = row.cells.get(name_col) else {
            diags.push(&row.span, Kind::BrokenTable, "table row has no name cell");
            continue;
        };
        let name = name
            .text
            .trim()
            .trim_matches('*')
            .trim_matches('`')
            .trim()
            .to_owned();
        if name.is_empty() {
            continue;
        }
        let mut cells = row.cells;
        let required = required_col
            .and_then(|c| cells.get(c))
            .and_then(|c| yes_or_no(&c.text));
        let ty_link = type_col
            .and_then(|c| cells.get(c))
            .and_then(|c| c.links.first())
            .map(|l| l.href.clone());
        let ty = type_col
            .and_then(|c| cells.get_mut(c))
            .map(|c| match desc_col == type_col {
                true => c.text.clone(),
                false => std::mem::take(&mut c.text),
            })
            .filter(|t| !t.is_empty());
        let description = desc_col
            .and_then(|c| cells.get_mut(c))
            .map(|c| std::mem::take(&mut c.text));
        rows.push(ParamRow {
            name,
            ty,
            ty_link,
            description: description.unwrap_or_default(),
            required,
            span: row.span,
        });
    }
    rows
}

/// A `Required?` cell: `Yes`, `No` (or `true`, `false`, `Required`, `Optional`), in any case.
fn yes_or_no(cell: &str) -> Option<bool> {
    let t = cell.trim().trim_end_matches('.').to_ascii_lowercase();
    match t.as_str() {
        "yes" | "true" | "required" => Some(true),
        "no" | "false" | "optional" => Some(false),
        _ => None,
    }
}

/// Links that point at a type page.
pub fn is_type_link(href: &str) -> bool {
    let h = href.to_ascii_lowercase();
    h.contains("resources/")
        || (h.ends_with(".md") && !h.contains("/api/") && !h.starts_with("http"))
}

/// Whether a link's text reads as a type's name, perhaps with a note (`directory (deleted
/// items)`): "[get the status of the copy operation](onenoteoperation-get.md)" and "[Microsoft
/// Graph Security API error responses](../resources/security-error-codes.md)" link to other
/// pages from a response sentence.
fn names_a_type(text: &str) -> bool {
    let name = match text.split_once(" (") {
        Some((name, note)) if note.ends_with(')') => name,
        _ => text,
    };
    let name = name.trim();
    !name.is_empty() && !name.contains(char::is_whitespace)
}

/// Whether `text` writes `status` followed by its reason phrase (`302 Found`, `200 OK`).
fn with_reason(text: &str, status: u16) -> bool {
    let code = status.to_string();
    text.match_indices(&code).any(|(at, _)| {
        let mut after = text[at + code.len()..].chars();
        !text[..at].ends_with(|c: char| c.is_ascii_digit())
            && after.next() == Some(' ')
            && after.next().is_some_and(|c| c.is_ascii_uppercase())
    })
}

/// The first HTTP status code in a sentence (`200 OK`, `` `201 Created` ``).
fn status_code(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|n| (100..600).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_and_its_permissions() {
        assert_eq!(
            scenario_permissions("Profile photo of a group - Group.ReadWrite.All"),
            Some((
                "Profile photo of a group",
                vec!["Group.ReadWrite.All".to_owned()]
            ))
        );
        assert_eq!(
            scenario_permissions("Photo of a user - User.ReadWrite, User.ReadWrite.All")
                .map(|(_, p)| p.len()),
            Some(2)
        );
        for prose in [
            "One of the following permissions is required to call this API.",
            "Sign in - and then call the API, see Permissions.",
            "Delegated - User.Read and more",
        ] {
            assert_eq!(scenario_permissions(prose), None, "{prose}");
        }
    }

    #[test]
    fn the_object_a_body_sentence_names() {
        let named = |text: &str| object_named(text, &text.to_ascii_lowercase()).map(str::to_owned);
        for (text, want) in [
            (
                "In the request body, supply a JSON representation for the androidLobApp object.",
                Some("androidLobApp"),
            ),
            (
                "supply a JSON representation of an educationRubric object",
                Some("educationRubric"),
            ),
            (
                "a JSON representation of the microsoft.graph.gizmo resource",
                Some("microsoft.graph.gizmo"),
            ),
            ("supply a JSON representation of the parameters.", None),
            (
                "supply a JSON representation of the values for relevant fields",
                None,
            ),
            ("In the request body, supply the values", None),
        ] {
            assert_eq!(named(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_status_with_its_reason_phrase() {
        assert!(with_reason("Returns a 302 Found response", 302));
        assert!(with_reason("returns 200 OK and", 200));
        assert!(!with_reason("the default page size (200 items)", 200));
        assert!(!with_reason("item 2002 Found", 200));
        assert!(!with_reason("item 1200 Found", 200));
    }

    #[test]
    fn placeholders_are_todo_text_or_not_yet_documented() {
        for (text, placeholder) in [
            ("TODO: describe", true),
            ("Not yet documented", true),
            ("\"Not yet documented.\"", true),
            ("not yet documented", true),
            ("Not yet documented. Possible values are: a, b.", false),
            (
                "Not yet documented Inherited from windowsDeviceAccount",
                false,
            ),
            ("The date the report was documented.", false),
        ] {
            assert_eq!(is_todo(text), placeholder, "{text:?}");
        }
    }

    #[test]
    fn annotations_that_say_type_with_at_type() {
        let span = Span::new(&"a.md".into(), 3);
        let mut diags = Diagnostics::default();
        let read =
            |json: &str, diags: &mut Diagnostics| parse_annotation(json, &span, diags).unwrap();
        let v = read(
            r#"{ "blockType": "response", "@type": "microsoft.graph.list" }"#,
            &mut diags,
        );
        assert_eq!(v["@odata.type"], "microsoft.graph.list");
        assert_eq!(diags.items.len(), 1);
        assert_eq!(diags.items[0].kind, Kind::InvalidAnnotation);
        // `@odata.type` wins when both are there, and nothing is said.
        let v = read(
            r#"{ "@odata.type": "microsoft.graph.site", "@type": "x" }"#,
            &mut diags,
        );
        assert_eq!(v["@odata.type"], "microsoft.graph.site");
        assert_eq!(diags.items.len(), 1);
    }

    #[test]
    fn response_links_that_name_types() {
        for (text, names) in [
            ("driveItem", true),
            ("directory (deleted items)", true),
            ("microsoft.graph.user", true),
            ("get the status of the copy operation", false),
            ("Microsoft Graph Security API error responses", false),
            ("group (see notes", false),
            ("", false),
        ] {
            assert_eq!(names_a_type(text), names, "{text:?}");
        }
    }
}
