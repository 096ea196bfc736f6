//! The maintainers' code generator: docs pages → API model → generated crates.
//!
//! Stages: [`parse`] (one page → page tree), [`model`] (pages → one sorted API model per version),
//! [`emit`] (model → formatted Rust files in an ordered sink). [`codegen`] runs them over a folder.

pub mod diag;
pub mod lenient;
pub mod parse;
pub mod span;
pub mod model;
pub mod codegen;
pub mod names;
pub mod emit;
pub mod report;
pub mod conformance;
