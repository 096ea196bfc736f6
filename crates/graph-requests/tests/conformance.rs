//! Every documented example is a conformance test.
//!
//! `cargo xtask codegen` turns each usable request/response example of the API reference into a
//! case in `conformance/cases.json` and writes `conformance/generated.rs`, whose `dispatch`
//! builds a case's request through the generated API (path, required headers, optional header
//! setters, OData setters, the body decoded into the generated body type). This harness sends
//! every case to one local wiremock server answering with the example's status and body, and
//! checks:
//!
//! - the wire request: method, path (percent-decoded, case-insensitive), query pairs (decoded,
//!   in any order), the documented headers the example shows, and the JSON body (as JSON
//!   values, numbers compared numerically);
//! - the response: it decodes into the documented type, and encoding it again loses no property
//!   present in the example (`null`s and the top-level `@odata.context` aside); an example error
//!   status must come back as that API error.
//!
//! The summary (cases, passing, failing by category) is printed and written to
//! `target/conformance-summary.txt`; the test fails when fewer than 90% of the compiled `v1.0`
//! cases pass. Set `CONFORMANCE_VERBOSE=1` to list every failure, `CONFORMANCE_FILTER=text` to
//! run only the cases whose id contains `text`.

// With API-area features off, `dispatch` has no arms and the helpers it calls are unused.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;

use graph_requests::runtime::{Page, RetryPolicy};
use graph_requests::{Client, Error};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[rustfmt::skip]
#[path = "conformance/generated.rs"]
mod generated;

/// Where redirects of the examples lead.
const REDIRECTED: &str = "/conformance-redirected";

/// The pass rate `v1.0` cases must reach.
const TARGET: f64 = 0.90;

#[derive(Deserialize)]
struct Data {
    cases: Vec<Case>,
}

/// One example, as written by `cargo xtask codegen`.
#[derive(Debug, Deserialize)]
pub struct Case {
    id: String,
    pub op: String,
    version: String,
    source: String,
    pub path: usize,
    params: Vec<String>,
    pub query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    pub body: Option<Value>,
    expect: Expect,
    response: Response,
    /// A docs error the generator found in this example: a failure is expected.
    #[serde(default)]
    finding: Option<String>,
    /// What the generated API cannot express in this example: a failure is expected.
    #[serde(default)]
    limitation: Option<String>,
    /// The example asks for the resource with `Prefer: return=representation`: sent with
    /// `send_returning`.
    #[serde(default)]
    pub representation: bool,
    /// The example casts the listed collection to this derived type: sent with `cast::<T>()`.
    #[serde(default)]
    pub cast: Option<String>,
    /// The example asks for the number of items (`GET .../$count`): sent with `send_count()`.
    #[serde(default)]
    pub count: bool,
}

#[derive(Debug, Deserialize)]
struct Expect {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct Response {
    status: u16,
    body: Option<Value>,
}

impl Case {
    /// The value of the `i`th path parameter.
    pub fn param(&self, i: usize) -> Result<&str, Fail> {
        self.params.get(i).map(String::as_str).ok_or(Fail::Path)
    }

    /// The value of the `i`th path parameter read as a number or a boolean (a function's
    /// typed argument: `cell(row=5,column=6)`).
    pub fn parsed<T: std::str::FromStr>(&self, i: usize) -> Result<T, Fail> {
        self.param(i)?.trim().parse().map_err(|_| Fail::Path)
    }

    /// The value of a required header (a stand-in when the example does not show it).
    pub fn header(&self, name: &str) -> &str {
        self.optional_header(name).unwrap_or("conformance")
    }

    /// The value of a required query parameter, which the example must show.
    pub fn required_query(&self, name: &str) -> Result<&str, Fail> {
        named(&self.query, name).ok_or_else(|| Fail::MissingQuery(name.to_owned()))
    }

    /// The value of an optional header, when the example shows it.
    pub fn optional_header(&self, name: &str) -> Option<&str> {
        named(&self.headers, name)
    }

