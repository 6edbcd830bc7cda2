#!/usr/bin/env bash
# Packs the package, installs the tarball into an empty folder and checks what a user gets:
# the CLI runs, and meridian-geo/policy loads without any renderer library installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund "$work/$tarball" >/dev/null
echo "meridian --version: $(npx --no-install meridian --version)"
node -e "
const policy = require('meridian-geo/policy');
const loaded = Object.keys(require.cache).filter((k) => /node_modules\/(aws-cdk-lib|constructs|cdktf|@cdktf)\//.test(k));
if (typeof policy.checkPlan !== 'function' || loaded.length) { console.error('policy entry broken', loaded); process.exit(1); }
console.log('meridian-geo/policy: loads without aws-cdk-lib, constructs or cdktf');
"
npx --no-install meridian check --spec "$root/examples/specs/orders.yaml" --format json >/dev/null && echo "meridian check: exit 0"
