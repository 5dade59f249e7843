//! Word outputs for one document: the annotated copy (`annotate`,
//! `check --annotate`) and the review form (`form`).

use std::io;
use std::path::Path;

use super::{EXIT_TROUBLE, ReviewArgs, exit_code};
use crate::annotate::{self, Anchoring};
use crate::document::Document;
use crate::extract::{self, ExtractError, sniff};
use crate::form;
use crate::report::Summary;
use crate::review::Review;
use crate::rules::RuleSet;
use crate::scan;

pub fn annotate(file: &Path, out: &Path, common: &ReviewArgs) -> io::Result<u8> {
    let rules = common.rule_set()?;
    let Some((review, doc)) = reviewed(file, &rules, common)? else {
        return Ok(EXIT_TROUBLE);
    };
    let message = write_annotated(file, out, &review, &doc, &rules, common)?;
    println!("{message}");
    Ok(exit_for(&review, common))
}

pub fn form(
    file: &Path,
    out: &Path,
    template: Option<&Path>,
    common: &ReviewArgs,
) -> io::Result<u8> {
    let rules = common.rule_set()?;
    let limits = common.limits.to_limits();
    refuse_overwriting_input(file, out)?;
    let custom = match template {
        Some(t) => Some(
            extract::read_limited(t, limits.max_file_bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("无法读取模板 {}：{e}", t.display()),
                )
            })?,
        ),
        None => None,
    };
    let Some((review, _doc)) = reviewed(file, &rules, common)? else {
        return Ok(EXIT_TROUBLE);
    };
    let values = form::values::values(&review, &rules.standards, &file_name(file));
    let filled = form::fill(
        custom.as_deref().unwrap_or(form::DEFAULT_TEMPLATE),
        &values,
        &limits,
    )
    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("无法填写审查表：{e}")))?;
    std::fs::write(out, &filled.bytes)?;
    if !filled.unknown.is_empty() {
        eprintln!(
            "fairscan: 注意：模板中有未知的占位符，已留空：{}",
            filled
                .unknown
                .iter()
                .map(|n| format!("{{{{{n}}}}}"))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    println!(
        "已写入审查表 {}（{} 处问题条款；结论为建议，由审查机构作出）",
        out.display(),
        review.findings.len()
    );
    Ok(exit_for(&review, common))
}

/// Writes the annotated copy and returns the message for the user.
pub fn write_annotated(
    file: &Path,
    out: &Path,
    review: &Review,
    doc: &Document,
    rules: &RuleSet,
    common: &ReviewArgs,
) -> io::Result<String> {
    refuse_overwriting_input(file, out)?;
    let limits = common.limits.to_limits();
    let bytes = extract::read_limited(file, limits.max_file_bytes).map_err(to_io)?;
    let name = file_name(file);
    let format = sniff::sniff(&bytes, &name);
    let (annotated, warnings) = annotate::annotate(
        &bytes,
        format,
        &name,
        doc,
        review,
        &rules.standards,
        &limits,
    )
    .map_err(to_io)?;
    std::fs::write(out, &annotated.bytes)?;
    for w in warnings {
        eprintln!("fairscan: 注意：{w}");
    }
    let loose = annotated
        .anchoring
        .iter()
        .filter(|a| matches!(a, Anchoring::Paragraph(_)))
        .count();
    let kind = if annotated.original {
        "原文件副本"
    } else {
        "根据提取文字生成的新文件"
    };
    let mut message = format!(
        "已写入带批注的 Word 文件 {}（{kind}，{} 条批注",
        out.display(),
        annotated.anchoring.len()
    );
    if loose > 0 {
        message.push_str(&format!("，其中 {loose} 条未能精确定位，附于整段"));
    }
    message.push('）');
    Ok(message)
}

/// The review and document of one file, or `None` (after saying why) when it
/// could not be read.
fn reviewed(
    file: &Path,
    rules: &RuleSet,
    common: &ReviewArgs,
) -> io::Result<Option<(Review, Document)>> {
    let (mut review, doc) = scan::review_file(file, &common.limits.to_limits(), rules);
    if let Some(b) = common.baseline()? {
        b.apply(&mut review);
    }
    match doc {
        Some(doc) => Ok(Some((review, doc))),
        None => {
            let message = review
                .error
                .as_ref()
                .map_or("无法读取".to_string(), |e| e.message.clone());
            eprintln!("fairscan: {}: {message}", review.path);
            Ok(None)
        }
    }
}

fn exit_for(review: &Review, common: &ReviewArgs) -> u8 {
    let mut summary = Summary::default();
    summary.add(review);
    exit_code(&summary, common.fail_level.into())
}

fn refuse_overwriting_input(file: &Path, out: &Path) -> io::Result<()> {
    let same = match (file.canonicalize(), out.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "输出文件不能与原文件相同（原文件不会被改动）",
        ));
    }
    Ok(())
}

fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn to_io(e: ExtractError) -> io::Error {
    match e {
        ExtractError::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    }
}
