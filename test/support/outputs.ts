/**
 * Synthesized outputs of the example apps, shared by every test file of a run.
 *
 * Synthesis is the expensive part of the suite, and most tests only read templates. So each example is
 * synthesized once per run and per renderer, into a directory keyed by a hash of the sources that can
 * change its output (lib, examples, bin, the lockfile, this file):
 *
 * - `cdkAssemblyDir(example)`: the AWS CDK cloud assembly, synthesized as `cdk synth` does (the context of
 *   the example's cdk.json: the recommended feature flags) with the built-in CloudFormation validation ON
 *   (its `validation-report.json` is the one validated synth of the example);
 * - `cdkTemplates(example)`: its templates by stack name;
 * - `terraformJson(example)`: the cdktf Terraform JSON of the same spec (`synthesizeGeoPlan`, validations on).
 *
 * The first worker that needs an output synthesizes it under a lock (a directory created atomically)
 * and renames it into place; a worker that finds it locked synthesizes another missing output first,
 * then waits. `test/support/global-setup.ts` computes the key once per run and drops stale keys;
 * MERIDIAN_TEST_OUTPUTS_FRESH=1 discards the outputs of earlier runs with the same sources.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { GeoPlan, GeoSpec, ValidSpec } from '../../lib/model';
import { cdkContextOf, withCliContext } from './cdk-context';
import { quietly } from './quiet';
import { withRealStackTraces } from './stack-traces';

/** The examples with shared outputs: the three example apps, and `orders` (bin/app.ts, the app cdk.json runs). */
export const EXAMPLE_NAMES = ['active-passive', 'active-active', 'partitioned-residency', 'orders'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];
/** The example apps under examples/ (without the default app). */
export const EXAMPLE_APPS = ['active-passive', 'active-active', 'partitioned-residency'] as const satisfies readonly ExampleName[];

type Renderer = 'cdk' | 'terraform';

const REPO = path.resolve(__dirname, '..', '..');
/** What the outputs depend on, besides node_modules (pinned by the lockfile). */
const SOURCES = ['lib', 'examples', 'bin', 'cdk.json', 'package-lock.json', 'tsconfig.json', path.join('test', 'support', 'outputs.ts'), path.join('test', 'support', 'cdk-context.ts'), path.join('test', 'support', 'stack-traces.ts')];
const SKIP_DIRS = new Set(['node_modules', 'cdk.out', 'cdktf.out', '.gen']);

/** Environment variable naming the outputs directory of the run (set by the global setup). */
export const OUTPUTS_ENV = 'MERIDIAN_TEST_OUTPUTS';
/** Parent of the outputs directories of this checkout (one per source key; other checkouts have their own). */
export const OUTPUTS_PARENT = path.join(os.tmpdir(), 'meridian-test-outputs', crypto.createHash('sha256').update(REPO).digest('hex').slice(0, 12));

/** Hash of every source file that can change a synthesized output, and of the Node.js version. */
export function sourceKey(): string {
  const hash = crypto.createHash('sha256').update(process.version);
  const walk = (rel: string): void => {
    const abs = path.join(REPO, rel);
    let stat: fs.Stats;
    try { stat = fs.statSync(abs); } catch { return; }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort()) if (!SKIP_DIRS.has(entry)) walk(path.join(rel, entry));
    } else {
      hash.update(`\0${rel}\0`).update(fs.readFileSync(abs));
    }
  };
  SOURCES.forEach(walk);
  return hash.digest('hex').slice(0, 16);
}

/** The outputs directory of this run. */
export function outputsRoot(): string {
  const root = process.env[OUTPUTS_ENV] ?? path.join(OUTPUTS_PARENT, sourceKey());
  process.env[OUTPUTS_ENV] = root;
  return root;
}

/** The spec of an example. */
export function exampleSpec(example: ExampleName): GeoSpec | ValidSpec {
  if (example === 'orders') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand: tests that never ask pay nothing
    const { loadSpecFile } = require('../../lib/model') as typeof import('../../lib/model');
    return loadSpecFile(path.join(REPO, 'examples', 'specs', 'orders.yaml'));
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  return (require(path.join(REPO, 'examples', example, 'app')) as { spec: GeoSpec }).spec;
}

