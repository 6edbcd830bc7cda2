/**
 * Benchmarks. Each case is reported as a ratio against a baseline measured in the same run, so numbers
 * from different machines compare; absolute medians are printed beside them. In-process synth and check
 * cases count CPU time (user + system) of this process, alternating subject and baseline, so the load of
 * other processes on a shared machine weighs on neither; cases that start processes count wall time.
 * Record results in bench/RESULTS.md with the machine and load average they came from.
 *
 *   npm run bench            all cases
 *   npm run bench -- plan    only cases whose name contains "plan"
 *   npm run bench -- l2-compliance   cdk-nag, cfn-guard and the built-in validation over Meridian and the
 *                                    hand-written L2 apps, findings compared (not timed)
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem } from 'os';
import { join } from 'path';
import type { GeoSpec, RegionCode } from '../lib/model';
import { cidrFromStart, findOverlaps, type Cidr } from '../lib/model/cidr';
import { loadSpecFile } from '../lib/model/load';
import { plan } from '../lib/model/plan';
import { parseSpec } from '../lib/model/load';
import type { BaselineStack } from './baseline/app';

import { median, type Case } from './measure';

function medianMs(fn: () => void, runs: number): number {
  const times: number[] = [];
  fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

/** CPU time (user + system) of this process spent in `fn`, in ms. */
function cpuMs(fn: () => void): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

/** Median CPU time of `fn` over `runs` runs, after one warm-up run. */
function medianCpuMs(fn: () => void, runs: number): number {
  fn();
  return median(Array.from({ length: runs }, () => cpuMs(fn)));
}

/**
 * Medians of two functions measured alternately (base, subject, base, ...), so a change of machine load
 * during the run weighs on both sides alike: CPU time for in-process work, wall time (`wall`) for
 * functions that wait on child processes.
 */
function pairedMs(base: () => void, subject: () => void, runs: number, clock: 'cpu' | 'wall' = 'cpu'): { base: number; subject: number } {
  const b: number[] = [];
  const s: number[] = [];
  // Warm-up of both sides alike: a side that earlier cases already ran (the AWS CDK synth) is otherwise
  // JIT-compiled further than one that runs here first (cdktf), which measured 1.32 instead of 1.00.
  for (let i = 0; i < 3; i++) { base(); subject(); }
  const time = (fn: () => void, into: number[]) => {
    if (clock === 'cpu') {
      into.push(cpuMs(fn));
      return;
    }
    const t0 = process.hrtime.bigint();
    fn();
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  for (let i = 0; i < runs; i++) { time(base, b); time(subject, s); }
  return { base: median(b), subject: median(s) };
}

function pairwiseOverlaps(items: { cidr: Cidr }[]): number {
  let n = 0;
  for (const [i, a] of items.entries()) {
    for (const b of items.slice(i + 1)) {
      if (a.cidr.start <= b.cidr.end && b.cidr.start <= a.cidr.end) n++;
    }
  }
  return n;
}

/** Deterministic pseudo-random /24s inside 10.0.0.0/8, a few of them overlapping on purpose. */
function blocks(n: number): { cidr: Cidr }[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => ({ cidr: cidrFromStart(167772160 + Math.floor(rnd() * 65536) * 256, 24) }));
}

function childMs(code: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { cwd: join(__dirname, '..') });
    times.push(Number(out.toString().trim()));
  }
  return median(times);
}

const specFile = join(__dirname, '..', 'examples', 'specs', 'orders.yaml');
const spec = loadSpecFile(specFile);

