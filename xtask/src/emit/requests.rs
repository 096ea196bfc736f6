//! `graph-requests`: per version and namespace a handle, per operation group a file with a group
//! handle, and per operation a path enum (several documented paths), a builder and `send`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::layout::Layout;
use super::Sink;
use crate::model::areas;
use crate::model::{
    ApiModel, BodyModel, Operation, PathTemplate, Piece, TypeDef, TypeKind, TypeRef,
};
use crate::names::{self, Scope};

/// One group file to emit: where it goes and what it holds.
struct GroupJob<'a> {
    path: PathBuf,
    version: &'a str,
    vm: &'a crate::model::VersionModel,
    group: String,
    handle: String,
    ops: Vec<&'a Operation>,
}

pub fn emit(model: &ApiModel, layout: &Layout, sink: &mut Sink) -> anyhow::Result<()> {
    let mut versions = Vec::new();
    let mut jobs = Vec::new();
    for (version, vm) in &model.versions {
        if vm.operations.is_empty() {
            continue;
        }
        let vmod = names::version_module(version);
        versions.push((vmod.clone(), version.clone()));
        // Namespace modules and their groups.
        let mut spaces: BTreeMap<Vec<String>, BTreeMap<String, Vec<&Operation>>> = BTreeMap::new();
        spaces.entry(Vec::new()).or_default();
        for op in &vm.operations {
            let mods = names::namespace_modules(&op.namespace);
            for i in 0..mods.len() {
                spaces.entry(mods[..i].to_vec()).or_default();
            }
            spaces
                .entry(mods)
                .or_default()
                .entry(op.group.clone())
                .or_default()
                .push(op);
        }
        let all: BTreeSet<Vec<String>> = spaces.keys().cloned().collect();
        for (ns, groups) in &spaces {
            let children: Vec<String> = all
                .iter()
                .filter(|s| s.len() == ns.len() + 1 && s.starts_with(ns))
                .map(|s| s.last().unwrap().clone())
                .collect();
            let child_refs: Vec<&str> = children.iter().map(String::as_str).collect();
            let mut mods = Scope::with(&child_refs);
            let mut accessors = Scope::with(&child_refs);
            let mut group_items = Vec::new();
            for (group, ops) in groups {
                let module = mods.claim(&names::snake(group)).0;
                let mut accessor = names::snake(group);
                if RESERVED_METHODS.contains(&accessor.as_str()) {
                    accessor.push_str("_ops");
                }
                let accessor = accessors.claim(&accessor).0;
                let handle = format!("{}Requests", names::camel(group));
                let mut path = PathBuf::from(&vmod);
                path.extend(ns);
                path.push(format!("{module}.rs"));
                jobs.push(GroupJob {
                    path,
                    version,
                    vm,
                    group: group.clone(),
                    handle: handle.clone(),
                    ops: ops.clone(),
                });
                super::conformance::record_group(version, ns, group, &module, &accessor);
                let areas: BTreeSet<String> =
                    ops.iter().map(|op| areas::operation_area(op)).collect();
                group_items.push((module, accessor, handle, group.clone(), areas));
            }
            let mut path = PathBuf::from(&vmod);
            path.extend(ns);
            path.push("mod.rs");
            sink.add(path, namespace_file(version, ns, &children, &group_items))?;
        }
    }
    // The group files are most of the work: build and format them on every core.
    let done = crate::par::par_map(&jobs, |job| {
        let (tokens, ops) = group_file(
            job.version,
            job.vm,
            &job.group,
            &job.handle,
            &job.ops,
            layout,
        );
        super::format_file(&job.path, tokens).map(|text| (text, ops))
    });
    for (job, result) in jobs.iter().zip(done) {
        let (text, ops) = result?;
        sink.files.insert(job.path.clone(), text);
        super::conformance::record_ops(ops);
    }
    let mods: Vec<_> = versions.iter().map(|(m, _)| names::ident(m)).collect();
    let docs = versions
        .iter()
        .map(|(_, v)| format!(" Operations of Microsoft Graph `{v}`."));
    let fn_docs = versions
        .iter()
        .map(|(_, v)| format!(" The operations of Microsoft Graph `{v}`."));
    sink.add(
        "mod.rs",
        quote! {
            #( #[doc = #docs] pub mod #mods; )*

            impl crate::Client {
                #(
                    #[doc = #fn_docs]
                    pub fn #mods(&self) -> #mods::Api {
                        #mods::Api { client: self.clone() }
                    }
                )*
            }

            /// A primitive value that Graph wraps as `{"value": ...}`.
            #[doc(hidden)]
            #[derive(::serde::Deserialize)]
            pub struct ValueOf<T> {
                /// The value.
                pub value: T,
            }
        },
    )?;
    Ok(())
}

