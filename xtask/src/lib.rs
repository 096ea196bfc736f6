//! The maintainers' code generator: docs pages → API model → generated crates.
//!
//! Stages: [`parse`] (one page → page tree), [`model`] (pages → one sorted API model per version),
//! [`emit`] (model → formatted Rust files in an ordered sink). [`codegen`] runs them over a folder.

pub mod alloc;
pub mod bench;
pub mod codegen;
pub mod conformance;
pub mod diag;
pub mod emit;
pub mod lenient;
pub mod model;
pub mod names;
pub mod parse;
pub mod report;
pub mod span;
