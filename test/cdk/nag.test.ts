/**
 * cdk-nag 3 (AwsSolutions and NIST 800-53 rev 5) as validation plugins over every example: synthesis
 * succeeds (no unacknowledged error), and every acknowledgement carries a reason naming the resource.
 * The same synth is the examples' determinism check: its templates are byte-identical to the run's
 * shared synth of the example (often another process, validation on there, off here; the plugins only
 * read the templates). Then cfn-guard with the bundled AWS Control Tower rules over the templates of
 * every example.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { controlTowerRuns } from '../support/cfn-guard';
import { EXAMPLE_APPS, cdkAssemblyDir, cdkManifest, type ExampleName } from '../support/outputs';
import { cdkContextOf } from '../support/cdk-context';
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
  // The example's cdk.json context (the recommended feature flags), as `cdk synth` in its folder has it.
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: cdkContextOf(name) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const { deployment } = build(app);

  test('AwsSolutions and NIST 800-53 R5 report no unacknowledged error', () => {
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations?: Array<{ severity?: string; ruleName?: string }> }> };
    const errors = report.pluginReports.flatMap((r) => r.violations ?? []).filter((v) => (v.severity ?? 'error').toLowerCase() === 'error');
    expect(errors).toEqual([]);
  });

  test('two synths are byte-identical: this one and the run\'s shared one', () => {
    const assembly = app.synth();
    const second = Object.fromEntries(assembly.stacks.map((st) => [st.stackName, fs.readFileSync(path.join(outdir, st.templateFile), 'utf8')]));
    const first = sharedTemplates(name as ExampleName);
    expect(Object.keys(first).length).toBeGreaterThan(3);
    expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
    for (const stack of Object.keys(first)) expect({ stack, same: second[stack] === first[stack] }).toEqual({ stack, same: true });
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

describe('cfn-guard (AWS Control Tower proactive controls) over the examples', () => {
  // The plugin reads only templates, so it runs once, over the shared cloud assemblies of every example
  // (test/support/outputs.ts), instead of in a synth of its own per example. What a synth with the
  // plugin would do after it is done here: a violation on a resource is acknowledged when the resource's
  // construct or one of its ancestors carries an acknowledgement of the rule (the assembly's metadata).
  const stacks = EXAMPLE_APPS.flatMap((name) => assemblyStacks(name).map((s) => ({ ...s, example: name })));
  const byFile = new Map(stacks.map((s) => [s.templateFile, s]));
  let violations: ReturnType<CfnGuardValidator['validate']>['violations'] = [];
  beforeAll(() => {
    // Each template with the Control Tower rules about the resource types it holds (the others can only
    // skip, test/support/cfn-guard.ts): one run per set of rules.
    violations = controlTowerRuns(stacks.map((s) => s.templateFile)).flatMap(({ rules, templatePaths }) => new CfnGuardValidator({ controlTowerRulesEnabled: false, rules })
      .validate({ templatePaths, appConstruct: new App() }).violations);
  }, 60_000);

  /** Located violations of one example, split by whether an acknowledgement with a reason covers them. */
  function located(name: ExampleName): { open: string[]; acknowledged: string[] } {
    const out = { open: [] as string[], acknowledged: [] as string[] };
    for (const v of violations) {
      for (const r of v.violatingResources) {
        const stack = byFile.get(r.templatePath);
        const constructPath = stack?.resourcePaths.get(r.resourceLogicalId);
        // cfn-guard also echoes some findings without a resource, which no acknowledgement can reach
        // and which a synth does not fail on.
        if (stack?.example !== name || constructPath === undefined) continue;
        const ack = closestAck(stack.acks, constructPath, `cdk-validator-cfnguard::${v.ruleName}`);
        (ack !== undefined && ack.length >= 40 ? out.acknowledged : out.open).push(`${v.ruleName} on ${constructPath}`);
      }
    }
    return out;
  }

  test.each(EXAMPLE_APPS)('examples/%s: every control passes or is acknowledged with a reason', (name) => {
    expect(located(name).open).toEqual([]);
  });

  test('the check sees the violations it lets through: the acknowledged Aurora findings', () => {
    expect(stacks.length).toBeGreaterThan(10);
    expect(located('active-passive').acknowledged).toEqual(expect.arrayContaining([expect.stringMatching(/^aurora_cluster_backtracking_enabled_check on /)]));
  });
});

interface AssemblyStack {
  readonly templateFile: string;
  /** Construct path of each resource, by logical id (the assembly's `aws:cdk:logicalId` metadata). */
  readonly resourcePaths: Map<string, string>;
  /** Acknowledged rules by construct path: `{ '<plugin>::<rule>': reason }`. */
  readonly acks: Map<string, Record<string, string>>;
}

/** The stacks of an example's shared cloud assembly, with what acknowledgements need of them. */
function assemblyStacks(example: ExampleName): AssemblyStack[] {
  const dir = cdkAssemblyDir(example);
  const manifest = cdkManifest(example);
  return Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => {
    const templateFile = path.join(dir, a.properties?.templateFile ?? `${id}.template.json`);
    const metadata = JSON.parse(fs.readFileSync(path.join(dir, `${id}.metadata.json`), 'utf8')) as Record<string, Array<{ type: string; data?: unknown }>>;
    const resourcePaths = new Map(Object.entries(metadata).flatMap(([where, entries]) => entries
      .filter((e) => e.type === 'aws:cdk:logicalId').map((e): [string, string] => [String(e.data), where.replace(/^\//, '')])));
    const acks = new Map(Object.entries(metadata).map(([where, entries]) => [where.replace(/^\//, ''), Object.assign({}, ...entries
      .filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((e) => e.data as Record<string, string>)) as Record<string, string>]));
    return { templateFile, resourcePaths, acks };
  });
}

/** The template files of the shared cloud assembly of an example, as written, by stack name. */
function sharedTemplates(name: ExampleName): Record<string, string> {
  const dir = cdkAssemblyDir(name);
  return Object.fromEntries(Object.entries(cdkManifest(name).artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => [a.properties?.stackName ?? id, fs.readFileSync(path.join(dir, a.properties?.templateFile ?? `${id}.template.json`), 'utf8')]));
}

/** The reason of the closest acknowledgement of `rule` on `constructPath` or an ancestor, as a synth finds it. */
function closestAck(acks: Map<string, Record<string, string>>, constructPath: string, rule: string): string | undefined {
  for (let at = constructPath; ; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '') {
    const reason = acks.get(at)?.[rule];
    if (reason !== undefined || at === '') return reason;
  }
}
