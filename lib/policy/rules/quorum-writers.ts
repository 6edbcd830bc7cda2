import { knownQuorum } from './quorum-bounds';
import { unknownFinding, writerCount } from './util';
import type { Rule } from '../types';

export const quorumWriters: Rule = {
  id: 'GEO-QUORUM-003',
  title: 'Strong consistency with several writers needs a majority write quorum (W > N/2)',
  severity: 'error',
  rationale: 'W + R > N only makes reads see the last acknowledged write. When several regions write concurrently, two write quorums must also intersect, which needs W > N/2; otherwise two writers can both succeed on disjoint replicas.',
  remediation: 'Raise writeQuorum above half of replicas, route all writes to one region (active-passive), or relax consistency.',
  check(facts) {
    const { quorum, unknown } = knownQuorum(facts);
    if (unknown) return [unknown];
    if (!quorum || 2 * quorum.w > quorum.n) return [];
    const consistency = facts.data?.consistency;
    if (consistency === undefined) return [unknownFinding('data.consistency', 'the consistency level')];
    if (consistency !== 'strong') return [];
    const { writers, unknown: writersUnknown } = writerCount(facts);
    const several = facts.mode === 'active-active' || writers > 1;
    if (!several) {
      return facts.mode === undefined || writersUnknown ? [unknownFinding('data.quorum', 'the number of writing regions')] : [];
    }
    const { n, w } = quorum;
    return [{
      resource: 'data.quorum.writeQuorum',
      message: `${facts.mode === 'active-active' ? 'active-active' : `${writers} writing regions`} with strong consistency need W > N/2 so concurrent writes intersect, but W=${w} is not greater than ${n / 2}; use W >= ${Math.floor(n / 2) + 1}`,
      value: w, limit: Math.floor(n / 2) + 1,
    }];
  },
};
