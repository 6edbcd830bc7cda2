import { parseSpec, parseSpecText, SpecError, specJsonSchema, type GeoSpec } from '../../lib/model';
import { withPlainEnv } from '../../lib/model/plain-env';
import { specIssues, TWO_REGION_SPEC } from './fixtures';

const base: GeoSpec = TWO_REGION_SPEC;

function issuesOf(fn: () => unknown): SpecError['issues'] {
  const issues = specIssues(fn);
  if (issues === undefined) throw new Error('expected a SpecError');
  return issues;
}

describe('spec schema', () => {
  test('fills the safety defaults', () => {
    const s = parseSpec(base);
    expect(s.dns.ttlSeconds).toBe(60);
    expect(s.dns.healthCheck).toEqual({ protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 });
    expect(s.alarms).toMatchObject({ replicationLagWarningSeconds: 30, replicationLagCriticalSeconds: 300 });
    expect(s.network).toMatchObject({ baseCidr: '10.0.0.0/8', peering: 'full-mesh' });
  });

  test.each([
    [{ ...base, name: 'Orders' }, 'name', /\[a-z\]\[a-z0-9-\]\*/],
    [{ ...base, mode: 'hot-hot' }, 'mode', /active-passive/],
    [{ ...base, regions: [{ name: 'eu-middle-9', role: 'primary' }] }, 'regions[0].name', /unknown AWS region "eu-middle-9"/],
    [{ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr: '10.0.0.1/16' }] }, 'regions[0].cidr', /host bits are set/],
    [{ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr: '300.0.0.0/16' }] }, 'regions[0].cidr', /octet/],
    [{ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr: 'ten/8' }] }, 'regions[0].cidr', /malformed CIDR "ten\/8"/],
    [{ ...base, data: { ...base.data, residency: ['Europe'] } }, 'data.residency[0]', /ISO 3166-1/],
    [{ ...base, dns: { ...base.dns, ttlSeconds: 'sixty' } }, 'dns.ttlSeconds', /number/],
    [{ ...base, colour: 'blue' }, 'colour', /unknown field "colour"/],
    [{ ...base, dns: { ...base.dns, healthCheck: { checkerRegions: ['us-east-1', 'eu-central-1', 'us-west-2'] } } }, 'dns.healthCheck.checkerRegions[1]', /not a Route 53 health-checker region; allowed: us-east-1, /],
    [{ ...base, dns: { ...base.dns, healthCheck: { checkerRegions: ['us-east-1', 'us-west-2'] } } }, 'dns.healthCheck.checkerRegions', /at least 3 checker regions/],
    [{ ...base, dns: { ...base.dns, healthCheck: { checkerRegions: ['us-east-1', 'us-west-2', 'us-east-1'] } } }, 'dns.healthCheck.checkerRegions', /must not repeat/],
    [{ ...base, suppressions: [{ rule: 'GEO-DNS-001', reason: 'because' }] }, 'suppressions[0].reason', /reason of at least 10/],
    [{ ...base, suppressions: [{ rule: 'DNS1', reason: 'legacy resolver pool' }] }, 'suppressions[0].rule', /GEO-DNS-001/],
  ] as Array<[unknown, string, RegExp]>)('rejects bad input at %#: path %s', (input, path, message) => {
    const issues = issuesOf(() => parseSpec(input));
    const issue = issues.find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  test('reports every bad field at once, with the value received', () => {
    const issues = issuesOf(() => parseSpec({ ...base, name: '9lives', mode: 'x' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['mode', 'name']);
    expect(issues.find((i) => i.path === 'name')!.value).toBe('9lives');
  });

  test('file errors carry the line of the bad field', () => {
    const text = [
      'name: orders',
      'mode: active-passive',
      'regions:',
      '  - name: us-east-1',
      '    role: primary',
      '  - name: eu-west-1',
      '    role: secondary',
      '    cidr: 10.1.0.0/33',
      'data: { engine: aurora-postgresql, classification: internal }',
      'dns: { zoneName: example.com, recordName: api.example.com, routing: failover }',
    ].join('\n');
    const err = (() => { try { parseSpecText(text, 'spec.yaml'); } catch (e) { return e as SpecError; } return undefined; })();
    expect(err).toBeInstanceOf(SpecError);
    expect(err!.issues[0]).toMatchObject({ path: 'regions[1].cidr', line: 8 });
    expect(err!.message).toMatch(/^spec\.yaml:8: regions\[1\]\.cidr: malformed CIDR/);
  });

  test('YAML syntax errors name the line', () => {
    expect(() => parseSpecText('name: [unclosed\nmode: x', 'bad.yaml')).toThrow(/bad\.yaml:\d+: /);
  });

  test('JSON specs parse through the same schema', () => {
    expect(parseSpecText(JSON.stringify(base), 'spec.json').name).toBe('orders');
  });

  test('the JSON Schema for editors describes the fields', () => {
    const schema = specJsonSchema() as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(schema.properties.mode?.enum).toEqual(['active-passive', 'active-active', 'partitioned']);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'mode', 'regions', 'data', 'dns']));
  });
});

describe('withPlainEnv: the YAML parse reads a plain copy of process.env', () => {
  test('the copy has the same values; the real process.env is back after a return and after a throw', () => {
    const real = process.env;
    const seen = withPlainEnv(() => ({ same: process.env === real, path: process.env.PATH, keys: Object.keys(process.env).length }));
    expect(seen).toEqual({ same: false, path: real.PATH, keys: Object.keys(real).length });
    expect(process.env).toBe(real);
    expect(() => withPlainEnv(() => { throw new Error('boom'); })).toThrow(/^boom$/);
    expect(process.env).toBe(real);
  });
});