let scratchRoot: string | undefined;
/** A scratch output directory, removed when the run ends. */
function scratch(name: string): string {
  if (!scratchRoot) {
    const root = mkdtempSync(join(tmpdir(), 'meridian-bench-'));
    scratchRoot = root;
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return join(scratchRoot, name);
}

/** An in-process AWS CDK synth of `spec` (Meridian's GeoDeployment), as a function to time. */
function cdkSynth(geoSpec: GeoSpec, validate: boolean, outdir = scratch(`cdk-${validate}`), policy = true, context: Record<string, unknown> = {}): () => void {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { GeoDeployment } = require('../lib/cdk') as typeof import('../lib/cdk');
  const p = plan(geoSpec);
  return () => {
    const app = new App({ outdir, builtinCloudFormationValidation: validate, context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak', ...context } });
    new GeoDeployment(app, 'Meridian', { plan: p, policy });
    app.synth({ force: true });
  };
}

const synthesizeGeoPlanFn = () => (require('../lib/cdktf') as typeof import('../lib/cdktf')).synthesizeGeoPlan;

/** An in-process cdktf synth of `spec` with validations off (the AWS CDK side's built-in validation off alike). */
function cdktfSynth(geoSpec: GeoSpec, outdir = scratch('tf')): () => void {
  const { App } = require('cdktf') as typeof import('cdktf');
  const { GeoTerraformStack } = require('../lib/cdktf') as typeof import('../lib/cdktf');
  const p = plan(geoSpec);
  return () => {
    const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
    new GeoTerraformStack(app, p.name, { plan: p });
    app.synth();
  };
}

/**
 * The hand-written baseline of a spec: Meridian synthesizes it once (not timed), and bench/baseline
 * declares the same stacks and resources with aws-cdk-lib alone. Throws unless both synthesize the same
 * resources, so a ratio is never taken between two different deployments.
 */
function baselineOf(geoSpec: GeoSpec): BaselineStack[] {
  const { describeAssembly } = require('./baseline/app') as typeof import('./baseline/app');
  const meridianDir = scratch('baseline-meridian');
  cdkSynth(geoSpec, false, meridianDir)();
  const stacks = describeAssembly(meridianDir);
  const baselineDir = scratch('baseline-check');
  baselineSynth(stacks, false, baselineDir)();
  const ours = describeAssembly(baselineDir);
  const resourceCount = (xs: BaselineStack[]) => xs.reduce((n, x) => n + Object.keys(x.resources).length, 0);
  if (JSON.stringify(ours) !== JSON.stringify(stacks) || resourceCount(stacks) === 0) {
    throw new Error('the hand-written baseline does not synthesize the same stacks and resources as Meridian');
  }
  return stacks;
}

function baselineSynth(stacks: readonly BaselineStack[], validate: boolean, outdir = scratch(`baseline-${validate}`)): () => void {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { buildBaseline } = require('./baseline/app') as typeof import('./baseline/app');
  return () => {
    const app = new App({ outdir, builtinCloudFormationValidation: validate });
    buildBaseline(app, stacks);
    app.synth({ force: true });
  };
}

/** Replaces logical ids (Ref, Fn::GetAtt, DependsOn) and stack output names (Fn::GetStackOutput) by `rename`'s. */
function renamed(value: unknown, ids: ReadonlyMap<string, string>, outputs: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renamed(v, ids, outputs));
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => {
    if (k === 'Ref' && typeof v === 'string') return [k, ids.get(v) ?? v];
    if (k === 'Fn::GetAtt' && Array.isArray(v)) return [k, [ids.get(String(v[0])) ?? v[0], ...v.slice(1)]];
    if (k === 'OutputName' && typeof v === 'string') return [k, outputs.get(v) ?? v];
    return [k, renamed(v, ids, outputs)];
  }));
}

/** How the hand-written L2 baseline differs from Meridian's assembly: property differences the check tolerates. */
interface L2Residual { resources: number; matchedByLogicalId: number; differing: string[] }

/**
 * Checks that the L2 baseline (bench/baseline/app-l2.ts) declares the same stacks (ids, names,
 * environments, termination protection, descriptions, tags, dependencies) and, per stack, the same
 * resource types in the same counts as Meridian; throws otherwise. Logical ids may differ (L2
 * constructs name them): resources are paired by logical id, else by type in template order, and
 * compared property by property with references renamed; what still differs is returned, not thrown.
 */
