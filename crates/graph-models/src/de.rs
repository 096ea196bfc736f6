//! Decoding support for the generated structs (hand-written, not generated).
//!
//! A derived `Deserialize` with `#[serde(flatten)]` is a large state machine per struct, and with
//! about 1,700 structs it was most of this crate's compile time (measured with
//! `-Z time-passes`: type checking and borrow checking of the derived code). The generated
//! structs instead implement `Deserialize` in a few lines each on top of [`Fields`]: the object
//! is read once as a JSON map, each documented property is taken out of it by its JSON name, and
//! what is left is kept in `additional_properties`. The generic work is shared by every struct.

use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error};
use serde_json::{Map, Value};

/// The properties of one JSON object being decoded into a generated struct.
#[doc(hidden)]
pub struct Fields<E> {
    map: Map<String, Value>,
    error: PhantomData<E>,
}

impl<E: Error> Fields<E> {
    /// Reads a JSON object.
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        Ok(Fields {
            map: Map::deserialize(deserializer)?,
            error: PhantomData,
        })
    }

    /// Takes the property `key` out: absent and `null` are `None`; a value of the wrong type is
    /// an error that names the property.
    pub fn take<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, E> {
        // `shift_remove` keeps the order of what stays for `additional_properties`.
        match self.map.shift_remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|e| E::custom(format_args!("property `{key}`: {e}"))),
        }
    }

    /// The properties that were not taken, in document order.
    pub fn rest(self) -> Map<String, Value> {
        self.map
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
            Ok(Probe {
                a: f.take("a")?,
                b: f.take("b")?,
                rest: f.rest(),
            })
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
    fn null_and_absent_are_none() {
        let p: Probe = serde_json::from_str(r#"{"a": null}"#).unwrap();
        assert_eq!((p.a, p.b), (None, None));
        assert!(p.rest.is_empty());
    }

    #[test]
    fn a_wrong_type_names_the_property() {
        let e = serde_json::from_str::<Probe>(r#"{"a": "seven"}"#).unwrap_err();
        assert!(e.to_string().contains("property `a`"), "{e}");
        assert!(serde_json::from_str::<Probe>("[1]").is_err());
    }
}
