/**
 * A check of synthesized output (a template, Terraform JSON) never loads the YAML parser, zod or the spec
 * schema: they are most of a spec check's start-up, and lib/cli and lib/facts require them only on the
 * path that reads a spec. Run in fresh processes, since Jest keeps its own module registry.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { RUN_TS } from '../support/node-ts';

const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'facts');
const spec = path.join(root, 'examples', 'specs', 'orders.yaml');

/** The exit code and the files in require.cache after `meridian ...argv`, run in-process in a fresh Node.js. */
function modulesLoadedBy(argv: string[]): { code: number; loaded: string[] } {
  const script = [
    "const { main } = require('./lib/cli');",
    "const io = { stdout: { write() {} }, stderr: { write(s) { process.stderr.write(s); } }, env: {}, now: new Date(0) };",
    `const code = main(${JSON.stringify(argv)}, io);`,
    'process.stdout.write(JSON.stringify({ code, loaded: Object.keys(require.cache) }));',
  ].join('\n');
  const r = spawnSync(process.execPath, [...RUN_TS, '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; loaded: string[] };
}

const sep = path.sep;
const specSide = (loaded: string[]) => loaded.filter((f) =>
  f.includes(`${sep}node_modules${sep}yaml${sep}`) || f.includes(`${sep}node_modules${sep}zod${sep}`)
  || /[\\/]lib[\\/]model[\\/](spec|load|plan)\.ts$/.test(f)).map((f) => path.relative(root, f));

describe('modules a check loads', () => {
  test.each([
    ['a CloudFormation template', ['check', path.join(fixtures, 'orders-eu.template.json')]],
    ['Terraform JSON', ['check', path.join(fixtures, 'payments.tf.json')]],
    ['the facts of a template', ['facts', path.join(fixtures, 'orders-eu.template.json')]],
  ])('%s: neither yaml, zod, the spec schema, the spec loader nor the planner', (_what, argv) => {
    // WHEN the CLI reads synthesized output
    const { code, loaded } = modulesLoadedBy(argv);
    // THEN it read it (a check exits 0 or 1 by its findings; facts 0) through lib/facts ...
    expect([0, 1]).toContain(code);
    expect(loaded.some((f) => /[\\/]lib[\\/]facts[\\/]read\.ts$/.test(f))).toBe(true);
    // ... and loaded nothing of the spec side
    expect(specSide(loaded)).toEqual([]);
  });

  test('a spec check does load them (the filter above would see them)', () => {
    const { code, loaded } = modulesLoadedBy(['check', '--spec', spec]);
    expect([0, 1]).toContain(code);
    const found = specSide(loaded);
    for (const m of ['spec', 'load', 'plan']) expect(found).toContain(path.join('lib', 'model', `${m}.ts`));
    expect(found.some((f) => f.includes(`${sep}yaml${sep}`))).toBe(true);
    expect(found.some((f) => f.includes(`${sep}zod${sep}`))).toBe(true);
    // ... but not the facts command: the usage text, which names every command, is built for --help only
    expect(loaded.filter((f) => /[\\/]lib[\\/]cli[\\/]facts\.ts$/.test(f))).toEqual([]);
  });
});
