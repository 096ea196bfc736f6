//! `graph-models`: one file per type (struct or enum), `mod.rs` files with flat re-exports.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::code::{lit, Code};
use super::docs;
use super::layout::{Layout, TypePath};
use super::Sink;
use crate::model::areas::Areas;
use crate::model::{ApiModel, EnumMember, Property, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::names::{self, Scope};

pub fn emit(model: &ApiModel, layout: &Layout, areas: &BTreeMap<String, Areas>, sink: &mut Sink) {
    let mut versions = Vec::new();
    for (version, vm) in &model.versions {
        let vmod = names::version_module(version);
        versions.push((vmod.clone(), version.clone()));
        let areas = &areas[version];
        // Per namespace: (file module, cfg) of its types.
        let mut files: BTreeMap<Vec<String>, Vec<(String, String)>> = BTreeMap::new();
        // One file per type, written on every core; stored in type order.
        let types: Vec<(&TypeDef, &TypePath)> = vm
            .types
            .values()
            .map(|ty| (ty, &layout.types[&(version.clone(), ty.name.clone())]))
            .collect();
        let codes = types
            .par_iter()
            .map(|&(ty, p)| {
                let mut code = Code::new();
                match &ty.kind {
                    TypeKind::Struct { .. } => {
                        emit_struct(&mut code, vm, ty, layout, version);
                        emit_graph_type(&mut code, vm, ty, layout, version, areas);
                        emit_downcast(&mut code, ty, layout, version);
                    }
                    TypeKind::Enum { members } => emit_enum(&mut code, ty, members, &p.ident),
                }
                code
            })
            .collect::<Vec<_>>();
        for ((ty, p), code) in types.into_iter().zip(codes) {
            sink.add(
                super::ns_path(&vmod, &p.ns_mods, &format!("{}.rs", p.file_mod)),
                code,
            );
            files
                .entry(p.ns_mods.clone())
                .or_default()
                .push((p.file_mod.clone(), super::cfg(&areas.types[&ty.name])));
        }
        for ns in &layout.namespaces[version] {
            let title = if ns.is_empty() {
                format!("Types of Microsoft Graph `{version}`.")
            } else {
                format!(
                    "Types of the namespace `microsoft.graph.{}` (`{version}`).",
                    ns.join(".")
                )
            };
            let mut code = Code::new();
            code.inner_doc(&title).blank();
            for child in layout.namespaces[version]
                .iter()
                .filter(|s| s.len() == ns.len() + 1 && s.starts_with(ns))
            {
                let child = child.last().expect("a child namespace has a name");
                code.line(format_args!("pub mod {};", names::ident(child)));
            }
            let own = files.get(ns).map(Vec::as_slice).unwrap_or_default();
            for (m, cfg) in own {
                code.attr(cfg)
                    .line(format_args!("mod {};", names::ident(m)));
            }
            for (m, cfg) in own {
                code.attr(cfg)
                    .line(format_args!("pub use {}::*;", names::ident(m)));
            }
            sink.add(super::ns_path(&vmod, ns, "mod.rs"), code);
        }
    }
    let mut code = Code::new();
    for (m, v) in &versions {
        code.doc(&format!("Microsoft Graph `{v}`."))
            .line(format_args!("pub mod {};", names::ident(m)));
    }
    sink.add("mod.rs", code);
}

/// The properties of a type including those of its base types, base first.
pub fn all_properties<'a>(vm: &'a VersionModel, ty: &'a TypeDef) -> Vec<&'a Property> {
    let mut chain = vec![ty];
    chain.extend(vm.ancestors(ty));
    let mut out: Vec<&Property> = Vec::new();
    for t in chain.iter().rev() {
        if let TypeKind::Struct { properties } = &t.kind {
            for p in properties {
                match out.iter().position(|q| q.name == p.name) {
                    Some(i) => out[i] = p,
                    None => out.push(p),
                }
            }
        }
    }
    out
}

/// `GraphType` (the qualified name) of a Graph type, and `DerivedFrom` each of its base types,
/// each compiled with its base type's areas. Request bodies are not Graph types.
fn emit_graph_type(
    code: &mut Code,
    vm: &VersionModel,
    ty: &TypeDef,
    layout: &Layout,
    version: &str,
    areas: &Areas,
) {
    if ty.request_body {
        return;
    }
    let ident = names::ident(&layout.types[&(version.to_owned(), ty.name.clone())].ident);
    code.blank()
        .open(format_args!("impl crate::GraphType for {ident}"))
        .line(format_args!(
            "const ODATA_TYPE: &'static str = {};",
            lit(&ty.name)
        ))
        .close("");
    for base in vm.ancestors(ty) {
        let Some(path) = layout.path("crate", version, &base.name) else {
            continue;
        };
        code.blank()
            .attr(&super::cfg(&areas.types[&base.name]))
            .line(format_args!(
                "impl crate::DerivedFrom<{path}> for {ident} {{}}"
            ));
    }
}

/// `downcast::<T>()` of a type that other Graph types derive from: an item of a collection of
/// it read as the derived type its `@odata.type` names.
fn emit_downcast(code: &mut Code, ty: &TypeDef, layout: &Layout, version: &str) {
    let key = (version.to_owned(), ty.name.clone());
    if !layout.bases.contains(&key) {
        return;
    }
    let ident = names::ident(&layout.types[&key].ident);
    code.blank()
        .open(format_args!("impl {ident}"))
        .doc(&format!("This value as the derived type `T` when its `@odata.type` names `T` (an item of a\ncollection of `{}` that is a `T`), else `None`; see [`crate::downcast`].", ty.short))
        .line("#[inline]")
        .open("pub fn downcast<T: crate::DerivedFrom<Self> + ::serde::de::DeserializeOwned>(&self) -> ::std::option::Option<T>")
        .line("crate::downcast(self)")
        .close("")
        .close("");
}

/// Does a field of type `target` inside `owner` need a `Box` (the types are mutually recursive
/// through single-valued fields)?
fn needs_box(vm: &VersionModel, owner: &str, target: &str) -> bool {
    let mut stack = vec![target];
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if name == owner {
            return true;
        }
        if !seen.insert(name) {
            continue;
        }
        if let Some(ty) = vm.types.get(name) {
            for p in all_properties(vm, ty) {
                if let TypeRef::Named(n) = &p.ty {
                    stack.push(n);
                }
            }
        }
    }
    false
}

