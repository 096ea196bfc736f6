//! Pages → operations and types of each version.

use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::functions;
use super::groups;
use super::resolve::{self, TypeIndex};
use super::{
    ApiModel, ArgType, BodyField, BodyModel, Cloud, CloudAvailability, EnumMember, ExampleMessage,
    ExampleModel, HeaderParam, Operation, PageReport, PathTemplate, Permission, Piece, Prim,
    Property, QueryParam, ResponseModel, TypeDef, TypeKind, TypeRef, VersionModel,
};
use crate::diag::{Diagnostics, Kind};
use crate::names;
use crate::parse::http::{self, Start};
use crate::parse::page::{self, Body, Example, Page, PageKind, ParamRow, RequestLine, Role};
use crate::span::Span;

pub const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// Headers the runtime sets itself; the docs list them but they are not operation parameters.
const RUNTIME_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "host",
    "accept",
];

/// `[!INCLUDE]` files of the national-cloud section, by file stem.
const CLOUD_INCLUDES: &[(&str, &[Cloud])] = &[
    ("global-only", &[Cloud::Global]),
    (
        "all-clouds",
        &[Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China],
    ),
    ("global-china", &[Cloud::Global, Cloud::China]),
    (
        "global-us",
        &[Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5],
    ),
    ("us-only", &[Cloud::UsGovL4, Cloud::UsGovL5]),
];

/// Builds the model from parsed pages (in any order; the result is sorted).
pub fn build(mut pages: Vec<Page>, mut diags: Diagnostics) -> ApiModel {
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    let mut model = ApiModel::default();
    // The type index on one core; meanwhile every request path is read once, on every core,
    // and the roots of the API are counted from them.
    let (index, (parsed, roots)) = rayon::join(
        || TypeIndex::new(&pages),
        || {
            let parsed: Vec<RequestPaths> = pages.par_iter().map(request_paths).collect();
            let roots = path_roots(&pages, &parsed);
            (parsed, roots)
        },
    );
    // What each page gives, on every core; then put together in page order (deterministic).
    let jobs: Vec<(&Page, &RequestPaths)> = pages.iter().zip(&parsed).collect();
    let per_page: Vec<_> = jobs
        .par_iter()
        .map(|&(page, paths)| from_page(page, paths, &index, &roots))
        .collect();
    let mut versions: BTreeMap<String, VersionModel> = BTreeMap::new();
    for (page, found) in pages.iter().zip(per_page) {
        let vm = versions
            .entry(page.version.clone())
            .or_insert_with(|| VersionModel {
                version: page.version.clone(),
                ..Default::default()
            });
        let mut report = PageReport {
            file: page.file.to_string(),
            version: page.version.clone(),
            kind: format!("{:?}", page.kind).to_ascii_lowercase(),
            documents_request: !page.requests.is_empty(),
            ..Default::default()
        };
        diags.extend(found.diags);
        for ty in found.enums {
            report.types.push(ty.name.clone());
            vm.types.entry(ty.name.clone()).or_insert(ty);
        }
        if let Some(ty) = found.page_type {
            report.types.push(ty.name.clone());
            let ty = match vm.types.remove(&ty.name) {
                Some(first) => super::merge::merge_type(first, ty, &mut diags),
                None => ty,
            };
            vm.types.insert(ty.name.clone(), ty);
        }
        for (mut op, body_type) in found.operations {
            if let Some(ty) = body_type {
                let ty = own_body_name(vm, &mut op, ty);
                report.types.push(ty.name.clone());
                vm.types.entry(ty.name.clone()).or_insert(ty);
            }
            vm.operations.push(op);
        }
        model.pages.push(report);
    }
    rayon::scope(|scope| {
        // The pages are not needed any more: free them on another core while merging.
        scope.spawn(move |_| drop(pages));
        for vm in versions.values_mut() {
            super::merge::merge_operations(vm, &mut diags);
            action_names(vm);
            super::merge::canonical_groups(vm, &mut diags);
            super::me_alias::add_from_examples(vm, &mut diags);
            super::reference::add_reference_type(vm);
        }
        resolve::complete_types(&mut versions, &mut diags);
        for vm in versions.values_mut() {
            super::flags::mark(vm);
        }
        for vm in versions.values_mut() {
            super::evidence::collections_from_examples(vm, &mut diags);
            let replaced = super::bodies::resource_bodies(vm);
            super::bodies::derived_variants(vm);
            for report in model.pages.iter_mut().filter(|r| r.version == vm.version) {
                report.types.retain(|t| !replaced.contains(t));
            }
        }
        for vm in versions.values_mut() {
            super::merge::unique_names(vm, &mut diags);
            vm.operations.sort_by(|a, b| {
                (&a.namespace, &a.group, &a.name).cmp(&(&b.namespace, &b.group, &b.name))
            });
            let renamed = super::merge::name_request_bodies(vm, &mut diags);
            for report in model.pages.iter_mut().filter(|r| r.version == vm.version) {
                for t in &mut report.types {
                    if let Some(new) = renamed.get(t) {
                        t.clone_from(new);
                    }
                }
            }
        }
    });
    final_operations(&mut model.pages, &versions);
    model.versions = versions;
    model.diagnostics = diags.finish();
    model
}

/// Each page's operations as they came out of the merge and the naming: those that list the
/// page among their sources (a page whose operation joined another's names that one;
/// `createEvents` of an extension page is `events.createEventOfMe`).
fn final_operations(pages: &mut [PageReport], versions: &BTreeMap<String, VersionModel>) {
    for vm in versions.values() {
        let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for op in &vm.operations {
            let name = op.display_name();
            for source in &op.sources {
                let names = by_file.entry(&*source.file).or_default();
                if names.last() != Some(&name) {
                    names.push(name.clone());
                }
            }
        }
        for report in pages.iter_mut().filter(|r| r.version == vm.version) {
            report.operations = by_file.remove(report.file.as_str()).unwrap_or_default();
        }
    }
}

/// A request-body type whose name another, different type already has (two operations named
/// alike, e.g. Intune's `assign` on several resources) gets a numbered name for now, and its
/// operation points at it; the same body documented twice (one operation on several pages)
/// keeps the one name. Request bodies are named for good once the operations have their final
/// names ([`merge::name_request_bodies`]).
///
/// [`merge::name_request_bodies`]: super::merge::name_request_bodies
fn own_body_name(vm: &VersionModel, op: &mut Operation, mut ty: TypeDef) -> TypeDef {
    let same = |a: &TypeDef, b: &TypeDef| match (&a.kind, &b.kind) {
        (TypeKind::Struct { properties: p }, TypeKind::Struct { properties: q }) => {
            p.len() == q.len()
                && p.iter()
                    .zip(q)
                    .all(|(x, y)| x.name == y.name && x.ty == y.ty)
        }
        _ => false,
    };
    match vm.types.get(&ty.name) {
        None => return ty,
        Some(existing) if same(existing, &ty) => return ty,
        Some(_) => {}
    }
    let Some(name) = (2..)
        .map(|n| format!("{}{n}", ty.name))
        .find(|name| !vm.types.contains_key(name))
    else {
        return ty;
    };
    if let Some(BodyModel::Parameters { type_name }) = &mut op.body {
        *type_name = name.clone();
    }
    ty.short = names::upper_camel(name.rsplit('.').next().unwrap_or(&name));
    ty.name = name;
    ty
}

fn namespace(page: &Page) -> String {
    page.namespace
        .as_ref()
        .map(|n| n.value.trim_end_matches('.').to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
}

fn text(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && !page::is_todo(s)).then(|| s.to_owned())
}

/// The qualified name of a type named on a page: as is when qualified, else in the page's namespace.
pub fn qualify(page: &Page, name: &str) -> String {
    if name.contains('.') {
        name.to_owned()
    } else {
        format!("{}.{name}", namespace(page))
    }
}

fn enum_members(rows: &[ParamRow]) -> Vec<EnumMember> {
    rows.iter()
        .map(|r| EnumMember {
            value: r.name.clone(),
            description: text(&r.description),
        })
        .collect()
}

/// What one page gives: its enums, its type, its operations (with their request body types) and
/// its diagnostics. Pages are independent here, so they are read on every core.
#[derive(Default)]
struct FromPage {
    enums: Vec<TypeDef>,
    page_type: Option<TypeDef>,
    operations: Vec<(Operation, Option<TypeDef>)>,
    diags: Diagnostics,
}

/// What one page gives; `paths` are its request lines read by [`request_paths`].
fn from_page(
    page: &Page,
    (paths, path_diags): &RequestPaths,
    index: &TypeIndex,
    roots: &BTreeSet<String>,
) -> FromPage {
    let mut found = FromPage::default();
    match page.kind {
        PageKind::Resource | PageKind::Enum => {
            found.enums = enum_sets(page);
            if page.kind == PageKind::Enum
                && !page.enum_sets.is_empty()
                && page.enum_members.is_empty()
            {
                // A page of several enums (`enums.md`) is not a type itself.
            } else {
                found.page_type = type_from_page(page, index, &mut found.diags);
                if found.page_type.is_none() {
                    let at = page
                        .title
                        .as_ref()
                        .map_or_else(|| Span::new(&page.file, 1), |t| t.span.clone());
                    found.diags.push(&at, Kind::NoType, "resource page names no type (no `X resource type` title, no `@odata.type` in its JSON representation); skipped");
                }
            }
        }
        PageKind::Api | PageKind::Other => {
            // The request lines make operations here; elsewhere they only count for the roots.
            found.diags.extend(path_diags.clone());
            found.operations = operations_from_page(page, paths, index, roots, &mut found.diags);
        }
    }
    found
}

/// The enums of a page that documents several (`### X values` sections of `enums.md`).
fn enum_sets(page: &Page) -> Vec<TypeDef> {
    page.enum_sets
        .iter()
        .map(|set| {
            let name = qualify(page, &set.name);
            TypeDef {
                short: name.rsplit('.').next().unwrap_or(&name).to_owned(),
                namespace: name
                    .rsplit_once('.')
                    .map_or(DEFAULT_NAMESPACE, |(n, _)| n)
                    .to_owned(),
                name,
                description: None,
                base: None,
                kind: TypeKind::Enum {
                    members: enum_members(&set.members),
                },
                inferred: false,
                request_body: false,
                copied_from: None,
                span: set.span.clone(),
            }
        })
        .collect()
}

