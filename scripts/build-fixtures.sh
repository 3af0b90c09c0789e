#!/usr/bin/env bash
# Builds the test images from the committed Dockerfiles in fixtures/images on one engine.
#   DOCKER_HOST=unix:///tmp/d26.sock scripts/build-fixtures.sh
# Tags: isg-fixture/busybox:1, isg-fixture/app:base, isg-fixture/app:pr, isg-fixture/ambiguous:1.
# The classic builder is used on both engines (no buildx plugin here); --network host because
# the test engines run without a bridge network.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOCKER_BUILDKIT=0

build() { # build TAG DOCKERFILE CONTEXT
  docker build --quiet --network host -t "$1" -f "$2" "$3" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
}

mkdir -p "$work/busybox"
cp /bin/busybox "$work/busybox/busybox"
build isg-fixture/busybox:1 "$here/fixtures/images/busybox/Dockerfile" "$work/busybox"
build isg-fixture/app:base "$here/fixtures/images/app-base/Dockerfile" "$here/fixtures/images/app-context"
build isg-fixture/app:pr "$here/fixtures/images/app-pr/Dockerfile" "$here/fixtures/images/app-context"
build isg-fixture/ambiguous:1 "$here/fixtures/images/ambiguous/Dockerfile" "$here/fixtures/images/app-context"
echo "fixtures built on ${DOCKER_HOST:-default engine}"
