//! Decoding support for the generated structs (hand-written, not generated).
//!
//! A derived `Deserialize` with `#[serde(flatten)]` is a large state machine per struct, and with
//! about 1,700 structs it was most of this crate's compile time (measured with
//! `-Z time-passes`: type checking and borrow checking of the derived code). The generated
//! structs instead implement `Deserialize` in a few lines each on top of [`Fields`]: the object
//! is read once as a JSON map, each documented property is taken out of it by its JSON name, and
//! what is left is kept in `additional_properties`. The generic work is shared by every struct.
//!
//! A property that is explicitly `null` decodes as `None` and stays in `additional_properties`
//! as `null`: Graph clears a property when a `PATCH` sends `null`, so re-encoding a decoded value
//! sends the same nulls (see [`crate::ser`]).

use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error};
use serde_json::{Map, Value};

/// The properties of one JSON object being decoded into a generated struct.
#[doc(hidden)]
pub struct Fields<E> {
    map: Map<String, Value>,
    /// The first property that did not decode; [`Fields::finish`] returns it.
    error: Option<E>,
}

impl<E: Error> Fields<E> {
    /// Reads a JSON object.
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        Ok(Fields {
            map: Map::deserialize(deserializer)?,
            error: None,
        })
    }

    /// Takes the property `key` out: absent and `null` are `None` (an explicit `null` stays for
    /// [`Fields::rest`]). A value of the wrong type is `None` here and an error naming the
    /// property from [`Fields::finish`] (no `?` per field keeps each generated impl small).
    pub fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        if matches!(self.map.get(key), None | Some(Value::Null)) {
            return None;
        }
        // `shift_remove` keeps the order of what stays for `additional_properties`.
        match T::deserialize(self.map.shift_remove(key)?) {
            Ok(v) => Some(v),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(E::custom(format_args!("property `{key}`: {e}")));
                }
                None
            }
        }
    }

    /// The properties that were not taken, in document order.
    pub fn rest(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.map)
    }

    /// `value`, or the first error of [`Fields::take`].
    pub fn finish<T>(self, value: T) -> Result<T, E> {
        match self.error {
            None => Ok(value),
            Some(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Probe {
        a: Option<u32>,
        b: Option<Vec<String>>,
        rest: Map<String, Value>,
    }

    impl<'de> Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let mut f = Fields::new(d)?;
            let value = Probe {
                a: f.take("a"),
                b: f.take("b"),
                rest: f.rest(),
            };
            f.finish(value)
        }
    }

    #[test]
    fn takes_known_properties_and_keeps_the_rest_in_order() {
        let p: Probe =
            serde_json::from_str(r#"{"z": 1, "a": 7, "y": {"k": true}, "b": ["x"], "x": null}"#)
                .unwrap();
        assert_eq!(p.a, Some(7));
        assert_eq!(p.b, Some(vec!["x".to_owned()]));
        let keys: Vec<&str> = p.rest.keys().map(String::as_str).collect();
        assert_eq!(keys, ["z", "y", "x"]);
    }

    #[test]
    fn null_and_absent_are_none_and_an_explicit_null_is_kept() {
        let p: Probe = serde_json::from_str(r#"{"a": null}"#).unwrap();
        assert_eq!((p.a, p.b), (None, None));
        assert_eq!(p.rest.get("a"), Some(&Value::Null));
        assert_eq!(p.rest.len(), 1);
    }

    #[test]
    fn a_wrong_type_names_the_property() {
        let e = serde_json::from_str::<Probe>(r#"{"a": "seven", "b": 1}"#).unwrap_err();
        assert!(
            e.to_string().contains("property `a`"),
            "the first error: {e}"
        );
        assert!(serde_json::from_str::<Probe>("[1]").is_err());
    }
}
