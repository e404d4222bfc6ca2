//! What can be computed from a chart beyond reading and writing it.
pub mod patterns;
pub mod star;