function compareL2(meridian: readonly BaselineStack[], l2: readonly BaselineStack[]): L2Residual {
  const problems: string[] = [];
  const differing: string[] = [];
  let resources = 0;
  let matchedByLogicalId = 0;
  if (l2.length !== meridian.length) problems.push(`${l2.length} stacks instead of ${meridian.length}`);
  const idMaps = new Map<string, Map<string, string>>();
  const pairs: Array<{ stack: BaselineStack; ours: BaselineStack }> = [];
  for (const stack of meridian) {
    const ours = l2.find((s) => s.id === stack.id);
    if (!ours) { problems.push(`no stack ${stack.id} (${stack.stackName})`); continue; }
    for (const k of ['stackName', 'account', 'region', 'terminationProtection', 'description', 'tags', 'dependsOn'] as const) {
      if (JSON.stringify(ours[k]) !== JSON.stringify(stack[k])) problems.push(`${stack.stackName}: ${k} ${JSON.stringify(ours[k])} instead of ${JSON.stringify(stack[k])}`);
    }
    const types = (s: BaselineStack) => JSON.stringify(Object.values(s.resources).map((r) => r.Type).sort());
    if (types(ours) !== types(stack)) { problems.push(`${stack.stackName}: resource types or counts differ`); continue; }
    const ids = new Map<string, string>();
    const unmatched = Object.keys(ours.resources).filter((id) => {
      if (stack.resources[id]?.Type !== ours.resources[id]?.Type) return true;
      ids.set(id, id);
      return false;
    });
    const free = Object.keys(stack.resources).filter((id) => ![...ids.values()].includes(id));
    for (const id of unmatched) {
      const type = ours.resources[id]?.Type;
      const i = free.findIndex((m) => stack.resources[m]?.Type === type);
      ids.set(id, free.splice(i, 1)[0] ?? id);
    }
    matchedByLogicalId += Object.keys(ours.resources).length - unmatched.length;
    idMaps.set(stack.stackName, ids);
    pairs.push({ stack, ours });
  }
  if (problems.length > 0) throw new Error(`the hand-written L2 baseline does not describe the same deployment as Meridian: ${problems.join('; ')}`);
  // Output names follow logical ids: an output of ours is Meridian's output with the same (renamed) value.
  const outputNames = new Map<string, string>();
  for (const { stack, ours } of pairs) {
    const ids = idMaps.get(stack.stackName) ?? new Map<string, string>();
    for (const [name, o] of Object.entries(ours.outputs)) {
      const value = JSON.stringify(renamed(o.Value, ids, new Map()));
      const theirs = Object.entries(stack.outputs).find(([, m]) => JSON.stringify(m.Value) === value);
      if (theirs) outputNames.set(name, theirs[0]);
    }
  }
  for (const { stack, ours } of pairs) {
    const ids = idMaps.get(stack.stackName) ?? new Map<string, string>();
    for (const [id, r] of Object.entries(ours.resources)) {
      resources++;
      const theirId = ids.get(id) ?? id;
      const mine = renamed(r, ids, outputNames) as Record<string, unknown>;
      const theirs = stack.resources[theirId] as unknown as Record<string, unknown>;
      const keys = (x: Record<string, unknown>) => Object.keys(x).concat(Object.keys((x.Properties ?? {}) as object).map((k) => `Properties.${k}`));
      const diff = [...new Set([...keys(mine), ...keys(theirs)])].filter((k) => k !== 'Properties').filter((k) => {
        const get = (x: Record<string, unknown>) => (k.startsWith('Properties.') ? (x.Properties as Record<string, unknown> | undefined)?.[k.slice(11)] : x[k]);
        return JSON.stringify(get(mine)) !== JSON.stringify(get(theirs));
      });
      if (diff.length > 0) differing.push(`${stack.stackName}/${theirId} (${r.Type}): ${diff.join(', ')}`);
    }
    const outs = (o: BaselineStack['outputs'], map: (n: string) => string) => JSON.stringify(Object.keys(o).map(map).sort());
    if (outs(ours.outputs, (n) => outputNames.get(n) ?? n) !== outs(stack.outputs, (n) => n)) differing.push(`${stack.stackName}: outputs ${outs(ours.outputs, (n) => n)} vs ${outs(stack.outputs, (n) => n)}`);
  }
  return { resources, matchedByLogicalId, differing };
}

/**
 * The context `cdk synth` gives the default app: the root cdk.json's, i.e. the recommended feature flags
 * (scripts/feature-flags.ts keeps them there), without the app mode, which changes how a failed
 * validation is reported and never a template.
 */
function cdkJsonFlags(): Record<string, unknown> {
  const { cdkJsonContext } = require('../scripts/feature-flags') as typeof import('../scripts/feature-flags');
  const { '@aws-cdk/core:appMode': _mode, ...context } = cdkJsonContext(join(__dirname, '..', 'cdk.json'));
  return context;
}

/** An acknowledgement record of an assembly: the construct it is on, the rule and the reason. */
interface AckRecord { stack: string; path: string; id: string; reason: string }

/**
 * The acknowledgement records of a cloud assembly: the `aws:cdk:acknowledged-rules` metadata
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, one `{ rule id: reason }` entry per acknowledged rule)
 * of every construct of every stack, from the stack's metadata file.
 */
function acknowledgementRecords(dir: string): AckRecord[] {
  const { Validations } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  type Entry = { type: string; data?: unknown };
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; additionalMetadataFile?: string; metadata?: Record<string, Entry[]> }>;
  };
  return Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').flatMap(([stack, a]) => {
    const metadata = a.additionalMetadataFile
      ? JSON.parse(readFileSync(join(dir, a.additionalMetadataFile), 'utf8')) as Record<string, Entry[]>
      : a.metadata ?? {};
    return Object.entries(metadata).flatMap(([path, entries]) => entries
      .filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((e) => Object.entries(e.data as Record<string, string>).map(([id, reason]) => ({ stack, path, id, reason }))));
  });
}

