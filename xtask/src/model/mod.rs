//! Stage 2, model: pages → one [`ApiModel`], per API version, merged across pages and sorted.

pub mod areas;
mod bodies;
mod build;
pub mod coverage;
mod evidence;
mod flags;
mod functions;
mod groups;
mod me_alias;
mod merge;
pub mod prims;
mod reference;
mod resolve;

use std::collections::BTreeMap;

use serde::Serialize;

pub use build::build;
pub use prims::Prim;

use crate::diag::Diagnostic;
use crate::span::Span;

/// The whole API: one model per version (`v1.0`, `beta`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiModel {
    pub versions: BTreeMap<String, VersionModel>,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: Vec<PageReport>,
}

/// What one page contributed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageReport {
    pub file: String,
    pub version: String,
    pub kind: String,
    pub operations: Vec<String>,
    pub types: Vec<String>,
    /// An api page with at least one request line in its HTTP request section.
    pub documents_request: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VersionModel {
    pub version: String,
    /// Sorted by namespace, group and name.
    pub operations: Vec<Operation>,
    /// Keyed by qualified name (`microsoft.graph.workbookSessionInfo`).
    pub types: BTreeMap<String, TypeDef>,
}

impl VersionModel {
    /// A property of struct type `ty` or of one of its base types, with the type that declares
    /// it (the nearest in the chain). At most 16 types are read: a cycle of bases in the docs
    /// does not loop.
    pub fn property(&self, ty: &str, name: &str) -> Option<(&TypeDef, &Property)> {
        let mut cur = self.types.get(ty);
        for _ in 0..16 {
            let t = cur?;
            if let TypeKind::Struct { properties } = &t.kind {
                if let Some(p) = properties.iter().find(|p| p.name == name) {
                    return Some((t, p));
                }
            }
            cur = t.base.as_ref().and_then(|b| self.types.get(b));
        }
        None
    }

    /// The base types of a type, nearest first (a cycle of bases in the docs is cut).
    pub fn ancestors<'a>(&'a self, ty: &'a TypeDef) -> Vec<&'a TypeDef> {
        let mut out: Vec<&TypeDef> = Vec::new();
        let mut cur = ty;
        while let Some(base) = cur.base.as_ref().and_then(|b| self.types.get(b)) {
            if base.name == ty.name || out.iter().any(|t| t.name == base.name) {
                break;
            }
            out.push(base);
            cur = base;
        }
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// lowerCamel name, e.g. `closeSession`.
    pub name: String,
    pub namespace: String,
    /// The resource the operation belongs to, e.g. `workbook`.
    pub group: String,
    pub method: String,
    pub paths: Vec<PathTemplate>,
    pub headers: Vec<HeaderParam>,
    pub query: Vec<QueryParam>,
    pub body: Option<BodyModel>,
    pub response: ResponseModel,
    pub permissions: Vec<Permission>,
    /// `None` when the docs do not say; otherwise each known cloud and whether it is available.
    pub clouds: Option<Vec<CloudAvailability>>,
    pub description: Option<String>,
    /// The docs' callouts about the operation (`Note: ...`), each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub examples: Vec<ExampleModel>,
    pub sources: Vec<Span>,
    /// Whether the page links the operation's types to their own pages (`user.md`) rather than
    /// to a partial view of them (Intune's `intune-devices-user.md`): when pages document one
    /// operation, the one that does gives the description, permissions and first notes.
    #[serde(skip)]
    pub links_own_type_pages: Option<bool>,
    /// For a body that is a resource ([`BodyModel::Type`]), the properties the page's body
    /// table lists (what to set for this request), in the table's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub body_fields: Vec<BodyField>,
    /// The types the page's request-body prose names (qualified): a body table of only their
    /// properties is one of them (`bodies::resource_bodies`).
    #[serde(skip)]
    pub body_resources: Vec<String>,
    /// For an operation on a base type, the types derived from it that the pages of the
    /// operation document it with, one page each (`POST /deviceAppManagement/mobileApps`
    /// creates an `androidLobApp`, an `iosLobApp`, ...), sorted (`bodies::derived_variants`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// The type the page is about: its body's, else its response's, else the first its
    /// description links (`Deletes a [androidLobApp](...)`), else for a `DELETE` the first its
    /// title names.
    #[serde(skip)]
    pub subject: Option<String>,
}

/// A property that a page's request-body table lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyField {
    pub name: String,
    pub description: Option<String>,
}

/// A path template, e.g. `/me/drive/root:/{item-path}:/workbook/closeSession`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathTemplate {
    pub raw: String,
    pub pieces: Vec<Piece>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "piece", rename_all = "snake_case")]
