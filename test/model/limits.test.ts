import {
  AURORA_GLOBAL, FIS_QUOTAS, MAX_USER_TAGS, NAME_RULES, nameProblem, parseSpec, plan, REGION_CODES, regionInfo, regionShort,
  ROUTE53, SPEC_NAME, SpecError, TAGS, type GeoSpec,
} from '../../lib/model';
import { specIssues, TWO_REGION_SPEC } from './fixtures';

// Every AWS limit the schema or plan() enforces: one case at the limit (accepted) and one past it
// (refused, with the limit and its source in the message).

const base: GeoSpec = TWO_REGION_SPEC;

const issuesOf = (fn: () => unknown): SpecError['issues'] => specIssues(fn) ?? [];

/** The message of the issue at `path`, or undefined when the input is accepted there. */
function problemAt(input: unknown, path: string, run: (i: never) => unknown = parseSpec): string | undefined {
  return issuesOf(() => run(input as never)).find((i) => i.path === path)?.message;
}

const label = (n: number) => 'a'.repeat(n);
/** A DNS name of exactly `length` characters under example.com, in labels of at most 63. */
function fqdn(length: number): string {
  const suffix = '.example.com';
  let body = length - suffix.length;
  const labels: string[] = [];
  while (body > 63) {
    const take = Math.min(63, body - 2);
    labels.push(label(take));
    body -= take + 1;
  }
  labels.push(label(body));
  return `${labels.join('.')}${suffix}`;
}
const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`team${i}`, 'x']));
const aws = REGION_CODES.filter((c) => regionInfo(c)?.partition === 'aws');

