import {
  allocateBlocks, describeValue, MAX_REPORTED_ISSUES, parseCidr, parseSpecText, plan, SpecError, type Cidr, type GeoSpec,
} from '../../lib/model';
import { evaluate, type Facts } from '../../lib/policy';
import { baseFacts, patch } from '../policy/helpers';
import { at } from '../../lib/model/lookup';
import { TWO_REGION_SPEC } from './fixtures';

// Inputs built to hurt: each must end in a SpecError (or a report) quickly, with bounded output.

const base: GeoSpec = TWO_REGION_SPEC;

function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

function timed<T>(fn: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t0 };
}

describe('describeValue and SpecError.format never throw and stay short', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const throwing = Object.defineProperty({}, 'boom', { enumerable: true, get() { throw new Error('getter'); } });
  test.each([
    ['a cycle', cyclic, /\{"a":1,"self":"\[Circular\]"\}/],
    ['a BigInt', 10n ** 30n, /^1000000000000000000000000000000n$/],
    ['a BigInt inside an object', { n: 1n }, /\{"n":"1n"\}/],
    ['a throwing getter', throwing, /^\[object Object\]$/],
    ['a 50 MB string', 'x'.repeat(50_000_000), /^"x{119}… \(\d+ characters\)$/],
    ['a million-element array', new Array(1_000_000).fill(7), /"… 999980 more"/],
    ['control characters', 'a\u001b[31mred\u0007\r\nforged', /^"a\\u001b\[31mred\\u0007\\r\\nforged"$/],
    ['undefined', undefined, /^undefined$/],
    ['a symbol', Symbol('s'), /^Symbol\(s\)$/],
  ])('%s', (_what, value, expected) => {
    const text = describeValue(value);
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(text.length).toBeLessThan(200);
  });

  test('issues are capped with "… and N more"; the message stays small', () => {
    const issues = Array.from({ length: 100_000 }, (_, i) => ({ path: `regions[${i}].name`, message: 'listed twice', value: 'us-east-1' }));
    const message = new SpecError(issues, 'spec.yaml').message;
    expect(message.split('\n')).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(message).toMatch(/\n… and 99,950 more$/);
    expect(message.length).toBeLessThan(10_000);
  });

  test('hostile issue fields (cyclic values, BigInt, huge messages) still format', () => {
    const cyclic2: { me?: unknown } = {};
    cyclic2.me = cyclic2;
    const e = new SpecError([{ path: 'x', message: 'm'.repeat(10_000_000), value: cyclic2 }, { path: 'y', message: 'n', value: 5n }]);
    expect(e.message.length).toBeLessThan(3_000);
    expect(e.message).toMatch(/y: n \(got 5n\)$/);
  });
});

describe('cost: nothing worse than n log n in the size of the input', () => {
  test('100,000 duplicate region entries: a SpecError of bounded size, in seconds not minutes', () => {
    const regions = [at(base.regions, 0, 'base region'), ...Array.from({ length: 100_000 }, () => ({ name: 'eu-west-1' as const, role: 'secondary' as const }))];
    const { result: e, ms } = timed(() => specError(() => plan({ ...base, regions })));
    // 99,999 repeats, plus the Aurora and FIS limits a list that long also breaks.
    expect(e.issues.filter((i) => /is listed twice/.test(i.message))).toHaveLength(99_999);
    expect(e.message.length).toBeLessThan(20_000);
    expect(e.message).toMatch(/\n… and 99,951 more$/);
    expect(ms).toBeLessThan(30_000);
  });

  test('64k tags in YAML: duplicate keys are found in linear time, then the tag count is refused', () => {
    const lines = Array.from({ length: 64_000 }, (_, i) => `  k${i}: v`);
    const yaml = (extra: string[]) => [
      'name: orders', 'mode: active-passive', 'regions:', '  - { name: us-east-1, role: primary }', '  - { name: eu-west-1, role: secondary }',
      'data: { engine: aurora-postgresql, classification: internal }', 'dns: { zoneName: example.com, recordName: api.example.com, routing: failover }',
      'tags:', ...lines, ...extra,
    ].join('\n');
    const dup = timed(() => specError(() => parseSpecText(yaml(['  k17: again']), 'big.yaml')));
    expect(dup.result.message).toMatch(/^big\.yaml:64009: \(root\): duplicate key "k17" \(first at line 26\); keys must be unique$/m);
    const many = timed(() => specError(() => parseSpecText(yaml([]), 'big.yaml')));
    expect(many.result.message).toMatch(/tags: 64000 tags; allowed: at most 32/);
    // A quadratic check would take minutes here (64,000² key comparisons); the bound leaves room for a
    // shared, loaded machine (about 3 s idle).
    expect(dup.ms + many.ms).toBeLessThan(60_000);
  });

  test('64k suppressions against a report: matching is indexed', () => {
    const f = baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 300 } });
    const suppressions = Array.from({ length: 64_000 }, (_, i) => ({ rule: 'GEO-DNS-001', reason: 'a long enough reason', resource: `other-${i}` }));
    suppressions.push({ rule: 'GEO-DNS-001', reason: 'legacy clients pin the TTL', resource: 'us-west-2' });
    const { result: report, ms } = timed(() => evaluate(patch(f, { suppressions }) as Facts, { now: new Date('2026-06-01T00:00:00Z') }));
    expect(report.findings.filter((x) => x.ruleId === 'GEO-DNS-001').map((x) => x.suppressed)).toEqual([false, true]);
    // Every suppression that matched nothing is reported once (GEO-META-003).
    expect(report.findings.filter((x) => x.ruleId === 'GEO-META-003')).toHaveLength(64_000);
    // One scan per finding would be 64,000 × findings comparisons; indexed it is about 1 s idle.
    expect(ms).toBeLessThan(20_000);
  });

  test('baseCidr 0.0.0.0/0 is refused by the schema at once', () => {
    const { result: e, ms } = timed(() => specError(() => plan({ ...base, network: { baseCidr: '0.0.0.0/0', regionPrefixLength: 24 } })));
    expect(e.message).toMatch(/network\.baseCidr: 0\.0\.0\.0\/0 overlaps the "this network" \(0\.0\.0\.0\/8\) range/);
    expect(ms).toBeLessThan(1_000);
  });

  test('the allocator jumps over taken blocks instead of scanning every candidate', () => {
    const cidr = (t: string) => parseCidr(t) as Cidr;
    // 65,536 /24 candidates in a /8; the first half is taken by one /9.
    const { result, ms } = timed(() => allocateBlocks(cidr('10.0.0.0/8'), 24, [cidr('10.0.0.0/9')], 3));
    expect(result.map((c) => c.text)).toEqual(['10.128.0.0/24', '10.128.1.0/24', '10.128.2.0/24']);
    // A full base fails fast: 16 million /28 candidates behind one taken /8.
    const full = timed(() => allocateBlocks(cidr('10.0.0.0/8'), 28, [cidr('10.0.0.0/8')], 1));
    expect(full.result).toEqual([]);
    expect(ms + full.ms).toBeLessThan(100);
  });

  test('a base too small says which region found no room', () => {
    const regions = [at(base.regions, 0, 'base region'), { name: 'eu-west-1' as const, role: 'secondary' as const }, { name: 'us-west-2' as const, role: 'secondary' as const, cidr: '10.0.0.0/17' }];
    expect(() => plan({ ...base, regions, network: { baseCidr: '10.0.0.0/16', regionPrefixLength: 17 } }))
      .toThrow(/regions\[1\]\.cidr: no free \/17 left in network\.baseCidr 10\.0\.0\.0\/16 for eu-west-1/);
  });
});
