/**
 * Alias records whose DNS name is an attribute of a resource of the artifact (a load balancer's DNSName,
 * reached directly, through Fn::GetStackOutput or Fn::ImportValue, or through a Terraform interpolation)
 * lead out of the zone, to that resource and its region; a name built from a record set of the zone
 * keeps the chain inside the zone; a parameter or variable stays unknown. The failure simulation then
 * routes a failover pair of aliases to two load balancers without an unknown.
 */
import { factsFromTemplates, factsFromTerraform, type DnsRecordFact, type Facts } from '../../lib/facts';
import { evaluate, routeUnder, simulateFailures } from '../../lib/policy';

const NOW = new Date('2026-06-01T00:00:00Z');
const LB = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

const only = (set: { facts: readonly Facts[] }): Facts => {
  expect(set.facts).toHaveLength(1);
  return set.facts[0] as Facts;
};
const record = (f: Facts, id: string): DnsRecordFact => {
  const r = f.dns.records.find((x) => x.id === id);
  if (!r) throw new Error(`no record ${id} in ${f.dns.records.map((x) => x.id).join(', ')}`);
  return r;
};
const dnsHealth = (f: Facts) => evaluate(f, { now: NOW }).findings.filter((x) => x.ruleId === 'GEO-DNS-002' || x.ruleId === 'GEO-DNS-005').map((x) => `${x.ruleId} ${x.resource}${x.unknown ? ' ?' : ''}`);
const failure002 = (f: Facts) => evaluate(f, { now: NOW }).findings.filter((x) => x.ruleId === 'GEO-FAILURE-002')
  .map((x) => ({ resource: x.resource, region: x.region, unknown: x.unknown, message: x.message }));
/** Where `all users` of `name` are sent on the healthy day and with each region down. */
const answers = (f: Facts, name: string) => {
  const sim = simulateFailures(f);
  const population = sim.populations.find((p) => p.id === `${name} all`);
  if (!population) throw new Error(`no population for ${name}`);
  return Object.fromEntries(sim.failures.map((c) => [c.label, routeUnder(f, population, c.down)]));
};

// ---- CloudFormation: a team's ALB per region in stacks of its own, the records in the DNS stack ----------

const albStack = (name: string, region: string) => ({
  file: `${name}.template.json`, stackName: name, region,
  template: {
    Resources: { LoadBalancer: { Type: LB, Properties: { Type: 'application', Scheme: 'internet-facing' } } },
    Outputs: {
      LbDns: { Value: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] }, Export: { Name: `${name}-lb-dns` } },
      LbZone: { Value: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] } },
    },
  },
});
const healthCheck = (region: string) => ({
  Type: 'AWS::Route53::HealthCheck',
  Properties: {
    HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: `${region}.api.example.com`, RequestInterval: 10, FailureThreshold: 3 },
    HealthCheckTags: [{ Key: 'meridian:region', Value: region }],
  },
});
const failoverAlias = (role: 'PRIMARY' | 'SECONDARY', id: string, dnsName: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: {
    HostedZoneName: 'example.com.', Name: 'api.example.com.', Type: 'A', Failover: role, SetIdentifier: id,
    AliasTarget: { DNSName: dnsName, HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: true }, ...extra,
  },
});
const stackOutput = (stack: string, region: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, Region: region, OutputName: output } });

function cfnFacts(dns: Record<string, unknown>): Facts {
  return only(factsFromTemplates([
    albStack('app-us-east-1', 'us-east-1'),
    albStack('app-us-west-2', 'us-west-2'),
    { file: 'dns.template.json', stackName: 'dns', region: 'us-east-1', template: { Parameters: { LbDns: { Type: 'String' } }, Resources: dns } },
  ]));
}

const pair = {
  HcEast: healthCheck('us-east-1'),
  HcWest: healthCheck('us-west-2'),
  // Fn::Join of `dualstack.` and Fn::GetStackOutput (what aws-cdk-lib writes for a weak cross-region reference).
  Primary: failoverAlias('PRIMARY', 'east', { 'Fn::Join': ['', ['dualstack.', stackOutput('app-us-east-1', 'us-east-1', 'LbDns')]] }, { HealthCheckId: { Ref: 'HcEast' } }),
  // Fn::ImportValue of the other stack's export.
  Secondary: failoverAlias('SECONDARY', 'west', { 'Fn::ImportValue': 'app-us-west-2-lb-dns' }, { HealthCheckId: { Ref: 'HcWest' } }),
};

