import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const kmsRotation: Rule = {
  id: 'GEO-KMS-002',
  title: 'KMS keys rotate automatically',
  severity: 'error',
  rationale: 'Automatic rotation limits how much data one key version protects and is required by most compliance frameworks.',
  remediation: 'Enable key rotation (EnableKeyRotation / enable_key_rotation).',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const k of facts.keys) {
      if (isUnknown(k.rotation)) out.push(unknownFinding(k.id, 'key rotation', k.region));
      else if (!k.rotation) out.push({ resource: k.id, region: k.region, value: false, limit: true, message: `KMS key ${k.id} does not rotate` });
    }
    return out;
  },
};
