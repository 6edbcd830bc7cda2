/**
 * Which alias records take on their target's health is decided once (lib/policy/alias-health.ts): the
 * DNS health rules (GEO-DNS-002) and the failure simulation must agree, so a failover PRIMARY the rule
 * accepts without a health check is the one the simulation fails over, and a PRIMARY the rule flags is
 * the one the simulation leaves answering from its dead region.
 */
import fc from 'fast-check';
import type { AliasTargetFact, DnsRecordFact, Facts } from '../../lib/facts';
import { routeUnder, simulateFailures } from '../../lib/policy';
import { aliasTakesTargetHealth } from '../../lib/policy/alias-health';
import { dnsPrimaryHealth } from '../../lib/policy/rules';
import { baseFacts, patch, run } from './helpers';

const resource = (kind: string, region: string | null = 'us-east-1') => ({ kind, type: kind, id: 'Target', region });
const literal = (dnsName: string, evaluateTargetHealth = true): AliasTargetFact => ({ dnsName, evaluateTargetHealth });

describe('aliasTakesTargetHealth', () => {
  test('a load balancer or Beanstalk environment of the artifact: its EvaluateTargetHealth, unknown when that is', () => {
    expect(aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: true, resource: resource('load-balancer') })).toBe(true);
    expect(aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: true, resource: resource('elastic-beanstalk') })).toBe(true);
    expect(aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: false, resource: resource('load-balancer') })).toBe(false);
    expect(aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: undefined, resource: resource('load-balancer') })).toBeUndefined();
  });

  test('any other target passes on no health, whatever EvaluateTargetHealth says', () => {
    for (const kind of ['cloudfront-distribution', 's3-website', 'api-gateway-domain', 'vpc-endpoint', 'global-accelerator', 'AWS::Lambda::Url']) {
      expect([kind, aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: true, resource: resource(kind) })]).toEqual([kind, false]);
      expect([kind, aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: undefined, resource: resource(kind) })]).toEqual([kind, false]);
    }
  });

  test('endpoint names written literally: load balancer and Beanstalk names count, in any case, with a trailing dot or in China', () => {
    expect(aliasTakesTargetHealth(literal('dualstack.my-lb-1234567890.eu-west-1.elb.amazonaws.com.'))).toBe(true);
    expect(aliasTakesTargetHealth(literal('My-LB-1.US-EAST-1.ELB.AMAZONAWS.COM'))).toBe(true);
    expect(aliasTakesTargetHealth(literal('lb-1.cn-north-1.elb.amazonaws.com.cn'))).toBe(true);
    expect(aliasTakesTargetHealth(literal('orders.us-east-2.elasticbeanstalk.com'))).toBe(true);
    expect(aliasTakesTargetHealth(literal('lb-1.us-east-1.elb.amazonaws.com', false))).toBe(false);
    expect(aliasTakesTargetHealth({ dnsName: 'lb-1.us-east-1.elb.amazonaws.com', evaluateTargetHealth: undefined })).toBeUndefined();
  });

  test('other literal names do not: an S3 website, CloudFront, a name that only contains an ELB suffix, an unresolved name', () => {
    expect(aliasTakesTargetHealth(literal('orders.s3-website-us-east-1.amazonaws.com'))).toBe(false);
    expect(aliasTakesTargetHealth(literal('d111111abcdef8.cloudfront.net'))).toBe(false);
    expect(aliasTakesTargetHealth(literal('lb.elb.amazonaws.com.example.org'))).toBe(false);
    expect(aliasTakesTargetHealth(literal('notelb.amazonaws.com'))).toBe(false);
    expect(aliasTakesTargetHealth({ dnsName: undefined, evaluateTargetHealth: true })).toBe(false);
  });
});

// ---- The rule and the simulation agree on every failover PRIMARY without a health check -----------------

