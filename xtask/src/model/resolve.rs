//! Type references: the index of type pages, type-text parsing, and completing the model where
//! a referenced type has no page (other version, inference from examples, or untyped JSON).

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyModel, Property, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::diag::{Diagnostics, Kind};
use crate::parse::page::{Page, PageKind};
use crate::span::Span;

/// All type pages, found by qualified name, short name or file stem (case-insensitive).
pub struct TypeIndex {
    qualified: BTreeMap<String, String>,
    short: BTreeMap<String, Vec<String>>,
    stems: BTreeMap<String, String>,
    /// The words of a type's name after its first ones, in lower case, and how the type spells
    /// them (`chartaxis` → `chartAxis` of `workbookChartAxis`): the docs name the workbook's
    /// types without their prefix (`Update chartaxis`).
    tails: BTreeMap<String, String>,
}

/// The lower-case file stem of a link or path (`../resources/User.md#x` → `user`).
pub(super) fn stem(href: &str) -> String {
    let h = href.split(['#', '?']).next().unwrap_or(href);
    let last = h.rsplit('/').next().unwrap_or(h);
    last.trim_end_matches(".md").to_ascii_lowercase()
}

impl TypeIndex {
    pub fn new(pages: &[Page]) -> Self {
        let mut index = TypeIndex {
            qualified: BTreeMap::new(),
            short: BTreeMap::new(),
            stems: BTreeMap::new(),
            tails: BTreeMap::new(),
        };
        for page in pages {
            if !matches!(page.kind, PageKind::Resource | PageKind::Enum) {
                continue;
            }
            for set in &page.enum_sets {
                index.add(super::build::qualify(page, &set.name));
            }
            let Some(name) = index.page_type(page) else {
                continue;
            };
            index
                .stems
                .entry(stem(&page.file))
                .or_insert_with(|| name.clone());
            index.add(name);
        }
        index
    }

