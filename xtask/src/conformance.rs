//! Conformance cases: every documented request/response example of an operation becomes a case
//! that the generated `graph-requests` API must reproduce on the wire (see
//! `crates/graph-requests/tests/conformance.rs`), or a skip with a named reason.
//!
//! A case holds the values to build the request through the generated builder (path variant and
//! parameter values, query options, headers, body) and what the server must see and answer.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::Serialize;
use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::model::{
    ApiModel, ArgType, BodyModel, ExampleMessage, ExampleModel, Operation, PathTemplate, Piece,
    Prim, TypeDef, TypeKind, TypeRef, VersionModel,
};
use crate::parse::http::Start;
use crate::span::Span;

/// Why an example is not a conformance case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// The example has no request message (a response only).
    NoRequest,
    /// The example has a request but no response message, and the operation returns a
    /// primitive value (without a response, a case answers `{}`, which only objects read).
    NoResponse,
    /// The docs mark the request or response as truncated (`"truncated": true`).
    Truncated,
    /// An example value is a type name (`"Boolean"`, `"String"`), not a value.
    PlaceholderValue,
    /// A body that is not JSON at all (text, binary, multipart, ...).
    NonJsonBody,
    /// A body meant as JSON that does not parse, even after repair.
    InvalidJson,
    /// The example URL matches none of the operation's documented paths.
    UnresolvablePath,
    /// The example URL is for the other API version.
    VersionMismatch,
    /// The operation has no generated builder.
    NotGenerated,
}

impl SkipReason {
    pub const ALL: &'static [SkipReason] = &[
        SkipReason::NoRequest,
        SkipReason::NoResponse,
        SkipReason::Truncated,
        SkipReason::PlaceholderValue,
        SkipReason::NonJsonBody,
        SkipReason::InvalidJson,
        SkipReason::UnresolvablePath,
        SkipReason::VersionMismatch,
        SkipReason::NotGenerated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NoRequest => "no-request",
            SkipReason::NoResponse => "no-response",
            SkipReason::Truncated => "truncated",
            SkipReason::PlaceholderValue => "placeholder-value",
            SkipReason::NonJsonBody => "non-json-body",
            SkipReason::InvalidJson => "invalid-json",
            SkipReason::UnresolvablePath => "unresolvable-path",
            SkipReason::VersionMismatch => "version-mismatch",
            SkipReason::NotGenerated => "not-generated",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One usable example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// `version/page/example`, unique.
    pub id: String,
    /// The operation key, see [`op_key`].
    pub op: String,
    pub version: String,
    /// Where the example request is, `file:line`.
    pub source: String,
    /// The index of the documented path the example URL matches.
    pub path: usize,
    /// The path parameter values, in template order, percent-decoded.
    pub params: Vec<String>,
    /// Query pairs of the example URL, percent-decoded, in URL order.
    pub query: Vec<(String, String)>,
    /// Documented headers and their values (the example's, or a stand-in for a required header
    /// the example leaves out).
    pub headers: Vec<(String, String)>,
    /// The request body of the example.
    pub body: Option<Value>,
    /// What the server must receive.
    pub expect: Expect,
    /// What the server answers.
    pub response: Response,
    /// Where the example disagrees with the documented operation (a docs error, also reported
    /// as a diagnostic): a failure of this case is expected and classified by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// What the generated API cannot express in this example (not a docs error): explicit
    /// `null`s in the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limitation: Option<String>,
    /// The example asks for the resource with `Prefer: return=representation` and the
    /// operation offers it: the case is sent with `send_returning`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub representation: bool,
    /// The example casts the listed collection to a derived type (`.../members/microsoft.graph.user`):
    /// the qualified name of that type; the case is sent with `cast::<T>()`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cast: Option<String>,
    /// The example asks for the number of items (`GET .../$count`): sent with `send_count()`,
    /// the server answers [`COUNT`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub count: bool,
}

