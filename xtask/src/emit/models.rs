//! `graph-models`: one file per type (struct or enum), `mod.rs` files with flat re-exports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::layout::Layout;
use super::Sink;
use crate::model::areas::Areas;
use crate::model::{ApiModel, EnumMember, Property, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::names::{self, Scope};

pub fn emit(
    model: &ApiModel,
    layout: &Layout,
    areas: &BTreeMap<String, Areas>,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let root = quote! { crate };
    let mut versions = Vec::new();
    for (version, vm) in &model.versions {
        let vmod = names::version_module(version);
        versions.push((vmod.clone(), version.clone()));
        let areas = &areas[version];
        let mut files: BTreeMap<Vec<String>, Vec<(String, TokenStream)>> = BTreeMap::new();
        for ty in vm.types.values() {
            let p = &layout.types[&(version.clone(), ty.name.clone())];
            let tokens = match &ty.kind {
                TypeKind::Struct { .. } => emit_struct(vm, ty, layout, &root, version),
                TypeKind::Enum { members } => emit_enum(ty, members, &p.ident),
            };
            let mut path = PathBuf::from(&vmod);
            path.extend(&p.ns_mods);
            path.push(format!("{}.rs", p.file_mod));
            sink.add(path, tokens)?;
            let cfg = super::cfg(&areas.types[&ty.name]);
            files
                .entry(p.ns_mods.clone())
                .or_default()
                .push((p.file_mod.clone(), cfg));
        }
        for ns in &layout.namespaces[version] {
            let children: Vec<&String> = layout.namespaces[version]
                .iter()
                .filter(|s| s.len() == ns.len() + 1 && s.starts_with(ns))
                .map(|s| s.last().unwrap())
                .collect();
            let own = files.get(ns).cloned().unwrap_or_default();
            let title = if ns.is_empty() {
                format!("Types of Microsoft Graph `{version}`.")
            } else {
                format!(
                    "Types of the namespace `microsoft.graph.{}` (`{version}`).",
                    ns.join(".")
                )
            };
            let doc = docs::inner_attrs(&title);
            let children = children.iter().map(|c| names::ident(c));
            let own_mods: Vec<_> = own.iter().map(|(m, _)| names::ident(m)).collect();
            let cfgs: Vec<_> = own.iter().map(|(_, c)| c).collect();
            let tokens = quote! {
                #doc
                #( pub mod #children; )*
                #( #cfgs mod #own_mods; )*
                #( #cfgs pub use #own_mods::*; )*
            };
            let mut path = PathBuf::from(&vmod);
            path.extend(ns);
            path.push("mod.rs");
            sink.add(path, tokens)?;
        }
    }
    let mods = versions.iter().map(|(m, _)| names::ident(m));
    let docs = versions
        .iter()
        .map(|(_, v)| format!(" Microsoft Graph `{v}`."));
    sink.add(
        "mod.rs",
        quote! {
            #( #[doc = #docs] pub mod #mods; )*
        },
    )?;
    Ok(())
}

/// The properties of a type including those of its base types, base first.
pub fn all_properties<'a>(vm: &'a VersionModel, ty: &'a TypeDef) -> Vec<&'a Property> {
    let mut chain = vec![ty];
    let mut seen = BTreeSet::from([ty.name.as_str()]);
    let mut cur = ty;
    while let Some(base) = cur.base.as_ref().and_then(|b| vm.types.get(b)) {
        if !seen.insert(base.name.as_str()) {
            break;
        }
        chain.push(base);
        cur = base;
    }
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

fn emit_struct(
    vm: &VersionModel,
    ty: &TypeDef,
    layout: &Layout,
    root: &TokenStream,
    version: &str,
) -> TokenStream {
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
    if let Some(base) = &ty.base {
        doc.push_str(&format!(
            " Derives from `{base}`; its properties are included."
        ));
    }
    let doc = docs::attrs(&doc);
    let mut scope = Scope::with(&["additional_properties"]);
    let props = all_properties(vm, ty);
    let has_odata_type = props.iter().any(|p| p.name == "@odata.type");
    let mut fields = Vec::new();
    // (field, JSON name) for the `Deserialize` impl.
    let mut decoded = Vec::new();
    if !has_odata_type {
        scope.claim("odata_type");
        fields.push(quote! {
            /// The `@odata.type` of the value, e.g. for derived types.
            #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
            pub odata_type: ::std::option::Option<::std::string::String>,
        });
        decoded.push((names::ident("odata_type"), "@odata.type".to_owned()));
    }
    for p in props {
        let name = scope.claim(&names::snake(&p.name)).0;
        let field = names::ident(&name);
        let boxed = matches!(&p.ty, TypeRef::Named(n) if needs_box(vm, &ty.name, n));
        let rty = layout.rust_type(root, version, &p.ty, boxed);
        let mut d = match &p.description {
            Some(d) => docs::prose(d),
            None => format!("`{}`.", p.name),
        };
        if p.inferred {
            d.push_str(" (Inferred from an example.)");
        }
        if p.navigation {
            d.push_str(" Relationship: present only when expanded (`$expand`).");
        }
        let d = docs::attrs(&d);
        let json = &p.name;
        fields.push(quote! {
            #d
            #[serde(rename = #json, skip_serializing_if = "Option::is_none")]
            pub #field: ::std::option::Option<#rty>,
        });
        decoded.push((field, p.name.clone()));
    }
    let deserialize = emit_deserialize(&ident, &decoded);
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize)]
        pub struct #ident {
            #( #fields )*
            /// Properties that the docs do not list, kept so that nothing is lost on a round-trip.
            #[serde(flatten)]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        #deserialize
    }
}

