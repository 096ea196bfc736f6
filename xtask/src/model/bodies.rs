//! Request bodies that are resources. A page that documents a create or an update with a table
//! of the resource's own properties (`intune-apps-androidlobapp-create.md`: "supply a JSON
//! representation for the androidLobApp object", then a table of some of its properties) sends
//! that resource: the operation takes the resource's type, not a request-body type that repeats
//! part of it. The table stays in the operation's docs ([`Operation::body_fields`]).

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyField, BodyModel, Operation, TypeKind, TypeRef, VersionModel};

/// Gives each operation whose request-body table lists only properties of a resource that
/// resource as its body, and removes the request-body types no operation uses any more; returns
/// their names. The resource is one the body prose names, else the one a create (`201`) or an
/// update (`PATCH`, `PUT`) returns, else, for an update, the one a `GET` of its path returns.
pub fn resource_bodies(vm: &mut VersionModel) -> BTreeSet<String> {
    let mut gets: BTreeMap<String, String> = BTreeMap::new();
    for op in vm.operations.iter().filter(|op| op.method == "GET") {
        if let (Some(TypeRef::Named(n)), false) = (&op.response.ty, op.response.collection) {
            for p in &op.paths {
                gets.entry(p.shape()).or_insert_with(|| n.clone());
            }
        }
    }
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
    let returned = match (&op.response.ty, op.method.as_str()) {
        (Some(TypeRef::Named(n)), "PATCH" | "PUT") if !op.response.collection => Some(n),
        (Some(TypeRef::Named(n)), "POST") if op.response.status == 201 => {
            Some(n).filter(|_| !op.response.collection)
        }
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
    if vm.property(ty, name).is_some() {
        return true;
    }
    let Some(t) = vm.types.get(ty) else {
        return false;
    };
    std::iter::once(t)
        .chain(vm.ancestors(t))
        .any(|t| match &t.kind {
            TypeKind::Struct { properties } => {
                properties.iter().any(|p| p.name.eq_ignore_ascii_case(name))
            }
            _ => false,
        })
}
