//! Flags enums: a property that holds several members of its enum at once, written as one
//! comma-separated string (`"partsToClone": "apps,tabs,settings"` of `clone` on a team). The
//! docs say so in the property's description ("A comma-separated list of the parts to clone");
//! such a property is a `graph_models::Flags<E>`, not an `E` that could hold one member only.

use super::{TypeKind, TypeRef, VersionModel};

/// Whether a description says its value is a comma-separated list.
fn says_comma_separated(description: &str) -> bool {
    // Most descriptions have no `omma` at all: found with a vectorised search first.
    static OMMA: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("omma"));
    OMMA.find(description.as_bytes()).is_some()
        && description.as_bytes().windows(15).any(|w| {
            w.eq_ignore_ascii_case(b"comma-separated") || w.eq_ignore_ascii_case(b"comma separated")
        })
}

/// Marks the properties of `vm`'s types whose enum the description says holds a list.
pub fn mark(vm: &mut VersionModel) {
    // (type, property, its type) of the properties that say so and name a type.
    let mut found = Vec::new();
    for (name, ty) in &vm.types {
        if let TypeKind::Struct { properties } = &ty.kind {
            for (i, p) in properties.iter().enumerate() {
                if let (TypeRef::Named(of), Some(d)) = (&p.ty, &p.description) {
                    if says_comma_separated(d) {
                        found.push((name.clone(), i, of.clone()));
                    }
                }
            }
        }
    }
    for (name, i, of) in found {
        let is_enum = vm
            .types
            .get(&of)
            .is_some_and(|t| matches!(t.kind, TypeKind::Enum { .. }));
        if let Some(TypeKind::Struct { properties }) = vm.types.get_mut(&name).map(|t| &mut t.kind)
        {
            properties[i].flags = is_enum;
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
