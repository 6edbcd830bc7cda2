/** Shared fixtures: a compliant base deployment and helpers to read reports as sets. */
import { factsFromPlan, type Facts } from '../../lib/facts';
import { plan, type GeoSpec } from '../../lib/model';
import { evaluate, type Report, type Rule } from '../../lib/policy';

/** A small, compliant active-passive Aurora deployment. */
export function baseSpec(overrides: Partial<GeoSpec> = {}): GeoSpec {
  return {
    name: 'shop',
    mode: 'active-passive',
    regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary' }],
    data: { engine: 'aurora-postgresql', classification: 'confidential' },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
    ...overrides,
  };
}

export function baseFacts(overrides: Partial<GeoSpec> = {}): Facts {
  return factsFromPlan(plan(baseSpec(overrides)));
}

/** Findings of a report as sorted `RULE resource` strings, `?` marking unknown ones, `~` suppressed. */
export function findingSet(report: Report): string[] {
  return report.findings.map((f) => `${f.ruleId} ${f.resource}${f.unknown ? ' ?' : ''}${f.suppressed ? ' ~' : ''}`).sort();
}

/** Runs one rule over the facts and returns its finding set. */
export function run(rule: Rule, facts: Facts, now = new Date('2026-06-01T00:00:00Z')): string[] {
  return findingSet(evaluate(facts, { rules: [rule], now }));
}

/** Facts whose databases keep backup copies in `regions` (the plan keeps backups in-region; synthesized output may not). */
export function withBackups(facts: Facts, regions: string[]): Facts {
  return { ...facts, databases: facts.databases.map((d) => ({ ...d, backupRegions: regions })) };
}

/** Copies `facts` with some members replaced (facts are readonly data). */
export function patch(facts: Facts, changes: Partial<Facts>): Facts {
  return { ...facts, ...changes };
}
