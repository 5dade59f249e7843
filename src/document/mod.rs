//! Document structure: metadata, clause tree and sentences over extracted text.
