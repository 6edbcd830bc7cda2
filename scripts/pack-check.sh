#!/usr/bin/env bash
# Packs the package (prepack builds it), installs the tarball into empty folders and checks what each
# kind of user gets:
#   1. contents: every file the README links is in the tarball;
#   2. pipeline: the CLI runs, and meridian-geo/policy and meridian-geo/model load without any renderer;
#      the bundled binary answers like the module-by-module CLI (spec and synthesized-output checks, whose
#      readers the bundle loads on demand), and its code cache serves a fresh
#      container (shipped) or is written on the first run (another V8);
#   3. AWS CDK: a plain app with aws-cdk-lib + constructs synthesizes a deployment plus a service per
#      region, offline (scripts/pack-fixtures/cdk-app.js), with the feature flags `cdk init` would have
#      written for that aws-cdk-lib, and again with none (an app from before the flags);
#   4. CDK for Terraform: a folder with only cdktf, @cdktf/provider-aws and constructs renders the same
#      spec without aws-cdk-lib installed (scripts/pack-fixtures/cdktf-main.js).
# Installs use the npm cache first (--prefer-offline); MERIDIAN_PACK_OFFLINE=1 forbids the network.
# MERIDIAN_CDK_VERSION=<x.y.z> installs that aws-cdk-lib instead of the one this checkout uses (the
# lowest version of the peer range, say). MERIDIAN_PACK_SKIP=cdk,cdktf skips those steps.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
spec="$root/examples/specs/orders.yaml"
skip=",${MERIDIAN_PACK_SKIP:-},"
npm_mode="--prefer-offline"
[ "${MERIDIAN_PACK_OFFLINE:-}" = "1" ] && npm_mode="--offline"
version_of() { node -p "require('$root/node_modules/$1/package.json').version"; }
# One retry: a registry hiccup on a release we do not cache (the lowest aws-cdk-lib) should not fail CI.
install() {
  npm install "$npm_mode" --no-audit --no-fund --loglevel=error "$@" >/dev/null \
    || { echo "npm install failed; retrying once" >&2; sleep 5; npm install "$npm_mode" --no-audit --no-fund --loglevel=error "$@" >/dev/null; }
}

cd "$root"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -1)"

# 1. Contents: the README's relative links must resolve inside the package.
listing="$(tar tzf "$tarball")"
missing=0
for link in $(grep -oE '\]\([^)#:]+\)' README.md | sed -E 's/^\]\((.*)\)$/\1/' | sort -u); do
  if ! grep -qx "package/$link" <<<"$listing"; then echo "README links $link, which is not in the package" >&2; missing=1; fi
done
[ "$missing" = 0 ] || exit 1
echo "contents: every file the README links is packed"

# 2. Pipeline user: the tarball alone.
mkdir "$work/policy" && cd "$work/policy" && npm init -y >/dev/null
install "$tarball"
echo "meridian --version: $(npx --no-install meridian --version)"
node -e "
const heavy = () => Object.keys(require.cache).filter((k) => /node_modules[\\\\/](aws-cdk-lib|constructs|cdktf|@cdktf)[\\\\/]/.test(k));
const policy = require('meridian-geo/policy');
const model = require('meridian-geo/model');
if (typeof policy.checkPlan !== 'function' || typeof policy.plan !== 'function' || typeof model.plan !== 'function' || heavy().length) {
  console.error('policy/model entry broken', heavy()); process.exit(1);
}
console.log('meridian-geo/policy and meridian-geo/model: load without aws-cdk-lib, constructs or cdktf');
"
npx --no-install meridian check --spec "$spec" --format json >/dev/null && echo "meridian check: exit 0"
# The binary runs the bundle (dist/bin/meridian.bundle.js) with a code cache; the package also holds the
# same CLI module by module (dist/bin/meridian.js). Both must answer alike: output, errors, exit codes.
printf 'name: x\nmode: sideways\nregions: []\n' > bad.yaml
printf '%s\n' 'name: shop' 'mode: active-passive' 'regions:' '  - { name: us-east-1, role: primary }' '  - { name: us-west-2, role: secondary }' \
  'data: { engine: aurora-postgresql, classification: internal }' \
  'dns: { zoneName: example.com, recordName: api.example.com, routing: failover, ttlSeconds: 300 }' > ttl.yaml
