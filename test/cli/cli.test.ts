import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { packageVersion } from '../../lib/cli';
import { runCli } from '../support/cli';
import { RULES } from '../../lib/policy';
import { at } from '../../lib/model/lookup';
import { RUN_TS } from '../support/node-ts';

const ROOT = join(__dirname, '..', '..');
const FIX = join('test', 'fixtures', 'policy');
const ORDERS = join('examples', 'specs', 'orders.yaml');
const SHORT = join(FIX, 'capacity-short.yaml');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const cli = runCli;

describe('meridian check', () => {
  test('exit 0: the orders example passes every rule', () => {
    const r = cli(['check', '--spec', ORDERS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^orders: 0 errors, 0 warnings, 0 info, 0 suppressed \(\d+ rules checked\)\n$/);
  });
  test('exit 0 on a warning by default, 1 with --fail-on warning', () => {
    const r = cli(['check', '--spec', SHORT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WARNING GEO-CAPACITY-001 us-east-1: /);
    expect(r.stdout).toMatch(/orders: 0 errors, 1 warning, 0 info, 0 suppressed \(\d+ rules checked\)\n$/);
    expect(cli(['check', '--spec', SHORT, '--fail-on', 'warning']).code).toBe(1);
    expect(cli(['check', '--spec', SHORT, '--fail-on=error']).code).toBe(0);
    expect(cli(['check', '--spec', ORDERS, '--fail-on', 'warning']).code).toBe(0);
  });
  test('exit 1 on an unsuppressed error; 0 once it is suppressed', () => {
    expect(cli(['check', '--spec', join(FIX, 'ttl-300.yaml')]).code).toBe(1);
    const r = cli(['check', '--spec', join(FIX, 'ttl-300-suppressed.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[suppressed: legacy resolvers pin the TTL until the migration]');
  });
  test('--format json', () => {
    const r = cli(['check', '--spec', join(FIX, 'ttl-300.yaml'), '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.findings).toHaveLength(2);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'message', 'resource', 'value', 'limit', 'suppressed']));
    }
    expect(json.findings[0]).toMatchObject({ ruleId: 'GEO-DNS-001', severity: 'error', resource: 'shop-us-east-1-primary', value: 300, limit: 60, suppressed: false });
    expect(json.summary).toMatchObject({ error: 2, warning: 0, info: 0, suppressed: 0 });
  });
  test('--format sarif and junit', () => {
    const sarif = cli(['check', '--spec', join(FIX, 'ttl-300.yaml'), '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.stdout);
    expect(doc.runs[0].tool.driver.version).toBe(VERSION);
    expect(doc.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['GEO-DNS-001', 'GEO-DNS-001']);
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/fixtures/policy/ttl-300.yaml');
    const junit = cli(['check', '--spec', join(FIX, 'ttl-300.yaml'), '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(new RegExp(`<testsuites name="meridian" tests="${RULES.length}" failures="1" skipped="0">`));
  });
  test('colour only on a TTY, and never with NO_COLOR', () => {
    expect(cli(['check', '--spec', SHORT], { tty: true }).stdout).toMatch(/\x1b\[33mWARNING/);
    expect(cli(['check', '--spec', SHORT], { tty: false }).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['check', '--spec', SHORT], { tty: true, env: { NO_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
  });
  test('exit 2: schema errors name file, line, path and value', () => {
    const r = cli(['check', '--spec', join(FIX, 'bad-schema.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/bad-schema\.yaml:6: regions\[1\]\.name: unknown AWS region "eu-west-9".*\(got "eu-west-9"\)$/),
      expect.stringMatching(/bad-schema\.yaml:9: colour: unknown field "colour"/),
    ]);
  });
  test('exit 2: plan errors get the file and line too', () => {
    const r = cli(['check', '--spec', join(FIX, 'bad-role.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-role\.yaml:6: regions\[1\]\.role: role "secondary" is not allowed in active-active mode; allowed: active/);
  });
  test.each([
    [['check'], /check needs a PATH .* or --spec FILE/],
    [['check', '--spec', 'nope.yaml'], /^nope\.yaml: file not found$/m],
    [['check', 'nope.yaml'], /^nope\.yaml: file not found$/m],
    [['check', '--spec', ORDERS, '--bogus'], /Unknown option '--bogus'/],
    [['check', '--spec', ORDERS, '--format', 'xml'], /--format must be one of text \| json \| sarif \| junit \| markdown, got "xml"/],
    [['check', '--spec', ORDERS, '--fail-on', 'info'], /--fail-on must be one of error \| warning, got "info"/],
    [['check', '--spec', ORDERS, '--format', 'json', '--format', 'text'], /2 formats write to standard output \(json, text\)/],
    [['check', '--spec', ORDERS, '--unknown', 'fatal'], /--unknown must be one of error \| warning \| info, got "fatal"/],
    [['check', '--spec', ORDERS, '--max-input-bytes', '10MB'], /--max-input-bytes must be a positive whole number/],
    [['facts'], /facts needs exactly one PATH, got 0/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
    [['rules', '--verbose'], /Unknown option '--verbose'/],
  ])('exit 2: %j', (argv, message) => {
    const r = cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('meridian rules, --version, --help', () => {
  test('rules lists id, severity and title of every rule', () => {
    const r = cli(['rules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(RULES.length);
    expect(lines[0]).toBe(`GEO-QUORUM-001      error    ${at(RULES, 0, 'rule').title}`);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(RULES.map((r) => r.id));
  });
  test('--version prints the package version', () => {
    expect(cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
  test('the version is found from the built layout (dist/lib/cli) too', () => {
    expect(packageVersion(join(ROOT, 'dist', 'lib', 'cli'))).toBe(VERSION);
    expect(packageVersion(join(ROOT, 'lib', 'cli'))).toBe(VERSION);
  });
  test.each([[['--help']], [['check', '--help']], [['rules', '-h']]])('%j prints usage', (argv) => {
    const r = cli(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('meridian check PATH...');
    expect(r.stdout).toContain('meridian check --spec FILE');
    // every command's usage, loaded for --help only
    expect(r.stdout).toContain('meridian facts PATH [--format json]');
    expect(r.stdout).toContain('meridian rules');
  });
});

describe('the real binary', () => {
  const spawn = (...args: string[]) => spawnSync(process.execPath, [...RUN_TS, 'bin/meridian.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
  });
  test('check --format json exits 0 with a JSON report', () => {
    const r = spawn('check', '--spec', ORDERS, '--format', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ error: 0, warning: 0 });
  });
  test('a usage error exits 2 with one line and no stack trace', () => {
    const r = spawn('check', '--spec', ORDERS, '--nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^meridian: Unknown option '--nope'.*\(see meridian --help\)\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  test('starts with a node shebang', () => {
    expect(readFileSync(join(ROOT, 'bin', 'meridian.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
