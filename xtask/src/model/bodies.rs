//! Request bodies that are resources. A page that documents a create or an update with a table
//! of the resource's own properties (`intune-apps-androidlobapp-create.md`: "supply a JSON
//! representation for the androidLobApp object", then a table of some of its properties) sends
//! that resource: the operation takes the resource's type, not a request-body type that repeats
//! part of it. The table stays in the operation's docs ([`Operation::body_fields`]).

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyField, BodyModel, Operation, Property, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::names;

/// Gives each operation whose request-body table lists only properties of a resource that
/// resource as its body, and removes the request-body types no operation uses any more; returns
/// their names. The resource is one the body prose names, else the one a create (`201`) or an
/// update (`PATCH`, `PUT`) returns, else, for an update, the one a `GET` of its path returns.
pub fn resource_bodies(vm: &mut VersionModel) -> BTreeSet<String> {
    let gets = gotten(vm, false);
    let mut replaced = BTreeSet::new();
    for i in 0..vm.operations.len() {
        let op = &vm.operations[i];
        let Some(BodyModel::Parameters { type_name }) = &op.body else {
            continue;
        };
        let Some(resource) = resource_of(vm, op, type_name, &gets) else {
            continue;
        };
        let fields = match vm.types.get(type_name).map(|t| &t.kind) {
            Some(TypeKind::Struct { properties }) => properties
                .iter()
                .map(|p| BodyField {
                    name: p.name.clone(),
                    description: p.description.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        replaced.insert(type_name.clone());
        let op = &mut vm.operations[i];
        op.body = Some(BodyModel::Type {
            ty: TypeRef::Named(resource),
        });
        op.body_fields = fields;
    }
    typed_from_resources(vm);
    let used: BTreeSet<&String> = vm
        .operations
        .iter()
        .filter_map(|op| match &op.body {
            Some(BodyModel::Parameters { type_name }) => Some(type_name),
            _ => None,
        })
        .collect();
    replaced.retain(|t| !used.contains(t));
    for t in &replaced {
        vm.types.remove(t);
    }
    replaced
}

/// The type a `GET` of each path shape answers with, of those that answer one (`collection`
/// false) or a list (true).
fn gotten(vm: &VersionModel, collection: bool) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for op in vm.operations.iter().filter(|op| op.method == "GET") {
        if let (Some(TypeRef::Named(n)), true) =
            (&op.response.ty, op.response.collection == collection)
        {
            for p in &op.paths {
                out.entry(p.shape()).or_insert_with(|| n.clone());
            }
        }
    }
    out
}

/// The resource whose properties the body type `body` lists, all of them (a property of a base
/// type counts; a name in another case too: the tables are typed by hand).
fn resource_of(
    vm: &VersionModel,
    op: &Operation,
    body: &str,
    gets: &BTreeMap<String, String>,
) -> Option<String> {
    let TypeKind::Struct { properties } = &vm.types.get(body)?.kind else {
        return None;
    };
    if properties.is_empty() {
        return None;
    }
    let returned = match (&op.response.ty, op.method.as_str(), op.response.collection) {
        (Some(TypeRef::Named(n)), "PATCH" | "PUT", false) => Some(n),
        (Some(TypeRef::Named(n)), "POST", false) if op.response.status == 201 => Some(n),
        _ => None,
    };
    let updates = matches!(op.method.as_str(), "PATCH" | "PUT");
    let at_path = op
        .paths
        .iter()
        .filter(|_| updates)
        .filter_map(|p| gets.get(&p.shape()));
    op.body_resources
        .iter()
        .chain(returned)
        .chain(at_path)
        .find(|candidate| {
            let is_resource = vm
                .types
                .get(*candidate)
                .is_some_and(|t| !t.request_body && matches!(t.kind, TypeKind::Struct { .. }));
            is_resource
                && properties
                    .iter()
                    .all(|p| has_property(vm, candidate, &p.name))
        })
        .cloned()
}

/// Whether struct type `ty` or one of its bases has a property `name`, in any case.
fn has_property(vm: &VersionModel, ty: &str, name: &str) -> bool {
    property_any_case(vm, ty, name).is_some()
}

/// Property `name` of struct type `ty` or of one of its bases, in any case.
fn property_any_case<'a>(vm: &'a VersionModel, ty: &str, name: &str) -> Option<&'a Property> {
    let t = vm.types.get(ty)?;
    std::iter::once(t)
        .chain(vm.ancestors(t))
        .find_map(|t| match &t.kind {
            TypeKind::Struct { properties } => properties
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name)),
            _ => None,
        })
}

