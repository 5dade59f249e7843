//! Chinese OCR output made to look like typed text: no spaces between
//! ideographs, full-width punctuation where the text around it is Chinese.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::pdf::chars::is_wide;

/// Joins the words of one line. tesseract treats every ideograph run as a
/// word, so a space is kept only between two Latin words or numbers.
pub fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = String::new();
    for word in words {
        let word = word.trim();
        let (Some(first), Some(last)) = (word.chars().next(), line.chars().next_back()) else {
            line.push_str(word);
            continue;
        };
        if !is_wide(last) && !is_wide(first) && last != '(' && !is_trailing_punct(first) {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// Half-width punctuation that never has a space before it.
fn is_trailing_punct(c: char) -> bool {
    matches!(c, ',' | '.' | ':' | ';' | '?' | '!' | ')' | '%')
}

/// Clause labels like 第三条 that documents separate from the text with a
/// space the recogniser does not see.
static ARTICLE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(第[一二三四五六七八九十百千零〇两0-9]{1,6}[章节条])(\p{Han})")
        .expect("label pattern is valid")
});

/// The whole clean-up of one recognised line.
pub fn clean_line(words: &[&str]) -> String {
    normalise_punctuation(&join_words(words.iter().copied()))
}

/// Puts back the space between a leading article label and its text.
pub fn space_after_label(paragraph: &str) -> String {
    ARTICLE_LABEL.replace(paragraph, "$1 $2").into_owned()
}

/// Turns half-width punctuation that sits inside Chinese text into its
/// full-width form. Only cases that cannot be a decimal point, a time or
/// Latin text are changed.
pub fn normalise_punctuation(line: &str) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    pair_brackets(&mut chars);
    let label_end = leading_numeral_len(&chars);
    let original = chars.clone();
    for (i, c) in chars.iter_mut().enumerate() {
        let before = i.checked_sub(1).and_then(|j| original.get(j)).copied();
        let after = original.get(i + 1).copied();
        let wide_before = before.is_some_and(is_chinese);
        let wide_after = after.is_some_and(is_chinese);
        let latin_before = before.is_some_and(|b| b.is_ascii_alphanumeric());
        *c = match *c {
            ',' if wide_before || (wide_after && !latin_before) => '，',
            ':' if wide_before || (wide_after && !latin_before) => '：',
            ';' if wide_before || (wide_after && !latin_before) => '；',
            '?' if wide_before => '？',
            '!' if wide_before => '！',
            // "一." is a clause label, not the end of a sentence.
            '.' if wide_before && (after.is_none() || wide_after) && i != label_end => '。',
            other => other,
        };
    }
    chars.into_iter().collect()
}

/// Chinese text around a punctuation mark: ideographs and full-width forms,
/// but not the full-width space.
fn is_chinese(c: char) -> bool {
    is_wide(c) && c != '\u{3000}'
}

/// Length of a leading run of Chinese numerals ("三" in "三.清理…").
fn leading_numeral_len(chars: &[char]) -> usize {
    chars
        .iter()
        .take_while(|c| "一二三四五六七八九十".contains(**c))
        .count()
}

/// Brackets around or next to Chinese text become full-width pairs; the
/// recogniser often reads "（" as "(" or "〈".
fn pair_brackets(chars: &mut [char]) {
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '(' | '（' | '〈' => open.push(i),
            ')' | '）' => {
                if let Some(start) = open.pop() {
                    pairs.push((start, i));
                }
            }
            _ => {}
        }
    }
    let wide_at = |chars: &[char], i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .copied()
            .is_some_and(is_chinese)
    };
    for (start, end) in pairs {
        let inside = chars.get(start + 1..end).unwrap_or_default();
        let chinese = inside.iter().copied().any(is_chinese)
            || wide_at(chars, start.checked_sub(1))
            || wide_at(chars, Some(end + 1));
        if chinese {
            chars[start] = '（';
            chars[end] = '）';
        } else if chars[start] == '〈' {
            chars[start] = '(';
        }
    }
    // Unpaired brackets: only where the neighbour settles it.
    for i in 0..chars.len() {
        let c = chars[i];
        if c == '(' && wide_at(chars, Some(i + 1)) {
            chars[i] = '（';
        } else if c == ')' && wide_at(chars, i.checked_sub(1)) {
            chars[i] = '）';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_stay_only_between_latin_words() {
        assert_eq!(join_words(["关于", "清理", "的", "通知"]), "关于清理的通知");
        assert_eq!(
            join_words(["Fair", "competition", "审查"]),
            "Fair competition审查"
        );
        assert_eq!(join_words(["2024", "年", "8", "月"]), "2024年8月");
        assert_eq!(join_words(["PM", "2.5", ","]), "PM 2.5,");
    }

    #[test]
    fn punctuation_inside_chinese_becomes_full_width() {
        let n = normalise_punctuation;
        assert_eq!(
            n("各县〈市、区)人民政府,市直各有关单位:"),
            "各县（市、区）人民政府，市直各有关单位："
        );
        assert_eq!(n("(一)不得设定障碍."), "（一）不得设定障碍。");
        assert_eq!(n("(1)提高效率;加强监管"), "（1）提高效率；加强监管");
        assert_eq!(n("是否合规?是!"), "是否合规？是！");
    }

    #[test]
    fn ambiguous_punctuation_is_left_alone() {
        let n = normalise_punctuation;
        assert_eq!(n("增长3.5%"), "增长3.5%");
        assert_eq!(n("上午9:30开始"), "上午9:30开始");
        assert_eq!(n("见(a) and (b)"), "见（a） and (b)");
        assert_eq!(n("一.总体要求"), "一.总体要求");
        assert_eq!(n("f(x)"), "f(x)");
        assert_eq!(n("〈x〉"), "〈x〉");
    }

    #[test]
    fn article_labels_keep_their_space() {
        assert_eq!(
            space_after_label(&clean_line(&["第一", "条", "本", "通知"])),
            "第一条 本通知"
        );
        assert_eq!(space_after_label("第十二条 规定"), "第十二条 规定");
        assert_eq!(space_after_label("根据第一条"), "根据第一条");
        assert_eq!(
            join_words(["see", "(a)", "and", "(", "b", ")"]),
            "see (a) and (b)"
        );
    }
}
