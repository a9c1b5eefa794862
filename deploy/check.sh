#!/usr/bin/env bash
# Checks the deployment files without a Docker engine: the compose file is
# loaded and validated by docker-compose (installed from Debian if missing),
# and the Dockerfile builds the same binary the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null; then
	apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null
fi
POSTGRES_PASSWORD=check ZAOSHU_SECRET_KEY=check docker-compose -f deploy/docker-compose.yml config -q
echo "deploy/docker-compose.yml: valid"
# The Dockerfile's build step, run here exactly as written in it.
cmd=$(sed -n 's/^RUN \(CGO_ENABLED=0 go build .*\)$/\1/p' deploy/Dockerfile)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
eval "${cmd//\/out\//$out/}"
"$out/zaoshu" --help >/dev/null
echo "deploy/Dockerfile: its build step builds a working static binary ($(du -h "$out/zaoshu" | cut -f1))"
