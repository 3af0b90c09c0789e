#!/usr/bin/env bash
# Installs and starts the real services the engine, registry and end-to-end tests use:
#   - Docker Engine 20.10 (Debian 12 docker.io), overlay2 graph driver, /var/run/docker.sock
#   - Docker Engine 26.1 (Debian 13 docker.io) with the containerd image store, /tmp/d26.sock
#   - the CNCF distribution registry (Debian docker-registry) on 127.0.0.1:5000
#   - the buildx plugin (Debian 13 docker-buildx), in a config directory of its own: the docker
#     CLI has it only with DOCKER_CONFIG=$ISG_BUILDX_CONFIG, so builds stay classic by default
#   - Chromium (Debian chromium), for the test that renders the trend chart with Mermaid
# Recipes: ../shared/TESTBED.md. Idempotent: running it again only starts what is down.
# Usage: scripts/testbed.sh up | env      (env prints the variables the tests read)
set -euo pipefail

CLASSIC_SOCK=/var/run/docker.sock
D26=/tmp/d26
D26_SOCK=/tmp/d26.sock
REG_DIR=/tmp/isg-registry
REG_ADDR=127.0.0.1:5000
AUTH_REG_ADDR=127.0.0.1:5001
AUTH_USER=isg
AUTH_PASS=isg-secret
BUILDX_CONFIG=/tmp/isg-buildx/config

print_env() {
  echo "ISG_CLASSIC_HOST=unix://$CLASSIC_SOCK"
  echo "ISG_CONTAINERD_HOST=unix://$D26_SOCK"
  echo "ISG_REGISTRY=$REG_ADDR"
  echo "ISG_AUTH_REGISTRY=$AUTH_REG_ADDR"
  echo "ISG_AUTH_USER=$AUTH_USER"
  echo "ISG_AUTH_PASS=$AUTH_PASS"
  echo "ISG_BUILDX_CONFIG=$BUILDX_CONFIG"
}

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "testbed.sh: installing engines needs root (apt-get, dockerd); run it with sudo" >&2
    exit 1
  fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx wget || missing+=(busybox-static)
  command -v git >/dev/null || missing+=(git)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  # The file-analysis fixtures: zstd layers, and the independent Python counter.
  command -v zstd >/dev/null || missing+=(zstd)
  command -v python3 >/dev/null || missing+=(python3)
  # The trend chart test renders the Mermaid block in headless Chromium (Debian's package).
  command -v chromium >/dev/null || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    need_root
    echo "testbed: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_d26() {
  [ -x "$D26/root/usr/sbin/dockerd" ] && return 0
  need_root
  echo "testbed: fetching Debian 13 docker.io + containerd"
  echo "deb http://deb.debian.org/debian trixie main" >/tmp/trixie.list
  local o=(-o Dir::Etc::SourceList=/tmp/trixie.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=/tmp/trixie-lists)
  mkdir -p /tmp/trixie-lists/partial "$D26"
  apt-get "${o[@]}" update -qq
  (cd "$D26" && apt-get "${o[@]}" download docker.io containerd >/dev/null && for f in *.deb; do dpkg -x "$f" root; done)
  echo '{"features":{"containerd-snapshotter":true}}' >"$D26/daemon.json"
}

install_buildx() {
  [ -x "$BUILDX_CONFIG/cli-plugins/docker-buildx" ] && return 0
  need_root
  echo "testbed: fetching Debian 13 docker-buildx (a private plugin directory)"
  echo "deb http://deb.debian.org/debian trixie main" >/tmp/trixie.list
  local o=(-o Dir::Etc::SourceList=/tmp/trixie.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=/tmp/trixie-lists)
  local work
  work=$(mktemp -d)
  mkdir -p /tmp/trixie-lists/partial "$BUILDX_CONFIG/cli-plugins"
  apt-get "${o[@]}" update -qq
  (cd "$work" && apt-get "${o[@]}" download docker-buildx >/dev/null 2>&1 && dpkg -x docker-buildx_*.deb root)
  cp "$work/root/usr/libexec/docker/cli-plugins/docker-buildx" "$BUILDX_CONFIG/cli-plugins/"
  rm -rf "$work"
}

wait_for() { # wait_for SECONDS CMD...
  local t=$1; shift
  for _ in $(seq 1 $((t * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

start_classic() {
  if DOCKER_HOST=unix://$CLASSIC_SOCK docker version >/dev/null 2>&1; then return 0; fi
  need_root
  echo "testbed: starting dockerd (overlay2)"
  # setsid -f: the daemons must not keep this script's output open (CI reads it to the end).
  setsid -f dockerd >/tmp/dockerd.log 2>&1 </dev/null
  wait_for 60 env DOCKER_HOST=unix://$CLASSIC_SOCK docker version || { tail -20 /tmp/dockerd.log >&2; exit 1; }
}

start_d26() {
  if DOCKER_HOST=unix://$D26_SOCK docker version >/dev/null 2>&1; then return 0; fi
  need_root
  echo "testbed: starting dockerd 26 (containerd image store)"
  PATH=$D26/root/usr/bin:$D26/root/usr/sbin:$PATH setsid -f "$D26/root/usr/sbin/dockerd" \
    --config-file "$D26/daemon.json" -H unix://$D26_SOCK --data-root /tmp/d26-data \
    --exec-root /tmp/d26-exec --pidfile /tmp/d26.pid --bridge none --iptables=false \
    >/tmp/d26.log 2>&1 </dev/null
  wait_for 90 env DOCKER_HOST=unix://$D26_SOCK docker version || { tail -20 /tmp/d26.log >&2; exit 1; }
}

start_registry() { # start_registry NAME ADDR [htpasswd]
  local name=$1 addr=$2 auth=${3:-} dir="$REG_DIR/$1"
  if curl -sS -o /dev/null "http://$addr/v2/" 2>/dev/null; then return 0; fi
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}"
    echo "http: {addr: $addr}"
    if [ -n "$auth" ]; then
      htpasswd -Bbn "$AUTH_USER" "$AUTH_PASS" >"$dir/htpasswd"
      echo "auth: {htpasswd: {realm: isg-test, path: $dir/htpasswd}}"
    fi
  } >"$dir/config.yml"
  echo "testbed: starting registry $name on $addr"
  setsid -f docker-registry serve "$dir/config.yml" >"/tmp/isg-registry-$name.log" 2>&1 </dev/null
  wait_for 30 curl -sS -o /dev/null "http://$addr/v2/" || { tail -20 "/tmp/isg-registry-$name.log" >&2; exit 1; }
}

case "${1:-up}" in
  up)
    install_packages
    install_d26
    install_buildx
    start_classic
    start_d26
    start_registry open "$REG_ADDR"
    start_registry auth "$AUTH_REG_ADDR" htpasswd
    print_env
    ;;
  env) print_env ;;
  *) echo "usage: scripts/testbed.sh up|env" >&2; exit 2 ;;
esac