    /// The example body decoded into the generated body type (`{}` when the example has none).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Fail> {
        let value = self.body.clone().unwrap_or_else(|| json!({}));
        serde_json::from_value(value).map_err(|e| Fail::BodyDecode(e.to_string()))
    }
}

/// Why a case could not be sent.
#[derive(Debug)]
pub enum Fail {
    /// The operation is not compiled in (its feature is off).
    NotCompiled,
    /// The case's path variant or parameters do not fit the generated path.
    Path,
    /// A query option the builder has no setter for.
    Query(String),
    /// A required query parameter that the example does not give.
    MissingQuery(String),
    /// The example body does not decode into the generated body type.
    BodyDecode(String),
}

/// The value of the first of `(name, value)` pairs named `name`, in any case.
fn named<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request being sent; its response encoded again as JSON.
pub type Run = Pin<Box<dyn Future<Output = graph_requests::Result<Value>>>>;

/// Sends through the generated `send` and encodes the typed response with `enc`.
pub fn run<T: 'static, F>(send: F, enc: fn(T) -> Value) -> Run
where
    F: Future<Output = graph_requests::Result<T>> + 'static,
{
    Box::pin(async move { send.await.map(enc) })
}

/// The number of items of a `GET .../$count`.
pub fn count_of(count: u64) -> Value {
    Value::from(count)
}

/// A single typed value.
pub fn json_of<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A primitive that Graph wraps as `{"value": ...}`.
pub fn value_of<T: Serialize>(value: T) -> Value {
    json!({ "value": json_of(value) })
}

