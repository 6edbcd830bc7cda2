/**
 * The AWS limits a spec can only break in combination (how many regions a global database spans, how
 * many actions an experiment template gets) and the names plan() derives, each checked against the
 * rule of the service that will receive it. Both run inside plan(), so neither renderer can be handed
 * something AWS refuses.
 */
import type { SpecIssue } from './errors';
import { AURORA_GLOBAL, FIS_QUOTAS, nameProblem, NAME_RULES, type NameRule } from './limits';
import type { GeoPlan } from './plan-types';
import type { ValidSpec } from './spec';

/** Limits that depend on several fields of the spec at once. */
export function combinedLimitIssues(spec: ValidSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const aurora = spec.data.engine !== 'dynamodb';
  if (aurora) {
    // Partitions are jurisdictions in partitioned mode; otherwise one global database spans every region.
    const sizes = new Map<string, number>();
    for (const r of spec.regions) {
      const key = spec.mode === 'partitioned' ? String(r.jurisdiction) : 'main';
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    for (const [partition, size] of sizes) {
      if (size - 1 > AURORA_GLOBAL.maxSecondaryRegions) {
        issues.push({
          path: 'regions',
          message: `${partition === 'main' ? 'the Aurora global database' : `the Aurora global database of jurisdiction ${partition}`} would have ${size - 1} secondary regions; an Aurora global database allows at most ${AURORA_GLOBAL.maxSecondaryRegions} (${AURORA_GLOBAL.source})`,
          value: size,
        });
      }
    }
  }
  const kinds = spec.experiments ?? ['region-isolation'];
  // Region isolation cuts the partition primary off from every other region: one action per region.
  const isolationActions = spec.regions.length - 1;
  if (kinds.includes('region-isolation') && isolationActions > FIS_QUOTAS.actionsPerTemplate) {
    issues.push({
      path: 'experiments',
      message: `region-isolation would need ${isolationActions} actions (one per other region) in one FIS experiment template; FIS allows ${FIS_QUOTAS.actionsPerTemplate} actions per template by default (${FIS_QUOTAS.source}); list the experiments without region-isolation or use fewer regions`,
      value: isolationActions,
    });
  }
  return issues;
}

/** Every name a plan hands to AWS, with the rule of the service that receives it. */
function derivedNames(p: GeoPlan): Array<{ path: string; rule: NameRule; name: string }> {
  const out: Array<{ path: string; rule: NameRule; name: string }> = [];
  const add = (path: string, rule: NameRule, name: string | undefined) => {
    if (name !== undefined) out.push({ path, rule, name });
  };
  p.regions.forEach((r) => {
    add('name', NAME_RULES.stack, r.stackName);
    add('name', NAME_RULES.stack, `${r.stackName}-peering-accepter`);
    add('name', NAME_RULES.snsTopic, r.alertTopicName);
    add('name', NAME_RULES.kmsAlias, r.keyAlias);
    if (p.data.engine !== 'dynamodb') add('name', NAME_RULES.auroraCluster, r.clusterIdentifier);
  });
  for (const part of p.data.partitions) {
    if (p.data.engine === 'dynamodb') add('name', NAME_RULES.dynamoDbTable, part.tableName);
    else {
      add('name', NAME_RULES.auroraGlobalCluster, part.globalClusterIdentifier);
      add('name', NAME_RULES.secret, part.masterSecretName);
    }
  }
  if (p.dashboard) add('name', NAME_RULES.dashboard, p.dashboard.name);
  add('name', NAME_RULES.stack, p.dns.stackName);
  add('name', NAME_RULES.snsTopic, p.dns.alertTopicName);
  add('name', NAME_RULES.kmsAlias, p.dns.keyAlias);
  for (const rec of p.dns.records) add('dns.recordName', NAME_RULES.route53SetIdentifier, rec.setIdentifier);
  for (const a of p.alarms.list) add('name', NAME_RULES.alarm, a.name);
  for (const e of p.experiments) {
    add('name', NAME_RULES.iamRole, e.roleName);
    add('name', NAME_RULES.logGroup, e.logGroupName);
  }
  return out;
}

/**
 * Names plan() derived that the receiving service would refuse. The spec's own rules keep these
 * empty; this is the net that makes the name budget exact rather than assumed.
 */
export function derivedNameIssues(p: GeoPlan): SpecIssue[] {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  for (const { path, rule, name } of derivedNames(p)) {
    const problem = nameProblem(rule, name);
    if (problem && !seen.has(problem)) {
      seen.add(problem);
      issues.push({ path, message: `derives a name AWS refuses: ${problem}`, value: p.name });
    }
  }
  return issues;
}