    fn add(&mut self, name: String) {
        self.qualified
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.clone());
        let short = name
            .rsplit('.')
            .next()
            .unwrap_or(&name)
            .to_ascii_lowercase();
        // The tails of two words or more: `ChartAxis` and not `Axis` of `workbookChartAxis`.
        let spelt = name.rsplit('.').next().unwrap_or(&name);
        let capitals: Vec<usize> = spelt
            .char_indices()
            .filter(|(i, c)| *i > 0 && c.is_ascii_uppercase())
            .map(|(i, _)| i)
            .collect();
        for &at in &capitals[..capitals.len().saturating_sub(1)] {
            let tail = &spelt[at..];
            self.tails
                .entry(tail.to_ascii_lowercase())
                .or_insert_with(|| {
                    let mut spelling = tail[..1].to_ascii_lowercase();
                    spelling.push_str(&tail[1..]);
                    spelling
                });
        }
        let list = self.short.entry(short).or_default();
        if !list.contains(&name) {
            list.push(name);
        }
    }

    /// How a type spells `word`, a name written all in lower case (`contactfolder` →
    /// `contactFolder`); None when no type has that name.
    pub fn spelling(&self, word: &str) -> Option<&str> {
        let lower = word.to_ascii_lowercase();
        match self.short.get(&lower).and_then(|names| names.first()) {
            Some(name) => Some(name.rsplit('.').next().unwrap_or(name)),
            None => self.tails.get(&lower).map(String::as_str),
        }
    }

    /// The qualified name of the type a resource page documents.
    pub fn page_type(&self, page: &Page) -> Option<String> {
        if let Some(t) = page
            .resource
            .as_ref()
            .and_then(|r| r.annotation_str("@odata.type"))
        {
            let t = t.trim_start_matches('#');
            if !t.is_empty() {
                return Some(t.to_owned());
            }
        }
        let titles = [
            page.title.as_ref().map(|t| t.value.as_str()),
            page.front_title.as_ref().map(|t| t.value.as_str()),
        ];
        titles
            .into_iter()
            .flatten()
            .find_map(|t| self.title_type(page, t))
    }

    /// The type named by a title like `driveItem resource type`.
    fn title_type(&self, page: &Page, title: &str) -> Option<String> {
        let lower = title.to_ascii_lowercase();
        let cut = [
            " resource type",
            " complex type",
            " enum type",
            " enumeration type",
            " type",
            " resource",
            " object",
        ]
        .iter()
        .find_map(|s| lower.find(s))
        .unwrap_or(title.len());
        let short = title[..cut].trim();
        if short.is_empty() || short.contains(' ') {
            return None;
        }
        if short.contains('.') {
            return Some(short.to_owned());
        }
        let ns = page
            .namespace
            .as_ref()
            .map_or(super::build::DEFAULT_NAMESPACE, |n| n.value.as_str());
        Some(format!("{ns}.{short}"))
    }

    /// A named type from a link and/or a name. Always a `Named`: unknown names are guessed in
    /// `ns` and completed (or turned into JSON) by [`complete_types`].
    ///
    /// A link decides by the page it points at, except a link to a section of a page
    /// (`[chatType](../resources/chat.md#chattype-values)`, `[calendarRoleType](calendarpermission.md#calendarroletype-values)`):
    /// that names the type of the section, an enum documented on the page of another type, so
    /// the link's text, then the section's name (without `-values`), come before the page.
    pub fn named(&self, name: &str, href: Option<&str>, ns: &str) -> TypeRef {
        if is_any_json(name) {
            return TypeRef::Json;
        }
        let name = name.trim().trim_matches(['`', '*', '#']).trim();
        if let Some(href) = href {
            let section = href.split_once('#').map(|(_, a)| a).and_then(|anchor| {
                self.find(name, ns)
                    .or_else(|| self.find(anchor.strip_suffix("-values").unwrap_or(anchor), ns))
            });
            if let Some(found) = section.or_else(|| self.stems.get(&stem(href))) {
                return TypeRef::Named(found.clone());
            }
        }
        if let Some(found) = self.find(name, ns) {
            return TypeRef::Named(found.clone());
        }
        if name.contains('.') {
            TypeRef::Named(name.to_owned())
        } else {
            TypeRef::Named(format!("{ns}.{name}"))
        }
    }

    /// The documented type that `name` (qualified or not, in any case) means on a page of
    /// namespace `ns`.
    pub(super) fn find(&self, name: &str, ns: &str) -> Option<&String> {
        if let Some(found) = self.qualified.get(&name.to_ascii_lowercase()) {
            return Some(found);
        }
        let short = name.rsplit('.').next().unwrap_or(name);
        let list = self.short.get(&short.to_ascii_lowercase())?;
        let in_ns = |n: &str| {
            list.iter().find(|q| {
                q.len() > n.len() && q.starts_with(n) && q[n.len()..].matches('.').count() == 1
            })
        };
        let default_ns = super::build::DEFAULT_NAMESPACE;
        // An unqualified name means the page's namespace, then the default one; a page of the
        // default namespace may also mean a type of a sub-namespace. A type of an unrelated
        // namespace is not taken (`session` of Security Copilot is not `callRecords.session`).
        match name.rsplit_once('.') {
            Some((qualifier, _)) => in_ns(qualifier),
            None => in_ns(ns)
                .or_else(|| in_ns(default_ns))
                .or_else(|| (ns == default_ns && list.len() == 1).then(|| &list[0])),
        }
    }

    /// Parses the text of a type cell: primitives in any spelling, `Collection(X)`,
    /// `X collection`, links to type pages.
    pub fn parse_type(
        &self,
        text: &str,
        href: Option<&str>,
        ns: &str,
        span: &Span,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        let t = text.trim().trim_matches('`').trim();
        let lower = t.to_ascii_lowercase();
        if let Some(inner) = lower
            .strip_prefix("collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            let inner = &t[t.len() - 1 - inner.len()..t.len() - 1];
            return TypeRef::Collection(Box::new(self.parse_type(inner, href, ns, span, diags)));
        }
        if lower.starts_with("collection of ") {
            let inner = &t["collection of ".len()..];
            return TypeRef::Collection(Box::new(self.parse_type(inner, href, ns, span, diags)));
        }
        // `String (enum)`, `string (readonly)`: a note after the type.
        if let Some(open) = t.rfind(" (").filter(|_| t.ends_with(')')) {
            return self.parse_type(&t[..open], href, ns, span, diags);
        }
        for suffix in [" collection", " array", "[]"] {
            if lower.ends_with(suffix) {
                let inner = &t[..t.len() - suffix.len()];
                return TypeRef::Collection(Box::new(
                    self.parse_type(inner, href, ns, span, diags),
                ));
            }
        }
        if let Some(p) = super::Prim::parse(t) {
            return TypeRef::Prim(p);
        }
        // `[invitedUserMessageInfo](invitedusermessageinfo.md` (no closing parenthesis): not a
        // link to pulldown-cmark, but plainly the link it starts.
        if let Some((name, target)) = t
            .strip_prefix('[')
            .and_then(|r| r.split_once("]("))
            .filter(|(_, target)| !target.contains(')'))
        {
            diags.push(
                span,
                Kind::BrokenLink,
                format!(
                    "the type `{t}` is a link without its closing parenthesis; read as `{name}`"
                ),
            );
            return self.parse_type(name, Some(target), ns, span, diags);
        }
        if is_any_json(t) {
            return TypeRef::Json;
        }
        let word_ok = !t.is_empty()
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '_');
        if href.is_none() && !word_ok {
            diags.push(
                span,
                Kind::UnknownType,
                format!("cannot read the type `{t}`; the value stays untyped JSON"),
            );
            return TypeRef::Json;
        }
        self.named(t, href, ns)
    }
}