/// A page of a collection, with its annotations.
pub fn page_of<T: Serialize>(page: Page<T>) -> Value {
    let mut m = Map::new();
    m.insert("value".into(), json_of(&page.value));
    let links = [
        ("@odata.nextLink", page.next_link.map(Value::from)),
        ("@odata.deltaLink", page.delta_link.map(Value::from)),
        ("@odata.count", page.count.map(Value::from)),
        ("@odata.context", page.context.map(Value::from)),
    ];
    for (k, v) in links {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    Value::Object(m)
}

/// No response body.
pub fn unit_of(_: ()) -> Value {
    Value::Null
}

/// Downloaded content (after a redirect): not JSON.
pub fn bytes_of(_: bytes::Bytes) -> Value {
    Value::Null
}

/// The outcome of one case: `None` when it passes, else a failure category and a detail.
type Outcome = Option<(&'static str, String)>;

#[tokio::test]
async fn documented_examples_conform() {
    let started = std::time::Instant::now();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance/cases.json");
    let data: Data = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let filter = std::env::var("CONFORMANCE_FILTER").ok();
    let verbose = std::env::var_os("CONFORMANCE_VERBOSE").is_some();
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("conformance")
        .retry_policy(RetryPolicy::none())
        .ignore_cloud_availability()
        .build()
        .unwrap();

    // Per version: compiled cases, passing cases; failures by category; not compiled.
    let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut not_compiled = 0;
    let mut unclassified = 0;
    let mut limitations = 0;
    for case in &data.cases {
        if filter.as_deref().is_some_and(|f| !case.id.contains(f)) {
            continue;
        }
        server.reset().await;
        let mut answer = ResponseTemplate::new(case.response.status);
        if let Some(body) = &case.response.body {
            answer = answer.set_body_json(body);
        }
        if (300..400).contains(&case.response.status) {
            // A redirect (e.g. a report's `302 Found` to its download): the client follows
            // `Location`, which answers the content.
            answer = answer.insert_header("Location", format!("{}{REDIRECTED}", server.uri()));
            Mock::given(path(REDIRECTED))
                .respond_with(ResponseTemplate::new(200))
                .with_priority(1)
                .mount(&server)
                .await;
        }
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let sent = match generated::dispatch(&client, case) {
            Err(Fail::NotCompiled) => {
                not_compiled += 1;
                continue;
            }
            Err(f) => Err(f),
            Ok(run) => Ok(run.await),
        };
        let received = server.received_requests().await.unwrap_or_default();
        let outcome = check(case, sent, &received);
        let t = totals.entry(case.version.as_str()).or_default();
        t.0 += 1;
        match outcome {
            None => t.1 += 1,
            Some((category, detail)) => {
                let line = match (&case.finding, &case.limitation) {
                    (Some(f), _) => format!(
                        "{} ({}): {detail}\n      docs error: {f}",
                        case.id, case.source
                    ),
                    (None, Some(l)) => {
                        limitations += 1;
                        format!(
                            "{} ({}): {detail}\n      generator limitation: {l}",
                            case.id, case.source
                        )
                    }
                    (None, None) => {
                        unclassified += 1;
                        format!(
                            "{} ({}): {detail}\n      UNCLASSIFIED",
                            case.id, case.source
                        )
                    }
                };
                failures.entry(category).or_default().push(line);
            }
        }
    }

    let mut summary = String::new();
    let _ = writeln!(
        summary,
        "conformance: {} cases in cases.json",
        data.cases.len()
    );
    for (version, (n, ok)) in &totals {
        let _ = writeln!(
            summary,
            "  {version}: {n} run, {ok} pass, {} fail ({:.1}% pass)",
            n - ok,
            100.0 * *ok as f64 / (*n).max(1) as f64
        );
    }
    let failed: usize = failures.values().map(Vec::len).sum();
    let _ = writeln!(
        summary,
        "  failures: {failed} ({} classified as docs errors, {limitations} generator limitations, \
         {unclassified} unclassified)",
        failed - unclassified - limitations
    );
    if not_compiled > 0 {
        let _ = writeln!(summary, "  not compiled (feature off): {not_compiled}");
    }
    let _ = writeln!(summary, "failures by category:");
    for (category, list) in &failures {
        let docs = list
            .iter()
            .filter(|l| l.contains("\n      docs error: "))
            .count();
        let limited = list
            .iter()
            .filter(|l| l.contains("\n      generator limitation: "))
            .count();
        let _ = writeln!(
            summary,
            "  {category}: {} ({docs} docs errors, {limited} generator limitations)",
            list.len()
        );
        let shown = if verbose { list.len() } else { 5 };
        for f in list.iter().take(shown) {
            let _ = writeln!(summary, "    {f}");
        }
    }
    let _ = writeln!(summary, "took {:.1?}", started.elapsed());
    println!("{summary}");
    let out = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/conformance-summary.txt"
    );
    let _ = std::fs::write(out, &summary);

    if filter.is_none() {
        let (n, ok) = totals.get("v1.0").copied().unwrap_or_default();
        if n > 0 {
            let rate = ok as f64 / n as f64;
            assert!(
                rate >= TARGET,
                "{:.1}% of the v1.0 cases pass, below {:.0}%\n{summary}",
                100.0 * rate,
                100.0 * TARGET
            );
        }
    }
}

fn check(
    case: &Case,
    sent: Result<graph_requests::Result<Value>, Fail>,
    received: &[wiremock::Request],
) -> Outcome {
    let response = match sent {
        Err(Fail::BodyDecode(e)) => {
            return Some(("request-body-decode", e));
        }
        Err(Fail::Query(q)) => return Some(("query-option-without-setter", q)),
        Err(Fail::MissingQuery(q)) => return Some(("required-query-missing", q)),
        Err(f) => return Some(("build", format!("{f:?}"))),
        Ok(r) => r,
    };
    let Some(req) = received.first() else {
        return Some(("not-sent", format!("{:?}", response.err())));
    };
    // Method.
    if !req
        .method
        .as_str()
        .eq_ignore_ascii_case(&case.expect.method)
    {
        return Some((
            "method",
            format!("sent {}, expected {}", req.method, case.expect.method),
        ));
    }
    // Path.
    let got = percent_encoding::percent_decode_str(req.url.path())
        .decode_utf8_lossy()
        .into_owned();
    // A trailing slash is not significant (the docs write some paths with one).
    let want = case.expect.path.trim_end_matches('/');
    if !got.trim_end_matches('/').eq_ignore_ascii_case(want) {
        return Some(("path", format!("sent {got}, expected {}", case.expect.path)));
    }
    // Query. OData's system query options are named case-insensitively (OData 4.01, URL
    // conventions 5.1; the docs write `$orderBy`, the API sends `$orderby`); other names as sent.
    let odata_name = |k: String| {
        if k.starts_with('$') {
            k.to_ascii_lowercase()
        } else {
            k
        }
    };
    let mut got_q: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (odata_name(k.into_owned()), v.into_owned()))
        .collect();
    let mut want_q: Vec<(String, String)> = case
        .query
        .iter()
        .map(|(k, v)| (odata_name(k.clone()), v.clone()))
        .collect();
    got_q.sort();
    want_q.sort();
    if got_q != want_q {
        return Some(("query", format!("sent {got_q:?}, expected {want_q:?}")));
    }
    // Headers.
    for (name, value) in &case.expect.headers {
        let got = req.headers.get(name.as_str()).and_then(|v| v.to_str().ok());
        if got != Some(value.as_str()) {
            return Some((
                "header",
                format!("{name}: sent {got:?}, expected {value:?}"),
            ));
        }
    }
    // Body.
    if let Some(want) = &case.body {
        let got: Option<Value> = serde_json::from_slice(&req.body).ok();
        let empty = want.as_object().is_some_and(Map::is_empty);
        let got = match got {
            Some(got) => got,
            // `{}` in the docs for "no body" (e.g. `Content-length: 0`).
            None if empty => json!({}),
            None => return Some(("request-body-missing", "no JSON body was sent".to_owned())),
        };
        let mut diffs = Vec::new();
        diff(want, &got, "", &mut diffs);
        if !diffs.is_empty() {
            let only_nulls = diffs.iter().all(|d| d.ends_with("(null)"));
            let category = if only_nulls {
                "request-body-null-dropped"
            } else {
                "request-body"
            };
            return Some((category, diffs.join("; ")));
        }
    }
    // Response.
    let status = case.response.status;
    match response {
        Err(e) if status >= 400 => match e.status() {
            Some(s) if s.as_u16() == status => None,
            _ => Some((
                "error-status",
                format!("expected a {status} API error, got {e}"),
            )),
        },
        Ok(v) if status >= 400 => Some((
            "error-status",
            format!("expected a {status} API error, got {v}"),
        )),
        Err(Error::Decode { source, .. }) => Some(("response-decode", source.to_string())),
        Err(e) => Some(("response-error", e.to_string())),
        Ok(got) => {
            let Some(want) = &case.response.body else {
                return None;
            };
            let mut lost = Vec::new();
            missing(want, &got, "", &mut lost);
            if lost.is_empty() {
                None
            } else {
                Some(("response-round-trip", format!("lost {}", lost.join(", "))))
            }
        }
    }
}

