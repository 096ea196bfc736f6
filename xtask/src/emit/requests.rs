//! `graph-requests`: per version and namespace a handle, per operation group a file with a group
//! handle, and per operation a path enum (several documented paths), a builder and `send`.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::code::{list, lit, Code, LineText};
use super::conformance::{OpNames, Recorded};
use super::docs;
use super::layout::{Layout, JSON};
use super::Sink;
use crate::model::areas;
use crate::model::{
    ApiModel, ArgType, BodyModel, Operation, PathTemplate, Piece, Prim, TypeDef, TypeKind, TypeRef,
};
use crate::names::{self, Scope};

/// One group file to emit: where it goes and what it holds.
struct GroupJob<'a> {
    path: String,
    version: &'a str,
    vm: &'a crate::model::VersionModel,
    group: String,
    handle: String,
    ops: Vec<&'a Operation>,
    /// The API area of each operation.
    areas: Vec<String>,
}

/// A group of operations as its namespace's `Api` sees it.
struct GroupItem {
    module: String,
    accessor: String,
    handle: String,
    group: String,
    areas: BTreeSet<String>,
}

/// Emits the operations and returns the names given to them, for the conformance dispatch.
pub fn emit(model: &ApiModel, layout: &Layout, sink: &mut Sink) -> Recorded {
    let mut recorded = Recorded::default();
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
                let path = super::ns_path(&vmod, ns, &format!("{module}.rs"));
                let op_areas: Vec<String> =
                    ops.iter().map(|op| areas::operation_area(op)).collect();
                group_items.push(GroupItem {
                    module: module.clone(),
                    accessor: accessor.clone(),
                    handle: handle.clone(),
                    group: group.clone(),
                    areas: op_areas.iter().cloned().collect(),
                });
                jobs.push(GroupJob {
                    path,
                    version,
                    vm,
                    group: group.clone(),
                    handle,
                    ops: ops.clone(),
                    areas: op_areas,
                });
                recorded.groups.insert(
                    (version.clone(), ns.clone(), group.clone()),
                    (module, accessor),
                );
            }
            sink.add(
                super::ns_path(&vmod, ns, "mod.rs"),
                namespace_file(version, ns, &children, &group_items),
            );
        }
    }
    // The group files are most of the work: write them on every core.
    let done = jobs
        .par_iter()
        .map(|job| {
            group_file(
                job.version,
                job.vm,
                &job.group,
                &job.handle,
                &job.ops,
                &job.areas,
                layout,
            )
        })
        .collect::<Vec<_>>();
    for (job, (code, ops)) in jobs.iter().zip(done) {
        sink.add(job.path.clone(), code);
        recorded.ops.extend(ops);
    }
    let mut code = Code::new();
    for (m, v) in &versions {
        code.doc(&format!("Operations of Microsoft Graph `{v}`."))
            .line(format_args!("pub mod {};", names::ident(m)));
    }
    code.blank().open("impl crate::Client");
    for (i, (m, v)) in versions.iter().enumerate() {
        if i > 0 {
            code.blank();
        }
        let m = names::ident(m);
        code.doc(&format!("The operations of Microsoft Graph `{v}`."))
            .open(format_args!("pub fn {m}(&self) -> {m}::Api"))
            .line(format_args!("{m}::Api {{ client: self.clone() }}"))
            .close("");
    }
    code.close("")
        .blank()
        .doc("A primitive value that Graph wraps as `{\"value\": ...}`.")
        .line("#[doc(hidden)]")
        .line("#[derive(::serde::Deserialize)]")
        .open("pub struct ValueOf<T>")
        .doc("The value.")
        .line("pub value: T,")
        .close("");
    sink.add("mod.rs", code);
    recorded
}

fn namespace_file(version: &str, ns: &[String], children: &[String], groups: &[GroupItem]) -> Code {
    let title = if ns.is_empty() {
        format!("Operations of Microsoft Graph `{version}`.")
    } else {
        format!(
            "Operations of the namespace `microsoft.graph.{}` (`{version}`).",
            ns.join(".")
        )
    };
    let mut code = Code::new();
    code.inner_doc(&title).blank();
    for c in children {
        code.line(format_args!("pub mod {};", names::ident(c)));
    }
    let cfgs: Vec<String> = groups.iter().map(|g| super::cfg(&g.areas)).collect();
    for (g, cfg) in groups.iter().zip(&cfgs) {
        code.attr(cfg)
            .line(format_args!("pub mod {};", names::ident(&g.module)));
    }
    code.blank()
        .doc("Entry point to the operations of this namespace.")
        .line("#[derive(Debug, Clone)]")
        .open("pub struct Api")
        .line("#[allow(dead_code)]")
        .line("pub(crate) client: crate::Client,")
        .close("")
        .blank()
        .open("impl Api");
    let mut first = true;
    for (g, cfg) in groups.iter().zip(&cfgs) {
        if !std::mem::take(&mut first) {
            code.blank();
        }
        let (module, handle) = (names::ident(&g.module), names::ident(&g.handle));
        code.doc(&format!("Operations on `{}`.", g.group))
            .attr(cfg)
            .open(format_args!(
                "pub fn {}(&self) -> {module}::{handle}",
                names::ident(&g.accessor)
            ))
            .line(format_args!(
                "{module}::{handle} {{ client: self.client.clone() }}"
            ))
            .close("");
    }
    for c in children {
        if !std::mem::take(&mut first) {
            code.blank();
        }
        let c_ident = names::ident(c);
        code.doc(&format!("The namespace `{c}`."))
            .open(format_args!("pub fn {c_ident}(&self) -> {c_ident}::Api"))
            .line(format_args!(
                "{c_ident}::Api {{ client: self.client.clone() }}"
            ))
            .close("");
    }
    code.close("");
    code
}