/// Every `Named` reference of a version, with where it is used.
fn references(vm: &VersionModel) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    fn walk(t: &TypeRef, span: &Span, out: &mut Vec<(String, Span)>) {
        match t {
            TypeRef::Named(n) => out.push((n.clone(), span.clone())),
            TypeRef::Collection(inner) => walk(inner, span, out),
            _ => {}
        }
    }
    for op in &vm.operations {
        let span = &op.sources[0];
        if let Some(BodyModel::Type { ty }) = &op.body {
            walk(ty, span, &mut out);
        }
        for ty in op.response.types() {
            walk(ty, span, &mut out);
        }
    }
    for ty in vm.types.values() {
        if let TypeKind::Struct { properties } = &ty.kind {
            for p in properties {
                walk(&p.ty, &p.span, &mut out);
            }
        }
        if let Some(base) = &ty.base {
            out.push((base.clone(), ty.span.clone()));
        }
    }
    out
}

/// Gives every referenced type a definition: copied from the other version, inferred from the
/// examples, or else the references become untyped JSON, each with a diagnostic.
pub fn complete_types(versions: &mut BTreeMap<String, VersionModel>, diags: &mut Diagnostics) {
    let names: Vec<String> = versions.keys().cloned().collect();
    for version in &names {
        let missing: BTreeMap<String, Span> = {
            let vm = &versions[version];
            let mut m = BTreeMap::new();
            for (name, span) in references(vm) {
                if !vm.types.contains_key(&name) {
                    m.entry(name).or_insert(span);
                }
            }
            m
        };
        for (name, span) in &missing {
            let other = names.iter().filter(|v| *v != version).find_map(|v| {
                versions[v]
                    .types
                    .get(name)
                    .filter(|t| t.copied_from.is_none() && !t.inferred)
                    .map(|t| (v.clone(), t.clone()))
            });
            if let Some((from, mut ty)) = other {
                diags.push(
                    span,
                    Kind::TypeFromOtherVersion,
                    format!("`{name}` has no page in {version}; using its {from} page"),
                );
                ty.copied_from = Some(from);
                versions
                    .get_mut(version)
                    .unwrap()
                    .types
                    .insert(name.clone(), ty);
                continue;
            }
            if let Some((ty, at)) = enum_from_descriptions(&versions[version], name) {
                diags.push(
                    &at,
                    Kind::EnumFromDescription,
                    format!(
                        "`{name}` has no page; an enum of {} values read from the description",
                        properties_len(&ty)
                    ),
                );
                versions
                    .get_mut(version)
                    .unwrap()
                    .types
                    .insert(name.clone(), ty);
                continue;
            }
            let vm = versions.get_mut(version).unwrap();
            if let Some(documented) = type_of_response_examples(vm, name) {
                diags.push(
                    span,
                    Kind::TypeFromExamples,
                    format!(
                        "`{name}` has no page; the response examples are `{documented}`, which is returned instead"
                    ),
                );
                for op in &mut vm.operations {
                    if let Some(TypeRef::Named(n)) = &mut op.response.ty {
                        if n == name {
                            n.clone_from(&documented);
                        }
                    }
                }
                continue;
            }
            if let Some(ty) = infer(&versions[version], name, span) {
                diags.push(
                    span,
                    Kind::InferredType,
                    format!(
                        "`{name}` has no page; {} properties inferred from the examples",
                        properties_len(&ty)
                    ),
                );
                versions
                    .get_mut(version)
                    .unwrap()
                    .types
                    .insert(name.clone(), ty);
            }
        }
        // Types copied in may reference further types: one more round, then JSON.
        let vm = versions.get_mut(version).unwrap();
        let known: BTreeSet<String> = vm.types.keys().cloned().collect();
        let mut reported = BTreeSet::new();
        untype_unknown(vm, &known, &mut reported, diags);
    }
}

