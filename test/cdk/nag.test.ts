/**
 * cdk-nag 3 (AwsSolutions and NIST 800-53 rev 5) as validation plugins over every example: synthesis
 * succeeds (no unacknowledged error), and every acknowledgement carries a reason naming the resource.
 * Then cfn-guard with the bundled AWS Control Tower rules, the same way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { EXAMPLES } from './example-apps';

interface Ack { readonly id: string; readonly reason: string }

const NAG_RULE = /^(Annotation::)?(AwsSolutions|NIST\.800\.53\.R5)(::|-)/;

/** The cdk-nag acknowledgements recorded on the tree (`{ '<plugin>::<rule>': reason }` metadata). */
function acknowledgements(root: IConstruct): Array<{ path: string; ack: Ack }> {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    .filter(([id]) => NAG_RULE.test(id))
    .map(([id, reason]) => ({ path: c.node.path, ack: { id, reason } })));
}

describe.each(EXAMPLES)('cdk-nag over examples/%s', (name, build) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `meridian-nag-${name}-`));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const { deployment } = build(app);

  test('AwsSolutions and NIST 800-53 R5 report no unacknowledged error', () => {
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations?: Array<{ severity?: string; ruleName?: string }> }> };
    const errors = report.pluginReports.flatMap((r) => r.violations ?? []).filter((v) => (v.severity ?? 'error').toLowerCase() === 'error');
    expect(errors).toEqual([]);
  });

  test('every acknowledgement names the resource it is about and why', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    const planNames = [
      ...deployment.plan.regions.flatMap((r) => [r.clusterIdentifier, r.vpcName]),
      ...deployment.plan.experiments.map((e) => e.name),
    ];
    for (const { path: where, ack } of acks) {
      expect({ where, id: ack.id, reason: ack.reason.length >= 40 }).toEqual({ where, id: ack.id, reason: true });
      expect({ where, id: ack.id, names: planNames.some((n) => ack.reason.includes(n)) }).toEqual({ where, id: ack.id, names: true });
    }
  });
});

/**
 * Synthesizes `app`, holding back what aws-cdk-lib prints: it writes the whole validation report to
 * stderr whenever a plugin reports anything, even findings that do not fail synthesis. The tests read
 * the same report from validation-report.json instead; the printed text is returned for assertions.
 */
function synthQuietly(app: App): string {
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { printed.push(args.map(String).join(' ')); });
  try {
    app.synth();
  } finally {
    spy.mockRestore();
  }
  return printed.join('\n');
}

describe.each(EXAMPLES)('cfn-guard (AWS Control Tower proactive controls) over examples/%s', (name, build) => {
  test('every control passes or is acknowledged with a reason', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `meridian-guard-${name}-`));
    try {
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      Validations.of(app).addPlugins(new CfnGuardValidator());
      build(app);
      let printed = '';
      expect(() => { printed = synthQuietly(app); }).not.toThrow();
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: Array<{ pluginName: string; conclusion: string; violations?: Array<{ ruleName: string; violatingConstructs?: Array<{ constructPath: string }> }> }>;
      };
      const guard = report.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
      // No violation is left on a construct; cfn-guard also echoes some findings without a location,
      // which no acknowledgement can reach and which do not fail the report.
      const located = (guard?.violations ?? []).filter((v) => (v.violatingConstructs ?? []).some((c) => c.constructPath !== ''));
      expect(located.map((v) => v.ruleName)).toEqual([]);
      expect(guard?.conclusion ?? 'success').toBe('success');
      // What was printed is that same report (the location-less echoes), nothing else.
      if (printed !== '') expect(printed).toMatch(/A copy of this report can be found in: .*validation-report\.json/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