fn group_file(
    version: &str,
    vm: &crate::model::VersionModel,
    group: &str,
    handle: &str,
    ops: &[&Operation],
    op_areas: &[String],
    layout: &Layout,
) -> (Code, Vec<(String, OpNames)>) {
    let handle_ident = names::ident(handle);
    let mut methods = Code::with_depth(1);
    let mut items = Code::new();
    let mut recorded = Vec::new();
    let mut types = Scope::with(&[handle]);
    let mut fns = Scope::default();
    let mixed = op_areas.iter().any(|a| *a != op_areas[0]);
    for (i, (op, area)) in ops.iter().zip(op_areas).enumerate() {
        // The items are behind the features of their operations; one area needs no more.
        let cfg = if mixed {
            super::cfg(&BTreeSet::from([area.clone()]))
        } else {
            String::new()
        };
        if i > 0 {
            methods.blank();
        }
        let mut names = operation(
            &mut Emitted {
                methods: &mut methods,
                items: &mut items,
                cfg: &cfg,
            },
            version,
            vm,
            op,
            layout,
            &mut types,
            &mut fns,
        );
        names.area = area.clone();
        recorded.push((crate::conformance::op_key(version, op), names));
    }
    let mut code = Code::new();
    code.inner_doc(&format!(
        "Operations on `{group}` (Microsoft Graph `{version}`)."
    ))
    .blank()
    .doc(&format!("Operations on `{group}`."))
    .line("#[derive(Debug, Clone)]")
    .open(format_args!("pub struct {handle_ident}"))
    .line("pub(crate) client: crate::Client,")
    .close("")
    .blank()
    .open(format_args!("impl {handle_ident}"))
    .append(methods)
    .close("")
    .append(items);
    (code, recorded)
}

/// Where the code of one operation goes: its method on the group handle, its items (path
/// enum, operation info, builder) after the handle, each item behind `cfg` (may be empty).
struct Emitted<'a> {
    methods: &'a mut Code,
    items: &'a mut Code,
    cfg: &'a str,
}

/// An input of an operation: a path parameter, a header or the body.
struct Input {
    field: String,
    ty: String,
    arg_ty: String,
    /// Appended to the argument to make the field (`.into()`), or empty.
    convert: &'static str,
}

impl Input {
    fn string(field: String) -> Self {
        Input {
            field,
            ty: STRING.to_owned(),
            arg_ty: INTO_STRING.to_owned(),
            convert: ".into()",
        }
    }

    /// A value written as text (`to_string`), e.g. a required query parameter.
    fn display(field: String) -> Self {
        Input {
            field,
            ty: STRING.to_owned(),
            arg_ty: "impl ::std::fmt::Display".to_owned(),
            convert: ".to_string()",
        }
    }

    /// A timestamp (`startDateTime`): text or, with `graph-models/time`, a `time` value, sent
    /// as RFC 3339 (a `Display` of a date type is not: `time`'s writes `2030-01-01 0:00:00.0
    /// +00:00:00`).
    fn timestamp(field: String) -> Self {
        Input {
            field,
            ty: "crate::models::DateTimeOffset".to_owned(),
            arg_ty: "impl ::std::convert::Into<crate::models::DateTimeOffset>".to_owned(),
            convert: ".into()",
        }
    }

    fn typed(field: String, ty: String) -> Self {
        Input {
            field,
            arg_ty: ty.clone(),
            ty,
            convert: "",
        }
    }
}

const STRING: &str = "::std::string::String";
const INTO_STRING: &str = "impl ::std::convert::Into<::std::string::String>";

/// A body parameter whose setter takes `impl Into<T>`: a scalar that JSON carries as a string.
fn takes_into(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Prim(
            Prim::String
                | Prim::DateTimeOffset
                | Prim::Date
                | Prim::TimeOfDay
                | Prim::Duration
                | Prim::Guid
                | Prim::Binary
        )
    )
}

/// The Rust type of a path parameter's value: text, or a function argument's number or boolean.
fn arg_rust_type(ty: ArgType) -> Option<&'static str> {
    match ty {
        ArgType::Text => None,
        ArgType::Int32 => Some("i32"),
        ArgType::Int64 => Some("i64"),
        ArgType::Float => Some("f64"),
        ArgType::Bool => Some("bool"),
    }
}

/// The input of a path parameter: an `Into<String>`, or a typed value.
fn param_input(field: String, ty: ArgType) -> Input {
    match arg_rust_type(ty) {
        None => Input::string(field),
        Some(t) => Input::typed(field, t.to_owned()),
    }
}

/// A variant's name: the path's segments without the ones every path ends with, then the
/// arguments of its last call where the paths' last calls differ (`delta` and
/// `delta(token='{token}')`: `MeDrive` and `MeDriveToken`).
fn variant_name(path: &PathTemplate, common: &Common) -> String {
    let t = tokens_of(path);
    let keep = &t.body[..t.body.len() - common.suffix];
    let mut words: Vec<&str> = keep.iter().filter_map(|s| s.as_deref()).collect();
    if !common.same_tail {
        words.extend(t.tail.iter().map(String::as_str));
    }
    names::camel(&words.join(" "))
}