/// The documented type that the response examples of the operations returning `name` (a type
/// without a page) name in `@odata.type`: the body's, or each item's for a collection. Only
/// when every example that names a type names the same documented one: `listActivities` is
/// annotated `Collection(microsoft.graph.activity)`, a type no page documents, and its items
/// are `#microsoft.graph.userActivity`.
fn type_of_response_examples(vm: &VersionModel, name: &str) -> Option<String> {
    let mut found: Option<&str> = None;
    for op in &vm.operations {
        if !matches!(&op.response.ty, Some(TypeRef::Named(n)) if n == name) {
            continue;
        }
        for json in op
            .examples
            .iter()
            .filter_map(|e| e.response.as_ref()?.json.as_ref())
        {
            let items: Vec<&serde_json::Value> = if op.response.collection {
                json.get("value")
                    .and_then(serde_json::Value::as_array)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default()
            } else {
                vec![json]
            };
            for t in items.iter().filter_map(|i| i.get("@odata.type")?.as_str()) {
                let t = t.trim_start_matches('#');
                if !vm.types.contains_key(t) || found.is_some_and(|f| f != t) {
                    return None;
                }
                found = Some(t);
            }
        }
    }
    found.map(str::to_owned)
}

fn properties_len(ty: &TypeDef) -> usize {
    match &ty.kind {
        TypeKind::Struct { properties } => properties.len(),
        TypeKind::Enum { members } => members.len(),
    }
}

fn untype_unknown(
    vm: &mut VersionModel,
    known: &BTreeSet<String>,
    reported: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let mut fix = |t: &mut TypeRef, span: &Span| {
        fn walk(
            t: &mut TypeRef,
            span: &Span,
            known: &BTreeSet<String>,
            reported: &mut BTreeSet<String>,
            diags: &mut Diagnostics,
        ) {
            match t {
                TypeRef::Named(n) if !known.contains(n.as_str()) => {
                    if reported.insert(n.clone()) {
                        diags.push(span, Kind::UnresolvedType, format!("`{n}` has no type page and no example to infer it from; untyped JSON"));
                    }
                    *t = TypeRef::Json;
                }
                TypeRef::Collection(inner) => walk(inner, span, known, reported, diags),
                _ => {}
            }
        }
        walk(t, span, known, reported, diags);
    };
    for op in &mut vm.operations {
        let span = op.sources[0].clone();
        if let Some(BodyModel::Type { ty }) = &mut op.body {
            fix(ty, &span);
        }
        for ty in op.response.types_mut() {
            fix(ty, &span);
        }
    }
    for ty in vm.types.values_mut() {
        if let TypeKind::Struct { properties } = &mut ty.kind {
            for p in properties {
                let span = p.span.clone();
                fix(&mut p.ty, &span);
            }
        }
        if ty.base.as_ref().is_some_and(|b| !known.contains(b)) {
            ty.base = None;
        }
    }
}

