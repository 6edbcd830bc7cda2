import { knownQuorum } from './quorum-bounds';
import type { Rule, RuleFinding } from '../types';

export const quorumNoTolerance: Rule = {
  id: 'GEO-QUORUM-005',
  title: 'A quorum equal to N tolerates no replica failure',
  severity: 'warning',
  rationale: 'With W = N (or R = N) every replica must answer, so one slow or failed replica blocks every write (or read). The article\'s "Fast writes: W=3, R=1, N=3" row has it backwards: W = N makes writes the slow, fragile side.',
  remediation: 'Lower the quorum below N, balancing W and R (for N=3, W=2 and R=2).',
  check(facts) {
    const { quorum, unknown } = knownQuorum(facts);
    if (unknown) return [unknown];
    if (!quorum) return [];
    const { n, w, r } = quorum;
    const out: RuleFinding[] = [];
    if (w === n) out.push({ resource: 'data.quorum.writeQuorum', message: `W=${w} equals N=${n}: every write waits for every replica and fails if one is down`, value: w, limit: n - 1 });
    if (r === n) out.push({ resource: 'data.quorum.readQuorum', message: `R=${r} equals N=${n}: every read waits for every replica and fails if one is down`, value: r, limit: n - 1 });
    return out;
  },
};
