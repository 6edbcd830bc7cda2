/**
 * The published package as users get it: packs the library (prepack builds it), installs the tarball
 * into fresh folders and checks each kind of user (scripts/pack-check.sh): every file the README links
 * is packed; the CLI and the pure entry points load without renderers; a plain AWS CDK app that brings
 * its own VPC, key and zone synthesizes the deployment with a service per region, offline, against the
 * lowest aws-cdk-lib of the peer range; a folder with only cdktf and the provider
 * renders the same spec. It builds and installs (about 1.5 minutes, npm cache first, registry only for
 * what the cache lacks), so it runs when MERIDIAN_PACK_TEST=1 (`npm run test:pack`, a step of .ci/run).
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const run = process.env.MERIDIAN_PACK_TEST === '1' ? test : test.skip;

/** The lowest aws-cdk-lib the peer range admits: the AWS CDK app is synthesized against it. */
function lowestAwsCdkLib(): string {
  const range = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies['aws-cdk-lib'];
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range ?? '');
  if (!m?.[1]) throw new Error(`peerDependencies aws-cdk-lib: expected a caret range such as ^2.269.0, got ${range}`);
  return m[1];
}

run('the packed tarball works for policy, AWS CDK (lowest supported aws-cdk-lib) and CDK for Terraform users', () => {
  // WHEN
  const cdkVersion = lowestAwsCdkLib();
  const out = execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'pack-check.sh')], {
    encoding: 'utf8', timeout: 600_000, env: { ...process.env, MERIDIAN_CDK_VERSION: cdkVersion },
  });
  // THEN
  expect(out).toContain('contents: every file the README links is packed');
  expect(out).toContain('meridian-geo/policy and meridian-geo/model: load without aws-cdk-lib, constructs or cdktf');
  expect(out).toContain('meridian check: exit 0');
  // The app as `cdk init` makes it (that aws-cdk-lib's recommended feature flags), and as an app from before the flags.
  for (const [label, flags] of [['app', expect.any(Number)], ['app without feature flags', 0]] as const) {
    const cdk = JSON.parse(new RegExp(`aws-cdk-lib ${cdkVersion.replace(/\./g, '\\.')} ${label}: (.*)`).exec(out)?.[1] ?? 'null') as { stacks: string[]; services: number; regionStacksWithOwnVpcOrKey: number; zones: string[]; flags: number } | null;
    expect(cdk?.stacks).toEqual(expect.arrayContaining(['orders-dns', 'orders-us-east-1', 'orders-us-west-2', 'orders-eu-west-1']));
    expect(cdk?.services).toBe(3);
    // it brought its own VPC, key and zone: Meridian created none of them
    expect(cdk).toMatchObject({ regionStacksWithOwnVpcOrKey: 0, zones: ['zone'], flags });
    if (label === 'app') expect(cdk?.flags).toBeGreaterThan(50);
  }
  const tf = JSON.parse(/cdktf app: (.*)/.exec(out)?.[1] ?? 'null') as { name: string; resources: number; awsCdkLibLoaded: number } | null;
  expect(tf).toEqual({ name: 'orders', resources: expect.any(Number), awsCdkLibLoaded: 0 });
  expect(tf?.resources).toBeGreaterThan(50);
}, 600_000);