/// Infers a type from the examples of the operations that return or take it: each top-level
/// JSON property becomes an optional property marked as inferred; documented body-table rows of
/// those operations come first.
fn infer(vm: &VersionModel, name: &str, span: &Span) -> Option<TypeDef> {
    let mut properties: Vec<Property> = Vec::new();
    let mut add = |p: Property| {
        if !properties.iter().any(|q| q.name == p.name) {
            properties.push(p);
        }
    };
    let mut description = None;
    for op in &vm.operations {
        let returns = matches!(&op.response.ty, Some(TypeRef::Named(n)) if n == name);
        let takes =
            matches!(&op.body, Some(BodyModel::Type { ty: TypeRef::Named(n) }) if n == name);
        if !returns && !takes {
            continue;
        }
        for e in &op.examples {
            let msgs = [(returns, &e.response), (takes, &e.request)];
            for (used, msg) in msgs {
                let Some(msg) = msg.as_ref().filter(|_| used) else {
                    continue;
                };
                let Some(mut obj) = msg.json.as_ref().and_then(|j| j.as_object()) else {
                    continue;
                };
                if op.response.collection && returns && used {
                    if let Some(first) = obj
                        .get("value")
                        .and_then(|v| v.as_array())
                        .and_then(|a| a.first())
                        .and_then(|f| f.as_object())
                    {
                        obj = first;
                    }
                }
                for (key, value) in obj {
                    if key.starts_with('@') {
                        continue;
                    }
                    add(Property {
                        name: key.clone(),
                        ty: infer_json_type(value),
                        description: None,
                        inferred: true,
                        navigation: false,
                        flags: false,
                        span: msg.span.clone(),
                    });
                }
            }
        }
        description.get_or_insert_with(|| {
            format!(
                "Inferred from the examples of `{}`: the docs have no page for this type.",
                op.name
            )
        });
    }
    if properties.is_empty() {
        return None;
    }
    let short = name.rsplit('.').next().unwrap_or(name).to_owned();
    let namespace = name
        .rsplit_once('.')
        .map_or(super::build::DEFAULT_NAMESPACE, |(n, _)| n)
        .to_owned();
    Some(TypeDef {
        name: name.to_owned(),
        namespace,
        short,
        description,
        base: None,
        kind: TypeKind::Struct { properties },
        inferred: true,
        request_body: false,
        copied_from: None,
        span: span.clone(),
    })
}

/// The type of an example value. A string that is a timestamp is a `DateTimeOffset`; other
/// strings stay `String`, GUIDs too: an example's GUID may stand for any opaque id, and a
/// `Guid` field would fail to decode the first id of another form.
pub fn infer_json_type(value: &serde_json::Value) -> TypeRef {
    use super::Prim;
    use serde_json::Value;
    match value {
        Value::Bool(_) => TypeRef::Prim(Prim::Boolean),
        Value::Number(n) if n.is_i64() || n.is_u64() => TypeRef::Prim(Prim::Int64),
        Value::Number(_) => TypeRef::Prim(Prim::Double),
        Value::String(s) if looks_like_timestamp(s) => TypeRef::Prim(Prim::DateTimeOffset),
        Value::String(_) => TypeRef::Prim(Prim::String),
        Value::Array(items) => match items.first() {
            Some(first) if !first.is_object() => {
                TypeRef::Collection(Box::new(infer_json_type(first)))
            }
            _ => TypeRef::Json,
        },
        _ => TypeRef::Json,
    }
}

fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[..4].iter().all(u8::is_ascii_digit)
        && (s.ends_with('Z') || s.get(19..).is_some_and(|r| r.contains(['+', '-'])))
}

/// Phrases after which a description lists the values of an enum.
const VALUES_PHRASES: &[&str] = &[
    "possible values are",
    "supported values are",
    "possible values:",
    "the possible values are",
    "valid values are",
];

/// The values listed in a description: the backticked words after a [`VALUES_PHRASES`] phrase,
/// up to the end of that sentence's list.
pub fn described_values(description: &str) -> Vec<String> {
    let lower = description.to_ascii_lowercase();
    let Some(pos) = VALUES_PHRASES
        .iter()
        .filter_map(|p| lower.find(p).map(|i| i + p.len()))
        .min()
    else {
        return Vec::new();
    };
    let rest = &description[pos..];
    let mut values = Vec::new();
    for (i, part) in rest.split('`').enumerate() {
        if i % 2 == 1 {
            let v = part.trim();
            if !v.is_empty()
                && v.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
                && !values.iter().any(|x| x == v)
                && v != "null"
            {
                values.push(v.to_owned());
            }
        } else if i > 0 && part.contains(". ") {
            // The sentence that lists the values has ended.
            break;
        }
    }
    values
}

