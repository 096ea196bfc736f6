//! `graph-requests/tests/conformance/`: the conformance cases as data (`cases.json`) and one
//! generated dispatch function (`generated.rs`) that builds each case's request through the
//! generated API. The hand-written harness `tests/conformance.rs` runs them against wiremock.
//!
//! The builder names are not recomputed here: `requests.rs` returns the names it gave to every
//! group and operation ([`Recorded`]).

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::code::{list, lit, Code};
use super::Sink;
use crate::conformance::{self, Conformance};
use crate::model::{ApiModel, BodyModel, Operation, TypeRef};
use crate::names;

/// The names of one emitted operation. Its module path is given as names (`version_mod`,
/// `ns_mods`, `group` as in the model); the rest are identifiers as written in the code (raw
/// where they are keywords), ready to be written again.
#[derive(Debug, Clone, Default)]
pub struct OpNames {
    pub version_mod: String,
    pub ns_mods: Vec<String>,
    pub group: String,
    /// The method on the group handle.
    pub method: String,
    /// Arguments of the operation method, without `&self`.
    pub args: usize,
    /// The path enum and its constructors, in path order, when there are several paths.
    pub path_enum: Option<(String, Vec<String>)>,
    /// Optional headers: (header name, setter).
    pub headers: Vec<(String, String)>,
    /// Query options and parameters: (name, setter).
    pub query: Vec<(String, String)>,
    /// Required query parameters, arguments of the method after the required headers.
    pub required_query: Vec<String>,
    pub body_setter: bool,
    /// The API area (cargo feature) the operation is behind.
    pub area: String,
}

/// What `requests.rs` emitted.
#[derive(Debug, Default)]
pub struct Recorded {
    /// (version, namespace modules, group) → (module, accessor).
    pub groups: BTreeMap<(String, Vec<String>, String), (String, String)>,
    /// Operations by [`conformance::op_key`].
    pub ops: BTreeMap<String, OpNames>,
}

/// Writes `cases.json` and `generated.rs` for the cases that [`conformance::extract`] found into
/// `sink` (rooted at `crates/graph-requests/tests/conformance/`), and returns the conformance
/// figures. Cases of operations without a recorded builder become `not-generated` skips.
pub fn emit(
    mut conf: Conformance,
    texts: Vec<String>,
    model: &ApiModel,
    recorded: &Recorded,
    types: &Types,
    sink: &mut Sink,
) -> anyhow::Result<Conformance> {
    let with_cases: std::collections::BTreeSet<&str> =
        conf.cases.iter().map(|c| c.op.as_str()).collect();
    // How the cases of each operation send other than with `send()`: the derived types they
    // cast its collection to (if any), and whether they count.
    let mut sends: BTreeMap<&str, BTreeSet<(Option<&str>, bool)>> = BTreeMap::new();
    for c in conf.cases.iter().filter(|c| c.cast.is_some() || c.count) {
        sends
            .entry(c.op.as_str())
            .or_default()
            .insert((c.cast.as_deref(), c.count));
    }
    // The operations that have cases and a recorded builder, in model order; their arms are
    // written on every core and put back in that order.
    let mut jobs = Vec::new();
    for (version, vm) in &model.versions {
        for op in &vm.operations {
            let key = conformance::op_key(version, op);
            if !with_cases.contains(key.as_str()) {
                continue;
            }
            let Some(names) = recorded.ops.get(&key) else {
                continue;
            };
            let Some(group) =
                recorded
                    .groups
                    .get(&(version.clone(), names.ns_mods.clone(), names.group.clone()))
            else {
                continue;
            };
            let other: Vec<OtherSend> = sends
                .get(key.as_str())
                .into_iter()
                .flatten()
                .filter_map(|&(cast, count)| {
                    let cast = match cast {
                        None => None,
                        Some(t) => Some(Cast {
                            odata_type: t.to_owned(),
                            path: types.layout.path("graph_requests::models", version, t)?,
                            cfg: super::cfg(types.areas.get(version)?.types.get(t)?),
                        }),
                    };
                    Some(OtherSend { cast, count })
                })
                .collect();
            jobs.push((op, key, names, group, other));
        }
    }
    let written = jobs
        .par_iter()
        .map(|(op, key, names, group, other)| {
            let mut arms = Code::with_depth(2);
            let mut fns = Code::new();
            arm(&mut arms, &mut fns, op, key, names, group, other).then_some((arms, fns))
        })
        .collect::<Vec<_>>();
    let mut arms = Code::with_depth(2);
    let mut fns = Code::new();
    let mut ok_ops = std::collections::BTreeSet::new();
    for ((_, key, _, _, _), done) in jobs.iter().zip(written) {
        if let Some((a, f)) = done {
            arms.append(a);
            fns.append(f);
            ok_ops.insert(key.as_str());
        }
    }
    // The texts of the cases that stay, in the order of the cases (`drop_ungenerated` keeps it).
    let texts: Vec<String> = conf
        .cases
        .iter()
        .zip(texts)
        .filter(|(c, _)| ok_ops.contains(c.op.as_str()))
        .map(|(_, t)| t)
        .collect();
    conf.drop_ungenerated(|k| ok_ops.contains(k));
    let (json, ()) = rayon::join(
        || cases_json(&texts),
        || {
            let mut code = Code::new();
            code.inner_doc("The dispatch of the conformance cases to the generated operations.")
            .line("#![allow(unused_mut, unused_imports, unused_variables, clippy::all)]")
            .blank()
            .line("use super::{bytes_of, count_of, json_of, page_of, run, unit_of, value_of, Case, Fail, Run};")
            .blank()
            .doc("Builds the request of `case` through the generated API and starts sending it.")
            .open("pub fn dispatch(client: &graph_requests::Client, case: &Case) -> ::std::result::Result<Run, Fail>")
            .open("match case.op.as_str()")
            .append(arms)
            .line("_ => Err(Fail::NotCompiled),")
            .close("")
            .close("")
            .append(fns);
            sink.add("generated.rs", code);
        },
    );
    let json = json?;
    sink.files.insert("cases.json".into(), json);
    Ok(conf)
}

