//! Rustdoc text from the model: descriptions, HTTP lines, permissions, national clouds.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Cloud, Operation};

/// `#[doc = "..."]` attributes, one per line.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` inner attributes, one per line.
pub fn inner_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #![doc = #lines] )* }
}

/// Escapes text for markdown in rustdoc: brackets would become intra-doc links.
pub fn prose(text: &str) -> String {
    text.replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn cloud_name(c: Cloud) -> &'static str {
    match c {
        Cloud::Global => "Global service",
        Cloud::UsGovL4 => "US Government L4",
        Cloud::UsGovL5 => "US Government L5 (DOD)",
        Cloud::China => "China operated by 21Vianet",
    }
}

/// The full rustdoc of an operation.
pub fn operation(op: &Operation, version: &str) -> String {
    let mut s = String::new();
    match &op.description {
        Some(d) => s.push_str(&prose(d)),
        None => s.push_str(&format!("`{}` (the docs give no description).", op.name)),
    }
    s.push_str("\n\n```text\n");
    for p in &op.paths {
        s.push_str(&format!("{} /{version}{}\n", op.method, p.raw));
    }
    s.push_str("```\n");
    s.push_str("\n# Permissions\n\n");
    if op.permissions.is_empty() {
        s.push_str("Not documented.\n");
    } else {
        s.push_str("| Permission type | Least privileged | Higher privileged |\n|---|---|---|\n");
        for p in &op.permissions {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "Not supported".to_owned()
                } else {
                    l.join(", ")
                }
            };
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                prose(&p.kind),
                list(&p.least),
                list(&p.higher)
            ));
        }
    }
    if let Some(clouds) = &op.clouds {
        s.push_str("\n# National clouds\n\n");
        for c in clouds {
            let mark = if c.available {
                "available"
            } else {
                "not available"
            };
            s.push_str(&format!("- {}: {mark}\n", cloud_name(c.cloud)));
        }
    }
    s.push_str("\n# Source\n\n");
    for src in &op.sources {
        s.push_str(&format!("- `{src}`\n"));
    }
    s
}
