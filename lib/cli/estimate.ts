/**
 * `meridian estimate PATH [--format text|json|markdown|mermaid] [--automation on|off] [--warm-up SECONDS]`:
 * per disruption, the recovery timeline with best and worst case, with and without automated failover;
 * the DR strategy; capacity after each single-region failure; the replication cost when the spec gives
 * a write volume. Imports only lib/model, lib/facts and lib/policy (no aws-cdk-lib, no cdktf).
 */
import { existsSync } from 'fs';
import { parseArgs } from 'util';
import type { Facts } from '../facts/types';
import { SpecError } from '../model/errors';
import { loadSpecFile } from '../model/load';
import type { ValidSpec } from '../model/spec';
import { capacityAfterFailures, replicationCost, type CapacityEstimate, type ReplicationCost } from '../policy/capacity';
import { formatInputError } from './common';
import { loadInput } from './inputs';
import { estimateDisruptions, worstDisruption, type DisruptionEstimate, type EstimateReport, type Phase, type Range } from '../policy/estimate';
import { at } from '../model/lookup';

/** Where a command writes (the same shape as main.ts's CliIo). */
export interface CommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

/** A bad flag or path: one line on stderr, exit 2. */
export class CommandUsageError extends Error {}

export interface InputFacts {
  readonly facts: readonly Facts[];
  /** The validated spec, when the input was a spec file (carries the optional write volume). */
  readonly spec?: ValidSpec;
}

/**
 * Facts of PATH, whatever it is: a spec, a cloud assembly or template, a cdktf.out folder or Terraform
 * JSON (the same detection as `meridian check`). A spec also yields itself, for the write volume.
 */
export function readInputFacts(path: string): InputFacts {
  if (path !== '-' && !existsSync(path)) throw new CommandUsageError(`path not found: ${path}`);
  const input = loadInput(path);
  const spec = input.kind === 'spec' && path !== '-' ? loadSpecFile(path) : undefined;
  return { facts: input.facts, spec };
}

export const ESTIMATE_FORMATS = ['text', 'json', 'markdown', 'mermaid'] as const;
export type EstimateFormat = (typeof ESTIMATE_FORMATS)[number];

/** Everything `meridian estimate` reports for one topology. */
export interface EstimateBundle {
  readonly topology?: string;
  readonly manual: EstimateReport;
  readonly automated: EstimateReport;
  readonly capacity: CapacityEstimate;
  readonly cost?: ReplicationCost;
}

