/**
 * CI formats: SARIF 2.1.0 (GitHub code scanning and other dashboards), JUnit XML (test report viewers)
 * and Markdown (merge-request comments, job summaries).
 */
import { createHash } from 'crypto';
import { echo, escapeControl, pathToUri, truncate, xmlText } from './escape';
import { RULES } from './rules';
import type { Finding, Report, Rule, Severity } from './types';

export interface CiFormatOptions {
  /** The spec file the report is about, for findings that carry no location of their own. Default: none. */
  readonly specUri?: string;
  /** Tool version for SARIF's driver and the rules' help links. Default: none. */
  readonly version?: string;
  /** Rule metadata for SARIF's rule table. Default: the registry. */
  readonly rules?: readonly Rule[];
  /**
   * JUnit: the lowest severity that is a `<failure>`; findings below it pass with the finding in
   * `<system-out>` (the CLI passes its `--fail-on`). Default `warning`.
   */
  readonly failOn?: Severity;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * Where a rule is documented: RULES.md ships in the npm package (generated from the registry), and a
 * package CDN serves it by version; the anchor is the rule id in lower case.
 */
export function ruleHelpUri(ruleId: string, version?: string): string {
  return `https://unpkg.com/meridian-geo${version ? `@${version}` : ''}/RULES.md#${ruleId.toLowerCase()}`;
}

/**
 * A fingerprint that survives edits elsewhere in the file (it hashes the rule, the resource and the
 * region, not the line), so GitHub code scanning tracks one alert across commits.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#providing-data-to-track-code-scanning-alerts-across-runs
 */
function fingerprint(f: Finding): string {
  // The topology only where reports of several were merged: a lone topology keeps the fingerprints it always had.
  const key = [f.ruleId, f.resource, f.region ?? null, f.location?.file ?? null, ...(f.topology !== undefined ? [f.topology] : [])];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);
}

/** Findings of several reports as one (SARIF has one run; JSON consumers read one list). */
export function mergeReports(reports: readonly Report[]): Report {
  const [only] = reports;
  if (reports.length === 1 && only) return only;
  // Each finding keeps the name of its topology: ids may repeat across the deployments of one app.
  const findings = reports.flatMap((r) => (r.topology === undefined ? r.findings : r.findings.map((f) => ({ ...f, topology: r.topology }))));
  const sum = (k: keyof Report['summary']) => reports.reduce((n, r) => n + r.summary[k], 0);
  const names = [...new Set(reports.map((r) => r.topology).filter((t): t is string => t !== undefined))];
  return {
    topology: names.length === 1 ? names[0] : undefined,
    findings,
    summary: {
      error: sum('error'), warning: sum('warning'), info: sum('info'), unknown: sum('unknown'),
      suppressed: sum('suppressed'), total: sum('total'),
      rulesEvaluated: Math.max(0, ...reports.map((r) => r.summary.rulesEvaluated)),
    },
  };
}

export function toSarif(input: Report | readonly Report[], options: CiFormatOptions = {}): Record<string, unknown> {
  const report = Array.isArray(input) ? mergeReports(input) : input as Report;
  const rules = options.rules ?? RULES;
  // Rules the findings mention but the table lacks (custom rules) still need an entry.
  const ids = [...new Set([...rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])];
  const index = new Map(ids.map((id, i) => [id, i]));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const result = (f: Finding) => {
    const file = f.location?.file ?? options.specUri;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: SARIF_LEVEL[f.severity],
      message: { text: truncate(f.message, 2000) },
      locations: [{
        ...(file ? {
          physicalLocation: {
            artifactLocation: { uri: pathToUri(file) },
            // Code scanning needs a region to place an alert; without a known line the file's first line.
            region: { startLine: f.location?.line ?? 1 },
          },
        } : {}),
        logicalLocations: [{ name: f.resource, kind: 'resource' }],
      }],
      partialFingerprints: { 'meridianFinding/v1': fingerprint(f) },
      ...(f.suppressed ? { suppressions: [{ kind: 'external', justification: f.suppressionReason ?? '' }] } : {}),
      properties: { region: f.region ?? null, value: f.value ?? null, limit: f.limit ?? null, unknown: f.unknown },
    };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'meridian',
          informationUri: 'https://www.npmjs.com/package/meridian-geo',
          ...(options.version ? { version: options.version } : {}),
          rules: ids.map((id) => {
            const r = byId.get(id);
            return r
              ? {
                id, name: id, shortDescription: { text: r.title }, fullDescription: { text: r.rationale },
                helpUri: ruleHelpUri(id, options.version),
                help: {
                  text: `${r.rationale}\n\nFix: ${r.remediation}`,
                  markdown: `**${r.title}** (${r.severity})\n\n*Why:* ${r.rationale}\n\n*Fix:* ${r.remediation}`,
                },
                defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
                properties: { tags: ['meridian', r.id.split('-')[1]?.toLowerCase() ?? 'rule'] },
              }
              : { id, name: id, shortDescription: { text: report.findings.find((f) => f.ruleId === id)?.title ?? id } };
          }),
        },
      },
      results: report.findings.map(result),
    }],
  };
}

