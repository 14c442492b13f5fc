#!/usr/bin/env bash
# Seed 000's version fusion on one machine: an etcd, an "old" server serving
# extensions.example.com/v1beta1 and a "new" one serving apps.example.com.
#
#   examples/version-fusion/start.sh            # first design: both on one etcd; the new
#                                               # server writes what the old one reads and
#                                               # authorizes with seed 000's ABAC policy
#   examples/version-fusion/start.sh separate   # second design: the new server's
#                                               # Deployments on a second etcd
#   examples/version-fusion/start.sh upgraded   # the old server retired: the new one
#                                               # alone, writing apps.example.com/v1
#
# Run from the repository root after `npm run build`. Everything listens on
# 127.0.0.1 and lives in $FUSION_DIR (default /tmp/version-fusion), kept between
# runs; Ctrl-C stops it all.
set -euo pipefail

mode=${1:-shared}
dir=${FUSION_DIR:-/tmp/version-fusion}
cli=${APISERVER_KIT:-dist/cli.js}
here=$(cd "$(dirname "$0")" && pwd)
shared=http://127.0.0.1:23790
old_release=(--groups extensions.example.com --storage-version deployments.apps.example.com=extensions.example.com/v1beta1)
mkdir -p "$dir"
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT

# start_etcd <name> <client port> <peer port>
start_etcd() {
  etcd --name "$1" --data-dir "$dir/$1" \
    --listen-client-urls "http://127.0.0.1:$2" --advertise-client-urls "http://127.0.0.1:$2" \
    --listen-peer-urls "http://127.0.0.1:$3" --initial-advertise-peer-urls "http://127.0.0.1:$3" \
    --initial-cluster "$1=http://127.0.0.1:$3" >"$dir/$1.log" 2>&1 &
}

# serve <name> <port> <flags...>
serve() {
  local name=$1 port=$2
  shift 2
  node "$cli" serve --secure-port "$port" --data-dir "$dir/$name" --etcd-servers "$shared" "$@" &
  echo "$name: export KUBECONFIG=$dir/$name/admin.kubeconfig" >&2
}

start_etcd etcd-shared 23790 23800
case "$mode" in
  shared)
    serve old 6443 "${old_release[@]}"
    serve new 6444 --groups apps.example.com --storage-version deployments.apps.example.com=extensions.example.com/v1beta1 \
      --authorization-mode ABAC --authorization-policy-file "$here/policy.jsonl" --token-auth-file "$here/tokens.csv"
    ;;
  separate)
    start_etcd etcd-new 23791 23801
    serve old 6443 "${old_release[@]}"
    serve new 6444 --groups apps.example.com --etcd-servers-overrides "apps.example.com/deployments#http://127.0.0.1:23791"
    ;;
  upgraded)
    serve new 6444 --groups apps.example.com
    ;;
  *)
    echo "usage: $0 [shared|separate|upgraded]" >&2
    exit 2
    ;;
esac
wait
