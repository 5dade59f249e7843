#!/usr/bin/env python3
"""Validate the labeled clause set and print its counts.

Usage: python3 corpus/labeled/check.py   (exit status 1 on any error)
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Items per article of the review standards (Arts 8-11).
ITEMS = {8: 5, 9: 6, 10: 4, 11: 4}
FORMS = {"obvious", "disguised"}
FAMILIES = [
    "prohibition",
    "restatement",
    "scope",
    "objective",
    "legal_basis",
    "individual",
    "homonym",
    "exception",
    "neutral",
]
POS_FIELDS = {"id", "text", "article", "item", "form", "note"}
NEG_FIELDS = {"id", "text", "family", "note"}

MIN_PER_ITEM = 8
MIN_NEGATIVES = 130
MIN_TEXT_CHARS = 8
MAX_TEXT_CHARS = 300

# A positive must not carry its own legal basis (that makes it a negative).
BASIS_MARKERS = ("依据《中华人民共和国", "依照《中华人民共和国", "经国务院批准")

errors: list[str] = []


def err(where: str, msg: str) -> None:
    errors.append(f"{where}: {msg}")


def norm(text: str) -> str:
    """Text key for duplicate detection: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def load(name: str) -> list[tuple[str, dict]]:
    rows = []
    path = HERE / name
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            where = f"{name}:{n}"
            if not line.strip():
                err(where, "empty line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                err(where, f"invalid JSON ({e})")
                continue
            if not isinstance(obj, dict):
                err(where, "line is not a JSON object")
                continue
            rows.append((where, obj))
    return rows


def check_text(where: str, obj: dict) -> None:
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        err(where, "text missing or empty")
        return
    if text != text.strip() or "\n" in text:
        err(where, "text has surrounding whitespace or a newline")
    if not MIN_TEXT_CHARS <= len(text) <= MAX_TEXT_CHARS:
        err(where, f"text length {len(text)} outside {MIN_TEXT_CHARS}..{MAX_TEXT_CHARS}")
    note = obj.get("note")
    if not isinstance(note, str) or not note.strip():
        err(where, "note missing or empty")


def check_positive(where: str, obj: dict) -> None:
    if set(obj) != POS_FIELDS:
        err(where, f"fields {sorted(obj)} != {sorted(POS_FIELDS)}")
        return
    check_text(where, obj)
    art, item = obj["article"], obj["item"]
    if type(art) is not int or art not in ITEMS:
        err(where, f"article {art!r} not in 8..11")
        return
    if type(item) is not int or not 1 <= item <= ITEMS[art]:
        err(where, f"item {item!r} out of range for article {art}")
        return
    if obj["form"] not in FORMS:
        err(where, f"form {obj['form']!r} not in {sorted(FORMS)}")
    if not re.fullmatch(rf"p-{art}-{item}-\d{{2,}}", str(obj["id"])):
        err(where, f"id {obj['id']!r} does not match p-{art}-{item}-NN")
    if any(m in obj["text"] for m in BASIS_MARKERS):
        err(where, "positive states a legal basis; it belongs in negatives")


def check_negative(where: str, obj: dict) -> None:
    if set(obj) != NEG_FIELDS:
        err(where, f"fields {sorted(obj)} != {sorted(NEG_FIELDS)}")
        return
    check_text(where, obj)
    fam = obj["family"]
    if fam not in FAMILIES:
        err(where, f"family {fam!r} unknown")
        return
    if not re.fullmatch(rf"n-{fam}-\d{{2,}}", str(obj["id"])):
        err(where, f"id {obj['id']!r} does not match n-{fam}-NN")


def main() -> int:
    pos = load("positives.jsonl")
    neg = load("negatives.jsonl")
    for where, obj in pos:
        check_positive(where, obj)
    for where, obj in neg:
        check_negative(where, obj)

    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    for where, obj in pos + neg:
        oid, text = obj.get("id"), obj.get("text")
        if isinstance(oid, str):
            if oid in seen_ids:
                err(where, f"duplicate id {oid} (first at {seen_ids[oid]})")
            seen_ids.setdefault(oid, where)
        if isinstance(text, str):
            key = norm(text)
            if key in seen_texts:
                err(where, f"duplicate text (first at {seen_texts[key]})")
            seen_texts.setdefault(key, where)

    valid_pos = [o for _, o in pos if set(o) == POS_FIELDS]
    total = Counter((o["article"], o["item"]) for o in valid_pos)
    disguised = Counter(
        (o["article"], o["item"]) for o in valid_pos if o["form"] == "disguised"
    )
    print("positives per item (total / obvious / disguised)")
    for art, n_items in ITEMS.items():
        for item in range(1, n_items + 1):
            k = (art, item)
            t, d = total.get(k, 0), disguised.get(k, 0)
            print(f"  {art}({item})  {t:3d} / {t - d:3d} / {d:3d}")
            if t < MIN_PER_ITEM:
                err("positives", f"item {art}({item}) has {t} < {MIN_PER_ITEM}")
            if 2 * d < t:
                err("positives", f"item {art}({item}) has fewer than half disguised")
    n_dis = sum(disguised.values())
    print(f"  total     {len(valid_pos):3d} / {len(valid_pos) - n_dis:3d} / {n_dis:3d}")

    fams = Counter(o.get("family") for _, o in neg)
    print("negatives per family")
    for fam in FAMILIES:
        print(f"  {fam:<12} {fams.get(fam, 0):3d}")
        if fams.get(fam, 0) == 0:
            err("negatives", f"family {fam} has no examples")
    print(f"  {'total':<12} {len(neg):3d}")
    if len(neg) < MIN_NEGATIVES:
        err("negatives", f"{len(neg)} < {MIN_NEGATIVES}")

    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for e in errors:
            print(f"  {e}", file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
