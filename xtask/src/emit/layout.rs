//! Where every generated type lives: version module, namespace modules, file module, ident.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{ApiModel, Prim, TypeRef};
use crate::names::{self, Scope};

#[derive(Debug, Clone)]
pub struct TypePath {
    pub version_mod: String,
    pub ns_mods: Vec<String>,
    pub file_mod: String,
    pub ident: String,
}

/// The Rust location of every type of every version.
#[derive(Debug, Default)]
pub struct Layout {
    pub types: BTreeMap<(String, String), TypePath>,
    /// Namespace module paths per version (every prefix included), for `mod.rs` files.
    pub namespaces: BTreeMap<String, BTreeSet<Vec<String>>>,
}

impl Layout {
    pub fn new(model: &ApiModel) -> Self {
        let mut layout = Layout::default();
        for (version, vm) in &model.versions {
            let version_mod = names::version_module(version);
            let spaces = layout.namespaces.entry(version.clone()).or_default();
            spaces.insert(Vec::new());
            for ty in vm.types.values() {
                let mods = names::namespace_modules(&ty.namespace);
                for i in 1..=mods.len() {
                    spaces.insert(mods[..i].to_vec());
                }
            }
            let mut idents: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
            let mut files: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
            for ty in vm.types.values() {
                let ns_mods = names::namespace_modules(&ty.namespace);
                let children: Vec<&str> = spaces
                    .iter()
                    .filter(|s| s.len() == ns_mods.len() + 1 && s.starts_with(&ns_mods))
                    .map(|s| s.last().unwrap().as_str())
                    .collect();
                let ident = idents
                    .entry(ns_mods.clone())
                    .or_insert_with(|| Scope::with(&["Map", "Value"]))
                    .claim(&names::camel(&ty.short))
                    .0;
                let file_mod = files
                    .entry(ns_mods.clone())
                    .or_insert_with(|| Scope::with(&children))
                    .claim(&names::snake(&ident))
                    .0;
                layout.types.insert(
                    (version.clone(), ty.name.clone()),
                    TypePath {
                        version_mod: version_mod.clone(),
                        ns_mods,
                        file_mod,
                        ident,
                    },
                );
            }
        }
        layout
    }

    /// The path of a type from a crate root, e.g. `crate::v1::security::Alert`.
    pub fn path(&self, root: &TokenStream, version: &str, name: &str) -> Option<TokenStream> {
        let p = self.types.get(&(version.to_owned(), name.to_owned()))?;
        let v = names::ident(&p.version_mod);
        let ns = p.ns_mods.iter().map(|m| names::ident(m));
        let id = names::ident(&p.ident);
        Some(quote! { #root::#v #(::#ns)* ::#id })
    }

    /// The Rust type of a reference; `boxed` wraps named types in `Box`.
    pub fn rust_type(
        &self,
        root: &TokenStream,
        version: &str,
        t: &TypeRef,
        boxed: bool,
    ) -> TokenStream {
        match t {
            TypeRef::Prim(p) => prim(root, *p),
            TypeRef::Named(n) => match self.path(root, version, n) {
                Some(path) if boxed => quote! { ::std::boxed::Box<#path> },
                Some(path) => path,
                None => quote! { ::serde_json::Value },
            },
            TypeRef::Collection(inner) => {
                let inner = self.rust_type(root, version, inner, false);
                quote! { ::std::vec::Vec<#inner> }
            }
            TypeRef::Json => quote! { ::serde_json::Value },
        }
    }
}

/// Primitive types; the string-carried ones are aliases in `graph_models` that say what they hold.
fn prim(root: &TokenStream, p: Prim) -> TokenStream {
    match p {
        Prim::String => quote! { ::std::string::String },
        Prim::Boolean => quote! { bool },
        Prim::Byte => quote! { u8 },
        Prim::Int16 => quote! { i16 },
        Prim::Int32 => quote! { i32 },
        Prim::Int64 => quote! { i64 },
        Prim::Single => quote! { f32 },
        Prim::Double | Prim::Decimal => quote! { f64 },
        Prim::DateTimeOffset => quote! { #root::DateTimeOffset },
        Prim::Date => quote! { #root::Date },
        Prim::TimeOfDay => quote! { #root::TimeOfDay },
        Prim::Duration => quote! { #root::Duration },
        Prim::Guid => quote! { #root::Guid },
        Prim::Binary => quote! { #root::Binary },
        Prim::Stream => quote! { #root::Binary },
    }
}
