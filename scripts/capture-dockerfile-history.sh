#!/usr/bin/env bash
# Regenerates __tests__/fixtures/dockerfile/layer-steps.json: the layer-making history
# (`created_by`) of images built from the Dockerfiles beside it, on the classic engine's classic
# builder and on the containerd-store engine with BuildKit. Needs scripts/testbed.sh up, and the
# buildx plugin for the BuildKit builds (DOCKER_CONFIG pointing at a config whose cli-plugins/
# holds docker-buildx, e.g. Debian's docker-buildx package unpacked there).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/__tests__/fixtures/dockerfile"
classic=${ISG_CLASSIC_HOST:-unix:///var/run/docker.sock}
containerd=${ISG_CONTAINERD_HOST:-unix:///tmp/d26.sock}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'hello\n' >"$work/a.txt"
head -c 3000 /dev/zero | tr '\0' x >"$work/big.bin"

# build NAME HOST BUILDER DOCKERFILE [--target T]: writes the steps to $work/NAME.json
build() {
  local name=$1 host=$2 builder=$3 file=$4
  shift 4
  local tag="isg-dockerfile-history:$name"
  if [ "$builder" = classic ]; then
    DOCKER_HOST=$host DOCKER_BUILDKIT=0 docker build -q --network host -f "$dir/$file" -t "$tag" "$@" "$work" >/dev/null
  else
    DOCKER_HOST=$host docker buildx build --load -q --network host -f "$dir/$file" -t "$tag" "$@" "$work" >/dev/null
  fi
  mkdir -p "$work/$name"
  DOCKER_HOST=$host docker save "$tag" | tar -x -C "$work/$name"
  DOCKER_HOST=$host docker rmi "$tag" >/dev/null
  python3 - "$work/$name" >"$work/$name.json" <<'PY'
import json, sys
root = sys.argv[1]
config = json.load(open(f"{root}/{json.load(open(f'{root}/manifest.json'))[0]['Config']}"))
print(json.dumps([h.get("created_by", "") for h in config["history"] if not h.get("empty_layer")]))
PY
}

bash "$here/scripts/build-fixtures.sh" >/dev/null
build c1 "$classic" classic Dockerfile.classic
build c2 "$classic" classic Dockerfile.classic --target build
build c3 "$classic" classic Dockerfile.escape --target tools
build b1 "$containerd" buildkit Dockerfile.buildkit
build b2 "$containerd" buildkit Dockerfile.escape --target tools
build b3 "$containerd" buildkit Dockerfile.more

python3 - "$work" >"$dir/layer-steps.json" <<'PY'
import json, sys
work = sys.argv[1]
names = {
    "classic 20.10, Dockerfile.classic": "c1",
    "classic 20.10, Dockerfile.classic --target build": "c2",
    "classic 20.10, Dockerfile.escape --target tools": "c3",
    "buildkit 26, Dockerfile.buildkit": "b1",
    "buildkit 26, Dockerfile.escape --target tools": "b2",
    "buildkit 26, Dockerfile.more": "b3",
}
about = (
    "Layer-making history created_by of images built from the Dockerfiles beside this file "
    "(FROM isg-fixture/busybox:1), bottom first, on Docker 20.10 (classic builder, overlay2) and "
    "Docker 26.1 (BuildKit via buildx 0.13, containerd store). Made by "
    "scripts/capture-dockerfile-history.sh."
)
images = {label: json.load(open(f"{work}/{name}.json")) for label, name in names.items()}
print(json.dumps({"about": about, "images": images}, indent=1))
PY
