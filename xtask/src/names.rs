//! Naming: every Rust identifier the generator emits is made here, valid, idiomatic and unique.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords (2021 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps ASCII letters, digits and word breaks; everything else separates words.
fn words(raw: &str) -> std::borrow::Cow<'_, str> {
    // Most names are one camelCase word already.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return raw.into();
    }
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let t = cleaned.trim();
    if t.is_empty() {
        "unnamed".into()
    } else {
        t.to_owned().into()
    }
}

fn fix_start(mut s: String, prefix: &str) -> String {
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    s
}

/// `snake_case` name for fields, functions, modules and arguments.
pub fn snake(raw: &str) -> String {
    let s = words(raw).to_snake_case();
    let s = fix_start(s, "n");
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// `UpperCamelCase` name for types and variants.
pub fn camel(raw: &str) -> String {
    let s = fix_start(words(raw).to_upper_camel_case(), "N");
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// The catch-all variant of every generated enum: `Unknown(String)`, a value the crate does not
/// know yet.
pub const ENUM_CATCH_ALL: &str = "Unknown";

/// The variant of a documented enum member: `UpperCamelCase`, and `UnknownValue` for a member
/// named `unknown` (56 enums of the docs have one), which [`ENUM_CATCH_ALL`] already names;
/// smithy-rs (aws-sdk-rust) names such a member the same way.
pub fn enum_variant(value: &str) -> String {
    let name = camel(value);
    if name == ENUM_CATCH_ALL {
        format!("{name}Value")
    } else {
        name
    }
}

/// The name (lowerCamel, before the namespace) of the request-body type of operation `name`:
/// `{name}RequestBody` (`cloneATeamRequestBody`). Where two operations of a namespace would
/// share it, the model names both with their groups instead ([`body_type_qualified`]).
pub fn body_type(name: &str) -> String {
    use heck::ToLowerCamelCase;
    format!("{name} request body").to_lower_camel_case()
}

/// `{group}{name}RequestBody`: the request-body type name that is unique within a namespace
/// (operation names are unique within a group).
pub fn body_type_qualified(group: &str, name: &str) -> String {
    use heck::ToLowerCamelCase;
    format!("{group} {name} request body").to_lower_camel_case()
}

/// An identifier as written in code, raw (`r#type`) where the name is a keyword. Names come
/// from [`snake`] and [`camel`] (ASCII words), so the result is always a valid identifier; the
/// test below checks that with the Rust lexer of `proc-macro2`.
pub fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) && !NOT_RAW.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A path from `root` through `names`, each written as an identifier:
/// `crate`, `[v1, security, Alert]` → `crate::v1::security::Alert`.
pub fn path<'a>(root: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = root.to_owned();
    for name in names {
        out.push_str("::");
        out.push_str(&ident(name));
    }
    out
}

/// The module of a version: `v1.0` → `v1`.
pub fn version_module(version: &str) -> String {
    snake(version.split('.').next().unwrap_or(version))
}

/// The module path of a namespace below `microsoft.graph`:
/// `microsoft.graph.security.securityCopilot` → `["security", "security_copilot"]`.
pub fn namespace_modules(namespace: &str) -> Vec<String> {
    let rest = namespace
        .strip_prefix("microsoft.graph")
        .unwrap_or(namespace)
        .trim_start_matches('.');
    rest.split('.')
        .filter(|s| !s.is_empty())
        .map(snake)
        .collect()
}

/// Names taken in one scope; a taken name gets `_2`, `_3`, ...
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `name`, or the first free `name_N`. Returns the name and whether it was renamed.
    pub fn claim(&mut self, name: &str) -> (String, bool) {
        if self.taken.insert(name.to_owned()) {
            return (name.to_owned(), false);
        }
        let sep = if name.chars().next().is_some_and(char::is_uppercase) {
            ""
        } else {
            "_"
        };
        for n in 2.. {
            let candidate = format!("{name}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
        unreachable!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_variants() {
        assert_eq!(enum_variant("unknown"), "UnknownValue");
        assert_eq!(enum_variant("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(enum_variant("notAdult"), "NotAdult");
    }

    #[test]
    fn request_body_names() {
        assert_eq!(body_type("cloneATeam"), "cloneATeamRequestBody");
        assert_eq!(
            body_type_qualified("messages", "createReply"),
            "messagesCreateReplyRequestBody"
        );
        assert_eq!(body_type_qualified("", "send"), "sendRequestBody");
    }

    #[test]
    fn idents() {
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(snake("persistChanges"), "persist_changes");
        assert_eq!(snake("item-path"), "item_path");
        assert_eq!(snake("itemActivityOLDId"), "item_activity_old_id");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3dModel"), "n3d_model");
        assert_eq!(camel("workbookSessionInfo"), "WorkbookSessionInfo");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(ident("type"), "r#type");
        assert_eq!(
            path("crate", ["v1", "type", "Alert"]),
            "crate::v1::r#type::Alert"
        );
        for raw in [
            "type", "self", "Self", "3d", "a-b", "", "__", "_", "crate", "async", "ü",
        ] {
            for name in [ident(&snake(raw)), ident(&camel(raw))] {
                let parsed: proc_macro2::TokenStream = name.parse().unwrap();
                let tokens: Vec<_> = parsed.into_iter().collect();
                assert!(
                    matches!(tokens.as_slice(), [proc_macro2::TokenTree::Ident(_)]),
                    "{raw:?} → {name:?} is not one identifier"
                );
            }
        }
        assert_eq!(
            namespace_modules("microsoft.graph.security.securityCopilot"),
            vec!["security", "security_copilot"]
        );
        assert_eq!(version_module("v1.0"), "v1");
        let mut s = Scope::default();
        assert_eq!(s.claim("id").0, "id");
        assert_eq!(s.claim("id"), ("id_2".to_owned(), true));
        assert_eq!(s.claim("Foo").0, "Foo");
        assert_eq!(s.claim("Foo").0, "Foo2");
    }
}