type GroupItem = (String, String, String, String, BTreeSet<String>);

fn namespace_file(
    version: &str,
    ns: &[String],
    children: &[String],
    groups: &[GroupItem],
) -> TokenStream {
    let title = if ns.is_empty() {
        format!("Operations of Microsoft Graph `{version}`.")
    } else {
        format!(
            "Operations of the namespace `microsoft.graph.{}` (`{version}`).",
            ns.join(".")
        )
    };
    let doc = docs::inner_attrs(&title);
    let child_mods: Vec<_> = children.iter().map(|c| names::ident(c)).collect();
    let child_docs = children.iter().map(|c| format!(" The namespace `{c}`."));
    let group_mods: Vec<_> = groups.iter().map(|g| names::ident(&g.0)).collect();
    let accessors = groups.iter().map(|g| names::ident(&g.1));
    let handles: Vec<_> = groups.iter().map(|g| names::ident(&g.2)).collect();
    let group_docs = groups.iter().map(|g| format!(" Operations on `{}`.", g.3));
    let cfgs: Vec<_> = groups.iter().map(|g| super::cfg(&g.4)).collect();
    quote! {
        #doc
        #( pub mod #child_mods; )*
        #( #cfgs pub mod #group_mods; )*

        /// Entry point to the operations of this namespace.
        #[derive(Debug, Clone)]
        pub struct Api {
            #[allow(dead_code)]
            pub(crate) client: crate::Client,
        }

        impl Api {
            #(
                #[doc = #group_docs]
                #cfgs
                pub fn #accessors(&self) -> #group_mods::#handles {
                    #group_mods::#handles { client: self.client.clone() }
                }
            )*
            #(
                #[doc = #child_docs]
                pub fn #child_mods(&self) -> #child_mods::Api {
                    #child_mods::Api { client: self.client.clone() }
                }
            )*
        }
    }
}

fn group_file(
    version: &str,
    vm: &crate::model::VersionModel,
    group: &str,
    handle: &str,
    ops: &[&Operation],
    layout: &Layout,
) -> (TokenStream, Vec<super::conformance::Recorded>) {
    let handle_ident = names::ident(handle);
    let doc = docs::inner_attrs(&format!(
        "Operations on `{group}` (Microsoft Graph `{version}`)."
    ));
    let mut items = Vec::new();
    let mut methods = Vec::new();
    let mut recorded = Vec::new();
    let mut types = Scope::with(&[handle]);
    let mut fns = Scope::default();
    let op_areas: Vec<String> = ops.iter().map(|op| areas::operation_area(op)).collect();
    let mixed = op_areas.iter().any(|a| *a != op_areas[0]);
    for (op, area) in ops.iter().zip(&op_areas) {
        let (m, i) = operation(version, vm, op, layout, &mut types, &mut fns);
        recorded.extend(super::conformance::op_names(version, op, &m, &i));
        // The module is behind the features of its operations; one area needs no more.
        let cfg = if mixed {
            super::cfg(&BTreeSet::from([area.clone()]))
        } else {
            TokenStream::new()
        };
        methods.push(quote! { #cfg #m });
        items.push(super::with_attr(i, &cfg));
    }
    let handle_doc = format!(" Operations on `{group}`.");
    let tokens = quote! {
        #doc
        #[doc = #handle_doc]
        #[derive(Debug, Clone)]
        pub struct #handle_ident {
            pub(crate) client: crate::Client,
        }

        impl #handle_ident {
            #( #methods )*
        }

        #( #items )*
    };
    (tokens, recorded)
}

/// An input of an operation: a path parameter, a header or the body.
struct Input {
    field: proc_macro2::Ident,
    ty: TokenStream,
    arg_ty: TokenStream,
    convert: TokenStream,
}

fn variant_name(path: &PathTemplate, common: usize) -> String {
    let segs = tokens_of(path);
    let keep = &segs[..segs.len() - common];
    let statics: Vec<&str> = keep.iter().filter_map(|s| s.as_deref()).collect();
    names::camel(&statics.join(" "))
}

