//! Diagnostics: every problem found in the docs, with file, line, a named kind and a message.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::span::Span;

macro_rules! kinds {
    ($($variant:ident => $name:literal: $doc:literal,)*) => {
        /// The kinds of problem the codegen reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $(#[doc = $doc] $variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }
        }
    };
}

kinds! {
    Io => "io": "a file could not be read",
    MissingTitle => "missing-title": "the page has no title; the name comes from the path",
    TodoPlaceholder => "todo-placeholder": "TODO text, or Intune's \"Not yet documented\", where content belongs",
    PlaceholderValue => "placeholder-value": "an example value is a type name, not a value",
    BrokenTable => "broken-table": "a table row with the wrong number of cells, or an unreadable table",
    UnclosedFence => "unclosed-fence": "a code fence that never closes",
    InvalidAnnotation => "invalid-annotation": "an example annotation that is not valid JSON, or names its type with `@type`",
    InvalidJson => "invalid-json": "an example body that is not valid JSON",
    NoHttpRequest => "no-http-request": "an API page without an HTTP request block",
    RequestElsewhere => "request-elsewhere": "request syntax of an API page outside its `HTTP request` section: under another heading or in a template example where the page has no such section, or the example request of a section of its own beside it (`drive-list.md`); read as requests of the page",
    BadRequestLine => "bad-request-line": "a request line that could not be read",
    IncompletePath => "incomplete-path": "a declared path that is only the tail of the example's path",
    ParentWithOptions => "parent-with-options": "a request line that reads the resource above the operation's own paths with it expanded (`GET /me?$expand=manager` beside `GET /me/manager`), or filters or lists the collection of its item (`GET /me/onlineMeetings?$filter=...` beside `GET /me/onlineMeetings/{meetingId}`, `GET /me/photos` beside `GET /me/photos/{size}`): another operation, not a path of this one; left out",
    MeAlias => "me-alias": "an example calls `/me/...` where the page documents only `/users/{id}/...`: Graph's alias for the signed-in user; the `/me` path is added to the operation",
    LiteralId => "literal-id": "a request path with an example id (a GUID) where a `{placeholder}` belongs; taken as a parameter",
    UnresolvedInclude => "unresolved-include": "content that is only an INCLUDE of a file we do not have",
    UnresolvedType => "unresolved-type": "a type reference without a type page; the value stays untyped JSON",
    InferredType => "inferred-type": "a type without a page, inferred from examples",
    TypeFromExamples => "type-from-examples": "a returned type without a page whose response examples all carry the `@odata.type` of a documented type; that type is returned",
    EnumFromDescription => "enum-from-description": "an enum without a page, read from a property's \"Possible values\" text",
    TypeFromOtherVersion => "type-from-other-version": "a type documented only in the other API version",
    FunctionParameters => "function-parameters": "a `GET` function whose parameters are documented as a request body; they are sent in the URL, as OData functions take them",
    UnquotedString => "unquoted-string": "a function's string parameter written without the quotes of an OData string literal (`range(address={address})`) while the examples quote it; quoted",
    PlaceholderArgument => "placeholder-argument": "a function argument written as a placeholder or an example value (`rowsAbove(count=n)`, `range(address='<address>')`) where the template needs a parameter; a parameter",
    MissingArguments => "missing-arguments": "a function path without the arguments its page documents and its examples pass (`range/cell` for `cell(row=5,column=6)`); added",
    ExampleMismatch => "example-mismatch": "an example disagrees with the documented operation",
    DuplicateOperation => "duplicate-operation": "the same operation documented on more than one page; merged",
    ConflictingResponses => "conflicting-responses": "pages of one operation, or a page and its example, disagree: one says `204 No Content`, the other a body; the body is optional",
    CollectionFromExamples => "collection-from-examples": "a property documented as one value of a complex type that every example writes as a list (`chatMessage`'s `hostedContents`); a collection",
    RepresentationMismatch => "representation-mismatch": "a property the table calls a collection is a single value in the page's JSON representation (`presence`'s `availability`); a single value",
    DuplicateType => "duplicate-type": "the same type documented on more than one page; members merged",
    SegmentCase => "segment-case": "a path segment spelt in another case than on the other pages of its resource (`oAuth2Permissiongrants`); grouped with the common spelling",
    NameCollision => "name-collision": "two items would get the same Rust name; one was renamed",
    UnknownType => "unknown-type": "a type name that is neither a primitive nor a link",
    BrokenLink => "broken-link": "a markdown link that is not closed; read as the link it starts",
    NoType => "no-type": "a resource page whose title and JSON representation name no type",
    UnknownCloud => "unknown-cloud": "a national cloud name that is not known",
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem in the docs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub span: Span,
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.span, self.kind, self.message)
    }
}

/// Collects diagnostics.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, span: &Span, kind: Kind, message: impl Into<String>) {
        self.items.push(Diagnostic {
            span: span.clone(),
            kind,
            message: message.into(),
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Sorted and without exact repeats.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// Counts per kind, in kind order.
pub fn counts(items: &[Diagnostic]) -> BTreeMap<Kind, usize> {
    let mut map = BTreeMap::new();
    for d in items {
        *map.entry(d.kind).or_insert(0) += 1;
    }
    map
}
