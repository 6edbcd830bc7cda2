/**
 * Data decisions of a plan: the settings of every Aurora cluster and DynamoDB table that both renderers
 * need (parameters, master user, log exports, monitoring, secrets, retention), made once here.
 */
import type { Consistency, Engine } from './spec';
import type { PlannedRetention, PlannedTopicPolicy } from './plan-types';

/** Master user of every Aurora cluster (RDS: a letter, then letters, digits, underscores; MySQL at most 16). */
export const MASTER_USERNAME = 'clusteradmin';

/** Retention periods CloudWatch Logs accepts, in days (0 = never expire). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Waiting period KMS accepts before deleting a key, days. */
export const KEY_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** Enhanced monitoring intervals RDS accepts, in seconds (0 turns it off). */
export const MONITORING_INTERVALS_SECONDS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/** Retention and removal of every stateful resource: nothing that holds data or opens it is deleted with a stack. */
export const RETENTION: PlannedRetention = {
  hostedZone: 'retain',
  keys: 'retain',
  logGroups: 'retain',
  masterSecret: 'retain',
  globalCluster: 'retain',
  clusters: 'snapshot',
  tables: 'retain',
  logRetentionDays: 365,
  keyDeletionWindowDays: 30,
  secretRecoveryWindowDays: 30,
};

/** Every alert topic takes TLS only and admits the account's own CloudWatch alarms. */
export const TOPIC_POLICY: PlannedTopicPolicy = { enforceTls: true, allowCloudWatchAlarms: true };

/** Enhanced monitoring interval of every Aurora instance, seconds. */
export const MONITORING_INTERVAL_SECONDS = 60;
/** Performance Insights retention (7 days is the free tier). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** Highest promotion tier RDS accepts. */
export const MAX_PROMOTION_TIER = 15;

type AuroraEngine = Exclude<Engine, 'dynamodb'>;

/** Cluster parameter-group family of an engine version: `aurora-postgresql16`, `aurora-mysql8.0`. */
export function clusterParameterFamily(engine: Engine, engineVersion: string): string {
  if (engine === 'dynamodb') return '';
  return engine === 'aurora-postgresql'
    ? `aurora-postgresql${engineVersion.split('.')[0] ?? engineVersion}`
    : `aurora-mysql${engineVersion.split('.').slice(0, 2).join('.')}`;
}

/** Read consistency of forwarded writes for the spec's consistency level. */
export function forwardingConsistency(consistency: Consistency): 'GLOBAL' | 'SESSION' | 'EVENTUAL' {
  return consistency === 'strong' ? 'GLOBAL' : consistency === 'read-your-writes' ? 'SESSION' : 'EVENTUAL';
}

/**
 * Cluster parameters of an engine, the same on every cluster of the global database:
 * - TLS required on every connection (`require_secure_transport`, `rds.force_ssl`);
 * - Aurora MySQL: the audit log (connections, DDL, DCL), without which the exported `audit` log is empty;
 * - with write forwarding, the read consistency of forwarded sessions from the spec's consistency:
 *   `aurora_replica_read_consistency` (MySQL forwards no writes without it) or
 *   `apg_write_forward.consistency_mode` (PostgreSQL).
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html
 */
export function clusterParameters(engine: Engine, writeForwarding: boolean, consistency: Consistency): Record<string, string> {
  if (engine === 'dynamodb') return {};
  const params: Record<string, string> = {};
  const mode = forwardingConsistency(consistency);
  const byEngine: Record<AuroraEngine, () => void> = {
    'aurora-mysql': () => {
      params.require_secure_transport = 'ON';
      params.server_audit_logging = '1';
      params.server_audit_events = 'CONNECT,QUERY_DCL,QUERY_DDL';
      if (writeForwarding) params.aurora_replica_read_consistency = mode;
    },
    'aurora-postgresql': () => {
      params['rds.force_ssl'] = '1';
      if (writeForwarding) params['apg_write_forward.consistency_mode'] = mode;
    },
  };
  byEngine[engine]();
  return params;
}

/**
 * Logs an Aurora cluster exports: PostgreSQL's log; MySQL's audit, error and slow-query logs (the
 * general log records every statement: costly, and a second copy of the data in logs).
 */
export function logExports(engine: Engine): string[] {
  if (engine === 'dynamodb') return [];
  return engine === 'aurora-mysql' ? ['audit', 'error', 'slowquery'] : ['postgresql'];
}

/** Promotion tier of each instance: the writer 0, readers 1, 2, … (capped at {@link MAX_PROMOTION_TIER}). */
export function promotionTiers(instances: number): number[] {
  return Array.from({ length: instances }, (_, i) => Math.min(i, MAX_PROMOTION_TIER));
}
