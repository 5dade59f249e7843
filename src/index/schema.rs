//! The index's fields. Documents and findings are both entries, told apart by
//! `kind`; a finding carries its document's metadata so either can be filtered
//! the same way.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::tokenizer;

/// Bumped whenever the fields change: an index of another version is rebuilt.
pub const VERSION: u32 = 1;

pub const KIND_DOCUMENT: &str = "document";
pub const KIND_FINDING: &str = "finding";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub doc_id: Field,
    pub fingerprint: Field,
    pub path: Field,
    pub title: Field,
    pub doc_number: Field,
    pub issuer: Field,
    pub date: Field,
    pub date_num: Field,
    pub body: Field,
    pub finding_text: Field,
    pub explanation: Field,
    pub rule: Field,
    pub clause: Field,
    pub level: Field,
    pub status: Field,
    pub reason: Field,
    pub article: Field,
    pub item: Field,
    pub facets: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            kind: b.add_text_field("kind", STRING | STORED),
            doc_id: b.add_u64_field("doc_id", INDEXED | STORED | FAST),
            fingerprint: b.add_text_field("fingerprint", STRING | STORED),
            path: b.add_text_field("path", text.clone()),
            title: b.add_text_field("title", text.clone()),
            doc_number: b.add_text_field("doc_number", text.clone()),
            issuer: b.add_text_field("issuer", text.clone()),
            date: b.add_text_field("date", STRING | STORED),
            date_num: b.add_u64_field("date_num", INDEXED | FAST),
            body: b.add_text_field("text", text.clone()),
            finding_text: b.add_text_field("finding", text.clone()),
            explanation: b.add_text_field("explanation", text),
            rule: b.add_text_field("rule", STRING | STORED),
            clause: b.add_text_field("clause", STRING | STORED),
            level: b.add_text_field("level", STRING | STORED),
            status: b.add_text_field("status", STRING | STORED),
            reason: b.add_text_field("reason", STORED),
            article: b.add_u64_field("article", INDEXED | STORED),
            item: b.add_u64_field("item", INDEXED | STORED),
            facets: b.add_facet_field("facet", FacetOptions::default()),
        };
        (b.build(), fields)
    }

    /// Fields a query without a field name searches.
    pub fn default_search(&self) -> Vec<Field> {
        vec![
            self.title,
            self.doc_number,
            self.issuer,
            self.path,
            self.body,
            self.finding_text,
            self.explanation,
        ]
    }
}
