//! The integration suite: runs the built `fairscan` binary as a user would.

mod commands;
mod corpus;
mod common;
mod hostile;