/** The base deployment (PRIMARY in us-east-1, SECONDARY in us-west-2) with the PRIMARY made an alias without a health check. */
function withPrimaryAlias(aliasTarget: AliasTargetFact): Facts {
  const facts = baseFacts();
  const records = facts.dns.records.map((r): DnsRecordFact => (r.failover === 'PRIMARY' ? { ...r, healthCheckId: null, ttlSeconds: null, values: null, aliasTarget } : r));
  return patch(facts, { dns: { ...facts.dns, records } });
}

/** Where all users of the failover name go while the PRIMARY's region is down. */
function whilePrimaryDown(facts: Facts) {
  const population = simulateFailures(facts).populations.find((p) => p.kind === 'all');
  if (!population) throw new Error('no population for the failover name');
  return routeUnder(facts, population, ['us-east-1']);
}

const target: fc.Arbitrary<Omit<AliasTargetFact, 'evaluateTargetHealth'>> = fc.oneof(
  fc.record({
    dnsName: fc.constant(undefined),
    resource: fc.record({
      kind: fc.constantFrom('load-balancer', 'elastic-beanstalk', 'cloudfront-distribution', 's3-website', 'api-gateway-domain', 'vpc-endpoint', 'global-accelerator'),
      type: fc.constant('AWS::Some::Type'), id: fc.constant('Target'), region: fc.constantFrom<string | null>('us-east-1', null),
    }),
  }),
  fc.record({
    dnsName: fc.constantFrom('dualstack.lb-1.us-east-1.elb.amazonaws.com', 'LB-2.us-east-1.elb.amazonaws.com.', 'orders.us-east-1.elasticbeanstalk.com',
      'orders.s3-website-us-east-1.amazonaws.com', 'd111111abcdef8.cloudfront.net', 'api.partner.example.org'),
  }),
);

describe('GEO-DNS-002 and the failure simulation make the same decision', () => {
  test('compliant PRIMARY fails over; flagged PRIMARY keeps its users in the dead region; unknown stays unknown (fast-check)', () => {
    fc.assert(fc.property(target, fc.constantFrom<boolean | undefined>(true, false, undefined), (t, evaluateTargetHealth) => {
      const facts = withPrimaryAlias({ ...t, evaluateTargetHealth });
      const takes = aliasTakesTargetHealth({ ...t, evaluateTargetHealth });
      const rule = run(dnsPrimaryHealth, facts);
      const answer = whilePrimaryDown(facts);
      if (takes === true) {
        expect(rule).toEqual([]);
        expect(answer).toEqual({ regions: ['us-west-2'], healthy: true });
      } else if (takes === false) {
        expect(rule).toEqual(['GEO-DNS-002 shop-us-east-1-primary']);
        // A global target answers from no region: the simulation cannot name one, but never fails over.
        if (answer.unknown === undefined) expect(answer).toEqual({ regions: ['us-east-1'], healthy: false });
        else expect(answer.unknown).toMatch(/the region record .* answers with/);
      } else {
        expect(rule).toEqual(['GEO-DNS-002 shop-us-east-1-primary ?']);
        expect(answer.unknown).toMatch(/EvaluateTargetHealth of record/);
      }
    }), { numRuns: 200 });
  });

  test('an S3 website alias with EvaluateTargetHealth: flagged by the rule and, while its region is down, still answered', () => {
    const facts = withPrimaryAlias({ dnsName: undefined, evaluateTargetHealth: true, resource: resource('s3-website') });
    expect(run(dnsPrimaryHealth, facts)).toEqual(['GEO-DNS-002 shop-us-east-1-primary']);
    expect(whilePrimaryDown(facts)).toEqual({ regions: ['us-east-1'], healthy: false });
  });

  test('a load balancer named literally, with EvaluateTargetHealth: accepted by the rule and failed over', () => {
    const facts = withPrimaryAlias(literal('dualstack.orders-123.us-east-1.elb.amazonaws.com'));
    expect(run(dnsPrimaryHealth, facts)).toEqual([]);
    expect(whilePrimaryDown(facts)).toEqual({ regions: ['us-west-2'], healthy: true });
  });
});