/// The number the server answers a count case with (the docs show their counts, if at all,
/// as text beside the response block).
pub const COUNT: u64 = 17;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expect {
    pub method: String,
    /// The path with the version segment, percent-decoded (compared case-insensitively).
    pub path: String,
    /// Headers that must be on the wire with these values.
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: u16,
    pub body: Option<Value>,
}

/// An example that is not a case, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skip {
    pub id: String,
    pub op: String,
    pub version: String,
    pub source: Span,
    pub reason: SkipReason,
    pub detail: String,
}

/// The conformance cases of a model.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Conformance {
    /// Examples of operations, per version.
    pub found: BTreeMap<String, usize>,
    pub cases: Vec<Case>,
    pub skips: Vec<Skip>,
    /// Docs errors found while matching examples to operations.
    pub diagnostics: Vec<Diagnostic>,
}

/// The key of an operation, unique in the model: `version namespace group.name METHOD path`.
pub fn op_key(version: &str, op: &Operation) -> String {
    let path = op.paths.first().map_or("", |p| p.raw.as_str());
    format!(
        "{version} {} {}.{} {} {path}",
        op.namespace, op.group, op.name, op.method
    )
}

/// Every example of every operation → a case or a skip, sorted by id.
pub fn extract(model: &ApiModel) -> Conformance {
    let mut out = Conformance::default();
    let mut diags = Diagnostics::default();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    // Each example on its own (on every core); then ids, which depend on the examples before
    // them, in model order.
    let mut examples = Vec::new();
    for (version, vm) in &model.versions {
        for op in &vm.operations {
            let key = op_key(version, op);
            examples.extend(
                op.examples
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (version, vm, op, key.clone(), i, e)),
            );
        }
    }
    let made = examples
        .par_iter()
        .map(|&(version, vm, op, _, _, e)| {
            let mut diags = Diagnostics::default();
            (case_of(version, vm, op, e, &mut diags), diags)
        })
        .collect::<Vec<_>>();
    for ((version, _, op, key, i, e), (made, d)) in examples.into_iter().zip(made) {
        diags.extend(d);
        *out.found.entry(version.clone()).or_default() += 1;
        let id = unique_id(&mut ids, example_id(version, op, e, i));
        match made {
            Ok(mut case) => {
                case.id = id;
                case.op = key;
                out.cases.push(case);
            }
            Err((reason, detail)) => out.skips.push(Skip {
                id,
                op: key,
                version: version.clone(),
                source: example_span(e, op),
                reason,
                detail,
            }),
        }
    }
    out.cases.sort_by(|a, b| a.id.cmp(&b.id));
    out.skips.sort_by(|a, b| a.id.cmp(&b.id));
    out.diagnostics = diags.finish();
    out
}

impl Conformance {
    /// Skips per reason, in reason order.
    pub fn skip_counts(&self) -> BTreeMap<SkipReason, usize> {
        let mut m = BTreeMap::new();
        for s in &self.skips {
            *m.entry(s.reason).or_insert(0) += 1;
        }
        m
    }

    /// `conformance: N examples, U usable, S skipped (reason: n, ...)`, one line per version.
    pub fn summary(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        for (version, found) in &self.found {
            let used = self.cases.iter().filter(|c| &c.version == version).count();
            let skips: Vec<&Skip> = self
                .skips
                .iter()
                .filter(|k| &k.version == version)
                .collect();
            let mut by: BTreeMap<SkipReason, usize> = BTreeMap::new();
            for k in &skips {
                *by.entry(k.reason).or_insert(0) += 1;
            }
            let reasons: Vec<String> = by.iter().map(|(r, n)| format!("{r}: {n}")).collect();
            let _ = writeln!(
                s,
                "conformance {version}: {found} examples, {used} usable, {} skipped ({})",
                skips.len(),
                reasons.join(", ")
            );
        }
        s
    }