/** The plan of an example, as its app plans it. */
export function examplePlan(example: ExampleName): GeoPlan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const { plan } = require('../../lib/model') as typeof import('../../lib/model');
  return plan(exampleSpec(example));
}

/** Synthesizes one output into `dir` (which does not exist yet). */
function produce(renderer: Renderer, example: ExampleName, dir: string): void {
  if (renderer === 'terraform') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf loads only in the worker that renders
    const { synthesizeGeoPlan } = require('../../lib/cdktf') as typeof import('../../lib/cdktf');
    synthesizeGeoPlan(examplePlan(example), { outdir: dir });
    return;
  }
  if (example === 'orders') {
    // bin/app.ts synthesizes when loaded, the way cdk.json runs it; CDK_OUTDIR points it at `dir`.
    const saved = { out: process.env.CDK_OUTDIR, spec: process.env.MERIDIAN_SPEC };
    const listeners = new Set(process.listeners('beforeExit'));
    process.env.CDK_OUTDIR = dir;
    delete process.env.MERIDIAN_SPEC;
    try {
      // Only this function loads bin/app, once per test file at most (the output is cached after); with
      // the root cdk.json's context in CDK_CONTEXT_JSON, where `cdk synth` puts it.
      withCliContext(cdkContextOf(example), () => require(path.join(REPO, 'bin', 'app'))); // eslint-disable-line @typescript-eslint/no-require-imports
    } finally {
      // With CDK_OUTDIR set, aws-cdk-lib's App also synthesizes on 'beforeExit' (autoSynth). The app has
      // synthesized already; the listener would only keep the whole app alive until the worker exits.
      for (const l of process.listeners('beforeExit')) if (!listeners.has(l)) process.removeListener('beforeExit', l);
      if (saved.out === undefined) delete process.env.CDK_OUTDIR; else process.env.CDK_OUTDIR = saved.out;
      if (saved.spec !== undefined) process.env.MERIDIAN_SPEC = saved.spec;
    }
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`bin/app.ts wrote no cloud assembly to ${dir} (see its output above)`);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const { build } = require(path.join(REPO, 'examples', example, 'app')) as { build(app: InstanceType<typeof App>): unknown };
  // The built-in CloudFormation validation stays ON: this is the example's one validated synth. The
  // context is the example's cdk.json's, as `cdk synth` in its folder passes it (the recommended flags).
  const app = new App({ outdir: dir, context: cdkContextOf(example) });
  build(app);
  // The report is in validation-report.json, which the tests read; its printed copy is noise.
  quietly(() => app.synth());
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Tries to produce one output; returns false when another process holds its lock. */
function tryProduce(renderer: Renderer, example: ExampleName): boolean {
  const final = path.join(outputsRoot(), renderer, example);
  if (fs.existsSync(final)) return true;
  fs.mkdirSync(path.dirname(final), { recursive: true });
  const lock = `${final}.lock`;
  try {
    fs.mkdirSync(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A lock whose owner died (a crashed or killed worker) is stale: take it over.
    let owner = NaN;
    try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* not written yet */ }
    if (Number.isInteger(owner) && !alive(owner)) fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
  const tmp = `${final}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    if (fs.existsSync(final)) return true;
    fs.rmSync(tmp, { recursive: true, force: true });
    // With creation stacks, as `cdk synth` and cdktf record them (./stack-traces.ts).
    withRealStackTraces(() => produce(renderer, example, tmp));
    fs.renameSync(tmp, final);
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const ALL: ReadonlyArray<[Renderer, ExampleName]> = (['cdk', 'terraform'] as const).flatMap((r) => EXAMPLE_NAMES.map((e): [Renderer, ExampleName] => [r, e]));
const WAIT_LIMIT_MS = 10 * 60_000;

/** The directory of one output, synthesizing it first if no one has. */
function ensure(renderer: Renderer, example: ExampleName): string {
  const final = path.join(outputsRoot(), renderer, example);
  const started = Date.now();
  while (!fs.existsSync(final)) {
    if (tryProduce(renderer, example)) break;
    // Locked by another worker: do useful work meanwhile (another missing output), then wait.
    for (const [r, e] of ALL) {
      if (fs.existsSync(path.join(outputsRoot(), r, e))) continue;
      if (tryProduce(r, e)) break;
    }
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`timed out waiting for ${final} (lock ${final}.lock)`);
    sleep(100);
  }
  return final;
}

/** The cloud assembly directory of an example, synthesized with the built-in CloudFormation validation on. */
export function cdkAssemblyDir(example: ExampleName): string {
  return ensure('cdk', example);
}

/** A CloudFormation template as JSON. */
export interface CfnTemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string; [k: string]: unknown }>;
  readonly [section: string]: unknown;
}

interface AssemblyManifest {
  readonly artifacts: Record<string, { type: string; environment?: string; properties?: { stackName?: string; templateFile?: string }; dependencies?: string[] }>;
  readonly missing?: unknown[];
}

/** The manifest of an example's cloud assembly. */
export function cdkManifest(example: ExampleName): AssemblyManifest {
  return JSON.parse(fs.readFileSync(path.join(cdkAssemblyDir(example), 'manifest.json'), 'utf8')) as AssemblyManifest;
}

/** Every template of an example's cloud assembly, by stack name (a fresh copy on each call). */
export function cdkTemplates(example: ExampleName): Record<string, CfnTemplateJson> {
  const dir = cdkAssemblyDir(example);
  const out: Record<string, CfnTemplateJson> = {};
  for (const [id, artifact] of Object.entries(cdkManifest(example).artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const file = artifact.properties?.templateFile ?? `${id}.template.json`;
    out[artifact.properties?.stackName ?? id] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CfnTemplateJson;
  }
  return out;
}

/** Every stack of an example's cloud assembly: name, region (undefined when agnostic) and template (fresh copies). */
export function cdkStacks(example: ExampleName): Array<{ stackName: string; region: string | undefined; file: string; template: CfnTemplateJson }> {
  const dir = cdkAssemblyDir(example);
  return Object.entries(cdkManifest(example).artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => {
    const file = path.join(dir, a.properties?.templateFile ?? `${id}.template.json`);
    const region = /^aws:\/\/[^/]*\/(.+)$/.exec(a.environment ?? '')?.[1];
    return { stackName: a.properties?.stackName ?? id, region: region === 'unknown-region' ? undefined : region, file, template: JSON.parse(fs.readFileSync(file, 'utf8')) as CfnTemplateJson };
  });
}

interface PluginReport { readonly pluginName: string; readonly violations?: Array<{ severity?: string; description?: string; ruleName?: string }> }

function validationReports(example: ExampleName): PluginReport[] {
  const report = JSON.parse(fs.readFileSync(path.join(cdkAssemblyDir(example), 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
  return report.pluginReports;
}

/**
 * The violations of the built-in CloudFormation validation (and any other plugin but Meridian's own,
 * see `meridianValidationViolations`) in an example's synth.
 */
export function cdkValidationViolations(example: ExampleName): unknown[] {
  return validationReports(example).filter((r) => r.pluginName !== 'Meridian').flatMap((r) => r.violations ?? []);
}

/** What Meridian's synth-time policy plugin reported in an example's synth. */
export function meridianValidationViolations(example: ExampleName): NonNullable<PluginReport['violations']> {
  return validationReports(example).filter((r) => r.pluginName === 'Meridian').flatMap((r) => r.violations ?? []);
}

/** The Terraform JSON (`cdk.tf.json`) of an example rendered with CDK for Terraform (a fresh copy on each call). */
export function terraformJson(example: ExampleName): { resource?: Record<string, Record<string, Record<string, unknown>>>; [k: string]: unknown } {
  const dir = ensure('terraform', example);
  const stacks = fs.readdirSync(path.join(dir, 'stacks'));
  const [stack] = stacks;
  if (stacks.length !== 1 || stack === undefined) throw new Error(`expected one Terraform stack in ${dir}, found ${stacks.join(', ')}`);
  return JSON.parse(fs.readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
}
