//! `graph-requests/tests/conformance/`: the conformance cases as data (`cases.json`) and one
//! generated dispatch function (`generated.rs`) that builds each case's request through the
//! generated API. The hand-written harness `tests/conformance.rs` runs them against wiremock.
//!
//! The builder names are not recomputed here: `requests.rs` hands every emitted group and
//! operation to [`record_group`] and [`op_names`] / [`record_ops`], which read the names from the emitted tokens.

use std::cell::RefCell;
use std::collections::BTreeMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::ext::IdentExt;

use super::Sink;
use crate::conformance::{self, Conformance};
use crate::model::{ApiModel, BodyModel, Operation, TypeRef};
use crate::names;

/// The names of one emitted operation, read from its tokens.
#[derive(Debug, Clone, Default)]
struct OpNames {
    version_mod: String,
    ns_mods: Vec<String>,
    group: String,
    fn_name: String,
    /// Arguments of the operation method, without `&self`.
    args: usize,
    /// The path enum and its constructors, in path order, when there are several paths.
    path_enum: Option<(String, Vec<String>)>,
    /// Optional headers: (header name, setter).
    headers: Vec<(String, String)>,
    /// OData query options: (option, setter).
    odata: Vec<(String, String)>,
    body_setter: bool,
}

#[derive(Debug, Default)]
struct RecordedAll {
    /// (version, namespace modules, group) → (module, accessor).
    groups: BTreeMap<(String, Vec<String>, String), (String, String)>,
    ops: BTreeMap<String, OpNames>,
}

thread_local! {
    static RECORDED: RefCell<RecordedAll> = RefCell::new(RecordedAll::default());
}

/// Forgets what was recorded (called before the requests are emitted).
pub fn begin() {
    RECORDED.with(|r| *r.borrow_mut() = RecordedAll::default());
}

/// Records the module and accessor of an emitted operation group.
pub fn record_group(version: &str, ns_mods: &[String], group: &str, module: &str, accessor: &str) {
    RECORDED.with(|r| {
        r.borrow_mut().groups.insert(
            (version.to_owned(), ns_mods.to_vec(), group.to_owned()),
            (module.to_owned(), accessor.to_owned()),
        );
    });
}

/// The names of an emitted operation (its key and names), read from its method (on the group
/// handle) and items. Group files are emitted on several threads: each returns what it read,
/// and the emitting thread records it with [`record_ops`].
pub fn op_names(
    version: &str,
    op: &Operation,
    method: &TokenStream,
    items: &TokenStream,
) -> Option<Recorded> {
    let names = read_names(version, op, method, items)?;
    Some(Recorded(conformance::op_key(version, op), names))
}

/// The names of one emitted operation, keyed by [`conformance::op_key`].
#[derive(Debug)]
pub struct Recorded(String, OpNames);

/// Records what [`op_names`] read.
pub fn record_ops(ops: Vec<Recorded>) {
    RECORDED.with(|r| {
        let mut r = r.borrow_mut();
        for Recorded(key, names) in ops {
            r.ops.insert(key, names);
        }
    });
}