    /// Turns the cases of operations without a generated builder into skips.
    pub fn drop_ungenerated(&mut self, generated: impl Fn(&str) -> bool) {
        let (keep, drop): (Vec<Case>, Vec<Case>) = std::mem::take(&mut self.cases)
            .into_iter()
            .partition(|c| generated(&c.op));
        self.cases = keep;
        for c in drop {
            self.skips.push(Skip {
                id: c.id,
                op: c.op,
                version: c.version,
                source: Span::new(&c.source.as_str().into(), 1),
                reason: SkipReason::NotGenerated,
                detail: "the operation has no generated builder".to_owned(),
            });
        }
        self.skips.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

fn example_span(e: &ExampleModel, op: &Operation) -> Span {
    e.request
        .as_ref()
        .or(e.response.as_ref())
        .map(|m| m.span.clone())
        .or_else(|| op.sources.first().cloned())
        .unwrap_or_else(|| Span::new(&"?".into(), 1))
}

fn example_id(version: &str, op: &Operation, e: &ExampleModel, i: usize) -> String {
    let span = example_span(e, op);
    let file = span.file.rsplit('/').next().unwrap_or(&span.file);
    let page = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let name = e
        .name
        .clone()
        .unwrap_or_else(|| format!("example-{}", i + 1));
    format!("{version}/{page}/{name}")
}

fn unique_id(ids: &mut BTreeMap<String, usize>, id: String) -> String {
    let n = ids.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        id
    } else {
        format!("{id}#{n}")
    }
}

type Skipped = (SkipReason, String);

/// A message marked truncated is still usable when its body is JSON: the docs shorten bodies by
/// leaving properties out, which a case tolerates (the round-trip checks only what is shown).
fn unusable(msg: &ExampleMessage, what: &str) -> Result<(), Skipped> {
    if msg.truncated && msg.json.is_none() && !msg.body.trim().is_empty() {
        return Err((
            SkipReason::Truncated,
            format!("the {what} is marked truncated and its body is not JSON"),
        ));
    }
    for u in &msg.unusable {
        let reason = match u.as_str() {
            "truncated" => continue,
            "placeholder values" => SkipReason::PlaceholderValue,
            "body is not JSON" => SkipReason::NonJsonBody,
            "body is not valid JSON" => SkipReason::InvalidJson,
            _ => SkipReason::InvalidJson,
        };
        return Err((reason, format!("the {what} body: {u}")));
    }
    Ok(())
}

fn case_of(
    version: &str,
    vm: &VersionModel,
    op: &Operation,
    e: &ExampleModel,
    diags: &mut Diagnostics,
) -> Result<Case, Skipped> {
    let Some(req) = &e.request else {
        return Err((
            SkipReason::NoRequest,
            "the example has only a response".to_owned(),
        ));
    };
    let Start::Request { method, url } = &req.start else {
        return Err((
            SkipReason::NoRequest,
            "the example request has no request line".to_owned(),
        ));
    };
    unusable(req, "request")?;
    let (version_seg, path, query) = split_url(url);
    // `GET .../$count` of a list that documents `$count`: sent with `send_count()`.
    let counted = path
        .trim_end_matches('/')
        .rsplit_once('/')
        .filter(|(_, last)| last.eq_ignore_ascii_case("$count") && op.counts())
        .map(|(listed, _)| listed);
    let (status, response_body) = match &e.response {
        // Graph answers a count as text, which the docs show beside the response block if at
        // all: the server answers a number of its own, which the case reads back.
        _ if counted.is_some() => (200, Some(Value::from(COUNT))),
        Some(resp) => {
            let status = match resp.start {
                Start::Response { status, .. } => status,
                Start::Request { .. } => op.response.status,
            };
            let non_json = resp.unusable.iter().any(|u| u == "body is not JSON");
            if non_json && (op.response.ty.is_none() || status >= 300) {
                // A text or binary answer of an operation that returns nothing typed: not read.
                (status, None)
            } else {
                unusable(resp, "response")?;
                (status, resp.json.clone())
            }
        }
        None if op.response.ty.is_none() => (op.response.status, None),
        // No response shown: the request is still checked; the server answers the documented
        // status with an empty object (or page), which the documented type reads.
        None if !matches!(op.response.ty, Some(TypeRef::Prim(_))) => {
            (op.response.status, Some(Value::Object(Default::default())))
        }
        None => {
            return Err((
                SkipReason::NoResponse,
                "the example has no response and the operation returns a primitive value"
                    .to_owned(),
            ))
        }
    };
    if let Some(v) = version_seg {
        if v != version {
            diags.push(
                &req.span,
                Kind::ExampleMismatch,
                format!(
                    "the example of `{}` ({version}) calls the `{v}` endpoint: `{url}`",
                    op.name
                ),
            );
            return Err((
                SkipReason::VersionMismatch,
                format!("the example URL is for `{v}`"),
            ));
        }
    }
    // The path of the list a count counts.
    let listed = counted.unwrap_or(path);
    let resolved = match resolve_path(&op.paths, listed) {
        Some(found) => Some((found, None)),
        None => resolve_cast(vm, op, listed).map(|(found, ty)| (found, Some(ty))),
    };
    let Some(((index, params), cast)) = resolved else {
        diags.push(
            &req.span,
            Kind::ExampleMismatch,
            format!(
                "the example URL `{path}` matches none of the documented paths of `{}`",
                op.name
            ),
        );
        return Err((
            SkipReason::UnresolvablePath,
            format!("`{path}` matches no documented path"),
        ));
    };
    let mut headers = Vec::new();
    let mut expect_headers = Vec::new();
    for h in &op.headers {
        match req
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&h.name))
        {
            Some((_, v)) => {
                headers.push((h.name.clone(), v.clone()));
                expect_headers.push((h.name.clone(), v.clone()));
            }
            None if h.required => headers.push((h.name.clone(), "conformance".to_owned())),
            None => {}
        }
    }
    let representation = op.response.representation.is_some()
        && req.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("prefer")
                && v.to_ascii_lowercase().contains("return=representation")
        });
    if representation
        && !expect_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("prefer"))
    {
        expect_headers.push(("Prefer".to_owned(), "return=representation".to_owned()));
    }
    let query = normalize_query(op, query, &req.span, diags);
    let cast_type = cast.map(|t| TypeRef::Named(t.name.clone()));
    let answer = Answer {
        status,
        body: response_body.as_ref(),
        representation,
        cast: cast_type.as_ref(),
        count: counted.is_some(),
    };
    let mut findings = findings(vm, op, req, &query, &answer);
    findings.extend(argument_findings(&op.paths[index], &params));
    for f in &findings {
        let span = if f.starts_with("the example response") {
            e.response.as_ref().map_or(&req.span, |r| &r.span)
        } else {
            &req.span
        };
        diags.push(span, Kind::ExampleMismatch, format!("`{}`: {f}", op.name));
    }
    Ok(Case {
        finding: (!findings.is_empty()).then(|| findings.join("; ")),
        limitation: req.json.as_ref().and_then(explicit_nulls),
        representation,
        cast: cast.map(|t| t.name.clone()),
        count: counted.is_some(),
        id: String::new(),
        op: String::new(),
        version: version.to_owned(),
        source: req.span.to_string(),
        path: index,
        params,
        query,
        headers,
        body: req.json.clone(),
        expect: Expect {
            method: method.to_ascii_uppercase(),
            path: format!("/{version}{}", percent_decode(path)),
            headers: expect_headers,
        },
        response: Response {
            status,
            body: response_body,
        },
    })
}