/// The type documented by a resource or enum page.
fn type_from_page(page: &Page, index: &TypeIndex, diags: &mut Diagnostics) -> Option<TypeDef> {
    let name = index.page_type(page)?;
    let ns = namespace(page);
    let span = page
        .title
        .as_ref()
        .map_or_else(|| Span::new(&page.file, 1), |t| t.span.clone());
    let short = name.rsplit('.').next().unwrap_or(&name).to_owned();
    let kind = if page.kind == PageKind::Enum
        || (!page.enum_members.is_empty() && page.properties.is_empty())
    {
        TypeKind::Enum {
            members: enum_members(&page.enum_members),
        }
    } else {
        let mut properties = Vec::new();
        for (rows, navigation) in [(&page.properties, false), (&page.relationships, true)] {
            for row in rows {
                if properties.iter().any(|p: &Property| p.name == row.name) {
                    continue;
                }
                let mut ty = row_type(row, &ns, index, diags);
                if let TypeRef::Collection(item) = &ty {
                    if single_in_representation(page, &row.name) {
                        diags.push(
                            &row.span,
                            Kind::RepresentationMismatch,
                            format!(
                                "the table calls `{}` a collection, the JSON representation one value: read as one value",
                                row.name
                            ),
                        );
                        ty = (**item).clone();
                    }
                }
                properties.push(Property {
                    name: row.name.clone(),
                    ty,
                    description: text(&row.description),
                    inferred: false,
                    navigation,
                    flags: false,
                    span: row.span.clone(),
                });
            }
        }
        TypeKind::Struct { properties }
    };
    let base = page
        .resource
        .as_ref()
        .and_then(|r| r.annotation_str("baseType"))
        .map(|b| b.trim_start_matches('#').to_owned())
        .or_else(|| inherits_from(page, index));
    Some(TypeDef {
        name,
        namespace: ns,
        short,
        description: page.description.as_ref().and_then(|d| text(&d.value)),
        base,
        kind,
        inferred: false,
        request_body: false,
        copied_from: None,
        span,
    })
}

/// Whether the page's JSON representation writes `name` as one primitive value: a type name
/// such as `"availability": "string"`, not `"Collection(String)"` and not a list. Read from the
/// text (the first `"name":`), not parsed: most representations are never asked.
fn single_in_representation(page: &Page, name: &str) -> bool {
    let Some(text) = page.resource.as_ref().map(|r| r.text.as_str()) else {
        return false;
    };
    let key = format!("\"{name}\"");
    let Some(at) = text.find(&key) else {
        return false;
    };
    let rest = text[at + key.len()..].trim_start();
    let Some(value) = rest
        .strip_prefix(':')
        .and_then(|r| r.trim_start().strip_prefix('"'))
    else {
        return false;
    };
    let value = value.split('"').next().unwrap_or("").trim();
    !value.to_ascii_lowercase().starts_with("collection") && Prim::parse(value).is_some()
}

/// `Inherits from [entity](entity.md)` in the page's prose.
fn inherits_from(page: &Page, index: &TypeIndex) -> Option<String> {
    let all = page
        .description
        .iter()
        .chain(&page.notes)
        .chain(&page.callouts);
    for note in all {
        let lower = note.value.to_ascii_lowercase();
        if let Some(pos) = lower.find("inherits from ") {
            let rest = &note.value[pos + "inherits from ".len()..];
            let word = rest
                .trim_start_matches('[')
                .split(|c: char| !(c.is_alphanumeric() || c == '.'))
                .next()?
                // The end of the sentence: `Inherits from [entity](entity.md).`
                .trim_end_matches('.');
            if let TypeRef::Named(n) = index.named(word, None, &namespace(page)) {
                return Some(n);
            }
        }
    }
    None
}

/// The type of a table row.
fn row_type(row: &ParamRow, ns: &str, index: &TypeIndex, diags: &mut Diagnostics) -> TypeRef {
    match &row.ty {
        Some(t) => index.parse_type(t, row.ty_link.as_deref(), ns, &row.span, diags),
        None => {
            diags.push(
                &row.span,
                Kind::UnknownType,
                format!("`{}` has no type", row.name),
            );
            TypeRef::Json
        }
    }
}

/// The operations of an API page, with the request-body type of an action where it has one.
fn operations_from_page(
    page: &Page,
    paths: &[Option<PathTemplate>],
    index: &TypeIndex,
    roots: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<(Operation, Option<TypeDef>)> {
    let file_span = Span::new(&page.file, 1);
    if page.requests.is_empty() {
        if page.kind == PageKind::Api {
            diags.push(
                &file_span,
                Kind::NoHttpRequest,
                "API page has no HTTP request block",
            );
        }
        return Vec::new();
    }
    let ns = namespace(page);
    let mut examples = examples(page, diags);
    // Request lines by subsection of `HTTP request` (in page order; most pages have none) and
    // method: each an operation.
    let mut headings = Vec::new();
    let mut by_method: BTreeMap<(usize, &str), Vec<PathTemplate>> = BTreeMap::new();
    for (line, path) in page.requests.iter().zip(paths) {
        if let Some(path) = path {
            if reads_parent(line, path, page, paths, diags) {
                continue;
            }
            let group = groups::index(&mut headings, line.group.as_ref());
            let paths = by_method.entry((group, line.method.as_str())).or_default();
            let shape = path.shape();
            if !paths.iter().any(|p| p.shape() == shape) {
                paths.push(path.clone());
            }
        }
    }
    let several = by_method.len() > 1;
    // Several subsections: each operation takes the examples of its paths.
    let mut dealt = if headings.len() > 1 {
        let ops: Vec<(&str, &[PathTemplate])> = by_method
            .iter()
            .map(|((_, method), paths)| (*method, paths.as_slice()))
            .collect();
        groups::deal(std::mem::take(&mut examples), &ops)
    } else {
        Vec::new()
    }
    .into_iter();
    let mut out = Vec::new();
    for ((group, method), mut paths) in by_method {
        let sentence = match headings[group] {
            Some(heading) => groups::response_of(page, &heading.value),
            None => page.response.as_ref(),
        };
        let examples_of_group = dealt.next();
        let seen = examples_of_group.as_deref().unwrap_or(&examples);
        reconcile_paths(&mut paths, seen, method, roots, diags);
        functions::placeholder_arguments(&mut paths, &page.version, diags);
        functions::missing_arguments(page, &mut paths, seen, method, diags);
        functions::quote_string_arguments(page, &mut paths, seen, method, diags);
        functions::documented_types(page, &mut paths);
        let title = page.title.as_ref().map(|t| t.value.as_str());
        let name = match title.and_then(|t| name_from_title(t, |w| index.spelling(w))) {
            Some(n) if !several => n,
            _ => {
                if title.is_none() {
                    diags.push(
                        &paths[0].span,
                        Kind::MissingTitle,
                        "page has no title; the operation is named from its path",
                    );
                }
                name_from_path(method, &paths[0])
            }
        };
        let group = group_of(&paths[0], &name);
        let mut op = Operation {
            name,
            namespace: ns.clone(),
            group,
            method: method.to_owned(),
            headers: headers(page),
            query: query(page, method),
            body: None,
            response: response(
                page,
                sentence,
                examples_of_group.as_deref(),
                &ns,
                index,
                method,
            ),
            permissions: permissions(page, diags),
            clouds: clouds(page, diags),
            description: page.description.as_ref().and_then(|d| text(&d.value)),
            notes: page.callouts.iter().filter_map(|c| text(&c.value)).fold(
                Vec::new(),
                |mut notes, n| {
                    // Each once, as merged operations keep them.
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                    notes
                },
            ),
            // One operation (most pages) takes the examples; several take copies, or the
            // examples of their paths on pages of several subsections.
            examples: if let Some(own) = examples_of_group {
                own
            } else if several {
                examples.clone()
            } else {
                std::mem::take(&mut examples)
            }
            .into_iter()
            .filter(|e| example_method(e).is_none_or(|m| m == method))
            .collect(),
            sources: vec![paths[0].span.clone()],
            links_own_type_pages: links_own_type_pages(page),
            body_fields: Vec::new(),
            body_resources: Vec::new(),
            variants: Vec::new(),
            subject: None,
            paths,
        };
        raw_value(&mut op);
        let mut body_type = body(page, &mut op, &ns, index, diags);
        if op.method == "GET" {
            body_type = parameters_in_url(&mut op, body_type, &page.version, diags);
        }
        if op.method == "DELETE" {
            body_type = delete_without_body(&mut op, body_type, diags);
        }
        body_type = super::reference::reference_body(&mut op, body_type);
        op.subject = subject(page, &op, &ns, index);
        functions::arguments_not_query(&mut op);
        single_by_examples(page, &mut op, diags);
        no_content_by_examples(&mut op, diags);
        check_examples(&op, diags);
        out.push((op, body_type));
    }
    out
}

/// A `GET` (an OData function) whose parameters the page documents as a request body
/// (`getAuditActivityTypes`: "In the request URL, provide the following query parameters"
/// under "Request body"; the workbook's `boundingRect`): a `GET` sends no body, so the
/// parameters go into each path as function parameters (`getAuditActivityTypes(category=
/// '{category}')`, strings and enums quoted) and the body type is dropped. Paths that already
/// call the function with parameters keep them.
fn parameters_in_url(
    op: &mut Operation,
    body_type: Option<TypeDef>,
    version: &str,
    diags: &mut Diagnostics,
) -> Option<TypeDef> {
    let (Some(BodyModel::Parameters { .. }), Some(ty)) = (&op.body, &body_type) else {
        return body_type;
    };
    let TypeKind::Struct { properties } = &ty.kind else {
        return body_type;
    };
    let args: Vec<String> = properties
        .iter()
        .map(|p| match p.ty {
            TypeRef::Prim(Prim::String) | TypeRef::Named(_) => format!("{0}='{{{0}}}'", p.name),
            _ => format!("{0}={{{0}}}", p.name),
        })
        .collect();
    if args.is_empty() {
        return body_type;
    }
    let call = format!("({})", args.join(","));
    let prim_of = |name: &str| {
        properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| match p.ty {
                TypeRef::Prim(prim) => Some(prim),
                _ => None,
            })
    };
    let mut paths = Vec::with_capacity(op.paths.len());
    for p in &op.paths {
        if p.raw.ends_with(')') {
            paths.push(p.clone());
            continue;
        }
        let raw = format!("{}{call}", p.raw);
        match parse_path(&raw, &p.span, version, diags) {
            Some(t) => paths.push(t),
            None => return body_type,
        }
    }
    functions::argument_types(&mut paths, prim_of);
    diags.push(
        &op.sources[0],
        Kind::FunctionParameters,
        format!(
            "`GET {}` documents its parameters as a request body; they are sent in the URL: `{}`",
            op.paths[0].raw, paths[0].raw
        ),
    );
    op.paths = paths;
    op.body = None;
    None
}

