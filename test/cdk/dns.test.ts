import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DeploymentDashboard } from '../../lib/cdk/dashboard';
import { GeoDns, type GeoDnsProps } from '../../lib/cdk/dns';
import { plan, type GeoPlan, type GeoSpec } from '../../lib/model';
import { SHOP_AURORA } from './unit-fixtures';

type DnsSpec = GeoSpec['dns'];

function spec(overrides: Omit<Partial<GeoSpec>, 'dns'> & { dns?: Partial<DnsSpec> } = {}): GeoSpec {
  const { dns, ...rest } = overrides;
  return { ...SHOP_AURORA, ...rest, dns: { ...SHOP_AURORA.dns, ...dns } as DnsSpec };
}

function activeActive(routing: DnsSpec['routing'], extra: Partial<DnsSpec> = {}): GeoSpec {
  return spec({
    mode: 'active-active',
    regions: [
      { name: 'us-east-1', role: 'active', endpoint: 'use1.shop.example.com', weight: 3, bias: 10 },
      { name: 'eu-west-1', role: 'active', endpoint: 'euw1.shop.example.com', weight: 1, bias: -5 },
    ],
    data: { engine: 'dynamodb', classification: 'internal' },
    dns: { routing, ...extra },
  });
}

/** The spec's plan with these checker regions: the schema refuses them in a spec; GeoDns checks plans built by hand. */
function withCheckers(checkerRegions: string[]): GeoPlan {
  const p = plan(spec());
  return { ...p, dns: { ...p.dns, healthChecks: p.dns.healthChecks.map((h) => ({ ...h, checkerRegions })) } };
}

function synth(s: GeoSpec | GeoPlan, props: Partial<ConstructorParameters<typeof GeoDns>[2]> = {}) {
  const p = 'stackName' in s.dns ? (s as GeoPlan) : plan(s as GeoSpec);
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Dns', { env: { region: p.dns.homeRegion } });
  const dns = new GeoDns(stack, 'Dns', { plan: p, ...props });
  return { p, stack, dns, template: Template.fromStack(stack) };
}

/** The default spec's DNS, synthesized once for the tests that only read it. */
let defaultOnce: ReturnType<typeof synth> | undefined;
const synthDefault = () => (defaultOnce ??= synth(spec()));

