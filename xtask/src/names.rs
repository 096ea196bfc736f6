//! Naming: every Rust identifier the generator emits is made here, valid, idiomatic and unique.

use std::collections::BTreeSet;

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords (2021 edition, strict and reserved), sorted (byte order) for binary search.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A plural acronym as one word: `IDs` → `Ids`, `URLs` → `Urls` (an upper-case run of two or
/// more letters and an `s` that ends the word or comes before the next capital), which would
/// otherwise split into `I` and `Ds` (`includeIDs` → `include_i_ds`).
fn plural_acronyms(raw: &str) -> std::borrow::Cow<'_, str> {
    let b = raw.as_bytes();
    // Nearly no name has one: an `s` after two capitals is found without walking every byte.
    let candidate = memchr::memchr_iter(b's', b)
        .any(|at| at >= 2 && b[at - 1].is_ascii_uppercase() && b[at - 2].is_ascii_uppercase());
    if !candidate {
        return raw.into();
    }
    plural_acronyms_walk(raw)
}

/// [`plural_acronyms`] byte by byte.
fn plural_acronyms_walk(raw: &str) -> std::borrow::Cow<'_, str> {
    let b = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let s_at = i + run;
        let plural = run >= 2
            && b.get(s_at) == Some(&b's')
            && b.get(s_at + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            let out = out.get_or_insert_with(|| raw[..i].to_owned());
            out.push_str(&raw[i..i + 1]);
            out.push_str(&raw[i + 1..s_at].to_ascii_lowercase());
            out.push('s');
            i = s_at + 1;
            continue;
        }
        // A run of capitals, or one character (whole, should the text not be ASCII).
        let step = match run {
            0 => raw[i..].chars().next().map_or(1, char::len_utf8),
            n => n,
        };
        if let Some(out) = out.as_mut() {
            out.push_str(&raw[i..i + step]);
        }
        i += step;
    }
    out.map_or(raw.into(), Into::into)
}

/// Words written with an inner capital that are one word in `snake_case` (`iPhoneAndIPod` →
/// `iphone_and_ipod`, not `i_phone_and_i_pod`; `eTag` → `etag`; `macOS` → `macos`, as in
/// `target_os = "macos"`; `IPv4`, `OAuth`, `MHz`). Each matches with its first letter in either
/// case (`eTag`, `ETag`) and becomes that letter and the rest in lower case (`Etag`). A plural
/// comes before its singular: the first that stands as a word is taken.
const ONE_WORD: &[&str] = &[
    "appX", "cTag", "eBooks", "eBook", "eTag", "iBooks", "iCal", "iCloud", "iPad", "iPhone",
    "iPod", "iPv4", "iPv6", "iTunes", "macOS", "macOs", "mHz", "oAuth",
    // `iCalUId`: the id of an iCal object.
    "uId", "youTube",
];

/// Whether a byte is (in lower case) the first of a word of [`ONE_WORD`], and the second: most
/// word starts of a name are passed over without reading the table.
const ONE_WORD_FIRST: [bool; 128] = letters_at(0);
const ONE_WORD_SECOND: [bool; 128] = letters_at(1);

const fn letters_at(at: usize) -> [bool; 128] {
    let mut table = [false; 128];
    let mut k = 0;
    while k < ONE_WORD.len() {
        table[ONE_WORD[k].as_bytes()[at] as usize] = true;
        k += 1;
    }
    table
}

/// [`ONE_WORD`]'s words as one word where they stand as a word: one starting with a capital
/// where a camelCase word starts (not after a capital), one in lower case at the start of the
/// name or after a break; and before a capital, a digit, a break or the end.
fn one_words(raw: &str) -> std::borrow::Cow<'_, str> {
    let b = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        let before = i.checked_sub(1).map(|j| b[j]);
        let starts = if b[i].is_ascii_uppercase() {
            before.is_none_or(|c| !c.is_ascii_uppercase())
        } else {
            before.is_none_or(|c| !c.is_ascii_alphabetic())
        };
        // Only where a word of the table can start is it read (this runs on every name:
        // reading it at every position cost 46 M instructions a run).
        let candidate = starts
            && ONE_WORD_FIRST[usize::from(b[i].to_ascii_lowercase() & 0x7f)]
            && b.get(i + 1)
                .is_some_and(|&c| ONE_WORD_SECOND[usize::from(c & 0x7f)]);
        let found = candidate
            .then(|| {
                ONE_WORD.iter().find(|w| {
                    let w = w.as_bytes();
                    b.len() >= i + w.len()
                        && b[i].eq_ignore_ascii_case(&w[0])
                        && b[i + 1..i + w.len()] == w[1..]
                        && b.get(i + w.len()).is_none_or(|c| !c.is_ascii_lowercase())
                })
            })
            .flatten();
        match found {
            Some(w) => {
                let out = out.get_or_insert_with(String::new);
                out.push_str(&raw[done..=i]);
                out.push_str(&w[1..].to_ascii_lowercase());
                i += w.len();
                done = i;
            }
            None => i += 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&raw[done..]);
            out.into()
        }
        None => raw.into(),
    }
}

