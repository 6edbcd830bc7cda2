import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { plan, type GeoSpec } from '../../lib/model';
import { checkPlan } from '../../lib/policy';
import {
  describeFinding, installMeridianMatchers, meridianMatchers, toHaveFinding, toPassMeridianPolicy, type FindingLike, type PolicyReportLike,
} from '../../lib/testing';
import { RUN_TS } from '../support/node-ts';

installMeridianMatchers();

function finding(over: Partial<FindingLike> = {}): FindingLike {
  return {
    ruleId: 'GEO-DNS-001', severity: 'error', message: 'failover record api.example.com has TTL 300 s, more than 60 s',
    resource: 'use1', region: 'us-east-1', value: 300, limit: 60, suppressed: false, ...over,
  };
}

const clean: PolicyReportLike = { findings: [] };
const failing: PolicyReportLike = { findings: [finding(), finding({ ruleId: 'GEO-KMS-003', severity: 'warning', message: 'rotation off', resource: 'key-use1', value: undefined, limit: undefined })] };
const suppressed: PolicyReportLike = { findings: [finding({ suppressed: true, suppressionReason: 'legacy clients cache anyway' })] };

const good: GeoSpec = {
  name: 'shop',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary', endpoint: 'use1.shop.example.com', peakRps: 100 },
    { name: 'us-west-2', role: 'secondary', endpoint: 'usw2.shop.example.com', peakRps: 100 },
  ],
  data: { engine: 'aurora-postgresql', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'shop.example.com', routing: 'failover' },
};

describe('toPassMeridianPolicy', () => {
  test('passes a report without unsuppressed errors', () => {
    expect(clean).toPassMeridianPolicy();
    expect(suppressed).toPassMeridianPolicy();
    expect({ findings: [finding({ severity: 'warning' })] }).toPassMeridianPolicy();
  });

  test('fails a report with an unsuppressed error and lists the findings that fail it', () => {
    // GIVEN / WHEN
    const result = toPassMeridianPolicy(failing);
    // THEN
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/1 unsuppressed finding fails it:\n {2}- GEO-DNS-001 error use1 \(us-east-1\): failover record .* \[value 300, limit 60\]/);
    expect(result.message()).not.toMatch(/GEO-KMS-003/);
    expect(() => expect(failing).toPassMeridianPolicy()).toThrow(/GEO-DNS-001 error use1/);
  });

  test.each([
    ['error', true], ['warning', false], ['info', false],
  ] as const)('failOn %p with an unsuppressed warning: pass = %p', (failOn, pass) => {
    expect(toPassMeridianPolicy({ findings: [finding({ severity: 'warning' })] }, { failOn }).pass).toBe(pass);
  });

  test('.not fails a clean report with a message', () => {
    expect(() => expect(clean).not.toPassMeridianPolicy()).toThrow(/expected the report to fail the Meridian policy at error/);
  });

  test('rejects what is not a report', () => {
    expect(toPassMeridianPolicy(undefined).message()).toMatch(/expected a Meridian policy report .* got undefined/);
    expect(toPassMeridianPolicy([]).pass).toBe(false);
    expect(() => expect({ rules: [] }).toPassMeridianPolicy()).toThrow(/got object/);
    expect(toPassMeridianPolicy(clean, { failOn: 'fatal' as never }).message()).toMatch(/failOn must be one of error, warning, info; got fatal/);
  });

  test('works on a real report from checkPlan', () => {
    // GIVEN
    const report = checkPlan(plan({ ...good, dns: { ...good.dns, ttlSeconds: 300 } }));
    // WHEN / THEN
    expect(report).not.toPassMeridianPolicy();
    expect(report).toHaveFinding('GEO-DNS-001', { severity: 'error', value: 300, suppressed: false });
  });

  test('a suppression makes a real report pass', () => {
    // GIVEN
    const report = checkPlan(plan({
      ...good,
      dns: { ...good.dns, ttlSeconds: 300 },
      suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy resolvers ignore short TTLs anyway' }],
    }));
    // WHEN / THEN
    expect(report).toHaveFinding('GEO-DNS-001', { suppressed: true });
    expect(report).not.toHaveFinding('GEO-DNS-001', { suppressed: false });
    if (report.findings.every((f) => f.suppressed || f.severity !== 'error')) expect(report).toPassMeridianPolicy();
  });
});

