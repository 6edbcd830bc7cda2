/**
 * Meridian with and without aws-cdk-lib's recommended feature flags. The library works in an app with no
 * flag at all (an app older than the flags, or one that never ran `cdk init`), and the flags change how
 * AWS CDK writes the templates, never what the deployment is: each example synthesized in a plain
 * `new App()` passes Meridian's synth-time policy, and the facts read back from it equal the facts of the
 * same example synthesized with its cdk.json (the recommended flags: partition literals, minimized IAM
 * policies, …) that the other tests check. Where a flag would change the deployment, Meridian keeps it:
 * the stacks carry the plan's tags either way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromCloudAssembly, factsFromTemplates, type Facts } from '../../lib/facts';
import { cdkContextOf } from '../support/cdk-context';
import { EXAMPLE_NAMES, cdkAssemblyDir, examplePlan, type ExampleName } from '../support/outputs';
import { quietly } from '../support/quiet';

/**
 * Facts as canonical JSON: without where each came from (`source`: file and logical id), and with lists
 * sorted, since the two readers meet the stacks in a different order (manifest vs. synth order).
 */
function comparable(facts: Facts): unknown {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'source').sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]));
    }
    return v;
  };
  return canonical(JSON.parse(JSON.stringify(facts)));
}

describe.each(EXAMPLE_NAMES)('%s in an app with no feature flags', (example: ExampleName) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `meridian-no-flags-${example}-`));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes, passes the synth-time policy, and has the facts of its synth with the recommended flags', () => {
    // GIVEN an app with no context at all (GeoDeployment makes its own cross-stack references weak)
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    expect(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBeUndefined();
    new GeoDeployment(app, 'Meridian', { plan: examplePlan(example) });
    // WHEN (a failed policy validation throws in a test)
    const assembly = quietly(() => app.synth()).result;
    // THEN
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; violations?: Array<{ severity?: string }> }> };
    const meridian = report.pluginReports.filter((r) => r.pluginName === 'Meridian').flatMap((r) => r.violations ?? []);
    expect(meridian.filter((v) => (v.severity ?? 'error').toLowerCase() === 'error')).toEqual([]);

    const plain = factsFromTemplates(assembly.stacks.map((s) => ({ file: s.templateFile, stackName: s.stackName, region: s.environment.region, template: s.template }))).facts;
    const flagged = factsFromCloudAssembly(cdkAssemblyDir(example)).facts;
    expect(plain).toHaveLength(1);
    expect(flagged).toHaveLength(1);
    // Not an empty comparison: the deployment's records, keys and alarms are in both.
    const [facts] = flagged as [Facts];
    expect(Math.min(facts.dns.records.length, facts.keys.length, facts.alarms.length)).toBeGreaterThan(0);
    expect(comparable(plain[0] as Facts)).toEqual(comparable(flagged[0] as Facts));
  }, 60_000);
});

describe('stack tags', () => {
  test.each([
    ['no flags', {}],
    ['the recommended flags (explicitStackTags: Tags.of(stack) no longer tags the stack)', cdkContextOf('orders')],
  ])('with %s, every Meridian stack and service stack carries its region\'s or the plan\'s tags', (_label, context) => {
    // GIVEN
    const app = new App({ context, builtinCloudFormationValidation: false });
    const plan = examplePlan('orders');
    const geo = new GeoDeployment(app, 'Meridian', { plan, policy: false });
    geo.addServiceStack('us-east-1', 'api', { tags: { team: 'payments' } });
    // WHEN
    const stacks = app.synth().stacks;
    // THEN
    expect(stacks.length).toBeGreaterThan(plan.regions.length);
    for (const s of stacks) {
      const region = plan.regions.find((r) => s.stackName.startsWith(`${r.stackName}-`) || s.stackName === r.stackName);
      expect({ stack: s.stackName, tags: s.tags }).toEqual({ stack: s.stackName, tags: expect.objectContaining(region?.tags ?? plan.tags) });
    }
    expect(stacks.find((s) => s.stackName === 'orders-us-east-1-api')?.tags).toMatchObject({ team: 'payments', 'meridian:region': 'us-east-1' });
  });
});
