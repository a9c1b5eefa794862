#!/usr/bin/env bash
# Refreshes the vendored API documentation viewer from the npm registry.
# Nothing runs npm at build or run time: the files it writes are committed.
set -euo pipefail
cd "$(dirname "$0")"
version=3.0.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "redoc@$version" >/dev/null && tar xzf "redoc-$version.tgz")
cp "$tmp/package/bundles/redoc.standalone.js" redoc.standalone.js
cp "$tmp/package/LICENSE" redoc.LICENSE
echo "redoc $version (npm), bundles/redoc.standalone.js" > VERSIONS