/// A body type inferred from an example that stays one (the example sends properties the named
/// resource does not list: `openshift-post.md` sends `id` and `createdDateTime`, which the
/// `openShift` page leaves to a base it does not name) still types the values it could not
/// infer (`sharedOpenShift`, an object) as the resource does (`openShiftItem`).
fn typed_from_resources(vm: &mut VersionModel) {
    let mut retyped: Vec<(String, String, TypeRef)> = Vec::new();
    for op in &vm.operations {
        let Some(BodyModel::Parameters { type_name }) = &op.body else {
            continue;
        };
        let Some(TypeDef {
            inferred: true,
            kind: TypeKind::Struct { properties },
            ..
        }) = vm.types.get(type_name)
        else {
            continue;
        };
        for p in properties
            .iter()
            .filter(|p| p.inferred && p.ty == TypeRef::Json)
        {
            let documented = op
                .body_resources
                .iter()
                .find_map(|r| property_any_case(vm, r, &p.name))
                .filter(|q| q.ty != TypeRef::Json);
            if let Some(q) = documented {
                retyped.push((type_name.clone(), p.name.clone(), q.ty.clone()));
            }
        }
    }
    for (body, name, ty) in retyped {
        if let Some(TypeDef {
            kind: TypeKind::Struct { properties },
            ..
        }) = vm.types.get_mut(&body)
        {
            if let Some(p) = properties.iter_mut().find(|p| p.name == name) {
                p.ty = ty;
            }
        }
    }
}

/// Gives an operation that pages document for different types derived from one base (`POST
/// /deviceManagement/deviceConfigurations`: a page per kind of configuration, each creating its
/// kind; the `GET`, `PATCH` and `DELETE` of one likewise) that base as its body and response
/// type, and names it after the base (`createDeviceConfiguration`, `listDeviceConfigurations`,
/// not the first page's `createAndroidCustomConfiguration`); [`Operation::variants`] lists the
/// derived types. The base is the type a `GET` of the operation's path lists, else the nearest
/// base all of them share (not `entity`, which every entity shares).
pub fn derived_variants(vm: &mut VersionModel) {
    let lists = gotten(vm, true);
    for i in 0..vm.operations.len() {
        let mut all = std::mem::take(&mut vm.operations[i].variants);
        let op = &vm.operations[i];
        let Some(own) = op.subject.clone() else {
            continue;
        };
        if !all.contains(&own) {
            all.push(own.clone());
        }
        all.sort();
        all.dedup();
        let is_struct = |t: &String| {
            matches!(
                vm.types.get(t).map(|t| &t.kind),
                Some(TypeKind::Struct { .. })
            )
        };
        if all.len() < 2 || !all.iter().all(is_struct) {
            continue;
        }
        let Some(base) = shared_base(vm, op, &own, &all, &lists) else {
            continue;
        };
        let op = &mut vm.operations[i];
        if let Some(TypeRef::Named(n)) = &mut op.response.ty {
            if all.contains(n) {
                n.clone_from(&base);
            }
        }
        if let Some(BodyModel::Type {
            ty: TypeRef::Named(n),
        }) = &mut op.body
        {
            if all.contains(n) {
                n.clone_from(&base);
                op.body_fields.clear();
            }
        }
        // Names and the first page's description are about its kind: "Create a new
        // androidCustomConfiguration object." is about any deviceConfiguration.
        op.name = about_base(&op.name, &own, &base, names::upper_camel);
        if let Some(d) = &mut op.description {
            *d = about_base(d, &own, &base, |s| s.to_owned());
        }
        all.retain(|t| *t != base);
        op.variants = all;
    }
}

/// `text` with the short name of type `own` (plural first, as `case` writes it) replaced by
/// that of `base`.
fn about_base(text: &str, own: &str, base: &str, case: impl Fn(&str) -> String) -> String {
    let short = |n: &str| case(n.rsplit('.').next().unwrap_or(n));
    let (own, base) = (short(own), short(base));
    let (owns, bases) = (names::plural(&own), names::plural(&base));
    if text.contains(&owns) {
        text.replace(&owns, &bases)
    } else {
        text.replace(&own, &base)
    }
}

/// The base type of every type in `all`: the one a `GET` of the operation's path lists, else
/// the nearest base of `own` that they all derive from, other than `entity`.
fn shared_base(
    vm: &VersionModel,
    op: &Operation,
    own: &str,
    all: &[String],
    lists: &BTreeMap<String, String>,
) -> Option<String> {
    let derives = |t: &String, base: &str| {
        t == base
            || vm
                .types
                .get(t)
                .is_some_and(|t| vm.ancestors(t).iter().any(|a| a.name == base))
    };
    let listed = op.paths.iter().filter_map(|p| lists.get(&p.shape()));
    let own_type = vm.types.get(own)?;
    let bases = std::iter::once(own_type)
        .chain(vm.ancestors(own_type))
        .map(|t| &t.name)
        .filter(|n| !n.ends_with(".entity"));
    listed
        .chain(bases)
        .find(|base| all.iter().all(|t| derives(t, base)))
        .cloned()
}
