//! Data for first runs and benchmarks.

pub mod demo;
mod demo_time;
pub mod scale;