/// Each case as it stands in `cases.json`: a pretty JSON document whose lines are indented to
/// the depth of the document's array (pretty JSON has no raw line break inside a string), made
/// on every core. The emit makes them beside the request files, before it knows which cases
/// stay: serialising the 3 MB was the longest single-threaded step of the emit.
pub fn case_texts(cases: &[conformance::Case]) -> serde_json::Result<Vec<String>> {
    // Written as the one item of an array in an array, a case is at the depth it has in the
    // document: its text is that array's, without the brackets (no indenting afterwards).
    const OPEN: &str = "[\n  [\n    ";
    const CLOSE: &str = "\n  ]\n]";
    cases
        .par_iter()
        .map(|case| {
            let mut text = serde_json::to_string_pretty(&[[case]])?;
            text.truncate(text.len() - CLOSE.len());
            text.drain(..OPEN.len());
            Ok(text)
        })
        .collect()
}

/// The text of `cases.json` from [`case_texts`]: what `serde_json::to_string_pretty` writes for
/// `{"generated": notice, "cases": [...]}`.
fn cases_json(texts: &[String]) -> anyhow::Result<String> {
    let generated = super::HEADER
        .trim()
        .lines()
        .map(|l| l.trim_start_matches("// "))
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = String::with_capacity(texts.iter().map(|t| t.len() + 6).sum::<usize>() + 256);
    text.push_str("{\n  \"generated\": ");
    text.push_str(&serde_json::to_string(&generated)?);
    text.push_str(",\n  \"cases\": [");
    for (i, case) in texts.iter().enumerate() {
        text.push_str(if i == 0 { "\n    " } else { ",\n    " });
        text.push_str(case);
    }
    text.push_str(if texts.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    Ok(text)
}

/// What the types' arms of the dispatch need: their Rust paths and their areas.
pub struct Types<'a> {
    pub layout: &'a super::layout::Layout,
    pub areas: &'a BTreeMap<String, crate::model::areas::Areas>,
}

/// A derived type that cases cast an operation's collection to.
struct Cast {
    odata_type: String,
    path: String,
    /// The type's areas.
    cfg: String,
}

/// A way of sending that cases of an operation use besides `send()`: through a cast, for a
/// count, or both.
struct OtherSend {
    cast: Option<Cast>,
    count: bool,
}

