//! Graph primitive types and the many ways the docs spell them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Prim {
    String,
    Boolean,
    Byte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
}

/// Spellings, compared after lower-casing and dropping an `edm.` prefix.
const SPELLINGS: &[(&str, Prim)] = &[
    ("string", Prim::String),
    ("str", Prim::String),
    ("url", Prim::String),
    ("uri", Prim::String),
    ("string (url)", Prim::String),
    ("string (optional)", Prim::String),
    ("boolean", Prim::Boolean),
    ("bool", Prim::Boolean),
    ("byte", Prim::Byte),
    ("sbyte", Prim::Byte),
    ("int16", Prim::Int16),
    ("int32", Prim::Int32),
    ("int", Prim::Int32),
    ("integer", Prim::Int32),
    ("number", Prim::Int32),
    ("int64", Prim::Int64),
    ("long", Prim::Int64),
    ("single", Prim::Single),
    ("float", Prim::Single),
    ("double", Prim::Double),
    ("decimal", Prim::Decimal),
    ("datetimeoffset", Prim::DateTimeOffset),
    ("datetime", Prim::DateTimeOffset),
    ("timestamp", Prim::DateTimeOffset),
    ("date", Prim::Date),
    ("timeofday", Prim::TimeOfDay),
    ("time", Prim::TimeOfDay),
    ("duration", Prim::Duration),
    ("timespan", Prim::Duration),
    ("guid", Prim::Guid),
    ("uuid", Prim::Guid),
    ("binary", Prim::Binary),
    ("base64", Prim::Binary),
    ("stream", Prim::Stream),
];

impl Prim {
    /// Reads a primitive type name in any of its spellings.
    pub fn parse(name: &str) -> Option<Prim> {
        let n = name.trim().trim_matches('`');
        let n = match n.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("edm.") => &n[4..],
            _ => n,
        };
        SPELLINGS
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(n))
            .map(|(_, p)| *p)
    }

    /// The docs' canonical spelling (used when a placeholder value in an example names a type).
    pub fn is_placeholder(value: &str) -> bool {
        value.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && Prim::parse(value).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(Prim::parse("String"), Some(Prim::String));
        assert_eq!(Prim::parse("DateTimeOffSet"), Some(Prim::DateTimeOffset));
        assert_eq!(Prim::parse("Edm.Int64"), Some(Prim::Int64));
        assert_eq!(Prim::parse("GUID"), Some(Prim::Guid));
        assert_eq!(Prim::parse("user"), None);
        assert!(Prim::is_placeholder("Boolean"));
        assert!(!Prim::is_placeholder("true"));
    }
}
