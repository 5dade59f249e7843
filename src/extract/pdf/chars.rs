//! Character classes used by decoding, layout and the text-layer check.

/// The 214 Kangxi radicals (U+2F00..U+2FD5) as the ideographs they stand for
/// (their NFKC mapping). Word and WPS often put these code points into the
/// ToUnicode map when a radical and an ideograph share one glyph, so "⽅⾯"
/// arrives for "方面".
const KANGXI: &str = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

/// Simplified-form radicals from the CJK Radicals Supplement that stand for
/// a common simplified ideograph, for the same reason.
const SIMPLIFIED_RADICALS: &[(char, char)] = &[
    ('⺟', '母'),
    ('⺰', '纟'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻌', '辶'),
    ('⻐', '钅'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻠', '饣'),
    ('⻢', '马'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// Maps radical code points to the ideograph they were meant as.
pub fn unify_radical(c: char) -> char {
    match c as u32 {
        0x2F00..=0x2FD5 => KANGXI.chars().nth(c as usize - 0x2F00).unwrap_or(c),
        0x2E80..=0x2EFF => SIMPLIFIED_RADICALS
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c, |(_, to)| *to),
        _ => c,
    }
}

/// CJK ideographs, kana, hangul and full-width forms: text in which line
/// wraps and glyph gaps carry no space.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3040..=0x30FF
        | 0x3100..=0x31FF
        | 0x3200..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Punctuation that is full-width in CJK text and narrow in Latin text.
pub fn is_ambiguous(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·' | '–')
}

/// Ideographs only (what recall is measured on).
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Characters a decoded text layer should not be made of: replacement
/// characters, private-use code points and controls.
pub fn is_suspect(c: char) -> bool {
    matches!(c as u32,
        0xFFFD
        | 0xE000..=0xF8FF
        | 0xF0000..=0x10FFFF)
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_become_ideographs() {
        assert_eq!(unify_radical('⽅'), '方');
        assert_eq!(unify_radical('⾯'), '面');
        assert_eq!(unify_radical('⻔'), '门');
        assert_eq!(unify_radical('⿕'), '龠');
        assert_eq!(unify_radical('⺀'), '⺀');
        assert_eq!(unify_radical('方'), '方');
    }

    #[test]
    fn classes() {
        assert!(is_wide('中') && is_wide('，') && is_wide('　') && !is_wide('a'));
        assert!(is_suspect('\u{E000}') && is_suspect('\u{FFFD}') && is_suspect('\u{1}'));
        assert!(!is_suspect('中') && !is_suspect(' '));
    }
}
