/**
 * Time against input size: specs of 1 KB to 10 MB, grown along the dimensions a spec can grow in,
 * through the whole pipeline (YAML parse, duplicate-key check, schema, plan(), policy check). Every
 * path should be at worst n log n: the "µs/KB" column should stay roughly flat as the size grows
 * by 10× per row. Record results in bench/RESULTS.md ("Input size").
 *
 *   npx ts-node --transpile-only bench/input-size.ts            1 KB to 10 MB
 *   npx ts-node --transpile-only bench/input-size.ts 1000000     up to 1 MB only
 */
import { cpus, loadavg, totalmem } from 'os';
import { parseSpecText, plan, SpecError } from '../lib/model';
import { MAX_USER_TAGS, TAGS } from '../lib/model/limits';
import { checkPlan } from '../lib/policy';
import { at } from '../lib/model/lookup';
import { median } from './measure';

const HEAD = [
  'name: orders',
  'mode: active-passive',
  'regions:',
  '  - { name: us-east-1, role: primary }',
  '  - { name: us-west-2, role: secondary }',
  'data: { engine: aurora-postgresql, classification: internal }',
  'dns: { zoneName: example.com, recordName: api.example.com, routing: failover }',
];

/** How a spec grows: a line generator under a key, and whether the result is a valid spec. */
interface Dimension {
  readonly name: string;
  readonly what: string;
  readonly key: string;
  readonly line: (i: number) => string;
  /** Replaces HEAD lines the dimension itself provides. */
  readonly head?: string[];
}

const DIMENSIONS: readonly Dimension[] = [
  {
    name: 'suppressions', what: 'valid: N suppressions, each indexed, most matching nothing (GEO-META-003)', key: 'suppressions:',
    line: (i) => `  - { rule: GEO-DNS-001, reason: "accepted for the benchmark, entry ${i}", resource: "record-${i}" }`,
  },
  {
    name: 'tags', what: `refused: N tags (the limit is ${MAX_USER_TAGS}); the linear duplicate-key check runs first`, key: 'tags:',
    line: (i) => `  team-${i}: "value ${i}"`,
  },
  {
    name: 'duplicate-regions', what: 'refused: N copies of one region; one map pass, 50 issues printed', key: 'regions:',
    line: (i) => (i === 0 ? '  - { name: us-east-1, role: primary }' : '  - { name: us-west-2, role: secondary }'),
    head: HEAD.filter((l) => !l.startsWith('  - ') && l !== 'regions:'),
  },
  {
    name: 'long-string', what: `refused: one description-sized value N bytes long in a tag (value limit ${TAGS.valueMaxLength})`, key: 'tags:',
    line: () => '',
  },
];

function specOf(d: Dimension, bytes: number): string {
  const head = d.head ?? HEAD;
  if (d.name === 'long-string') return [...head, 'tags:', `  note: "${'x'.repeat(Math.max(1, bytes - 400))}"`].join('\n');
  const lines = [...head.filter((l) => l !== d.key), d.key];
  let size = lines.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const l = d.line(i);
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join('\n');
}

function run(text: string): { outcome: string; ms: number } {
  const t0 = performance.now();
  let outcome: string;
  try {
    const p = plan(parseSpecText(text, 'bench.yaml'));
    const report = checkPlan(p);
    outcome = `planned, ${report.findings.length} findings`;
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    outcome = `SpecError, ${e.issues.length} issues, ${e.message.length} chars`;
  }
  return { outcome, ms: performance.now() - t0 };
}

const max = Number(process.argv[2] ?? 10_000_000);
const sizes = [1_000, 10_000, 100_000, 1_000_000, 10_000_000].filter((s) => s <= max);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${(loadavg()[0] ?? 0).toFixed(1)}`);
console.log(`${'dimension'.padEnd(18)} ${'size'.padStart(10)} ${'ms'.padStart(9)} ${'µs/KB'.padStart(8)}  outcome`);
for (const d of DIMENSIONS) {
  for (const size of sizes) {
    const text = specOf(d, size);
    const runs = size >= 1_000_000 ? 1 : 5;
    const results = Array.from({ length: runs + 1 }, () => run(text)).slice(1); // first run warms up
    const ms = median(results.map((r) => r.ms));
    const perKb = (ms * 1000) / (text.length / 1000);
    console.log(`${d.name.padEnd(18)} ${text.length.toLocaleString('en-US').padStart(10)} ${ms.toFixed(1).padStart(9)} ${perKb.toFixed(0).padStart(8)}  ${at(results, 0, 'timed run').outcome}`);
  }
}
console.log('\nDimensions:');
for (const d of DIMENSIONS) console.log(`  ${d.name}: ${d.what}`);
