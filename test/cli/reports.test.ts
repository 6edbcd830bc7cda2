/**
 * The CI-facing reports of `meridian check`: SARIF validated against the OASIS 2.1.0 schema and shaped
 * for GitHub code scanning, JSON locations (the YAML line of the field a finding is about), JUnit
 * failures at or above --fail-on only, Markdown, and --unknown.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../support/cli';
import { withUnknownLevel } from '../../lib/cli/check';
import { evaluate, failsAt, RULES } from '../../lib/policy';
import { baseFacts } from '../policy/helpers';
import { specPathOf } from '../../lib/cli/spec-locations';
import { parseSpecText } from '../../lib/model';
import { xmlProblem } from './xml';

const FIX = join('test', 'fixtures', 'policy');
const TTL = join(FIX, 'ttl-300.yaml');
const SHORT = join(FIX, 'capacity-short.yaml');
const SUPPRESSED = join(FIX, 'ttl-300-suppressed.yaml');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const cli = (argv: string[]) => runCli(argv);

/** ajv 8 speaks draft-07; the OASIS file is draft-04, whose only difference it uses is `id` for `$id`. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(join('test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile({ $id: id as string, ...rest });
}

describe('SARIF 2.1.0', () => {
  const validate = sarifValidator();

  test('the schema check is real: a result without a message is refused', () => {
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'meridian' } }, results: [{ ruleId: 'X' }] }] };
    expect(validate(bad)).toBe(false);
    expect(JSON.stringify(validate.errors)).toMatch(/message/);
  });

  test.each([[TTL], [SUPPRESSED], [SHORT], [join('examples', 'specs', 'orders.yaml')]])('%s validates against the schema', (spec) => {
    const r = cli(['check', spec, '--format', 'sarif']);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('results carry the line, a fingerprint and a help link for code scanning', () => {
    const doc = JSON.parse(cli(['check', TTL, '--format', 'sarif']).stdout);
    const run = doc.runs[0];
    const [first, second] = run.results;
    // ttl-300.yaml line 8 is the `dns:` line holding `ttlSeconds: 300` (flow mapping, one line).
    expect(first.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/policy/ttl-300.yaml' }, region: { startLine: 8 } });
    expect(first.partialFingerprints['meridianFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    // Two records, two alerts: the fingerprints differ.
    expect(second.partialFingerprints['meridianFinding/v1']).not.toBe(first.partialFingerprints['meridianFinding/v1']);
    const rule = run.tool.driver.rules[first.ruleIndex];
    expect(rule.id).toBe('GEO-DNS-001');
    expect(rule.helpUri).toBe(`https://unpkg.com/meridian-geo@${VERSION}/RULES.md#geo-dns-001`);
    const registry = RULES.find((x) => x.id === 'GEO-DNS-001');
    expect(rule.help.text).toContain(registry?.remediation);
    expect(rule.help.markdown).toContain(`*Fix:* ${registry?.remediation}`);
  });

  test('the fingerprint ignores the line: moving the finding keeps the alert', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-sarif-'));
    try {
      const text = readFileSync(TTL, 'utf8');
      const a = join(dir, 'a.yaml');
      writeFileSync(a, text);
      const before = JSON.parse(cli(['check', a, '--format', 'sarif']).stdout).runs[0].results[0];
      writeFileSync(a, `# a comment\n# another\n${text}`);
      const after = JSON.parse(cli(['check', a, '--format', 'sarif']).stdout).runs[0].results[0];
      expect(after.locations[0].physicalLocation.region.startLine).toBe(before.locations[0].physicalLocation.region.startLine + 2);
      expect(after.partialFingerprints).toEqual(before.partialFingerprints);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JSON locations', () => {
  test('a finding points at the YAML line of its field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-loc-'));
    try {
      const spec = join(dir, 'block.yaml');
      writeFileSync(spec, [
        'name: shop', //                                                  1
        'mode: active-passive', //                                        2
        'regions:', //                                                    3
        '  - name: us-east-1', //                                         4
        '    role: primary', //                                           5
        '    peakRps: 4000', //                                           6
        '  - name: us-west-2', //                                         7
        '    role: secondary', //                                         8
        '    capacityRps: 1000', //                                       9
        'data: { engine: aurora-postgresql, classification: internal }', // 10
        'dns:', //                                                        11
        '  zoneName: example.com', //                                     12
        '  recordName: api.example.com', //                               13
        '  routing: failover', //                                         14
        '  ttlSeconds: 300', //                                           15
        '',
      ].join('\n'));
      const json = JSON.parse(cli(['check', spec, '--format', 'json']).stdout);
      const byRule = (id: string) => json.findings.filter((f: { ruleId: string }) => f.ruleId === id);
      expect(byRule('GEO-DNS-001').map((f: { location: unknown }) => f.location)).toEqual([{ file: spec, line: 15 }, { file: spec, line: 15 }]);
      // us-east-1 fails and us-west-2 (capacity 1000) cannot take its 4000 rps: the failed region's capacity line,
      // or the region entry itself when capacityRps is not written there.
      const cap = byRule('GEO-CAPACITY-001');
      expect(cap).toHaveLength(1);
      expect(cap[0].location).toEqual({ file: spec, line: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('specPathOf: rules that name a spec field, region-scoped rules and suppressions', () => {
    const spec = parseSpecText(readFileSync(SUPPRESSED, 'utf8'));
    const f = (ruleId: string, resource: string, region?: string) => ({
      ruleId, resource, region, title: '', severity: 'error' as const, message: '', unknown: false, suppressed: false,
    });
    expect(specPathOf(f('GEO-QUORUM-004', 'data.quorum.writeQuorum'), spec)).toEqual(['data', 'quorum', 'writeQuorum']);
    expect(specPathOf(f('GEO-KMS-001', 'us-west-2', 'us-west-2'), spec)).toEqual(['regions', 1]);
    expect(specPathOf(f('GEO-HEALTH-001', 'hc', 'us-east-1'), spec)).toEqual(['dns', 'healthCheck', 'intervalSeconds']);
    expect(specPathOf(f('GEO-META-001', 'suppression:GEO-DNS-001'), spec)).toEqual(['suppressions', 0]);
  });
});

describe('JUnit and --fail-on', () => {
  test('a warning fails only when --fail-on warning; below it the case passes with the finding in system-out', () => {
    const byDefault = cli(['check', SHORT, '--format', 'junit']).stdout;
    expect(xmlProblem(byDefault)).toBeUndefined();
    expect(byDefault).toMatch(new RegExp(`<testsuites name="meridian" tests="${RULES.length}" failures="0" skipped="0">`));
    expect(byDefault).toMatch(/name="GEO-CAPACITY-001 [^"]*"><system-out>warning us-east-1: /);
    const strict = cli(['check', SHORT, '--format', 'junit', '--fail-on', 'warning']).stdout;
    expect(strict).toMatch(new RegExp(`<testsuites name="meridian" tests="${RULES.length}" failures="1" skipped="0">`));
    expect(strict).toMatch(/name="GEO-CAPACITY-001 [^"]*"><failure message="1 finding" type="warning">warning us-east-1: /);
  });
});

describe('--unknown', () => {
  // A plan has no unknowns; facts read from templates do. Make one key's rotation unresolved.
  const facts = baseFacts();
  const report = evaluate({ ...facts, keys: facts.keys.map((k, i) => (i === 0 ? { ...k, rotation: undefined } : k)) }, { now: new Date('2026-06-01T00:00:00Z') });
  const unknown = report.findings.filter((f) => f.unknown);
  test('the fixture has exactly one unknown finding, a warning by default', () => {
    expect(unknown.map((f) => [f.ruleId, f.severity])).toEqual([['GEO-KMS-002', 'warning']]);
    expect(failsAt(report, 'error')).toBe(false);
  });
  test.each([['error', true], ['warning', false], ['info', false]] as const)('--unknown %s: fails at error = %s', (level, fails) => {
    const mapped = withUnknownLevel(report, level);
    expect(mapped.findings.filter((f) => f.unknown).map((f) => f.severity)).toEqual([level]);
    expect(mapped.summary[level]).toBe(report.summary[level] + (level === 'warning' ? 0 : 1));
    expect(failsAt(mapped, 'error')).toBe(fails);
  });
  test('known findings keep their severity', () => {
    const mapped = withUnknownLevel(report, 'info');
    expect(mapped.findings.filter((f) => !f.unknown).map((f) => f.severity)).toEqual(report.findings.filter((f) => !f.unknown).map((f) => f.severity));
  });
});

describe('Markdown', () => {
  test('a summary and a table of open findings with links to the rules', () => {
    const r = cli(['check', TTL, '--format', 'markdown']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual(['# Meridian policy report', '', '## shop', '', `2 errors, 0 warnings, 0 info, 0 suppressed (${RULES.length} rules checked)`]);
    expect(r.stdout).toContain('| error | [GEO-DNS-001](https://unpkg.com/meridian-geo/RULES.md#geo-dns-001) | shop-us-east-1-primary |');
    expect(r.stdout).toContain('| 300 | 60 | test/fixtures/policy/ttl-300.yaml:8 |');
  });
});

describe('several inputs', () => {
  test('each PATH is checked; the exit status is the worst; JSON locations tell them apart', () => {
    const r = cli(['check', SHORT, TTL, '--format', 'json']);
    expect(r.code).toBe(1);
    const files = new Set(JSON.parse(r.stdout).findings.map((f: { location: { file: string } }) => f.location.file));
    expect([...files].sort()).toEqual([SHORT, TTL].sort());
  });
  test('an unreadable input among good ones is an input error naming it', () => {
    const r = cli(['check', SHORT, 'missing.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('missing.yaml: file not found\n');
  });
});
