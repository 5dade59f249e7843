//! Builds small Word binary documents in memory, so each structure the reader
//! depends on can be tested, and damaged, on its own.

use std::io::{Cursor, Write};
use std::ops::Range;

/// Where the text starts in the WordDocument stream (after the FIB).
const TEXT_AT: usize = 1024;
const FIB_PAIRS: usize = 93;

pub struct Builder {
    pub n_fib: u16,
    pub flags: u16,
    /// ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx;
    /// `None` puts all text in the main story.
    pub ccp: Option<[u32; 8]>,
    text: Vec<u8>,
    /// (CP length, raw fc with the compression bit)
    pieces: Vec<(u32, u32)>,
    table: Vec<u8>,
    pairs: Vec<(usize, u32, u32)>,
    /// Paragraph runs in CPs with their style and sprms (single UTF-16 piece only).
    paras: Vec<(Range<u32>, u16, Vec<u8>)>,
    extra_streams: Vec<(String, Vec<u8>)>,
    /// CPs of text deleted under revision tracking (single UTF-16 piece only).
    deleted: Option<Range<u32>>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            n_fib: 0x00C1,
            flags: 0x0200,
            ccp: None,
            text: Vec::new(),
            pieces: Vec::new(),
            table: Vec::new(),
            pairs: Vec::new(),
            paras: Vec::new(),
            extra_streams: Vec::new(),
            deleted: None,
        }
    }

    fn cp_len(&self) -> u32 {
        self.pieces.iter().map(|p| p.0).sum()
    }

    /// Appends a UTF-16LE piece.
    pub fn unicode(mut self, s: &str) -> Builder {
        let units: Vec<u16> = s.encode_utf16().collect();
        let fc = (TEXT_AT + self.text.len()) as u32;
        for u in &units {
            self.text.extend_from_slice(&u.to_le_bytes());
        }
        self.pieces.push((units.len() as u32, fc));
        self
    }

    /// Appends an 8-bit (compressed) piece.
    pub fn ansi(mut self, bytes: &[u8]) -> Builder {
        let offset = (TEXT_AT + self.text.len()) as u32;
        self.text.extend_from_slice(bytes);
        self.pieces
            .push((bytes.len() as u32, (offset * 2) | 0x4000_0000));
        self
    }

    /// Gives the paragraph `cps` (including its mark) a style and sprms.
    pub fn para(mut self, cps: Range<u32>, istd: u16, grpprl: &[u8]) -> Builder {
        self.paras.push((cps, istd, grpprl.to_vec()));
        self
    }

    /// Marks the text at `cps` as a tracked deletion.
    pub fn deleted(mut self, cps: Range<u32>) -> Builder {
        self.deleted = Some(cps);
        self
    }

    /// Puts `bytes` in the table stream and points FIB pair `index` at them.
    pub fn table_part(mut self, index: usize, bytes: &[u8]) -> Builder {
        let fc = self.table.len() as u32;
        self.table.extend_from_slice(bytes);
        self.pairs.push((index, fc, bytes.len() as u32));
        self
    }

    /// Sets FIB pair `index` to arbitrary values.
    pub fn pair(mut self, index: usize, fc: u32, lcb: u32) -> Builder {
        self.pairs.push((index, fc, lcb));
        self
    }

    pub fn stream(mut self, name: &str, bytes: Vec<u8>) -> Builder {
        self.extra_streams.push((name.to_string(), bytes));
        self
    }

    pub fn streams(&self) -> (Vec<u8>, Vec<u8>) {
        let mut table = self.table.clone();
        let mut pairs = self.pairs.clone();
        if !pairs.iter().any(|p| p.0 == super::super::fib::CLX) {
            let clx = self.clx();
            pairs.push((super::super::fib::CLX, table.len() as u32, clx.len() as u32));
            table.extend_from_slice(&clx);
        }
        let mut word = vec![0u8; TEXT_AT];
        word.extend_from_slice(&self.text);
        if !self.paras.is_empty() {
            let page = word.len().div_ceil(512);
            word.resize(page * 512, 0);
            word.extend_from_slice(&self.fkp());
            let first = TEXT_AT as u32 + 2 * self.paras[0].0.start;
            let last = TEXT_AT as u32 + 2 * self.paras[self.paras.len() - 1].0.end;
            let mut plc = Vec::new();
            for v in [first, last, page as u32] {
                plc.extend_from_slice(&v.to_le_bytes());
            }
            pairs.push((
                super::super::fib::PLCF_BTE_PAPX,
                table.len() as u32,
                plc.len() as u32,
            ));
            table.extend_from_slice(&plc);
        }
        if let Some(cps) = &self.deleted {
            let page = word.len().div_ceil(512);
            word.resize(page * 512, 0);
            word.extend_from_slice(&self.chpx_page(cps));
            let last = TEXT_AT as u32 + self.text.len() as u32;
            let mut plc = Vec::new();
            for v in [TEXT_AT as u32, last, page as u32] {
                plc.extend_from_slice(&v.to_le_bytes());
            }
            let index = super::super::fib::PLCF_BTE_CHPX;
            pairs.push((index, table.len() as u32, plc.len() as u32));
            table.extend_from_slice(&plc);
        }
        self.write_fib(&mut word, &pairs);
        (word, table)
    }

    fn clx(&self) -> Vec<u8> {
        let n = self.pieces.len();
        let mut plc = Vec::new();
        let mut cp = 0u32;
        plc.extend_from_slice(&cp.to_le_bytes());
        for (len, _) in &self.pieces {
            cp += len;
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for (_, fc) in &self.pieces {
            plc.extend_from_slice(&0u16.to_le_bytes());
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&0u16.to_le_bytes());
        }
        assert_eq!(plc.len(), 4 + n * 12);
        let mut clx = vec![0x02];
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend_from_slice(&plc);
        clx
    }

    fn fkp(&self) -> Vec<u8> {
        let mut page = vec![0u8; 512];
        let crun = self.paras.len();
        page[511] = crun as u8;
        for (i, (cps, _, _)) in self.paras.iter().enumerate() {
            let fc = TEXT_AT as u32 + 2 * cps.start;
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        let end = TEXT_AT as u32 + 2 * self.paras[crun - 1].0.end;
        page[crun * 4..crun * 4 + 4].copy_from_slice(&end.to_le_bytes());
        let bx_at = (crun + 1) * 4;
        let mut free = 510usize;
        for (i, (_, istd, grpprl)) in self.paras.iter().enumerate() {
            let mut data = istd.to_le_bytes().to_vec();
            data.extend_from_slice(grpprl);
            let cb = (data.len() + 2) / 2;
            data.resize(2 * cb - 1, 0);
            let mut at = free - (1 + data.len());
            at -= at % 2;
            page[at] = cb as u8;
            page[at + 1..at + 1 + data.len()].copy_from_slice(&data);
            page[bx_at + i * 13] = (at / 2) as u8;
            free = at;
        }
        page
    }

    /// Three runs: before, inside (sprmCFRMarkDel on) and after `cps`.
    fn chpx_page(&self, cps: &Range<u32>) -> Vec<u8> {
        let mut page = vec![0u8; 512];
        page[511] = 3;
        let fc = |cp: u32| TEXT_AT as u32 + 2 * cp;
        let bounds = [
            TEXT_AT as u32,
            fc(cps.start),
            fc(cps.end),
            TEXT_AT as u32 + self.text.len() as u32,
        ];
        for (i, b) in bounds.iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&b.to_le_bytes());
        }
        page[16 + 1] = 250;
        page[500..504].copy_from_slice(&[3, 0x00, 0x08, 1]);
        page
    }

    fn write_fib(&self, word: &mut [u8], pairs: &[(usize, u32, u32)]) {
        let put16 =
            |w: &mut [u8], at: usize, v: u16| w[at..at + 2].copy_from_slice(&v.to_le_bytes());
        let put32 =
            |w: &mut [u8], at: usize, v: u32| w[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put16(word, 0, 0xA5EC);
        put16(word, 2, self.n_fib);
        put16(word, 10, self.flags);
        put16(word, 32, 14);
        put16(word, 62, 22);
        let ccp = self.ccp.unwrap_or([self.cp_len(), 0, 0, 0, 0, 0, 0, 0]);
        for (i, v) in ccp.iter().enumerate() {
            put32(word, 64 + (3 + i) * 4, *v);
        }
        put16(word, 152, FIB_PAIRS as u16);
        for &(index, fc, lcb) in pairs {
            put32(word, 154 + index * 8, fc);
            put32(word, 154 + index * 8 + 4, lcb);
        }
    }

    /// The whole compound file.
    pub fn build(&self) -> Vec<u8> {
        let (word, table) = self.streams();
        let table_name = if self.flags & 0x0200 != 0 {
            "1Table"
        } else {
            "0Table"
        };
        let mut streams = vec![
            ("WordDocument".to_string(), word),
            (table_name.to_string(), table),
        ];
        streams.extend(self.extra_streams.iter().cloned());
        ole(&streams)
    }
}

