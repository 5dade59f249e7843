#!/bin/sh
# Regenerates the screenshots shown in README.md from the bundled corpus.
# Needs headless Chromium (Debian: apt-get install -y chromium) and CJK fonts
# (fonts-noto-cjk). Run from anywhere: ./docs/make-screenshots.sh
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exit code 1 only means findings were found.
fairscan() {
    cargo run --quiet -- "$@" || test $? -le 1
}

shot() { # shot OUTPUT.png WIDTH,HEIGHT FILE
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$(mktemp -d -p "$work")" \
        --screenshot="$1" --window-size="$2" "file://$3" 2>/dev/null
}

# HTML report: summary and charts at the top of the page.
fairscan scan corpus --format html --out "$work/report.html"
shot docs/report-html.png 1280,1800 "$work/report.html"