describe('CloudFormation: an alias to a resource of the assembly leads out of the zone', () => {
  const f = cfnFacts(pair);

  test('Fn::Join + Fn::GetStackOutput and Fn::ImportValue name the load balancer of the other stack, with its region', () => {
    // THEN the DNS name itself is deploy-time (unknown), but the target is the ALB of each region's stack
    expect(record(f, 'east').aliasTarget).toEqual({
      dnsName: undefined, evaluateTargetHealth: true, hostedZoneId: 'Z35SXDOTRQ7X7K',
      resource: { kind: 'load-balancer', type: LB, id: 'LoadBalancer', region: 'us-east-1', source: expect.objectContaining({ file: 'app-us-east-1.template.json', id: 'LoadBalancer' }) },
    });
    expect(record(f, 'west').aliasTarget?.resource).toMatchObject({ kind: 'load-balancer', region: 'us-west-2', source: { file: 'app-us-west-2.template.json' } });
    // and each record answers with the region its health check is tagged with
    expect([record(f, 'east').region, record(f, 'west').region]).toEqual(['us-east-1', 'us-west-2']);
  });

  test('a direct Fn::GetAtt in the same template: the record without a health check answers with the target\'s region', () => {
    const one = only(factsFromTemplates([{
      file: 'eu.template.json', stackName: 'eu', region: 'eu-west-1', template: {
        Resources: {
          Lb: { Type: LB, Properties: {} },
          Www: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'www.example.com.', Type: 'A', AliasTarget: { DNSName: { 'Fn::GetAtt': ['Lb', 'DNSName'] }, HostedZoneId: { 'Fn::GetAtt': ['Lb', 'CanonicalHostedZoneID'] } } } },
        },
      },
    }]));
    const www = record(one, 'Www');
    expect(www.aliasTarget?.resource).toMatchObject({ kind: 'load-balancer', id: 'Lb', region: 'eu-west-1' });
    expect(www.aliasTarget?.hostedZoneId).toBeUndefined();
    expect(www.region).toBe('eu-west-1');
    expect(www.healthCheckId).toBeNull();
  });

  test('a CloudFront distribution is a global target: no region of its own', () => {
    const one = only(factsFromTemplates([{
      file: 'cf.template.json', stackName: 'cf', region: 'us-east-1', template: {
        Resources: {
          Cdn: { Type: 'AWS::CloudFront::Distribution', Properties: {} },
          Www: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'www.example.com.', Type: 'A', AliasTarget: { DNSName: { 'Fn::GetAtt': ['Cdn', 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2' } } },
        },
      },
    }]));
    expect(record(one, 'Www').aliasTarget?.resource).toMatchObject({ kind: 'cloudfront-distribution', region: null });
  });

  test('a name built from a record set of the zone keeps the chain in the zone; a parameter stays unknown', () => {
    const g = cfnFacts({
      ...pair,
      Entry: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'www.example.com.', Type: 'A', AliasTarget: { DNSName: { Ref: 'Primary' }, HostedZoneId: 'Z1', EvaluateTargetHealth: true } } },
      Param: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'p.example.com.', Type: 'A', AliasTarget: { DNSName: { Ref: 'LbDns' }, HostedZoneId: 'Z1' } } },
    });
    expect(record(g, 'Entry').aliasTarget).toEqual({ dnsName: 'api.example.com', evaluateTargetHealth: true, hostedZoneId: 'Z1' });
    expect(record(g, 'Entry').region).toBeNull();
    expect(answers(g, 'www.example.com')['us-east-1 is down']).toEqual({ regions: ['us-west-2'], healthy: true });
    expect(record(g, 'Param').aliasTarget).toEqual({ dnsName: undefined, evaluateTargetHealth: false, hostedZoneId: 'Z1' });
    expect(answers(g, 'p.example.com')['every region is up']).toEqual({ regions: [], healthy: false, unknown: 'the alias target of record Param' });
  });
});

describe('failure simulation over a failover pair of aliases to two load balancers', () => {
  test('with health checks: the primary\'s region while it is up, the secondary\'s when it is down; GEO-FAILURE-002 compliant', () => {
    const f = cfnFacts(pair);
    expect(answers(f, 'api.example.com')).toEqual({
      'every region is up': { regions: ['us-east-1'], healthy: true },
      'us-east-1 is down': { regions: ['us-west-2'], healthy: true },
      'us-west-2 is down': { regions: ['us-east-1'], healthy: true },
    });
    expect(failure002(f)).toEqual([]);
  });

  test('without health checks, EvaluateTargetHealth follows each load balancer\'s region', () => {
    const noHc = (r: ReturnType<typeof failoverAlias>) => ({ ...r, Properties: { ...r.Properties, HealthCheckId: undefined } });
    const f = cfnFacts({ Primary: noHc(pair.Primary), Secondary: noHc(pair.Secondary) });
    expect(answers(f, 'api.example.com')['us-east-1 is down']).toEqual({ regions: ['us-west-2'], healthy: true });
    expect(failure002(f)).toEqual([]);
    // the primary takes on its load balancer's health, so GEO-DNS-002 does not ask for a health check
    expect(dnsHealth(f)).toEqual([]);
  });

  test('non-compliant: a primary that neither has a health check nor evaluates its target keeps its users in the dead region', () => {
    const blind = { ...pair.Primary, Properties: { ...pair.Primary.Properties, HealthCheckId: undefined, AliasTarget: { ...pair.Primary.Properties.AliasTarget, EvaluateTargetHealth: false } } };
    const f = cfnFacts({ ...pair, Primary: blind });
    expect(failure002(f)).toEqual([{
      resource: 'api.example.com', region: 'us-east-1', unknown: false,
      message: 'all users -> us-east-1 when us-east-1 is down, although us-west-2 could serve them',
    }]);
    expect(dnsHealth(f)).toEqual([`GEO-DNS-002 ${record(f, 'east').id}`]);
  });

  test('unknown: a primary whose DNS name is a parameter', () => {
    const f = cfnFacts({ ...pair, Primary: failoverAlias('PRIMARY', 'east', { Ref: 'LbDns' }, { HealthCheckId: { Ref: 'HcEast' } }) });
    expect(failure002(f)).toEqual([expect.objectContaining({ resource: 'api.example.com', unknown: true, message: expect.stringMatching(/the alias target of record east/) })]);
  });
});