/// Writes the dispatch arm of an operation and the function it calls, which builds the request
/// (one function per operation keeps each stack frame small). False (nothing written) when the
/// emitted method does not take the inputs that the case gives.
fn arm(
    arms: &mut Code,
    fns: &mut Code,
    op: &Operation,
    key: &str,
    n: &OpNames,
    group: &(String, String),
    other: &[OtherSend],
) -> bool {
    let module = names::path(
        "graph_requests",
        std::iter::once(n.version_mod.as_str())
            .chain(n.ns_mods.iter().map(String::as_str))
            .chain([group.0.as_str()]),
    );
    // A typed parameter (a function's `Int32` argument) is parsed from the example's text.
    let params = |path: &crate::model::PathTemplate| {
        path.param_types()
            .enumerate()
            .map(|(i, ty)| match ty {
                crate::model::ArgType::Text => format!("case.param({i})?"),
                _ => format!("case.parsed({i})?"),
            })
            .collect::<Vec<_>>()
    };
    let mut args = Vec::new();
    match &n.path_enum {
        None if op.paths.len() == 1 => args.extend(params(&op.paths[0])),
        Some((e, ctors)) if ctors.len() == op.paths.len() => {
            let variants: String = op
                .paths
                .iter()
                .zip(ctors)
                .enumerate()
                .map(|(i, (p, c))| format!("{i} => {module}::{}::{}({}), ", e, c, list(params(p))))
                .collect();
            args.push(format!(
                "match case.path {{ {variants}_ => return Err(Fail::Path) }}"
            ));
        }
        _ => return false,
    }
    for h in op.headers.iter().filter(|h| h.required) {
        args.push(format!("case.header({})", lit(&h.name)));
    }
    for q in &n.required_query {
        args.push(format!("case.required_query({})?", lit(q)));
    }
    if let Some(BodyModel::Type { .. }) = &op.body {
        args.push("case.body()?".to_owned());
    }
    if args.len() != n.args {
        return false;
    }
    // The feature of the operation's API area, as on its items: each arm compiles only with
    // its operation.
    let cfg = super::cfg(&std::collections::BTreeSet::from([n.area.clone()]));
    let f = format!("op_{:016x}", fnv1a(key.as_bytes()));
    arms.attr(&cfg)
        .line(format_args!("{} => {f}(client, case),", lit(key)));
    let mut chain = format!("client.{}()", names::ident(&n.version_mod));
    for m in &n.ns_mods {
        chain.push_str(&format!(".{}()", names::ident(m)));
    }
    fns.blank()
        .line(format_args!("#[doc = {}]", lit(key)))
        .attr(&cfg)
        .open(format_args!(
            "fn {f}(client: &graph_requests::Client, case: &Case) -> ::std::result::Result<Run, Fail>"
        ))
        .line(format_args!(
            "let b = {chain}.{}().{}({});",
            names::ident(&group.1),
            n.method,
            list(&args)
        ));
    for (h, s) in &n.headers {
        fns.line(format_args!(
            "let b = match case.optional_header({}) {{ Some(v) => b.{s}(v), None => b }};",
            lit(h),
        ));
    }
    if n.query.is_empty() && n.required_query.is_empty() {
        fns.open("if let Some((k, _)) = case.query.first()")
            .line("return Err(Fail::Query(k.clone()));")
            .close("");
    } else {
        fns.line("let mut b = b;")
            .open("for (k, v) in &case.query")
            .open("b = match k.to_ascii_lowercase().as_str()");
        for q in &n.required_query {
            // Given as an argument already.
            fns.line(format_args!("{} => b,", lit(&q.to_ascii_lowercase())));
        }
        for (q, s) in &n.query {
            fns.line(format_args!(
                "{} => b.{s}(v),",
                lit(&q.to_ascii_lowercase())
            ));
        }
        fns.line("_ => return Err(Fail::Query(k.clone())),")
            .close(";")
            .close("");
    }
    if let (Some(BodyModel::Parameters { .. }), true) = (&op.body, n.body_setter) {
        fns.line("let b = if case.body.is_some() { b.body(case.body()?) } else { b };");
    }
    let enc = match (&op.response.ty, op.response.collection) {
        _ if super::requests::returns_bytes(op) => "bytes_of",
        (None, _) => "unit_of",
        (Some(_), true) => "page_of",
        (Some(TypeRef::Prim(_)), false) => "value_of",
        (Some(_), false) => "json_of",
    };
    if op.response.representation.is_some() {
        fns.open("if case.representation")
            .line("return Ok(run(b.send_returning(), json_of));")
            .close("");
    }
    if !other.is_empty() {
        fns.open("match (case.cast.as_deref(), case.count)")
            .line("(None, false) => {}");
        for o in other {
            let (send, enc) = if o.count {
                ("send_count", "count_of")
            } else {
                ("send", "page_of")
            };
            match &o.cast {
                None => fns.line(format_args!(
                    "(None, true) => return Ok(run(b.{send}(), {enc})),"
                )),
                Some(c) => fns.attr(&c.cfg).line(format_args!(
                    "(Some({}), {}) => return Ok(run(b.cast::<{}>().{send}(), {enc})),",
                    lit(&c.odata_type),
                    o.count,
                    c.path
                )),
            };
        }
        fns.line("_ => return Err(Fail::NotCompiled),").close("");
    }
    fns.line(format_args!("Ok(run(b.send(), {enc}))")).close("");
    true
}

/// A stable name for an operation's function (FNV-1a of its key), so that adding an operation
/// does not rename the others.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
