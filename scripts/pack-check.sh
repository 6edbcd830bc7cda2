#!/usr/bin/env bash
# Packs the package (prepack builds it), installs the tarball into empty folders and checks what each
# kind of user gets:
#   1. contents: every file the README links is in the tarball;
#   2. pipeline: the CLI runs, and meridian-geo/policy and meridian-geo/model load without any renderer;
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
