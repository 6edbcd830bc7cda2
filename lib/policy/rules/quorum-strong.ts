import { knownQuorum } from './quorum-bounds';
import { unknownFinding } from './util';
import type { Rule } from '../types';

export const quorumStrong: Rule = {
  id: 'GEO-QUORUM-002',
  title: 'Strong consistency needs overlapping read and write quorums (W + R > N)',
  severity: 'error',
  rationale: 'Only when W + R > N must every read quorum share a replica with every write quorum; with W + R = N a read can miss the last acknowledged write (the "N=5, W=3, R=2" example is not strongly consistent).',
  remediation: 'Raise writeQuorum or readQuorum until W + R > N, or declare consistency read-your-writes or eventual.',
  check(facts) {
    const { quorum, unknown } = knownQuorum(facts);
    if (unknown) return [unknown];
    if (!quorum) return [];
    const { n, w, r } = quorum;
    if (w + r > n) return [];
    const consistency = facts.data?.consistency;
    if (consistency === undefined) return [unknownFinding('data.consistency', `the consistency level (W + R = ${w + r} is not greater than N = ${n})`)];
    if (consistency !== 'strong') return [];
    return [{
      resource: 'data.quorum',
      message: `strong consistency needs W + R > N, but W=${w} + R=${r} = ${w + r} is not greater than N=${n}; a read quorum can miss the latest write`,
      value: w + r, limit: n,
    }];
  },
};
