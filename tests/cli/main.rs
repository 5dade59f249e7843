//! The integration suite: runs the built `fairscan` binary as a user would.

mod commands;
mod common;
mod corpus;
mod hostile;
mod rules;
mod word_outputs;
