//! Human-readable terminal output, in Chinese.

use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::review::{Finding, Review};

pub struct TextReporter {
    out: Box<dyn Write + Send>,
}

impl TextReporter {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        TextReporter { out }
    }
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

impl Reporter for TextReporter {
    fn begin_document(&mut self, r: &Review) -> io::Result<()> {
        writeln!(self.out, "■ {} [{}]", r.path, r.format)?;
        if let Some(e) = &r.error {
            return writeln!(self.out, "  无法审查（{}）：{}", e.kind, e.message);
        }
        writeln!(self.out, "  标题：{}", or_dash(&r.meta.title))?;
        writeln!(
            self.out,
            "  发文字号：{}　发文机关：{}　成文日期：{}　字数：{}",
            or_dash(&r.meta.doc_number),
            or_dash(&r.meta.issuer),
            or_dash(&r.meta.date),
            r.chars
        )?;
        for w in &r.warnings {
            writeln!(self.out, "  注意：{w}")?;
        }
        Ok(())
    }

    fn finding(&mut self, _r: &Review, f: &Finding) -> io::Result<()> {
        let page = f.page.map(|p| format!("第{p}页 ")).unwrap_or_default();
        writeln!(
            self.out,
            "  [{}] {}{} —《公平竞争审查条例》第{}条第（{}）项",
            f.level.label(),
            page,
            f.clause,
            crate::document::numerals::to_chinese(f.article as u32),
            crate::document::numerals::to_chinese(f.item as u32)
        )?;
        writeln!(self.out, "      原文：{}", f.text)?;
        if !f.evidence.is_empty() {
            writeln!(self.out, "      依据词：{}", f.evidence.join("、"))?;
        }
        writeln!(self.out, "      理由：{}", f.explanation)?;
        writeln!(self.out, "      建议：{}", f.suggestion)?;
        if !f.similar.is_empty() {
            writeln!(self.out, "      相似的既往问题：")?;
        }
        for s in &f.similar {
            let status =
                crate::store::Status::parse(&s.status).map_or("待处理", |st| st.label());
            let title = s
                .title
                .as_deref()
                .map(|t| format!("《{t}》"))
                .unwrap_or_default();
            let reason = s
                .reason
                .as_deref()
                .map(|r| format!("：{r}"))
                .unwrap_or_default();
            writeln!(
                self.out,
                "        · {title}{} {} [{status}{reason}]",
                s.path, s.clause
            )?;
            writeln!(self.out, "          {}", s.text)?;
        }
        Ok(())
    }

    fn end_document(&mut self, r: &Review) -> io::Result<()> {
        for s in &r.suppressed {
            writeln!(self.out, "  [已隐藏] {} {}：{}", s.clause, s.rule, s.reason)?;
        }
        if r.error.is_none() && r.findings.is_empty() {
            writeln!(self.out, "  未发现问题条款")?;
        }
        writeln!(self.out)
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "共 {} 个文件：{} 个已审查，{} 个无法读取，{} 个非文档文件已跳过；发现问题 {} 处（错误 {}，警告 {}，提示 {}）。",
            s.files,
            s.files - s.failed,
            s.failed,
            s.skipped,
            s.errors + s.warnings + s.suggestions,
            s.errors,
            s.warnings,
            s.suggestions
        )?;
        if s.suppressed > 0 {
            writeln!(
                self.out,
                "按基线或审查决定隐藏 {} 处（已在各文件下列出理由）。",
                s.suppressed
            )?;
        }
        if s.stale_baseline > 0 {
            writeln!(
                self.out,
                "基线中有 {} 条本次未匹配（条款可能已修改，可用 fairscan baseline prune 清理）。",
                s.stale_baseline
            )?;
        }
        self.out.flush()
    }
}
