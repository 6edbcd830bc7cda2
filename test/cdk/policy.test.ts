/**
 * The synth-time policy gate reads what CDK wrote: an escape hatch that breaks a rule fails synth with
 * the rule id in CDK's validation report; a user's own stacks are checked; spec suppressions travel in
 * the templates; warnings pass and can be acknowledged per construct.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MeridianPolicyValidation, ruleValidationId } from '../../lib/cdk';
import { deploy, fastApp, ORDERS, withSpec } from './geo-fixtures';
import { RUN_TS } from '../support/node-ts';
import { messageOf } from '../support/errors';

const TTL_300 = withSpec(ORDERS, { dns: { ...ORDERS.dns, ttlSeconds: 300 } });


/** Findings of the plugin's last run as `severity RULE resource` strings. */
function findings(plugin: MeridianPolicyValidation | undefined): string[] {
  return (plugin?.reports ?? []).flatMap((r) => r.findings.map((f) => `${f.suppressed ? 'suppressed' : f.severity} ${f.ruleId} ${f.resource}`)).sort();
}

describe('MeridianPolicyValidation through GeoDeployment', () => {
  test('a compliant deployment synthesizes, and the plugin judged the templates', () => {
    const { app, geo } = deploy(ORDERS);
    app.synth();
    expect(geo.policy).toBeInstanceOf(MeridianPolicyValidation);
    // It read the topology from the templates (not the plan): one report, for the tagged topology.
    expect(geo.policy?.reports.map((r) => r.topology)).toEqual(['orders']);
    // No violation; what the templates leave unresolved is reported as unknown (a warning), never passed.
    const open = (geo.policy?.reports ?? []).flatMap((r) => r.findings).filter((f) => !f.suppressed && f.severity !== 'info');
    expect(open.filter((f) => !f.unknown)).toEqual([]);
    expect(open.every((f) => f.severity === 'warning')).toBe(true);
  });

  test('an escape hatch that sets a routed TTL of 300 fails synth with GEO-DNS-001 as a validation report', () => {
    // GIVEN a deployment whose record is changed after GeoDeployment built it
    const { app, geo } = deploy(ORDERS);
    const records = geo.dnsStack.node.findAll().filter((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet);
    const [record] = records;
    expect(record).toBeDefined();
    if (!record) return;
    record.ttl = '300';
    // WHEN synthesized THEN CDK's validation report names the rule, the record and the fix
    const message = messageOf(() => app.synth());
    expect(message).toMatch(/ERROR Routed records have a TTL of 60 s or less: orders-us-east-1-primary: .*value 300, limit 60 \(Meridian\)/);
    expect(message).toContain(`Acknowledge with '${ruleValidationId('GEO-DNS-001')}'`);
    expect(message).toContain(record.node.path);
    expect(findings(geo.policy).filter((f) => f.startsWith('error'))).toEqual(['error GEO-DNS-001 orders-us-east-1-primary']);
  });

  test('a TTL the spec suppresses (with a reason) passes: the suppression travels in the template metadata', () => {
    // (RTO objective 900 s: with a 300 s TTL the failover takes longer than 300 s, GEO-RESILIENCE-001.)
    const spec = withSpec(TTL_300, { objectives: { rtoSeconds: 900, rpoSeconds: 30 }, suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy resolvers pin the answer anyway; ticket OPS-42' }] });
    const { app, geo } = deploy(spec);
    const assembly = app.synth();
    const template = assembly.getStackByName('orders-dns').template as { Metadata?: { meridian?: { suppressions?: unknown[] } } };
    expect(template.Metadata?.meridian?.suppressions).toEqual([{ rule: 'GEO-DNS-001', reason: 'legacy resolvers pin the answer anyway; ticket OPS-42' }]);
    // Failover routing: a PRIMARY and a SECONDARY record, both at 300 s, both suppressed.
    expect(findings(geo.policy).filter((f) => f.includes('GEO-DNS-001'))).toEqual([
      'suppressed GEO-DNS-001 orders-us-east-1-primary', 'suppressed GEO-DNS-001 orders-us-west-2-secondary',
    ]);
  });

  test('a warning does not fail synth and can be acknowledged the CDK way', () => {
    const spec = withSpec(ORDERS, { regions: [
      { name: 'us-east-1', role: 'primary', peakRps: 4000 },
      { name: 'us-west-2', role: 'secondary', peakRps: 2500 },
    ] });
    const { app, geo } = deploy(spec);
    Validations.of(geo).acknowledge({ id: ruleValidationId('GEO-CAPACITY-001'), reason: 'us-west-2 scales out before DNS shifts traffic (runbook step 2)' });
    const assembly = app.synth();
    expect(findings(geo.policy)).toContain('warning GEO-CAPACITY-001 us-east-1');
    const report = readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8');
    expect(report).toContain('us-west-2 scales out before DNS shifts traffic');
  });

  /** Meridian's violations of `rule` in the validation report of `app`, as construct paths. */
  const reportedPaths = (outdir: string, rule: string): string[] => {
    type Report = { pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }> };
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
    return report.pluginReports.filter((r) => r.pluginName === 'Meridian').flatMap((r) => r.violations)
      .filter((v) => v.ruleName === rule).flatMap((v) => v.violatingConstructs.map((c) => c.constructPath));
  };
  const quietly = <T>(f: () => T): T => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      return f();
    } finally {
      spy.mockRestore();
    }
  };

  test('a finding about the users of a DNS name points at its record in the DNS stack, not at a stack of the region that is down', () => {
    // GIVEN the primary record probes the secondary's endpoint after GeoDeployment built it
    const { app, geo } = deploy(ORDERS);
    const records = geo.dnsStack.node.findAll().filter((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet);
    const primary = records.find((r) => r.failover === 'PRIMARY');
    const secondary = records.find((r) => r.failover === 'SECONDARY');
    if (!primary || !secondary) throw new Error('no failover pair');
    primary.healthCheckId = secondary.healthCheckId;
    // WHEN synthesized
    quietly(() => messageOf(() => app.synth()));
    // THEN both records now answer from the region their health check probes, us-west-2: with it down every
    // user gets a dead answer although us-east-1 could serve them. GEO-FAILURE-002 names the record name and that region...
    const finding = (geo.policy?.reports ?? []).flatMap((r) => r.findings).find((f) => f.ruleId === 'GEO-FAILURE-002');
    expect(finding).toMatchObject({ resource: 'api.example.com', region: 'us-west-2', unknown: false });
    // ...and the report places it on the first record of that name, in the DNS stack
    const paths = reportedPaths(app.outdir, 'GEO-FAILURE-002');
    expect(paths).toEqual([primary.node.path]);
  });

  test('an unknown about the users of a DNS name (no region) points at the DNS stack too', () => {
    // GIVEN the primary record loses its health check: its region is then unknown to the simulation
    const { app, geo } = deploy(ORDERS);
    const primary = geo.dnsStack.node.findAll().filter((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet)
      .find((r) => r.failover === 'PRIMARY');
    if (!primary) throw new Error('no primary record');
    primary.addPropertyDeletionOverride('HealthCheckId');
    // WHEN synthesized (it fails: a PRIMARY without a health check is an error of its own rule)
    expect(quietly(() => messageOf(() => app.synth()))).toMatch(/failover PRIMARY record api\.example\.com has no health check/);
    // THEN the unknown GEO-FAILURE-002 finding names the record name and no region, and is placed in the DNS stack
    const finding = (geo.policy?.reports ?? []).flatMap((r) => r.findings).find((f) => f.ruleId === 'GEO-FAILURE-002');
    expect(finding).toMatchObject({ resource: 'api.example.com', unknown: true });
    expect(finding?.region).toBeUndefined();
    expect(reportedPaths(app.outdir, 'GEO-FAILURE-002')).toEqual([primary.node.path]);
  });

  test('policy: false registers no plugin', () => {
    const { app, geo } = deploy(TTL_300, { policy: false });
    expect(geo.policy).toBeUndefined();
    expect(() => app.synth()).not.toThrow();
  });

  test('two deployments in one app share one plugin', () => {
    const app = fastApp();
    const a = deploy(ORDERS).geo; // separate app: its own plugin
    const { GeoDeployment } = jest.requireActual<typeof import('../../lib/cdk')>('../../lib/cdk');
    const one = new GeoDeployment(app, 'One', { spec: ORDERS });
    const two = new GeoDeployment(app, 'Two', { spec: withSpec(ORDERS, { name: 'billing' }) });
    expect(one.policy).toBe(two.policy);
    expect(one.policy).not.toBe(a.policy);
  });
});

describe('MeridianPolicyValidation on a user\'s own app', () => {
  test('a hand-written failover record with a long TTL fails synth, pointing at its logical id', () => {
    // GIVEN an app written without Meridian's constructs
    const app = new App({ builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(new MeridianPolicyValidation());
    const stack = new Stack(app, 'Dns', { env: { region: 'us-east-1' } });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    for (const [id, failover] of [['Primary', 'PRIMARY'], ['Secondary', 'SECONDARY']] as const) {
      new route53.CfnRecordSet(stack, id, {
        hostedZoneId: zone.hostedZoneId, name: 'api.example.com', type: 'CNAME', ttl: '900',
        failover, setIdentifier: id.toLowerCase(), resourceRecords: [`${id.toLowerCase()}.example.net`],
      });
    }
    // THEN
    const message = messageOf(() => app.synth());
    expect(message).toMatch(/GEO-DNS-001/);
    expect(message).toMatch(/Dns\/Primary/);
  });
});

describe('a policy failure in `cdk synth` prints the report, not a stack trace', () => {
  test('bin/app.ts with a TTL of 300', () => {
    const r = spawnSync(process.execPath, [...RUN_TS, 'bin/app.ts'], {
      cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 240_000,
      env: { ...process.env, NODE_ENV: 'production', CDK_VALIDATION: 'false', MERIDIAN_SPEC: join('test', 'fixtures', 'policy', 'ttl-300.yaml'), CDK_OUTDIR: join(tmpdir(), `meridian-policy-${process.pid}`) },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/GEO-DNS-001/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  }, 300_000);
});