/// A compound file holding `streams` at its root.
pub fn ole(streams: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for (name, bytes) in streams {
        let mut s = file.create_stream(name).expect("stream");
        s.write_all(bytes).expect("write");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// Every root stream of a compound file, for rebuilding it with changes.
pub fn streams_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).expect("open");
    let names: Vec<String> = file
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .collect();
    names
        .into_iter()
        .map(|name| {
            let mut out = Vec::new();
            file.open_stream(&name)
                .expect("stream")
                .read_to_end(&mut out)
                .expect("read");
            (name, out)
        })
        .collect()
}

/// A paragraph style sheet: (sti, name, paragraph sprms) per istd.
pub fn stsh(styles: &[(u16, &str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    // Stshi: cbStshi, then cstd and cbSTDBaseInFile (10: no StdfPost2000).
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&(styles.len() as u16).to_le_bytes());
    out.extend_from_slice(&10u16.to_le_bytes());
    for (sti, name, grpprl) in styles {
        let mut std = Vec::new();
        std.extend_from_slice(&(sti & 0x0FFF).to_le_bytes());
        std.extend_from_slice(&((0x0FFF << 4) | 1u16).to_le_bytes());
        std.extend_from_slice(&2u16.to_le_bytes());
        std.extend_from_slice(&[0; 4]);
        let units: Vec<u16> = name.encode_utf16().collect();
        std.extend_from_slice(&(units.len() as u16).to_le_bytes());
        for u in units {
            std.extend_from_slice(&u.to_le_bytes());
        }
        std.extend_from_slice(&[0, 0]);
        let mut upx = 0u16.to_le_bytes().to_vec();
        upx.extend_from_slice(grpprl);
        std.extend_from_slice(&(upx.len() as u16).to_le_bytes());
        std.extend_from_slice(&upx);
        if upx.len() % 2 == 1 {
            std.push(0);
        }
        std.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(std.len() as u16).to_le_bytes());
        out.extend_from_slice(&std);
    }
    out
}

