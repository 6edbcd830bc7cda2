import { loadSpecFile, plan } from '../../lib/model';
import { checkPlan, evaluate, failsAt, formatJson, formatText, RULES, ruleById, toJson } from '../../lib/policy';
import { baseFacts, findingSet, patch } from './helpers';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('rule pack', () => {
  test('pins the full list of rule ids', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'GEO-QUORUM-001', 'GEO-QUORUM-002', 'GEO-QUORUM-003', 'GEO-QUORUM-004', 'GEO-QUORUM-005',
      'GEO-RESIDENCY-001', 'GEO-RESIDENCY-002', 'GEO-RESIDENCY-003',
      'GEO-DNS-001', 'GEO-DNS-002', 'GEO-DNS-003', 'GEO-DNS-004', 'GEO-DNS-005',
      'GEO-HEALTH-001', 'GEO-HEALTH-002',
      'GEO-FAILURE-001', 'GEO-FAILURE-002', 'GEO-FAILURE-003',
      'GEO-NETWORK-001', 'GEO-NETWORK-002',
      'GEO-KMS-001', 'GEO-KMS-002', 'GEO-KMS-003',
      'GEO-DATA-001',
      'GEO-ALARM-001', 'GEO-ALARM-002',
      'GEO-RESILIENCE-001', 'GEO-RESILIENCE-002',
      'GEO-CAPACITY-001',
      'GEO-FIS-001', 'GEO-FIS-002',
      'GEO-META-001', 'GEO-META-002', 'GEO-META-003',
    ]);
  });
  test.each(RULES.map((r) => [r.id, r]))('%s has complete metadata', (_id, rule) => {
    expect(rule.id).toMatch(/^GEO-[A-Z]+-\d{3}$/);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    for (const text of [rule.title, rule.rationale, rule.remediation]) expect(text.length).toBeGreaterThan(10);
  });
  test('ruleById', () => {
    expect(ruleById('GEO-DNS-001')?.title).toMatch(/TTL/);
    expect(ruleById('GEO-NOPE-001')).toBeUndefined();
  });
});

describe('evaluate', () => {
  test('the compliant base deployment has no findings', () => {
    expect(findingSet(evaluate(baseFacts(), { now: NOW }))).toEqual([]);
  });
  test('the orders example passes every rule', () => {
    const report = checkPlan(plan(loadSpecFile('examples/specs/orders.yaml')), { now: NOW });
    expect(findingSet(report)).toEqual([]);
    expect(report.summary).toEqual({ error: 0, warning: 0, info: 0, unknown: 0, suppressed: 0, total: 0, rulesEvaluated: RULES.length });
    expect(report.topology).toBe('orders');
  });
  test('unknown findings are warnings whatever the rule severity', () => {
    const f = baseFacts();
    const report = evaluate(patch(f, { keys: f.keys.map((k) => ({ ...k, rotation: undefined })) }), { now: NOW });
    expect(report.findings.map((x) => [x.ruleId, x.severity, x.unknown])).toEqual([
      ['GEO-KMS-002', 'warning', true], ['GEO-KMS-002', 'warning', true],
    ]);
    expect(report.summary).toMatchObject({ error: 0, warning: 2, unknown: 2 });
  });
  test('the rules that share work in one evaluation (simulation, estimate) find what each finds alone', () => {
    // GIVEN deployments on which GEO-FAILURE-001/-002 and GEO-RESILIENCE-001/-002 report findings, unknowns included
    const partitioned = baseFacts({
      mode: 'partitioned', objectives: { rtoSeconds: 60, rpoSeconds: 0 },
      regions: [{ name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['EU', 'US'] },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation', crossBorderFallback: true },
    });
    const unhealthy = patch(partitioned, { dns: { ...partitioned.dns, records: partitioned.dns.records.map((r, i) => (i % 2 === 0 ? { ...r, healthCheckId: null } : { ...r, aliasTarget: undefined })) } });
    const ids = ['GEO-FAILURE-001', 'GEO-FAILURE-002', 'GEO-RESILIENCE-001', 'GEO-RESILIENCE-002'];
    const shared = RULES.filter((r) => ids.includes(r.id));
    expect(shared.map((r) => r.id)).toEqual(ids);
    const seen = new Set<unknown>();
    for (const facts of [partitioned, unhealthy, baseFacts({ objectives: { rtoSeconds: 30, rpoSeconds: 0 } })]) {
      // WHEN they run in one evaluation (one memo) and each on its own (no memo)
      const together = evaluate(facts, { now: NOW, rules: shared }).findings.map((f) => [f.ruleId, f.resource, f.message]);
      const alone = shared.flatMap((rule) => rule.check(facts, { now: NOW }).map((f) => [rule.id, f.resource, f.message]));
      // THEN the findings are the same
      expect(together).toEqual(alone);
      together.forEach(([id]) => seen.add(id));
    }
    // ... and every one of the four rules had findings to compare
    expect([...seen].sort()).toEqual(ids);
  });
  test('a rule that throws is reported as unknown, not fatal', () => {
    const boom = { id: 'GEO-TEST-001', title: 'explodes', severity: 'error' as const, rationale: 'r', remediation: 'r', check: () => { throw new Error('bad facts'); } };
    expect(evaluate(baseFacts(), { rules: [boom] }).findings).toMatchObject([{ ruleId: 'GEO-TEST-001', unknown: true, severity: 'warning' }]);
  });
});

describe('suppressions', () => {
  const ttl300 = (suppressions: object[]) => patch(baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 300 } }), {
    suppressions: suppressions as never,
  });
  test('a suppression keeps the finding, marked suppressed with its reason', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL until Q3' }]), { now: NOW });
    expect(findingSet(report)).toEqual(['GEO-DNS-001 shop-us-east-1-primary ~', 'GEO-DNS-001 shop-us-west-2-secondary ~']);
    expect(report.findings[0]?.suppressionReason).toBe('legacy clients pin the TTL until Q3');
    expect(report.summary).toMatchObject({ error: 0, suppressed: 2, total: 2 });
    expect(failsAt(report, 'error')).toBe(false);
  });
  test('narrowed to one resource (or region)', () => {
    const byResource = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'the secondary is a cold standby', resource: 'shop-us-west-2-secondary' }]), { now: NOW });
    expect(findingSet(byResource)).toEqual(['GEO-DNS-001 shop-us-east-1-primary', 'GEO-DNS-001 shop-us-west-2-secondary ~']);
    const byRegion = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'the primary region is being retired', resource: 'us-east-1' }]), { now: NOW });
    expect(findingSet(byRegion)).toEqual(['GEO-DNS-001 shop-us-east-1-primary ~', 'GEO-DNS-001 shop-us-west-2-secondary']);
  });
  test('an expired suppression no longer applies and is itself a finding', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL', expires: '2026-05-31' }]), { now: NOW });
    expect(findingSet(report)).toEqual(['GEO-DNS-001 shop-us-east-1-primary', 'GEO-DNS-001 shop-us-west-2-secondary', 'GEO-META-001 suppression:GEO-DNS-001']);
    expect(report.summary).toMatchObject({ error: 2, warning: 1, suppressed: 0 });
  });
  test('the expiry day itself still applies', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL', expires: '2026-06-01' }]), { now: NOW });
    expect(report.summary).toMatchObject({ error: 0, suppressed: 2 });
  });
  test('a suppression without a reason is ignored and reported', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: '' }]), { now: NOW });
    expect(findingSet(report)).toEqual(['GEO-DNS-001 shop-us-east-1-primary', 'GEO-DNS-001 shop-us-west-2-secondary', 'GEO-META-002 suppression:GEO-DNS-001']);
  });
  test('META findings cannot be suppressed', () => {
    const report = evaluate(ttl300([
      { rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL', expires: '2020-01-01' },
      { rule: 'GEO-META-001', reason: 'we do not care about expiry' },
    ]), { now: NOW });
    expect(report.findings.find((f) => f.ruleId === 'GEO-META-001')?.suppressed).toBe(false);
  });
  test('suppressions come from the spec through the plan', () => {
    const p = plan({
      name: 'shop', mode: 'active-passive', regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary' }],
      data: { engine: 'aurora-postgresql', classification: 'pii' },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
      suppressions: [{ rule: 'GEO-RESIDENCY-003', reason: 'US-only service, no residency law applies', expires: '2027-01-01' }],
    });
    expect(findingSet(checkPlan(p, { now: NOW }))).toEqual(['GEO-RESIDENCY-003 data.residency ~']);
  });
});