/// OData system query options, which the docs sometimes write without `$`.
const ODATA: &[&str] = &[
    "$select",
    "$expand",
    "$filter",
    "$orderby",
    "$top",
    "$skip",
    "$count",
    "$search",
    "$format",
    "$skiptoken",
];

/// `select=...` → `$select=...` (with a diagnostic: the docs left out the `$`).
fn normalize_query(
    op: &Operation,
    query: Vec<(String, String)>,
    span: &Span,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    query
        .into_iter()
        .map(|(k, v)| {
            let dollar = format!("${}", k.to_ascii_lowercase());
            let documented = op.query.iter().any(|q| q.name.eq_ignore_ascii_case(&k));
            if !k.starts_with('$') && !documented && ODATA.contains(&dollar.as_str()) {
                diags.push(
                    span,
                    Kind::ExampleMismatch,
                    format!(
                        "`{}`: the example writes the OData option `{k}` without `$`",
                        op.name
                    ),
                );
                (dollar, v)
            } else {
                (k, v)
            }
        })
        .collect()
}

/// The answer of an example: its status, its body, and whether its request asked for the
/// resource with `Prefer: return=representation`.
struct Answer<'a> {
    status: u16,
    body: Option<&'a Value>,
    representation: bool,
    /// The derived type the example casts the listed collection to.
    cast: Option<&'a TypeRef>,
    /// The example asks for a count: the answer is a number, not the documented response.
    count: bool,
}

