//! The integration suite: runs the built `fairscan` binary as a user would.

mod commands;
mod common;
mod corpus;
mod hostile;
mod html;
mod rules;
mod tabular;
mod word_outputs;