export function estimateBundle(facts: Facts, opts: { warmUpSeconds?: number; spec?: ValidSpec } = {}): EstimateBundle {
  const volume = opts.spec?.data.writeVolume;
  return {
    topology: facts.topology,
    manual: estimateDisruptions(facts, { automation: false, warmUpSeconds: opts.warmUpSeconds }),
    automated: estimateDisruptions(facts, { automation: true, warmUpSeconds: opts.warmUpSeconds }),
    capacity: capacityAfterFailures(facts),
    cost: volume ? replicationCost(facts, volume) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// formatting

const range = (r: Range | undefined, problem?: string): string => (r ? (r.best === r.worst ? `${r.worst} s` : `${r.best}–${r.worst} s`) : problem ? 'unbounded' : 'unknown');
/** RTO cell: a partition has no failover, the service is degraded until the network heals. */
const rtoCell = (d: DisruptionEstimate): string => (!d.judged && !d.rto && d.phases.length === 0 ? 'until healed' : range(d.rto, d.problem));
const strategyName = (r: EstimateReport) => (r.strategy ? r.strategy.replace('-', ' ') : 'unknown');

/** The disruption the timeline shows: the worst region loss with a timeline, else the worst judged one. */
export function headlineDisruption(report: EstimateReport): DisruptionEstimate | undefined {
  const pick = (f: (d: DisruptionEstimate) => boolean) => worstDisruption({ ...report, disruptions: report.disruptions.filter((d) => d.phases.length > 0 && f(d)) });
  return pick((d) => d.kind === 'region-loss') ?? pick(() => true);
}

function phaseRows(d: DisruptionEstimate): string[][] {
  return d.phases.map((p) => [
    `${p.label}${p.assumption ? ' *' : ''}`, p.track, `${p.startBest}–${p.startWorst}`, `${p.best}–${p.worst}`, p.source,
  ]);
}

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function mdTable(header: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function summaryRows(b: EstimateBundle): string[][] {
  return b.manual.disruptions.map((d, i) => {
    // Both runs estimate the same disruptions in the same order; only the automation differs.
    const a = at(b.automated.disruptions, i, 'automated disruption');
    return [
      d.name + (d.targetRegion ? ` → ${d.targetRegion}` : ''),
      rtoCell(d), rtoCell(a), range(d.rpo, d.problem), d.judged ? 'yes' : 'no', d.problem ?? d.impact,
    ];
  });
}

const SUMMARY_HEADER = ['disruption', 'RTO (human decision)', 'RTO (automated)', 'RPO', 'judged', 'impact'];
const PHASE_HEADER = ['phase (* = assumption)', 'track', 'starts at (s)', 'lasts (s)', 'source'];

function capacityRows(c: CapacityEstimate): string[][] {
  return c.rows.map((r) => [r.failedRegion, r.region, `${r.loadRps}`, `${r.capacityRps}`, `${Math.round(r.utilisation * 100)} %`]);
}
const CAPACITY_HEADER = ['failed region', 'takes the load', 'load (rps)', 'capacity (rps)', 'utilisation'];

function costRows(c: ReplicationCost): string[][] {
  return c.rows.map((r) => [`${r.from} → ${r.to}`, `${r.transferGb}`, `${r.transferUsd.toFixed(2)}`, `${r.replicatedWritesMillions}`, `${r.replicatedWritesUsd.toFixed(2)}`]);
}
const COST_HEADER = ['pair', 'transfer (GB/month)', 'transfer (USD)', 'replicated writes (M/month)', 'replicated writes (USD)'];

export function formatEstimateText(b: EstimateBundle): string {
  const out: string[] = [];
  out.push(`${b.topology ?? 'topology'}: DR strategy ${strategyName(b.manual)} (${b.manual.strategyReason})`, '');
  out.push(table(SUMMARY_HEADER, summaryRows(b)), '');
  for (const r of [b.manual, b.automated]) {
    const d = headlineDisruption(r);
    if (!d) continue;
    out.push(`Timeline, ${d.name} (${r.automation ? 'automated failover' : 'human decision'}): RTO ${range(d.rto, d.problem)}, RPO ${range(d.rpo, d.problem)}`);
    out.push(table(PHASE_HEADER, phaseRows(d)), '');
  }
  if (b.capacity.rows.length) out.push('Capacity after a single-region failure', table(CAPACITY_HEADER, capacityRows(b.capacity)), '');
  if (b.cost) {
    out.push(`Replication cost (list prices as of ${b.cost.pricesAsOf}): ${b.cost.totalUsd.toFixed(2)} USD/month`, table(COST_HEADER, costRows(b.cost)));
    out.push(...b.cost.notes.map((n) => `  - ${n}`), ...b.cost.sources.map((s) => `  - ${s}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function formatEstimateMarkdown(b: EstimateBundle): string {
  const out: string[] = [];
  out.push(`### ${b.topology ?? 'topology'}: ${strategyName(b.manual)}`, '', b.manual.strategyReason, '');
  out.push(mdTable(SUMMARY_HEADER, summaryRows(b)), '');
  for (const r of [b.manual, b.automated]) {
    const d = headlineDisruption(r);
    if (!d) continue;
    out.push(`#### ${d.name}, ${r.automation ? 'automated failover' : 'human decision'}: RTO ${range(d.rto, d.problem)}, RPO ${range(d.rpo, d.problem)}`, '');
    out.push(mdTable(PHASE_HEADER, phaseRows(d)), '');
  }
  if (b.capacity.rows.length) out.push('#### Capacity after a single-region failure', '', mdTable(CAPACITY_HEADER, capacityRows(b.capacity)), '');
  if (b.cost) {
    out.push(`#### Replication cost: ${b.cost.totalUsd.toFixed(2)} USD/month (list prices as of ${b.cost.pricesAsOf})`, '', mdTable(COST_HEADER, costRows(b.cost)), '');
    out.push(...b.cost.notes.map((n) => `- ${n}`), ...b.cost.sources.map((s) => `- ${s}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const TRACK_SECTION: Record<Phase['track'], string> = { detection: 'Detection', traffic: 'Traffic (DNS)', database: 'Database', application: 'Application' };

/** Mermaid gantt of a disruption's worst case (seconds from the failure). */
export function formatGantt(d: DisruptionEstimate, opts: { title?: string } = {}): string {
  const clean = (s: string) => s.replace(/[:;#]/g, ' ').replace(/\s+/g, ' ').trim();
  const lines = ['gantt', `  title ${clean(opts.title ?? `${d.name}, worst case: RTO ${range(d.rto, d.problem)}`)}`, '  dateFormat X', '  axisFormat %s s'];
  for (const track of ['detection', 'traffic', 'database', 'application'] as const) {
    const phases = d.phases.filter((p) => p.track === track);
    if (!phases.length) continue;
    lines.push(`  section ${TRACK_SECTION[track]}`);
    for (const p of phases) lines.push(`  ${clean(p.label)}${p.assumption ? ' (assumed)' : ''} :${p.assumption ? 'active, ' : ''}${p.startWorst}, ${p.startWorst + p.worst}`);
  }
  if (d.rto) lines.push('  section Total', `  RTO worst case ${d.rto.worst} s :crit, 0, ${d.rto.worst}`);
  return `${lines.join('\n')}\n`;
}

export function formatEstimateMermaid(b: EstimateBundle, automation: boolean): string {
  const r = automation ? b.automated : b.manual;
  const d = headlineDisruption(r);
  if (!d) return '%% no disruption with a recovery timeline\n';
  return formatGantt(d, { title: `${b.topology ?? ''} ${d.name}, ${automation ? 'automated failover' : 'human decision'}, worst case RTO ${range(d.rto, d.problem)}` });
}

// ---------------------------------------------------------------------------------------------------------
// command

export const ESTIMATE_USAGE = `Usage:
  meridian estimate PATH [--format text|json|markdown|mermaid] [--automation on|off] [--warm-up SECONDS]

PATH is a topology spec (YAML or JSON), a CDK cloud assembly folder or template, a cdktf.out folder or
a Terraform JSON file. For each disruption (loss of each region, of the database
writer, of one Availability Zone, a partition between two regions) prints the recovery timeline with best
and worst case, with and without automated failover, the DR strategy, capacity after each single-region
failure, and the replication cost when the spec gives data.writeVolume. --format mermaid prints the worst
disruption's timeline as a Mermaid gantt (--automation picks which; default off).
`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CommandUsageError(`--${flag} must be one of ${allowed.join(' | ')}, got "${value}"`);
  return value as T;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args, allowPositionals: true, strict: true,
      options: { format: { type: 'string' }, automation: { type: 'string' }, 'warm-up': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new CommandUsageError((e as Error).message.split('\n')[0]);
  }
}

/** `meridian estimate`; returns the exit code (0, or 2 for usage and input errors). */
export function estimateCommand(args: string[], io: CommandIo): number {
  try {
    const { values, positionals } = parse(args);
    if (values.help) { io.stdout.write(ESTIMATE_USAGE); return 0; }
    if (positionals.length !== 1) throw new CommandUsageError(`estimate needs exactly one PATH, got ${positionals.length}`);
    const format = oneOf('format', values.format as string | undefined, ESTIMATE_FORMATS, 'text');
    const automation = oneOf('automation', values.automation as string | undefined, ['on', 'off'] as const, 'off') === 'on';
    const warmRaw = values['warm-up'] as string | undefined;
    const warmUpSeconds = warmRaw === undefined ? 0 : Number(warmRaw);
    if (!Number.isInteger(warmUpSeconds) || warmUpSeconds < 0) throw new CommandUsageError(`--warm-up must be a whole number of seconds ≥ 0, got "${warmRaw}"`);
    const input = readInputFacts(at(positionals, 0, 'PATH'));
    const bundles = input.facts.map((f) => estimateBundle(f, { warmUpSeconds, spec: input.spec }));
    const render = {
      text: () => bundles.map(formatEstimateText).join('\n'),
      markdown: () => bundles.map(formatEstimateMarkdown).join('\n'),
      json: () => `${JSON.stringify(bundles.length === 1 ? bundles[0] : bundles, null, 2)}\n`,
      mermaid: () => bundles.map((b) => formatEstimateMermaid(b, automation)).join('\n'),
    }[format];
    io.stdout.write(render());
    return 0;
  } catch (e) {
    if (e instanceof SpecError) { io.stderr.write(formatInputError(e)); return 2; }
    if (e instanceof CommandUsageError) { io.stderr.write(`meridian: ${e.message} (see meridian estimate --help)\n`); return 2; }
    throw e;
  }
}