/// Where the example disagrees with the documented operation (query options, body and
/// response shapes and value types).
/// Values an example writes for a typed function argument that are not of that type
/// (`worksheet/cell(row=<row>,column=<column>)`, whose page types both as `Int32`).
fn argument_findings(path: &PathTemplate, values: &[String]) -> Vec<String> {
    path.params()
        .zip(path.param_types())
        .zip(values)
        .filter_map(|(((name, _), ty), v)| {
            let v = v.trim();
            let (fits, what) = match ty {
                ArgType::Text => (true, ""),
                ArgType::Int32 => (v.parse::<i32>().is_ok(), "a 32-bit integer"),
                ArgType::Int64 => (v.parse::<i64>().is_ok(), "a 64-bit integer"),
                ArgType::Float => (v.parse::<f64>().is_ok(), "a number"),
                ArgType::Bool => (v.parse::<bool>().is_ok(), "a boolean"),
            };
            (!fits).then(|| {
                format!("the example writes `{v}` for the function argument `{name}`, which the page types as {what}")
            })
        })
        .collect()
}

fn findings(
    vm: &VersionModel,
    op: &Operation,
    req: &ExampleMessage,
    query: &[(String, String)],
    answer: &Answer,
) -> Vec<String> {
    let (status, response) = (answer.status, answer.body);
    // What the documented operation answers to this request.
    let (documented, collection) = if answer.representation {
        (op.response.representation.as_ref(), false)
    } else if answer.cast.is_some() {
        (answer.cast, true)
    } else {
        (op.response.ty.as_ref(), op.response.collection)
    };
    let mut out = Vec::new();
    for (k, _) in query {
        if !op.query.iter().any(|q| q.name.eq_ignore_ascii_case(k)) {
            out.push(format!(
                "the example uses the query option `{k}`, which the page does not document"
            ));
        }
    }
    let non_empty = |v: &Value| match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        _ => true,
    };
    match (&op.body, &req.json) {
        (None, Some(json)) if non_empty(json) => {
            out.push("the example sends a body, but the page documents no request body".to_owned())
        }
        (Some(BodyModel::Type { ty }), Some(json)) => {
            type_check(vm, json, ty, "the example request body", "", &mut out)
        }
        (Some(BodyModel::Parameters { type_name }), Some(json)) => type_check(
            vm,
            json,
            &TypeRef::Named(type_name.clone()),
            "the example request body",
            "",
            &mut out,
        ),
        _ => {}
    }
    if status < 300 && !answer.count {
        match (documented, response) {
            (None, Some(json)) if non_empty(json) => out.push(format!(
                "the example response has a body, but the page documents no response body (`{}`)",
                op.response.status
            )),
            // Another page of the operation, or another example, answers `204 No Content`.
            (Some(_), None) if op.response.or_no_content => {}
            (Some(ty), None) => out.push(format!(
                "the example response {status} has no body, but the page documents a `{}` response",
                type_name(ty, collection)
            )),
            (Some(ty), Some(json)) => {
                let what = "the example response";
                match (collection, ty) {
                    (true, _) => match json.get("value") {
                        Some(items) => {
                            const PAGE: &[&str] = &[
                                "value",
                                "@odata.nextLink",
                                "@odata.deltaLink",
                                "@odata.count",
                                "@odata.context",
                            ];
                            let extra: Vec<&String> = json
                                .as_object()
                                .into_iter()
                                .flat_map(|m| m.keys())
                                .filter(|k| !PAGE.contains(&k.as_str()))
                                .collect();
                            if !extra.is_empty() {
                                out.push(format!("{what} puts {} next to the collection's `value`, where a page has none", extra.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")));
                            }
                            type_check(
                                vm,
                                items,
                                &TypeRef::Collection(Box::new(ty.clone())),
                                what,
                                "/value",
                                &mut out,
                            )
                        }
                        None => out.push(format!(
                            "{what} is a single value, but the page documents a collection of `{}`",
                            type_name(ty, false)
                        )),
                    },
                    (false, TypeRef::Prim(_)) => match json.get("value") {
                        Some(v) => type_check(vm, v, ty, what, "/value", &mut out),
                        None => out.push(format!(
                            "{what} does not wrap the `{}` in `value`",
                            type_name(ty, false)
                        )),
                    },
                    (false, _) => type_check(vm, json, ty, what, "", &mut out),
                }
            }
            _ => {}
        }
    }
    out
}

/// Explicit `null`s in a request body: the generated types leave an unset `Option` out, so
/// they cannot send one (which a `PATCH` uses to clear a property).
fn explicit_nulls(v: &Value) -> Option<String> {
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Null => out.push(if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            }),
            Value::Object(m) => m
                .iter()
                .for_each(|(k, v)| walk(v, &format!("{path}/{k}"), out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, &format!("{path}/{i}"), out)),
            _ => {}
        }
    }
    let mut nulls = Vec::new();
    walk(v, "", &mut nulls);
    (!nulls.is_empty()).then(|| {
        format!(
            "the example sends explicit nulls ({}), which the generated body types leave out",
            nulls.join(", ")
        )
    })
}

