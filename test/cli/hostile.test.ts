/**
 * Hostile and careless input to the CLI (issue 13): devices and FIFOs, wrong encodings, YAML anchor
 * tricks, huge values, floods of errors, control characters and broken output streams. Each case
 * asserts the exit status, a time bound, no stack trace and, where output is produced, that it is
 * escaped (text) or well-formed (XML).
 *
 * What needs a process runs the built binary as a subprocess (`runProcess`): whatever could block or
 * never end if the CLI regressed (FIFOs, devices — a subprocess can be killed at its time bound, a
 * blocked test worker cannot), standard input, the working directory, standard output that goes away
 * or fills up, and the 4 MB error flood (a fresh heap parses it faster). Everything else — the
 * contents of files and what the CLI says about them — runs `main()` in-process (`run`,
 * test/support/cli.ts), as the binary calls it, without a process start per case.
 */
import { spawn, spawnSync } from 'child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadInput } from '../../lib/cli/inputs';
import { SpecError } from '../../lib/model/errors';
import { MAX_REPORTED_ISSUES } from '../../lib/model/limits';
import { runCli } from '../support/cli';
import { buildCli, type BuiltCli } from './build';
import { xmlProblem } from './xml';

const ROOT = join(__dirname, '..', '..');
/** Generous for a loaded 2-core machine: a hang is what these bounds catch, not a slow second. */
const QUICK_MS = 15_000;

const BASE = [
  'name: shop',
  'mode: active-passive',
  'regions:',
  '  - { name: us-east-1, role: primary }',
  '  - { name: us-west-2, role: secondary }',
  'data: { engine: aurora-postgresql, classification: internal }',
  'dns: { zoneName: example.com, recordName: api.example.com, routing: failover, ttlSeconds: 300 }',
  '',
].join('\n');

let cli: BuiltCli;
let dir: string;

