import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const dataDeletionProtection: Rule = {
  id: 'GEO-DATA-001',
  title: 'Database clusters and replicas have deletion protection',
  severity: 'error',
  rationale: 'One mistaken stack deletion or replacement during failover or failback must not destroy a region\'s copy of the data.',
  remediation: 'Turn on deletion protection on every cluster and table replica.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const db of facts.databases) {
      for (const m of db.members) {
        if (isUnknown(m.deletionProtection)) out.push(unknownFinding(m.id, 'deletion protection', m.region));
        else if (!m.deletionProtection) out.push({ resource: m.id, region: m.region, value: false, limit: true, message: `${m.id} has no deletion protection` });
      }
    }
    return out;
  },
};
