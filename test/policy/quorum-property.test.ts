/**
 * The quorum rules against a brute-force overlap check: for every 1 <= W, R <= N <= 9, enumerate every
 * W-subset and R-subset of N replicas and test whether they always intersect.
 */
import fc from 'fast-check';
import { evaluate } from '../../lib/policy';
import { quorumStrong, quorumWriters } from '../../lib/policy/rules';
import { baseFacts, patch } from './helpers';
import { at } from '../../lib/model/lookup';

const subsetsBySize = (n: number): number[][] => {
  const bySize: number[][] = Array.from({ length: n + 1 }, () => []);
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    at(bySize, bits, 'subsets of that size').push(mask);
  }
  return bySize;
};
const SUBSETS = Array.from({ length: 10 }, (_, n) => subsetsBySize(n));

/** True when every a-subset meets every b-subset of n replicas. */
function alwaysIntersect(n: number, a: number, b: number): boolean {
  const subsets = at(SUBSETS, n, 'subsets of n replicas');
  const as = at(subsets, a, 'a-subsets');
  const bs = at(subsets, b, 'b-subsets');
  return as.every((x) => bs.every((y) => (x & y) !== 0));
}

const single = baseFacts();
const multi = baseFacts({
  mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
});
const strong = (base: typeof single, n: number, w: number, r: number) =>
  patch(base, { data: { ...base.data!, consistency: 'strong', quorum: { replicas: n, writeQuorum: w, readQuorum: r } } });

const TRIPLES: [number, number, number][] = [];
for (let n = 1; n <= 9; n++) for (let w = 1; w <= n; w++) for (let r = 1; r <= n; r++) TRIPLES.push([n, w, r]);

test('brute force agrees with W + R > N for all N <= 9', () => {
  for (const [n, w, r] of TRIPLES) expect([n, w, r, alwaysIntersect(n, w, r)]).toEqual([n, w, r, w + r > n]);
});

test('GEO-QUORUM-002 fires exactly when some read quorum misses some write quorum', () => {
  for (const [n, w, r] of TRIPLES) {
    const fired = evaluate(strong(single, n, w, r), { rules: [quorumStrong] }).findings.length > 0;
    expect([n, w, r, fired]).toEqual([n, w, r, !alwaysIntersect(n, w, r)]);
  }
});

test('GEO-QUORUM-003 fires with several writers exactly when two write quorums can be disjoint', () => {
  for (const [n, w, r] of TRIPLES) {
    const fired = evaluate(strong(multi, n, w, r), { rules: [quorumWriters] }).findings.length > 0;
    expect([n, w, r, fired]).toEqual([n, w, r, !alwaysIntersect(n, w, w)]);
  }
});

test('property: a strong, single-writer quorum passes GEO-QUORUM-002 iff every read sees every write', () => {
  const triple = fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n })));
  fc.assert(fc.property(triple, ([n, w, r]) => {
    const passes = evaluate(strong(single, n, w, r), { rules: [quorumStrong] }).findings.length === 0;
    return passes === alwaysIntersect(n, w, r);
  }), { numRuns: 200 });
});
