/**
 * The plan owns every decision; the renderers only translate it. This test reads every renderer file
 * (lib/cdk, lib/cdktf) without its comments and fails on a literal that decides something plan() should
 * decide: retention and removal, parameters, master user, log exports, zone and subnet counts, windows,
 * promotion tiers, numeric defaults. Wiring constants that are not decisions are allowed by name below,
 * each with its reason.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const RENDERER_DIRS = ['lib/cdk', 'lib/cdktf'];

/** Files that read synthesized output back (AWS defaults of absent fields), not renderers. */
const READERS = new Set(['lib/cdktf/families.ts']);

interface DecisionPattern {
  readonly name: string;
  readonly pattern: RegExp;
  /** Where the decision belongs in the plan. */
  readonly owner: string;
}

const PATTERNS: readonly DecisionPattern[] = [
  { name: 'numeric default', pattern: /\?\?\s*-?\d+(\.\d+)?\b/g, owner: 'a plan field (plan.retention, plan.data, plan.regions[])' },
  { name: 'removal policy', pattern: /RemovalPolicy\.(RETAIN|SNAPSHOT|DESTROY)/g, owner: 'plan.retention' },
  { name: 'prevent_destroy literal', pattern: /preventDestroy:\s*(true|false)/g, owner: 'plan.retention' },
  { name: 'log retention', pattern: /RetentionDays\.[A-Z_]+|retentionInDays:\s*\d+/g, owner: 'plan.retention.logRetentionDays' },
  { name: 'key / secret window', pattern: /(WindowInDays|pendingWindow):\s*\d+|Duration\.days\(\d+\)/g, owner: 'plan.retention' },
  { name: 'cluster parameter', pattern: /server_audit|aurora_replica_read_consistency|apg_write_forward|rds\.force_ssl|require_secure_transport/g, owner: 'plan.data.clusterParameters' },
  { name: 'read consistency', pattern: /'(SESSION|EVENTUAL|GLOBAL)'/g, owner: 'plan.data.clusterParameters' },
  { name: 'master user', pattern: /clusteradmin|meridian_admin/g, owner: 'plan.data.masterUsername' },
  { name: 'log export', pattern: /'(slowquery|audit|postgresql)'/g, owner: 'plan.data.logExports' },
  { name: 'promotion tier', pattern: /promotionTier:\s*(\d+|i\b)/g, owner: 'plan.regions[].promotionTiers' },
  { name: 'subnet size or zone count', pattern: /cidrMask:\s*\d+|maxAzs:\s*\d+|Fn\.(select|element)\(\s*\d/g, owner: 'plan.regions[].dataSubnets / availabilityZoneCount' },
  { name: 'monitoring interval', pattern: /Duration\.seconds\(\d+\)|monitoringInterval:\s*\d+/g, owner: 'plan.data.monitoringIntervalSeconds' },
  { name: 'Performance Insights retention', pattern: /PerformanceInsightRetention\.[A-Z_]+/g, owner: 'plan.data.performanceInsightsRetentionDays' },
  // The FIS experiments select subnets by these tag keys: a renderer spelling them itself could drift from the
  // targets (the tier values are typed, SubnetTier).
  { name: 'subnet selection tag', pattern: /'meridian:(subnet-tier|topology)'/g, owner: 'lib/model plan-network (subnetTags, subnetTierTag, TOPOLOGY_TAG)' },
];

/** Wiring constants, not decisions: `<file>: <matched text>` → why it may stay. */
const ALLOWED: Readonly<Record<string, string>> = {
  'lib/cdk/tags.ts: RemovalPolicy.RETAIN': 'the translation table from plan.retention values to CloudFormation removal policies',
  'lib/cdk/tags.ts: RemovalPolicy.SNAPSHOT': 'the translation table from plan.retention values to CloudFormation removal policies',
  'lib/cdktf/aurora-global.ts: ?? 1': 'masterPasswordVersion counts password rotations the user asks for; 1 is the first version, not a setting',
};

/** The file's code without comments (block comments, and lines that are only a comment). */
export function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => (/^\s*\/\//.test(line) ? '' : line.replace(/\s\/\/\s.*$/, '')))
    .join('\n');
}

/** Every decision literal in `source` (of file `file`) that the allow-list does not excuse, as `file:line: text (owner)`. */
export function decisionLiterals(file: string, source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const p of PATTERNS) {
    for (const m of code.matchAll(p.pattern)) {
      if (ALLOWED[`${file}: ${m[0]}`] !== undefined) continue;
      const line = code.slice(0, m.index).split('\n').length;
      found.push(`${file}:${line}: ${m[0]} — ${p.name}; belongs in ${p.owner}`);
    }
  }
  return found;
}

function rendererFiles(): string[] {
  return RENDERER_DIRS.flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`))
    .filter((f) => !READERS.has(f));
}

describe('renderers decide nothing the plan owns', () => {
  test('no renderer file holds a decision literal', () => {
    const files = rendererFiles();
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap((f) => decisionLiterals(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  test('every allow-list entry still matches something (no stale excuses)', () => {
    const used = new Set<string>();
    for (const f of rendererFiles()) {
      const code = stripComments(fs.readFileSync(path.join(ROOT, f), 'utf8'));
      for (const p of PATTERNS) for (const m of code.matchAll(p.pattern)) used.add(`${f}: ${m[0]}`);
    }
    expect(Object.keys(ALLOWED).filter((k) => !used.has(k))).toEqual([]);
  });

  test.each([
    ['retention: RetentionDays.ONE_YEAR,', 'log retention'],
    ["const mask = props.subnetCidrMask ?? 24;", 'numeric default'],
    ["params.aurora_replica_read_consistency = 'SESSION';", 'cluster parameter'],
    ["credentials: fromGeneratedSecret('clusteradmin'),", 'master user'],
    ['lifecycle: { preventDestroy: true },', 'prevent_destroy literal'],
    ["Tags.of(subnet).add('meridian:subnet-tier', 'data');", 'subnet selection tag'],
    ["tags: { ...regionTags(r), 'meridian:topology': plan.name },", 'subnet selection tag'],
  ])('the check catches %s', (line, kind) => {
    expect(decisionLiterals('lib/cdk/example.ts', `const x = 1;\n${line}\n`).join('\n')).toContain(kind);
  });

  test('comments may name decisions: they are not code', () => {
    expect(decisionLiterals('lib/cdk/example.ts', '/** @default logs.RetentionDays.ONE_YEAR */\n// 365 days: RemovalPolicy.RETAIN\nconst a = 1;\n')).toEqual([]);
  });
});