fn read_names(
    version: &str,
    op: &Operation,
    method: &TokenStream,
    items: &TokenStream,
) -> Option<OpNames> {
    let method: syn::ImplItemFn = syn::parse2(method.clone()).ok()?;
    let file: syn::File = syn::parse2(items.clone()).ok()?;
    let builder = match &method.sig.output {
        syn::ReturnType::Type(_, t) => match &**t {
            syn::Type::Path(p) => p.path.segments.last()?.ident.unraw().to_string(),
            _ => return None,
        },
        syn::ReturnType::Default => return None,
    };
    let mut names = OpNames {
        version_mod: names::version_module(version),
        ns_mods: names::namespace_modules(&op.namespace),
        group: op.group.clone(),
        fn_name: method.sig.ident.unraw().to_string(),
        args: method.sig.inputs.len().saturating_sub(1),
        ..OpNames::default()
    };
    let enum_ident = file.items.iter().find_map(|i| match i {
        syn::Item::Enum(e) => Some(e.ident.unraw().to_string()),
        _ => None,
    });
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let Some(ty) = p.path.segments.last().map(|s| s.ident.unraw().to_string()) else {
            continue;
        };
        let fns = imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        });
        if Some(&ty) == enum_ident.as_ref() {
            let ctors = fns
                .map(|f| f.sig.ident.unraw().to_string())
                .filter(|n| n != "to_path")
                .collect();
            names.path_enum = Some((ty, ctors));
        } else if ty == builder {
            let fns: Vec<&syn::ImplItemFn> = fns.collect();
            let setters: Vec<String> = fns
                .iter()
                .map(|f| f.sig.ident.unraw().to_string())
                .collect();
            for f in &fns {
                let block = &f.block;
                let toks = flat(quote! { #block });
                let name = f.sig.ident.unraw().to_string();
                if name == "into_request" {
                    // `if let Some(v) = &self.FIELD { req.header("NAME", ...) }`
                    for w in toks.windows(10) {
                        if w[0] == "&"
                            && w[1] == "self"
                            && w[2] == "."
                            && w[4] == "{"
                            && w[5] == "req"
                            && w[7] == "header"
                            && setters.contains(&w[3])
                        {
                            names.headers.push((unquote(&w[9]), w[3].clone()));
                        }
                    }
                } else if name == "body" {
                    names.body_setter = true;
                } else if let Some(i) = toks
                    .windows(7)
                    .position(|w| w == ["self", ".", "query", ".", "push", "(", "("])
                {
                    if let Some(lit) = toks.get(i + 7) {
                        names.odata.push((unquote(lit), name));
                    }
                }
            }
        }
    }
    Some(names)
}

/// Token texts, groups opened and closed by their delimiter characters.
fn flat(ts: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tt in ts {
        match tt {
            TokenTree::Group(g) => {
                let (o, c) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push(o.to_owned());
                out.extend(flat(g.stream()));
                out.push(c.to_owned());
            }
            TokenTree::Punct(p) => out.push(p.as_char().to_string()),
            TokenTree::Ident(i) => out.push(i.unraw().to_string()),
            TokenTree::Literal(l) => out.push(l.to_string()),
        }
    }
    out
}

fn unquote(lit: &str) -> String {
    lit.trim_matches('"').to_owned()
}

/// The cfg of a dispatch arm and its function: the feature of the operation's API area, as on
/// the operation's items, so that each arm compiles only with its operation.
fn arm_cfg(_version: &str, op: &Operation) -> TokenStream {
    super::cfg(&std::collections::BTreeSet::from([
        crate::model::areas::operation_area(op),
    ]))
}

/// Writes `cases.json` and `generated.rs` into `sink` (rooted at
/// `crates/graph-requests/tests/conformance/`), and returns the conformance figures. Cases of
/// operations without a recorded builder become `not-generated` skips.
pub fn emit(model: &ApiModel, sink: &mut Sink) -> anyhow::Result<Conformance> {
    let recorded = RECORDED.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let mut conf = conformance::extract(model);
    let mut arms = Vec::new();
    let mut fns = Vec::new();
    let mut ok_ops = std::collections::BTreeSet::new();
    for (version, vm) in &model.versions {
        for op in &vm.operations {
            let key = conformance::op_key(version, op);
            if !conf.cases.iter().any(|c| c.op == key) {
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
            let Some((arm, f)) = arm(version, op, &key, names, group) else {
                continue;
            };
            ok_ops.insert(key);
            arms.push(arm);
            fns.push(f);
        }
    }
    conf.drop_ungenerated(|k| ok_ops.contains(k));
    sink.add(
        "generated.rs",
        quote! {
            //! The dispatch of the conformance cases to the generated operations.
            #![allow(unused_mut, unused_imports, unused_variables, clippy::all)]

            use super::{bytes_of, json_of, page_of, run, unit_of, value_of, Case, Fail, Run};

            /// Builds the request of `case` through the generated API and starts sending it.
            pub fn dispatch(client: &graph_requests::Client, case: &Case) -> ::std::result::Result<Run, Fail> {
                match case.op.as_str() {
                    #( #arms )*
                    _ => Err(Fail::NotCompiled),
                }
            }

            #( #fns )*
        },
    )?;
    #[derive(serde::Serialize)]
    struct Data<'a> {
        generated: String,
        cases: &'a [conformance::Case],
    }
    let data = Data {
        generated: super::HEADER
            .trim()
            .lines()
            .map(|l| l.trim_start_matches("// "))
            .collect::<Vec<_>>()
            .join(" "),
        cases: &conf.cases,
    };
    let mut text = serde_json::to_string_pretty(&data)?;
    text.push('\n');
    sink.files.insert("cases.json".into(), text);
    Ok(conf)
}

