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
    // The JSON objects the examples give for a type: (type, object, where).
    let mut objects: Vec<(&str, &serde_json::Map<String, Value>, &Span)> = Vec::new();
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
            if let (Some(t), Some(r)) = (body_type, example.request.as_ref()) {
                if let Some(o) = r.json.as_ref().and_then(Value::as_object) {
                    objects.push((t, o, &r.span));
                }
            }
            let (Some((t, many)), Some(r)) = (answer_type, example.response.as_ref()) else {
                continue;
            };
            let Some(json) = r.json.as_ref() else {
                continue;
            };
            if many {
                let items = json.get("value").and_then(Value::as_array);
                for o in items.into_iter().flatten().filter_map(Value::as_object) {
                    objects.push((t, o, &r.span));
                }
            } else if let Some(o) = json.as_object() {
                objects.push((t, o, &r.span));
            }
        }
    }
    // Lists first (few), then, for the properties that had one, the other values.
    let mut seen: BTreeMap<(&str, &str), Seen> = BTreeMap::new();
    for &(ty, object, span) in &objects {
        for (key, _) in object.iter().filter(|(_, v)| v.is_array()) {
            if let Some(owner) = declaring_type(vm, ty, key) {
                let s = seen.entry((owner, key.as_str())).or_default();
                s.lists += 1;
                s.at.get_or_insert_with(|| span.clone());
            }
        }
    }
    if seen.is_empty() {
        return;
    }
    let keys: std::collections::BTreeSet<&str> = seen.keys().map(|(_, k)| *k).collect();
    for &(ty, object, _) in &objects {
        for &key in &keys {
            let single = object
                .get(key)
                .is_some_and(|v| !v.is_array() && !v.is_null());
            if !single {
                continue;
            }
            if let Some(owner) = declaring_type(vm, ty, key) {
                if let Some(s) = seen.get_mut(&(owner, key)) {
                    s.others += 1;
                }
            }
        }
    }
    let found: Vec<(String, String, Seen)> = seen
        .into_iter()
        .filter(|(_, s)| s.others == 0)
        .map(|((owner, key), s)| (owner.to_owned(), key.to_owned(), s))
        .collect();
    for (owner, name, s) in found {
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

/// The type, `ty` or one of its bases, that declares `name` as one value of a struct type.
fn declaring_type<'a>(vm: &'a VersionModel, ty: &str, name: &str) -> Option<&'a str> {
    let (owner, p) = vm.property(ty, name)?;
    let complex = match &p.ty {
        TypeRef::Named(n) => matches!(
            vm.types.get(n).map(|d| &d.kind),
            Some(TypeKind::Struct { .. })
        ),
        _ => false,
    };
    complex.then_some(owner.name.as_str())
}
