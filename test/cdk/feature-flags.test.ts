/**
 * The library works in an app with no feature flags at all (an app older than the flags, or one that
 * never ran `cdk init`), and the flags change how AWS CDK writes the templates, never what the deployment
 * is: each example synthesized in a plain `new App()` passes Meridian's synth-time policy, and the facts
 * read back from it equal the facts of the same example synthesized with its cdk.json (the recommended
 * flags: partition literals, minimized IAM policies, …) that the other tests check.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromCloudAssembly, factsFromTemplates, type Facts } from '../../lib/facts';
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
