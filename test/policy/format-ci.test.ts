import { evaluate, formatJunit, formatSarif, RULES, toSarif } from '../../lib/policy';
import { baseFacts, patch } from './helpers';

const NOW = new Date('2026-06-01T12:00:00Z');
const report = evaluate(patch(baseFacts({
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 120 },
  data: { engine: 'aurora-postgresql', classification: 'internal', quorum: { replicas: 3, writeQuorum: 2, readQuorum: 2 } },
}), {
  suppressions: [{ rule: 'GEO-DNS-001', reason: 'the standby is cold', resource: 'shop-us-west-2-secondary' }],
}), { now: NOW });

describe('SARIF', () => {
  // SARIF is a large JSON document; the assertions below pin the parts that matter.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const sarif = toSarif(report, { specUri: 'specs/shop.yaml', version: '9.9.9' }) as any;
  test('one run with the full rule table and one result per finding', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver).toMatchObject({ name: 'meridian', version: '9.9.9' });
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(sarif.runs[0].results.map((r: any) => [r.ruleId, r.level, r.locations[0].logicalLocations[0].name, !!r.suppressions])).toEqual([
      ['GEO-QUORUM-004', 'note', 'data.quorum.writeQuorum', false],
      ['GEO-QUORUM-004', 'note', 'data.quorum.readQuorum', false],
      ['GEO-DNS-001', 'error', 'shop-us-east-1-primary', false],
      ['GEO-DNS-001', 'error', 'shop-us-west-2-secondary', true],
    ]);
  });
  test('results point at their rule, the spec file, and carry value and limit', () => {
    const r = sarif.runs[0].results[2];
    expect(sarif.runs[0].tool.driver.rules[r.ruleIndex].id).toBe('GEO-DNS-001');
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('specs/shop.yaml');
    expect(r.properties).toEqual({ region: 'us-east-1', value: 120, limit: 60, unknown: false });
    expect(sarif.runs[0].results[3].suppressions).toEqual([{ kind: 'external', justification: 'the standby is cold' }]);
  });
  test('formatSarif is the same document as JSON text', () => {
    expect(JSON.parse(formatSarif(report))).toEqual(JSON.parse(JSON.stringify(toSarif(report))));
  });
});

describe('JUnit', () => {
  const xml = formatJunit(report);
  test('a test case per rule; failures for unsuppressed errors and warnings', () => {
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="meridian" tests="${RULES.length}" failures="1" skipped="0">`)).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(RULES.length);
    expect(xml).toContain('name="GEO-DNS-001 Routed records have a TTL of 60 s or less"><failure message="1 finding" type="error">error shop-us-east-1-primary: failover record');
    expect(xml).toContain('name="GEO-QUORUM-002 Strong consistency needs overlapping read and write quorums (W + R &gt; N)"/>');
    expect(xml).toContain('<system-out>info data.quorum.writeQuorum: writes tolerate 1 of 3 replicas failing');
  });
  test('a rule whose findings are all suppressed is skipped', () => {
    const all = evaluate(patch(baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 120 } }), {
      suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy <resolvers> & friends' }],
    }), { now: NOW });
    expect(formatJunit(all)).toContain('<skipped message="suppressed: legacy &lt;resolvers&gt; &amp; friends"/>');
  });
});