fn type_name(t: &TypeRef, collection: bool) -> String {
    let inner = match t {
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Named(n) => n.rsplit('.').next().unwrap_or(n).to_owned(),
        TypeRef::Collection(i) => return type_name(i, true),
        TypeRef::Json => "JSON".to_owned(),
    };
    if collection {
        format!("{inner} collection")
    } else {
        inner
    }
}

/// Checks a JSON value against a documented type the way the generated serde types read it;
/// each disagreement is a message naming the JSON pointer.
fn type_check(
    vm: &VersionModel,
    v: &Value,
    t: &TypeRef,
    what: &str,
    path: &str,
    out: &mut Vec<String>,
) {
    type_check_at(vm, v, t, what, &mut path.to_owned(), out);
}

/// [`type_check`] at the JSON pointer `path`, which grows by a segment for each level it goes
/// down and is cut back after it.
fn type_check_at(
    vm: &VersionModel,
    v: &Value,
    t: &TypeRef,
    what: &str,
    path: &mut String,
    out: &mut Vec<String>,
) {
    if out.len() >= 3 || v.is_null() {
        return;
    }
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    let at = if path.is_empty() { "/" } else { path.as_str() };
    let mut wrong = |expected: &str| {
        out.push(format!(
            "{what} has {} at `{at}`, the documented type is `{expected}`",
            kind(v)
        ))
    };
    match t {
        TypeRef::Json => {}
        TypeRef::Prim(p) => {
            let ok = match p {
                Prim::Boolean => v.is_boolean(),
                Prim::Byte | Prim::Int16 | Prim::Int32 | Prim::Int64 => v.is_i64() || v.is_u64(),
                Prim::Single | Prim::Double | Prim::Decimal => v.is_number(),
                _ => v.is_string(),
            };
            if !ok {
                wrong(&type_name(t, false));
            }
        }
        TypeRef::Collection(inner) => match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    let _ = write!(path, "/{i}");
                    type_check_at(vm, item, inner, what, path, out);
                    path.truncate(len);
                }
            }
            _ => wrong(&type_name(t, false)),
        },
        TypeRef::Named(n) => match vm.types.get(n).map(|d| &d.kind) {
            None => {}
            Some(TypeKind::Enum { .. }) if !v.is_string() => wrong(&type_name(t, false)),
            Some(TypeKind::Enum { .. }) => {}
            Some(TypeKind::Struct { .. }) => {
                let Value::Object(map) = v else {
                    wrong(&type_name(t, false));
                    return;
                };
                for (k, item) in map {
                    if let Some((_, p)) = vm.property(n, k) {
                        let len = path.len();
                        path.push('/');
                        path.push_str(k);
                        type_check_at(vm, item, &p.ty, what, path, out);
                        path.truncate(len);
                    }
                }
            }
        },
    }
}

