//! The review result model: stable, serde-serialisable types.
