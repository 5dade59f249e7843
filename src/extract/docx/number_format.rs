//! Word number formats (`w:numFmt`) rendered as the digits of a list label.
//!
//! Formats that cannot show a value (zero, negative, out of range) fall back to
//! plain decimal, which keeps the label readable instead of dropping it.

/// Renders `n` in the Word number format `fmt`. `custom` is the `w:format`
/// attribute of a `w:numFmt w:val="custom"`, when there is one.
pub fn format_number(fmt: &str, custom: Option<&str>, n: i64) -> String {
    let out = match fmt {
        "none" | "bullet" => Some(String::new()),
        "decimalZero" => Some(zero_padded(n, 2)),
        "custom" => custom.and_then(custom_width).map(|w| zero_padded(n, w)),
        "decimalFullWidth" | "decimalFullWidth2" => Some(full_width(n)),
        "upperLetter" => letters(n, 'A'),
        "lowerLetter" => letters(n, 'a'),
        "upperRoman" => roman(n).map(|r| r.to_string()),
        "lowerRoman" => roman(n).map(|r| r.to_ascii_lowercase()),
        "chineseCounting" | "chineseCountingThousand" => chinese(n, &SIMPLIFIED, true),
        "taiwaneseCounting" | "taiwaneseCountingThousand" => chinese(n, &TRADITIONAL, true),
        "chineseLegalSimplified" => chinese(n, &LEGAL, false),
        "japaneseCounting" => japanese(n),
        "ideographDigital" | "taiwaneseDigital" => digit_by_digit(n),
        "ideographTraditional" => from_table(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => from_table(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle" => {
            enclosed_circle(n)
        }
        "decimalEnclosedParen" => offset_char(n, 20, 0x2474),
        "decimalEnclosedFullstop" => offset_char(n, 20, 0x2488),
        _ => None,
    };
    out.unwrap_or_else(|| n.to_string())
}

fn zero_padded(n: i64, width: usize) -> String {
    if n < 0 {
        n.to_string()
    } else {
        format!("{n:0width$}")
    }
}

/// Width of a custom zero-padded format such as `001, 002, 003, ...`.
fn custom_width(format: &str) -> Option<usize> {
    let first = format.split(',').next()?.trim();
    let width = first.chars().count();
    (first.starts_with('0') && first.chars().all(|c| c.is_ascii_digit()) && width <= 9)
        .then_some(width)
}

fn full_width(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            '-' => '－',
            c => c,
        })
        .collect()
}

/// A, B, …, Z, AA, BB, …: Word repeats the letter rather than counting in base 26.
fn letters(n: i64, first: char) -> Option<String> {
    if n < 1 {
        return None;
    }
    let index = (n - 1) % 26;
    let repeat = (n - 1) / 26 + 1;
    if repeat > 16 {
        return None;
    }
    let c = char::from_u32(first as u32 + index as u32)?;
    Some(std::iter::repeat_n(c, repeat as usize).collect())
}

fn roman(n: i64) -> Option<String> {
    if !(1..4000).contains(&n) {
        return None;
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while rest >= value {
            out.push_str(symbol);
            rest -= value;
        }
    }
    Some(out)
}

/// Digits and units of one Chinese numeral style.
struct ChineseStyle {
    /// `digits[0]` is zero alone (〇); `zero` marks a gap inside a number (零).
    digits: [char; 10],
    zero: char,
    /// 十, 百, 千
    units: [char; 3],
    /// 万, 亿
    big: [char; 2],
}

const SIMPLIFIED: ChineseStyle = ChineseStyle {
    digits: ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    zero: '零',
    units: ['十', '百', '千'],
    big: ['万', '亿'],
};

/// Same below ten thousand; LibreOffice writes Chinese counting lists this way.
const TRADITIONAL: ChineseStyle = ChineseStyle {
    big: ['萬', '億'],
    ..SIMPLIFIED
};

const LEGAL: ChineseStyle = ChineseStyle {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    zero: '零',
    units: ['拾', '佰', '仟'],
    big: ['万', '亿'],
};

/// Chinese counting: 一 … 十 十一 … 二十 … 九十九 一百 一百零一 … 一万零一十.
/// `short_ten` writes 十 rather than 一十 at the start of the number.
fn chinese(n: i64, style: &ChineseStyle, short_ten: bool) -> Option<String> {
    if !(0..1_000_000_000_000).contains(&n) {
        return None;
    }
    if n == 0 {
        return Some(style.digits[0].to_string());
    }
    let groups = [
        (n / 100_000_000, Some(style.big[1])),
        (n / 10_000 % 10_000, Some(style.big[0])),
        (n % 10_000, None),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (group, unit) in groups {
        if group == 0 {
            pending_zero |= !out.is_empty();
            continue;
        }
        if !out.is_empty() && (pending_zero || group < 1000) {
            out.push(style.zero);
        }
        pending_zero = false;
        chinese_group(group, style, &mut out);
        out.extend(unit);
    }
    if short_ten {
        let lead = format!("{}{}", style.digits[1], style.units[0]);
        if let Some(rest) = out.strip_prefix(&lead) {
            out = format!("{}{rest}", style.units[0]);
        }
    }
    Some(out)
}

/// One group of up to four digits (1..=9999), zeros inside it written once.
fn chinese_group(group: i64, style: &ChineseStyle, out: &mut String) {
    let places = [
        (group / 1000, Some(style.units[2])),
        (group / 100 % 10, Some(style.units[1])),
        (group / 10 % 10, Some(style.units[0])),
        (group % 10, None),
    ];
    let mut started = false;
    let mut zero = false;
    for (digit, unit) in places {
        if digit == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push(style.zero);
            zero = false;
        }
        out.push(style.digits[digit as usize]);
        out.extend(unit);
        started = true;
    }
}