/**
 * Compares the acknowledgement records of the two assemblies: the same (stack, construct path, rule id)
 * records, as many of each. Construct paths are stable between the apps (the L2 app groups its
 * constructs as Meridian does), and an acknowledgement covers the findings of its construct and
 * everything below, so equal records mean the same findings acknowledged in the same places. Returns
 * what only one side has.
 */
function compareAcknowledgements(meridian: readonly AckRecord[], l2: readonly AckRecord[]): { missing: string[]; extra: string[] } {
  const key = (r: AckRecord) => `${r.stack} ${r.path} ${r.id}`;
  const count = (xs: readonly AckRecord[]) => xs.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>());
  const theirs = count(meridian);
  const ours = count(l2);
  const short = (ks: Map<string, number>, of: Map<string, number>) => [...ks].flatMap(([k, n]) => Array.from({ length: Math.max(0, n - (of.get(k) ?? 0)) }, () => k)).sort();
  return { missing: short(theirs, ours), extra: short(ours, theirs) };
}

const l2Checked = new Map<string, BaselineStack[]>();
/**
 * Checks the hand-written L2 app (with or without its acknowledgements) against Meridian's assembly,
 * both synthesized with `context`, once per run, context and variant; prints the residual differences.
 * The acknowledging app must also carry the same acknowledgement records as Meridian's (each with a
 * reason), or the check throws and the case is not timed: it stands for an app that passes the same
 * cdk-nag and cfn-guard checks.
 */
function checkL2(geoSpec: GeoSpec, context: Record<string, unknown> = {}, label = 'no feature flags', acknowledgements = false): void {
  const variant = `${label}${acknowledgements ? ', with acknowledgements' : ''}`;
  if (l2Checked.has(variant)) return;
  const { describeAssembly } = require('./baseline/app') as typeof import('./baseline/app');
  const meridianDir = scratch(`l2-check-meridian-${l2Checked.size}`);
  cdkSynth(geoSpec, false, meridianDir, true, context)();
  const stacks = describeAssembly(meridianDir);
  const dir = scratch(`l2-check-${l2Checked.size}`);
  l2Synth(false, dir, context, acknowledgements)();
  const residual = compareL2(stacks, describeAssembly(dir));
  const theirAcks = acknowledgementRecords(meridianDir);
  const ourAcks = acknowledgementRecords(dir);
  const { missing, extra } = compareAcknowledgements(theirAcks, ourAcks);
  if (acknowledgements) {
    const unexplained = ourAcks.filter((r) => r.reason.length < 40).map((r) => `${r.stack} ${r.path} ${r.id}`);
    if (missing.length + extra.length + unexplained.length > 0 || theirAcks.length === 0) {
      throw new Error(`the acknowledging L2 baseline (${label}) does not acknowledge what Meridian does: ${[
        ...missing.map((m) => `missing ${m}`), ...extra.map((m) => `extra ${m}`), ...unexplained.map((m) => `no reason for ${m}`),
      ].join('; ') || 'no acknowledgements'}`);
    }
  }
  l2Checked.set(variant, stacks);
  console.log(`  L2 baseline (${variant}): the same ${stacks.length} stacks, resource types and counts (${residual.resources} resources, ${residual.matchedByLogicalId} with Meridian's logical id);`,
    `${residual.differing.length} with residual differences${residual.differing.length > 0 ? ':' : ''}`);
  for (const d of residual.differing) console.log(`    ${d}`);
  console.log(acknowledgements
    ? `    acknowledgements: the same ${ourAcks.length} records (stack, construct path, rule) as Meridian, each with a reason`
    : `    acknowledgements: ${ourAcks.length} records, Meridian ${theirAcks.length} (${missing.length} of Meridian's not written by this app)`);
}

/**
 * An in-process synth of the hand-written L2 baseline (weak cross-stack references, as Meridian's),
 * without its acknowledgements unless `acknowledgements`.
 */