/// `https://graph.microsoft.com/v1.0/me/x?$top=1` → (`Some("v1.0")`, `/me/x`, `[("$top", "1")]`).
pub fn split_url(url: &str) -> (Option<&str>, &str, Vec<(String, String)>) {
    let mut rest = url.trim();
    if let Some(r) = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))
    {
        rest = r.find('/').map_or("", |i| &r[i..]);
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.split('#').next().unwrap_or(path);
    let mut version = None;
    let mut path = if path.starts_with('/') {
        path
    } else {
        path.trim_start_matches('/')
    };
    // The version segment in any case (`/V1.0/teams/...`, as some examples write it).
    for v in ["v1.0", "beta"] {
        let p = path.strip_prefix('/').unwrap_or(path);
        let r = p
            .get(..v.len())
            .filter(|head| head.eq_ignore_ascii_case(v))
            .map(|_| &p[v.len()..]);
        if let Some(r) = r {
            if r.is_empty() || r.starts_with('/') {
                version = Some(v);
                path = r;
                break;
            }
        }
    }
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    (version, path, pairs)
}

/// An example URL that is a documented list path with a type cast segment after it
/// (`/groups/{id}/members/microsoft.graph.user`): the documented path it matches, and the type
/// cast to, which must derive from the type the operation lists.
fn resolve_cast<'a>(
    vm: &'a VersionModel,
    op: &Operation,
    path: &str,
) -> Option<((usize, Vec<String>), &'a TypeDef)> {
    let listed = op.listed_type()?;
    let (rest, segment) = path.trim_end_matches('/').rsplit_once('/')?;
    let ty = vm.types.get(segment).or_else(|| {
        vm.types
            .values()
            .find(|t| t.name.eq_ignore_ascii_case(segment))
    })?;
    if ty.request_body || !vm.ancestors(ty).iter().any(|b| b.name == listed) {
        return None;
    }
    Some((resolve_path(&op.paths, rest)?, ty))
}

/// The documented path an example path matches (the one with the most literal text) and its
/// parameter values, percent-decoded.
pub fn resolve_path(paths: &[PathTemplate], path: &str) -> Option<(usize, Vec<String>)> {
    let path = path.trim_end_matches('/');
    let mut best: Option<(usize, usize, Vec<String>)> = None;
    for (i, t) in paths.iter().enumerate() {
        let mut values = Vec::new();
        if match_pieces(&t.pieces, path, &mut values) {
            let lit: usize = t
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Lit { text } => text.len(),
                    Piece::Param { .. } => 0,
                })
                .sum();
            if best.as_ref().is_none_or(|b| lit > b.0) {
                best = Some((lit, i, values.iter().map(|v| percent_decode(v)).collect()));
            }
        }
    }
    best.map(|(_, i, v)| (i, v))
}

