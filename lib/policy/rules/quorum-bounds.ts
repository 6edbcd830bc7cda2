import { isUnknown, unknownFinding } from './util';
import type { Facts } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

export interface QuorumValues { readonly n: number; readonly w: number; readonly r: number }

/**
 * The declared quorum when every value is known and in range; `unknown` findings when something is
 * unresolved; undefined when there is no quorum (not applicable) or it is out of range (GEO-QUORUM-001).
 */
export function knownQuorum(facts: Facts): { quorum?: QuorumValues; unknown?: RuleFinding } {
  if (facts.data === null) return {};
  if (isUnknown(facts.data)) return { unknown: unknownFinding('data', 'the data description') };
  const q = facts.data.quorum;
  if (q === null) return {};
  if (isUnknown(q)) return { unknown: unknownFinding('data.quorum', 'the quorum') };
  if (isUnknown(q.replicas) || isUnknown(q.writeQuorum) || isUnknown(q.readQuorum)) {
    return { unknown: unknownFinding('data.quorum', 'N, W or R') };
  }
  const [n, w, r] = [q.replicas, q.writeQuorum, q.readQuorum];
  const ok = (x: number) => Number.isInteger(x) && x >= 1 && x <= n;
  if (!Number.isInteger(n) || n < 1 || !ok(w) || !ok(r)) return {};
  return { quorum: { n, w, r } };
}

export const quorumBounds: Rule = {
  id: 'GEO-QUORUM-001',
  title: 'Quorum sizes lie between 1 and N',
  severity: 'error',
  rationale: 'A write quorum W or read quorum R of 0 acknowledges nothing, and one larger than the replica count N can never be met, so every operation would fail.',
  remediation: 'Set data.quorum so that 1 <= writeQuorum <= replicas and 1 <= readQuorum <= replicas.',
  check(facts) {
    const { unknown } = knownQuorum(facts);
    if (unknown) return [unknown];
    const q = facts.data?.quorum;
    if (!q) return [];
    const n = q.replicas as number; // known: knownQuorum reported unresolved values above
    const out: RuleFinding[] = [];
    if (!Number.isInteger(n) || n < 1) {
      out.push({ resource: 'data.quorum.replicas', message: `replicas (N) must be a whole number of at least 1, got ${n}`, value: n, limit: 1 });
      return out;
    }
    for (const [field, letter, v] of [['writeQuorum', 'W', q.writeQuorum as number], ['readQuorum', 'R', q.readQuorum as number]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > n) {
        out.push({
          resource: `data.quorum.${field}`,
          message: `${field} (${letter}) must be a whole number between 1 and N=${n}, got ${v}`,
          value: v, limit: `1..${n}`,
        });
      }
    }
    return out;
  },
};
