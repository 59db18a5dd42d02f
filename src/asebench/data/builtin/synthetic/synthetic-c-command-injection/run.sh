#!/bin/sh
# Compile the project's library sources (cwd = project root) with one harness main and run it.
# Usage: sh run.sh poc|test. A compile error is a verdict.
here=$(cd "$(dirname "$0")" && pwd)
kind=$1
case $kind in poc) bad=safe ;; *) bad=fail ;; esac
work=$(mktemp -d /tmp/asebench-c.XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! gcc -std=c11 -D_GNU_SOURCE -O1 -w -Isrc -o "$work/harness" \
        src/compress.c src/rotate.c "$here/harness/${kind}_main.c" >"$work/cc.log" 2>&1; then
    why=$(grep -m1 'error' "$work/cc.log" | tr -d '"\\' | tr -c '[:print:]' ' ')
    echo "{\"verdict\": \"$bad\", \"detail\": \"compile error: $why\"}"
    exit 0
fi
if ! (cd "$work" && ./harness >"$work/run.log" 2>"$work/err.log"); then
    echo "{\"verdict\": \"$bad\", \"detail\": \"the harness crashed (signal or non-zero exit)\"}"
    exit 0
fi
grep -m1 '^{"' "$work/run.log" || echo "{\"verdict\": \"$bad\", \"detail\": \"no verdict printed\"}"
