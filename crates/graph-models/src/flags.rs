//! Values of flags enums: several members of an enum in one comma-separated string.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Several members of a flags enum at once, written in JSON as one comma-separated string
/// (`"partsToClone": "apps,tabs,settings"`), as Graph writes them.
///
/// Members this crate does not know decode as the enum's `Unknown` member, so a value from a
/// newer service still decodes and encodes unchanged.
///
/// ```
/// # #[cfg(feature = "teams")] {
/// use graph_models::Flags;
/// use graph_models::v1::ClonableTeamParts;
///
/// let parts: Flags<ClonableTeamParts> = [ClonableTeamParts::Apps, ClonableTeamParts::Tabs].into();
/// assert_eq!(serde_json::to_string(&parts)?, r#""apps,tabs""#);
/// let back: Flags<ClonableTeamParts> = serde_json::from_str(r#""apps, tabs""#)?;
/// assert_eq!(back, parts);
/// assert!(back.contains(&ClonableTeamParts::Tabs));
/// # }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flags<T>(pub Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T> Flags<T> {
    /// The members, in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// Whether `member` is one of the members.
    pub fn contains(&self, member: &T) -> bool
    where
        T: PartialEq,
    {
        self.0.contains(member)
    }
}

impl<T> From<Vec<T>> for Flags<T> {
    fn from(members: Vec<T>) -> Self {
        Flags(members)
    }
}

impl<T, const N: usize> From<[T; N]> for Flags<T> {
    fn from(members: [T; N]) -> Self {
        Flags(members.into())
    }
}

impl<T> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Flags(iter.into_iter().collect())
    }
}

impl<'a, T> IntoIterator for &'a Flags<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Clone> Serialize for Flags<T>
where
    String: From<T>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = String::new();
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&String::from(member.clone()));
        }
        serializer.serialize_str(&out)
    }
}

impl<'de, T: From<String>> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<T>(std::marker::PhantomData<T>);

        impl<T: From<String>> Visitor<'_> for Members<T> {
            type Value = Flags<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a comma-separated list of enum members")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(s.split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(|m| T::from(m.to_owned()))
                    .collect())
            }
        }

        deserializer.deserialize_str(Members(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An enum as the generator writes them: known members and `Unknown`.
    #[derive(Debug, Clone, PartialEq)]
    enum Part {
        Apps,
        Tabs,
        Unknown(String),
    }

    impl From<String> for Part {
        fn from(s: String) -> Self {
            match s.as_str() {
                "apps" => Part::Apps,
                "tabs" => Part::Tabs,
                _ => Part::Unknown(s),
            }
        }
    }

    impl From<Part> for String {
        fn from(p: Part) -> Self {
            match p {
                Part::Apps => "apps".to_owned(),
                Part::Tabs => "tabs".to_owned(),
                Part::Unknown(s) => s,
            }
        }
    }

    #[test]
    fn members_are_one_comma_separated_string() {
        let flags: Flags<Part> = [Part::Apps, Part::Unknown("wikis".into())].into();
        let json = serde_json::to_string(&flags).unwrap();
        assert_eq!(json, r#""apps,wikis""#);
        let back: Flags<Part> = serde_json::from_str(r#"" apps ,tabs,,wikis""#).unwrap();
        assert_eq!(
            back.0,
            [Part::Apps, Part::Tabs, Part::Unknown("wikis".into())]
        );
        let empty: Flags<Part> = serde_json::from_str(r#""""#).unwrap();
        assert_eq!(empty, Flags::default());
        assert!(serde_json::from_str::<Flags<Part>>("[\"apps\"]").is_err());
    }
}