describe('schema limits: at the limit accepted, one past refused', () => {
  test.each([
    ['name length', 'name', 'a'.repeat(SPEC_NAME.maxLength), 'a'.repeat(SPEC_NAME.maxLength + 1), /at most 40/],
    ['name ends in a hyphen', 'name', 'orders-x', 'orders-', /must not end with a hyphen or contain two hyphens/],
    ['name doubles a hyphen', 'name', 'orders-eu', 'orders--eu', /API_CreateDBCluster/],
  ])('%s', (_what, path, ok, bad, message) => {
    expect(problemAt({ ...base, [path]: ok }, path)).toBeUndefined();
    expect(problemAt({ ...base, [path]: bad }, path)).toMatch(message);
  });

  test.each([
    ['/16', '10.0.0.0/16', '10.0.0.0/15', /netmask between \/16 and \/28, got \/15 \(https:\/\/docs.aws.amazon.com\/vpc\//],
    ['/28', '10.0.0.0/28', '10.0.0.0/29', /got \/29/],
    ['loopback', '126.0.0.0/16', '127.0.0.0/16', /loopback/],
    ['multicast', '223.255.0.0/16', '224.0.0.0/16', /multicast/],
    ['link-local', '169.253.0.0/16', '169.254.0.0/16', /link-local/],
    ['this network', '1.0.0.0/16', '0.0.0.0/16', /this network/],
    ['class E', '10.0.0.0/16', '240.0.0.0/16', /reserved and broadcast/],
  ])('region VPC CIDR %s', (_what, ok, bad, message) => {
    const at = (cidr: string) => ({ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr }, base.regions[1]] });
    expect(problemAt(at(ok), 'regions[0].cidr')).toBeUndefined();
    expect(problemAt(at(bad), 'regions[0].cidr')).toMatch(message);
  });

  test.each([
    ['0.0.0.0/0', /this network/],
    ['128.0.0.0/1', /link-local/],
  ])('base CIDR %s over reserved ranges is refused', (bad, message) => {
    expect(problemAt({ ...base, network: { baseCidr: '10.0.0.0/8' } }, 'network.baseCidr')).toBeUndefined();
    expect(problemAt({ ...base, network: { baseCidr: bad } }, 'network.baseCidr')).toMatch(message);
  });

  test.each([
    ['key length', { [label(TAGS.keyMaxLength)]: 'x' }, { [label(TAGS.keyMaxLength + 1)]: 'x' }, label(129), /key must be 1 to 128 characters, got 129/],
    ['value length', { team: label(TAGS.valueMaxLength) }, { team: label(TAGS.valueMaxLength + 1) }, 'team', /value must be at most 256 characters, got 257/],
    ['aws: prefix', { 'awsx:team': 'x' }, { 'aws:team': 'x' }, 'aws:team', /"aws:" prefix is reserved/],
    ['AWS: prefix, any case', { 'team:aws': 'x' }, { 'AWS:team': 'x' }, 'AWS:team', /reserved/],
    ['characters', { 'team/cost=1@a b': 'x' }, { 'team<1>': 'x' }, 'team<1>', /may contain only letters, digits, spaces/],
  ])('tag %s', (_what, ok, bad, key, message) => {
    expect(issuesOf(() => parseSpec({ ...base, tags: ok }))).toEqual([]);
    expect(problemAt({ ...base, tags: bad }, `tags.${key}`)).toMatch(message);
  });

  test('tag count: 50 per resource, minus the ones Meridian adds', () => {
    expect(MAX_USER_TAGS).toBe(50 - TAGS.meridianPerResource);
    expect(problemAt({ ...base, tags: tags(MAX_USER_TAGS) }, 'tags')).toBeUndefined();
    expect(problemAt({ ...base, tags: tags(MAX_USER_TAGS + 1) }, 'tags')).toMatch(/33 tags; allowed: at most 32, because a resource takes 50 tags and Meridian adds up to 18 .*tagging\.html/);
  });

  test('health-check path: 255 characters', () => {
    const at = (path: string) => ({ ...base, dns: { ...base.dns, healthCheck: { path } } });
    expect(problemAt(at(`/${label(ROUTE53.healthCheckPathMaxLength - 1)}`), 'dns.healthCheck.path')).toBeUndefined();
    expect(problemAt(at(`/${label(ROUTE53.healthCheckPathMaxLength)}`), 'dns.healthCheck.path')).toMatch(/at most 255 characters \(https:\/\/docs.aws.amazon.com\/Route53\/latest\/APIReference\/API_HealthCheckConfig.html\)/);
  });

  test('DNS names: 253 characters, labels of 63', () => {
    const at = (recordName: string) => ({ ...base, dns: { ...base.dns, recordName } });
    expect(fqdn(253)).toHaveLength(253);
    expect(problemAt(at(fqdn(253)), 'dns.recordName')).toBeUndefined();
    expect(problemAt(at(fqdn(254)), 'dns.recordName')).toMatch(/at most 253 characters, labels of at most 63/);
    expect(problemAt(at(`${label(63)}.example.com`), 'dns.recordName')).toBeUndefined();
    expect(problemAt(at(`${label(64)}.example.com`), 'dns.recordName')).toMatch(/labels of at most 63 \(https:\/\/docs.aws.amazon.com\/Route53\//);
  });

  test.each([
    ['UK', /"UK" is not a jurisdiction \(did you mean GB\?\)/],
    ['EL', /did you mean GR\?/],
    ['de', /did you mean DE\?/],
    ['XX', /"XX" is not a jurisdiction; allowed: an ISO 3166-1 alpha-2 country code/],
  ])('jurisdiction %s is not an ISO 3166-1 code', (code, message) => {
    expect(problemAt({ ...base, data: { ...base.data, residency: ['GB', 'EU', 'EEA', 'CH'] } }, 'data.residency[0]')).toBeUndefined();
    expect(problemAt({ ...base, data: { ...base.data, residency: [code] } }, 'data.residency[0]')).toMatch(message);
  });

  test('residency: at least one jurisdiction', () => {
    expect(problemAt({ ...base, data: { ...base.data, residency: ['US'] } }, 'data.residency')).toBeUndefined();
    expect(problemAt({ ...base, data: { ...base.data, residency: [] } }, 'data.residency')).toMatch(/at least one jurisdiction/);
  });

  test.each([
    ['2099-02-28', '2099-02-31', /2099-02-31 is not a calendar date \(month 2 has no day 31\)/],
    ['2028-02-29', '2100-02-29', /month 2 has no day 29/],
    ['2099-12-31', '2099-13-01', /month 13 does not exist/],
    ['2099-01-01', '2099-1-1', /expected a date YYYY-MM-DD/],
  ])('suppression expiry %s accepted, %s refused', (ok, bad, message) => {
    const at = (expires: string) => ({ ...base, suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy clients pin it', expires }] });
    expect(problemAt(at(ok), 'suppressions[0].expires')).toBeUndefined();
    expect(problemAt(at(bad), 'suppressions[0].expires')).toMatch(message);
  });

  test('experiments are unique', () => {
    expect(problemAt({ ...base, experiments: ['region-isolation', 'database-failover'] }, 'experiments')).toBeUndefined();
    expect(problemAt({ ...base, experiments: ['region-isolation', 'region-isolation'] }, 'experiments')).toMatch(/must not repeat/);
  });
});

describe('plan() limits that span several fields', () => {
  const regions = (n: number, first: 'primary' | 'active') => aws.slice(0, n).map((name, i) => ({
    name, role: first === 'primary' ? (i === 0 ? 'primary' : 'secondary') : 'active',
  }));

  test(`Aurora: ${AURORA_GLOBAL.maxSecondaryRegions} secondary regions, not one more`, () => {
    const at = (n: number) => ({ ...base, regions: regions(n, 'primary'), network: { baseCidr: '10.0.0.0/8', peering: 'none' } });
    expect(problemAt(at(AURORA_GLOBAL.maxSecondaryRegions + 1), 'regions', plan)).toBeUndefined();
    expect(problemAt(at(AURORA_GLOBAL.maxSecondaryRegions + 2), 'regions', plan))
      .toMatch(/would have 11 secondary regions; an Aurora global database allows at most 10 \(https:\/\/docs.aws.amazon.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database.configuration.requirements.html\)/);
  });

  test(`FIS: region isolation needs one action per other region, at most ${FIS_QUOTAS.actionsPerTemplate}`, () => {
    const at = (n: number, experiments?: GeoSpec['experiments']) => ({
      ...base, mode: 'active-active', regions: regions(n, 'active'), data: { engine: 'dynamodb', classification: 'internal' },
      dns: { ...base.dns, routing: 'latency' }, network: { baseCidr: '10.0.0.0/8', peering: 'none' }, experiments,
    });
    expect(problemAt(at(FIS_QUOTAS.actionsPerTemplate + 1), 'experiments', plan)).toBeUndefined();
    expect(problemAt(at(FIS_QUOTAS.actionsPerTemplate + 2), 'experiments', plan)).toMatch(/region-isolation would need 21 actions .* FIS allows 20 actions per template/);
    expect(problemAt(at(FIS_QUOTAS.actionsPerTemplate + 2, ['dynamodb-replication-pause']), 'experiments', plan)).toBeUndefined();
  });

  test('DynamoDB: a table name of 3 characters, not 2', () => {
    const at = (name: string) => ({ ...base, name, mode: 'active-active', regions: regions(2, 'active'), data: { engine: 'dynamodb', classification: 'internal' }, dns: { ...base.dns, routing: 'latency' } });
    expect(problemAt(at('abc'), 'name', plan)).toBeUndefined();
    expect(problemAt(at('ab'), 'name', plan)).toMatch(/DynamoDB table name "ab" is 2 characters long; allowed: 3 to 255 .*NamingRulesDataTypes/);
  });

  test('the name budget holds for every region: a 40-character name plans in the longest region of each partition', () => {
    const name = 'a'.repeat(SPEC_NAME.maxLength);
    const longest = (partition: string) => REGION_CODES.filter((c) => regionInfo(c)?.partition === partition)
      .sort((x, y) => regionShort(y).length - regionShort(x).length || y.length - x.length)[0];
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc']) {
      const r = longest(partition);
      const spec = { ...base, name, mode: 'active-active', regions: [{ name: r, role: 'active' }, ...REGION_CODES.filter((c) => c !== r && regionInfo(c)?.partition === partition).slice(0, 1).map((c) => ({ name: c, role: 'active' }))], dns: { ...base.dns, routing: 'latency' } } as GeoSpec;
      if (spec.regions.length < 2) continue;
      const p = plan(spec);
      // The longest derived name: the FIS role, within IAM's 64.
      for (const e of p.experiments) expect(e.roleName.length).toBeLessThanOrEqual(NAME_RULES.iamRole.maxLength);
    }
  });
});

describe('nameProblem', () => {
  test.each([
    [NAME_RULES.auroraCluster, 'orders-us-east-1', undefined],
    [NAME_RULES.auroraCluster, 'orders--us-east-1', /must not end with a hyphen or contain two hyphens in a row/],
    [NAME_RULES.auroraCluster, `a${'b'.repeat(62)}`, undefined],
    [NAME_RULES.auroraCluster, `a${'b'.repeat(63)}`, /64 characters long; allowed: 1 to 63/],
    [NAME_RULES.auroraCluster, '1orders', /must start with a letter/],
    [NAME_RULES.iamRole, 'r'.repeat(64), undefined],
    [NAME_RULES.iamRole, 'r'.repeat(65), /IAM role name .* allowed: 1 to 64/],
    [NAME_RULES.kmsAlias, 'alias/meridian/orders', undefined],
    [NAME_RULES.kmsAlias, 'alias/aws/orders', /reserved for AWS/],
    [NAME_RULES.snsTopic, 't'.repeat(256), undefined],
    [NAME_RULES.snsTopic, 't'.repeat(257), /SNS topic name/],
    [NAME_RULES.logGroup, `/${'l'.repeat(511)}`, undefined],
    [NAME_RULES.logGroup, `/${'l'.repeat(512)}`, /log group name/],
    [NAME_RULES.alarm, 'a'.repeat(255), undefined],
    [NAME_RULES.alarm, 'a'.repeat(256), /alarm name/],
    [NAME_RULES.stack, 's'.repeat(128), undefined],
    [NAME_RULES.stack, 's'.repeat(129), /stack name/],
    [NAME_RULES.dynamoDbTable, 'abc', undefined],
    [NAME_RULES.dynamoDbTable, 'a/b', /may contain only letters, digits, _ . -/],
    [NAME_RULES.secret, `meridian/${'s'.repeat(503)}`, undefined],
    [NAME_RULES.secret, 'meridian/orders global', /Secrets Manager secret name .* may contain only/],
    [NAME_RULES.dashboard, 'd'.repeat(255), undefined],
    [NAME_RULES.dashboard, 'd'.repeat(256), /dashboard name/],
    [NAME_RULES.route53SetIdentifier, 'x'.repeat(128), undefined],
    [NAME_RULES.route53SetIdentifier, 'x'.repeat(129), /record set identifier/],
  ] as const)('%#: %s', (rule, name, expected) => {
    const problem = nameProblem(rule, name);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
  test('echoes long names cut short', () => {
    expect(nameProblem(NAME_RULES.stack, 's'.repeat(100_000))!.length).toBeLessThan(400);
  });
});
