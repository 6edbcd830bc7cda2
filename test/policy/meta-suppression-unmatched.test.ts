import type { Facts } from '../../lib/facts';
import { evaluate, RULES } from '../../lib/policy';
import { dnsTtl, metaSuppressionUnmatched } from '../../lib/policy/rules';
import { baseFacts, findingSet, patch } from './helpers';

const NOW = new Date('2026-06-01T00:00:00Z');
/** The base deployment with a 300 s TTL: GEO-DNS-001 fires on both failover records. */
const ttl300 = (suppressions: object[]): Facts => patch(
  baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 300 } }),
  { suppressions: suppressions as never },
);
const meta = (facts: Facts, rules = RULES) => findingSet(evaluate(facts, { now: NOW, rules })).filter((f) => f.startsWith('GEO-META-003'));

describe('GEO-META-003: suppressions name a known rule and match a finding', () => {
  test('compliant: every suppression hides a finding', () => {
    expect(meta(ttl300([
      { rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL' },
      { rule: 'GEO-DNS-001', reason: 'the standby is cold', resource: 'us-west-2' },
    ]))).toEqual([]);
  });

  test('non-compliant: a rule id that does not exist', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-999', reason: 'typo in the rule id' }]), { now: NOW });
    expect(findingSet(report).filter((f) => f.startsWith('GEO-META'))).toEqual(['GEO-META-003 suppression:GEO-DNS-999']);
    const f = report.findings.find((x) => x.ruleId === 'GEO-META-003');
    expect(f).toMatchObject({ severity: 'warning', value: 'GEO-DNS-999', suppressed: false });
    expect(f?.message).toBe('suppression names rule GEO-DNS-999, which does not exist; it suppresses nothing');
  });

  test('non-compliant: a known rule, but no finding on that resource', () => {
    const report = evaluate(ttl300([{ rule: 'GEO-DNS-001', reason: 'meant for the old record', resource: 'shop-eu-west-1-secondary' }]), { now: NOW });
    expect(meta(ttl300([{ rule: 'GEO-DNS-001', reason: 'meant for the old record', resource: 'shop-eu-west-1-secondary' }])))
      .toEqual(['GEO-META-003 suppression:GEO-DNS-001:shop-eu-west-1-secondary']);
    expect(report.findings.find((x) => x.ruleId === 'GEO-META-003')?.message)
      .toBe('suppression of GEO-DNS-001 on shop-eu-west-1-secondary matches no finding; it suppresses nothing');
    // A warning, never an error: the deployment is no less safe.
    expect(report.summary.error).toBe(2);
  });

  test('non-compliant: a rule that is compliant today', () => {
    expect(meta(patch(baseFacts(), { suppressions: [{ rule: 'GEO-KMS-002', reason: 'rotation is handled by hand' }] })))
      .toEqual(['GEO-META-003 suppression:GEO-KMS-002']);
  });

  test('unknown: when the suppressed rule did not run, whether it matches is not judged', () => {
    const facts = patch(baseFacts(), { suppressions: [{ rule: 'GEO-KMS-002', reason: 'rotation is handled by hand' }] });
    expect(meta(facts, [dnsTtl, metaSuppressionUnmatched])).toEqual([]);
  });

  test('expired or reasonless suppressions are left to GEO-META-001/002, not reported twice', () => {
    const facts = ttl300([
      { rule: 'GEO-KMS-002', reason: 'an old acknowledgement', expires: '2026-01-01' },
      { rule: 'GEO-KMS-002', reason: '' },
    ]);
    expect(meta(facts)).toEqual([]);
    expect(findingSet(evaluate(facts, { now: NOW })).filter((f) => f.startsWith('GEO-META'))).toEqual([
      'GEO-META-001 suppression:GEO-KMS-002', 'GEO-META-002 suppression:GEO-KMS-002',
    ]);
  });

  test('the first matching suppression in spec order gives the reason, whichever bucket it sits in', () => {
    const report = evaluate(ttl300([
      { rule: 'GEO-DNS-001', reason: 'region-wide: us-west-2 is cold', resource: 'us-west-2' },
      { rule: 'GEO-DNS-001', reason: 'rule-wide: legacy clients' },
    ]), { now: NOW });
    const reasons = Object.fromEntries(report.findings.filter((f) => f.ruleId === 'GEO-DNS-001').map((f) => [f.region, f.suppressionReason]));
    expect(reasons).toEqual({ 'us-east-1': 'rule-wide: legacy clients', 'us-west-2': 'region-wide: us-west-2 is cold' });
  });
});