/// Japanese counting: no 一 before 十/百/千 and no zero marks (百一, 千十).
fn japanese(n: i64) -> Option<String> {
    if !(1..100_000_000).contains(&n) {
        return None;
    }
    let digits = SIMPLIFIED.digits;
    let mut out = String::new();
    for (group, unit) in [(n / 10_000, Some('万')), (n % 10_000, None)] {
        if group == 0 {
            continue;
        }
        let places = [
            (group / 1000, Some('千')),
            (group / 100 % 10, Some('百')),
            (group / 10 % 10, Some('十')),
            (group % 10, None),
        ];
        for (digit, place) in places {
            match (digit, place) {
                (0, _) => {}
                (1, Some(p)) => out.push(p),
                (d, p) => {
                    out.push(digits[d as usize]);
                    out.extend(p);
                }
            }
        }
        out.extend(unit);
    }
    Some(out)
}

fn digit_by_digit(n: i64) -> Option<String> {
    if n < 0 {
        return None;
    }
    Some(
        n.to_string()
            .bytes()
            .map(|b| SIMPLIFIED.digits[(b - b'0') as usize])
            .collect(),
    )
}

fn from_table(n: i64, table: &str) -> Option<String> {
    let index = usize::try_from(n).ok()?.checked_sub(1)?;
    table.chars().nth(index).map(String::from)
}

/// ① … ⑳, then ㉑ … ㉟ and ㊱ … ㊿ from the enclosed CJK block.
fn enclosed_circle(n: i64) -> Option<String> {
    match n {
        1..=20 => offset_char(n, 20, 0x2460),
        21..=35 => offset_char(n - 20, 15, 0x3251),
        36..=50 => offset_char(n - 35, 15, 0x32B1),
        _ => None,
    }
}

/// The `n`-th (1-based, at most `count`) character of a run starting at `base`.
fn offset_char(n: i64, count: i64, base: u32) -> Option<String> {
    if !(1..=count).contains(&n) {
        return None;
    }
    char::from_u32(base + (n - 1) as u32).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(n: i64) -> String {
        format_number("chineseCounting", None, n)
    }

    #[test]
    fn chinese_counting_reads_naturally() {
        let first: Vec<String> = (1..=12).map(zh).collect();
        assert_eq!(first.join(" "), "一 二 三 四 五 六 七 八 九 十 十一 十二");
        assert_eq!(zh(20), "二十");
        assert_eq!(zh(21), "二十一");
        assert_eq!(zh(99), "九十九");
        assert_eq!(zh(100), "一百");
        assert_eq!(zh(101), "一百零一");
        assert_eq!(zh(110), "一百一十");
        assert_eq!(zh(1000), "一千");
        assert_eq!(zh(1001), "一千零一");
        assert_eq!(zh(10_010), "一万零一十");
        assert_eq!(zh(100_000), "十万");
        assert_eq!(zh(100_000_001), "一亿零一");
        assert_eq!(zh(0), "〇");
        assert_eq!(zh(-3), "-3");
        assert_eq!(format_number("chineseCountingThousand", None, 35), "三十五");
        assert_eq!(format_number("chineseLegalSimplified", None, 12), "壹拾贰");
        assert_eq!(format_number("taiwaneseCountingThousand", None, 11), "十一");
        assert_eq!(format_number("taiwaneseCounting", None, 10_000), "一萬");
    }

    #[test]
    fn other_formats() {
        assert_eq!(format_number("decimal", None, 7), "7");
        assert_eq!(format_number("decimalZero", None, 7), "07");
        assert_eq!(format_number("decimalFullWidth", None, 12), "１２");
        assert_eq!(format_number("upperLetter", None, 1), "A");
        assert_eq!(format_number("lowerLetter", None, 28), "bb");
        assert_eq!(format_number("upperRoman", None, 1994), "MCMXCIV");
        assert_eq!(format_number("lowerRoman", None, 4), "iv");
        assert_eq!(format_number("upperRoman", None, 0), "0");
        assert_eq!(format_number("decimalEnclosedCircle", None, 1), "①");
        assert_eq!(
            format_number("decimalEnclosedCircleChinese", None, 21),
            "㉑"
        );
        assert_eq!(format_number("decimalEnclosedCircle", None, 51), "51");
        assert_eq!(format_number("decimalEnclosedParen", None, 2), "⑵");
        assert_eq!(format_number("japaneseCounting", None, 111), "百十一");
        assert_eq!(format_number("ideographTraditional", None, 3), "丙");
        assert_eq!(format_number("ideographZodiac", None, 12), "亥");
        assert_eq!(format_number("ideographDigital", None, 105), "一〇五");
        assert_eq!(
            format_number("custom", Some("001, 002, 003, ..."), 4),
            "004"
        );
        assert_eq!(format_number("none", None, 4), "");
        assert_eq!(format_number("somethingNew", None, 4), "4");
        assert_eq!(
            format_number("lowerLetter", None, i64::MAX),
            i64::MAX.to_string()
        );
    }
}
