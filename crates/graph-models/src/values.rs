//! The primitive types that JSON carries as strings (hand-written, not generated).
//!
//! Graph sends a timestamp, a date, a GUID or base64 bytes as a JSON string. Each is a newtype
//! over the string as it came: decoding never fails on a value a stricter type would reject
//! (the docs' examples hold `"String (timestamp)"` placeholders, and Graph itself writes seven
//! fractional digits), and encoding gives back exactly what was decoded. The typed value is a
//! conversion away: [`Guid::to_uuid`] and [`Binary::decode`] always, and with the `time`
//! feature `DateTimeOffset::to_offset_date_time`, `Date::to_date`, `TimeOfDay::to_time` and
//! `Duration::to_std`, with the `From` conversions back.
//!
//! Each derefs to `str` and converts from `&str` and `String`, so a value is set with
//! `.into()` and compared with a string:
//!
//! ```
//! use graph_models::DateTimeOffset;
//!
//! let at: DateTimeOffset = "2025-09-17T01:03:14.0734300Z".into();
//! assert_eq!(at, "2025-09-17T01:03:14.0734300Z");
//! assert!(at.starts_with("2025-09"));
//! assert_eq!(serde_json::to_string(&at)?, r#""2025-09-17T01:03:14.0734300Z""#);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A string that is not the primitive value its type says it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    kind: &'static str,
    value: String,
    reason: String,
}

impl ValueError {
    fn new(kind: &'static str, value: &str, reason: impl fmt::Display) -> Self {
        ValueError {
            kind,
            value: value.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// The OData type the value should have been (`Edm.DateTimeOffset`).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The string that did not parse.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an {}: {}",
            self.value, self.kind, self.reason
        )
    }
}

impl std::error::Error for ValueError {}

/// A newtype over `String` with the conversions and equality of a string. No ordering: the
/// order of the texts is not the order of the values (`…:00.5Z` sorts before `…:00Z`, and
/// `+02:00` offsets shift instants), so values are ordered as what they are, after a
/// conversion (`to_offset_date_time()`, `to_uuid()`).
macro_rules! string_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The value as it is written in JSON, unchecked.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The string as Graph wrote it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The string, without the wrapper.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(value: &String) -> Self {
                $name(value.clone())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name(s.to_owned()))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

string_value! {
    /// `Edm.DateTimeOffset`: an ISO 8601 timestamp with its offset, e.g.
    /// `2025-09-17T01:03:14.0734300Z`. With the `time` feature,
    /// `to_offset_date_time` reads it and
    /// `From<time::OffsetDateTime>` writes one (RFC 3339).
    DateTimeOffset
}

string_value! {
    /// `Edm.Date`: a calendar date, `YYYY-MM-DD`. With the `time` feature,
    /// `to_date` reads it and `From<time::Date>` writes one.
    Date
}

string_value! {
    /// `Edm.TimeOfDay`: a time of day, `hh:mm:ss` with up to seven fractional digits. With the
    /// `time` feature, `to_time` reads it and `From<time::Time>` writes one.
    TimeOfDay
}

string_value! {
    /// `Edm.Duration`: an ISO 8601 duration, e.g. `PT1H30M` or `P7D`. With the `time`
    /// feature, `to_std` reads it and `From<std::time::Duration>` writes one.
    Duration
}

string_value! {
    /// `Edm.Guid`: a GUID in its string form, e.g. `0f0c1e8b-4bb6-4b8d-9c9c-3b1c6d4f1a2e`;
    /// [`to_uuid`](Self::to_uuid) reads it and `From<uuid::Uuid>` writes one.
    Guid
}

string_value! {
    /// `Edm.Binary`: bytes in base64; [`decode`](Self::decode) reads them and
    /// [`encode`](Self::encode) writes them.
    Binary
}

impl Guid {
    /// The GUID as a [`uuid::Uuid`] (any of its string forms: hyphenated, simple, braced, URN).
    pub fn to_uuid(&self) -> Result<uuid::Uuid, ValueError> {
        uuid::Uuid::parse_str(&self.0).map_err(|e| ValueError::new("Edm.Guid", &self.0, e))
    }
}

impl From<uuid::Uuid> for Guid {
    /// The hyphenated lower-case form, as Graph writes GUIDs.
    fn from(value: uuid::Uuid) -> Self {
        Guid(value.hyphenated().to_string())
    }
}

