//! Chinese numerals as they appear in clause labels and dates.

/// Parses 一…九十九, 一百零五, 两, and digit-by-digit forms such as 二〇二四.
/// Also accepts ASCII and full-width digits. `None` for anything else.
pub fn parse(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if let Some(n) = parse_digits(s) {
        return Some(n);
    }
    let digits: Vec<u32> = s
        .chars()
        .map(digit)
        .collect::<Option<_>>()
        .unwrap_or_default();
    // Positional form (二〇二四): every character is a digit.
    if !digits.is_empty() && !s.contains(['十', '百', '千']) {
        return digits
            .iter()
            .try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(*d));
    }
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    Some(total + current.unwrap_or(0))
}

fn parse_digits(s: &str) -> Option<u32> {
    let mut n = 0u32;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
    }
    Some(n)
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'O' | '０' | '0' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Renders 1…999 in Chinese counting (一, 十, 十一, 二十一, 一百零五).
pub fn to_chinese(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n > 10 { D[(n % 10) as usize] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                D[(n % 10) as usize]
            } else {
                ""
            }
        ),
        _ => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", D[rest as usize]),
                10..=19 => format!("一{}", to_chinese(rest)),
                _ => to_chinese(rest),
            };
            format!("{}百{}", to_chinese(n / 100), tail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("三十一", 31),
            ("一百零五", 105),
            ("二〇二四", 2024),
            ("２０２４", 2024),
            ("12", 12),
        ] {
            assert_eq!(parse(s), Some(n), "{s}");
        }
        assert_eq!(parse("甲"), None);
        for n in 1..=300 {
            assert_eq!(parse(&to_chinese(n)), Some(n));
        }
        assert_eq!(to_chinese(21), "二十一");
        assert_eq!(to_chinese(110), "一百一十");
    }
}
