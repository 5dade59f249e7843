#!/usr/bin/env bash
# Renders the README screenshots into docs/. Needs headless Chromium (Debian:
# chromium), LibreOffice (soffice), poppler (pdftoppm) and CJK fonts (fonts-noto-cjk). Word comments are drawn in the page margin only by
# LibreOffice 7.5 or newer: point SOFFICE at such a soffice if the default is older.
# FAIRSCAN may name an already built binary (default: cargo run --release).
set -euo pipefail
cd "$(dirname "$0")/.."

SOFFICE=${SOFFICE:-soffice}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fairscan() {
  if [ -n "${FAIRSCAN:-}" ]; then "$FAIRSCAN" "$@"; else cargo run --release -q -- "$@"; fi
}
# Exit code 1 only means "findings were reported".
allow_findings() { "$@" || [ $? -eq 1 ]; }
to_pdf() { # FILE.docx [FILTER]
  "$SOFFICE" "-env:UserInstallation=file://$work/profile" --headless \
    --convert-to "${2:-pdf}" --outdir "$work" "$1" >/dev/null
}

# Word file with review comments: the annotated copy of c02, page 2 holds its finding.
allow_findings fairscan annotate "corpus/docs/c02 澄江区人民政府办公室关于进一步规范政府采购管理工作的通知.docx" \
  -o "$work/annotated.docx"
to_pdf "$work/annotated.docx" \
  'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"},"ExportNotes":{"type":"boolean","value":"false"}}'
pdftoppm -r 80 -png -f 2 -l 2 -singlefile "$work/annotated.pdf" docs/annotated-docx

# The review form filled for c01.
allow_findings fairscan form "corpus/docs/c01 青禾市促进民营经济发展若干措施.docx" -o "$work/review-form.docx"
to_pdf "$work/review-form.docx"
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$work/review-form.pdf" docs/review-form

shot() { # shot OUTPUT.png WIDTH,HEIGHT FILE
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$(mktemp -d -p "$work")" \
        --screenshot="$1" --window-size="$2" "file://$3" 2>/dev/null
}

# HTML report: summary and charts at the top of the page.
allow_findings fairscan scan corpus --format html --out "$work/report.html"
shot docs/report-html.png 1280,1800 "$work/report.html"

# Web workbench pages (检查, 审查, 批次, 检索, 规则): the browser test saves them
# (needs chromium and chromium-driver).
FAIRSCAN_SCREENSHOTS=1 cargo test -q --test cli web::workbench_in_a_real_browser