/// A path as tokens: static segments as `Some`, parameters as `None`. Inside a function call's
/// parentheses the argument names are the tokens and the values are left out:
/// `range(address='{address}')/cell(row={row},column={column})` reads `range`, `address`,
/// `cell`, then the last call's arguments `row` and `column` apart, as its tail.
struct Tokens {
    body: Vec<Option<String>>,
    tail: Vec<String>,
}

fn tokens_of(path: &PathTemplate) -> Tokens {
    let mut body = Vec::new();
    // Argument names since the last segment.
    let mut tail: Vec<String> = Vec::new();
    let mut depth = 0u32;
    // A segment ends the arguments before it: they are the body's, not the tail.
    // A segment's namespace is left out: a cast to `microsoft.graph.managedMobileLobApp`
    // reads `managedMobileLobApp`.
    fn push(word: String, depth: u32, body: &mut Vec<Option<String>>, tail: &mut Vec<String>) {
        if depth > 0 {
            tail.push(word);
        } else {
            body.extend(tail.drain(..).map(Some));
            let word = match word.rsplit_once('.') {
                Some((_, name)) if !name.is_empty() => name.to_owned(),
                _ => word,
            };
            body.push(Some(word));
        }
    }
    for p in &path.pieces {
        match p {
            Piece::Lit { text } => {
                let mut word = String::new();
                let mut value = false;
                for c in text.chars() {
                    let ends = match c {
                        '/' | ':' => depth == 0,
                        '(' | ')' | ',' | '=' => true,
                        '\'' => depth > 0,
                        _ => false,
                    };
                    if !ends {
                        word.push(c);
                        continue;
                    }
                    if !word.is_empty() && !value {
                        push(std::mem::take(&mut word), depth, &mut body, &mut tail);
                    }
                    word.clear();
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    // After `=` comes an argument's value, up to the next `,` or `)`.
                    value = depth > 0 && (c == '=' || (value && c == '\''));
                }
                if !word.is_empty() && !value {
                    push(word, depth, &mut body, &mut tail);
                }
            }
            Piece::Param { .. } if depth > 0 => {}
            Piece::Param { .. } => {
                body.extend(tail.drain(..).map(Some));
                body.push(None);
            }
        }
    }
    Tokens { body, tail }
}

/// What the paths of an operation share at their end: segments, and their last call's
/// arguments.
struct Common {
    suffix: usize,
    same_tail: bool,
}

fn common_suffix(paths: &[PathTemplate]) -> Common {
    let lists: Vec<Tokens> = paths.iter().map(tokens_of).collect();
    let min = lists.iter().map(|t| t.body.len()).min().unwrap_or(0);
    let suffix = (0..min)
        .take_while(|&i| {
            let first = &lists[0].body[lists[0].body.len() - 1 - i];
            first.is_some() && lists.iter().all(|l| &l.body[l.body.len() - 1 - i] == first)
        })
        .count();
    let same_tail = lists.iter().all(|l| l.tail == lists[0].tail);
    Common { suffix, same_tail }
}

/// `format!` of a path with each parameter (given as an expression of `&String`) encoded.
fn path_format(path: &PathTemplate, args: &[impl std::fmt::Display]) -> String {
    let mut fmt = String::new();
    let mut encoded = Vec::new();
    let mut args = args.iter();
    // A parameter right after a `'` is the value of an OData string literal.
    let mut quoted = false;
    for p in &path.pieces {
        match p {
            Piece::Lit { text } => {
                fmt.push_str(&text.replace('{', "{{").replace('}', "}}"));
                quoted = text.ends_with('\'');
            }
            Piece::Param { item_path, ty, .. } => {
                fmt.push_str("{}");
                let f = args.next().expect("one argument per parameter");
                if !ty.is_text() {
                    // A number or a boolean is its own OData literal.
                    encoded.push(f.to_string());
                    continue;
                }
                let encode = if *item_path {
                    "encode_item_path"
                } else if quoted {
                    "encode_string_literal"
                } else {
                    "encode_segment"
                };
                encoded.push(format!("crate::runtime::{encode}({f})"));
            }
        }
    }
    if encoded.is_empty() {
        let path: String = path
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Lit { text } => text.as_str(),
                Piece::Param { .. } => "",
            })
            .collect();
        return format!("::std::string::String::from({})", lit(&path));
    }
    format!("format!({}, {})", lit(&fmt), list(&encoded))
}

/// Method names a group handle must not use for an operation (they read as trait methods).
const RESERVED_METHODS: &[&str] = &["clone", "fmt", "eq", "hash", "to_owned", "into"];

/// The methods of every request builder besides its setters.
const BUILDER_METHODS: &[&str] = &[
    "body",
    "into_request",
    "send",
    "send_count",
    "send_long_running",
    "send_returning",
    "send_stream",
    "stream_items",
    "stream_pages",
    "cast",
];

/// A parameter of a path as a field.
struct PathField<'p> {
    /// The name the path gives it (`id` of `{id | userPrincipalName}`).
    raw: String,
    field: String,
    ty: ArgType,
    /// The collection the field is named after, where the path repeats the name (`teams` of
    /// `team_id` in `/teams/{id}/channels/{id}`).
    after: Option<&'p str>,
}

