#!/usr/bin/env bash
# Refreshes the vendored front-end files from the npm registry. Run it by
# hand when upgrading (it needs npm and the network); nothing runs npm at
# build or run time. Versions are pinned here and noted in VERSIONS.
set -euo pipefail
cd "$(dirname "$0")"

BOOTSTRAP=5.3.8
HTMX=2.0.11
HTMX_SSE=2.2.4
CHARTJS=4.5.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch PACKAGE VERSION: unpack the package's tarball into $work/PACKAGE.
fetch() {
	local dir="$work/$1"
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent "$1@$2" >/dev/null && tar -xzf ./*.tgz)
}

fetch bootstrap "$BOOTSTRAP"
fetch htmx.org "$HTMX"
fetch htmx-ext-sse "$HTMX_SSE"
fetch chart.js "$CHARTJS"

cp "$work/bootstrap/package/dist/css/bootstrap.min.css" bootstrap.min.css
cp "$work/bootstrap/package/dist/js/bootstrap.bundle.min.js" bootstrap.bundle.min.js
cp "$work/htmx.org/package/dist/htmx.min.js" htmx.min.js
cp "$work/htmx-ext-sse/package/dist/sse.min.js" htmx-ext-sse.min.js
cp "$work/chart.js/package/dist/chart.umd.min.js" chart.umd.min.js

cat >VERSIONS <<VERSIONS
# Vendored from the npm registry by update.sh; MIT licensed (see each package).
bootstrap     $BOOTSTRAP   bootstrap.min.css, bootstrap.bundle.min.js
htmx.org      $HTMX   htmx.min.js
htmx-ext-sse  $HTMX_SSE   htmx-ext-sse.min.js
chart.js      $CHARTJS   chart.umd.min.js
VERSIONS
