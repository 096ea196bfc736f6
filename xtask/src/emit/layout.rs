//! Where every generated type lives: version module, namespace modules, file module, ident.

use std::collections::{BTreeMap, BTreeSet};

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
    /// (version, type) of the types that other Graph types derive from: a collection of one can
    /// be cast to a derived type.
    pub bases: BTreeSet<(String, String)>,
    /// Per version, path segment in lower case → the segment as a path of the version spells
    /// it with capitals (`calendargroups` → `calendarGroups`): for naming path parameters.
    pub segments: BTreeMap<String, BTreeMap<String, String>>,
}

impl Layout {
    /// A path segment as the version spells it with capitals, if a path does.
    pub fn segment<'a>(&'a self, version: &str, seg: &'a str) -> &'a str {
        self.segments
            .get(version)
            .and_then(|spelt| spelt.get(&seg.to_ascii_lowercase()))
            .map_or(seg, String::as_str)
    }

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
            for ty in vm.types.values().filter(|t| !t.request_body) {
                for base in vm.ancestors(ty) {
                    layout.bases.insert((version.clone(), base.name.clone()));
                }
            }
            let segments = layout.segments.entry(version.clone()).or_default();
            let mut lower = String::new();
            for p in vm.operations.iter().flat_map(|op| &op.paths) {
                for piece in &p.pieces {
                    let crate::model::Piece::Lit { text } = piece else {
                        continue;
                    };
                    for seg in text
                        .split('/')
                        .filter(|s| s.bytes().any(|b| b.is_ascii_uppercase()))
                    {
                        lower.clear();
                        lower.push_str(seg);
                        lower.make_ascii_lowercase();
                        if !segments.contains_key(&lower) {
                            segments.insert(lower.clone(), seg.to_owned());
                        }
                    }
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
    pub fn path(&self, root: &str, version: &str, name: &str) -> Option<String> {
        let p = self.types.get(&(version.to_owned(), name.to_owned()))?;
        let mods = p.ns_mods.iter().map(String::as_str);
        Some(names::path(
            root,
            std::iter::once(p.version_mod.as_str())
                .chain(mods)
                .chain([p.ident.as_str()]),
        ))
    }

    /// The Rust type of a property: of its reference, or a `Flags` of its enum.
    pub fn property_type(
        &self,
        root: &str,
        version: &str,
        p: &crate::model::Property,
        boxed: bool,
    ) -> String {
        let ty = self.rust_type(root, version, &p.ty, boxed);
        if p.flags {
            format!("{root}::Flags<{ty}>")
        } else {
            ty
        }
    }

    /// The Rust type of a reference; `boxed` wraps named types in `Box`.
    pub fn rust_type(&self, root: &str, version: &str, t: &TypeRef, boxed: bool) -> String {
        match t {
            TypeRef::Prim(p) => prim(root, *p),
            TypeRef::Named(n) => match self.path(root, version, n) {
                Some(path) if boxed => format!("::std::boxed::Box<{path}>"),
                Some(path) => path,
                None => JSON.to_owned(),
            },
            TypeRef::Collection(inner) => {
                format!(
                    "::std::vec::Vec<{}>",
                    self.rust_type(root, version, inner, false)
                )
            }
            TypeRef::Json => JSON.to_owned(),
        }
    }
}

/// The untyped JSON value.
pub const JSON: &str = "::serde_json::Value";

/// Primitive types; the string-carried ones are aliases in `graph_models` that say what they hold.
fn prim(root: &str, p: Prim) -> String {
    match p {
        Prim::String => "::std::string::String".to_owned(),
        Prim::Boolean => "bool".to_owned(),
        Prim::Byte => "u8".to_owned(),
        Prim::Int16 => "i16".to_owned(),
        Prim::Int32 => "i32".to_owned(),
        Prim::Int64 => "i64".to_owned(),
        Prim::Single => "f32".to_owned(),
        Prim::Double | Prim::Decimal => "f64".to_owned(),
        Prim::DateTimeOffset => format!("{root}::DateTimeOffset"),
        Prim::Date => format!("{root}::Date"),
        Prim::TimeOfDay => format!("{root}::TimeOfDay"),
        Prim::Duration => format!("{root}::Duration"),
        Prim::Guid => format!("{root}::Guid"),
        Prim::Binary => format!("{root}::Binary"),
        Prim::Stream => format!("{root}::Binary"),
    }
}