fn match_pieces<'a>(pieces: &[Piece], s: &'a str, out: &mut Vec<&'a str>) -> bool {
    match pieces.split_first() {
        None => s.is_empty(),
        Some((Piece::Lit { text }, rest)) => {
            let text = if rest.is_empty() {
                text.trim_end_matches('/')
            } else {
                text.as_str()
            };
            s.len() >= text.len()
                && s.is_char_boundary(text.len())
                && s[..text.len()].eq_ignore_ascii_case(text)
                && match_pieces(rest, &s[text.len()..], out)
        }
        Some((Piece::Param { item_path, .. }, rest)) => {
            for end in 1..=s.len() {
                if !s.is_char_boundary(end) {
                    continue;
                }
                let v = &s[..end];
                if !item_path && v.ends_with('/') {
                    break;
                }
                out.push(v);
                if match_pieces(rest, &s[end..], out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}

/// Decodes `%XX` escapes (invalid escapes and non-UTF-8 results are kept as written).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(raw: &str) -> PathTemplate {
        let mut pieces = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}').unwrap();
            let before = &rest[..open];
            if !before.is_empty() {
                pieces.push(Piece::Lit {
                    text: before.to_owned(),
                });
            }
            let item_path = before.ends_with(":/");
            pieces.push(Piece::Param {
                name: rest[open + 1..close].to_owned(),
                item_path,
                ty: Default::default(),
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Lit {
                text: rest.to_owned(),
            });
        }
        PathTemplate {
            raw: raw.to_owned(),
            pieces,
            span: Span::new(&"t".into(), 1),
        }
    }

    #[test]
    fn urls() {
        let (v, p, q) = split_url(
            "https://graph.microsoft.com/v1.0/me/events?$select=subject,body&$filter=a%20eq%201",
        );
        assert_eq!(v, Some("v1.0"));
        assert_eq!(p, "/me/events");
        assert_eq!(
            q,
            vec![
                ("$select".to_owned(), "subject,body".to_owned()),
                ("$filter".to_owned(), "a eq 1".to_owned())
            ]
        );
        assert_eq!(split_url("/beta/me").0, Some("beta"));
        assert_eq!(
            split_url("/V1.0/teams/x"),
            (Some("v1.0"), "/teams/x", vec![])
        );
        assert_eq!(split_url("GET /me").1, "GET /me");
        assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
    }

    #[test]
    fn paths() {
        let paths = vec![
            template("/me/drive/items/{id}/workbook/closeSession"),
            template("/me/drive/root:/{item-path}:/workbook/closeSession"),
            template("/users/{id | userPrincipalName}/drive/items/{item-id}/workbook/closeSession"),
        ];
        assert_eq!(
            resolve_path(&paths, "/me/drive/items/01AB/workbook/closeSession"),
            Some((0, vec!["01AB".into()]))
        );
        assert_eq!(
            resolve_path(
                &paths,
                "/me/drive/root:/a/b%20c.xlsx:/workbook/closeSession"
            ),
            Some((1, vec!["a/b c.xlsx".into()]))
        );
        assert_eq!(
            resolve_path(
                &paths,
                "/USERS/x@y.com/drive/items/{id}/workbook/closeSession/"
            ),
            Some((2, vec!["x@y.com".into(), "{id}".into()]))
        );
        assert_eq!(
            resolve_path(&paths, "/me/drive/items/a/b/workbook/closeSession"),
            None
        );
        let fns = vec![template(
            "/reports/getEmailActivityCounts(period='{period_value}')",
        )];
        assert_eq!(
            resolve_path(&fns, "/reports/getEmailActivityCounts(period='D7')"),
            Some((0, vec!["D7".into()]))
        );
    }
}
