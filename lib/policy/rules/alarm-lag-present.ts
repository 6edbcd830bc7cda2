import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

const LAG_KINDS = ['replication-lag', 'rpo-lag'];

export const alarmLagPresent: Rule = {
  id: 'GEO-ALARM-001',
  title: 'Every secondary or replica region has a replication-lag alarm',
  severity: 'error',
  rationale: 'Replication lag is the data a failover loses (RPO). Unwatched, it grows silently; the article asks for alarms at 30 s (warning) and 5 min (critical).',
  remediation: 'Alarm on AuroraGlobalDBReplicationLag / AuroraGlobalDBRPOLag (Aurora) or ReplicationLatency (DynamoDB) for each receiving region.',
  check(facts) {
    const out: RuleFinding[] = [];
    const unresolved = facts.alarms.find((a) => isUnknown(a.kind) || isUnknown(a.subjectRegion));
    for (const db of facts.databases) {
      // A database in one region replicates nowhere; there is no lag to watch.
      if (db.members.length < 2) continue;
      for (const m of db.members) {
        if (isUnknown(m.role) || isUnknown(m.region)) {
          out.push(unknownFinding(m.id, 'the role or region', m.region));
          continue;
        }
        if (m.role === 'primary') continue;
        const watched = facts.alarms.some((a) => LAG_KINDS.includes(a.kind ?? '') && a.subjectRegion === m.region);
        if (watched) continue;
        if (unresolved) out.push(unknownFinding(unresolved.id, `the kind or subject region of alarm ${unresolved.id} (needed for ${m.id})`, m.region));
        else out.push({ resource: m.id, region: m.region, message: `${m.role} ${m.id} in ${m.region} has no replication-lag alarm` });
      }
    }
    return out;
  },
};