fn emit_struct(code: &mut Code, vm: &VersionModel, ty: &TypeDef, layout: &Layout, version: &str) {
    let ident = names::ident(&layout.types[&(version.to_owned(), ty.name.clone())].ident);
    let mut doc = match &ty.description {
        Some(d) => docs::prose(d),
        None => format!("`{}` (the docs give no description).", ty.short),
    };
    doc.push_str(&format!("\n\nGraph type `{}`.", ty.name));
    if ty.inferred {
        doc.push_str(" The docs have no page for it: its properties are inferred from examples.");
    }
    if let Some(from) = &ty.copied_from {
        doc.push_str(&format!(" Documented only in `{from}`; taken from there."));
    }
    let props = all_properties(vm, ty);
    // `odata_type` is ours unless the docs list `@odata.type` as a property.
    let own_odata_type = !props.iter().any(|p| p.name == "@odata.type");
    // A derived type names itself in `@odata.type` from `Default` on.
    let names_itself = ty.base.is_some() && own_odata_type;
    if let Some(base) = &ty.base {
        doc.push_str(&format!(
            " Derives from `{base}`; its properties are included."
        ));
    }
    if names_itself {
        doc.push_str(&format!(
            "\n\n`Default` sets `odata_type` to `#{}`: in a request body, Graph tells a derived type \
             from its base by it (a `POST` to a collection of the base type).",
            ty.name
        ));
    }
    code.doc(&doc)
        .line(if names_itself {
            "#[derive(Debug, Clone, PartialEq)]"
        } else {
            "#[derive(Debug, Clone, Default, PartialEq)]"
        })
        .open(format_args!("pub struct {ident}"));
    let mut scope = Scope::with(&["additional_properties"]);
    // (field, JSON name) for the `Serialize` and `Deserialize` impls.
    let mut json_fields = Vec::new();
    if own_odata_type {
        scope.claim("odata_type");
        code.doc("The `@odata.type` of the value, e.g. for derived types.")
            .line("pub odata_type: ::std::option::Option<::std::string::String>,");
        json_fields.push((names::ident("odata_type"), "@odata.type"));
    }
    for p in props {
        let field = names::ident(&scope.claim(&names::snake(&p.name)).0);
        let boxed = matches!(&p.ty, TypeRef::Named(n) if needs_box(vm, &ty.name, n));
        let rty = layout.property_type("crate", version, p, boxed);
        let mut d = match &p.description {
            Some(d) => docs::prose(d),
            None => format!("`{}`.", p.name),
        };
        if p.inferred {
            d.push_str(" (Inferred from an example.)");
        }
        if p.navigation {
            docs::end_sentence(&mut d);
            d.push_str(" Relationship: present only when expanded (`$expand`).");
        }
        code.doc(&d)
            .line(format_args!("pub {field}: ::std::option::Option<{rty}>,"));
        json_fields.push((field, p.name.as_str()));
    }
    code.doc("Properties that the docs do not list, and properties set to an explicit `null` (Graph\nclears a property when a `PATCH` sends `null`: insert it here to clear one), kept so that\nnothing is lost on a round-trip.")
        .line("pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,")
        .close("")
        .blank();
    if names_itself {
        emit_default(code, &ident, &ty.name, &json_fields);
        code.blank();
    }
    emit_serialize(code, &ident, &json_fields);
    code.blank();
    emit_deserialize(code, &ident, &json_fields);
}

