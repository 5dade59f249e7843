#!/usr/bin/env python3
"""Sanity-check corpus/expected/*.toml against corpus/sources/*.toml.

Usage: python3 corpus/tools/check_expected.py [ID ...]

Checks what a typo would break: the docs/ file named, quotes being exact
substrings of the source text (10–40 characters), article/item ranges,
families, and that title, document number and issuer occur in the text.
The clause lists are written by hand and deliberately not derived here.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
ITEMS = {8: 5, 9: 6, 10: 4, 11: 4}
FAMILIES = {"prohibition", "restatement", "scope", "objective", "legal_basis",
            "individual", "homonym", "exception"}


def flat(text: str) -> str:
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def check(ident: str) -> list[str]:
    errs: list[str] = []
    src = tomllib.loads((CORPUS / "sources" / f"{ident}.toml").read_text("utf-8"))
    exp = tomllib.loads((CORPUS / "expected" / f"{ident}.toml").read_text("utf-8"))
    text = flat(src["text"])
    if exp.get("file") != f"docs/{src['file']}":
        errs.append(f"file should be docs/{src['file']}")
    meta = exp.get("meta", {})
    for key in ("title", "doc_number"):
        if meta.get(key) and meta[key] not in text:
            errs.append(f"meta.{key} not found in text: {meta[key]}")
    for organ in re.split("[、]", meta.get("issuer", "")):
        if organ and organ not in text:
            errs.append(f"issuer part not found in text: {organ}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("date", "")):
        errs.append("meta.date is not ISO")
    for f in exp.get("finding", []):
        if f.get("item", 0) < 1 or f.get("item", 0) > ITEMS.get(f.get("article"), 0):
            errs.append(f"bad article/item {f.get('article')}/{f.get('item')}")
        errs += quote_errors(f.get("quote", ""), text)
    for c in exp.get("compliant", []):
        if c.get("family") not in FAMILIES:
            errs.append(f"bad family {c.get('family')}")
        errs += quote_errors(c.get("quote", ""), text)
    return errs


def quote_errors(quote: str, text: str) -> list[str]:
    errs = []
    if not 10 <= len(quote) <= 40:
        errs.append(f"quote length {len(quote)}: {quote}")
    if quote not in text:
        errs.append(f"quote not in text: {quote}")
    elif "\n" in quote:
        errs.append(f"quote spans lines: {quote}")
    return errs


def main(argv: list[str]) -> int:
    ids = argv or sorted(p.stem for p in (CORPUS / "expected").glob("*.toml"))
    bad = 0
    for ident in ids:
        errs = check(ident)
        bad += bool(errs)
        for e in errs:
            print(f"{ident}: {e}")
    print(f"checked {len(ids)} expected files, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
