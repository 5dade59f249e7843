#!/usr/bin/env python3
"""Reference implementations the benchmark compares fairscan against.

Each mode times only the work itself (imports and dictionary loading are
excluded) and prints one JSON object: {"bytes": ..., "seconds": ..., "files": ...}.

  scan  TERMS_FILE USER_DICT FILE...  jieba segmentation + regex trigger matching
  docx  FILE...                       python-docx: paragraphs and tables
  html  FILE...                       html.parser: all text nodes
"""
import json
import re
import sys
import time


def read_text(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8", "gb18030", "utf-16"):
        try:
            return raw.decode(enc), len(raw)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), len(raw)


def scan(terms_file, user_dict, files):
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    jieba.load_userdict(user_dict)
    terms = [t.strip() for t in open(terms_file, encoding="utf-8") if t.strip()]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    total, tokens, hits = 0, 0, 0
    start = time.perf_counter()
    for path in files:
        text, n = read_text(path)
        total += n
        for line in text.splitlines():
            tokens += len(jieba.lcut(line))
            hits += sum(1 for _ in pattern.finditer(line))
    return total, time.perf_counter() - start, {"tokens": tokens, "hits": hits}


def docx(files):
    import docx as python_docx

    total = 0
    start = time.perf_counter()
    for path in files:
        total += len(open(path, "rb").read())
        d = python_docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
    return total, time.perf_counter() - start, {}


def html(files):
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    total = 0
    start = time.perf_counter()
    for path in files:
        text, n = read_text(path)
        total += n
        c = Collector()
        c.feed(text)
    return total, time.perf_counter() - start, {}


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "scan":
        total, seconds, extra = scan(args[0], args[1], args[2:])
        files = len(args) - 2
    elif mode == "docx":
        total, seconds, extra = docx(args)
        files = len(args)
    elif mode == "html":
        total, seconds, extra = html(args)
        files = len(args)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"bytes": total, "seconds": seconds, "files": files, **extra}))


if __name__ == "__main__":
    main()