/// `Default` of a derived type: every property empty but `odata_type`, which names the type
/// (`#microsoft.graph.iosCustomConfiguration`).
fn emit_default(code: &mut Code, ident: &str, name: &str, fields: &[(String, &str)]) {
    code.open(format_args!("impl ::std::default::Default for {ident}"))
        .open("fn default() -> Self")
        .open("Self");
    for (field, key) in fields {
        if *key == "@odata.type" {
            code.line(format_args!(
                "{field}: ::std::option::Option::Some(::std::string::String::from({})),",
                lit(&format!("#{name}"))
            ));
        } else {
            code.line(format_args!("{field}: ::std::option::Option::None,"));
        }
    }
    code.line("additional_properties: ::serde_json::Map::new(),")
        .close("")
        .close("")
        .close("");
}

/// `Serialize` of a struct through `graph_models::__private::Out`: one line per property where
/// a derive tests and returns early per property (see `graph-models/src/ser.rs`).
fn emit_serialize(code: &mut Code, ident: &str, fields: &[(String, &str)]) {
    code.open(format_args!("impl ::serde::Serialize for {ident}"))
        .open("fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>")
        .line("let mut out = crate::__private::Out::new(serializer, &self.additional_properties)?;");
    for (field, key) in fields {
        code.line(format_args!("out.field({}, &self.{field});", lit(key)));
    }
    code.line("out.finish()").close("").close("");
}

/// `Deserialize` of a struct through `graph_models::__private::Fields`: a few lines per struct
/// where a derive with `flatten` is a large state machine (see `graph-models/src/de.rs`).
fn emit_deserialize(code: &mut Code, ident: &str, fields: &[(String, &str)]) {
    code.open(format_args!("impl<'de> ::serde::Deserialize<'de> for {ident}"))
        .open("fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error>")
        .line("let mut fields = crate::__private::Fields::new(deserializer)?;")
        .open("let value = Self");
    for (field, key) in fields {
        code.line(format_args!("{field}: fields.take({}),", lit(key)));
    }
    code.line("additional_properties: fields.rest(),")
        .close(";")
        .line("fields.finish(value)")
        .close("")
        .close("");
}

fn emit_enum(code: &mut Code, ty: &TypeDef, members: &[EnumMember], ident: &str) {
    let ident = names::ident(ident);
    let mut doc = match &ty.description {
        Some(d) => docs::prose(d),
        None => format!("`{}` (the docs give no description).", ty.short),
    };
    doc.push_str(&format!(
        "\n\nGraph enum `{}`. Values this crate does not know yet decode as `Unknown`.",
        ty.name
    ));
    let mut scope = Scope::with(&[names::ENUM_CATCH_ALL]);
    let mut seen = BTreeSet::new();
    // (variant, JSON value, doc)
    let mut variants = Vec::new();
    for m in members {
        if !seen.insert(m.value.as_str()) {
            continue;
        }
        let doc = match &m.description {
            Some(d) => format!("`{}`: {}", m.value, docs::prose(d)),
            None => format!("`{}`.", m.value),
        };
        let variant = names::ident(&scope.claim(&names::enum_variant(&m.value)).0);
        variants.push((variant, lit(&m.value), doc));
    }
    code.doc(&doc)
        .line("#[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]")
        .line(r#"#[serde(from = "String", into = "String")]"#)
        .line("#[non_exhaustive]")
        .open(format_args!("pub enum {ident}"));
    for (variant, _, doc) in &variants {
        code.doc(doc).line(format_args!("{variant},"));
    }
    code.doc("A value that this version of the crate does not know.")
        .line("Unknown(::std::string::String),")
        .close("")
        .blank()
        .open(format_args!("impl {ident}"))
        .doc("The value as it appears in JSON.")
        .open("pub fn as_str(&self) -> &str")
        .open("match self");
    for (variant, value, _) in &variants {
        code.line(format_args!("Self::{variant} => {value},"));
    }
    code.line("Self::Unknown(s) => s,")
        .close("")
        .close("")
        .close("")
        .blank()
        .open(format_args!(
            "impl ::std::convert::From<::std::string::String> for {ident}"
        ))
        .open("fn from(s: ::std::string::String) -> Self")
        .open("match s.as_str()");
    for (variant, value, _) in &variants {
        code.line(format_args!("{value} => Self::{variant},"));
    }
    code.line("_ => Self::Unknown(s),")
        .close("")
        .close("")
        .close("")
        .blank()
        .open(format_args!(
            "impl ::std::convert::From<{ident}> for ::std::string::String"
        ))
        .open(format_args!("fn from(v: {ident}) -> Self"))
        .open("match v")
        .line(format_args!("{ident}::Unknown(s) => s,"))
        .line("other => other.as_str().to_owned(),")
        .close("")
        .close("")
        .close("");
}
