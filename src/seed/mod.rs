//! Data for first runs and benchmarks.

pub mod demo;
pub mod scale;