impl Binary {
    /// Base64 of `bytes` (the standard alphabet with padding, as Graph writes it).
    pub fn encode(bytes: impl AsRef<[u8]>) -> Self {
        use base64::Engine as _;
        Binary(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The bytes (standard or URL-safe alphabet, with or without padding).
    pub fn decode(&self) -> Result<Vec<u8>, ValueError> {
        use base64::alphabet::{STANDARD, URL_SAFE};
        use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
        use base64::Engine as _;
        const LENIENT: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let alphabet = if self.0.contains(['-', '_']) {
            &URL_SAFE
        } else {
            &STANDARD
        };
        GeneralPurpose::new(alphabet, LENIENT)
            .decode(self.0.trim())
            .map_err(|e| ValueError::new("Edm.Binary", &self.0, e))
    }
}

#[cfg(feature = "time")]
mod time_conversions {
    use super::*;
    use time::format_description::well_known::Rfc3339;
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    const DATE: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");
    /// `hh:mm`, `hh:mm:ss` and `hh:mm:ss.f` with one to nine digits.
    const TIME: &[BorrowedFormatItem<'_>] =
        format_description!("[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]");

    impl DateTimeOffset {
        /// The timestamp as a [`time::OffsetDateTime`] (RFC 3339: a date, `T`, a time with up
        /// to nine fractional digits, and `Z` or an offset).
        pub fn to_offset_date_time(&self) -> Result<time::OffsetDateTime, ValueError> {
            time::OffsetDateTime::parse(self.0.trim(), &Rfc3339)
                .map_err(|e| ValueError::new("Edm.DateTimeOffset", &self.0, e))
        }
    }

    impl From<time::OffsetDateTime> for DateTimeOffset {
        /// RFC 3339, in the value's own offset (`Z` for UTC).
        fn from(value: time::OffsetDateTime) -> Self {
            // Only a year before 0 has no RFC 3339 form (without `time`'s `large-dates`,
            // years end at 9999); such a value is written as `time` displays it.
            DateTimeOffset(value.format(&Rfc3339).unwrap_or_else(|_| value.to_string()))
        }
    }

    impl Date {
        /// The date as a [`time::Date`].
        pub fn to_date(&self) -> Result<time::Date, ValueError> {
            time::Date::parse(self.0.trim(), DATE)
                .map_err(|e| ValueError::new("Edm.Date", &self.0, e))
        }
    }

    impl From<time::Date> for Date {
        /// `YYYY-MM-DD`.
        fn from(value: time::Date) -> Self {
            Date(value.format(DATE).unwrap_or_else(|_| value.to_string()))
        }
    }

    impl TimeOfDay {
        /// The time as a [`time::Time`].
        pub fn to_time(&self) -> Result<time::Time, ValueError> {
            time::Time::parse(self.0.trim(), TIME)
                .map_err(|e| ValueError::new("Edm.TimeOfDay", &self.0, e))
        }
    }

    impl From<time::Time> for TimeOfDay {
        /// `hh:mm:ss`, with the fraction of a second where there is one (`hh:mm:ss.fffffff`).
        fn from(value: time::Time) -> Self {
            let (h, m, s, nanos) = value.as_hms_nano();
            let mut text = format!("{h:02}:{m:02}:{s:02}");
            if nanos != 0 {
                let fraction = format!("{nanos:09}");
                text.push('.');
                text.push_str(fraction.trim_end_matches('0'));
            }
            TimeOfDay(text)
        }
    }

    impl Duration {
        /// The duration as a [`std::time::Duration`]: weeks, days, hours, minutes and seconds,
        /// to the millisecond (the `iso8601` crate reads no finer: `PT1.1234567S` is 1.123 s).
        /// A duration in years or months has no fixed length (a month is 28 to 31 days) and
        /// is an error, as is a negative one (`-PT1H`).
        pub fn to_std(&self) -> Result<std::time::Duration, ValueError> {
            let parsed = iso8601::duration(self.0.trim())
                .map_err(|e| ValueError::new("Edm.Duration", &self.0, e))?;
            if let iso8601::Duration::YMDHMS { year, month, .. } = parsed {
                if year != 0 || month != 0 {
                    return Err(ValueError::new(
                        "Edm.Duration",
                        &self.0,
                        "a duration in years or months has no fixed length",
                    ));
                }
            }
            Ok(parsed.into())
        }
    }

    impl From<std::time::Duration> for Duration {
        /// `PnDTnHnMnS`, leaving out the units that are zero (`PT0S` for zero), with the
        /// fraction of a second where there is one.
        fn from(value: std::time::Duration) -> Self {
            let secs = value.as_secs();
            let (days, hours, minutes, seconds) =
                (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
            let nanos = value.subsec_nanos();
            let mut text = String::from("P");
            if days != 0 {
                text.push_str(&format!("{days}D"));
            }
            if hours != 0 || minutes != 0 || seconds != 0 || nanos != 0 || days == 0 {
                text.push('T');
                if hours != 0 {
                    text.push_str(&format!("{hours}H"));
                }
                if minutes != 0 {
                    text.push_str(&format!("{minutes}M"));
                }
                if seconds != 0 || nanos != 0 || (hours == 0 && minutes == 0) {
                    text.push_str(&seconds.to_string());
                    if nanos != 0 {
                        let fraction = format!("{nanos:09}");
                        text.push('.');
                        text.push_str(fraction.trim_end_matches('0'));
                    }
                    text.push('S');
                }
            }
            Duration(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_as_written() {
        // Seven fractional digits and a placeholder: kept as they came.
        for text in [
            r#""2025-09-17T01:03:14.0734300Z""#,
            r#""String (timestamp)""#,
        ] {
            let value: DateTimeOffset = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
        let map: std::collections::HashMap<Guid, u8> = [(Guid::from("a"), 1)].into();
        assert_eq!(map.get("a"), Some(&1));
        assert_eq!(format!("{:?}", Date::from("2025-01-02")), r#""2025-01-02""#);
        assert_eq!(Date::from("2025-01-02").to_string(), "2025-01-02");
        let noon = TimeOfDay::from("12:00:00");
        assert!("12:00:00" == noon);
        assert_ne!(noon, "12:00");
    }

    #[test]
    fn guids() {
        let text = "0F0C1E8B-4BB6-4B8D-9C9C-3B1C6D4F1A2E";
        let uuid = Guid::from(text).to_uuid().unwrap();
        assert_eq!(Guid::from(uuid), text.to_ascii_lowercase().as_str());
        let err = Guid::from("not-a-guid").to_uuid().unwrap_err();
        assert_eq!(err.kind(), "Edm.Guid");
        assert!(
            err.to_string()
                .starts_with(r#""not-a-guid" is not an Edm.Guid: "#),
            "{err}"
        );
    }

    #[test]
    fn binaries() {
        let bytes = [0xfb_u8, 0xff, 0x00, 0x41];
        let encoded = Binary::encode(bytes);
        assert_eq!(encoded, "+/8AQQ==");
        assert_eq!(encoded.decode().unwrap(), bytes);
        // URL-safe and unpadded forms too.
        assert_eq!(Binary::from("-_8AQQ").decode().unwrap(), bytes);
        assert!(Binary::from("not base64!").decode().is_err());
    }

    #[cfg(feature = "time")]
    #[test]
    fn times() {
        use time::macros::{date, datetime, time};

        let at = DateTimeOffset::from("2025-09-17T01:03:14.0734300Z");
        assert_eq!(
            at.to_offset_date_time().unwrap(),
            datetime!(2025-09-17 01:03:14.07343 UTC)
        );
        assert_eq!(
            DateTimeOffset::from("2025-09-17T03:03:14+02:00")
                .to_offset_date_time()
                .unwrap(),
            datetime!(2025-09-17 01:03:14 UTC)
        );
        assert_eq!(
            DateTimeOffset::from(datetime!(2025-09-17 01:03:14.5 UTC)),
            "2025-09-17T01:03:14.5Z"
        );
        let err = DateTimeOffset::from("String (timestamp)")
            .to_offset_date_time()
            .unwrap_err();
        assert_eq!(err.kind(), "Edm.DateTimeOffset");

        assert_eq!(
            Date::from("2025-02-28").to_date().unwrap(),
            date!(2025 - 02 - 28)
        );
        assert!(Date::from("2025-02-30").to_date().is_err());
        assert_eq!(Date::from(date!(2025 - 02 - 03)), "2025-02-03");

        assert_eq!(
            TimeOfDay::from("08:00:00.0000000").to_time().unwrap(),
            time!(08:00)
        );
        assert_eq!(TimeOfDay::from("17:30").to_time().unwrap(), time!(17:30));
        assert_eq!(TimeOfDay::from(time!(08:05:09.25)), "08:05:09.25");
        assert_eq!(TimeOfDay::from(time!(08:00)), "08:00:00");
    }

    #[cfg(feature = "time")]
    #[test]
    fn durations() {
        use std::time::Duration as Std;

        for (text, std) in [
            ("PT1H30M", Std::from_secs(5400)),
            ("P7D", Std::from_secs(7 * 86_400)),
            ("P1W", Std::from_secs(7 * 86_400)),
            ("PT0S", Std::ZERO),
            ("PT2.5S", Std::from_millis(2500)),
        ] {
            assert_eq!(Duration::from(text).to_std().unwrap(), std, "{text}");
        }
        // To the millisecond.
        assert_eq!(
            Duration::from("PT1.1234567S").to_std().unwrap(),
            Std::from_millis(1123)
        );
        for text in ["P1M", "P1Y", "-PT1H", "one hour", ""] {
            assert!(Duration::from(text).to_std().is_err(), "{text}");
        }
        for (std, text) in [
            (Std::from_secs(5400), "PT1H30M"),
            (Std::from_secs(86_400 + 1), "P1DT1S"),
            (Std::from_secs(2 * 86_400), "P2D"),
            (Std::ZERO, "PT0S"),
            (Std::from_millis(2500), "PT2.5S"),
        ] {
            let written = Duration::from(std);
            assert_eq!(written, text);
            assert_eq!(written.to_std().unwrap(), std);
        }
    }
}
