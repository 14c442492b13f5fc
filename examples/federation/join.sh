#!/bin/sh
# Prints a ClusterCredential and a MemberCluster that join a member cluster to
# the host, from the member's kubeconfig (its first cluster and user, with
# inline certificate data), labelled for placement:
#
#   examples/federation/join.sh east member-east.kubeconfig region=east | kubectl apply -f -
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 NAME MEMBER_KUBECONFIG [LABEL=VALUE ...]" >&2
  exit 2
fi
name=$1
kubeconfig=$2
shift 2
view() { kubectl config view --raw --minify --kubeconfig "$kubeconfig" -o jsonpath="$1"; }
server=$(view '{.clusters[0].cluster.server}')
ca=$(view '{.clusters[0].cluster.certificate-authority-data}')
cert=$(view '{.users[0].user.client-certificate-data}')
key=$(view '{.users[0].user.client-key-data}')

cat <<YAML
apiVersion: federation.example.com/v1alpha1
kind: ClusterCredential
metadata:
  name: $name
data:
  tls.crt: $cert
  tls.key: $key
---
apiVersion: federation.example.com/v1alpha1
kind: MemberCluster
metadata:
  name: $name
  labels:
YAML
for label in "$@"; do
  printf '    %s: "%s"\n' "${label%%=*}" "${label#*=}"
done
if [ $# -eq 0 ]; then
  printf '    {}\n'
fi
cat <<YAML
spec:
  apiEndpoint: $server
  caBundle: $ca
  secretRef:
    name: $name
YAML
