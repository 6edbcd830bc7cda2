/**
 * Several deployments in one app (one per product) are several topologies. The facts of the cloud
 * assembly, the synth-time gate and `meridian check` judge each on its own: no group of leftovers (a
 * peering-accepter stack holds only routes, which take no tags), no finding placed on another
 * deployment's stack, no suppression of one deployment hiding a finding of another.
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { IConstruct } from 'constructs';
import { GeoDeployment, MeridianPolicyValidation } from '../../lib/cdk';
import { runCli } from '../support/cli';
import { messageOf } from '../support/errors';
import { productSpec } from '../support/products';
import { readFactsFromPath, type Facts } from '../../lib/facts';
import { cloudAssemblyInputs, factsFromTemplates } from '../../lib/facts/from-cloudformation';
import type { GeoSpec, RegionCode } from '../../lib/model';
import type { Report } from '../../lib/policy/types';
import { cdkContextOf } from '../support/cdk-context';

/** An active-active DynamoDB product in two regions, hub-and-spoke peered (so one region has an accepter stack of routes only). */
const product = productSpec;

// Overlapping regions (us-east-1 in both) and overlapping VPC CIDRs: neither is a finding across products.
const ORDERS = product('orders', ['us-east-1', 'eu-west-1']);
const BILLING = product('billing', ['us-east-1', 'us-west-2']);

interface Built {
  app: App;
  outdir: string;
  geos: Record<string, GeoDeployment>;
}