pub enum Piece {
    Lit {
        text: String,
    },
    /// A parameter; `item_path` for `root:/{item-path}:` addressing, whose slashes are kept.
    Param {
        name: String,
        item_path: bool,
        /// What the value is: text, unless it is a function argument the page types as a
        /// number or a boolean (`range/cell(row={row},column={column})`, `Int32`s).
        #[serde(default, skip_serializing_if = "ArgType::is_text")]
        ty: ArgType,
    },
}

/// The type of a path parameter's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgType {
    #[default]
    Text,
    Int32,
    Int64,
    Float,
    Bool,
}

impl ArgType {
    pub fn is_text(&self) -> bool {
        *self == ArgType::Text
    }

    /// The type of a function argument the docs type as `prim`: the numbers and booleans, whose
    /// OData literals are written as Rust prints them; everything else is text.
    pub fn of(prim: Prim) -> ArgType {
        match prim {
            Prim::Byte | Prim::Int16 | Prim::Int32 => ArgType::Int32,
            Prim::Int64 => ArgType::Int64,
            Prim::Single | Prim::Double | Prim::Decimal => ArgType::Float,
            Prim::Boolean => ArgType::Bool,
            _ => ArgType::Text,
        }
    }
}

impl PathTemplate {
    pub fn params(&self) -> impl Iterator<Item = (&str, bool)> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Param {
                name, item_path, ..
            } => Some((name.as_str(), *item_path)),
            Piece::Lit { .. } => None,
        })
    }

    /// The type of each parameter, in order.
    pub fn param_types(&self) -> impl Iterator<Item = ArgType> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Param { ty, .. } => Some(*ty),
            Piece::Lit { .. } => None,
        })
    }

    /// The static path segments in order, as written, without function-call arguments
    /// (`getByPath(path='{p}')` → `getByPath`) or a type cast's namespace.
    pub fn static_segments(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for piece in &self.pieces {
            if let Piece::Lit { text } = piece {
                for seg in text.split(['/', ':']) {
                    let seg = seg.split('(').next().unwrap_or("");
                    let seg = seg.rsplit('.').next().unwrap_or(seg);
                    if !seg.is_empty() {
                        out.push(seg);
                    }
                }
            }
        }
        out
    }

    /// The template with every parameter written `{}`: equal for the same URL shape.
    pub fn shape(&self) -> String {
        let mut shape = String::with_capacity(self.raw.len());
        for piece in &self.pieces {
            match piece {
                Piece::Lit { text } => shape.push_str(text),
                Piece::Param { .. } => shape.push_str("{}"),
            }
        }
        shape.make_ascii_lowercase();
        shape
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderParam {
    pub name: String,
    pub required: bool,
    pub description: Option<String>,
}

/// The `(name, value)` pairs of a URL's or request line's query string (after the first `?`);
/// a pair without `=` has an empty value.
pub fn query_pairs(url: &str) -> impl Iterator<Item = (&str, &str)> {
    url.split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryParam {
    pub name: String,
    pub description: Option<String>,
    /// The request needs it (never an OData system option): every request line of the
    /// operation's page writes it with a placeholder value
    /// (`calendarView?startDateTime={start_datetime}&endDateTime={end_datetime}`), or the
    /// query table's `Required` column or description says so. An argument of the operation,
    /// not a setter.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
}

impl QueryParam {
    /// The parameter is a timestamp: named `...DateTime`, Graph's convention for
    /// `Edm.DateTimeOffset` values (`startDateTime` of a calendar view, which the docs' query
    /// table types as `String` and describes as "ISO 8601").
    pub fn is_timestamp(&self) -> bool {
        self.name.len() > "DateTime".len() && self.name.ends_with("DateTime")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "body", rename_all = "snake_case")]
pub enum BodyModel {
    /// A JSON representation of a type.
    Type { ty: TypeRef },
    /// Parameters of an action, gathered in a generated request-body type.
    Parameters { type_name: String },
    /// Raw content (a photo, a file, a page's HTML), sent as bytes with this content type
    /// (the documented `Content-Type`, else `application/octet-stream`).
    Content { content_type: String },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResponseModel {
    pub status: u16,
    pub ty: Option<TypeRef>,
    pub collection: bool,
    /// The docs describe a `202 Accepted` long-running form.
    pub long_running: bool,
    /// What a `202 Accepted` without a body points at in a header, when the docs link it ("a
    /// link to the [teamsAsyncOperation](...)"): what the long-running form yields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<TypeRef>,
    /// The pages of a merged operation disagree: one documents `204 No Content`, another a
    /// body of the named type `ty` (`PATCH /users/{id}`: `user-update.md` and Intune's pages).
    /// The body is optional: `None` when the service answers without one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub or_no_content: bool,
    /// What the service answers instead of `204 No Content` when the request asks for it with
    /// `Prefer: return=representation` (Planner's updates: "If the request specifies `Prefer`
    /// header with `return=representation` preference, then this method returns a `200 OK`
    /// response code and updated \[plannerTask\]").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representation: Option<TypeRef>,
}

impl ResponseModel {
    /// Every type the response names: the body, the monitor, the representation.
    pub fn types(&self) -> impl Iterator<Item = &TypeRef> {
        self.ty
            .iter()
            .chain(&self.monitor)
            .chain(&self.representation)
    }

    /// [`Self::types`], to change them.
    pub fn types_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        self.ty
            .iter_mut()
            .chain(&mut self.monitor)
            .chain(&mut self.representation)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Permission {
    pub kind: String,
    /// The least privileged permissions, or all of them from least to most privileged when the
    /// docs do not split them (`higher` is `None`).
    pub least: Vec<String>,
    pub higher: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Cloud {
    Global,
    UsGovL4,
    UsGovL5,
    China,
}

impl Cloud {
    /// Cloud names in the docs, by lower-cased prefix.
    pub const NAMES: &'static [(&'static str, Cloud)] = &[
        ("global", Cloud::Global),
        ("us government l4", Cloud::UsGovL4),
        ("us government l5", Cloud::UsGovL5),
        ("china", Cloud::China),
    ];

    pub fn from_doc(name: &str) -> Option<Cloud> {
        let n = name.trim().to_ascii_lowercase();
        Cloud::NAMES
            .iter()
            .find(|(p, _)| n.starts_with(p))
            .map(|(_, c)| *c)
    }

    pub fn ident(self) -> &'static str {
        match self {
            Cloud::Global => "Global",
            Cloud::UsGovL4 => "UsGovL4",
            Cloud::UsGovL5 => "UsGovL5",
            Cloud::China => "China",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CloudAvailability {
    pub cloud: Cloud,
    pub available: bool,
}

/// A request/response example pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleModel {
    pub name: Option<String>,
    pub request: Option<ExampleMessage>,
    pub response: Option<ExampleMessage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleMessage {
    pub start: crate::parse::http::Start,
    pub headers: Vec<(String, String)>,
    /// The body as JSON, when it is JSON (repaired where the docs slipped).
    pub json: Option<serde_json::Value>,
    /// The raw body text.
    pub body: String,
    pub truncated: bool,
    /// Why the example cannot be used as-is (placeholder values, not JSON, ...).
    pub unusable: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// Qualified name, e.g. `microsoft.graph.workbookSessionInfo`.
    pub name: String,
    pub namespace: String,
    /// The name without namespace.
    pub short: String,
    pub description: Option<String>,
    pub base: Option<String>,
    pub kind: TypeKind,
    /// The type has no page: its properties were inferred from examples.
    pub inferred: bool,
    /// A generated request body of an action.
    pub request_body: bool,
    /// The version whose page this type was copied from, when it was.
    pub copied_from: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    Struct { properties: Vec<Property> },
    Enum { members: Vec<EnumMember> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumMember {
    pub value: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    /// The JSON name.
    pub name: String,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// Inferred from an example, not documented in a table.
    pub inferred: bool,
    /// A relationship (navigation property).
    pub navigation: bool,
    /// Several members of its enum at once, comma-separated in one string (a flags enum:
    /// `partsToClone`, "A comma-separated list of the parts to clone"), see the `flags` module.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub flags: bool,
    pub span: Span,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "ref", content = "of", rename_all = "snake_case")]
pub enum TypeRef {
    Prim(Prim),
    Named(String),
    Collection(Box<TypeRef>),
    /// Untyped JSON: the docs give no resolvable type (always with a diagnostic).
    Json,
}

impl TypeRef {
    /// The named type a reference is about, through collections.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Collection(inner) => inner.named(),
            _ => None,
        }
    }
}

impl Operation {
    /// The qualified name used in reports: `v1.0 microsoft.graph workbook.closeSession`.
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.group, self.name)
    }

    /// A `GET` of a typed collection whose page documents `$count`: its request can ask for
    /// the number of items (`GET .../$count`).
    pub fn counts(&self) -> bool {
        self.method == "GET"
            && self.response.collection
            && self.response.ty.is_some()
            && self.query.iter().any(|q| q.name == "$count")
    }

    /// The item type of the collection a `GET` lists, when it is a collection of a named type
    /// and not a function's result: OData lets a request cast such a collection to a type
    /// derived from it (`/groups/{id}/members/microsoft.graph.user`).
    pub fn listed_type(&self) -> Option<&str> {
        let Some(TypeRef::Named(name)) = &self.response.ty else {
            return None;
        };
        let called = |p: &PathTemplate| functions::last_segment(&p.raw).contains('(');
        (self.method == "GET" && self.response.collection && !self.paths.iter().any(called))
            .then_some(name.as_str())
    }
}
