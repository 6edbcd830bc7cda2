import { isUnknown, unknownFinding } from './util';
import type { Rule } from '../types';

const REGULATED = ['pii', 'financial'];

export const residencyUndeclared: Rule = {
  id: 'GEO-RESIDENCY-003',
  title: 'Personal and financial data declare a residency',
  severity: 'warning',
  rationale: 'PII and financial data are almost always subject to residency law or contract, and without a declared residency no rule can check where copies go. A warning rather than an error: a deployment in one country may be compliant without a declaration, but the decision should be explicit (declare it, or suppress with a reason).',
  remediation: 'Add data.residency (country codes or EU/EEA), or suppress this rule with the reason no residency applies.',
  check(facts) {
    if (facts.data === null) return [];
    if (isUnknown(facts.data)) return [unknownFinding('data', 'the data description')];
    const { classification, residency } = facts.data;
    if (residency !== null) return isUnknown(residency) ? [unknownFinding('data.residency', 'the data residency')] : [];
    if (isUnknown(classification)) return [unknownFinding('data.classification', 'the data classification')];
    if (!REGULATED.includes(classification)) return [];
    return [{
      resource: 'data.residency', value: classification,
      message: `${classification} data has no data.residency; declare where it may live so replicas, backups and keys can be checked`,
    }];
  },
};
