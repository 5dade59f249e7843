//! Batch orchestration.
