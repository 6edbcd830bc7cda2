import { knownQuorum } from './quorum-bounds';
import type { Rule } from '../types';

export const quorumTolerance: Rule = {
  id: 'GEO-QUORUM-004',
  title: 'Quorum failure tolerance (N − W for writes, N − R for reads)',
  severity: 'info',
  rationale: 'A quorum keeps working while at most N − W replicas are down for writes and N − R for reads; operators should know these numbers before an outage.',
  remediation: 'None needed; informational. Lower W or R (keeping W + R > N where strong consistency is required) to tolerate more failures.',
  check(facts) {
    const { quorum, unknown } = knownQuorum(facts);
    if (unknown) return [unknown];
    if (!quorum) return [];
    const { n, w, r } = quorum;
    return [
      { resource: 'data.quorum.writeQuorum', message: `writes tolerate ${n - w} of ${n} replicas failing (N − W = ${n} − ${w})`, value: n - w },
      { resource: 'data.quorum.readQuorum', message: `reads tolerate ${n - r} of ${n} replicas failing (N − R = ${n} − ${r})`, value: n - r },
    ];
  },
};