/// A `DELETE` whose page documents a request body that none of its examples sends (the owner
/// and `appliesTo` removals copy the request-body section of their add pages; a `DELETE` of a
/// `$ref` sends nothing): no body.
fn delete_without_body(
    op: &mut Operation,
    body_type: Option<TypeDef>,
    diags: &mut Diagnostics,
) -> Option<TypeDef> {
    let requests: Vec<&ExampleMessage> = op
        .examples
        .iter()
        .filter_map(|e| e.request.as_ref())
        .collect();
    if op.body.is_none()
        || requests.is_empty()
        || requests.iter().any(|r| !r.body.trim().is_empty())
    {
        return body_type;
    }
    diags.push(
        &op.sources[0],
        Kind::ExampleMismatch,
        format!(
            "`DELETE {}` documents a request body, but its examples send none; none is sent",
            op.paths[0].raw
        ),
    );
    op.body = None;
    None
}

/// The media type of raw content: the first that the page's `Content-Type` header row names
/// (`text/html` for a OneNote page), else the one an example request sends (`image/jpeg` for a
/// photo). A `multipart/...` type needs a boundary of the caller's: never the default.
fn documented_content_type<'a>(page: &'a Page, op: &'a Operation) -> Option<&'a str> {
    let sent = op
        .examples
        .iter()
        .filter_map(|e| e.request.as_ref())
        .flat_map(|r| &r.headers)
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    let documented = page
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-type"))
        .flat_map(|row| row.ty.iter().chain([&row.description]))
        .map(String::as_str);
    documented
        .chain(sent)
        .flat_map(|t| t.split(|c: char| c.is_whitespace() || c == ','))
        .map(|w| w.trim_matches(|c: char| matches!(c, '`' | '.' | '"' | '\'' | ';')))
        .find(|w| {
            w.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && w.is_ascii() && a != "multipart"
            })
        })
}

/// Whether the links of a page's response sentence and request body go to the linked types' own
/// pages (`[user](../resources/user.md)`) or to other pages (`[user](intune-devices-user.md)`);
/// without such links, `Some(false)` if the description links a partial view (`Deletes a
/// [user](../resources/intune-devices-user.md).` on Intune's copy of `DELETE /users/{id}`, whose
/// own page links no type); `None` otherwise.
fn links_own_type_pages(page: &Page) -> Option<bool> {
    let body = match &page.body {
        Some(Body::Type { link, .. }) => Some(link),
        _ => None,
    };
    let links: Vec<&crate::parse::blocks::Link> = page
        .response
        .as_ref()
        .and_then(|r| r.link.as_ref())
        .into_iter()
        .chain(body)
        .collect();
    if links.is_empty() {
        return description_links_own_type_pages(page);
    }
    Some(links.iter().all(|l| {
        resolve::stem(&l.href)
            .replace('-', "")
            .eq_ignore_ascii_case(l.text.trim())
    }))
}

/// `Some(false)` when the description links a partial view of a type (the type's name after a
/// prefix: `intune-devices-user` for `user`). A link to a type's own page does not make the
/// page the operation's main one (`Add an [attachment](attachment.md) when creating a group
/// post` on a copy of `reply`), nor do other links (`[deletedItems](directory.md)`).
fn description_links_own_type_pages(page: &Page) -> Option<bool> {
    let partial = page.description_links.iter().any(|l| {
        let text = l.text.trim();
        let stem = resolve::stem(&l.href);
        let Some(cut) = stem.len().checked_sub(text.len()) else {
            return false;
        };
        !text.is_empty()
            && l.href.contains("resources/")
            && stem.is_char_boundary(cut)
            && stem[cut..].eq_ignore_ascii_case(text)
            && stem[..cut].ends_with('-')
    });
    partial.then_some(false)
}

fn example_method(e: &ExampleModel) -> Option<&str> {
    match &e.request.as_ref()?.start {
        Start::Request { method, .. } => Some(method),
        Start::Response { .. } => None,
    }
}

/// `workbook: createSession` → `createSession`; `Close Session` → `closeSession`; an OData name
/// followed by its kind (`resetPasscode action`, `getAuditActivityTypes function`) is the name
/// alone; articles are left out (`Clone a team` → `cloneTeam`, `Get a user` → `getUser`). A word
/// in lower case that `spelling` knows as a type name is written as the type spells it, so that
/// the name keeps the type's words: `Update contactfolder` → `updateContactFolder`, not
/// `updateContactfolder` (20 operations of the v1.0 docs are named from such titles).
pub fn name_from_title<'a>(
    title: &'a str,
    spelling: impl Fn(&str) -> Option<&'a str>,
) -> Option<String> {
    let t = title.split(['(', '[']).next().unwrap_or(title);
    let t = t.rsplit(':').next().unwrap_or(t).trim();
    let t = match t.rsplit_once(' ') {
        // An OData name is one lowerCamel word.
        Some((name, "function" | "action"))
            if !name.contains(' ') && name.starts_with(|c: char| c.is_ascii_lowercase()) =>
        {
            name
        }
        _ => t,
    };
    let words: Vec<&str> = t
        .split(' ')
        .filter(|w| !["a", "an", "the"].iter().any(|a| w.eq_ignore_ascii_case(a)))
        .map(|w| {
            let lower = w.len() > 1 && w.bytes().all(|b| b.is_ascii_lowercase());
            lower.then(|| spelling(w)).flatten().unwrap_or(w)
        })
        .collect();
    let name = names::lower_camel(&words.join(" "));
    (!name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .then_some(name)
}

/// A `POST` to an OData action is named after the action, as the service and the Graph SDKs
/// name it, not after a title written as a sentence: "Upload large files with an upload
/// session" is `createUploadSession`, "Create sharing link for a DriveItem" `createLink`. An
/// action is a last segment in lowerCamel case with a capital, not a plural and not a property
/// of a type (`/policies/tokenLifetimePolicies`, `/schedule/timesOff` are collections: their
/// `POST` creates, and keeps its title's name). The operation moves to the group of the resource the action is on (`items`).
pub fn action_names(vm: &mut VersionModel) {
    let properties: HashSet<String> = vm
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct { properties } => Some(properties),
            TypeKind::Enum { .. } => None,
        })
        .flatten()
        .map(|p| p.name.to_ascii_lowercase())
        .collect();
    for op in &mut vm.operations {
        let Some(path) = op.paths.first().filter(|_| op.method == "POST") else {
            continue;
        };
        let Some(action) = action_segment(path) else {
            continue;
        };
        // A plural is a collection whose `POST` creates, documented or not as a property.
        let collection = action.ends_with('s') || properties.contains(&action.to_ascii_lowercase());
        if collection || op.name == action {
            continue;
        }
        op.name = action.to_owned();
        op.group = group_of(path, &op.name);
    }
}

/// The last segment of a path when it has the form of an OData action or function name:
/// lowerCamel case with a capital (`createUploadSession`, `getSchedule`).
fn action_segment(path: &PathTemplate) -> Option<&str> {
    let Piece::Lit { text } = path.pieces.last()? else {
        return None;
    };
    // `microsoft.graph.assign` is `assign`.
    let last = text.rsplit('/').next()?.rsplit('.').next()?;
    (is_action_name(last) && last.chars().all(|c| c.is_ascii_alphanumeric())).then_some(last)
}

/// lowerCamel case with a capital: the form of an OData action or function name
/// (`createUploadSession`), not of a resource or collection (`photo`, `messages`).
fn is_action_name(segment: &str) -> bool {
    segment.starts_with(|c: char| c.is_ascii_lowercase())
        && segment.contains(|c: char| c.is_ascii_uppercase())
}

/// A name from the method and the path: an action's own segment, else verb + resource.
fn name_from_path(method: &str, path: &PathTemplate) -> String {
    let mut last = static_segments(path)
        .pop()
        .unwrap_or_else(|| "root".to_owned());
    // A collection is a plural (`/me/messages`); `/me/photo` is one.
    let mut collection = last.ends_with('s');
    // OData's raw value of a resource is its content, as the Graph SDKs call it:
    // `GET /me/photo/$value` is `getPhotoContent`.
    if ends_in_value(path) {
        last.push_str(" content");
        collection = false;
    }
    if is_action_name(&last) && method == "POST" {
        return names::lower_camel(&last);
    }
    let item = matches!(path.pieces.last(), Some(Piece::Param { .. }));
    // One item of a collection (`GET /me/photos/{size}`) is named in the singular: `getPhoto`.
    if collection && item {
        if let Some(one) = names::singular(&last) {
            last = one;
        }
    }
    let verb = match method {
        "GET" if collection && !item => "list",
        "GET" => "get",
        "POST" => "create",
        "PATCH" => "update",
        // Beside a `PATCH` of the same page (`organizationalbrandingproperties-update.md`: the
        // properties, and `PUT` for a stream property), a `PUT` replaces: `put` as the Graph
        // SDKs call it, not a second `update` numbered apart.
        "PUT" => "put",
        "DELETE" => "delete",
        m => m,
    };
    names::lower_camel(&format!("{verb} {last}"))
}

/// The static segments of a path, without function arguments and type casts.
fn static_segments(path: &PathTemplate) -> Vec<String> {
    let mut out = Vec::new();
    for piece in &path.pieces {
        if let Piece::Lit { text } = piece {
            for seg in text.split('/') {
                let seg = seg.split('(').next().unwrap_or(seg).trim_matches(':');
                let seg = seg.rsplit('.').next().unwrap_or(seg);
                if !seg.is_empty()
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    out.push(seg.to_owned());
                }
            }
        }
    }
    out
}

/// The resource an operation belongs to: the last static segment that is not the action itself.
fn group_of(path: &PathTemplate, name: &str) -> String {
    let segs = static_segments(path);
    segs.iter()
        .rev()
        .find(|s| !s.eq_ignore_ascii_case(name) && *s != "root")
        .or(segs.last())
        .map_or_else(|| "root".to_owned(), |s| names::lower_camel(s))
}

