/** Report formatters: readable text (colour only on a terminal) and stable JSON for pipelines. */
import { echo, escapeControl, truncate } from './escape';
import type { Finding, FindingLocation, Report, Severity } from './types';

export interface TextOptions {
  /** Use ANSI colours; pass `stream.isTTY` so pipes and files get plain text. Default false. */
  readonly color?: boolean;
}

const COLOURS: Record<Severity | 'dim' | 'ok', string> = {
  error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', ok: '\x1b[32m',
};
const RESET = '\x1b[0m';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function detail(f: Finding): string {
  const parts: string[] = [];
  if (f.value !== undefined) parts.push(`value ${echo(f.value)}`);
  if (f.limit !== undefined) parts.push(`limit ${echo(f.limit)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Longest message or resource name printed, in characters; user text inside a message is bounded too. */
const MAX_TEXT = 500;

/** User-derived text for a one-line report: bounded and with control characters escaped. */
function safe(s: string): string {
  return escapeControl(truncate(s, MAX_TEXT));
}

/** `file:line` of a location, for text and Markdown. */
export function formatLocation(l: FindingLocation | undefined): string {
  return l ? `${l.file}${l.line ? `:${l.line}` : ''}` : '';
}

/**
 * One line per finding (control characters in user text escaped, so no value can forge a line or
 * recolour the terminal), then a summary line.
 */
export function formatText(report: Report, options: TextOptions = {}): string {
  const paint = (what: keyof typeof COLOURS, s: string) => (options.color ? `${COLOURS[what]}${s}${RESET}` : s);
  const lines: string[] = [];
  for (const f of report.findings) {
    const tag = paint(f.suppressed ? 'dim' : f.severity, f.severity.toUpperCase().padEnd(7));
    const where = f.region && f.region !== f.resource ? `${safe(f.resource)} [${safe(f.region)}]` : safe(f.resource);
    const at = f.location ? ` (${safe(formatLocation(f.location))})` : '';
    let line = `${tag} ${f.ruleId} ${where}: ${safe(f.message)}${detail(f)}${at}`;
    if (f.unknown) line += ' [unknown]';
    if (f.suppressed) line = `${line} ${paint('dim', `[suppressed: ${safe(f.suppressionReason ?? '')}]`)}`;
    lines.push(line);
  }
  const s = report.summary;
  const counts = `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info, ${s.suppressed} suppressed`;
  const head = report.topology ? `${safe(report.topology)}: ` : '';
  const status = s.error > 0 ? paint('error', counts) : s.warning > 0 ? paint('warning', counts) : paint('ok', counts);
  lines.push(`${lines.length ? '\n' : ''}${head}${status} (${plural(s.rulesEvaluated, 'rule')} checked${s.unknown ? `, ${s.unknown} unknown` : ''})`);
  return `${lines.join('\n')}\n`;
}

/** The JSON document pipelines consume; absent values are `null` so every finding has the same keys. */
export interface JsonReport {
  readonly topology: string | null;
  readonly findings: ReadonlyArray<{
    readonly ruleId: string;
    /** The topology (deployment) the finding belongs to: several deployments of one app share one document. */
    readonly topology: string | null;
    readonly severity: Severity;
    readonly title: string;
    readonly message: string;
    readonly resource: string;
    readonly region: string | null;
    readonly value: number | string | boolean | null;
    readonly limit: number | string | boolean | null;
    readonly unknown: boolean;
    readonly suppressed: boolean;
    readonly suppressionReason: string | null;
    /** Where the resource is written (spec YAML line, template logical id, Terraform address); null when unknown. */
    readonly location: { readonly file: string; readonly line: number | null } | null;
  }>;
  readonly summary: Report['summary'];
}

export function toJson(report: Report): JsonReport {
  return {
    topology: report.topology ?? null,
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      topology: f.topology ?? report.topology ?? null,
      severity: f.severity,
      title: f.title,
      message: f.message,
      resource: f.resource,
      region: f.region ?? null,
      value: f.value ?? null,
      limit: f.limit ?? null,
      unknown: f.unknown,
      suppressed: f.suppressed,
      suppressionReason: f.suppressionReason ?? null,
      location: f.location ? { file: f.location.file, line: f.location.line ?? null } : null,
    })),
    summary: report.summary,
  };
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
