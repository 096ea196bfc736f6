//! Flags enums: a property that holds several members of its enum at once, written as one
//! comma-separated string (`"partsToClone": "apps,tabs,settings"` of `clone` on a team). The
//! docs say so in the property's description ("A comma-separated list of the parts to clone");
//! such a property is a `graph_models::Flags<E>`, not an `E` that could hold one member only.

use super::{TypeKind, TypeRef, VersionModel};

/// Whether a description says its value is a comma-separated list.
fn says_comma_separated(description: &str) -> bool {
    let bytes = description.as_bytes();
    bytes.windows(15).any(|w| {
        w.eq_ignore_ascii_case(b"comma-separated") || w.eq_ignore_ascii_case(b"comma separated")
    })
}

/// Marks the properties of `vm`'s types whose enum the description says holds a list.
pub fn mark(vm: &mut VersionModel) {
    let enums: std::collections::BTreeSet<String> = vm
        .types
        .iter()
        .filter(|(_, t)| matches!(t.kind, TypeKind::Enum { .. }))
        .map(|(name, _)| name.clone())
        .collect();
    for ty in vm.types.values_mut() {
        let TypeKind::Struct { properties } = &mut ty.kind else {
            continue;
        };
        for p in properties {
            p.flags = matches!(&p.ty, TypeRef::Named(n) if enums.contains(n))
                && p.description.as_deref().is_some_and(says_comma_separated);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_that_say_comma_separated() {
        assert!(says_comma_separated(
            "A comma-separated list of the parts to clone."
        ));
        assert!(says_comma_separated("Comma separated values."));
        assert!(!says_comma_separated("The parts to clone."));
        assert!(!says_comma_separated("comma"));
    }
}