export function formatSarif(report: Report | readonly Report[], options: CiFormatOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}

function findingLine(f: Finding): string {
  const at = f.location ? ` (${f.location.file}${f.location.line ? `:${f.location.line}` : ''})` : '';
  const value = f.value !== undefined ? ` [value ${echo(f.value)}${f.limit !== undefined ? `, limit ${echo(f.limit)}` : ''}]` : '';
  return `${f.severity}${f.unknown ? ' (unknown)' : ''} ${truncate(f.resource, 500)}: ${truncate(f.message, 2000)}${value}${at}`;
}

function junitSuite(report: Report, rules: readonly Rule[], failOn: Severity): { xml: string; tests: number; failures: number; skipped: number } {
  const ids = [...new Set([...rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])];
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const byRule = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  let failures = 0;
  let skipped = 0;
  const cases = ids.map((id) => {
    const findings = byRule.get(id) ?? [];
    const open = findings.filter((f) => !f.suppressed);
    const failing = open.filter((f) => RANK[f.severity] >= RANK[failOn]);
    const passing = open.filter((f) => RANK[f.severity] < RANK[failOn]);
    const name = xmlText(`${id} ${titles.get(id) ?? findings[0]?.title ?? ''}`.trim());
    const classname = xmlText(`meridian.${id.split('-')[1]?.toLowerCase() ?? 'rule'}`);
    let body = '';
    if (failing.length > 0) {
      failures++;
      const type = failing.some((f) => f.severity === 'error') ? 'error' : failing.some((f) => f.severity === 'warning') ? 'warning' : 'info';
      body = `<failure message="${failing.length} finding${failing.length > 1 ? 's' : ''}" type="${type}">${xmlText(failing.map(findingLine).join('\n'))}</failure>`;
    } else if (findings.length > 0 && open.length === 0) {
      skipped++;
      const reasons = [...new Set(findings.map((f) => f.suppressionReason ?? ''))];
      body = `<skipped message="${xmlText(truncate(`suppressed: ${reasons.join('; ')}`, 2000))}"/>`;
    }
    if (passing.length > 0) body += `<system-out>${xmlText(passing.map(findingLine).join('\n'))}</system-out>`;
    return `    <testcase classname="${classname}" name="${name}"${body ? `>${body}</testcase>` : '/>'}`;
  });
  const suite = xmlText(report.topology ?? 'meridian');
  return {
    xml: [
      `  <testsuite name="${suite}" tests="${ids.length}" failures="${failures}" skipped="${skipped}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n'),
    tests: ids.length,
    failures,
    skipped,
  };
}

/**
 * One test suite per report and one test case per rule. A rule's case fails when it has an unsuppressed
 * finding at or above `failOn`; findings below it pass with the finding in `<system-out>`; a rule whose
 * findings are all suppressed is skipped. Text is escaped and XML-illegal characters are dropped, so the
 * document is well-formed whatever the input held.
 */
export function formatJunit(input: Report | readonly Report[], options: CiFormatOptions = {}): string {
  const reports = Array.isArray(input) ? input as readonly Report[] : [input as Report];
  const rules = options.rules ?? RULES;
  const suites = reports.map((r) => junitSuite(r, rules, options.failOn ?? 'warning'));
  const total = (k: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="meridian" tests="${total('tests')}" failures="${total('failures')}" skipped="${total('skipped')}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** Markdown cell text: one line, pipes and HTML escaped, control characters visible. */
function cell(s: string, max = 300): string {
  return escapeControl(truncate(s, max)).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\\`');
}

/** A Markdown report: a summary line and a table of open findings per report; suppressed ones in a list. */
export function formatMarkdown(input: Report | readonly Report[]): string {
  const reports = Array.isArray(input) ? input as readonly Report[] : [input as Report];
  const out: string[] = ['# Meridian policy report', ''];
  for (const report of reports) {
    const s = report.summary;
    out.push(`## ${cell(report.topology ?? 'meridian')}`, '');
    out.push(`${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.info} info, ${s.suppressed} suppressed (${s.rulesEvaluated} rules checked${s.unknown ? `, ${s.unknown} unknown` : ''})`, '');
    const open = report.findings.filter((f) => !f.suppressed);
    if (open.length > 0) {
      out.push('| Severity | Rule | Resource | Message | Value | Limit | Location |', '|---|---|---|---|---|---|---|');
      for (const f of open) {
        const loc = f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : '';
        out.push(`| ${f.severity}${f.unknown ? ' (unknown)' : ''} | [${f.ruleId}](${ruleHelpUri(f.ruleId)}) | ${cell(f.resource)} | ${cell(f.message)} | ${f.value === undefined ? '' : cell(echo(f.value))} | ${f.limit === undefined ? '' : cell(echo(f.limit))} | ${cell(loc)} |`);
      }
      out.push('');
    }
    const suppressed = report.findings.filter((f) => f.suppressed);
    if (suppressed.length > 0) {
      out.push('Suppressed:', '');
      for (const f of suppressed) out.push(`- ${f.ruleId} ${cell(f.resource)}: ${cell(f.suppressionReason ?? '')}`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
