#!/usr/bin/env python3
"""Generate corpus/docs/ from corpus/sources/*.toml.

Usage: python3 corpus/tools/make_corpus.py [--corpus DIR] [ID ...]

`--corpus DIR` renders DIR/sources/ into DIR/docs/ instead (the held-out
document sets under corpus/heldout/ are built this way).

Without ids every source is rendered and files in docs/ that no source
produces are removed, so a rerun always mirrors sources/. The output is
deterministic: docx zips carry fixed times and properties, reportlab runs in
invariant mode, LibreOffice PDFs get their dates and file ID pinned.

Plain-text conventions: utf-8 and utf-8-bom files use LF and no indentation;
gb18030 and utf-16le files look like Windows Notepad copies (CRLF, body
paragraphs indented with two ideographic spaces). Table rows become
tab-separated lines in plain text.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import docx_writer  # noqa: E402
import html_writer  # noqa: E402
import pdf_writer  # noqa: E402
from layout import Block, classify  # noqa: E402

CORPUS = HERE.parent
SOURCES = CORPUS / "sources"
DOCS = CORPUS / "docs"

FORMATS = {"txt", "docx", "pdf", "html"}
ENCODINGS = {"utf-8", "utf-8-bom", "gb18030", "utf-16le", ""}
INDENTED_TXT = {"body", "h1", "public_note"}


def render_txt(blocks: list[Block], encoding: str) -> bytes:
    windows = encoding in ("gb18030", "utf-16le")
    lines = []
    for b in blocks:
        if b.role == "table":
            lines += ["\t".join(r) for r in b.rows]
        elif windows and b.role in INDENTED_TXT:
            lines.append("\u3000\u3000" + b.text)
        else:
            lines.append(b.text)
    text = ("\r\n" if windows else "\n").join(lines) + ("\r\n" if windows else "\n")
    if encoding == "gb18030":
        return text.encode("gb18030")
    if encoding == "utf-16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def load(path: Path) -> dict:
    with path.open("rb") as f:
        src = tomllib.load(f)
    for key in ("id", "file", "format", "text"):
        if key not in src:
            raise SystemExit(f"{path}: missing key {key!r}")
    if src["format"] not in FORMATS:
        raise SystemExit(f"{path}: unknown format {src['format']!r}")
    if src.get("encoding", "") not in ENCODINGS:
        raise SystemExit(f"{path}: unknown encoding {src['encoding']!r}")
    if "/" in src["file"] or src["file"].startswith("."):
        raise SystemExit(f"{path}: file must be a plain name")
    return src


def render(src: dict) -> bytes:
    blocks = classify(src["text"])
    fmt, variant = src["format"], src.get("variant", "")
    encoding = src.get("encoding", "") or "utf-8"
    if fmt == "txt":
        return render_txt(blocks, encoding)
    if fmt == "docx":
        return docx_writer.build(blocks, autonumber=(variant == "autonumber"))
    if fmt == "pdf":
        return pdf_writer.build(blocks, variant)
    return html_writer.build(blocks, variant or "generic", encoding, src["id"])


def main(argv: list[str]) -> int:
    global SOURCES, DOCS
    if argv[:1] == ["--corpus"] and len(argv) >= 2:
        SOURCES, DOCS = Path(argv[1]) / "sources", Path(argv[1]) / "docs"
        argv = argv[2:]
    wanted = set(argv)
    paths = sorted(SOURCES.glob("*.toml"))
    sources = [load(p) for p in paths]
    DOCS.mkdir(exist_ok=True)
    produced = set()
    try:
        for src in sources:
            produced.add(src["file"])
            if wanted and src["id"] not in wanted:
                continue
            data = render(src)
            out = DOCS / src["file"]
            out.write_bytes(data)
            print(f"wrote docs/{src['file']} ({src['format']}"
                  f"{'/' + src['variant'] if src.get('variant') else ''}, {len(data)} bytes)")
    finally:
        pdf_writer.cleanup()
    if not wanted:
        for stale in sorted(DOCS.iterdir()):
            if stale.is_file() and stale.name not in produced:
                stale.unlink()
                print(f"removed stale docs/{stale.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