beforeAll(() => {
  cli = buildCli();
  dir = mkdtempSync(join(tmpdir(), 'meridian-hostile-'));
});
afterAll(() => {
  cli.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface Run { status: number | null; stdout: string; stderr: string; ms: number }

/** `meridian ...args` in-process (lib/cli's main, as bin/meridian.ts runs it), timed. */
function run(args: string[]): Run {
  const t = Date.now();
  const r = runCli(args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

/** `meridian ...args` as a subprocess of the built binary, killed at its time bound. */
function runProcess(args: string[], opts: { input?: string | Buffer; cwd?: string; stdout?: number; timeout?: number } = {}): Run {
  const t = Date.now();
  const r = spawnSync(process.execPath, cli.argv(...args), {
    env: cli.env, encoding: 'utf8', input: opts.input, cwd: opts.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeout ?? 60_000, killSignal: 'SIGKILL',
    ...(opts.stdout !== undefined ? { stdio: ['pipe', opts.stdout, 'pipe'] } : {}),
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t };
}

/** An input error: exit 2, nothing on stdout, short one-line messages, no stack trace, no "internal error". */
function expectInputError(r: Run, message: RegExp, maxMs = QUICK_MS): void {
  expect(r.status).toBe(2);
  expect(r.ms).toBeLessThan(maxMs);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(MAX_REPORTED_ISSUES + 1);
}

describe('reading: never blocks, never grows without bound', () => {
  test('a FIFO is refused without being opened (opening it would block)', () => {
    const fifo = join(dir, 'spec.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectInputError(runProcess(['check', fifo]), /spec\.fifo: is not a regular file .*standard input with "-"/);
    expectInputError(runProcess(['check', '--spec', fifo]), /spec\.fifo: is not a regular file/);
  });
  test.each(['/dev/zero', '/dev/urandom'])('%s as a path is refused', (dev) => {
    expectInputError(runProcess(['check', dev]), new RegExp(`^${dev}: is not a regular file`));
  });
  test('endless zeros on standard input stop at the size limit', () => {
    const r = runProcess(['check', '-', '--max-input-bytes', '1000000'], { input: Buffer.alloc(2_000_000) });
    expectInputError(r, /^<stdin>: input is larger than 1000000 bytes; raise the limit with --max-input-bytes/);
  });
  test('random bytes on standard input are not UTF-8 text', () => {
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 251 | 0x80));
    expectInputError(runProcess(['check', '-'], { input: bytes }), /^<stdin>: is not valid UTF-8 text/);
  });
  test('a file over the limit is refused before it is read; the flag raises the limit', () => {
    const big = file('big.yaml', `${BASE}# ${'x'.repeat(2000)}\n`);
    expectInputError(run(['check', big, '--max-input-bytes', '1024']), /big\.yaml: input is larger than 1024 bytes/);
    expect(run(['check', big, '--max-input-bytes', '4096']).status).toBe(1); // TTL 300 is an error finding
  });
  test('a spec on standard input is read once and checked', () => {
    const r = runProcess(['check', '-', '--format', 'json'], { input: BASE });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ ruleId: 'GEO-DNS-001', location: { file: '<stdin>', line: 7 } });
  });
  test.each([
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, 'utf16le')]), /is UTF-16 encoded; save it as UTF-8/],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(BASE, 'utf16le').swap16()]), /is UTF-16 encoded/],
    ['UTF-16LE without BOM', Buffer.from(BASE, 'utf16le'), /looks UTF-16 or UTF-32 encoded/],
    ['UTF-32LE with BOM', Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]), /is UTF-32 encoded/],
  ])('%s gets a message about the encoding', (_name, bytes, message) => {
    expectInputError(run(['check', file('encoded.yaml', bytes)]), message);
  });
  test('a UTF-8 byte-order mark is accepted', () => {
    expect(run(['check', file('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE)]))]).status).toBe(1);
  });
});

describe('parsing: every failure is an input error with a line', () => {
  test.each([
    ['a self-referencing anchor', 'name: &a [*a]\nmode: active-passive\n', /:1: name\[0\]: a YAML anchor contains an alias of itself/],
    ['an undefined alias', 'name: shop\nmode: *nope\n', /:2: Unresolved alias .*nope/],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(10)}*a]\nc: [${'*b, '.repeat(120)}*b]\n`, /Excessive alias count/],
    ['10,000 nested brackets', `name: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, /:1: is nested too deeply/],
    ['a duplicate key', `${BASE}name: again\n`, /:8: duplicate key "name" \(first at line 1\)/],
    ['truncated JSON', '{"name": "shop", "mode": ', /:1: /],
  ])('%s', (_name, text, message) => {
    expectInputError(run(['check', file('parse.yaml', text)]), message);
  });
  test('64,000 tags parse in linear time (the duplicate-key check is not quadratic)', () => {
    const tags = Array.from({ length: 64_000 }, (_, i) => `  k${i}: v\n`).join('');
    const r = run(['check', file('tags.yaml', `${BASE}tags:\n${tags}`)]);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect([1, 2]).toContain(r.status); // 1: findings; 2: if tag limits refuse 64k tags — either way, fast
    expect(r.ms).toBeLessThan(30_000);
  });
  test('a 2 MB value is echoed truncated, not whole', () => {
    const r = run(['check', file('huge.yaml', BASE.replace('name: shop', `name: ${'a'.repeat(2_000_000)}`))]);
    expectInputError(r, /:1: name: .*\(got "a{80,}… \(\d+ characters\)\)?$/m);
    expect(r.stderr.length).toBeLessThan(2_000);
  });
  test('100,000 duplicate regions print the first issues and a count, not 17 MB', () => {
    const dups = '  - { name: us-east-1, role: secondary }\n'.repeat(100_000);
    // A subprocess: parsing the 4 MB flood allocates several hundred MB, which a fresh heap collects
    // faster than a test worker's (5 s against 7-8 s in-process, measured).
    const r = runProcess(['check', file('dups.yaml', BASE.replace('regions:\n', `regions:\n${dups}`))]);
    expectInputError(r, /^… and [\d,]+ more$/m, 120_000);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(r.stderr.length).toBeLessThan(10_000);
  }, 180_000);
});

describe('output: user text cannot forge lines or break documents', () => {
  // A suppression reason with ESC sequences, BEL, NUL, CR, a newline that forges a finding, an XML-illegal
  // control character and a bidi override.
  const reason = 'legacy resolvers\\e[2J\\a\\0\\r\\nERROR   GEO-FAKE-001 forged: line\\x01 \\u202e done';
  const hostile = () => file('hostile.yaml', `${BASE}suppressions:\n  - { rule: GEO-DNS-001, reason: "${reason}" }\n`);

  test('text: control characters are escaped, one finding per line', () => {
    const r = run(['check', hostile()]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(r.stdout).not.toMatch(/^ERROR +GEO-FAKE/m);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('ERROR'))).toHaveLength(2);
    expect(lines[0]).toContain('[suppressed: legacy resolvers\\e[2J\\x07\\0\\r\\nERROR   GEO-FAKE-001 forged: line\\x01 \\u202e done]');
  });
  test('JUnit: XML-illegal characters are dropped and the document is well-formed', () => {
    const r = run(['check', hostile(), '--format', 'junit']);
    expect(r.status).toBe(0);
    expect(xmlProblem(r.stdout)).toBeUndefined();
    expect(r.stdout).toContain('<skipped message="suppressed: legacy resolvers[2J');
  });
  test('Markdown: a value cannot break out of its table cell', () => {
    const r = run(['check', file('md.yaml', BASE), '--format', 'markdown']);
    expect(r.status).toBe(1);
    for (const row of r.stdout.split('\n').filter((l) => l.startsWith('| error'))) expect(row.split(/(?<!\\)\|/)).toHaveLength(9);
  });
  test('SARIF: the artifact URI is percent-encoded', () => {
    const name = 'my spec #1 ü%.yaml';
    writeFileSync(join(dir, name), BASE);
    const r = runProcess(['check', name, '--format', 'sarif'], { cwd: dir });
    expect(r.status).toBe(1);
    const uri = JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe('my%20spec%20%231%20%C3%BC%25.yaml');
  });
  test('the self-check of this test: a forged document is caught by the XML check', () => {
    expect(xmlProblem('<a><b></a></b>')).toMatch(/wrong element/);
    expect(xmlProblem('<a>\u0001</a>')).toMatch(/not allowed/);
    expect(xmlProblem('<a x="1" x="2"/>')).toMatch(/repeated/);
    expect(xmlProblem('<a>&bogus</a>')).toMatch(/bare &/);
    expect(xmlProblem('<a b="&lt;"/>')).toBeUndefined();
  });
});