/// Differences between the expected and the sent JSON, as `path: what`.
fn diff(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}/{k}");
                match g.get(k) {
                    Some(gv) => diff(wv, gv, &p, out),
                    None if wv.is_null() => out.push(format!("{p}: not sent (null)")),
                    None => out.push(format!("{p}: not sent")),
                }
            }
            for k in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{path}/{k}: sent, not in the example"));
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                diff(wv, gv, &format!("{path}/{i}"), out);
            }
        }
        (Value::Number(w), Value::Number(g)) if w.as_f64() == g.as_f64() => {}
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{path}: sent {g}, expected {w}")),
    }
}

/// Properties of the example response that the re-encoded value lacks.
fn missing(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), _) if w.is_empty() => {}
        (Value::Array(w), _) if w.is_empty() => {}
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                if wv.is_null() || (path.is_empty() && k == "@odata.context") {
                    continue;
                }
                let p = format!("{path}/{k}");
                match g.get(k) {
                    Some(gv) => missing(wv, gv, &p, out),
                    None => out.push(p),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            for (i, wv) in w.iter().enumerate() {
                match g.get(i) {
                    Some(gv) => missing(wv, gv, &format!("{path}/{i}"), out),
                    None => out.push(format!("{path}/{i}")),
                }
            }
        }
        (Value::Object(_) | Value::Array(_), _) => {
            out.push(format!(
                "{}(whole value)",
                if path.is_empty() { "/" } else { path }
            ));
        }
        _ => {}
    }
}