/// An enum for a type without a page, from the "Possible values are `a`, `b`" text of a
/// property that references it; with the span of that property.
fn enum_from_descriptions(vm: &VersionModel, name: &str) -> Option<(TypeDef, Span)> {
    let mut best: Option<(Vec<String>, Span)> = None;
    for ty in vm.types.values() {
        let TypeKind::Struct { properties } = &ty.kind else {
            continue;
        };
        for p in properties.iter().filter(|p| p.ty.named() == Some(name)) {
            let values = p
                .description
                .as_deref()
                .map(described_values)
                .unwrap_or_default();
            if values.len() >= 2 && best.as_ref().is_none_or(|(b, _)| values.len() > b.len()) {
                best = Some((values, p.span.clone()));
            }
        }
    }
    let (values, span) = best?;
    let short = name.rsplit('.').next().unwrap_or(name).to_owned();
    let namespace = name
        .rsplit_once('.')
        .map_or(super::build::DEFAULT_NAMESPACE, |(n, _)| n)
        .to_owned();
    Some((
        TypeDef {
            name: name.to_owned(),
            namespace,
            short,
            description: None,
            base: None,
            kind: TypeKind::Enum {
                members: values
                    .into_iter()
                    .map(|value| super::EnumMember {
                        value,
                        description: None,
                    })
                    .collect(),
            },
            inferred: true,
            request_body: false,
            copied_from: None,
            span: span.clone(),
        },
        span,
    ))
}

/// `Json` (`microsoft.graph.Json`, "data returned in JSON format") is any JSON value, not an
/// object type: workbook ranges hold arrays of arrays of values in it.
fn is_any_json(name: &str) -> bool {
    let n = name
        .trim()
        .trim_matches(['`', '*', '#'])
        .trim()
        .to_ascii_lowercase();
    [
        "json",
        "microsoft.graph.json",
        "json object",
        "untyped json object",
        // `properties | Object | A property bag ...` (externalItem).
        "object",
    ]
    .contains(&n.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Prim;

    #[test]
    fn lower_case_words_are_spelt_as_types_and_their_tails() {
        let mut index = TypeIndex::new(&[]);
        index.add("microsoft.graph.contactFolder".to_owned());
        index.add("microsoft.graph.workbookChartAxisTitle".to_owned());
        assert_eq!(index.spelling("contactfolder"), Some("contactFolder"));
        assert_eq!(index.spelling("chartaxistitle"), Some("chartAxisTitle"));
        assert_eq!(index.spelling("axistitle"), Some("axisTitle"));
        // One word is spelt as written; a type's own name is not a tail of it.
        assert_eq!(index.spelling("title"), None);
        assert_eq!(index.spelling("folder"), None);
    }

    #[test]
    fn type_texts() {
        let index = TypeIndex::new(&[]);
        let span = Span::new(&"f".into(), 1);
        let mut diags = Diagnostics::default();
        let mut parse = |t: &str| index.parse_type(t, None, "microsoft.graph", &span, &mut diags);
        let string = parse("String");
        assert!(matches!(string, TypeRef::Prim(Prim::String)), "{string:?}");
        assert_eq!(parse("String (enum)"), string);
        assert_eq!(parse("string (readonly)"), string);
        let strings = TypeRef::Collection(Box::new(string.clone()));
        assert_eq!(parse("Collection of String"), strings);
        assert_eq!(parse("String collection"), strings);
        assert_eq!(parse("Collection(Edm.String)"), strings);
        assert_eq!(parse("string/number"), TypeRef::Json);
        assert_eq!(parse("Untyped JSON object"), TypeRef::Json);
        assert_eq!(parse("Object"), TypeRef::Json);
        // A link that does not close is the link it starts, with a diagnostic.
        assert_eq!(
            parse("[invitedUserMessageInfo](invitedusermessageinfo.md"),
            TypeRef::Named("microsoft.graph.invitedUserMessageInfo".to_owned())
        );
        assert_eq!(
            parse("[printer](printer.md collection"),
            TypeRef::Collection(Box::new(TypeRef::Named(
                "microsoft.graph.printer".to_owned()
            )))
        );
        let kinds: Vec<Kind> = diags.finish().iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [Kind::UnknownType, Kind::BrokenLink, Kind::BrokenLink]
        );
    }
}