/// The path as tokens: static segments as `Some`, parameters as `None`.
fn tokens_of(path: &PathTemplate) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for p in &path.pieces {
        match p {
            Piece::Lit { text } => out.extend(
                text.split(['/', ':'])
                    .filter(|s| !s.is_empty())
                    .map(|s| Some(s.to_owned())),
            ),
            Piece::Param { .. } => out.push(None),
        }
    }
    out
}

fn common_suffix(paths: &[PathTemplate]) -> usize {
    let lists: Vec<Vec<Option<String>>> = paths.iter().map(tokens_of).collect();
    let min = lists.iter().map(Vec::len).min().unwrap_or(0);
    (0..min)
        .take_while(|&i| {
            let first = &lists[0][lists[0].len() - 1 - i];
            first.is_some() && lists.iter().all(|l| &l[l.len() - 1 - i] == first)
        })
        .count()
}

/// `format!` of a path with each parameter (given as an expression of `&String`) encoded.
fn path_format(path: &PathTemplate, args: &[TokenStream]) -> TokenStream {
    let mut fmt = String::new();
    let mut encoded = Vec::new();
    let mut args = args.iter();
    for p in &path.pieces {
        match p {
            Piece::Lit { text } => fmt.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Param { item_path, .. } => {
                fmt.push_str("{}");
                let f = args.next().expect("one argument per parameter");
                encoded.push(if *item_path {
                    quote! { crate::runtime::encode_item_path(#f) }
                } else {
                    quote! { crate::runtime::encode_segment(#f) }
                });
            }
        }
    }
    if encoded.is_empty() {
        let lit: String = path
            .pieces
            .iter()
            .map(|p| {
                if let Piece::Lit { text } = p {
                    text.as_str()
                } else {
                    ""
                }
            })
            .collect();
        return quote! { ::std::string::String::from(#lit) };
    }
    quote! { format!(#fmt #(, #encoded)*) }
}

/// Method names a group handle must not use for an operation (they read as trait methods).
const RESERVED_METHODS: &[&str] = &["clone", "fmt", "eq", "hash", "to_owned", "into"];

fn param_fields(path: &PathTemplate, scope: &mut Scope) -> Vec<(String, proc_macro2::Ident)> {
    path.params()
        .map(|(name, _)| {
            (
                name.to_owned(),
                names::ident(&scope.claim(&names::snake(name)).0),
            )
        })
        .collect()
}

fn operation(
    version: &str,
    vm: &crate::model::VersionModel,
    op: &Operation,
    layout: &Layout,
    types: &mut Scope,
    fns: &mut Scope,
) -> (TokenStream, TokenStream) {
    let models = quote! { crate::models };
    let op_camel = names::camel(&op.name);
    let builder = types.claim(&op_camel).0;
    let builder_ident = names::ident(&builder);
    let mut fn_name = names::snake(&op.name);
    if RESERVED_METHODS.contains(&fn_name.as_str()) {
        fn_name = format!("{fn_name}_{}", names::snake(&op.group));
    }
    let fn_ident = names::ident(&fns.claim(&fn_name).0);
    let info_ident = format_ident!("{}_INFO", names::snake(&builder).to_uppercase());
    let doc = docs::attrs(&docs::operation(op, version));

    // Inputs: path, required headers, body.
    let mut inputs: Vec<Input> = Vec::new();
    let mut field_scope = Scope::with(&["client", "query", "headers", "body"]);
    let mut path_items = TokenStream::new();
    let path_expr;
    if op.paths.len() == 1 {
        let fields = param_fields(&op.paths[0], &mut field_scope);
        let idents: Vec<_> = fields.iter().map(|f| f.1.clone()).collect();
        let refs: Vec<TokenStream> = idents.iter().map(|f| quote! { &self.#f }).collect();
        path_expr = path_format(&op.paths[0], &refs);
        for (_, f) in fields {
            inputs.push(Input {
                field: f,
                ty: quote! { ::std::string::String },
                arg_ty: quote! { impl ::std::convert::Into<::std::string::String> },
                convert: quote! { .into() },
            });
        }
    } else {
        let enum_name = types.claim(&format!("{op_camel}Path")).0;
        let enum_ident = names::ident(&enum_name);
        let common = common_suffix(&op.paths);
        let mut variants = Scope::default();
        let mut var_defs = Vec::new();
        let mut ctors = Vec::new();
        let mut arms = Vec::new();
        let mut ctor_scope = Scope::default();
        for (i, p) in op.paths.iter().enumerate() {
            let mut vname = variant_name(p, common);
            if vname == "Unnamed" {
                vname = format!("Path{}", i + 1);
            }
            let v = names::ident(&variants.claim(&vname).0);
            let ctor = names::ident(&ctor_scope.claim(&names::snake(&v.to_string())).0);
            let mut scope = Scope::default();
            let fields = param_fields(p, &mut scope);
            let idents: Vec<_> = fields.iter().map(|f| f.1.clone()).collect();
            let vdoc = format!(" `{} /{version}{}`", op.method, p.raw);
            let args: Vec<TokenStream> = idents.iter().map(|i| quote! { #i }).collect();
            let fmt = path_format(p, &args);
            let fdocs = fields
                .iter()
                .map(|(raw, _)| format!(" The `{{{raw}}}` path parameter."));
            var_defs.push(quote! {
                #[doc = #vdoc]
                #v { #( #[doc = #fdocs] #idents: ::std::string::String, )* },
            });
            ctors.push(quote! {
                #[doc = #vdoc]
                #[inline]
                pub fn #ctor(#( #idents: impl ::std::convert::Into<::std::string::String> ),*) -> Self {
                    Self::#v { #( #idents: #idents.into(), )* }
                }
            });
            arms.push(quote! { Self::#v { #( #idents ),* } => #fmt, });
        }
        let edoc = format!(
            " The documented paths of `{}`: pick one with its parameters.",
            op.name
        );
        path_items = quote! {
            #[doc = #edoc]
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum #enum_ident {
                #( #var_defs )*
            }

            impl #enum_ident {
                #( #ctors )*

                /// The encoded path, relative to the version root.
                #[inline]
                pub fn to_path(&self) -> ::std::string::String {
                    match self {
                        #( #arms )*
                    }
                }
            }
        };
        let f = names::ident(&field_scope.claim("path").0);
        path_expr = quote! { self.#f.to_path() };
        inputs.push(Input {
            field: f,
            ty: quote! { #enum_ident },
            arg_ty: quote! { #enum_ident },
            convert: quote! {},
        });
    }
    let mut header_stmts = Vec::new();
    let mut setters = Vec::new();
    let mut optional_fields = Vec::new();
    for h in &op.headers {
        let f = names::ident(&field_scope.claim(&names::snake(&h.name)).0);
        let name = &h.name;
        if h.required {
            inputs.push(Input {
                field: f.clone(),
                ty: quote! { ::std::string::String },
                arg_ty: quote! { impl ::std::convert::Into<::std::string::String> },
                convert: quote! { .into() },
            });
            header_stmts.push(quote! { req.header(#name, self.#f.as_str()); });
        } else {
            let d = docs::attrs(&format!(
                "Sets the `{name}` header.{}",
                h.description
                    .as_deref()
                    .map(|d| format!(" {}", docs::prose(d)))
                    .unwrap_or_default()
            ));
            optional_fields.push(quote! { #f: ::std::option::Option<::std::string::String>, });
            setters.push(quote! {
                #d
                #[inline]
                pub fn #f(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#f = Some(value.into());
                    self
                }
            });
            header_stmts
                .push(quote! { if let Some(v) = &self.#f { req.header(#name, v.as_str()); } });
        }
    }
    for q in &op.query {
        let Some(option) = query_setter(op, &q.name) else {
            continue;
        };
        let setter = if option.eq_ignore_ascii_case("orderby") {
            "order_by".to_owned()
        } else {
            names::snake(option)
        };
        let f = names::ident(&field_scope.claim(&setter).0);
        let name = &q.name;
        let d = docs::attrs(&if name.starts_with('$') {
            format!("Sets the OData `{name}` query option.")
        } else {
            format!("Sets the `{name}` query parameter.")
        });
        setters.push(quote! {
            #d
            #[inline]
            pub fn #f(mut self, value: impl ::std::fmt::Display) -> Self {
                self.query.push((#name, value.to_string()));
                self
            }
        });
    }
    // Body.
    let mut body_stmt = TokenStream::new();
    let mut body_field = TokenStream::new();
    let mut body_init = TokenStream::new();
    match &op.body {
        Some(BodyModel::Type { ty }) => {
            let t = layout.rust_type(&models, version, ty, false);
            inputs.push(Input {
                field: format_ident!("body"),
                ty: t.clone(),
                arg_ty: t,
                convert: quote! {},
            });
            body_stmt = quote! { req.json(&self.body); };
        }
        Some(BodyModel::Parameters { type_name }) => {
            let t = layout
                .path(&models, version, type_name)
                .unwrap_or_else(|| quote! { ::serde_json::Value });
            body_field = quote! { body: #t, };
            body_init = quote! { body: ::std::default::Default::default(), };
            body_stmt = quote! { req.json(&self.body); };
            let bdoc = format!(" Replaces the whole request body of `{}`.", op.name);
            setters.push(quote! {
                #[doc = #bdoc]
                #[inline]
                pub fn body(mut self, body: #t) -> Self {
                    self.body = body;
                    self
                }
            });
            if let Some(TypeDef {
                kind: TypeKind::Struct { properties },
                ..
            }) = vm.types.get(type_name)
            {
                let mut fscope = Scope::default();
                for p in properties {
                    let field = names::ident(&fscope.claim(&names::snake(&p.name)).0);
                    let setter = names::ident(&field_scope.claim(&names::snake(&p.name)).0);
                    let pty = layout.rust_type(&models, version, &p.ty, false);
                    let d = docs::attrs(&format!(
                        "Sets the body parameter `{}`.{}",
                        p.name,
                        p.description
                            .as_deref()
                            .map(|d| format!(" {}", docs::prose(d)))
                            .unwrap_or_default()
                    ));
                    setters.push(quote! {
                        #d
                        #[inline]
                        pub fn #setter(mut self, value: #pty) -> Self {
                            self.body.#field = Some(value);
                            self
                        }
                    });
                }
            }
        }
        None => {}
    }
    // Response.
    let (ret, send_body) = match (&op.response.ty, op.response.collection) {
        _ if returns_bytes(op) => (
            quote! { ::bytes::Bytes },
            quote! { client.send_bytes(req).await },
        ),
        (None, _) => (quote! { () }, quote! { client.send_empty(req).await }),
        (Some(t), true) => {
            let t = layout.rust_type(&models, version, t, false);
            (
                quote! { crate::runtime::Page<#t> },
                quote! { client.send_page::<#t>(req).await },
            )
        }
        (Some(t @ TypeRef::Prim(_)), false) => {
            let t = layout.rust_type(&models, version, t, false);
            (
                quote! { #t },
                quote! { client.send_json::<crate::ValueOf<#t>>(req).await.map(|v| v.value) },
            )
        }
        (Some(t), false) => {
            let t = layout.rust_type(&models, version, t, false);
            (quote! { #t }, quote! { client.send_json::<#t>(req).await })
        }
    };
    let extra_sends = extra_sends(
        op,
        &layout.rust_type(
            &models,
            version,
            op.response.ty.as_ref().unwrap_or(&TypeRef::Json),
            false,
        ),
    );
    let clouds = match &op.clouds {
        Some(list) => {
            let ok = list
                .iter()
                .filter(|c| c.available)
                .map(|c| format_ident!("{}", c.cloud.ident()));
            quote! { Some(&[ #( crate::runtime::Cloud::#ok ),* ]) }
        }
        None => quote! { None },
    };
    let method = format_ident!("{}", op.method);
    let name = &op.name;
    let raw_paths = op.paths.iter().map(|p| p.raw.as_str());
    let version_variant = if version == "beta" {
        format_ident!("Beta")
    } else {
        format_ident!("V1")
    };
    let fields: Vec<_> = inputs.iter().map(|i| &i.field).collect();
    let field_tys: Vec<_> = inputs.iter().map(|i| &i.ty).collect();
    let arg_tys: Vec<_> = inputs.iter().map(|i| &i.arg_ty).collect();
    let inits: Vec<TokenStream> = inputs
        .iter()
        .map(|i| {
            let (f, c) = (&i.field, &i.convert);
            if c.is_empty() {
                quote! { #f }
            } else {
                quote! { #f: #f #c }
            }
        })
        .collect();
    let optional_inits = op
        .headers
        .iter()
        .filter(|h| !h.required)
        .map(|h| names::ident(&names::snake(&h.name)));
    let builder_doc = format!(
        " Request builder for `{}`: set optional inputs, then `.send().await`.",
        op.name
    );
    let send_doc = format!(
        " Sends `{} {}` and returns the documented response (`{}`).",
        op.method, op.paths[0].raw, op.response.status
    );
    let method_item = quote! {
        #doc
        #[inline]
        pub fn #fn_ident(&self #(, #fields: #arg_tys)*) -> #builder_ident {
            #builder_ident {
                client: self.client.clone(),
                #( #inits, )*
                #( #optional_inits: None, )*
                #body_init
                query: Vec::new(),
            }
        }
    };
    let item = quote! {
        #path_items

        static #info_ident: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
            name: #name,
            version: crate::runtime::ApiVersion::#version_variant,
            method: ::http::Method::#method,
            paths: &[ #( #raw_paths ),* ],
            clouds: #clouds,
        };

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder_ident {
            client: crate::Client,
            #( #fields: #field_tys, )*
            #( #optional_fields )*
            #body_field
            query: ::std::vec::Vec<(&'static str, ::std::string::String)>,
        }

        impl #builder_ident {
            #( #setters )*

            /// The request as it will be sent, for inspection or custom sending.
            #[inline]
            pub fn into_request(self) -> crate::runtime::Request {
                let mut req = crate::runtime::Request::new(&#info_ident, #path_expr);
                #( #header_stmts )*
                for (name, value) in &self.query {
                    req.query(name, value.as_str());
                }
                #body_stmt
                req
            }

            #[doc = #send_doc]
            #[inline]
            pub async fn send(self) -> crate::Result<#ret> {
                let client = self.client.clone();
                let req = self.into_request();
                #send_body
            }

            #extra_sends
        }
    };
    (method_item, item)
}

/// The other ways to send: a lazy stream over all pages for a collection, a polled handle for
/// an operation the docs describe as long-running (`202 Accepted` and `Location`).
fn extra_sends(op: &Operation, ty: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if op.response.collection && op.response.ty.is_some() {
        out.extend(quote! {
            /// Follows `@odata.nextLink` to the end, lazily: a stream of pages, each fetched with
            /// the client's retries.
            #[inline]
            pub fn stream_pages(self) -> crate::runtime::PageStream<#ty> {
                let client = self.client.clone();
                client.stream_pages::<#ty>(self.into_request())
            }

            /// Every item of every page, lazily (follows `@odata.nextLink`).
            #[inline]
            pub fn stream_items(self) -> ::futures::stream::BoxStream<'static, crate::Result<#ty>> {
                let client = self.client.clone();
                client.stream_items::<#ty>(self.into_request())
            }
        });
    }
    if op.response.long_running {
        let result = if op.response.collection {
            quote! { crate::runtime::Page<#ty> }
        } else {
            quote! { #ty }
        };
        out.extend(quote! {
            /// Sends with `Prefer: respond-async`: a `202 Accepted` gives a handle that polls the
            /// operation's `Location` until it succeeds or fails; a direct answer is complete at once.
            #[inline]
            pub async fn send_long_running(self) -> crate::Result<crate::runtime::LongRunning<#result>> {
                let client = self.client.clone();
                client.send_lro(self.into_request()).await
            }
        });
    }
    out
}

/// The operation answers with content, not JSON: a redirect (`302 Found` to a download URL, e.g.
/// reports and file content; the client follows it) or a stream. `send` returns the bytes.
pub(crate) fn returns_bytes(op: &Operation) -> bool {
    (300..400).contains(&op.response.status)
        || matches!(
            op.response.ty,
            Some(TypeRef::Prim(crate::model::Prim::Stream))
        )
}

/// The setter name of a documented query parameter: OData options without their `$`, plain
/// parameters (`startDateTime` of calendar views, `token` of delta) as they are; none for a
/// function parameter that the path already carries (`getEmailActivityCounts(period='{..}')`).
fn query_setter<'a>(op: &Operation, name: &'a str) -> Option<&'a str> {
    if let Some(option) = name.strip_prefix('$') {
        return Some(option);
    }
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let in_path = op.paths.iter().any(|p| {
        p.raw
            .to_ascii_lowercase()
            .contains(&format!("{}=", name.to_ascii_lowercase()))
    });
    (plain && !in_path).then_some(name)
}
