#!/bin/sh
# Build the project's store package (cwd = project root) with one harness main and run it.
# Usage: sh run.sh poc|test. Standard library only, no network; a build error is a verdict.
here=$(cd "$(dirname "$0")" && pwd)
kind=$1
case $kind in poc) bad=safe ;; *) bad=fail ;; esac
project=$(pwd)
work=$(mktemp -d /tmp/asebench-go.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOCACHE=/tmp/gocache GOPATH=/tmp/gopath GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on
cat >"$work/go.mod" <<MOD
module asebenchharness

go 1.19

require example.com/usersvc v0.0.0
replace example.com/usersvc => $project
MOD
cp "$here/harness/memdb.go" "$here/harness/verdict.go" "$here/harness/${kind}_main.go" "$work/"
if ! (cd "$work" && go build -o "$work/harness" . >"$work/build.log" 2>&1); then
    why=$(grep -v '^#' "$work/build.log" | head -n 1 | tr -d '"\\' | tr -c '[:print:]' ' ')
    echo "{\"verdict\": \"$bad\", \"detail\": \"build error: $why\"}"
    exit 0
fi
if ! "$work/harness" >"$work/run.log" 2>&1; then
    why=$(grep -v '^goroutine' "$work/run.log" | head -n 1 | tr -d '"\\' | tr -c '[:print:]' ' ')
    echo "{\"verdict\": \"$bad\", \"detail\": \"crashed: $why\"}"
    exit 0
fi
grep -m1 '^{"' "$work/run.log"