/// Each parameter of a path: its documented name, its field and its type.
fn param_fields<'p>(
    path: &'p PathTemplate,
    (layout, version): (&Layout, &str),
    scope: &mut Scope,
) -> Vec<PathField<'p>> {
    let snakes: Vec<String> = path.params().map(|(name, _)| names::snake(name)).collect();
    path.params()
        .zip(path.param_types())
        .zip(&snakes)
        .zip(param_owners(path))
        .map(|((((name, _), ty), snake), owner)| {
            // A name the path gives twice (`/teams/{id}/channels/{id}`) is told apart by the
            // resource each one names: `team_id`, `channel_id`, not `id`, `id_2`; the
            // collection spelt as the version's paths spell it (`calendarGroups` where a page
            // writes `calendargroups`).
            let repeated = || snakes.iter().filter(|s| *s == snake).count() > 1;
            let told = owner.filter(|_| repeated()).and_then(|seg| {
                let one = names::singular(layout.segment(version, seg))?;
                Some((seg, names::snake(&format!("{one} {name}"))))
            });
            let field = told.as_ref().map_or(snake, |(_, f)| f);
            PathField {
                raw: name.to_owned(),
                field: names::ident(&scope.claim(field).0),
                ty,
                after: told.map(|(seg, _)| seg),
            }
        })
        .collect()
}

/// For each parameter of `path`, the plain collection segment right before it (`teams` of
/// `/teams/{id}`), if that is what comes before it.
fn param_owners(path: &PathTemplate) -> impl Iterator<Item = Option<&str>> {
    let mut before: Option<&str> = None;
    path.pieces.iter().filter_map(move |piece| match piece {
        Piece::Lit { text } => {
            before = text
                .strip_suffix('/')
                .and_then(|t| t.rsplit('/').next())
                .filter(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric()));
            None
        }
        Piece::Param { .. } => Some(before.take()),
    })
}

/// A builder setter: `pub fn NAME(mut self, value: TY) -> Self { BODY; self }`.
fn setter(code: &mut Code, doc: &str, name: &str, arg: &str, body: impl LineText) {
    code.doc(doc)
        .line("#[inline]")
        .open(format_args!("pub fn {name}(mut self, {arg}) -> Self"))
        .line(body)
        .line("self")
        .close("")
        .blank();
}

/// The path enum of an operation with several documented paths: a variant and a constructor
/// per path. Returns the enum and its constructors.
fn path_enum(
    out: &mut Emitted,
    layout: &Layout,
    version: &str,
    op: &Operation,
    enum_ident: &str,
) -> Vec<String> {
    let common = common_suffix(&op.paths);
    let mut variants = Scope::default();
    let mut ctor_scope = Scope::default();
    let mut defs = Code::with_depth(1);
    let mut ctors = Code::with_depth(1);
    let mut arms = Code::with_depth(3);
    let mut ctor_names = Vec::new();
    // The path each variant name was first given to.
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in op.paths.iter().enumerate() {
        let mut vname = variant_name(p, &common);
        if vname == "Unnamed" {
            vname = format!("Path{}", i + 1);
        }
        // Paths alike but for their parameters (`items/{item-id}/content` and
        // `items/{parent-id}:/{filename}:/content`): the later one is named with its parameters
        // that the path named so first does not have (`MeDriveItemsParentIdFilename`) before it
        // would be numbered.
        if let Some(&first) = named.get(&vname) {
            let theirs: &PathTemplate = &op.paths[first];
            let params: Vec<&str> = p
                .params()
                .map(|(name, _)| name)
                .filter(|name| !theirs.params().any(|(n, _)| n == *name))
                .collect();
            let with = names::camel(&format!("{vname} {}", params.join(" ")));
            if !params.is_empty() && !variants.is_taken(&with) {
                vname = with;
            }
        }
        named.entry(vname.clone()).or_insert(i);
        let v = names::ident(&variants.claim(&vname).0);
        let ctor = names::ident(&ctor_scope.claim(&names::snake(&v)).0);
        let fields = param_fields(p, (layout, version), &mut Scope::default());
        let idents: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        let vdoc = format!("`{} /{version}{}`", op.method, p.raw);
        defs.doc(&vdoc);
        if fields.is_empty() {
            // A path without parameters is a unit variant (`SendMailPath::Me`).
            defs.line(format_args!("{v},"));
        } else {
            defs.open(&v);
            for PathField {
                raw,
                field,
                ty,
                after,
            } in &fields
            {
                // A name the path repeats, named after its collection: which one it is.
                let doc = match after {
                    Some(owner) => format!("The `{{{raw}}}` path parameter after `{owner}/`."),
                    None => format!("The `{{{raw}}}` path parameter."),
                };
                defs.doc(&doc).line(format_args!(
                    "{field}: {},",
                    arg_rust_type(*ty).unwrap_or(STRING)
                ));
            }
            defs.close(",");
        }
        if i > 0 {
            ctors.blank();
        }
        let inputs: Vec<Input> = fields
            .iter()
            .map(|f| param_input(f.field.clone(), f.ty))
            .collect();
        let args = list(inputs.iter().map(|i| format!("{}: {}", i.field, i.arg_ty)));
        let inits = list(inputs.iter().map(|i| match i.convert {
            "" => i.field.clone(),
            convert => format!("{}: {}{convert}", i.field, i.field),
        }));
        let (value, pattern) = if idents.is_empty() {
            (format!("Self::{v}"), format!("Self::{v}"))
        } else {
            (
                format!("Self::{v} {{ {inits} }}"),
                format!("Self::{v} {{ {} }}", list(&idents)),
            )
        };
        ctors
            .doc(&vdoc)
            .line("#[inline]")
            .open(format_args!("pub fn {ctor}({args}) -> Self"))
            .line(&value)
            .close("");
        arms.line(format_args!("{pattern} => {},", path_format(p, &idents)));
        ctor_names.push(ctor);
    }
    let items = &mut *out.items;
    items
        .blank()
        .doc(&format!(
            "The documented paths of `{}`: pick one with its parameters.",
            op.name
        ))
        .attr(out.cfg)
        .line("#[derive(Debug, Clone, PartialEq, Eq)]")
        .open(format_args!("pub enum {enum_ident}"))
        .append(defs)
        .close("")
        .blank()
        .attr(out.cfg)
        .open(format_args!("impl {enum_ident}"))
        .append(ctors)
        .blank()
        .doc("The encoded path, relative to the version root.")
        .line("#[inline]")
        .open("pub fn to_path(&self) -> ::std::string::String")
        .open("match self")
        .append(arms)
        .close("")
        .close("")
        .close("");
    ctor_names
}