// ---- Terraform: alias { name = "${aws_lb.x.dns_name}" } ----------------------------------------------------

function tfFacts(records: Record<string, unknown>): Facts {
  const hc = (region: string) => ({
    type: 'HTTPS', fqdn: `${region}.api.example.com`, request_interval: 10, failure_threshold: 3, tags: { 'meridian:region': region },
  });
  return only(factsFromTerraform([{
    file: 'main.tf.json',
    json: {
      provider: { aws: [{ region: 'us-east-1' }, { alias: 'west', region: 'us-west-2' }] },
      variable: { lb_dns: { type: 'string' } },
      resource: {
        aws_lb: { east: { load_balancer_type: 'application' }, west: { provider: 'aws.west', load_balancer_type: 'application' } },
        aws_route53_zone: { main: { name: 'example.com' } },
        aws_route53_health_check: { east: hc('us-east-1'), west: hc('us-west-2') },
        aws_route53_record: records,
      },
    },
  }]));
}
const tfAlias = (role: 'PRIMARY' | 'SECONDARY', id: string, name: string, extra: Record<string, unknown> = {}) => ({
  zone_id: '${aws_route53_zone.main.zone_id}', name: 'api.example.com', type: 'A', set_identifier: id,
  failover_routing_policy: { type: role }, alias: { name, zone_id: '${aws_lb.east.zone_id}', evaluate_target_health: true }, ...extra,
});
const tfPair = {
  primary: tfAlias('PRIMARY', 'east', '${aws_lb.east.dns_name}', { health_check_id: '${aws_route53_health_check.east.id}' }),
  secondary: tfAlias('SECONDARY', 'west', 'dualstack.${aws_lb.west.dns_name}', { health_check_id: '${aws_route53_health_check.west.id}' }),
};

describe('Terraform: an alias name interpolating a load balancer leads out of the zone', () => {
  test('aws_lb.<name>.dns_name names the load balancer with its provider\'s region', () => {
    const f = tfFacts(tfPair);
    expect(record(f, 'east').aliasTarget).toEqual({
      dnsName: undefined, evaluateTargetHealth: true,
      resource: { kind: 'load-balancer', type: 'aws_lb', id: 'aws_lb.east', region: 'us-east-1', source: expect.objectContaining({ file: 'main.tf.json', id: 'aws_lb.east' }) },
    });
    expect(record(f, 'west').aliasTarget?.resource).toMatchObject({ id: 'aws_lb.west', region: 'us-west-2' });
    expect(answers(f, 'api.example.com')).toEqual({
      'every region is up': { regions: ['us-east-1'], healthy: true },
      'us-east-1 is down': { regions: ['us-west-2'], healthy: true },
      'us-west-2 is down': { regions: ['us-east-1'], healthy: true },
    });
    expect(failure002(f)).toEqual([]);
  });

  test('a name from a record of the zone chains; a variable stays unknown', () => {
    const f = tfFacts({
      ...tfPair,
      entry: { zone_id: '${aws_route53_zone.main.zone_id}', name: 'www.example.com', type: 'A', alias: { name: '${aws_route53_record.primary.fqdn}', zone_id: 'Z1', evaluate_target_health: true } },
      param: { zone_id: '${aws_route53_zone.main.zone_id}', name: 'p.example.com', type: 'A', alias: { name: '${var.lb_dns}', zone_id: 'Z1', evaluate_target_health: false } },
    });
    expect(record(f, 'aws_route53_record.entry').aliasTarget).toEqual({ dnsName: 'api.example.com', evaluateTargetHealth: true, hostedZoneId: 'Z1' });
    expect(answers(f, 'www.example.com')['us-east-1 is down']).toEqual({ regions: ['us-west-2'], healthy: true });
    expect(record(f, 'aws_route53_record.param').aliasTarget).toEqual({ dnsName: undefined, evaluateTargetHealth: false, hostedZoneId: 'Z1' });
    expect(answers(f, 'p.example.com')['every region is up']).toMatchObject({ unknown: 'the alias target of record aws_route53_record.param' });
  });
});