/// One list definition with nine levels: (nfc, number text with placeholders
/// as `\u{0}`…`\u{8}`, follow) for the first levels, decimal for the rest.
pub fn plf_lst(lsid: i32, levels: &[(u8, &str, u8)]) -> Vec<u8> {
    let mut out = 1u16.to_le_bytes().to_vec();
    let mut lstf = vec![0u8; 28];
    lstf[0..4].copy_from_slice(&lsid.to_le_bytes());
    out.extend_from_slice(&lstf);
    for k in 0..9 {
        let (nfc, text, follow) = levels.get(k).copied().unwrap_or((0, "", 0));
        let mut lvlf = vec![0u8; 28];
        lvlf[0..4].copy_from_slice(&1i32.to_le_bytes());
        lvlf[4] = nfc;
        lvlf[15] = follow;
        out.extend_from_slice(&lvlf);
        let units: Vec<u16> = text.encode_utf16().collect();
        out.extend_from_slice(&(units.len() as u16).to_le_bytes());
        for u in units {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
    out
}

/// One list instance of list `lsid`, without overrides.
pub fn plf_lfo(lsid: i32) -> Vec<u8> {
    let mut out = 1i32.to_le_bytes().to_vec();
    let mut lfo = vec![0u8; 16];
    lfo[0..4].copy_from_slice(&lsid.to_le_bytes());
    out.extend_from_slice(&lfo);
    out.extend_from_slice(&0u32.to_le_bytes());
    out
}

/// sprms putting a paragraph in list instance `ilfo` at level `ilvl`.
pub fn list_sprms(ilfo: u16, ilvl: u8) -> Vec<u8> {
    let mut g = vec![0x0B, 0x46];
    g.extend_from_slice(&ilfo.to_le_bytes());
    g.extend_from_slice(&[0x0A, 0x26, ilvl]);
    g
}