describe('GeoDns', () => {
  test('creates a public hosted zone, retained on delete', () => {
    // GIVEN / WHEN
    const { template } = synthDefault();
    // THEN
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResource('AWS::Route53::HostedZone', {
      Properties: Match.objectLike({ Name: 'example.com.' }),
      DeletionPolicy: 'Retain',
    });
  });

  test('imports the zone by id without a lookup', () => {
    // GIVEN / WHEN
    const { template, dns } = synth(spec({ dns: { zoneId: 'Z0123456789ABC' } }));
    // THEN
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(dns.zone.hostedZoneId).toBe('Z0123456789ABC');
    template.allResourcesProperties('AWS::Route53::RecordSet', { HostedZoneId: 'Z0123456789ABC' });
  });

  test('creates one health check per region endpoint with the planned settings and a Name tag', () => {
    // GIVEN / WHEN
    const { template, dns } = synth(spec({ dns: { healthCheck: { protocol: 'HTTPS', path: '/ready', port: 8443, intervalSeconds: 30, failureThreshold: 5, checkerRegions: ['us-east-1', 'us-west-2', 'eu-west-1'] } } }));
    // THEN
    template.resourceCountIs('AWS::Route53::HealthCheck', 2);
    expect(Object.keys(dns.healthChecks).sort()).toEqual(['hc-use1', 'hc-usw2']);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'usw2.shop.example.com',
        Port: 8443,
        ResourcePath: '/ready',
        RequestInterval: 30,
        FailureThreshold: 5,
        EnableSNI: true,
        Regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      },
      HealthCheckTags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'secondary' }, { Key: 'meridian:topology', Value: 'shop' }, { Key: 'Name', Value: 'shop-us-west-2-health' }]),
    });
  });

  test('string-match health checks carry the search string; TCP checks have no path', () => {
    // GIVEN / WHEN
    const str = synth(spec({ dns: { healthCheck: { protocol: 'HTTP_STR_MATCH', port: 80, searchString: 'ok' } } })).template;
    const tcp = synth(spec({ dns: { healthCheck: { protocol: 'TCP', port: 5432 } } })).template;
    // THEN
    str.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTP_STR_MATCH', SearchString: 'ok', ResourcePath: '/health', Port: 80 }),
    });
    tcp.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'TCP', Port: 5432, ResourcePath: Match.absent(), EnableSNI: Match.absent() }),
    });
  });

  test.each([
    [10, 3], [30, 1], [30, 10],
  ])('accepts interval %p s and failure threshold %p', (intervalSeconds, failureThreshold) => {
    // GIVEN / WHEN / THEN
    expect(() => synth(spec({ dns: { healthCheck: { intervalSeconds, failureThreshold } } }))).not.toThrow();
  });

  test.each([
    [15, 3, /intervalSeconds must be one of 10 or 30, got 15/],
    [60, 3, /intervalSeconds must be one of 10 or 30, got 60/],
    [10, 0, /failureThreshold must be between 1 and 10, got 0/],
    [10, 11, /failureThreshold must be between 1 and 10, got 11/],
  ])('rejects interval %p s / failure threshold %p', (intervalSeconds, failureThreshold, message) => {
    // GIVEN / WHEN / THEN
    expect(() => synth(spec({ dns: { healthCheck: { intervalSeconds, failureThreshold } } }))).toThrow(message);
  });

  test('reports every invalid setting at once', () => {
    // GIVEN / WHEN / THEN
    expect(() => synth(spec({ dns: { healthCheck: { intervalSeconds: 15, failureThreshold: 11 } } })))
      .toThrow(/intervalSeconds must be one of 10 or 30, got 15[\s\S]*failureThreshold must be between 1 and 10, got 11/);
  });

  test('rejects fewer than 3 checker regions', () => {
    // GIVEN / WHEN / THEN
    expect(() => synth(withCheckers(['us-east-1', 'us-west-2'])))
      .toThrow(/checkerRegions must list at least 3 regions, got 2/);
  });

  test('rejects checker regions Route 53 has no health checkers in, naming the allowed ones', () => {
    // GIVEN / WHEN / THEN
    expect(() => synth(withCheckers(['us-east-1', 'eu-central-1', 'us-west-2'])))
      .toThrow(/checkerRegions must be Route 53 checker regions, got eu-central-1; allowed: us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1/);
  });

  test('rejects a checker region listed twice', () => {
    // GIVEN / WHEN / THEN
    expect(() => synth(withCheckers(['us-east-1', 'us-west-2', 'us-east-1'])))
      .toThrow(/checkerRegions lists us-east-1 more than once/);
  });

  test('accepts three valid checker regions', () => {
    // GIVEN
    const { template } = synth(withCheckers(['us-east-1', 'eu-west-1', 'ap-northeast-1']));
    // THEN
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] }),
    });
  });

  test('failover: PRIMARY and SECONDARY CNAMEs with set identifiers, health checks and TTL 60', () => {
    // GIVEN / WHEN
    const { template } = synthDefault();
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'shop.example.com', Type: 'CNAME', TTL: '60', Failover: 'PRIMARY',
      SetIdentifier: 'shop-us-east-1-primary', ResourceRecords: ['use1.shop.example.com'],
      HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('hcuse1'), 'HealthCheckId'] },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'SECONDARY', SetIdentifier: 'shop-us-west-2-secondary', ResourceRecords: ['usw2.shop.example.com'],
      HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('hcusw2'), 'HealthCheckId'] }, TTL: '60',
    });
  });

  test.each(['latency', 'geolocation', 'weighted'] as const)('%s: TTL 60 on every record', (routing) => {
    // GIVEN / WHEN
    const { template, p } = synth(activeActive(routing));
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', p.dns.records.length);
    template.allResourcesProperties('AWS::Route53::RecordSet', { TTL: '60', Type: 'CNAME', Name: 'shop.example.com' });
  });

  test('latency: one record per region with Region', () => {
    // GIVEN / WHEN
    const { template } = synth(activeActive('latency'));
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Region: 'eu-west-1', SetIdentifier: 'shop-eu-west-1', TTL: '60', Type: 'CNAME' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Region: 'us-east-1', SetIdentifier: 'shop-us-east-1', TTL: '60' });
  });

  test('weighted: Weight from the spec', () => {
    // GIVEN / WHEN
    const { template } = synth(activeActive('weighted'));
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', { Weight: 3, SetIdentifier: 'shop-us-east-1', TTL: '60' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Weight: 1, SetIdentifier: 'shop-eu-west-1', TTL: '60' });
  });

  test('geolocation: continent records plus the default CountryCode "*" record', () => {
    // GIVEN / WHEN
    const { template, dns } = synth(activeActive('geolocation', { defaultRegion: 'eu-west-1' }));
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 3);
    template.hasResourceProperties('AWS::Route53::RecordSet', { GeoLocation: { ContinentCode: 'NA' }, SetIdentifier: 'shop-us-east-1-na', TTL: '60' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { GeoLocation: { ContinentCode: 'EU' }, TTL: '60' });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      GeoLocation: { CountryCode: '*' }, SetIdentifier: 'shop-default', ResourceRecords: ['euw1.shop.example.com'], TTL: '60',
    });
    expect(Object.keys(dns.records)).toContain('default');
  });

  test('geoproximity: record set groups with GeoProximityLocation and bias', () => {
    // GIVEN / WHEN
    const { template } = synth(activeActive('geoproximity'));
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::Route53::RecordSetGroup', 2);
    template.hasResourceProperties('AWS::Route53::RecordSetGroup', {
      RecordSets: [Match.objectLike({
        Name: 'shop.example.com', Type: 'CNAME', TTL: '60', SetIdentifier: 'shop-eu-west-1',
        GeoProximityLocation: { AWSRegion: 'eu-west-1', Bias: -5 },
        HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('hceuw1'), 'HealthCheckId'] },
      })],
    });
  });

  test('alias targets: A records without TTL', () => {
    // GIVEN
    const target = (dnsName: string): route53.IAliasRecordTarget => ({ bind: () => ({ dnsName, hostedZoneId: 'ZALB123' }) });
    // WHEN
    const { template } = synth(spec(), { aliasTargets: { 'us-east-1': target('alb-use1.aws'), 'us-west-2': target('alb-usw2.aws') } });
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A', Failover: 'PRIMARY', TTL: Match.absent(),
      AliasTarget: { DNSName: 'alb-use1.aws', HostedZoneId: 'ZALB123', EvaluateTargetHealth: false },
    });
  });

  test('alias targets must cover every record region', () => {
    // GIVEN
    const target: route53.IAliasRecordTarget = { bind: () => ({ dnsName: 'x', hostedZoneId: 'Z' }) };
    // WHEN / THEN
    expect(() => synth(spec(), { aliasTargets: { 'us-east-1': target } })).toThrow(/aliasTargets must name every region .* missing: us-west-2/);
    expect(() => synth(spec(), { aliasTargets: { 'us-east-1': target, 'us-west-2': target, 'ap-south-1': target } }))
      .toThrow(/aliasTargets names regions that are not in the plan: ap-south-1/);
  });

  test('a record at the zone apex needs alias targets: Route 53 allows no CNAME there', () => {
    // GIVEN
    const apex = spec({ dns: { recordName: 'example.com' } });
    const target: route53.IAliasRecordTarget = { bind: () => ({ dnsName: 'alb.aws', hostedZoneId: 'ZALB123' }) };
    // WHEN / THEN
    expect(() => synth(apex)).toThrow(/recordName example.com is the apex of zone example.com, where Route 53 allows no CNAME; pass aliasTargets/);
    expect(() => synth(apex, { aliasTargets: { 'us-east-1': target, 'us-west-2': target } })).not.toThrow();
  });

  test('uses the TTL of the plan, never the CDK default of 1800 s, and warns above 60 s', () => {
    // GIVEN / WHEN
    const { template, stack } = synth(spec({ dns: { ttlSeconds: 300 } }));
    // THEN
    template.allResourcesProperties('AWS::Route53::RecordSet', { TTL: '300' });
    Annotations.fromStack(stack).hasWarning('/Dns/Dns', Match.stringLikeRegexp('TTL 300 s .* above 60 s.*meridian:dns-ttl-long'));
  });

  test('no TTL warning at 60 s', () => {
    // GIVEN / WHEN
    const { stack } = synthDefault();
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('meridian:dns-ttl-long'));
  });

  test('health-check alarms on AWS/Route53 HealthCheckStatus with the real health check id', () => {
    // GIVEN / WHEN
    const { template, dns } = synthDefault();
    // THEN
    expect(Object.keys(dns.alarms).sort()).toEqual(['hc-use1-unhealthy', 'hc-usw2-unhealthy']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-usw2-endpoint-unhealthy',
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('hcusw2'), 'HealthCheckId'] } }],
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Period: 60,
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
  });

  test('alert topic encrypted with a rotating, retained key of the DNS stack, TLS enforced', () => {
    // GIVEN / WHEN
    const { template } = synth(spec({ alarms: { email: 'oncall@example.com' } }));
    // THEN
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/meridian/shop/dns' });
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'shop-dns-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DnsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });

  test('rejects a stack outside the DNS home region', () => {
    // GIVEN
    const p = plan(spec());
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Wrong', { env: { region: 'eu-west-1' } });
    // WHEN / THEN
    expect(() => new GeoDns(stack, 'Dns', { plan: p })).toThrow(/stack is in eu-west-1 but Route 53 health-check metrics and alarms live in us-east-1/);
  });

  test('works in an environment-agnostic stack', () => {
    // GIVEN
    const p = plan(spec());
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Agnostic');
    // WHEN
    new GeoDns(stack, 'Dns', { plan: p });
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', 2);
  });
});