describe('write errors end quietly with exit 3', () => {
  test('a closed pipe (`| head`) exits 3 with no stack trace', async () => {
    const child = spawn(process.execPath, cli.argv('check', file('pipe.yaml', BASE), '--format', 'sarif'), { env: cli.env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end before the child has started: its first write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const t = Date.now();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(3);
    expect(Date.now() - t).toBeLessThan(QUICK_MS);
    expect(stderr).toBe('');
  });
  test('a full disk on stdout (/dev/full) exits 3 with one line', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = runProcess(['check', file('full.yaml', BASE)], { stdout: fd });
      expect(r.status).toBe(3);
      expect(r.stderr).toBe('meridian: cannot write to standard output: ENOSPC\n');
    } finally {
      closeSync(fd);
    }
  });
  test('a full disk on --output exits 3 naming the file', () => {
    const r = run(['check', file('full2.yaml', BASE), '--format', 'json', '--output', '/dev/full']);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('meridian: cannot write /dev/full: ENOSPC\n');
  });
  test('several --format/--output pairs in one run', () => {
    const sarif = join(dir, 'out.sarif');
    const junit = join(dir, 'out.xml');
    const r = run(['check', file('pairs.yaml', BASE), '--format', 'sarif', '--output', sarif, '--format', 'junit', '-o', junit, '--format', 'text']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ERROR {3}GEO-DNS-001 /);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(xmlProblem(readFileSync(junit, 'utf8'))).toBeUndefined();
  });
});

describe('a flood of plan issues keeps every issue and its line', () => {
  test('issues past the printed ones carry their lines too (looked up when read)', () => {
    const dups = '  - { name: us-east-1, role: secondary }\n'.repeat(MAX_REPORTED_ISSUES + 20);
    const path = file('dups-small.yaml', BASE.replace('regions:\n', `regions:\n${dups}`));
    let error: unknown;
    try {
      loadInput(path, { maxBytes: 1_000_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const issues = (error as SpecError).issues;
    expect(issues.length).toBeGreaterThan(MAX_REPORTED_ISSUES + 10);
    // Line 3 is `regions:`, and the duplicates come first: region i is on line 4 + i.
    const lastRegion = issues.filter((i) => i.path.startsWith('regions[')).pop();
    for (const i of [issues[0], issues[MAX_REPORTED_ISSUES - 1], issues[MAX_REPORTED_ISSUES], lastRegion]) {
      const index = Number(/^regions\[(\d+)\]/.exec(i?.path ?? '')?.[1]);
      expect(Number.isInteger(index)).toBe(true);
      expect(i?.line).toBe(4 + index);
    }
    expect(JSON.parse(JSON.stringify(issues)).every((i: { line?: unknown }) => typeof i.line === 'number')).toBe(true);
  });
});
