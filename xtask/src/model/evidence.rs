//! What the examples show about the types, where the tables say otherwise: a property that a
//! table gives one value of a complex type (`chatMessage`'s `hostedContents`) but that every
//! example sends or answers as a list is a collection. Without it, a generated model cannot
//! hold what the service takes (a message with inline images) or answers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{BodyModel, TypeDef, TypeKind, TypeRef, VersionModel};
use crate::diag::{Diagnostics, Kind};
use crate::span::Span;

/// How the examples wrote one property of one type.
#[derive(Default)]
struct Seen {
    lists: usize,
    others: usize,
    /// Where the first list was.
    at: Option<Span>,
}

/// Makes a property a collection where the table says one complex value and every example
/// that carries it (a request body or a response of the type, one level deep) has a list.
pub fn collections_from_examples(vm: &mut VersionModel, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(String, String), Seen> = BTreeMap::new();
    for op in &vm.operations {
        let body_type = match &op.body {
            Some(BodyModel::Type {
                ty: TypeRef::Named(t),
            }) => Some(t.as_str()),
            Some(BodyModel::Parameters { type_name }) => Some(type_name.as_str()),
            _ => None,
        };
        let answer_type = match (&op.response.ty, op.response.collection) {
            (Some(TypeRef::Named(t)), many) => Some((t.as_str(), many)),
            _ => None,
        };
        for example in &op.examples {
            let request = example.request.as_ref();
            if let (Some(t), Some(json), Some(r)) =
                (body_type, request.and_then(|r| r.json.as_ref()), request)
            {
                observe(vm, t, json, &r.span, &mut seen);
            }
            let response = example.response.as_ref();
            if let (Some((t, many)), Some(json), Some(r)) = (
                answer_type,
                response.and_then(|r| r.json.as_ref()),
                response,
            ) {
                match json.get("value").and_then(Value::as_array).filter(|_| many) {
                    Some(items) => items
                        .iter()
                        .for_each(|i| observe(vm, t, i, &r.span, &mut seen)),
                    None if !many => observe(vm, t, json, &r.span, &mut seen),
                    None => {}
                }
            }
        }
    }
    for ((owner, name), s) in seen {
        if s.lists == 0 || s.others > 0 {
            continue;
        }
        let Some(TypeDef {
            kind: TypeKind::Struct { properties },
            ..
        }) = vm.types.get_mut(&owner)
        else {
            continue;
        };
        let Some(p) = properties.iter_mut().find(|p| p.name == name) else {
            continue;
        };
        let single = std::mem::replace(&mut p.ty, TypeRef::Json);
        let item = single.named().unwrap_or_default().to_owned();
        p.ty = TypeRef::Collection(Box::new(single));
        diags.push(
            s.at.as_ref().unwrap_or(&p.span),
            Kind::CollectionFromExamples,
            format!(
                "`{owner}`'s `{name}` is documented as one `{item}`, but every example has a list of them ({} examples): a collection",
                s.lists
            ),
        );
    }
}

/// Counts, for each top-level property of `json` that type `ty` (or a base of it) declares as
/// one value of a complex type, whether the example has a list there.
fn observe(
    vm: &VersionModel,
    ty: &str,
    json: &Value,
    span: &Span,
    seen: &mut BTreeMap<(String, String), Seen>,
) {
    let Some(object) = json.as_object() else {
        return;
    };
    for (key, value) in object {
        if value.is_null() || key.contains('@') {
            continue;
        }
        let Some(owner) = declaring_type(vm, ty, key) else {
            continue;
        };
        let s = seen.entry((owner.to_owned(), key.clone())).or_default();
        if value.is_array() {
            s.lists += 1;
            s.at.get_or_insert_with(|| span.clone());
        } else {
            s.others += 1;
        }
    }
}

/// The type, `ty` or one of its bases, that declares `name` as one value of a struct type.
fn declaring_type<'a>(vm: &'a VersionModel, ty: &'a str, name: &str) -> Option<&'a str> {
    let mut current = Some(ty);
    // Bases form a chain; a bound keeps a cycle in the docs from looping.
    for _ in 0..32 {
        let t = vm.types.get(current?)?;
        if let TypeKind::Struct { properties } = &t.kind {
            if let Some(p) = properties.iter().find(|p| p.name == name) {
                let complex = match &p.ty {
                    TypeRef::Named(n) => matches!(
                        vm.types.get(n).map(|d| &d.kind),
                        Some(TypeKind::Struct { .. })
                    ),
                    _ => false,
                };
                return complex.then_some(t.name.as_str());
            }
        }
        current = t.base.as_deref();
    }
    None
}
