//! Damaged and hostile documents: clean errors, bounded work, never a panic.

use std::time::Duration;

use super::build::{Builder, ole, plf_lfo, streams_of};
use super::{extract, extract_unguarded, extract_with};
use crate::extract::ExtractError;
use crate::extract::doc::fib;
use crate::limits::Limits;

#[test]
fn compound_file_without_word_stream_is_unsupported() {
    let old_wps = ole(&[("Contents".to_string(), b"WPS text".to_vec())]);
    match extract(&old_wps) {
        Err(ExtractError::Unsupported(msg)) => assert!(msg.contains(".docx")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_a_compound_file_is_corrupt() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0xAB, 600));
    assert!(matches!(extract(&bytes), Err(ExtractError::Corrupt(_))));
    assert!(matches!(extract(&[]), Err(ExtractError::Corrupt(_))));
}

#[test]
fn fib_checks() {
    let mut old = Builder::new().unicode("正文\r");
    old.n_fib = 0x0068;
    assert!(matches!(
        extract(&old.build()),
        Err(ExtractError::Unsupported(_))
    ));

    let mut locked = Builder::new().unicode("正文\r");
    locked.flags |= 0x0100;
    assert!(matches!(
        extract(&locked.build()),
        Err(ExtractError::Encrypted(_))
    ));

    let tiny = ole(&[("WordDocument".to_string(), vec![0xEC, 0xA5, 0xC1, 0x00])]);
    assert!(matches!(extract(&tiny), Err(ExtractError::Corrupt(_))));

    let wrong = ole(&[("WordDocument".to_string(), vec![0u8; 2048])]);
    assert!(matches!(extract(&wrong), Err(ExtractError::Corrupt(_))));

    // The FIB names 1Table, but the file has no such stream.
    let streams = streams_of(&Builder::new().unicode("正文\r").build());
    let without_table: Vec<(String, Vec<u8>)> =
        streams.into_iter().filter(|(n, _)| n != "1Table").collect();
    assert!(matches!(
        extract(&ole(&without_table)),
        Err(ExtractError::Corrupt(_))
    ));
}

#[test]
fn story_lengths_beyond_the_text_are_clipped() {
    let mut b = Builder::new().unicode("正文内容\r");
    b.ccp = Some([u32::MAX, u32::MAX, u32::MAX, 7, 7, 7, 7, 7]);
    let ex = extract(&b.build()).expect("readable");
    assert_eq!(ex.text, "正文内容");
    assert!(!ex.warnings.is_empty());
}

#[test]
fn piece_table_damage_is_corrupt() {
    let huge_lcb = Builder::new().unicode("正文\r").pair(fib::CLX, 0, u32::MAX);
    assert!(matches!(
        extract(&huge_lcb.build()),
        Err(ExtractError::Corrupt(_))
    ));

    // A piece whose bytes lie past the end of the WordDocument stream.
    let mut clx = vec![0x02];
    clx.extend_from_slice(&16u32.to_le_bytes());
    for v in [0u32, 0x0FFF_FFFF] {
        clx.extend_from_slice(&v.to_le_bytes());
    }
    clx.extend_from_slice(&[0, 0]);
    clx.extend_from_slice(&0x1000u32.to_le_bytes());
    clx.extend_from_slice(&[0, 0]);
    let outside = Builder::new().unicode("正文\r").table_part(fib::CLX, &clx);
    assert!(matches!(
        extract(&outside.build()),
        Err(ExtractError::Corrupt(_))
    ));

    // Unknown CLX entry type, and a Prc whose length runs off the end.
    for bad in [vec![0x07, 0, 0], vec![0x01, 0xFF, 0xFF, 0x02]] {
        let b = Builder::new().unicode("正文\r").table_part(fib::CLX, &bad);
        assert!(matches!(extract(&b.build()), Err(ExtractError::Corrupt(_))));
    }
}

#[test]
fn damaged_side_structures_only_lose_structure() {
    // Paragraph-property pages outside the stream, a list table claiming
    // thousands of lists, a style sheet and header index of nonsense.
    let mut bte = Vec::new();
    for v in [0u32, 0xFFFF_FFF0, 0x003F_FFFF] {
        bte.extend_from_slice(&v.to_le_bytes());
    }
    let mut lst = 0x7FFFu16.to_le_bytes().to_vec();
    lst.extend(std::iter::repeat_n(0xFF, 200));
    let b = Builder::new()
        .unicode("第一条 正文\r")
        .table_part(fib::PLCF_BTE_PAPX, &bte)
        .table_part(fib::PLF_LST, &lst)
        .table_part(fib::PLF_LFO, &plf_lfo(-1))
        .table_part(fib::STSHF, &[0xFF; 64])
        .pair(fib::PLCF_HDD, 0xFFFF_FF00, 0xFFFF_FFFF);
    let ex = extract_unguarded(&b.build()).expect("readable");
    assert_eq!(ex.text, "第一条 正文");
    assert!(!ex.warnings.is_empty());
}

#[test]
fn limits_and_deadline_apply() {
    let doc = Builder::new()
        .unicode(&"公平竞争审查。\r".repeat(2000))
        .build();
    let small = Limits {
        max_text_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        extract_with(&doc, &small),
        Err(ExtractError::TooLarge(_))
    ));
    let no_time = Limits {
        max_time: Duration::ZERO,
        ..Limits::default()
    };
    std::thread::sleep(Duration::from_millis(2));
    assert!(matches!(
        extract_with(&doc, &no_time),
        Err(ExtractError::Timeout(_))
    ));
}

/// Deterministic byte flips in the WordDocument and table streams of the
/// real fixture: every result is fine except a panic.
#[test]
fn flipped_bytes_never_panic() {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/doc/policy.doc");
    let streams = streams_of(&std::fs::read(path).expect("fixture"));
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300 {
        let mut changed = streams.clone();
        let target = if round % 2 == 0 {
            "WordDocument"
        } else {
            "1Table"
        };
        if let Some((_, bytes)) = changed.iter_mut().find(|(n, _)| n == target) {
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = match next() % 4 {
                    0 => 0xFF,
                    1 => 0x00,
                    _ => next() as u8,
                };
            }
        }
        let _ = extract_unguarded(&ole(&changed));
    }
}

#[test]
fn pieces_sharing_bytes_cannot_blow_up_the_text() {
    // 5000 pieces of 1000 characters, all over the same bytes of one long
    // paragraph: 10 MB of text from a few kilobytes.
    let base = Builder::new().unicode(&"审".repeat(1000));
    let (word, _) = base.streams();
    let n = 5000u32;
    let mut plc = Vec::new();
    for i in 0..=n {
        plc.extend_from_slice(&(i * 1000).to_le_bytes());
    }
    for _ in 0..n {
        plc.extend_from_slice(&[0, 0]);
        plc.extend_from_slice(&1024u32.to_le_bytes());
        plc.extend_from_slice(&[0, 0]);
    }
    let mut clx = vec![0x02];
    clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    clx.extend_from_slice(&plc);
    let mut b = Builder::new()
        .unicode(&"审".repeat(1000))
        .table_part(fib::CLX, &clx);
    b.ccp = Some([n * 1000, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(b.streams().0.len(), word.len());
    let limits = Limits {
        max_text_bytes: 1 << 20,
        ..Limits::default()
    };
    assert!(matches!(
        extract_with(&b.build(), &limits),
        Err(ExtractError::TooLarge(_))
    ));
}
