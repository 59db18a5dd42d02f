#!/bin/sh
# Compile the project in the current directory with one harness class and run it.
# Usage: sh run.sh PocMain|TestMain  (cwd = project root). A compile error is a verdict.
here=$(cd "$(dirname "$0")" && pwd)
main=$1
case $main in PocMain) bad=safe ;; *) bad=fail ;; esac
out=$(mktemp -d /tmp/asebench-java.XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! javac -nowarn -d "$out" $(find src -name '*.java') "$here"/harness/*.java >"$out/javac.log" 2>&1; then
    why=$(grep -m1 'error:' "$out/javac.log" | tr -d '"\\' | tr -c '[:print:]' ' ')
    echo "{\"verdict\": \"$bad\", \"detail\": \"compile error: $why\"}"
    exit 0
fi
if ! java -Djava.io.tmpdir="$out" -cp "$out" "$main" >"$out/run.log" 2>&1; then
    why=$(tail -n 1 "$out/run.log" | tr -d '"\\' | tr -c '[:print:]' ' ')
    echo "{\"verdict\": \"$bad\", \"detail\": \"harness crashed: $why\"}"
    exit 0
fi
grep -m1 '^{"verdict"' "$out/run.log"