function l2Synth(validate: boolean, outdir = scratch(`l2-${validate}`), context: Record<string, unknown> = {}, acknowledgements = false): () => void {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { buildL2Baseline } = require('./baseline/app-l2') as typeof import('./baseline/app-l2');
  return () => {
    const app = new App({ outdir, builtinCloudFormationValidation: validate, context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak', ...context } });
    buildL2Baseline(app, { acknowledgements });
    app.synth({ force: true });
  };
}

const cases: Case[] = [
  ...[100, 1000, 5000].map((n): Case => ({
    name: `network-overlap-sweep-n${n}`,
    baseline: 'pairwise O(n²) overlap check, same blocks',
    run: () => {
      const items = blocks(n);
      const runs = n > 1000 ? 5 : 20;
      return { base: medianMs(() => pairwiseOverlaps(items), runs), subject: medianMs(() => findOverlaps(items), runs) };
    },
  })),
  {
    name: 'plan-orders-3-regions',
    baseline: 'schema validation alone (parseSpec) of the same spec',
    run: () => ({ base: medianMs(() => parseSpec(spec), 200), subject: medianMs(() => plan(spec), 200) }),
  },
  {
    name: 'policy-check-orders',
    baseline: 'plan() of the same spec',
    run: () => {
      // Loaded lazily so `npm run bench -- network` stays free of the policy modules.
      const { checkPlan } = require('../lib/policy') as typeof import('../lib/policy');
      const p = plan(spec);
      return { base: medianMs(() => plan(spec), 100), subject: medianMs(() => checkPlan(p), 100) };
    },
  },
  {
    name: 'cdk-synth-default-validation-on',
    baseline: 'the same synth with built-in CloudFormation validation off',
    run: () => pairedMs(cdkSynth(spec, false), cdkSynth(spec, true), 5),
  },
  ...[false, true].map((validate): Case => ({
    name: `cdk-synth-vs-hand-written-validation-${validate ? 'on' : 'off'}`,
    baseline: `the same stacks and resources declared with aws-cdk-lib alone (bench/baseline), validation ${validate ? 'on' : 'off'}`,
    run: () => {
      const stacks = baselineOf(spec);
      return pairedMs(baselineSynth(stacks, validate), cdkSynth(spec, validate), validate ? 5 : 15);
    },
  })),
  ...[false, true].map((validate): Case => ({
    name: `cdk-synth-vs-hand-written-l2-validation-${validate ? 'on' : 'off'}`,
    baseline: `the same deployment written by hand with L2 constructs (bench/baseline/app-l2.ts), validation ${validate ? 'on' : 'off'}`,
    run: () => {
      checkL2(spec);
      return pairedMs(l2Synth(validate), cdkSynth(spec, validate), validate ? 5 : 15);
    },
  })),
  ...[false, true].map((validate): Case => ({
    name: `cdk-synth-vs-hand-written-l2-cdk-json-flags-validation-${validate ? 'on' : 'off'}`,
    baseline: `the same, both apps with the root cdk.json's context (recommended feature flags) as \`cdk synth\` gives it, validation ${validate ? 'on' : 'off'}`,
    run: () => {
      const flags = cdkJsonFlags();
      checkL2(spec, flags, 'cdk.json feature flags');
      return pairedMs(l2Synth(validate, scratch(`l2-flags-${validate}`), flags), cdkSynth(spec, validate, scratch(`cdk-flags-${validate}`), true, flags), validate ? 5 : 15);
    },
  })),
  {
    name: 'cdk-synth-vs-hand-written-l2-policy-gate-off',
    baseline: 'the same as cdk-synth-vs-hand-written-l2-validation-off; subject: GeoDeployment with policy: false',
    run: () => {
      checkL2(spec);
      return pairedMs(l2Synth(false), cdkSynth(spec, false, scratch('cdk-no-policy-l2'), false), 15);
    },
  },
  // The same cases against the L2 app that acknowledges the cdk-nag and cfn-guard findings Meridian
  // acknowledges (the same records, checked before timing): what an app passing the same checks costs.
  ...[false, true].map((validate): Case => ({
    name: `cdk-synth-vs-hand-written-l2-acks-validation-${validate ? 'on' : 'off'}`,
    baseline: `the L2 app with the same acknowledgements as Meridian (bench/baseline/app-l2.ts), validation ${validate ? 'on' : 'off'}`,
    run: () => {
      checkL2(spec, {}, undefined, true);
      return pairedMs(l2Synth(validate, scratch(`l2-acks-${validate}`), {}, true), cdkSynth(spec, validate), validate ? 5 : 15);
    },
  })),
  ...[false, true].map((validate): Case => ({
    name: `cdk-synth-vs-hand-written-l2-acks-cdk-json-flags-validation-${validate ? 'on' : 'off'}`,
    baseline: `the same, both apps with the root cdk.json's context, validation ${validate ? 'on' : 'off'}`,
    run: () => {
      const flags = cdkJsonFlags();
      checkL2(spec, flags, 'cdk.json feature flags', true);
      return pairedMs(l2Synth(validate, scratch(`l2-acks-flags-${validate}`), flags, true), cdkSynth(spec, validate, scratch(`cdk-flags-${validate}`), true, flags), validate ? 5 : 15);
    },
  })),
  {
    name: 'cdk-synth-vs-hand-written-l2-acks-policy-gate-off',
    baseline: 'the same as cdk-synth-vs-hand-written-l2-acks-validation-off; subject: GeoDeployment with policy: false',
    run: () => {
      checkL2(spec, {}, undefined, true);
      return pairedMs(l2Synth(false, scratch('l2-acks-false'), {}, true), cdkSynth(spec, false, scratch('cdk-no-policy-l2'), false), 15);
    },
  },
  {
    name: 'hand-written-l2-acks-vs-l2',
    baseline: 'the hand-written L2 app without acknowledgements; subject: the same app with them, validation off (what the acknowledgements cost)',
    run: () => {
      checkL2(spec, {}, undefined, true);
      return pairedMs(l2Synth(false), l2Synth(false, scratch('l2-acks-false'), {}, true), 15);
    },
  },
  {
    name: 'hand-written-l2-vs-l1',
    baseline: 'the L1 replay (bench/baseline/app.ts); subject: the hand-written L2 app, validation off (what the L2 constructs of aws-cdk-lib cost over L1)',
    run: () => {
      checkL2(spec);
      return pairedMs(baselineSynth(baselineOf(spec), false), l2Synth(false), 15);
    },
  },
  {
    // The synth-time policy gate (MeridianPolicyValidation) reads every template back; `policy: false` turns it off.
    name: 'cdk-synth-vs-hand-written-policy-gate-off',
    baseline: 'the same as cdk-synth-vs-hand-written-validation-off; subject: GeoDeployment with policy: false',
    run: () => {
      const stacks = baselineOf(spec);
      return pairedMs(baselineSynth(stacks, false), cdkSynth(spec, false, scratch('cdk-no-policy'), false), 15);
    },
  },
  {
    name: 'cdktf-synth-orders',
    baseline: 'AWS CDK synth of the same plan, validation off for both',
    run: () => pairedMs(cdkSynth(spec, false), cdktfSynth(spec), 15),
  },
  {
    name: 'cdktf-synth-orders-validations-on',
    baseline: 'AWS CDK synth of the same plan, validation on for both (cdktf stack validations; built-in CloudFormation validation)',
    run: () => pairedMs(cdkSynth(spec, true), () => synthesizeGeoPlanFn()(plan(spec), { outdir: scratch('tf-v') }), 5),
  },
  // `meridian check` start-up from the built (or an installed) package: warm, cold, cold on another V8.
  ...(require('./cli-startup') as typeof import('./cli-startup')).cliStartupCases(scratch),
  {
    name: 'load-provider-deep-imports',
    // The subject also pays ts-node's start-up and loads every renderer module; the ratio is conservative.
    baseline: "require('@cdktf/provider-aws') full index in a fresh node process",
    run: () => ({
      base: childMs("require('@cdktf/provider-aws')", 3),
      subject: childMs("require('ts-node').register({transpileOnly:true});require('./lib/cdktf')", 3),
    }),
  },
  {
    name: 'load-policy-entry',
    baseline: "require('./lib/cdk') (the CDK renderer) in a fresh node process, both through ts-node",
    run: () => ({
      base: childMs("require('ts-node').register({transpileOnly:true});require('./lib/cdk')", 5),
      subject: childMs("require('ts-node').register({transpileOnly:true});require('./lib/policy')", 5),
    }),
  },
];

/** Regions of the commercial partition used by the scaling specs, in a fixed order. */
const SCALE_REGIONS: readonly RegionCode[] = [
  'us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'ap-northeast-1', 'us-east-2', 'eu-west-2',
  'ap-southeast-1', 'ca-central-1', 'eu-west-3', 'ap-northeast-2', 'us-west-1', 'eu-north-1', 'ap-south-1', 'sa-east-1',
];

/**
 * An active-active DynamoDB deployment over the first `regions` regions, hub-and-spoke peering (so the
 * resource count grows linearly with the regions), latency routing, sized to pass the policy.
 */
function scaleSpec(regions: number, name = `scale${regions}`): GeoSpec {
  return {
    name,
    mode: 'active-active',
    regions: SCALE_REGIONS.slice(0, regions).map((r) => ({ name: r, role: 'active' as const, endpoint: `${r}.${name}.example.com`, peakRps: 100, capacityRps: 100 * regions })),
    network: { baseCidr: '10.0.0.0/8', peering: 'hub-and-spoke' },
    data: { engine: 'dynamodb', classification: 'internal' },
    dns: { zoneName: `${name}.example.com`, recordName: `api.${name}.example.com`, routing: 'latency' },
  };
}

interface ScalePoint { size: number; resources: number; check: number; cdk: number; cdktf: number }

/** Synth (AWS CDK and cdktf, validation off) and check (plan + policy) of `specs` in one app, CPU-time medians. */
function measureScale(specs: GeoSpec[], runs: number): Omit<ScalePoint, 'size'> {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { GeoDeployment } = require('../lib/cdk') as typeof import('../lib/cdk');
  const cdktf = require('cdktf') as typeof import('cdktf');
  const { GeoTerraformStack } = require('../lib/cdktf') as typeof import('../lib/cdktf');
  const { checkPlan } = require('../lib/policy') as typeof import('../lib/policy');
  let resources = 0;
  // Check is cheap: many runs, so a median is not one preempted sample.
  const check = medianCpuMs(() => { for (const s of specs) checkPlan(plan(s)); }, specs.length >= 100 ? 5 : 41);
  const plans = specs.map((s) => plan(s));
  const cdk = medianCpuMs(() => {
    const app = new App({ outdir: scratch('scale-cdk'), builtinCloudFormationValidation: false });
    plans.forEach((p, i) => new GeoDeployment(app, `D${i}`, { plan: p }));
    const assembly = app.synth({ force: true });
    resources = assembly.stacks.reduce((n, st) => n + Object.keys((st.template as { Resources?: object }).Resources ?? {}).length, 0);
  }, runs);
  const tf = medianCpuMs(() => {
    const app = new cdktf.App({ outdir: scratch('scale-tf'), stackTraces: false, hclOutput: false, skipValidation: true });
    plans.forEach((p) => new GeoTerraformStack(app, p.name, { plan: p }));
    app.synth();
  }, runs);
  return { resources, check, cdk, cdktf: tf };
}

/** Time growth per doubling of the size between two points: 2.00 is linear, below is better. */
function perDoubling(a: { size: number; t: number }, b: { size: number; t: number }): number {
  return (b.t / a.t) ** (Math.log(2) / Math.log(b.size / a.size));
}

function printScale(title: string, points: ScalePoint[]): void {
  console.log(`\n${title}`);
  console.log('size'.padStart(5), 'resources'.padStart(10), 'check ms'.padStart(10), 'cdk ms'.padStart(10), 'cdktf ms'.padStart(10), '  growth per doubling (resources, check, cdk, cdktf)');
  points.forEach((p, i) => {
    const prev = points[i - 1];
    const growth = prev
      ? (['resources', 'check', 'cdk', 'cdktf'] as const).map((k) => perDoubling({ size: prev.size, t: prev[k] }, { size: p.size, t: p[k] }).toFixed(2)).join('  ')
      : '';
    console.log(String(p.size).padStart(5), String(p.resources).padStart(10), p.check.toFixed(1).padStart(10), p.cdk.toFixed(0).padStart(10), p.cdktf.toFixed(0).padStart(10), `  ${growth}`);
  });
}

const scaleCases: Array<{ name: string; run: () => void }> = [
  {
    name: 'scale-regions',
    run: () => printScale('scale-regions: one deployment over N regions (active-active DynamoDB, hub-and-spoke)',
      [2, 4, 8, 16].map((n) => ({ size: n, ...measureScale([scaleSpec(n)], n >= 8 ? 3 : 5) }))),
  },
  {
    name: 'scale-deployments',
    run: () => printScale('scale-deployments: N two-region deployments in one app',
      [1, 10, 100].map((n) => ({ size: n, ...measureScale(Array.from({ length: n }, (_, i) => scaleSpec(2, `app${i}`)), n >= 100 ? 1 : 3) }))),
  },
];

/** A finding of a validation report: `<rule> on <construct path>` with its severity, or what acknowledged it. */
interface Findings { open: string[]; acknowledged: string[] }

/**
 * Synthesizes `build`'s app with the built-in CloudFormation validation, cdk-nag's AwsSolutions and NIST
 * 800-53 R5 packs (as test/cdk/nag.test.ts applies them) and cfn-guard with the Control Tower rules that
 * can apply to `resourceTypes` (test/support/cfn-guard.ts) as validation plugins, and returns the
 * findings of its validation report, per plugin: open (the synth fails on an open error) and acknowledged.
 */
function validationFindings(build: (app: import('aws-cdk-lib').App) => void, context: Record<string, unknown>, resourceTypes: Iterable<string>, outdir: string): Map<string, Findings> {
  const { App, Validations } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { AwsSolutionsChecks, NIST80053R5Checks } = require('cdk-nag') as typeof import('cdk-nag');
  const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard') as typeof import('@cdklabs/cdk-validator-cfnguard');
  const { controlTowerRulesFor } = require('../test/support/cfn-guard') as typeof import('../test/support/cfn-guard');
  // In-memory app mode: a failed validation throws with the report instead of printing it.
  const app = new App({ outdir, builtinCloudFormationValidation: true, context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak', ...context, '@aws-cdk/core:appMode': 'inmemory' } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app),
    new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: controlTowerRulesFor(resourceTypes) }));
  build(app);
  try { app.synth({ force: true }); } catch { /* a failed validation: the report says what failed */ }
  type Violation = { ruleName: string; severity?: string; violatingConstructs?: Array<{ constructPath?: string }>; acknowledgedId?: string };
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{ pluginName: string; violations?: Violation[]; suppressedViolations?: Violation[] }>;
  };
  const where = (v: Violation) => (v.violatingConstructs ?? [{}]).map((c) => `${v.ruleName} on ${c.constructPath ?? '(no construct)'}`);
  return new Map(report.pluginReports.map((r) => [r.pluginName, {
    open: (r.violations ?? []).flatMap((v) => where(v).map((w) => `${(v.severity ?? 'error').toLowerCase()}: ${w}`)).sort(),
    acknowledged: (r.suppressedViolations ?? []).flatMap(where).sort(),
  }]));
}

