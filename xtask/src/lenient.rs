//! Repairs for the JSON slips that the docs make: trailing commas, raw line breaks in strings.

/// Returns the text with trailing commas before `}`/`]` removed and raw line breaks inside
/// strings escaped. Valid JSON comes back unchanged.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_str = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                '\n' => {
                    out.push_str("\\n");
                    i += 1;
                    continue;
                }
                '\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            out.push(c);
        } else {
            match c {
                '"' => {
                    in_str = true;
                    out.push(c);
                }
                ',' => {
                    let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                    if !matches!(next, Some('}' | ']')) {
                        out.push(c);
                    }
                }
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn trailing_commas() {
        assert_eq!(
            repair(r#"{"a": [1, 2,], "b": "x,}",}"#),
            r#"{"a": [1, 2], "b": "x,}"}"#
        );
    }

    #[test]
    fn raw_newline() {
        let v: serde_json::Value = serde_json::from_str(&repair("{\"a\": \"x\ny\"}")).unwrap();
        assert_eq!(v["a"], "x\ny");
    }
}