/// Keeps ASCII letters, digits and word breaks; everything else separates words.
fn words(raw: &str) -> std::borrow::Cow<'_, str> {
    // Most names are one camelCase word already.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return plural_acronyms(raw);
    }
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let t = cleaned.trim();
    if t.is_empty() {
        "unnamed".into()
    } else {
        plural_acronyms(t).into_owned().into()
    }
}

fn fix_start(mut s: String, prefix: &str) -> String {
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    s
}

/// The case of the last cased character of a word so far (heck's word-splitting state).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Boundary,
    Lower,
    Upper,
}

/// Calls `each` with the words of ASCII text `s`, split where heck splits them: at every
/// character that is not a letter or digit, after a lower-case letter (or the digits after one)
/// followed by an upper-case one (`displayName` → `display`, `Name`), and before the last
/// capital of a run that a lower-case letter follows (`HTTPRequest` → `HTTP`, `Request`).
///
/// heck does this for any text but writes each character through `fmt`, about 100
/// instructions a character; names are converted some 40,000 times a run, nearly all ASCII,
/// so [`snake`], [`camel`] and [`lower_camel`] take this path for ASCII and heck's for the
/// rest. The test `case_conversions_agree_with_heck` checks both paths give the same names.
fn ascii_words(s: &str, mut each: impl FnMut(&str)) {
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = word.as_bytes();
        let (mut init, mut mode) = (0, Mode::Boundary);
        for i in 0..b.len() {
            let c = b[i];
            let Some(&next) = b.get(i + 1) else {
                each(&word[init..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                each(&word[init..=i]);
                (init, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                each(&word[init..i]);
                (init, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

/// The case conversions names are made with: heck's, on a faster path for ASCII text.
#[derive(Clone, Copy)]
enum Case {
    /// `display_name`
    Snake,
    /// `DisplayName`
    UpperCamel,
    /// `displayName`
    LowerCamel,
}

impl Case {
    fn convert(self, s: &str) -> String {
        if !s.is_ascii() {
            return match self {
                Case::Snake => s.to_snake_case(),
                Case::UpperCamel => s.to_upper_camel_case(),
                Case::LowerCamel => s.to_lower_camel_case(),
            };
        }
        let mut out = String::with_capacity(s.len() + 4);
        let mut first = true;
        ascii_words(s, |w| {
            if !first && matches!(self, Case::Snake) {
                out.push('_');
            }
            let capital = match self {
                Case::Snake => false,
                Case::UpperCamel => true,
                Case::LowerCamel => !first,
            };
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
            if capital {
                out[start..start + 1].make_ascii_uppercase();
            }
            first = false;
        });
        out
    }
}

/// `lowerCamelCase` (heck's), the form of names in the model: `update educationAssignment` →
/// `updateEducationAssignment`.
pub fn lower_camel(raw: &str) -> String {
    Case::LowerCamel.convert(raw)
}

/// `UpperCamelCase` (heck's) of text as it is, without [`camel`]'s identifier fixes.
pub fn upper_camel(raw: &str) -> String {
    Case::UpperCamel.convert(raw)
}

/// `snake_case` name for fields, functions, modules and arguments.
pub fn snake(raw: &str) -> String {
    let s = Case::Snake.convert(&words(&one_words(raw)));
    let s = fix_start(s, "n");
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// `UpperCamelCase` name for types and variants.
pub fn camel(raw: &str) -> String {
    let s = fix_start(Case::UpperCamel.convert(&words(raw)), "N");
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
    lower_camel(&format!("{name} request body"))
}

/// `{group}{name}RequestBody`: the request-body type name that is unique within a namespace
/// (operation names are unique within a group).
pub fn body_type_qualified(group: &str, name: &str) -> String {
    lower_camel(&format!("{group} {name} request body"))
}

/// `classes` → `class`, `policies` → `policy`, `assignments` → `assignment`; None for an empty
/// segment.
pub fn singular(word: &str) -> Option<String> {
    if word.is_empty() {
        return None;
    }
    let one = if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word
        .strip_suffix("sses")
        .or_else(|| word.strip_suffix("ches"))
        .or_else(|| word.strip_suffix("shes"))
        .or_else(|| word.strip_suffix("xes"))
    {
        format!("{stem}{}", &word[stem.len()..word.len() - 2])
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    };
    Some(one)
}

/// `policy` → `policies`, `class` → `classes`, `app` → `apps`: the plural [`singular`] reads
/// back.
pub fn plural(word: &str) -> String {
    let consonant_y = word.strip_suffix('y').filter(|stem| {
        stem.chars()
            .last()
            .is_some_and(|c| !"aeiouAEIOU".contains(c))
    });
    if let Some(stem) = consonant_y {
        format!("{stem}ies")
    } else if ["s", "x", "ch", "sh"].iter().any(|e| word.ends_with(e)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// An identifier as written in code, raw (`r#type`) where the name is a keyword. Names come
/// from [`snake`] and [`camel`] (ASCII words), so the result is always a valid identifier; the
/// test below checks that with the Rust lexer of `proc-macro2`.
pub fn ident(name: &str) -> String {
    if KEYWORDS.binary_search(&name).is_ok() && !NOT_RAW.contains(&name) {
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

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
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
    fn product_names_are_one_word_in_snake_case() {
        for (raw, want) in [
            ("iPhoneAndIPod", "iphone_and_ipod"),
            ("iCloudBlockBackup", "icloud_block_backup"),
            ("eTag", "etag"),
            ("ETag", "etag"),
            ("deviceETag", "device_etag"),
            ("macOSCount", "macos_count"),
            ("MacOsCompliancePolicy", "macos_compliance_policy"),
            ("appsBlockYouTube", "apps_block_youtube"),
            ("iPad", "ipad"),
            ("managedEBooks", "managed_ebooks"),
            ("iosVppEBookAssignment", "ios_vpp_ebook_assignment"),
            ("iPv4CidrRange", "ipv4_cidr_range"),
            ("iCalUId", "ical_uid"),
            (
                "enterpriseCloudPrintOAuthAuthority",
                "enterprise_cloud_print_oauth_authority",
            ),
            ("minimumCpuSpeedInMHz", "minimum_cpu_speed_in_mhz"),
            ("cTag", "ctag"),
            ("windowsUniversalAppX", "windows_universal_appx"),
            ("appXmlVersion", "app_xml_version"),
            // Not at a word's start or end: left to the usual split.
            ("IPADS", "ipads"),
            ("miPhone", "mi_phone"),
            ("eTags", "e_tags"),
            ("macaroni", "macaroni"),
        ] {
            assert_eq!(snake(raw), want, "{raw}");
        }
        // Types keep their documented words.
        assert_eq!(camel("macOSCount"), "MacOsCount");
    }

    #[test]
    fn plural_is_what_singular_reads_back() {
        for (one, many) in [
            ("AndroidCompliancePolicy", "AndroidCompliancePolicies"),
            ("MobileApp", "MobileApps"),
            ("class", "classes"),
            ("Gateway", "Gateways"),
            ("mailbox", "mailboxes"),
            ("branch", "branches"),
        ] {
            assert_eq!(plural(one), many);
            assert_eq!(singular(many).as_deref(), Some(one));
        }
    }

    #[test]
    fn plural_acronyms_are_one_word() {
        assert_eq!(snake("includeIDs"), "include_ids");
        assert_eq!(snake("allowedURLs"), "allowed_urls");
        assert_eq!(camel("IDsForUsers"), "IdsForUsers");
        assert_eq!(snake("IDs"), "ids");
        // Not a plural: a run before a lower-case word, or an `s` that starts one.
        assert_eq!(snake("HTTPRequest"), "http_request");
        assert_eq!(snake("isOSsupported"), "is_o_ssupported");
        assert_eq!(snake("userId"), "user_id");
        assert_eq!(snake("deviceOS"), "device_os");
        // Other text passes through whole.
        assert_eq!(plural_acronyms("caf\u{e9}IDs"), "caf\u{e9}Ids");
    }

    /// The search for a candidate `s` changes nothing: every string of up to 6 characters over
    /// capitals, `s`, a lower-case letter and a non-ASCII one.
    #[test]
    fn plural_acronyms_search_agrees_with_the_walk() {
        let alphabet = ['A', 'B', 's', 'a', '\u{e9}'];
        let mut level = vec![String::new()];
        for _ in 0..6 {
            level = level
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for t in &level {
                assert_eq!(plural_acronyms(t), plural_acronyms_walk(t), "{t}");
            }
        }
    }

    /// Every string of up to 5 characters over letters of both cases, a digit and separators,
    /// and names of the docs: the ASCII path gives exactly heck's names.
    #[test]
    fn case_conversions_agree_with_heck() {
        let alphabet = ['a', 'b', 'A', 'B', '1', ' ', '_', '-', 'é'];
        let mut texts = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(level.iter().cloned());
        }
        texts.extend(
            [
                "displayName",
                "HTTPRequest",
                "getOffice365ActiveUserDetail",
                "microsoft.graph.security.securityCopilot",
                "v1.0",
                "@odata.type",
                "x-ms-throttle-priority",
                "IPv6Range",
                "Update educationassignment",
                "ABC123def",
                "a1B2c3D",
            ]
            .map(String::from),
        );
        for t in &texts {
            assert_eq!(Case::Snake.convert(t), t.to_snake_case(), "snake {t:?}");
            assert_eq!(
                Case::UpperCamel.convert(t),
                t.to_upper_camel_case(),
                "camel {t:?}"
            );
            assert_eq!(
                Case::LowerCamel.convert(t),
                t.to_lower_camel_case(),
                "lower {t:?}"
            );
        }
    }

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
    fn keywords_are_sorted_and_every_one_is_raw() {
        assert!(
            KEYWORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        for k in KEYWORDS {
            let expected = if NOT_RAW.contains(k) {
                (*k).to_owned()
            } else {
                format!("r#{k}")
            };
            assert_eq!(ident(k), expected);
        }
        assert_eq!(ident("types"), "types");
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
