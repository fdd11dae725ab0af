//! The live change feed. Each server instance follows the whole change log with one gap-free reader
//! ([`Feed`]) and fans what it reads out to the browsers connected to it over Server-Sent Events
//! ([`subscription`]), each filtered by what its user may see. Any instance can serve any browser:
//! every instance reads the same log.

mod follower;
pub mod subscription;

pub use follower::Feed;
