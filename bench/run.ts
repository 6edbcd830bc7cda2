/**
 * Benchmarks. Each case is reported as a ratio against a baseline measured in the same run, so numbers
 * from different machines compare; absolute medians are printed beside them. Record results in
 * bench/RESULTS.md with the machine they came from.
 *
 *   npm run bench            all cases
 *   npm run bench -- plan    only cases whose name contains "plan"
 */
import { execFileSync } from 'child_process';
import { cpus, totalmem } from 'os';
import { join } from 'path';
import { cidrFromStart, findOverlaps, type Cidr } from '../lib/model/cidr';
import { loadSpecFile } from '../lib/model/load';
import { plan } from '../lib/model/plan';
import { parseSpec } from '../lib/model/load';

interface Case { name: string; baseline: string; run: () => { base: number; subject: number } }

function medianMs(fn: () => void, runs: number): number {
  const times: number[] = [];
  fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function pairwiseOverlaps(items: { cidr: Cidr }[]): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i].cidr.start <= items[j].cidr.end && items[j].cidr.start <= items[i].cidr.end) n++;
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
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const specFile = join(__dirname, '..', 'examples', 'specs', 'orders.yaml');
const spec = loadSpecFile(specFile);

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
    run: () => {
      const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
      const { GeoDeployment } = require('../lib/cdk') as typeof import('../lib/cdk');
      const p = plan(spec);
      const synth = (validate: boolean) => () => {
        const app = new App({ builtinCloudFormationValidation: validate, context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
        new GeoDeployment(app, 'Meridian', { plan: p });
        app.synth({ force: true });
      };
      return { base: medianMs(synth(false), 3), subject: medianMs(synth(true), 3) };
    },
  },
  {
    name: 'cdktf-synth-orders',
    baseline: 'AWS CDK synth of the same plan, validation off',
    run: () => {
      const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
      const { GeoDeployment } = require('../lib/cdk') as typeof import('../lib/cdk');
      const { synthesizeGeoPlan } = require('../lib/cdktf') as typeof import('../lib/cdktf');
      const { mkdtempSync } = require('fs') as typeof import('fs');
      const { tmpdir } = require('os') as typeof import('os');
      const p = plan(spec);
      const outdir = mkdtempSync(join(tmpdir(), 'meridian-bench-'));
      return {
        base: medianMs(() => {
          const app = new App({ builtinCloudFormationValidation: false, outdir: join(outdir, 'cdk') });
          new GeoDeployment(app, 'Meridian', { plan: p });
          app.synth({ force: true });
        }, 3),
        subject: medianMs(() => synthesizeGeoPlan(p, { outdir: join(outdir, 'tf') }), 3),
      };
    },
  },
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

const filter = process.argv[2];
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log('case'.padEnd(32), 'ratio'.padStart(8), 'subject ms'.padStart(12), 'baseline ms'.padStart(12), ' baseline');
for (const c of cases.filter((x) => !filter || x.name.includes(filter))) {
  try {
    const { base, subject } = c.run();
    console.log(c.name.padEnd(32), (subject / base).toFixed(3).padStart(8), subject.toFixed(3).padStart(12), base.toFixed(3).padStart(12), ` ${c.baseline}`);
  } catch (e) {
    console.log(c.name.padEnd(32), 'skipped:', (e as Error).message.split('\n')[0]);
  }
}
