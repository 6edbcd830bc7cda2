import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const networkRoutes: Rule = {
  id: 'GEO-NETWORK-002',
  title: 'Peered regions have routes on both sides',
  severity: 'error',
  rationale: 'A peering connection carries no traffic until each side\'s route tables point the other side\'s CIDR at it; the accepter side lives in another region and is easily forgotten.',
  remediation: 'Add a route to the peer CIDR through the peering connection in both regions\' route tables.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const p of facts.peerings) {
      if (p.routes === null) continue; // the facts carry no routes (e.g. a plan): nothing to check
      if (isUnknown(p.routes)) {
        out.push(unknownFinding(p.id, 'the routes'));
        continue;
      }
      const sides = [
        ['requester', p.requesterRegion, p.accepterRegion, p.routes.requester],
        ['accepter', p.accepterRegion, p.requesterRegion, p.routes.accepter],
      ] as const;
      for (const [side, from, to, present] of sides) {
        if (isUnknown(present)) out.push(unknownFinding(p.id, `the ${side}-side route`, from));
        else if (!present) {
          out.push({ resource: p.id, region: from, message: `peering ${p.id} has no route in ${from ?? `the ${side} region`} to ${to ?? 'its peer'}; traffic cannot cross it` });
        }
      }
    }
    return out;
  },
};
