//! One JSON object per document per line: the stable machine contract.

use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::review::{Finding, Review};

pub struct JsonlReporter {
    out: Box<dyn Write + Send>,
}

impl JsonlReporter {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        JsonlReporter { out }
    }
}

impl Reporter for JsonlReporter {
    fn begin_document(&mut self, _review: &Review) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, _review: &Review, _finding: &Finding) -> io::Result<()> {
        Ok(())
    }

    fn end_document(&mut self, review: &Review) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, review)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
