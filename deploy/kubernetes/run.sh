#!/usr/bin/env bash
# Runs a sharded scan on the cluster kubectl points at: the results volume,
# the Indexed Job, then — once every shard completed — the merge.
#
#   deploy/kubernetes/run.sh [TIMEOUT]     (default 24h)
set -euo pipefail
cd "$(dirname "$0")"
kubectl apply -f results-pvc.yaml
# A Job's pod template cannot change: the previous month's Jobs go first.
kubectl delete job piimap-scan piimap-merge --ignore-not-found
kubectl apply -f scan-job.yaml
kubectl wait --for=condition=complete job/piimap-scan --timeout="${1:-24h}"
kubectl apply -f merge-job.yaml
kubectl wait --for=condition=complete job/piimap-merge --timeout=1h
kubectl logs job/piimap-merge