const checks: Array<{ name: string; run: () => void }> = [
  {
    // Not timed: whether the acknowledging L2 app passes the checks Meridian's app passes, with the same findings acknowledged.
    name: 'l2-compliance',
    run: () => {
      const { describeAssembly } = require('./baseline/app') as typeof import('./baseline/app');
      const { buildL2Baseline } = require('./baseline/app-l2') as typeof import('./baseline/app-l2');
      const { GeoDeployment } = require('../lib/cdk') as typeof import('../lib/cdk');
      const p = plan(spec);
      console.log('\nl2-compliance: built-in validation, cdk-nag AwsSolutions and NIST 800-53 R5, cfn-guard Control Tower; open / acknowledged findings');
      for (const [label, context] of [['no feature flags', {}], ['cdk.json feature flags', cdkJsonFlags()]] as const) {
        const typesDir = scratch(`compliance-types-${label.length}`);
        cdkSynth(spec, false, typesDir, true, context)();
        const types = new Set(describeAssembly(typesDir).flatMap((st) => Object.values(st.resources).map((r) => r.Type)));
        const apps = [
          ['Meridian', (app: import('aws-cdk-lib').App) => { new GeoDeployment(app, 'Meridian', { plan: p }); }],
          ['L2 with acknowledgements', (app: import('aws-cdk-lib').App) => { buildL2Baseline(app, { acknowledgements: true }); }],
          ['L2 without', (app: import('aws-cdk-lib').App) => { buildL2Baseline(app, { acknowledgements: false }); }],
        ] as const;
        const results = apps.map(([name, build], i) => [name, validationFindings(build, context, types, scratch(`compliance-${label.length}-${i}`))] as const);
        const reference = results[0]?.[1] ?? new Map<string, Findings>();
        for (const [name, findings] of results) {
          const plugins = [...new Set([...reference.keys(), ...findings.keys()])].sort();
          const summary = plugins.map((pl) => `${pl} ${findings.get(pl)?.open.length ?? '-'}/${findings.get(pl)?.acknowledged.length ?? '-'}`).join(', ');
          const differs = plugins.flatMap((pl) => (['open', 'acknowledged'] as const).flatMap((k) => {
            const mine = findings.get(pl)?.[k] ?? [];
            const theirs = reference.get(pl)?.[k] ?? [];
            return [...mine.filter((x) => !theirs.includes(x)).map((x) => `${pl} ${k} here only: ${x}`), ...theirs.filter((x) => !mine.includes(x)).map((x) => `${pl} ${k} in Meridian's only: ${x}`)];
          }));
          console.log(`  ${label}, ${name}: ${summary}; ${name === 'Meridian' ? 'reference' : differs.length === 0 ? "the same findings as Meridian's" : `${differs.length} differences from Meridian's`}`);
          // The app without acknowledgements differs by design (its findings stay open): the counts say how.
          if (name === 'L2 with acknowledgements') for (const d of differs) console.log(`    ${d}`);
        }
      }
    },
  },
];

const filter = process.argv[2];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${load()}`);
process.on('exit', () => console.log(`load average at the end: ${load()}`));
console.log('case'.padEnd(32), 'ratio'.padStart(8), 'subject ms'.padStart(12), 'baseline ms'.padStart(12), ' baseline');
for (const c of cases.filter((x) => !filter || x.name.includes(filter))) {
  try {
    const { base, subject } = c.run();
    console.log(c.name.padEnd(32), (subject / base).toFixed(3).padStart(8), subject.toFixed(3).padStart(12), base.toFixed(3).padStart(12), ` ${c.baseline}`);
  } catch (e) {
    console.log(c.name.padEnd(32), 'skipped:', (e as Error).message.split('\n')[0]);
  }
}
for (const c of [...scaleCases, ...checks].filter((x) => !filter || x.name.includes(filter))) c.run();
