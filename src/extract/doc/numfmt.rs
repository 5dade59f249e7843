//! List numbers in the number formats (MSONFC codes) of Word's binary lists.

/// The digits of list number `n` in format `nfc`. Formats that cannot show
/// the value fall back to decimal so a label is never lost.
pub fn format(nfc: u8, n: i64) -> String {
    let shown = match nfc {
        0x01 => roman(n),
        0x02 => roman(n).map(|r| r.to_ascii_lowercase()),
        0x03 => letters(n, 'A'),
        0x04 => letters(n, 'a'),
        0x0E | 0x13 => Some(full_width(n)),
        0x12 | 0x1C => enclosed(n, 20, 0x2460),
        0x1A => enclosed(n, 20, 0x2488),
        0x1B => enclosed(n, 20, 0x2474),
        0x1D => enclosed(n, 10, 0x3220),
        0x16 => Some(format!("{n:02}")),
        0x0A | 0x0B | 0x21 | 0x23 | 0x25 | 0x27 => chinese(n, &PLAIN),
        0x22 | 0x26 => chinese(n, &LEGAL),
        0x1E => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        0x1F => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        _ => None,
    };
    shown.unwrap_or_else(|| n.to_string())
}

/// Formats whose label shows no number: bullets and "none".
pub fn is_bullet_or_none(nfc: u8) -> bool {
    nfc == 0x17 || nfc == 0xFF
}

fn roman(n: i64) -> Option<String> {
    if !(1..4000).contains(&n) {
        return None;
    }
    let parts: [(i64, &str); 13] = [
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
    let mut left = n;
    let mut out = String::new();
    for (value, digits) in parts {
        while left >= value {
            out.push_str(digits);
            left -= value;
        }
    }
    Some(out)
}

/// A…Z, then AA…ZZ: Word repeats the letter.
fn letters(n: i64, a: char) -> Option<String> {
    if !(1..=26 * 10).contains(&n) {
        return None;
    }
    let letter = char::from_u32(a as u32 + ((n - 1) % 26) as u32)?;
    Some(std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect())
}

fn full_width(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// One code point per number from `first` (①, ⒈, ⑴, ㈠ …) while the block lasts.
fn enclosed(n: i64, max: i64, first: u32) -> Option<String> {
    if !(1..=max).contains(&n) {
        return None;
    }
    char::from_u32(first + (n - 1) as u32).map(String::from)
}

fn cycle(n: i64, symbols: &str) -> Option<String> {
    let all: Vec<char> = symbols.chars().collect();
    let i = usize::try_from(n.checked_sub(1)?).ok()? % all.len();
    all.get(i).map(|c| c.to_string())
}

struct Numerals {
    digits: [char; 10],
    ten: char,
    hundred: char,
    thousand: char,
    /// 十 alone for 10–19 (plain counting) rather than 一十.
    bare_ten: bool,
}

const PLAIN: Numerals = Numerals {
    digits: ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    ten: '十',
    hundred: '百',
    thousand: '千',
    bare_ten: true,
};

const LEGAL: Numerals = Numerals {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    ten: '拾',
    hundred: '佰',
    thousand: '仟',
    bare_ten: false,
};

/// Chinese counting for 1–9999 (list numbers never get larger in practice).
fn chinese(n: i64, style: &Numerals) -> Option<String> {
    if !(1..=9999).contains(&n) {
        return None;
    }
    let places = [
        (n / 1000, Some(style.thousand)),
        (n / 100 % 10, Some(style.hundred)),
        (n / 10 % 10, Some(style.ten)),
        (n % 10, None),
    ];
    let mut out = String::new();
    let mut gap = false;
    for (digit, unit) in places {
        if digit == 0 {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(style.digits[0]);
            gap = false;
        }
        let bare = style.bare_ten && out.is_empty() && digit == 1 && unit == Some(style.ten);
        if !bare {
            out.push(style.digits[digit as usize]);
        }
        out.extend(unit);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_other_formats() {
        let cases = [
            (0x25, 1, "一"),
            (0x25, 10, "十"),
            (0x25, 12, "十二"),
            (0x25, 20, "二十"),
            (0x25, 105, "一百零五"),
            (0x25, 110, "一百一十"),
            (0x25, 1001, "一千零一"),
            (0x26, 11, "壹拾壹"),
            (0x00, 7, "7"),
            (0x01, 14, "XIV"),
            (0x04, 28, "bb"),
            (0x12, 3, "③"),
            (0x1B, 2, "⑵"),
            (0x1D, 1, "㈠"),
            (0x0E, 12, "１２"),
            (0x25, 0, "0"),
            (0x1E, 11, "甲"),
        ];
        for (nfc, n, want) in cases {
            assert_eq!(format(nfc, n), want, "nfc {nfc:#x} n {n}");
        }
    }
}
