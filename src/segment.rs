//! Chinese word segmentation (jieba-rs) with the domain dictionary.
