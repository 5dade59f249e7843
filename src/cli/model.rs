//! `fairscan model train`: rebuild the second-opinion model from the corpus.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{EXIT_CLEAN, EXIT_TROUBLE};
use crate::classify::dataset::{self, Plan, Source};
use crate::classify::{self, cv, train};
use crate::rules::RuleSet;

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train the clause classifier from corpus/labeled, the rule examples and
    /// the corpus documents (run from the project folder).
    Train {
        /// Where to write the model.
        #[arg(long, default_value = "dictionaries/model/clauses.model")]
        out: PathBuf,
        /// A reviewer's own labeled clauses (corpus/labeled JSON Lines format).
        #[arg(long, value_name = "FILE.jsonl")]
        extra: Vec<PathBuf>,
        /// Corpus folder (with labeled/, sources/ and expected/).
        #[arg(long, default_value = "corpus", value_name = "DIR")]
        corpus: PathBuf,
        /// Leave a source out: labeled, round1, round2, round3, rules or docs.
        #[arg(long, value_name = "SOURCE")]
        without: Vec<String>,
        /// Also cross-validate (one source held out per fold) and print the
        /// lowest threshold with precision ≥ 0.90.
        #[arg(long)]
        cv: bool,
    },
}

pub fn run(cmd: ModelCommand) -> io::Result<u8> {
    let ModelCommand::Train {
        out,
        extra,
        corpus,
        without,
        cv,
    } = cmd;
    let mut excluded = Vec::new();
    for name in &without {
        match parse_source(name) {
            Some(s) => excluded.push(s),
            None => {
                eprintln!(
                    "fairscan: 未知的数据来源：{name}（可选 labeled、round1、round2、round3、rules、docs）"
                );
                return Ok(EXIT_TROUBLE);
            }
        }
    }
    let rules = RuleSet::embedded();
    let plan = Plan {
        corpus,
        extra,
        without: excluded,
    };
    let (examples, summary) = match dataset::gather(&plan, rules) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("fairscan: {e}");
            return Ok(EXIT_TROUBLE);
        }
    };
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "训练文本 {} 条（去重后）：", examples.len())?;
    for (source, pos, neg) in &summary.counts {
        writeln!(stdout, "  {}\t违规 {pos}\t合规 {neg}", source.name())?;
    }
    writeln!(
        stdout,
        "  规则 pass 示例被规则引擎报出而舍弃 {} 条；重复文本标注冲突 {} 处",
        summary.dropped_passes, summary.conflicts
    )?;
    let classes = classify::classes(&rules.standards);
    let settings = train::Settings::default();
    if cv {
        let catch_all = classify::catch_all_items(&rules.standards);
        let scored = cv::cross_validate(&examples, &classes, &catch_all, settings);
        for t in [0.26f32, 0.43, 0.5, 0.8] {
            let (p, r, fp) = cv::precision_recall(&scored, t);
            writeln!(
                stdout,
                "交叉验证 t={t:.2}：精确率 {p:.3}，召回率 {r:.3}，误报 {fp}"
            )?;
        }
        let t90 = cv::lowest_threshold(&scored, 0.90);
        writeln!(stdout, "交叉验证精确率 ≥ 0.90 的最低阈值：{t90:.2}")?;
        for (source, right, n) in cv::item_accuracy(&scored, t90, &catch_all) {
            writeln!(
                stdout,
                "交叉验证条目判定准确率（{}，相似度 ≥ {t90:.2} 的违规条款）：{:.3}（{right} / {n}）",
                source.name(),
                right as f64 / n.max(1) as f64
            )?;
        }
    }
    let model = classify::fit(&examples, &classes, settings);
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    writeln!(
        stdout,
        "已写入 {}：{} 个特征，{} 字节",
        out.display(),
        model.vectorizer.len(),
        bytes.len()
    )?;
    Ok(EXIT_CLEAN)
}

fn parse_source(name: &str) -> Option<Source> {
    [
        Source::Labeled,
        Source::Round1,
        Source::Round2,
        Source::Round3,
        Source::Round4,
        Source::Round5,
        Source::Round6,
        Source::Rules,
        Source::Documents,
    ]
    .into_iter()
    .find(|s| s.name() == name)
}
