//! The OLE compound file around a .doc, read through the `cfb` crate with
//! every stream bounded by the file's own size and the decompression limit.

use std::io::{Cursor, Read};

use cfb::CompoundFile;

use crate::extract::{Context, ExtractError};

pub struct Ole<'a> {
    file: CompoundFile<Cursor<&'a [u8]>>,
    max_stream: u64,
}

fn damaged(e: std::io::Error) -> ExtractError {
    let why = match e.kind() {
        std::io::ErrorKind::UnexpectedEof => "文件被截断",
        _ => "扇区链、分配表或目录无效",
    };
    ExtractError::Corrupt(format!("OLE 复合文档结构损坏：{why}"))
}

impl<'a> Ole<'a> {
    pub fn open(bytes: &'a [u8], ctx: &Context) -> Result<Ole<'a>, ExtractError> {
        let file = CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
        Ok(Ole {
            file,
            // No stream can hold more than the whole file.
            max_stream: (bytes.len() as u64).min(ctx.limits.max_decompressed_bytes),
        })
    }

    /// The whole stream `name` at the root, or `None` when there is none.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        if !self.file.is_stream(name) {
            return Ok(None);
        }
        let mut stream = self.file.open_stream(name).map_err(damaged)?;
        let len = stream.len();
        if len > self.max_stream {
            return Err(ExtractError::Corrupt(format!(
                "数据流 {name} 声明的长度（{len} 字节）超出文件本身"
            )));
        }
        let mut out = Vec::with_capacity(len as usize);
        stream
            .by_ref()
            .take(len)
            .read_to_end(&mut out)
            .map_err(damaged)?;
        if (out.len() as u64) < len {
            return Err(ExtractError::Corrupt(format!("数据流 {name} 被截断")));
        }
        Ok(Some(out))
    }
}