/// Reads a declared path or an example URL into a template.
pub fn parse_path(
    raw: &str,
    span: &Span,
    version: &str,
    diags: &mut Diagnostics,
) -> Option<PathTemplate> {
    let mut p = raw.trim().trim_end_matches(['`', ';']);
    if let Some(rest) = p
        .strip_prefix("https://")
        .or_else(|| p.strip_prefix("http://"))
    {
        p = rest.find('/').map_or("", |i| &rest[i..]);
    }
    // A version segment in front (`/v1.0/`, `/V1.0/`, `/beta/`, and the slip `/v1/`).
    for v in [version, "v1.0", "beta", "v1"] {
        let Some(segment) = p
            .strip_prefix('/')
            .and_then(|after| after.get(..v.len()))
            .filter(|segment| segment.eq_ignore_ascii_case(v))
        else {
            continue;
        };
        let rest = &p[1 + v.len()..];
        if rest.is_empty() || rest.starts_with('/') {
            if v == "v1" || segment != v {
                diags.push(
                    span,
                    Kind::BadRequestLine,
                    format!("path `{raw}` starts with a misspelt version segment; it is dropped"),
                );
            }
            p = rest;
            break;
        }
    }
    // `{user-id} | user-principal-name/...`: an alternative name written outside the braces.
    let joined = drop_outer_alternatives(p);
    let p = joined.as_str();
    let p = until_space_outside_braces(p.split('?').next().unwrap_or(p));
    let p = close_calls(p, raw, span, diags);
    let mut path = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    // `/me/mailFolders/` (beside `/me/mailFolders` on the same page): the same resource; the
    // trailing slash would make a second path.
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    // `POST .../assignmentCategories/$entity`: `$entity` belongs to an `@odata.context` URL
    // (what the response describes), not to a request's path.
    if let Some(collection) = path.strip_suffix("/$entity") {
        diags.push(
            span,
            Kind::BadRequestLine,
            format!("path `{raw}` ends in `$entity`, which only an `@odata.context` URL has; read as `{collection}`"),
        );
        path.truncate(collection.len());
    }
    // `/childFolders/{id}/.../messages`: "any depth of folders", not a URL.
    if path.split('/').any(|seg| seg == "...") {
        diags.push(
            span,
            Kind::BadRequestLine,
            format!("path `{raw}` has a `...` segment (any depth of folders), which is not a URL; left out"),
        );
        return None;
    }
    if path.len() <= 1 && !raw.contains('/') {
        diags.push(span, Kind::BadRequestLine, format!("`{raw}` is not a path"));
        return None;
    }
    let path = parenthesised_params(path, raw, span, diags);
    let path = literal_ids_as_params(path, raw, span, diags);
    let mut pieces = Vec::new();
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            diags.push(
                span,
                Kind::BadRequestLine,
                format!("unclosed `{{` in path `{raw}`"),
            );
            return None;
        };
        let before = &rest[..open];
        let after = &rest[close + 1..];
        // `{id | userPrincipalName}`: alternative names of one parameter; the first names it.
        let name = rest[open + 1..close]
            .split('|')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        if !before.is_empty() {
            pieces.push(Piece::Lit {
                text: before.to_owned(),
            });
        }
        let item_path = before.ends_with(":/") || (before.ends_with(':') && after.starts_with(':'));
        pieces.push(Piece::Param {
            name,
            item_path,
            ty: ArgType::Text,
        });
        rest = after;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Lit {
            text: rest.to_owned(),
        });
    }
    Some(PathTemplate {
        raw: path,
        pieces,
        span: span.clone(),
    })
}