bin="node_modules/meridian-geo/dist/bin"
compared=0
while IFS= read -r args; do
  # shellcheck disable=SC2086 # the arguments are words
  a="$(NO_COLOR=1 node "$bin/meridian-cli.js" $args 2>&1; echo "exit $?")"
  # shellcheck disable=SC2086
  b="$(NO_COLOR=1 node "$bin/meridian.js" $args 2>&1; echo "exit $?")"
  [ "$a" = "$b" ] || { echo "bundled and module-by-module CLI differ on: meridian $args" >&2; diff <(echo "$b") <(echo "$a") >&2; exit 1; }
  compared=$((compared + 1))
done <<ARGS
--version
--help
rules
no-such-command
check --spec $spec
check --spec $spec --format json
check --spec $spec --format sarif
check --spec $spec --format junit
check --spec $spec --format markdown
check --spec ttl.yaml
check --spec bad.yaml
check --spec missing.yaml
estimate $spec --format json
diagram $spec
facts $spec
check $root/test/fixtures/facts/orders-eu.template.json --format sarif
check $root/test/fixtures/facts/payments.tf.json
facts $root/test/fixtures/facts/payments.tf.json
ARGS
echo "meridian (bundled) and dist/bin/meridian.js agree on $compared invocations"
# A fresh container: the shipped code cache is for this V8, so the first run writes no cache of its own;
# without the shipped cache (another V8) the first run writes one and the second run uses it.
# As a user's shell runs it: V8 flags from NODE_OPTIONS (the test runner sets some) make V8 reject a
# cache made without them, and such runs keep a temporary cache of their own (bin/meridian-cli.ts).
unset NODE_OPTIONS
fresh="$(mktemp -d)"
TMPDIR="$fresh" node_modules/.bin/meridian check --spec "$spec" >/dev/null
[ -z "$(ls -A "$fresh")" ] || { echo "the shipped code cache was not used: a fresh run wrote $(ls "$fresh")" >&2; exit 1; }
mkdir other-v8 && cp -r node_modules/meridian-geo/package.json node_modules/meridian-geo/dist other-v8/ && rm other-v8/dist/bin/*.cache
TMPDIR="$fresh" node other-v8/dist/bin/meridian-cli.js check --spec "$spec" >/dev/null
written="$(ls "$fresh")"
[ -n "$written" ] || { echo "without a shipped code cache the first run wrote none" >&2; exit 1; }
TMPDIR="$fresh" node other-v8/dist/bin/meridian-cli.js check --spec "$spec" >/dev/null
[ "$(ls "$fresh")" = "$written" ] || { echo "the second run did not reuse the code cache" >&2; exit 1; }
rm -rf "$fresh"
echo "meridian code cache: the shipped one serves a fresh container; without it the first run writes one"

# 3. AWS CDK user.
if [[ "$skip" != *",cdk,"* ]]; then
  cdk_version="${MERIDIAN_CDK_VERSION:-$(version_of aws-cdk-lib)}"
  mkdir "$work/cdk" && cd "$work/cdk" && npm init -y >/dev/null
  install "$tarball" "aws-cdk-lib@$cdk_version" "constructs@$(version_of constructs)"
  cp "$root/scripts/pack-fixtures/cdk-app.js" app.js
  out="$(MERIDIAN_SPEC="$spec" CDK_OUTDIR="$work/cdk/cdk.out" node app.js | tail -1)"
  echo "aws-cdk-lib $cdk_version app: $out"
  out="$(MERIDIAN_CDK_FLAGS=none MERIDIAN_SPEC="$spec" CDK_OUTDIR="$work/cdk/cdk.out.no-flags" node app.js | tail -1)"
  echo "aws-cdk-lib $cdk_version app without feature flags: $out"
fi

# 4. CDK for Terraform user: no aws-cdk-lib anywhere.
if [[ "$skip" != *",cdktf,"* ]]; then
  mkdir "$work/cdktf" && cd "$work/cdktf" && npm init -y >/dev/null
  install "$tarball" "cdktf@$(version_of cdktf)" "@cdktf/provider-aws@$(version_of @cdktf/provider-aws)" "constructs@$(version_of constructs)"
  [ -d node_modules/aws-cdk-lib ] && { echo "aws-cdk-lib was installed into the cdktf project" >&2; exit 1; }
  cp "$root/scripts/pack-fixtures/cdktf-main.js" main.js
  out="$(MERIDIAN_SPEC="$spec" node main.js | tail -1)"
  echo "cdktf app: $out"
fi