fn operation(
    out: &mut Emitted,
    version: &str,
    vm: &crate::model::VersionModel,
    op: &Operation,
    layout: &Layout,
    types: &mut Scope,
    fns: &mut Scope,
) -> OpNames {
    const MODELS: &str = "crate::models";
    let op_camel = names::camel(&op.name);
    let builder = names::ident(&types.claim(&op_camel).0);
    let mut fn_name = names::snake(&op.name);
    if RESERVED_METHODS.contains(&fn_name.as_str()) {
        fn_name = format!("{fn_name}_{}", names::snake(&op.group));
    }
    let fn_ident = names::ident(&fns.claim(&fn_name).0);
    let info_ident = format!("{}_INFO", names::snake(&builder).to_uppercase());
    let mut names = OpNames {
        version_mod: names::version_module(version),
        ns_mods: names::namespace_modules(&op.namespace),
        group: op.group.clone(),
        method: fn_ident.clone(),
        ..OpNames::default()
    };

    // Inputs: path, required headers, body.
    let mut inputs: Vec<Input> = Vec::new();
    let mut field_scope = Scope::with(&["client", "query", "headers", "body"]);
    let path_expr;
    if op.paths.len() == 1 {
        let fields = param_fields(&op.paths[0], (layout, version), &mut field_scope);
        let refs: Vec<String> = fields
            .iter()
            .map(|f| format!("&self.{}", f.field))
            .collect();
        path_expr = path_format(&op.paths[0], &refs);
        inputs.extend(fields.into_iter().map(|f| param_input(f.field, f.ty)));
    } else {
        let enum_ident = names::ident(&types.claim(&format!("{op_camel}Path")).0);
        let ctors = path_enum(out, layout, version, op, &enum_ident);
        names.path_enum = Some((enum_ident.clone(), ctors));
        let f = names::ident(&field_scope.claim("path").0);
        path_expr = format!("self.{f}.to_path()");
        inputs.push(Input::typed(f, enum_ident));
    }
    let mut header_stmts = Vec::new();
    let mut setters = Code::with_depth(1);
    let mut optional_fields = Vec::new();
    for h in &op.headers {
        let f = names::ident(&field_scope.claim(&names::snake(&h.name)).0);
        let name = lit(&h.name);
        if h.required {
            header_stmts.push((name, f.clone(), true));
            inputs.push(Input::string(f));
        } else {
            let doc = format!(
                "Sets the `{}` header.{}",
                h.name,
                h.description
                    .as_deref()
                    .map(|d| format!(" {}", docs::prose(d)))
                    .unwrap_or_default()
            );
            setter(
                &mut setters,
                &doc,
                &f,
                &format!("value: {INTO_STRING}"),
                format_args!("self.{f} = Some(value.into());"),
            );
            header_stmts.push((name, f.clone(), false));
            names.headers.push((h.name.clone(), f.clone()));
            optional_fields.push(f);
        }
    }
    // Required query parameters: arguments, written first (name literal, field).
    let mut required_query = Vec::new();
    for q in &op.query {
        let Some(option) = query_setter(&q.name) else {
            continue;
        };
        if q.required {
            let f = names::ident(&field_scope.claim(&names::snake(option)).0);
            required_query.push((lit(&q.name), f.clone()));
            names.required_query.push(q.name.clone());
            inputs.push(if q.is_timestamp() {
                Input::timestamp(f)
            } else {
                Input::display(f)
            });
            continue;
        }
        // Setter names of OData options that read better spelt out: `$orderby` is
        // `order_by`, `$id` (the reference a `DELETE .../$ref?$id=` removes) `odata_id`.
        const SPELT_OUT: &[(&str, &str)] = &[("orderby", "order_by"), ("id", "odata_id")];
        let name = match SPELT_OUT
            .iter()
            .find(|(o, _)| q.name.starts_with('$') && option.eq_ignore_ascii_case(o))
        {
            Some((_, spelt)) => (*spelt).to_owned(),
            None => names::snake(option),
        };
        let f = names::ident(&field_scope.claim(&name).0);
        let doc = if q.name == "$id" {
            "Sets the OData `$id` query option: the `@odata.id` (URL) of the reference to remove."
                .to_owned()
        } else if q.name.starts_with('$') {
            format!("Sets the OData `{}` query option.", q.name)
        } else {
            format!("Sets the `{}` query parameter.", q.name)
        };
        // The OData options that list items take a list as well as a string.
        let (arg, value) = if LIST_OPTIONS.contains(&q.name.as_str()) {
            ("value: impl crate::runtime::QueryList", "value.to_query()")
        } else {
            ("value: impl ::std::fmt::Display", "value.to_string()")
        };
        setter(
            &mut setters,
            &doc,
            &f,
            arg,
            format_args!("self.query.push(({}, {value}));", lit(&q.name)),
        );
        names.query.push((q.name.clone(), f));
    }
    // Body.
    let mut body_field = None;
    let mut has_body = false;
    // Raw content: (the field of its content type, the default content type).
    let mut content = None;
    match &op.body {
        Some(BodyModel::Content { content_type }) => {
            inputs.push(Input {
                field: "body".to_owned(),
                ty: "::bytes::Bytes".to_owned(),
                arg_ty: "impl ::std::convert::Into<::bytes::Bytes>".to_owned(),
                convert: ".into()",
            });
            let f = names::ident(&field_scope.claim("content_type").0);
            setter(
                &mut setters,
                &format!("Sets the `Content-Type` of the content (default `{content_type}`)."),
                &f,
                &format!("value: {INTO_STRING}"),
                format_args!("self.{f} = Some(value.into());"),
            );
            optional_fields.push(f.clone());
            content = Some((f, content_type));
        }
        Some(BodyModel::Type { ty }) => {
            let t = layout.rust_type(MODELS, version, ty, false);
            inputs.push(Input::typed("body".to_owned(), t));
            has_body = true;
        }
        Some(BodyModel::Parameters { type_name }) => {
            let t = layout
                .path(MODELS, version, type_name)
                .unwrap_or_else(|| JSON.to_owned());
            setter(
                &mut setters,
                &format!("Replaces the whole request body of `{}`.", op.name),
                "body",
                &format!("body: {t}"),
                "self.body = body;",
            );
            names.body_setter = true;
            has_body = true;
            body_field = Some(t);
            if let Some(TypeDef {
                kind: TypeKind::Struct { properties },
                ..
            }) = vm.types.get(type_name)
            {
                let mut fscope = Scope::default();
                // Setters are methods: their names are apart from the builder's fields (a body
                // parameter `id` beside the path parameter `id` is `.id(..)`), not from its
                // other methods.
                let mut methods = Scope::with(BUILDER_METHODS);
                for (_, s) in names.headers.iter().chain(&names.query) {
                    methods.claim(s);
                }
                for p in properties {
                    let field = names::ident(&fscope.claim(&names::snake(&p.name)).0);
                    let name = names::ident(&methods.claim(&names::snake(&p.name)).0);
                    let pty = layout.property_type(MODELS, version, p, false);
                    let doc = format!(
                        "Sets the body parameter `{}`.{}",
                        p.name,
                        p.description
                            .as_deref()
                            .map(|d| format!(" {}", docs::prose(d)))
                            .unwrap_or_default()
                    );
                    // A list from anything that iterates over its items or what converts into
                    // them: `.roles(["write"])`, `.recipients(vec![recipient])`.
                    let item = match &p.ty {
                        TypeRef::Collection(inner) if !p.flags => match inner.as_ref() {
                            TypeRef::Prim(_) | TypeRef::Named(_) => {
                                Some(layout.rust_type(MODELS, version, inner, false))
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    let (arg, value) = if let Some(item) = item {
                        (
                            format!(
                                "value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<{item}>>"
                            ),
                            "value.into_iter().map(::std::convert::Into::into).collect()",
                        )
                    } else if p.flags || takes_into(&p.ty) {
                        // A flags value from an array of members too: `.parts_to_clone([A, B])`;
                        // text, a timestamp or a GUID from a `&str` too (or a `time` value, a
                        // `Uuid`: `graph_models`' conversions).
                        (
                            format!("value: impl ::std::convert::Into<{pty}>"),
                            "value.into()",
                        )
                    } else {
                        (format!("value: {pty}"), "value")
                    };
                    setter(
                        &mut setters,
                        &doc,
                        &name,
                        &arg,
                        format_args!("self.body.{field} = Some({value});"),
                    );
                }
            }
        }
        None => {}
    }
    names.args = inputs.len();
    // Response: `ty` is the item type of a collection, `Value` when the docs give none.
    let ty = layout.rust_type(
        MODELS,
        version,
        op.response.ty.as_ref().unwrap_or(&TypeRef::Json),
        false,
    );
    // What `send` returns, how it sends, and how the answer of a JSON batch reads the same
    // (a `runtime::ReadAnswer`).
    let (ret, send_body, answer) = match (&op.response.ty, op.response.collection) {
        _ if returns_bytes(op) => (
            "::bytes::Bytes".to_owned(),
            "client.send_bytes(req).await".to_owned(),
            "crate::runtime::Content".to_owned(),
        ),
        (None, _) => (
            "()".to_owned(),
            "client.send_empty(req).await".to_owned(),
            "crate::runtime::NoContent".to_owned(),
        ),
        (Some(_), true) => (
            format!("crate::runtime::Page<{ty}>"),
            format!("client.send_page::<{ty}>(req).await"),
            format!("crate::runtime::Json<crate::runtime::Page<{ty}>>"),
        ),
        (Some(TypeRef::Prim(_)), false) => (
            ty.clone(),
            format!("client.send_json::<crate::ValueOf<{ty}>>(req).await.map(|v| v.value)"),
            format!("crate::runtime::Primitive<{ty}>"),
        ),
        (Some(_), false) if op.response.or_no_content => (
            format!("::std::option::Option<{ty}>"),
            format!("client.send_json::<::std::option::Option<{ty}>>(req).await"),
            format!("crate::runtime::Json<::std::option::Option<{ty}>>"),
        ),
        (Some(_), false) => (
            ty.clone(),
            format!("client.send_json::<{ty}>(req).await"),
            format!("crate::runtime::Json<{ty}>"),
        ),
    };
    let clouds = match &op.clouds {
        Some(list) => format!(
            "Some(&[{}])",
            self::list(
                list.iter()
                    .filter(|c| c.available)
                    .map(|c| format!("crate::runtime::Cloud::{}", c.cloud.ident()))
            )
        ),
        None => "None".to_owned(),
    };
    let version_variant = if version == "beta" { "Beta" } else { "V1" };

    // The method on the group handle.
    let args: String = inputs
        .iter()
        .map(|i| format!(", {}: {}", i.field, i.arg_ty))
        .collect();
    let m = &mut *out.methods;
    m.doc(&docs::operation(op, version))
        .attr(out.cfg)
        .line("#[inline]")
        .open(format_args!("pub fn {fn_ident}(&self{args}) -> {builder}"))
        .open(&builder)
        .line("client: self.client.clone(),");
    for i in &inputs {
        if i.convert.is_empty() {
            m.line(format_args!("{},", i.field));
        } else {
            m.line(format_args!("{0}: {0}{1},", i.field, i.convert));
        }
    }
    for f in &optional_fields {
        m.line(format_args!("{f}: None,"));
    }
    if body_field.is_some() {
        m.line("body: ::std::default::Default::default(),");
    }
    m.line("query: Vec::new(),").close("").close("");

    // The operation info, the builder and its `send`s.
    let c = &mut *out.items;
    c.blank()
        .attr(out.cfg)
        .open(format_args!(
            "static {info_ident}: crate::runtime::OperationInfo = crate::runtime::OperationInfo"
        ))
        .line(format_args!("name: {},", lit(&op.name)))
        .line(format_args!(
            "version: crate::runtime::ApiVersion::{version_variant},"
        ))
        .line(format_args!("method: ::http::Method::{},", op.method))
        .line(format_args!(
            "paths: &[{}],",
            list(op.paths.iter().map(|p| lit(&p.raw)))
        ))
        .line(format_args!("clouds: {clouds},"))
        .close(";")
        .blank()
        .doc(&format!(
            "Request builder for `{}`: set optional inputs, then `.send().await`.",
            op.name
        ))
        .attr(out.cfg)
        .line("#[derive(Debug, Clone)]")
        .line(r#"#[must_use = "a request does nothing until it is sent"]"#)
        .open(format_args!("pub struct {builder}"))
        .line("client: crate::Client,");
    for i in &inputs {
        c.line(format_args!("{}: {},", i.field, i.ty));
    }
    for f in &optional_fields {
        c.line(format_args!("{f}: ::std::option::Option<{STRING}>,"));
    }
    if let Some(t) = &body_field {
        c.line(format_args!("body: {t},"));
    }
    c.line("query: ::std::vec::Vec<(&'static str, ::std::string::String)>,")
        .close("")
        .blank()
        .attr(out.cfg)
        .open(format_args!("impl {builder}"))
        .append(setters)
        .doc("The request as it will be sent, for inspection or custom sending.")
        .line("#[inline]")
        .open("pub fn into_request(self) -> crate::runtime::Request")
        .line(format_args!(
            "let mut req = crate::runtime::Request::new(&{info_ident}, {path_expr});"
        ));
    // (header name literal, field, required)
    for (name, f, required) in &header_stmts {
        if *required {
            c.line(format_args!("req.header({name}, self.{f}.as_str());"));
        } else {
            c.open(format_args!("if let Some(v) = &self.{f}"))
                .line(format_args!("req.header({name}, v.as_str());"))
                .close("");
        }
    }
    for (name, f) in &required_query {
        c.line(format_args!("req.query({name}, self.{f}.as_str());"));
    }
    c.open("for (name, value) in &self.query")
        .line("req.query(name, value.as_str());")
        .close("");
    if has_body {
        c.line("req.json(&self.body);");
    }
    if let Some((f, default)) = &content {
        c.line(format_args!(
            "req.bytes(self.{f}.as_deref().unwrap_or({}), self.body);",
            lit(default)
        ));
    }
    c.line("req")
        .close("")
        .blank()
        .doc(&format!(
            "Sends `{} {}` and returns the documented response (`{}`){}.",
            op.method,
            op.paths[0].raw,
            op.response.status,
            if op.response.or_no_content {
                "; `None` when the service answers `204 No Content` (the docs show both answers)"
            } else {
                ""
            }
        ))
        .line("#[inline]")
        .open(format_args!(
            "pub async fn send(self) -> crate::Result<{ret}>"
        ))
        .line("let client = self.client.clone();")
        .line("let req = self.into_request();")
        .line(&send_body)
        .close("");
    let monitor = op
        .response
        .monitor
        .as_ref()
        .map(|m| layout.rust_type(MODELS, version, m, false));
    let representation = op
        .response
        .representation
        .as_ref()
        .map(|r| layout.rust_type(MODELS, version, r, false));
    extra_sends(c, op, &ty, monitor.as_deref(), representation.as_deref());
    if castable(op, version, layout) {
        emit_cast(c, &ty);
    }
    c.close("");
    emit_operation_impl(c, out.cfg, &builder, &answer);
    names
}

/// `impl runtime::Operation`: the builder's request and how its answer reads (`answer`, a
/// `runtime::ReadAnswer` whose output is what `send` returns), for code that takes any
/// operation (a JSON batch reads each answer as `send` returns it).
fn emit_operation_impl(code: &mut Code, cfg: &str, builder: &str, answer: &str) {
    code.blank()
        .attr(cfg)
        .open(format_args!("impl crate::runtime::Operation for {builder}"))
        .line(format_args!("type Answer = {answer};"))
        .blank()
        .line("#[inline]")
        .open("fn into_request(self) -> crate::runtime::Request")
        .line(format_args!("{builder}::into_request(self)"))
        .close("")
        .close("");
}

/// The other ways to send: the content as a stream of chunks for an operation that answers
/// with content, a lazy stream over all pages for a collection, a polled handle for
/// an operation the docs describe as long-running (`202 Accepted` and `Location`), which yields
/// what the docs say the `Location` points at (`monitor`), else the documented response, and the
/// resource asked for with `Prefer: return=representation` where the docs offer it.
fn extra_sends(
    code: &mut Code,
    op: &Operation,
    ty: &str,
    monitor: Option<&str>,
    representation: Option<&str>,
) {
    if returns_bytes(op) {
        code.blank()
            .doc("Sends the request and returns the content as a stream of chunks, read as it\narrives: for content too large to hold in memory (`send()` collects it).")
            .line("#[inline]")
            .open("pub async fn send_stream(self) -> crate::Result<crate::runtime::ContentStream>")
            .line("let client = self.client.clone();")
            .line("let req = self.into_request();")
            .line("client.send_stream(req).await")
            .close("");
    }
    if op.response.collection && op.response.ty.is_some() {
        code.blank()
            .doc("Follows `@odata.nextLink` to the end, lazily: a stream of pages, each fetched with\nthe client's retries.")
            .line("#[inline]")
            .open(format_args!(
                "pub fn stream_pages(self) -> crate::runtime::PageStream<{ty}>"
            ))
            .line("let client = self.client.clone();")
            .line(format_args!(
                "client.stream_pages::<{ty}>(self.into_request())"
            ))
            .close("")
            .blank()
            .doc("Every item of every page, lazily (follows `@odata.nextLink`).")
            .line("#[inline]")
            .open(format_args!("pub fn stream_items(self) -> ::futures::stream::BoxStream<'static, crate::Result<{ty}>>"))
            .line("let client = self.client.clone();")
            .line(format_args!(
                "client.stream_items::<{ty}>(self.into_request())"
            ))
            .close("");
        if op.counts() {
            code.blank()
                .doc("`GET .../$count`: the number of items the request's `$filter` or `$search` selects\n(with `ConsistencyLevel: eventual`; the options that shape a page are left out).")
                .line("#[inline]")
                .open("pub async fn send_count(self) -> crate::Result<u64>")
                .line("let client = self.client.clone();")
                .line("client.send_count(self.into_request()).await")
                .close("");
        }
    }
    if let Some(repr) = representation {
        code.blank()
            .doc(&format!(
                "Sends with `Prefer: return=representation`: the service answers `200 OK` with the\n{} instead of `204 No Content`.",
                if op.method == "PATCH" { "updated resource" } else { "resource" }
            ))
            .line("#[inline]")
            .open(format_args!("pub async fn send_returning(self) -> crate::Result<{repr}>"))
            .line("let client = self.client.clone();")
            .line(format_args!("client.send_representation::<{repr}>(self.into_request()).await"))
            .close("");
    }
    if op.response.long_running {
        let result = if let Some(monitor) = monitor {
            monitor.to_owned()
        } else if op.response.collection {
            format!("crate::runtime::Page<{ty}>")
        } else {
            ty.to_owned()
        };
        code.blank()
            .doc("Sends with `Prefer: respond-async`: a `202 Accepted` gives a handle that polls the\n`Location` (or `Operation-Location`) it names until the operation succeeds or fails; a\ndirect answer is complete at once.")
            .line("#[inline]")
            .open(format_args!("pub async fn send_long_running(self) -> crate::Result<crate::runtime::LongRunning<{result}>>"))
            .line("let client = self.client.clone();")
            .line("client.send_lro(self.into_request()).await")
            .close("");
    }
}

/// A list request whose items have derived types (see [`Operation::listed_type`]).
fn castable(op: &Operation, version: &str, layout: &Layout) -> bool {
    !returns_bytes(op)
        && op
            .listed_type()
            .is_some_and(|n| layout.bases.contains(&(version.to_owned(), n.to_owned())))
}

/// `cast::<T>()` of a castable list request (see [`castable`]).
fn emit_cast(code: &mut Code, ty: &str) {
    code.blank()
        .doc(&format!("Lists only the items of a type derived from [`{ty}`], decoded as that type: OData's type\ncast segment (`/microsoft.graph.user`) after the path, e.g. `.cast::<User>()`. The typed\nsetters come first (the cast takes the request as it is); `query` and `header` also after it."))
        .line("#[inline]")
        .open(format_args!(
            "pub fn cast<T: crate::models::DerivedFrom<{ty}>>(self) -> crate::runtime::Cast<T>"
        ))
        .line("let client = self.client.clone();")
        .line("crate::runtime::Cast::new(client, self.into_request())")
        .close("");
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

/// The OData system query options whose value is a comma-separated list.
const LIST_OPTIONS: &[&str] = &["$select", "$expand", "$orderby"];

/// The setter name of a documented query parameter: OData options without their `$`, plain
/// parameters (`startDateTime` of calendar views, `token` of delta) as they are; none for a
/// function parameter that the path already carries (`getEmailActivityCounts(period='{..}')`).
fn query_setter(name: &str) -> Option<&str> {
    if let Some(option) = name.strip_prefix('$') {
        return Some(option);
    }
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then_some(name)
}