describe('formatters', () => {
  const report = evaluate(patch(baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 120 } }), {
    suppressions: [{ rule: 'GEO-DNS-001', reason: 'the standby is cold', resource: 'shop-us-west-2-secondary' }],
  }), { now: NOW });

  test('text: one line per finding and a summary, no colour by default', () => {
    const text = formatText(report);
    expect(text).not.toMatch(/\x1b\[/);
    expect(text.split('\n')).toEqual([
      'ERROR   GEO-DNS-001 shop-us-east-1-primary [us-east-1]: failover record api.example.com has TTL 120 s, more than 60 s; clients keep using a failed region that long (value 120, limit 60)',
      'ERROR   GEO-DNS-001 shop-us-west-2-secondary [us-west-2]: failover record api.example.com has TTL 120 s, more than 60 s; clients keep using a failed region that long (value 120, limit 60) [suppressed: the standby is cold]',
      '',
      `shop: 1 error, 0 warnings, 0 info, 1 suppressed (${RULES.length} rules checked)`,
      '',
    ]);
  });
  test('text: colour on request', () => {
    expect(formatText(report, { color: true })).toMatch(/\x1b\[31mERROR/);
  });
  test('text: a clean report', () => {
    expect(formatText(evaluate(baseFacts(), { now: NOW }))).toBe(`shop: 0 errors, 0 warnings, 0 info, 0 suppressed (${RULES.length} rules checked)\n`);
  });
  test('JSON: stable keys, null for absent values', () => {
    const json = JSON.parse(formatJson(report));
    expect(json).toEqual(toJson(report));
    expect(Object.keys(json)).toEqual(['topology', 'findings', 'summary']);
    expect(json.findings[1]).toEqual({
      // Every finding names its topology (here the spec's name), so a document of several always says whose a finding is.
      ruleId: 'GEO-DNS-001', topology: 'shop', severity: 'error', title: 'Routed records have a TTL of 60 s or less',
      message: expect.stringContaining('TTL 120 s'), resource: 'shop-us-west-2-secondary', region: 'us-west-2',
      value: 120, limit: 60, unknown: false, suppressed: true, suppressionReason: 'the standby is cold', location: null,
    });
    expect(json.summary).toEqual({ error: 1, warning: 0, info: 0, unknown: 0, suppressed: 1, total: 2, rulesEvaluated: RULES.length });
  });
});
