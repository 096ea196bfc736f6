//! Encoding support for the generated structs (hand-written, not generated).
//!
//! The counterpart of [`crate::de`]: a derived `Serialize` with `#[serde(flatten)]` and
//! `skip_serializing_if` is, per property, a test and an early return on error; with about 1,700
//! structs that was a large share of this crate's type and borrow checking. The generated structs
//! instead implement `Serialize` in one line per property on top of [`Out`], which writes a JSON
//! object: the documented properties that are set, in declaration order, then
//! `additional_properties`, except the entries that a set property overrides (a decoded
//! explicit `null`, see [`crate::de`], that the caller has since replaced with a value). The first
//! error is kept and returned by [`Out::finish`].

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// A JSON object being encoded from a generated struct.
#[doc(hidden)]
pub struct Out<'a, S: Serializer> {
    map: S::SerializeMap,
    /// The struct's `additional_properties`, written last.
    rest: &'a Map<String, Value>,
    /// The properties written so far that `rest` also has (rarely any).
    overridden: Vec<&'static str>,
    /// The first error; once there is one, nothing more is written.
    error: Option<S::Error>,
}

impl<'a, S: Serializer> Out<'a, S> {
    /// Starts an object whose last entries are `rest`.
    pub fn new(serializer: S, rest: &'a Map<String, Value>) -> Result<Self, S::Error> {
        Ok(Out {
            map: serializer.serialize_map(None)?,
            rest,
            overridden: Vec::new(),
            error: None,
        })
    }

    /// Writes the property `key` if it is set (`None` is left out, as the docs' examples do).
    pub fn field<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let (Some(value), None) = (value, &self.error) {
            if self.rest.contains_key(key) {
                self.overridden.push(key);
            }
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// Writes the entries of `rest` that no property overrides and ends the object.
    pub fn finish(mut self) -> Result<S::Ok, S::Error> {
        for (key, value) in self.rest {
            if self.error.is_some() {
                break;
            }
            if self.overridden.contains(&key.as_str()) {
                continue;
            }
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
        match self.error {
            None => self.map.end(),
            Some(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Probe {
        a: Option<u32>,
        b: Option<Vec<String>>,
        rest: Map<String, Value>,
    }

    impl Serialize for Probe {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = Out::new(serializer, &self.rest)?;
            out.field("a", &self.a);
            out.field("b", &self.b);
            out.finish()
        }
    }

    #[test]
    fn set_properties_in_order_then_the_rest() {
        let mut rest = Map::new();
        rest.insert("z".into(), Value::Bool(true));
        let p = Probe {
            a: Some(7),
            b: None,
            rest,
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"a":7,"z":true}"#);
    }

    #[test]
    fn an_explicit_null_is_sent_unless_the_property_is_set() {
        let mut rest = Map::new();
        rest.insert("a".into(), Value::Null);
        rest.insert("b".into(), Value::Null);
        let mut p = Probe {
            a: None,
            b: None,
            rest,
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"a":null,"b":null}"#);
        p.a = Some(1);
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"a":1,"b":null}"#);
    }

    #[test]
    fn the_first_error_is_returned() {
        // Map keys must be strings: a writer that fails on the first entry.
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("boom"))
            }
        }
        struct P(Option<Failing>, Option<u8>);
        impl Serialize for P {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let rest = Map::new();
                let mut out = Out::new(s, &rest)?;
                out.field("x", &self.0);
                out.field("y", &self.1);
                out.finish()
            }
        }
        let e = serde_json::to_string(&P(Some(Failing), Some(1))).unwrap_err();
        assert!(e.to_string().contains("boom"), "{e}");
        assert_eq!(
            serde_json::to_string(&P(None, Some(1))).unwrap(),
            r#"{"y":1}"#
        );
    }
}
