#!/usr/bin/env bash
# Regenerates examples/base.tar and examples/pr.tar (the README's first command) from
# examples/Dockerfile.{base,pr}, built on the containerd-store engine and written by `docker save`
# (OCI layout with gzip layers, about 1 MB each). Needs scripts/testbed.sh up.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export DOCKER_HOST=${ISG_CONTAINERD_HOST:-unix:///tmp/d26.sock} DOCKER_BUILDKIT=0
bash "$here/scripts/build-fixtures.sh"
for v in base pr; do
  docker build --quiet --network host -t "image-size-gate-example/app:$v" -f "$here/examples/Dockerfile.$v" "$here/examples" >/dev/null 2>&1
  docker save "image-size-gate-example/app:$v" -o "$here/examples/$v.tar"
done
ls -l "$here/examples/"*.tar