/// The dispatch arm of an operation and the function it calls, which builds the request (one
/// function per operation keeps each stack frame small).
fn arm(
    version: &str,
    op: &Operation,
    key: &str,
    n: &OpNames,
    group: &(String, String),
) -> Option<(TokenStream, TokenStream)> {
    let vmod = names::ident(&n.version_mod);
    let ns: Vec<_> = n.ns_mods.iter().map(|m| names::ident(m)).collect();
    let module = names::ident(&group.0);
    let accessor = names::ident(&group.1);
    let fn_ident = names::ident(&n.fn_name);
    let mut args = Vec::new();
    match &n.path_enum {
        None if op.paths.len() == 1 => {
            for i in 0..op.paths[0].params().count() {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                args.push(quote! { case.param(#i)? });
            }
        }
        Some((e, ctors)) if ctors.len() == op.paths.len() => {
            let e = names::ident(e);
            let variants = op.paths.iter().zip(ctors).enumerate().map(|(i, (p, c))| {
                let c = names::ident(c);
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                let ps = (0..p.params().count())
                    .map(proc_macro2::Literal::usize_unsuffixed)
                    .map(|j| quote! { case.param(#j)? });
                quote! { #i => graph_requests::#vmod #(::#ns)* ::#module::#e::#c(#(#ps),*), }
            });
            args.push(quote! { match case.path { #( #variants )* _ => return Err(Fail::Path) } });
        }
        _ => return None,
    }
    for h in op.headers.iter().filter(|h| h.required) {
        let name = &h.name;
        args.push(quote! { case.header(#name) });
    }
    if let Some(BodyModel::Type { .. }) = &op.body {
        args.push(quote! { case.body()? });
    }
    if args.len() != n.args {
        return None;
    }
    let headers = n.headers.iter().map(|(h, s)| {
        let s = names::ident(s);
        quote! { let b = match case.optional_header(#h) { Some(v) => b.#s(v), None => b }; }
    });
    let options: Vec<TokenStream> = n
        .odata
        .iter()
        .map(|(q, s)| {
            let s = names::ident(s);
            let q = q.to_ascii_lowercase();
            quote! { #q => b.#s(v), }
        })
        .collect();
    let query = if options.is_empty() {
        quote! {
            if let Some((k, _)) = case.query.first() {
                return Err(Fail::Query(k.clone()));
            }
        }
    } else {
        quote! {
            let mut b = b;
            for (k, v) in &case.query {
                b = match k.to_ascii_lowercase().as_str() {
                    #( #options )*
                    _ => return Err(Fail::Query(k.clone())),
                };
            }
        }
    };
    let body = match (&op.body, n.body_setter) {
        (Some(BodyModel::Parameters { .. }), true) => {
            quote! { let b = if case.body.is_some() { b.body(case.body()?) } else { b }; }
        }
        _ => quote! {},
    };
    let enc = match (&op.response.ty, op.response.collection) {
        _ if super::requests::returns_bytes(op) => quote! { bytes_of },
        (None, _) => quote! { unit_of },
        (Some(_), true) => quote! { page_of },
        (Some(TypeRef::Prim(_)), false) => quote! { value_of },
        (Some(_), false) => quote! { json_of },
    };
    let cfg = arm_cfg(version, op);
    let f = quote::format_ident!("op_{:016x}", fnv1a(key.as_bytes()));
    Some((
        quote! { #cfg #key => #f(client, case), },
        quote! {
            #[doc = #key]
            #cfg
            fn #f(client: &graph_requests::Client, case: &Case) -> ::std::result::Result<Run, Fail> {
                let b = client.#vmod() #(.#ns())* .#accessor().#fn_ident(#(#args),*);
                #( #headers )*
                #query
                #body
                Ok(run(b.send(), #enc))
            }
        },
    ))
}

/// A stable name for an operation's function (FNV-1a of its key), so that adding an operation
/// does not rename the others.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