describe('toHaveFinding', () => {
  test('matches by rule id and every given criterion', () => {
    expect(failing).toHaveFinding('GEO-DNS-001');
    expect(failing).toHaveFinding('GEO-DNS-001', { resource: 'use1', severity: 'error', suppressed: false, region: 'us-east-1', value: 300, limit: 60 });
    expect(failing).toHaveFinding('GEO-DNS-001', { resource: /use\d/, message: 'TTL 300' });
    expect(failing).toHaveFinding('GEO-KMS-003', { severity: 'warning' });
    expect(suppressed).toHaveFinding('GEO-DNS-001', { suppressed: true });
  });

  test.each([
    [{ resource: 'usw2' }],
    [{ severity: 'warning' as const }],
    [{ suppressed: true }],
    [{ region: 'eu-west-1' }],
    [{ value: 120 }],
    [{ limit: 30 }],
    [{ unknown: true }],
    [{ message: /TTL 120/ }],
  ])('does not match when %p differs', (criteria) => {
    expect(toHaveFinding(failing, 'GEO-DNS-001', criteria).pass).toBe(false);
  });

  test('failure lists the findings of the rule when some exist', () => {
    const result = toHaveFinding(failing, 'GEO-DNS-001', { resource: 'usw2' });
    expect(result.message()).toMatch(/expected a finding GEO-DNS-001 with resource "usw2"; the findings of GEO-DNS-001 differ:\n {2}- GEO-DNS-001 error use1/);
  });

  test('failure lists all findings when the rule has none', () => {
    const result = toHaveFinding(failing, 'GEO-NET-001');
    expect(result.message()).toMatch(/the report has none of GEO-NET-001; its findings:\n {2}- GEO-DNS-001[\s\S]*- GEO-KMS-003/);
    expect(toHaveFinding(clean, 'GEO-NET-001').message()).toMatch(/\(none\)/);
  });

  test('.not fails with the matching findings', () => {
    expect(() => expect(failing).not.toHaveFinding('GEO-DNS-001', { resource: 'use1' })).toThrow(/expected no finding GEO-DNS-001 with resource "use1", but found 1/);
  });

  test('rejects what is not a report', () => {
    expect(toHaveFinding(null, 'GEO-DNS-001').message()).toMatch(/got null/);
    expect(toHaveFinding(clean, 42 as never).message()).toMatch(/expected a rule id such as GEO-DNS-001, got number/);
  });
});

describe('helpers', () => {
  test('describeFinding names rule, severity, resource, region, value, limit and suppression', () => {
    expect(describeFinding(finding({ suppressed: true, suppressionReason: 'why not', unknown: true })))
      .toBe('GEO-DNS-001 error use1 (us-east-1): failover record api.example.com has TTL 300 s, more than 60 s [value 300, limit 60] (unknown) (suppressed: why not)');
  });

  test('meridianMatchers can be passed to expect.extend', () => {
    expect(Object.keys(meridianMatchers).sort()).toEqual(['toHaveFinding', 'toPassMeridianPolicy']);
    expect(meridianMatchers.toPassMeridianPolicy(clean).pass).toBe(true);
  });

  test('the testing entry point loads neither aws-cdk-lib nor cdktf', () => {
    // GIVEN: a fresh Node process (Jest's module registry is not Node's require.cache)
    const script = [
      "require('./lib/testing');",
      "const heavy = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](aws-cdk-lib|cdktf|constructs)[\\\\/]/.test(k));",
      'process.stdout.write(JSON.stringify(heavy));',
    ].join('\n');
    // WHEN
    const out = execFileSync(process.execPath, [...RUN_TS, '-e', script], {
      cwd: join(__dirname, '..', '..'), encoding: 'utf8',
    });
    // THEN
    expect(JSON.parse(out)).toEqual([]);
  });
});
