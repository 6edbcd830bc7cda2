/**
 * `meridian check --spec` start-up, whole processes, against `node -e 0`, alternated, in three states:
 *
 * - warm: the temporary directory holds the code cache an earlier run wrote (or the shipped one is used);
 * - cold: a fresh temporary directory on every run, as in a fresh container: the package's shipped code
 *   cache is all there is (it was made with this machine's V8 by `npm run build`);
 * - cold-other-v8: the same with the shipped cache removed (a Node.js whose V8 the package has no cache
 *   for): no code cache at all, the bundle is compiled from its text and the run writes a cache to the
 *   temporary directory. Issue 12's target (at most 2x `node -e 0`) is measured here since the fifth
 *   round, so that it holds for every Node.js, not only the one the package was built with.
 *
 * CPU time (user + system) of each process, which it reports itself (bench/cpu-at-exit.cjs, the last
 * thing it does), so other processes on a shared machine weigh on neither side; the `-wall` cases give
 * the wall time of the same runs. The binary is dist/bin/meridian-cli.js (`npm run build` first), or
 * the one of an installed package: MERIDIAN_BENCH_CLI=<folder>/node_modules/meridian-geo/dist/bin/meridian-cli.js
 * measures what users run (npm pack, then install the tarball into an empty folder).
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { median, type Case } from './measure';

type Variant = 'warm' | 'cold' | 'cold-other-v8';
interface Medians { base: { cpu: number; wall: number }; subject: { cpu: number; wall: number } }

const RUNS = 15;
const HOOK = join(__dirname, 'cpu-at-exit.cjs');

/** CPU and wall time of one `node <args>` in milliseconds; throws unless it exits 0. */
function timeProcess(args: string[], tmp: string): { cpu: number; wall: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString() ?? ''}`);
  const cpu = Number(r.output[3]?.toString().trim()) / 1000;
  if (!Number.isFinite(cpu) || cpu <= 0) throw new Error(`node ${args.join(' ')} reported no CPU time`);
  return { cpu, wall };
}

export function cliStartupCases(scratch: (name: string) => string): Case[] {
  const measured = new Map<Variant, Medians>();

  /** The binary to run: the configured one, or for cold-other-v8 a copy of its package without shipped caches. */
  const binary = (variant: Variant): string => {
    const cli = process.env.MERIDIAN_BENCH_CLI ?? join(__dirname, '..', 'dist', 'bin', 'meridian-cli.js');
    if (!existsSync(cli)) throw new Error(`no ${cli}: npm run build first (or set MERIDIAN_BENCH_CLI)`);
    if (variant !== 'cold-other-v8') return cli;
    // <package>/dist/bin/meridian-cli.js: the bundle finds package.json two folders up.
    const pkg = dirname(dirname(dirname(cli)));
    const copy = scratch('cli-other-v8');
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(join(copy, 'dist'), { recursive: true });
    cpSync(join(pkg, 'package.json'), join(copy, 'package.json'));
    cpSync(join(pkg, 'dist', 'bin'), join(copy, 'dist', 'bin'), { recursive: true });
    const shipped = readdirSync(join(copy, 'dist', 'bin')).filter((f) => f.endsWith('.cache'));
    if (shipped.length === 0) throw new Error(`${dirname(cli)} ships no code cache: npm run build first`);
    for (const f of shipped) rmSync(join(copy, 'dist', 'bin', f));
    return join(copy, 'dist', 'bin', 'meridian-cli.js');
  };

  const measure = (variant: Variant): Medians => {
    const known = measured.get(variant);
    if (known) return known;
    const small = join(scratch('cli'), 'small.yaml');
    mkdirSync(dirname(small), { recursive: true });
    writeFileSync(small, [
      'name: shop', 'mode: active-passive', 'regions:',
      '  - { name: us-east-1, role: primary, endpoint: use1.shop.example.com }',
      '  - { name: us-west-2, role: secondary, endpoint: usw2.shop.example.com }',
      'data: { engine: aurora-postgresql, classification: internal }',
      'dns: { zoneName: example.com, recordName: shop.example.com, routing: failover }', '',
    ].join('\n'));
    const cli = binary(variant);
    const warmTmp = scratch(`cli-tmp-${variant}`);
    mkdirSync(warmTmp, { recursive: true });
    const run = (args: string[]) => {
      if (variant === 'warm') return timeProcess(args, warmTmp);
      const tmp = mkdtempSync(join(scratch('cli'), 'tmp-'));
      try { return timeProcess(args, tmp); } finally { rmSync(tmp, { recursive: true, force: true }); }
    };
    const base: Array<{ cpu: number; wall: number }> = [];
    const subject: Array<{ cpu: number; wall: number }> = [];
    const node = ['-e', '0'];
    const check = [cli, 'check', '--spec', small];
    for (let i = 0; i < 3; i++) { run(node); run(check); }
    for (let i = 0; i < RUNS; i++) { base.push(run(node)); subject.push(run(check)); }
    const of = (xs: typeof base) => ({ cpu: median(xs.map((x) => x.cpu)), wall: median(xs.map((x) => x.wall)) });
    const result = { base: of(base), subject: of(subject) };
    measured.set(variant, result);
    return result;
  };

  const what: Record<Variant, string> = {
    warm: 'code cache warm',
    cold: 'fresh temporary directory per run (a fresh container): the shipped code cache only',
    'cold-other-v8': 'fresh temporary directory per run, shipped code cache removed (a V8 the package has none for)',
  };
  const suffix: Record<Variant, string> = { warm: '', cold: '-cold', 'cold-other-v8': '-cold-other-v8' };
  return (['warm', 'cold', 'cold-other-v8'] as const).flatMap((variant): Case[] => [
    {
      name: `cli-check-startup${suffix[variant]}`,
      baseline: `\`node -e 0\`; subject: \`meridian check --spec\` (built bundle) on a two-region spec, ${what[variant]}; CPU of the process`,
      run: () => { const m = measure(variant); return { base: m.base.cpu, subject: m.subject.cpu }; },
    },
    {
      name: `cli-check-startup${suffix[variant]}-wall`,
      baseline: `the same runs, wall time`,
      run: () => { const m = measure(variant); return { base: m.base.wall, subject: m.subject.wall }; },
    },
  ]);
}