/// `Deserialize` of a struct through `graph_models::__private::Fields`: a few lines per struct
/// where a derive with `flatten` is a large state machine (see `graph-models/src/de.rs`).
fn emit_deserialize(
    ident: &proc_macro2::Ident,
    fields: &[(proc_macro2::Ident, String)],
) -> TokenStream {
    let idents = fields.iter().map(|(f, _)| f);
    let keys = fields.iter().map(|(_, k)| k);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let mut fields = crate::__private::Fields::new(deserializer)?;
                let value = Self {
                    #( #idents: fields.take(#keys), )*
                    additional_properties: fields.rest(),
                };
                fields.finish(value)
            }
        }
    }
}

fn emit_enum(ty: &TypeDef, members: &[EnumMember], ident: &str) -> TokenStream {
    let ident = names::ident(ident);
    let mut doc = match &ty.description {
        Some(d) => docs::prose(d),
        None => format!("`{}` (the docs give no description).", ty.short),
    };
    doc.push_str(&format!(
        "\n\nGraph enum `{}`. Values this crate does not know yet decode as `Unknown`.",
        ty.name
    ));
    let doc = docs::attrs(&doc);
    let mut scope = Scope::with(&["Unknown"]);
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    let mut values = Vec::new();
    let mut vdocs = Vec::new();
    for m in members {
        if !seen.insert(m.value.clone()) {
            continue;
        }
        variants.push(names::ident(&scope.claim(&names::camel(&m.value)).0));
        values.push(m.value.clone());
        vdocs.push(docs::attrs(&match &m.description {
            Some(d) => format!("`{}`: {}", m.value, docs::prose(d)),
            None => format!("`{}`.", m.value),
        }));
    }
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum #ident {
            #( #vdocs #variants, )*
            /// A value that this version of the crate does not know.
            Unknown(::std::string::String),
        }

        impl #ident {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(s) => s,
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(s: ::std::string::String) -> Self {
                match s.as_str() {
                    #( #values => Self::#variants, )*
                    _ => Self::Unknown(s),
                }
            }
        }

        impl ::std::convert::From<#ident> for ::std::string::String {
            fn from(v: #ident) -> Self {
                match v {
                    #ident::Unknown(s) => s,
                    other => other.as_str().to_owned(),
                }
            }
        }
    }
}