describe('GeoDns with the built-in CloudFormation validation', () => {
  test('every routing policy, the dashboard and alias records pass, with validation issues as errors', () => {
    // GIVEN
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const target: route53.IAliasRecordTarget = { bind: () => ({ dnsName: 'alb.us-east-1.elb.amazonaws.com', hostedZoneId: 'Z35SXDOTRQ7X7K' }) };
    const specs: Array<[string, GeoSpec, GeoDnsProps['aliasTargets']?]> = [
      ['failover', spec({ dns: { healthCheck: { protocol: 'HTTPS_STR_MATCH', searchString: 'ok', checkerRegions: ['us-east-1', 'us-west-1', 'eu-west-1'] } } })],
      ['latency', activeActive('latency')],
      ['geolocation', activeActive('geolocation')],
      ['geoproximity', activeActive('geoproximity')],
      ['weighted', activeActive('weighted', { zoneId: 'Z0123456789ABC', healthCheck: { protocol: 'TCP', port: 5432 } })],
      ['alias', spec(), { 'us-east-1': target, 'us-west-2': target }],
    ];
    for (const [name, s, aliasTargets] of specs) {
      const p = plan(s);
      const stack = new Stack(app, `Dns-${name}`, { env: { region: 'us-east-1' } });
      const dns = new GeoDns(stack, 'Dns', { plan: p, aliasTargets });
      new DeploymentDashboard(stack, 'Dashboard', { plan: p, dns });
    }
    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
  });
});
