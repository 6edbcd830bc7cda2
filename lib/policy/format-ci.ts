/** CI formats: SARIF 2.1.0 (code-scanning dashboards) and JUnit XML (test report viewers). */
import { RULES } from './rules';
import type { Finding, Report, Rule, Severity } from './types';

export interface CiFormatOptions {
  /** The spec file the report is about, as the artifact location. Default: none. */
  readonly specUri?: string;
  /** Tool version for SARIF's driver. Default: none. */
  readonly version?: string;
  /** Rule metadata for SARIF's rule table. Default: the registry. */
  readonly rules?: readonly Rule[];
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(report: Report, options: CiFormatOptions = {}): Record<string, unknown> {
  const rules = options.rules ?? RULES;
  // Rules the findings mention but the table lacks (custom rules) still need an entry.
  const ids = [...new Set([...rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const result = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: ids.indexOf(f.ruleId),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      ...(options.specUri ? { physicalLocation: { artifactLocation: { uri: options.specUri } } } : {}),
      logicalLocations: [{ name: f.resource, kind: 'resource' }],
    }],
    ...(f.suppressed ? { suppressions: [{ kind: 'external', justification: f.suppressionReason ?? '' }] } : {}),
    properties: { region: f.region ?? null, value: f.value ?? null, limit: f.limit ?? null, unknown: f.unknown },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'meridian',
          ...(options.version ? { version: options.version } : {}),
          rules: ids.map((id) => {
            const r = byId.get(id);
            return r
              ? {
                id, name: id, shortDescription: { text: r.title }, fullDescription: { text: r.rationale },
                help: { text: r.remediation }, defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              }
              : { id, name: id, shortDescription: { text: report.findings.find((f) => f.ruleId === id)?.title ?? id } };
          }),
        },
      },
      results: report.findings.map(result),
    }],
  };
}

export function formatSarif(report: Report, options: CiFormatOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One test case per rule: it fails when the rule has an unsuppressed error or warning finding, and is
 * skipped when all its findings are suppressed; info findings go to system-out.
 */
export function formatJunit(report: Report, options: CiFormatOptions = {}): string {
  const rules = options.rules ?? RULES;
  const ids = [...new Set([...rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])];
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  let failures = 0;
  let skipped = 0;
  const cases = ids.map((id) => {
    const findings = report.findings.filter((f) => f.ruleId === id);
    const open = findings.filter((f) => !f.suppressed);
    const failing = open.filter((f) => f.severity !== 'info');
    const line = (f: Finding) => `${f.severity}${f.unknown ? ' (unknown)' : ''} ${f.resource}: ${f.message}`;
    const name = xml(`${id} ${titles.get(id) ?? findings[0]?.title ?? ''}`.trim());
    const classname = xml(`meridian.${id.split('-')[1]?.toLowerCase() ?? 'rule'}`);
    let body = '';
    if (failing.length > 0) {
      failures++;
      body = `<failure message="${xml(`${failing.length} finding${failing.length > 1 ? 's' : ''}`)}" type="${failing.some((f) => f.severity === 'error') ? 'error' : 'warning'}">${xml(failing.map(line).join('\n'))}</failure>`;
    } else if (findings.length > 0 && open.length === 0) {
      skipped++;
      const reasons = [...new Set(findings.map((f) => f.suppressionReason ?? ''))];
      body = `<skipped message="${xml(`suppressed: ${reasons.join('; ')}`)}"/>`;
    }
    const info = open.filter((f) => f.severity === 'info');
    if (info.length > 0) body += `<system-out>${xml(info.map(line).join('\n'))}</system-out>`;
    return `    <testcase classname="${classname}" name="${name}"${body ? `>${body}</testcase>` : '/>'}`;
  });
  const suite = xml(report.topology ?? 'meridian');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="meridian" tests="${ids.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${suite}" tests="${ids.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