function build(specs: Record<string, GeoSpec>, opts: { policy?: boolean; zoneStack?: boolean; context?: Record<string, unknown> } = {}): Built {
  const outdir = mkdtempSync(join(tmpdir(), 'meridian-multi-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: opts.context });
  const zone = opts.zoneStack ? new route53.PublicHostedZone(new Stack(app, 'Zone', { env: { region: 'us-east-1' } }), 'Zone', { zoneName: 'example.com' }) : undefined;
  const geos: Record<string, GeoDeployment> = {};
  for (const [id, spec] of Object.entries(specs)) {
    const s = zone ? { ...spec, dns: { ...spec.dns, zoneId: undefined } } : spec;
    geos[id] = new GeoDeployment(app, id, { spec: s, policy: opts.policy ?? true, hostedZone: zone });
  }
  return { app, outdir, geos };
}

/** ORDERS and BILLING in one app with the gate on, synthesized once for the tests that only read it. */
let pristineOnce: { built: Built; assembly: ReturnType<App['synth']> } | undefined;
function pristine(): { built: Built; assembly: ReturnType<App['synth']> } {
  if (pristineOnce === undefined) {
    const built = build({ Orders: ORDERS, Billing: BILLING });
    pristineOnce = { built, assembly: built.app.synth() };
  }
  return pristineOnce;
}

/** The stacks under a construct. */
function stacksOf(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/** Every template file a fact of `facts` names as its source. */
function sourceFiles(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > 6 || value === null || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const v of value) sourceFiles(v, into, depth + 1);
    return into;
  }
  const o = value as { source?: { file?: unknown } };
  if (typeof o.source?.file === 'string') into.add(o.source.file);
  for (const v of Object.values(o)) sourceFiles(v, into, depth + 1);
  return into;
}

function byTopology(facts: readonly Facts[]): Record<string, Facts> {
  return Object.fromEntries(facts.map((f) => [f.topology, f]));
}

/** Open findings of a report as `severity RULE resource` (suppressed ones marked). */
function findingsOf(report: Report | undefined): string[] {
  return (report?.findings ?? []).map((f) => `${f.suppressed ? 'suppressed' : f.severity} ${f.ruleId} ${f.resource}`).sort();
}

function reportOf(plugin: MeridianPolicyValidation | undefined, topology: string): Report | undefined {
  return plugin?.reports.find((r) => r.topology === topology);
}

describe('two deployments in one app: facts of the cloud assembly', () => {
  let built: Built;
  let files: Record<string, Set<string>>;
  beforeAll(() => {
    const once = pristine();
    built = once.built;
    const assembly = once.assembly;
    files = Object.fromEntries(Object.values(built.geos).map((geo) => [
      geo.plan.name, new Set(stacksOf(geo).map((s) => assembly.getStackArtifact(s.artifactId).templateFullPath)),
    ]));
    expect(files.orders?.size).toBeGreaterThan(5);
  });

  test('exactly the two topologies, each with its own regions, records, keys and peering', () => {
    const { kind, sets } = readFactsFromPath(built.outdir);
    expect(kind).toBe('cloud-assembly');
    const t = byTopology(sets.facts);
    expect(Object.keys(t).sort()).toEqual(['billing', 'orders']);
    expect(t.orders?.regions.map((r) => r.name)).toEqual(['eu-west-1', 'us-east-1']);
    expect(t.billing?.regions.map((r) => r.name)).toEqual(['us-east-1', 'us-west-2']);
    expect(t.orders?.dns.records.map((r) => r.id).sort()).toEqual(['orders-eu-west-1', 'orders-us-east-1']);
    expect(t.billing?.dns.records.map((r) => r.id).sort()).toEqual(['billing-us-east-1', 'billing-us-west-2']);
    expect(t.orders?.dns.records.every((r) => r.name === 'orders.example.com' && r.ttlSeconds === 60)).toBe(true);
    // One key per region of each product and its DNS key, each known by its own product's alias.
    expect(t.orders?.keys.map((k) => k.id).sort()).toEqual([
      'alias/meridian/orders/dns@us-east-1', 'alias/meridian/orders@eu-west-1', 'alias/meridian/orders@us-east-1',
    ]);
    expect(t.billing?.keys.map((k) => k.id).sort()).toEqual([
      'alias/meridian/billing/dns@us-east-1', 'alias/meridian/billing@us-east-1', 'alias/meridian/billing@us-west-2',
    ]);
    // Each product's peering, with the routes of its accepter stack (routes only) on its accepter side.
    expect(t.orders?.peerings.map((p) => [p.id, p.requesterRegion, p.accepterRegion, p.routes])).toEqual([
      ['orders-use1-euw1', 'us-east-1', 'eu-west-1', { requester: true, accepter: true }],
    ]);
    expect(t.billing?.peerings.map((p) => [p.id, p.requesterRegion, p.accepterRegion, p.routes])).toEqual([
      ['billing-use1-usw2', 'us-east-1', 'us-west-2', { requester: true, accepter: true }],
    ]);
    expect(t.orders?.objectives).toEqual({ rtoSeconds: 900, rpoSeconds: 30 });
  });

  test('every fact of a topology comes from a template of its own deployment', () => {
    const t = byTopology(readFactsFromPath(built.outdir).sets.facts);
    for (const name of ['orders', 'billing']) {
      const from = sourceFiles(t[name]);
      expect(from.size).toBeGreaterThan(3);
      expect([...from].filter((f) => !files[name]?.has(f))).toEqual([]);
    }
  });

  test('read without stack-level tags, the routes-only stacks still join their deployment by what they read', () => {
    // GIVEN the same templates with no manifest tags (bare templates, or an older manifest)
    const inputs = cloudAssemblyInputs(built.outdir).map((i) => ({ ...i, tags: undefined }));
    const accepters = inputs.filter((i) => i.stackName.endsWith('-peering-accepter'));
    expect(accepters.map((i) => i.stackName).sort()).toEqual(['billing-us-west-2-peering-accepter', 'orders-eu-west-1-peering-accepter']);
    // WHEN read
    const t = byTopology(factsFromTemplates(inputs, 'leftovers').facts);
    // THEN still two topologies, and no group of leftovers
    expect(Object.keys(t).sort()).toEqual(['billing', 'orders']);
  });
});

test('with the recommended feature flags (explicit stack tags), every stack of the manifest names its deployment', () => {
  // GIVEN the context of a cdk.json with the recommended flags, as `cdk synth` gives a user's app
  const context = cdkContextOf('orders');
  expect(context['@aws-cdk/core:explicitStackTags']).toBe(true);
  const { app, outdir } = build({ Orders: ORDERS, Billing: BILLING }, { context, policy: false });
  app.synth();
  // THEN the stacks of routes only carry their topology as a stack-level tag
  const inputs = cloudAssemblyInputs(outdir);
  const accepters = inputs.filter((i) => i.stackName.endsWith('-peering-accepter'));
  expect(accepters.map((i) => [i.stackName, i.tags?.['meridian:topology']]).sort()).toEqual([
    ['billing-us-west-2-peering-accepter', 'billing'], ['orders-eu-west-1-peering-accepter', 'orders'],
  ]);
  expect(inputs.every((i) => i.tags?.['meridian:topology'] === (i.stackName.startsWith('orders-') ? 'orders' : 'billing'))).toBe(true);
  expect(factsFromTemplates(inputs).facts.map((f) => f.topology).sort()).toEqual(['billing', 'orders']);
});

describe('two deployments in one app: the synth-time gate', () => {
  test('one report per deployment, no group of leftovers, nothing open', () => {
    const { geos } = pristine().built;
    const plugin = geos.Orders?.policy;
    expect(geos.Billing?.policy).toBe(plugin);
    expect(plugin?.reports.map((r) => r.topology).sort()).toEqual(['billing', 'orders']);
    expect(plugin?.reports.flatMap((r) => r.findings).filter((f) => !f.suppressed && f.severity !== 'info')).toEqual([]);
  });

  test('an escape hatch on one deployment fails synth naming that deployment only', () => {
    // GIVEN billing's us-west-2 record changed after GeoDeployment built it
    const { app, geos } = build({ Orders: ORDERS, Billing: BILLING });
    const record = geos.Billing?.dnsStack.node.findAll().find((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet && c.region === 'us-west-2');
    expect(record).toBeDefined();
    if (!record) return;
    record.ttl = '300';
    // WHEN synthesized THEN the report names billing's record, and no orders construct
    const message = messageOf(() => app.synth());
    expect(message).toMatch(/ERROR Routed records have a TTL of 60 s or less: billing-us-west-2: .*value 300, limit 60 \(Meridian\)/);
    expect(message).toContain(record.node.path);
    expect(message).not.toMatch(/Orders\//);
    const plugin = geos.Orders?.policy;
    expect(findingsOf(reportOf(plugin, 'billing')).filter((f) => !f.startsWith('info'))).toEqual(['error GEO-DNS-001 billing-us-west-2']);
    expect(findingsOf(reportOf(plugin, 'orders')).filter((f) => !f.startsWith('info'))).toEqual([]);
  });

  test('a finding about a region both deployments use points at a stack of its own deployment', () => {
    // GIVEN billing's us-west-2 cannot take us-east-1's load (a warning), orders sized as before; Orders is built first
    const billing = product('billing', ['us-east-1', 'us-west-2'], {
      regions: [
        { name: 'us-east-1', role: 'active', endpoint: 'us-east-1.billing.example.com', peakRps: 3000, capacityRps: 4000 },
        { name: 'us-west-2', role: 'active', endpoint: 'us-west-2.billing.example.com', peakRps: 3000, capacityRps: 4000 },
      ],
    });
    const { app, geos } = build({ Orders: ORDERS, Billing: billing });
    // CDK prints the warnings of the validation report; they are this test's subject, not noise.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const assembly = app.synth();
    expect(printed.mock.calls.flat().join('\n')).toMatch(/GEO-CAPACITY-001/);
    printed.mockRestore();
    const plugin = geos.Orders?.policy;
    if (!plugin) throw new Error('no plugin');
    const capacity = reportOf(plugin, 'billing')?.findings.filter((f) => f.ruleId === 'GEO-CAPACITY-001' && !f.suppressed) ?? [];
    expect(capacity.length).toBeGreaterThan(0);
    expect(reportOf(plugin, 'orders')?.findings.filter((f) => f.ruleId === 'GEO-CAPACITY-001')).toEqual([]);
    // WHEN the gate's violations are read (the warning does not fail synth)
    const stackTemplates = stacksOf(app).map((s) => ({
      templatePath: assembly.getStackArtifact(s.artifactId).templateFullPath, stackConstructPath: s.node.path,
      region: s.region, accountId: undefined,
    }));
    const result = plugin.validate({ templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates, appConstruct: app });
    const violations = result.violations.filter((v) => v.ruleName === 'GEO-CAPACITY-001');
    // THEN each is placed in billing, never on an orders stack of the same region
    const billingFiles = new Set(stacksOf(geos.Billing as GeoDeployment).map((s) => assembly.getStackArtifact(s.artifactId).templateFullPath));
    expect(violations.length).toBe(capacity.length);
    for (const v of violations) {
      expect(v.ruleMetadata).toMatchObject({ topology: 'billing' });
      for (const r of v.violatingResources) {
        expect(billingFiles.has(r.templatePath ?? '')).toBe(true);
        const path = (r as { constructPath?: string }).constructPath;
        if (path !== undefined) expect(path).toMatch(/^Billing\//);
      }
    }
  });

  test('an acknowledgement on one deployment (the CDK way) covers that deployment\'s findings only', () => {
    // GIVEN both products short of capacity in the same regions' failover; billing acknowledges it
    const short = (name: string, regions: readonly [RegionCode, RegionCode]) => product(name, regions, {
      regions: regions.map((r) => ({ name: r, role: 'active' as const, endpoint: `${r}.${name}.example.com`, peakRps: 3000, capacityRps: 4000 })),
    });
    const { app, geos } = build({ Orders: short('orders', ['us-east-1', 'eu-west-1']), Billing: short('billing', ['us-east-1', 'us-west-2']) });
    Validations.of(geos.Billing as GeoDeployment).acknowledge({ id: 'Meridian::GEO-CAPACITY-001', reason: 'billing pre-scales before a failover; runbook 4' });
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const assembly = app.synth();
    printed.mockRestore();
    // THEN CDK's report lists orders' findings open and billing's acknowledged, each on its own deployment's stacks
    type Violation = { ruleName: string; ruleMetadata?: { topology?: string }; violatingConstructs: Array<{ constructPath: string }> };
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: Violation[]; suppressedViolations?: Violation[] }> };
    const meridian = report.pluginReports.find((r) => r.pluginName === 'Meridian');
    const summary = (list: readonly Violation[] | undefined) => (list ?? []).filter((v) => v.ruleName === 'GEO-CAPACITY-001')
      .map((v) => `${v.ruleMetadata?.topology} ${v.violatingConstructs.map((c) => c.constructPath.split('/')[0]).join(',')}`).sort();
    expect(summary(meridian?.violations)).toEqual(['orders Orders', 'orders Orders']);
    expect(summary(meridian?.suppressedViolations)).toEqual(['billing Billing', 'billing Billing']);
  });

  test('a suppression in one deployment\'s spec hides that deployment\'s findings only', () => {
    // GIVEN both products answer with a 300 s TTL; only orders accepts it (with a reason)
    const orders = product('orders', ['us-east-1', 'eu-west-1'], {
      dns: { ...ORDERS.dns, ttlSeconds: 300 }, suppressions: [{ rule: 'GEO-DNS-001', reason: 'orders clients pin the answer anyway; ticket OPS-42' }],
    });
    const billing = product('billing', ['us-east-1', 'us-west-2'], { dns: { ...BILLING.dns, ttlSeconds: 300 } });
    const { app, geos } = build({ Orders: orders, Billing: billing });
    // WHEN synthesized THEN billing's records fail synth and orders' are suppressed
    const message = messageOf(() => app.synth());
    expect(message).toMatch(/GEO-DNS-001/);
    const plugin = geos.Orders?.policy;
    expect(findingsOf(reportOf(plugin, 'orders')).filter((f) => f.includes('GEO-DNS-001') || f.includes('META'))).toEqual([
      'suppressed GEO-DNS-001 orders-eu-west-1', 'suppressed GEO-DNS-001 orders-us-east-1',
    ]);
    // ... and billing neither inherits the suppression nor reports it as unmatched
    expect(findingsOf(reportOf(plugin, 'billing')).filter((f) => f.includes('GEO-DNS-001') || f.includes('META'))).toEqual([
      'error GEO-DNS-001 billing-us-east-1', 'error GEO-DNS-001 billing-us-west-2',
    ]);
  });

  test('a hosted zone both deployments share from a stack of the team\'s own is part of each, not a third topology', () => {
    const { app, outdir, geos } = build({ Orders: ORDERS, Billing: BILLING }, { zoneStack: true });
    app.synth();
    expect(geos.Orders?.policy?.reports.map((r) => r.topology).sort()).toEqual(['billing', 'orders']);
    const t = byTopology(readFactsFromPath(outdir).sets.facts);
    expect(Object.keys(t).sort()).toEqual(['billing', 'orders']);
    // The records of both name the shared zone, read through Fn::GetStackOutput of the zone stack.
    expect(t.orders?.dns.records.map((r) => r.zoneName)).toEqual(['example.com', 'example.com']);
    expect(t.billing?.dns.records.map((r) => r.zoneName)).toEqual(['example.com', 'example.com']);
  });
});

describe('deployment names', () => {
  test('a deployment named like the gate\'s fallback group (`app`) and one with dashes stay apart from a user\'s untagged stack', () => {
    // GIVEN deployments `app` and `billing-eu`, and a hand-written DNS stack of the team's own that reads neither
    const { app, geos } = build({ App: product('app', ['us-east-1', 'eu-west-1']), BillingEu: product('billing-eu', ['eu-west-1', 'eu-central-1']) });
    const legacy = new Stack(app, 'Legacy', { env: { region: 'us-east-1' } });
    for (const [id, failover] of [['Primary', 'PRIMARY'], ['Secondary', 'SECONDARY']] as const) {
      new route53.CfnRecordSet(legacy, id, {
        hostedZoneId: 'Z0LEGACY', name: 'legacy.example.com', type: 'CNAME', ttl: '900',
        failover, setIdentifier: id.toLowerCase(), resourceRecords: [`${id.toLowerCase()}.example.net`],
      });
    }
    // WHEN synthesized THEN the user's records fail synth in a group of their own, never in `app`
    const message = messageOf(() => app.synth());
    expect(message).toMatch(/GEO-DNS-001/);
    expect(message).toContain('Legacy/Primary');
    const plugin = geos.App?.policy;
    expect(plugin?.reports.map((r) => r.topology).sort()).toEqual(['app', 'app (untagged)', 'billing-eu']);
    expect(findingsOf(reportOf(plugin, 'app (untagged)')).filter((f) => f.includes('GEO-DNS-001'))).toEqual(['error GEO-DNS-001 primary', 'error GEO-DNS-001 secondary']);
    for (const name of ['app', 'billing-eu']) {
      expect(findingsOf(reportOf(plugin, name)).filter((f) => !f.startsWith('info') && !f.startsWith('suppressed'))).toEqual([]);
    }
  });
});

describe('meridian check over a cloud assembly with two deployments', () => {
  const cli = (argv: string[]) => runCli(argv);

  test('one report per deployment; the finding of a mutated deployment names it only', () => {
    // GIVEN an app synthesized with the gate off, billing's TTL changed by escape hatch
    const { app, outdir, geos } = build({ Orders: ORDERS, Billing: BILLING }, { policy: false });
    const record = geos.Billing?.dnsStack.node.findAll().find((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet && c.region === 'us-east-1');
    if (!record) throw new Error('no billing record in us-east-1');
    record.ttl = '300';
    app.synth();
    // WHEN checked
    const r = cli(['check', outdir, '--format', 'json']);
    // THEN
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // One document for the whole app; each finding names its deployment.
    const doc = JSON.parse(r.stdout) as { topology: string | null; findings: Array<{ ruleId: string; topology: string | null; severity: string; resource: string; suppressed: boolean; location: { file: string } | null }> };
    // (null: the reports of more than one topology were merged)
    expect(doc.topology).toBeNull();
    expect(doc.findings.every((f) => f.topology === 'billing' || f.topology === 'orders')).toBe(true);
    const open = doc.findings.filter((f) => !f.suppressed && f.severity !== 'info').map((f) => `${f.topology} ${f.severity} ${f.ruleId} ${f.resource}`);
    expect(open).toEqual(['billing error GEO-DNS-001 billing-us-east-1']);
    // ... located in billing's DNS template
    const dns001 = doc.findings.find((f) => f.ruleId === 'GEO-DNS-001');
    expect(dns001?.location?.file).toMatch(/Billingbillingdns[0-9A-F]{8}\.template\.json$/);
    // The text format reports each deployment under its own name.
    const text = cli(['check', outdir]);
    expect(text.stdout).toMatch(/^billing: 1 error, /m);
    expect(text.stdout).toMatch(/^orders: 0 errors, /m);
  });
});