/// A path segment that is a parameter name in parentheses instead of braces
/// (`/teams/(team-id)/channels/...` on `chatmessage-update.md`): read as `{team-id}`, with a
/// diagnostic. (An OData call's parentheses follow a name: `range(address='{address}')`.)
fn parenthesised_params(path: String, raw: &str, span: &Span, diags: &mut Diagnostics) -> String {
    let is_param = |seg: &str| {
        seg.strip_prefix('(')
            .and_then(|s| s.strip_suffix(')'))
            .is_some_and(|inner| {
                inner.bytes().any(|b| b.is_ascii_alphabetic())
                    && inner
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
    };
    if !path.contains("/(") || !path.split('/').any(is_param) {
        return path;
    }
    let fixed = path
        .split('/')
        .map(|seg| {
            if is_param(seg) {
                format!("{{{}}}", &seg[1..seg.len() - 1])
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    diags.push(
        span,
        Kind::BadRequestLine,
        format!("path `{raw}` writes a parameter in parentheses, not braces; read as `{fixed}`"),
    );
    fixed
}

/// A request path that shows an example id where its parameter belongs
/// (`/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments`): each GUID segment becomes a
/// parameter named after the segment before it (`{class-id}`), and so does an example domain
/// name right after a collection (`/domains/contoso.com/...`: `{domain-id}`); an example host
/// name (`contoso.sharepoint.com`) becomes a `{hostname}`; each with a diagnostic. Otherwise the
/// id would become a literal path segment, and the operation a group of its own.
fn literal_ids_as_params(path: String, raw: &str, span: &Span, diags: &mut Diagnostics) -> String {
    if !path
        .split('/')
        .any(|s| is_guid(s) || is_host_name(s) || is_domain_name(s))
    {
        return path;
    }
    let mut out: Vec<String> = Vec::new();
    for seg in path.split('/') {
        if is_host_name(seg) {
            out.push("{hostname}".to_owned());
            continue;
        }
        let before = out.last().map(String::as_str).unwrap_or("");
        let keyed = is_domain_name(seg)
            && !before.is_empty()
            && before.bytes().all(|b| b.is_ascii_alphabetic());
        if !is_guid(seg) && !keyed {
            out.push(seg.to_owned());
            continue;
        }
        let name = match crate::names::singular(before) {
            Some(one) if !before.contains(['{', '(', ':', '$']) => format!("{{{one}-id}}"),
            _ => "{id}".to_owned(),
        };
        out.push(name);
    }
    let fixed = out.join("/");
    // A domain name that is not a collection's key (`/x/{id}/contoso.com`) stays as written.
    if fixed != path {
        diags.push(
            span,
            Kind::LiteralId,
            format!("path `{raw}` has an example id where a parameter belongs; read as `{fixed}`"),
        );
    }
    fixed
}

/// An example host name where a site's id or host name belongs (`GET
/// /sites/contoso.sharepoint.com`): three labels or more, the last a top-level domain of the
/// docs' examples. Type casts (`microsoft.graph.user`) and file names are not.
fn is_host_name(seg: &str) -> bool {
    const TOP_LEVEL: &[&str] = &[".com", ".net", ".org"];
    // Most segments end otherwise: tell them apart on their last four bytes.
    let Some(rest) = TOP_LEVEL.iter().find_map(|top| seg.strip_suffix(top)) else {
        return false;
    };
    rest.contains('.')
        && !rest.starts_with("microsoft.")
        && seg
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// An example domain name of two labels (`contoso.com`): what a domain's id is.
fn is_domain_name(seg: &str) -> bool {
    [".com", ".net", ".org"].iter().any(|top| {
        seg.strip_suffix(top).is_some_and(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    })
}

/// `acdefc6b-2dc6-4e71-b1e9-6d9810ab1793`: 8-4-4-4-12 hexadecimal digits.
fn is_guid(seg: &str) -> bool {
    seg.len() == 36
        && seg.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Removes ` | name` right after a `}` (an alternative parameter name outside the braces).
fn drop_outer_alternatives(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest.find("} |") {
        out.push_str(&rest[..=i]);
        let after = rest[i + 3..].trim_start();
        let end = after.find(['/', '?', ' ']).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The text up to the first white space that is not inside `{...}` or a call's parentheses;
/// white space inside parentheses is dropped.
fn until_space_outside_braces(s: &str) -> Cow<'_, str> {
    // Most paths have no white space at all.
    if !s.bytes().any(|b| b.is_ascii_whitespace() || b >= 0x80) {
        return Cow::Borrowed(s);
    }
    // White space inside a function call's parentheses is dropped
    // (`resizedRange(deltaRows={n}, deltaColumns={n})`); elsewhere it ends the path.
    let (mut braces, mut parens) = (0i32, 0i32);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' => braces += 1,
            '}' => braces -= 1,
            '(' => parens += 1,
            ')' => parens -= 1,
            c if c.is_whitespace() && parens > 0 => continue,
            c if c.is_whitespace() && braces <= 0 => break,
            _ => {}
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// A function call whose `)` is missing before the next segment
/// (`range(address='<address>'/entireRow`) is closed there, with a diagnostic.
fn close_calls(p: Cow<'_, str>, raw: &str, span: &Span, diags: &mut Diagnostics) -> String {
    if !p.contains('(') {
        return p.into_owned();
    }
    let mut out = String::with_capacity(p.len() + 1);
    let (mut open, mut braces, mut closed, mut quoted) = (false, 0i32, false, false);
    for c in p.chars() {
        match c {
            '{' => braces += 1,
            '}' => braces -= 1,
            // A `/` inside a string literal (`getByPath(path='a/b')`) is the literal's.
            '\'' if open => quoted = !quoted,
            '(' if braces <= 0 => open = true,
            ')' if braces <= 0 && !quoted => open = false,
            '/' if open && braces <= 0 && !quoted => {
                out.push(')');
                open = false;
                closed = true;
            }
            _ => {}
        }
        out.push(c);
    }
    if closed {
        diags.push(
            span,
            Kind::BadRequestLine,
            format!("path `{raw}` leaves a function call's `(` open; read as `{out}`"),
        );
    }
    out
}

/// Segments of a path with parameters as `None`, for suffix matching.
fn segments(path: &PathTemplate) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for seg in path.shape().split('/') {
        if seg.is_empty() {
            continue;
        }
        out.push((seg != "{}").then(|| seg.to_owned()));
    }
    out
}

/// The request lines of a page read as paths (None where a line is not a path), with the
/// diagnostics of reading them.
type RequestPaths = (Vec<Option<PathTemplate>>, Diagnostics);

/// The [`RequestPaths`] of a page.
fn request_paths(page: &Page) -> RequestPaths {
    let mut diags = Diagnostics::default();
    let paths = page
        .requests
        .iter()
        .map(|line| parse_path(&line.path, &line.span, &page.version, &mut diags))
        .collect();
    (paths, diags)
}

/// A request line that reads the resource above another request path of the page with that
/// path's resource expanded (`user-list-manager.md`'s "Get the management chain":
/// `GET /me?$expand=manager` and `GET /users?$expand=manager($levels=n)` beside
/// `GET /me/manager`), or that filters the collection of the page's item path
/// (`onlinemeeting-get.md`: `GET /me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'`
/// beside `GET /me/onlineMeetings/{meetingId}`), or, on a page that gets one item, lists it
/// (`GET /me/photos` beside `GET /me/photos/{size}`). That is another operation (which returns
/// a `user`, or a list), not a path of this one; reported and left out.
fn reads_parent(
    line: &RequestLine,
    path: &PathTemplate,
    page: &Page,
    paths: &[Option<PathTemplate>],
    diags: &mut Diagnostics,
) -> bool {
    let query = line.path.split_once('?').map_or("", |(_, q)| q);
    // A bare collection on a page that gets one item (`profilephoto-get.md`: `GET /me/photos`
    // beside `GET /me/photos/{size}`) lists it: another operation.
    let bare_list = query.is_empty()
        && line.method == "GET"
        && page.response.as_ref().is_some_and(|r| !r.collection);
    let option = |name: &'static str| {
        super::query_pairs(&line.path)
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let expanded: Vec<&str> = option("$expand")
        .flat_map(|v| v.split(','))
        .map(|v| v.split('(').next().unwrap_or("").trim())
        .collect();
    let filtered = option("$filter").next().is_some();
    if expanded.is_empty() && !filtered && !bare_list {
        return false;
    }
    let mine = segments(path);
    // A path of the page, without a query, whose segment after this path (after the key, when
    // this path is a collection) is what the line expands.
    let below = page.requests.iter().zip(paths).find_map(|(other, p)| {
        let p = p
            .as_ref()
            .filter(|_| other.method == line.method && !other.path.contains('?'))?;
        let theirs = segments(p);
        if theirs.len() <= mine.len() || theirs[..mine.len()] != mine[..] {
            return None;
        }
        // The item of this collection: `{id}` is all that follows.
        let item = (filtered || bare_list)
            && theirs.len() == mine.len() + 1
            && theirs[mine.len()].is_none();
        let next = match &theirs[mine.len()] {
            Some(segment) => Some(segment.as_str()),
            None => theirs.get(mine.len() + 1).and_then(|s| s.as_deref()),
        };
        let expands = next.is_some_and(|n| expanded.iter().any(|e| e.eq_ignore_ascii_case(n)));
        (item || expands).then_some(p)
    });
    let Some(below) = below else {
        return false;
    };
    let message = if query.is_empty() {
        format!(
            "`{} {}` lists the collection of `{}`, which the page gets one of: another operation, not a path of this one; left out",
            line.method, line.path, below.raw
        )
    } else {
        format!(
            "`{} {}` reads `{}` with `?{}`, above `{}`: another operation, not a path of this one; left out",
            line.method, line.path, path.raw, query, below.raw
        )
    };
    diags.push(&line.span, Kind::ParentWithOptions, message);
    true
}

/// First path segments (lower-cased) that at least two pages declare: the roots of the API.
/// `parsed` are the pages' [`request_paths`], in page order.
fn path_roots(pages: &[Page], parsed: &[RequestPaths]) -> BTreeSet<String> {
    let mut count: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (page, (paths, _)) in pages.iter().zip(parsed) {
        for path in paths.iter().flatten() {
            if let Some(Some(first)) = segments(path).into_iter().next() {
                count.entry(first).or_default().insert(&page.file);
            }
        }
    }
    count
        .into_iter()
        .filter(|(_, files)| files.len() >= 2)
        .map(|(root, _)| root)
        .collect()
}

/// A declared path that is only the tail of the example's URL (seed 002's
/// `/workbook/refreshSession`) is replaced by the example's full path.
fn reconcile_paths(
    paths: &mut [PathTemplate],
    examples: &[ExampleModel],
    method: &str,
    roots: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let example_paths: Vec<PathTemplate> = examples
        .iter()
        .filter_map(|e| e.request.as_ref())
        .filter_map(|r| match &r.start {
            Start::Request { method: m, url } if m == method => {
                parse_path(url, &r.span, "", &mut Diagnostics::default())
            }
            _ => None,
        })
        .collect();
    for path in paths.iter_mut() {
        let declared = segments(path);
        // A path from a root the docs address elsewhere (`/deviceManagement/...`) is complete,
        // even when the example takes another documented path.
        if declared
            .first()
            .and_then(|s| s.as_ref())
            .is_some_and(|s| roots.contains(s))
        {
            continue;
        }
        let matches = |e: &PathTemplate| {
            let s = segments(e);
            s.len() == declared.len()
                && s.iter()
                    .zip(&declared)
                    .all(|(a, b)| a.is_none() || b.is_none() || a == b)
        };
        if example_paths.iter().any(matches) {
            continue;
        }
        let longer = example_paths.iter().find(|e| {
            let s = segments(e);
            // The part taken from the example must be a template, not concrete ids.
            let prefix_ok = s.len() > declared.len()
                && s[..s.len() - declared.len()].iter().flatten().all(|seg| {
                    seg.starts_with(|c: char| c.is_ascii_alphabetic())
                        && seg.chars().all(|c| c.is_ascii_alphanumeric())
                });
            prefix_ok
                && s[s.len() - declared.len()..]
                    .iter()
                    .zip(&declared)
                    .all(|(a, b)| a.is_none() || b.is_none() || a == b)
        });
        if let Some(full) = longer {
            diags.push(
                &path.span,
                Kind::IncompletePath,
                format!(
                    "declared path `{}` is incomplete; using `{}` from the example",
                    path.raw, full.raw
                ),
            );
            let span = path.span.clone();
            *path = full.clone();
            path.span = span;
        }
    }
}

fn headers(page: &Page) -> Vec<HeaderParam> {
    let mut out: Vec<HeaderParam> = Vec::new();
    let said_required = |name: &str| {
        page.notes.iter().chain(&page.callouts).any(|n| {
            let l = n.value.to_ascii_lowercase();
            l.contains(&format!("{} header is required", name.to_ascii_lowercase()))
        })
    };
    for line in &page.request_headers {
        if RUNTIME_HEADERS.contains(&line.name.to_ascii_lowercase().as_str()) {
            continue;
        }
        out.push(HeaderParam {
            name: line.name.clone(),
            required: true,
            description: None,
        });
    }
    for row in &page.headers {
        let name = row.name.split_whitespace().next().unwrap_or("").to_owned();
        if name.is_empty() || RUNTIME_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let d = row.description.to_ascii_lowercase();
        // "Required." makes a header required; "required when using $search" (the value of
        // `ConsistencyLevel`) only sometimes: it stays a setter.
        let conditional = ["required when", "required if", "required only"]
            .iter()
            .any(|c| d.contains(c));
        let required = (d.contains("required")
            && !d.contains("not required")
            && !d.contains("optional")
            && !conditional)
            || said_required(&name);
        match out.iter_mut().find(|h| h.name.eq_ignore_ascii_case(&name)) {
            Some(h) => {
                h.required |= required;
                h.description = text(&row.description);
            }
            None => out.push(HeaderParam {
                name,
                required,
                description: text(&row.description),
            }),
        }
    }
    out
}

/// Query parameters: the query table, the OData options the page names or its examples use,
/// and for a GET that "supports the OData query parameters" the options that fit its response.
fn query(page: &Page, method: &str) -> Vec<QueryParam> {
    let canonical = |name: &str| {
        let lower = name.to_ascii_lowercase();
        page::ODATA_OPTIONS
            .iter()
            .find(|o| **o == lower)
            .map(|o| (*o).to_owned())
    };
    let mut out: Vec<QueryParam> = Vec::new();
    let templated = templated_query(page, method);
    let mut add = |name: String, description: Option<String>, said_required: bool| {
        if !out.iter().any(|q| q.name.eq_ignore_ascii_case(&name)) {
            let required = !name.starts_with('$')
                && (said_required || templated.iter().any(|t| t.eq_ignore_ascii_case(&name)));
            out.push(QueryParam {
                name,
                description,
                required,
            });
        }
    };
    for r in &page.query {
        add(
            canonical(&r.name).unwrap_or_else(|| r.name.clone()),
            text(&r.description),
            r.required == Some(true) || says_required(&r.description),
        );
    }
    for name in &templated {
        add(name.clone(), None, true);
    }
    for option in &page.odata {
        add(option.clone(), None, false);
    }
    for e in page.examples.iter().filter(|e| e.role == Role::Request) {
        let Some(Start::Request { method: m, url }) = http::start(&e.text) else {
            continue;
        };
        if m != method {
            continue;
        }
        for (key, _) in super::query_pairs(&url) {
            // `$id` names the reference that `DELETE .../$ref?$id=...` removes: only the
            // examples show it (`acceptedSenders`, `rejectedSenders`).
            let by_example = key.eq_ignore_ascii_case("$id").then(|| "$id".to_owned());
            // Graph takes the system options without their `$` too (`?select=name`, as the
            // SharePoint examples write them): still the option.
            let without_dollar = || canonical(&format!("${key}")).filter(|_| !key.starts_with('$'));
            if let Some(option) = canonical(key).or(by_example).or_else(without_dollar) {
                add(option, None, false);
            } else if key.starts_with(|c: char| c.is_ascii_alphabetic())
                && key.chars().all(|c| c.is_ascii_alphanumeric())
            {
                // A parameter the page does not list but its example sends
                // (`childFolders?includeHiddenFolders=true`).
                add(key.to_owned(), None, false);
            }
        }
    }
    if page.odata_general && method == "GET" {
        let collection = page.response.as_ref().is_some_and(|r| r.collection);
        let fitting: &[&str] = if collection {
            page::ODATA_OPTIONS
        } else {
            &["$select", "$expand"]
        };
        for option in fitting {
            add((*option).to_owned(), None, false);
        }
    }
    out
}

/// The query parameters (not OData system options) that every request line of `method` on the
/// page writes with a placeholder value (`?startDateTime={start_datetime}`): the docs' URL
/// template requires them. A value written out (`?includeHiddenFolders=true`) is one way of
/// calling, not a requirement.
fn templated_query(page: &Page, method: &str) -> Vec<String> {
    let mut lines = page.requests.iter().filter(|l| l.method == method);
    let placeholders = |path: &str| -> Vec<String> {
        super::query_pairs(path)
            .filter(|(k, v)| {
                !k.starts_with('$')
                    && !k.is_empty()
                    && k.chars().all(|c| c.is_ascii_alphanumeric())
                    && v.trim().starts_with('{')
                    && v.trim().ends_with('}')
            })
            .map(|(k, _)| k.to_owned())
            .collect()
    };
    let Some(first) = lines.next() else {
        return Vec::new();
    };
    let mut names = placeholders(&first.path);
    for line in lines {
        let theirs = placeholders(&line.path);
        names.retain(|n| theirs.iter().any(|t| t.eq_ignore_ascii_case(n)));
    }
    names
}

/// A query table's description that makes its parameter required: a sentence `Required.`
/// (not "Required when ...", which is sometimes).
fn says_required(description: &str) -> bool {
    let d = description.trim();
    d == "Required"
        || d.starts_with("Required.")
        || d.ends_with(" Required.")
        || d.contains(" Required. ")
}

fn permissions(page: &Page, diags: &mut Diagnostics) -> Vec<Permission> {
    if let Some(include) = &page.permissions_include {
        diags.push(
            &include.span,
            Kind::UnresolvedInclude,
            format!(
                "permissions are in `{}`, which the docs input does not have",
                include.value
            ),
        );
    }
    page.permissions
        .iter()
        .map(|r| Permission {
            kind: r.kind.clone(),
            least: r.least.clone(),
            higher: r.higher.clone(),
        })
        .collect()
}

fn clouds(page: &Page, diags: &mut Diagnostics) -> Option<Vec<CloudAvailability>> {
    if !page.clouds.is_empty() {
        let mut out = Vec::new();
        for cell in &page.clouds {
            match Cloud::from_doc(&cell.cloud) {
                Some(cloud) => out.push(CloudAvailability {
                    cloud,
                    available: cell.available,
                }),
                None => diags.push(
                    &cell.span,
                    Kind::UnknownCloud,
                    format!("unknown national cloud `{}`", cell.cloud),
                ),
            }
        }
        out.sort_by_key(|c| c.cloud);
        return Some(out);
    }
    let include = page.clouds_include.as_ref()?;
    let stem = include
        .value
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    match CLOUD_INCLUDES.iter().find(|(s, _)| *s == stem) {
        Some((_, available)) => Some(
            [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China]
                .into_iter()
                .map(|cloud| CloudAvailability {
                    cloud,
                    available: available.contains(&cloud),
                })
                .collect(),
        ),
        None => {
            diags.push(
                &include.span,
                Kind::UnresolvedInclude,
                format!(
                    "national cloud support is in unknown include `{}`",
                    include.value
                ),
            );
            None
        }
    }
}

/// The response of an operation: what the response sentence says, else the type an annotated
/// response example names (of the page, or of `own` examples where the operation has its own).
/// A `GET` of `$value` is completed afterwards ([`raw_value`]).
fn response(
    page: &Page,
    sentence: Option<&page::ResponseSentence>,
    own: Option<&[ExampleModel]>,
    ns: &str,
    index: &TypeIndex,
    method: &str,
) -> ResponseModel {
    let annotated = page.examples.iter().find(|e| {
        e.role == Role::Response
            && e.annotation_str("@odata.type").is_some()
            && own.is_none_or(|own| {
                own.iter()
                    .any(|o| o.response.as_ref().is_some_and(|r| r.span == e.span))
            })
    });
    let status = sentence
        .and_then(|s| s.status)
        .or_else(|| annotated.and_then(example_status))
        .unwrap_or(if method == "DELETE" { 204 } else { 200 });
    let mut collection = sentence.is_some_and(|s| s.collection);
    let linked = sentence
        .and_then(|s| s.link.as_ref())
        .map(|l| index.named(&l.text, Some(&l.href), ns));
    let mut ty = linked.clone();
    if ty.is_none() {
        if let Some((prim, many)) = sentence.and_then(|s| sentence_primitive(&s.text)) {
            ty = Some(TypeRef::Prim(prim));
            collection = many;
        }
    }
    if ty.is_none() && status != 204 {
        if let Some(e) = annotated {
            let t = e.annotation_str("@odata.type").unwrap_or_default().trim();
            collection = e.annotation_bool("isCollection");
            // `Collection(Edm.String)` is a collection of its element type.
            let inner = t
                .strip_prefix("Collection(")
                .or_else(|| t.strip_prefix("collection("))
                .and_then(|r| r.strip_suffix(')'));
            if inner.is_some() {
                collection = true;
            }
            let t = inner.unwrap_or(t);
            ty = Some(match Prim::parse(t) {
                Some(p) => TypeRef::Prim(p),
                None => index.named(t, None, ns),
            });
        }
    }
    let no_body = status == 204 || sentence.is_some_and(|s| says_no_body(&s.text, status));
    if no_body {
        ty = None;
    }
    // A `202` with the resource in its body (`assignLicense`) is complete.
    let long_running = long_running(page) && !(status == 202 && ty.is_some());
    ResponseModel {
        status,
        ty,
        collection: collection && status != 204,
        long_running,
        monitor: linked.clone().filter(|_| no_body && status == 202),
        or_no_content: false,
        representation: linked.filter(|_| {
            no_body
                && status == 204
                && sentence.is_some_and(|s| s.text.contains("return=representation"))
        }),
    }
}

/// A `GET` of OData's `$value` (every path of the operation ends in it) that the page gives no
/// type for answers with the raw value: `GET /me/photo/$value`, the photo's bytes.
fn raw_value(op: &mut Operation) {
    if op.method == "GET"
        && op.response.ty.is_none()
        && op.response.status == 200
        && !op.paths.is_empty()
        && op.paths.iter().all(ends_in_value)
    {
        op.response.ty = Some(TypeRef::Prim(Prim::Stream));
    }
}

/// Whether a path ends in OData's `$value` (the raw value of what the path before it addresses).
fn ends_in_value(path: &PathTemplate) -> bool {
    matches!(path.pieces.last(), Some(Piece::Lit { text }) if text.trim_end_matches('/').ends_with("/$value"))
}

/// Whether the operation has a long-running form: the page answers `202 Accepted` (in the
/// response sentence or a response example) *and* says where to poll, a `Location` or
/// `Operation-Location` header (in the sentence, a table of response headers, or the headers
/// of a `202` example without a body). A `202` alone only acknowledges (`sendMail`, a call's
/// `answer`): there is nothing to poll.
fn long_running(page: &Page) -> bool {
    let is_poll_header = |name: &str| {
        ["location", "operation-location"].contains(&name.to_ascii_lowercase().as_str())
    };
    let accepted: Vec<&Example> = page
        .examples
        .iter()
        .filter(|e| e.role == Role::Response && example_status(e) == Some(202))
        .collect();
    let sentence = page.response.as_ref().map(|s| s.text.as_str());
    if !sentence.is_some_and(|s| s.contains("202")) && accepted.is_empty() {
        return false;
    }
    sentence.is_some_and(|s| s.contains("Location"))
        || page.response_headers.iter().any(|h| is_poll_header(h))
        || accepted.iter().any(|e| {
            http::message(&e.text).is_some_and(|m| {
                m.body.trim().is_empty() && m.headers.iter().any(|(n, _)| is_poll_header(n))
            })
        })
}

/// Whether a response sentence says that there is no body: "It does not return anything in the
/// response body", or a `202 Accepted` whose link names the operation to follow in a header, not
/// a body ("returns a `202 Accepted` response containing a link to the
/// [teamsAsyncOperation](...)"; a 202 with a body says "in the response body", as
/// `assignLicense` does).
fn says_no_body(text: &str, status: u16) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("not return anything") || (status == 202 && !t.contains("response body"))
}

/// A primitive that a response sentence names without a link, with whether it is a collection:
/// "returns a `200 OK` response code and a String collection in the response body" (Intune's
/// functions and actions, which also return `a Boolean`, `a Int32`, `a Stream`).
fn sentence_primitive(text: &str) -> Option<(Prim, bool)> {
    let at = text.to_ascii_lowercase().find(" in the response body")?;
    let mut words = text[..at].rsplit(' ');
    let last = words.next()?;
    let (word, many) = if last.eq_ignore_ascii_case("collection") {
        (words.next()?, true)
    } else {
        (last, false)
    };
    if !matches!(words.next()?.to_ascii_lowercase().as_str(), "a" | "an") {
        return None;
    }
    Some((Prim::parse(word.trim_matches('`'))?, many))
}

fn example_status(e: &Example) -> Option<u16> {
    match http::start(&e.text)? {
        Start::Response { status, .. } => Some(status),
        Start::Request { .. } => None,
    }
}

/// The request body; for an action's parameter table, also the generated body type.
fn body(
    page: &Page,
    op: &mut Operation,
    ns: &str,
    index: &TypeIndex,
    diags: &mut Diagnostics,
) -> Option<TypeDef> {
    // The types the body prose names: a table (or an example) of only their properties is one
    // of them (`bodies::resource_bodies`).
    op.body_resources = mentioned_types(page, ns, index);
    let Some(documented) = page.body.as_ref() else {
        // No request-body section, or one whose content is all in subsections (`printer-update`'s
        // "Delegated permissions and JSON payload"): an example that sends a JSON object to a
        // POST, PATCH or PUT still says there is a body.
        if !matches!(op.method.as_str(), "POST" | "PATCH" | "PUT") {
            return None;
        }
        let span = op
            .examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .find(|r| sends_json_object(r))
            .map(|r| r.span.clone())?;
        return undocumented_body(
            op,
            page,
            ns,
            index,
            &span,
            "the page documents no request body, but the example sends one",
            diags,
        );
    };
    match documented {
        Body::None { .. } => None,
        Body::Many { link, .. } => {
            let item = index.named(&link.text, Some(&link.href), ns);
            op.body = Some(BodyModel::Type {
                ty: TypeRef::Collection(Box::new(item)),
            });
            None
        }
        Body::Content { .. } => {
            op.body = Some(BodyModel::Content {
                content_type: documented_content_type(page, op)
                    .unwrap_or("application/octet-stream")
                    .to_owned(),
            });
            None
        }
        Body::Type { link, rows, .. } => {
            op.body = Some(BodyModel::Type {
                ty: index.named(&link.text, Some(&link.href), ns),
            });
            op.body_fields = rows
                .iter()
                .map(|r| BodyField {
                    name: r.name.clone(),
                    description: text(&r.description),
                })
                .collect();
            None
        }
        Body::Parameters { rows, span } => Some(parameters_body(op, rows, span, ns, index, diags)),
        Body::Unknown { span, .. } => {
            if let Some(rows) = body_rows_in_parameters(page, op) {
                diags.push(
                    span,
                    Kind::InferredType,
                    "the request body's section has no table; its parameters are read from the page's `Parameters` table, whose rows are none of the path's",
                );
                return Some(parameters_body(op, rows, span, ns, index, diags));
            }
            let has_json = op
                .examples
                .iter()
                .any(|e| e.request.as_ref().is_some_and(sends_json_object));
            if !has_json {
                return None;
            }
            undocumented_body(
                op,
                page,
                ns,
                index,
                span,
                "the request body type is not documented",
                diags,
            )
        }
    }
}

/// The rows of a page's `Parameters` table when they are a `POST`'s body parameters: the page
/// puts them under a heading of their own (`driveitem-createuploadsession.md`: `item` and
/// `deferCommit`), not in its request-body section, and none of them is a parameter or a
/// function argument of the operation's paths (as a workbook function's `row` and `column`
/// are).
fn body_rows_in_parameters<'p>(page: &'p Page, op: &Operation) -> Option<&'p [ParamRow]> {
    if op.method != "POST" || page.path_params.is_empty() {
        return None;
    }
    let in_path = |name: &str| {
        op.paths.iter().any(|p| {
            p.raw.contains('(')
                || p.pieces.iter().any(|piece| match piece {
                    Piece::Param { name: n, .. } => n.eq_ignore_ascii_case(name),
                    Piece::Lit { .. } => false,
                })
        })
    };
    let rows = page.path_params.as_slice();
    (!rows.iter().any(|r| in_path(r.name.trim_matches('`')))).then_some(rows)
}

/// The generated type of a body given as a table of parameters, named after the operation.
fn parameters_body(
    op: &mut Operation,
    rows: &[ParamRow],
    span: &Span,
    ns: &str,
    index: &TypeIndex,
    diags: &mut Diagnostics,
) -> TypeDef {
    let short = names::body_type_qualified(&op.group, &op.name);
    let name = format!("{ns}.{short}");
    let properties = rows
        .iter()
        .map(|r| Property {
            name: r.name.clone(),
            ty: row_type(r, ns, index, diags),
            description: text(&r.description),
            inferred: false,
            navigation: false,
            flags: false,
            span: r.span.clone(),
        })
        .collect();
    op.body = Some(BodyModel::Parameters {
        type_name: name.clone(),
    });
    TypeDef {
        description: Some(super::merge::body_description(&op.name, false)),
        name,
        namespace: ns.to_owned(),
        short: names::upper_camel(&short),
        base: None,
        kind: TypeKind::Struct { properties },
        inferred: false,
        request_body: true,
        copied_from: None,
        span: span.clone(),
    }
}

/// The type a page's operation is about: its body's, else its response's, else the first type
/// its description links, else, for a `DELETE` (which nothing else types), the first type its
/// title names ("Delete windowsOfficeClientConfiguration").
fn subject(page: &Page, op: &Operation, ns: &str, index: &TypeIndex) -> Option<String> {
    let named = |t: &TypeRef| t.named().map(str::to_owned);
    match &op.body {
        Some(BodyModel::Type { ty }) => return named(ty),
        Some(BodyModel::Parameters { .. }) => return op.body_resources.first().cloned(),
        _ => {}
    }
    if let Some(t) = op.response.ty.as_ref().and_then(named) {
        return Some(t);
    }
    let linked = page
        .description_links
        .iter()
        .filter(|l| crate::parse::page::is_type_link(&l.href))
        .find_map(|l| documented_type(l, ns, index));
    let titled = || {
        if op.method != "DELETE" {
            return None;
        }
        let title = page.title.as_ref().or(page.front_title.as_ref())?;
        title
            .value
            .split_whitespace()
            .skip(1)
            .find_map(|w| index.find(w.trim_matches(['`', '*', '.', ',']), ns))
            .cloned()
    };
    linked.or_else(titled)
}

/// The documented types that the request-body prose names, each once, in the order named.
fn mentioned_types(page: &Page, ns: &str, index: &TypeIndex) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in page
        .body_mentions
        .iter()
        .filter_map(|l| documented_type(l, ns, index))
    {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The documented type a link (or an unlinked name, with an empty `href`) names, if the docs
/// have a page for it.
fn documented_type(
    link: &crate::parse::blocks::Link,
    ns: &str,
    index: &TypeIndex,
) -> Option<String> {
    let href = Some(link.href.as_str()).filter(|h| !h.is_empty());
    match index.named(&link.text, href, ns) {
        TypeRef::Named(n) if index.find(&n, ns).is_some() => Some(n),
        _ => None,
    }
}

/// Whether an example request sends a JSON object with at least one member.
fn sends_json_object(r: &ExampleMessage) -> bool {
    r.json
        .as_ref()
        .is_some_and(|j| j.as_object().is_some_and(|o| !o.is_empty()))
}

/// The documented type that a page's request example names in its annotation
/// (`"@odata.type": "microsoft.graph.externalConnectors.schema"`).
fn request_annotation_type(page: &Page, ns: &str, index: &TypeIndex) -> Option<TypeRef> {
    page.examples
        .iter()
        .filter(|e| e.role == Role::Request)
        .filter_map(|e| e.annotation_str("@odata.type"))
        .find_map(|t| index.find(t.trim().trim_start_matches('#'), ns))
        .map(|n| TypeRef::Named(n.clone()))
}

/// The body of an operation whose examples send JSON that the page does not type (`why` says
/// how the page fails to): an update sends (part of) the resource it returns, a create the
/// resource it creates; else the documented type its request example's annotation names;
/// otherwise the example's own properties make a request-body type, or else the body stays
/// untyped JSON.
fn undocumented_body(
    op: &mut Operation,
    page: &Page,
    ns: &str,
    index: &TypeIndex,
    span: &Span,
    why: &str,
    diags: &mut Diagnostics,
) -> Option<TypeDef> {
    // An update sends (part of) the resource it returns; a create (`201 Created`) the resource
    // it creates.
    let sends_returned = match op.method.as_str() {
        "PATCH" | "PUT" => true,
        "POST" => op.response.status == 201,
        _ => false,
    };
    if let (Some(t @ TypeRef::Named(n)), false, true) =
        (&op.response.ty, op.response.collection, sends_returned)
    {
        diags.push(
            span,
            Kind::InferredType,
            format!("{why}; taken to be the returned `{n}`"),
        );
        op.body = Some(BodyModel::Type { ty: t.clone() });
        return None;
    }
    if let Some(ty @ TypeRef::Named(n)) = &request_annotation_type(page, ns, index) {
        diags.push(
            span,
            Kind::InferredType,
            format!("{why}; taken to be the `{n}` that the example's annotation names"),
        );
        op.body = Some(BodyModel::Type { ty: ty.clone() });
        return None;
    }
    match inferred_body(op, ns, span) {
        Some(ty) => {
            diags.push(
                span,
                Kind::InferredType,
                format!("{why}; `{}` inferred from the example", ty.short),
            );
            op.body = Some(BodyModel::Parameters {
                type_name: ty.name.clone(),
            });
            Some(ty)
        }
        None => {
            diags.push(
                span,
                Kind::UnresolvedType,
                format!("{why}; the body stays untyped JSON"),
            );
            op.body = Some(BodyModel::Type { ty: TypeRef::Json });
            None
        }
    }
}

/// Request/response examples in page order, paired.
fn examples(page: &Page, diags: &mut Diagnostics) -> Vec<ExampleModel> {
    let mut out: Vec<ExampleModel> = Vec::new();
    for e in &page.examples {
        let Some(msg) = http::message(&e.text) else {
            continue;
        };
        let mut unusable = Vec::new();
        let json = if msg.body.is_empty() {
            None
        } else {
            let body_span = Span::new(&e.span.file, e.first_line + msg.body_offset);
            example_json(&msg.body, &body_span, &mut unusable, diags)
        };
        let truncated = e.annotation_bool("truncated");
        if truncated {
            unusable.push("truncated".to_owned());
        }
        let message = ExampleMessage {
            start: msg.start.clone(),
            headers: msg.headers,
            json,
            body: msg.body,
            truncated,
            unusable,
            span: e.span.clone(),
        };
        match (&msg.start, out.last_mut()) {
            (Start::Response { .. }, Some(last)) if last.response.is_none() => {
                last.response = Some(message)
            }
            (Start::Response { .. }, _) => out.push(ExampleModel {
                name: None,
                request: None,
                response: Some(message),
            }),
            (Start::Request { .. }, _) => out.push(ExampleModel {
                name: e.annotation_str("name").map(str::to_owned),
                request: Some(message),
                response: None,
            }),
        }
    }
    out
}

fn example_json(
    body: &str,
    span: &Span,
    unusable: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Option<serde_json::Value> {
    let t = body.trim_start();
    if !t.starts_with(['{', '[']) {
        unusable.push("body is not JSON".to_owned());
        return None;
    }
    let value = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => v,
        Err(e) => match serde_json::from_str(&crate::lenient::repair(body)) {
            Ok(v) => {
                diags.push(
                    span,
                    Kind::InvalidJson,
                    format!("example body is not strict JSON ({e}); repaired"),
                );
                v
            }
            Err(_) => {
                diags.push(
                    span,
                    Kind::InvalidJson,
                    format!("example body is not JSON: {e}"),
                );
                unusable.push("body is not valid JSON".to_owned());
                return None;
            }
        },
    };
    let mut placeholders = Vec::new();
    find_placeholders(&value, &mut String::new(), &mut placeholders);
    if !placeholders.is_empty() {
        diags.push(
            span,
            Kind::PlaceholderValue,
            format!(
                "example values are type names, not values: {}",
                placeholders.join(", ")
            ),
        );
        unusable.push("placeholder values".to_owned());
    }
    Some(value)
}

/// Each string of `value` that is a type name instead of a value, as `path = "value"`. `path` is
/// the JSON pointer of `value`; it is grown and cut back while walking, never copied on the way.
fn find_placeholders(value: &serde_json::Value, path: &mut String, out: &mut Vec<String>) {
    use std::fmt::Write;
    let len = path.len();
    match value {
        serde_json::Value::String(s) if Prim::is_placeholder(s) => {
            out.push(format!("{path} = \"{s}\""))
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                path.push('/');
                path.push_str(k);
                find_placeholders(v, path, out);
                path.truncate(len);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let _ = write!(path, "/{i}");
                find_placeholders(v, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A response the sentence calls a collection ("a collection of \[chat\] objects") whose examples
/// all answer one object, and whose annotations do not say `isCollection`: one object (`GET
/// /chats/{id}`, an organisational contact's manager), with a diagnostic.
fn single_by_examples(page: &Page, op: &mut Operation, diags: &mut Diagnostics) {
    if !op.response.collection || !matches!(op.response.ty, Some(TypeRef::Named(_))) {
        return;
    }
    let annotated_many = page
        .examples
        .iter()
        .any(|e| e.role == Role::Response && e.annotation_bool("isCollection"));
    let answers: Vec<&ExampleMessage> = op
        .examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .filter(|r| r.json.is_some())
        .collect();
    let single = |r: &&ExampleMessage| {
        r.json
            .as_ref()
            .and_then(|j| j.as_object())
            .is_some_and(|o| !o.contains_key("value"))
    };
    if annotated_many || answers.is_empty() || !answers.iter().all(single) {
        return;
    }
    op.response.collection = false;
    let ty = op
        .response
        .ty
        .as_ref()
        .and_then(TypeRef::named)
        .unwrap_or_default();
    diags.push(
        &answers[0].span,
        Kind::ExampleMismatch,
        format!(
            "the page says a collection of `{ty}`, but every example answers one object (no `value` list); one `{ty}` is returned"
        ),
    );
}

/// A page that documents one object in the response but shows the service answering
/// `204 No Content` in an example (`identityUserFlowAttributeAssignment`'s update: "returns a
/// `200 OK` response code and an updated [...] object", its example `HTTP/1.1 204 No Content`)
/// gets an optional body, as pages that disagree do: `send()` returns `None` for the `204`.
fn no_content_by_examples(op: &mut Operation, diags: &mut Diagnostics) {
    let r = &op.response;
    if r.collection || r.status == 204 || !matches!(r.ty, Some(TypeRef::Named(_))) {
        return;
    }
    let empty = op
        .examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .find(|m| {
            matches!(m.start, Start::Response { status: 204, .. }) && m.body.trim().is_empty()
        });
    if let Some(m) = empty {
        diags.push(
            &m.span,
            Kind::ConflictingResponses,
            format!(
                "`{}`: the page documents a `{}` response, its example answers `204 No Content`; the body is optional",
                op.name,
                r.ty.as_ref().and_then(TypeRef::named).unwrap_or_default()
            ),
        );
        op.response.or_no_content = true;
    }
}

/// Examples that disagree with the documented shape.
fn check_examples(op: &Operation, diags: &mut Diagnostics) {
    if op.response.collection || op.response.ty.is_none() {
        return;
    }
    for e in &op.examples {
        let Some(resp) = &e.response else { continue };
        let Some(obj) = resp.json.as_ref().and_then(|j| j.as_object()) else {
            continue;
        };
        let keys: Vec<&String> = obj.keys().filter(|k| !k.starts_with('@')).collect();
        if keys.len() == 1 && keys[0] == "value" && obj["value"].is_object() {
            diags.push(
                &resp.span,
                Kind::ExampleMismatch,
                "the example response wraps the object in `value`, but the response is documented as a single object",
            );
        }
    }
}

/// A request-body type from the first JSON request example's top-level properties, each marked
/// as inferred (a reference body, only `@odata.id`, included).
fn inferred_body(op: &Operation, ns: &str, span: &Span) -> Option<TypeDef> {
    let msg = op
        .examples
        .iter()
        .filter_map(|e| e.request.as_ref())
        .find(|r| r.json.as_ref().is_some_and(|j| j.is_object()))?;
    let obj = msg.json.as_ref()?.as_object()?;
    let properties: Vec<Property> = obj
        .iter()
        .filter(|(k, _)| *k != "@odata.type")
        .map(|(k, v)| Property {
            name: k.clone(),
            ty: resolve::infer_json_type(v),
            description: None,
            inferred: true,
            navigation: false,
            flags: false,
            span: msg.span.clone(),
        })
        .collect();
    if properties.is_empty() {
        return None;
    }
    let short = names::body_type_qualified(&op.group, &op.name);
    Some(TypeDef {
        description: Some(super::merge::body_description(&op.name, true)),
        name: format!("{ns}.{short}"),
        namespace: ns.to_owned(),
        short: names::upper_camel(&short),
        base: None,
        kind: TypeKind::Struct { properties },
        inferred: true,
        request_body: true,
        copied_from: None,
        span: span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_that_say_there_is_no_body() {
        let accepted = "If successful, this API returns a `202 Accepted` response containing a link to the teamsAsyncOperation.";
        assert!(says_no_body(accepted, 202));
        assert!(says_no_body(
            "If successful, this method returns `202 Accepted` response code. It does not return anything in the response body.",
            202
        ));
        assert!(!says_no_body(
            "If successful, this method returns a `202 Accepted` response code and a target group object in the response body.",
            202
        ));
        assert!(!says_no_body(
            "If successful, this method returns a `200 OK` response code and a user object.",
            200
        ));
    }

    #[test]
    fn response_sentences_that_name_primitives() {
        let at = "If successful, this function returns a `200 OK` response code and";
        for (what, expected) in [
            ("a String collection", Some((Prim::String, true))),
            ("a Boolean", Some((Prim::Boolean, false))),
            ("a Int32", Some((Prim::Int32, false))),
            ("a Stream", Some((Prim::Stream, false))),
            // Not a primitive, or no article before it: nothing.
            ("a user object", None),
            ("the String", None),
        ] {
            let sentence = format!("{at} {what} in the response body.");
            assert_eq!(sentence_primitive(&sentence), expected, "{sentence}");
        }
        assert_eq!(sentence_primitive("returns `204 No Content`."), None);
    }

    #[test]
    fn titles() {
        // Known type names: a type name written in lower case is spelled as the type spells
        // it; other words and words with capitals are left alone.
        let types = |w: &str| match w {
            "contactfolder" => Some("contactFolder"),
            "session" => Some("session"),
            _ => None,
        };
        for (title, typed, name) in [
            ("workbook: createSession", false, "createSession"),
            ("Close Session", false, "closeSession"),
            ("Create session", false, "createSession"),
            ("Update contactfolder", false, "updateContactfolder"),
            ("Update contactfolder", true, "updateContactFolder"),
            (
                "Update ContactFolder (deprecated)",
                true,
                "updateContactFolder",
            ),
            ("Create session", true, "createSession"),
            ("resetPasscode action", false, "resetPasscode"),
            (
                "getAuditActivityTypes function",
                false,
                "getAuditActivityTypes",
            ),
            ("Create action", false, "createAction"),
            ("Run the export action", false, "runExportAction"),
            (
                "Grant an appRoleAssignment to a user",
                false,
                "grantAppRoleAssignmentToUser",
            ),
            ("Get a user", false, "getUser"),
        ] {
            let got = if typed {
                name_from_title(title, types)
            } else {
                name_from_title(title, |_| None)
            };
            assert_eq!(got.as_deref(), Some(name), "{title:?}");
        }
    }

    #[test]
    fn example_host_names_but_not_casts_or_files() {
        assert!(is_host_name("contoso.sharepoint.com"));
        assert!(is_host_name("my-site.contoso.org"));
        for seg in [
            "microsoft.graph.user",
            "microsoft.graph.com",
            "report.csv",
            "contoso.com",
            "a..com",
            "{hostname}",
        ] {
            assert!(!is_host_name(seg), "{seg}");
        }
    }

    #[test]
    fn example_ids_in_paths_become_parameters() {
        let span = Span::new(&"f".into(), 1);
        // (as written, as read, diagnostics)
        for (raw, read, said) in [
            (
                "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/CF6005FC-9e13-44a2-a6ac-a53322006454/rubric",
                "/education/classes/{class-id}/assignments/{assignment-id}/rubric",
                1,
            ),
            (
                "/domains/contoso.com/serviceConfigurationRecords",
                "/domains/{domain-id}/serviceConfigurationRecords",
                1,
            ),
            // A file name is not a domain, nor is a domain after a parameter.
            (
                "/me/drive/root:/contoso.com:/content",
                "/me/drive/root:/contoso.com:/content",
                0,
            ),
            ("/x/{id}/contoso.com", "/x/{id}/contoso.com", 0),
            (
                "/education/classes/{id}/assignmentCategories/$entity",
                "/education/classes/{id}/assignmentCategories",
                1,
            ),
            ("/policies/{id}/x-y", "/policies/{id}/x-y", 0),
        ] {
            let mut d = Diagnostics::default();
            let p = parse_path(raw, &span, "v1.0", &mut d).unwrap();
            assert_eq!(p.raw, read);
            assert_eq!(d.finish().len(), said, "{raw}");
        }
        assert_eq!(
            crate::names::singular("policies").as_deref(),
            Some("policy")
        );
        assert_eq!(crate::names::singular("batches").as_deref(), Some("batch"));
        assert_eq!(crate::names::singular("classes").as_deref(), Some("class"));
        assert!(is_guid("acdefc6b-2dc6-4e71-b1e9-6d9810ab1793"));
        assert!(!is_guid("acdefc6b-2dc6-4e71-b1e9-6d9810ab179"));
        assert!(!is_guid("acdefc6b2-dc6-4e71-b1e9-6d9810ab1793"));
        assert!(!is_guid("acdefc6b-2dc6-4e71-b1e9-6d9810ab179g"));
    }

    #[test]
    fn a_parameter_in_parentheses_is_a_parameter() {
        let span = Span::new(&"f".into(), 1);
        let mut d = Diagnostics::default();
        let p = parse_path(
            "PATCH /teams/(team-id)/channels/{channel-id}/messages/{message-id}"
                .trim_start_matches("PATCH "),
            &span,
            "v1.0",
            &mut d,
        )
        .unwrap();
        assert_eq!(
            p.raw,
            "/teams/{team-id}/channels/{channel-id}/messages/{message-id}"
        );
        assert_eq!(p.params().count(), 3);
        let said = d.finish();
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].kind, Kind::BadRequestLine);
        // An OData call's parentheses follow a name; an empty or quoted one is not a name.
        let mut d = Diagnostics::default();
        for raw in [
            "/me/drive/items/{id}/workbook/worksheets/{id}/range(address='A1')",
            "/reports/getOffice365ActiveUserCounts(period='D7')",
            "/x/()/y",
            "/x/('a')/y",
        ] {
            let p = parse_path(raw, &span, "v1.0", &mut d).unwrap();
            assert!(!p.raw.contains("{a}") && !p.raw.contains("{}"), "{}", p.raw);
        }
        assert!(d.finish().is_empty());
    }

    #[test]
    fn item_path_param() {
        let mut d = Diagnostics::default();
        let span = Span::new(&"f".into(), 1);
        let p = parse_path(
            "/me/drive/root:/{item-path}:/workbook/closeSession",
            &span,
            "v1.0",
            &mut d,
        )
        .unwrap();
        assert_eq!(p.params().collect::<Vec<_>>(), vec![("item-path", true)]);
        let p = parse_path(
            "https://graph.microsoft.com/v1.0/me/drive/items/{id}/x?$top=1",
            &span,
            "v1.0",
            &mut d,
        )
        .unwrap();
        assert_eq!(p.raw, "/me/drive/items/{id}/x");
        assert_eq!(p.params().collect::<Vec<_>>(), vec![("id", false)]);
        assert_eq!(name_from_path("POST", &p), "createX");
    }
}
