import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../lib/cli/main';
import { formatGantt } from '../../lib/cli/estimate';
import { estimateDisruptions } from '../../lib/policy';
import { baseFacts } from '../policy/helpers';
import { ROOT } from '../../scripts/generate';
import { RECOVERY_END, RECOVERY_START, withRecoveryBlock } from '../../scripts/readme-recovery';

const ORDERS = join(__dirname, '..', '..', 'examples', 'specs', 'orders.yaml');

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } });
  return { code, stdout, stderr };
}

function specFile(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-estimate-'));
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, `name: shop
mode: active-passive
regions:
  - { name: us-east-1, role: primary, peakRps: 1000 }
  - { name: us-west-2, role: secondary, peakRps: 200, capacityRps: 1500 }
data: { engine: aurora-postgresql, classification: internal${extra} }
dns: { zoneName: example.com, recordName: api.example.com, routing: failover }
`);
  return file;
}

describe('meridian estimate', () => {
  test('text: the default app, with and without automation (hand-computed: see test/policy/estimate.test.ts)', () => {
    const { code, stdout, stderr } = cli('estimate', ORDERS);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^orders: DR strategy warm standby/);
    // loss of the writer region: human 30+180+30 .. 40+600+60; automated 65 .. 175
    expect(stdout).toMatch(/loss of us-east-1 → us-west-2\s+240–700 s\s+65–175 s\s+1–30 s\s+yes/);
    expect(stdout).toMatch(/network partition between us-east-1 and us-west-2\s+until healed/);
    // capacity: us-west-2 takes 4000 rps on top of its own 2500 of 8000
    expect(stdout).toMatch(/us-east-1\s+us-west-2\s+6500\s+8000\s+81 %/);
  });
  test('json: every disruption with phases and sources', () => {
    const { code, stdout } = cli('estimate', ORDERS, '--format', 'json');
    expect(code).toBe(0);
    const b = JSON.parse(stdout);
    const loss = b.automated.disruptions.find((d: { name: string }) => d.name === 'loss of us-east-1');
    expect(loss.rto).toEqual({ best: 65, worst: 175 });
    expect(loss.phases.every((p: { source: string }) => p.source.length > 0)).toBe(true);
    expect(b.manual.strategy).toBe('warm-standby');
    expect(b.cost).toBeUndefined();
  });
  test('mermaid: a gantt of the worst region loss, worst case', () => {
    const { code, stdout } = cli('estimate', ORDERS, '--format', 'mermaid', '--automation', 'on');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['gantt', expect.stringMatching(/^ {2}title orders loss of us-east-1, automated failover, worst case RTO 65–175 s$/), '  dateFormat X', '  axisFormat %s s']);
    expect(lines).toContain('  us-west-2 promoted to writer (global failover) :115, 175');
    expect(lines.at(-1)).toBe('  RTO worst case 175 s :crit, 0, 175');
    // every task line is `name :[tags, ]start, end` with start <= end and no ':' in the name
    for (const l of lines.filter((x) => / :/.test(x))) {
      const m = /^ {2}([^:]+) :(?:[a-z]+, )*(\d+), (\d+)$/.exec(l);
      expect(m).not.toBeNull();
      expect(Number(m?.[2])).toBeLessThanOrEqual(Number(m?.[3]));
    }
  });
  test('markdown names assumptions and sources', () => {
    const { stdout } = cli('estimate', ORDERS, '--format', 'markdown');
    expect(stdout).toContain('| on-call paged, diagnoses, decides * | database | 30–40 | 180–600 |');
    expect(stdout).toContain('https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html');
  });
  test('replication cost from data.writeVolume (hand-computed)', () => {
    const { code, stdout } = cli('estimate', specFile(', writeVolume: { gbPerMonth: 100, writesPerSecond: 10 }'), '--format', 'json');
    expect(code).toBe(0);
    const { cost } = JSON.parse(stdout);
    // 10 writes/s × 2 592 000 s = 25.92 M replicated write I/Os × 0.20 USD = 5.18; 100 GB × 0.02 USD = 2.00
    expect(cost.rows).toEqual([{ from: 'us-east-1', to: 'us-west-2', transferGb: 100, transferUsd: 2, replicatedWritesMillions: 25.92, replicatedWritesUsd: 5.18 }]);
    expect(cost.totalUsd).toBe(7.18);
    expect(cost.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  test('--warm-up adds a phase after both tracks', () => {
    const { stdout } = cli('estimate', specFile(''), '--format', 'json', '--warm-up', '90');
    const loss = JSON.parse(stdout).manual.disruptions.find((d: { name: string }) => d.name === 'loss of us-east-1');
    expect(loss.rto).toEqual({ best: 240 + 90, worst: 700 + 90 });
  });
  test.each([
    [['estimate'], /estimate needs exactly one PATH, got 0/],
    [['estimate', ORDERS, '--format', 'sarif'], /--format must be one of text \| json \| markdown \| mermaid, got "sarif"/],
    [['estimate', ORDERS, '--automation', 'yes'], /--automation must be one of on \| off, got "yes"/],
    [['estimate', ORDERS, '--warm-up=-5'], /--warm-up must be a whole number of seconds ≥ 0, got "-5"/],
    [['estimate', ORDERS, '--warm-up', 'soon'], /--warm-up must be a whole number of seconds ≥ 0, got "soon"/],
    [['estimate', 'nope.yaml'], /path not found: nope.yaml/],
    [['diagram'], /diagram needs exactly one PATH, got 0/],
    [['estimate', ORDERS, '--bogus'], /Unknown option '--bogus'/],
  ])('usage error %j', (argv, message) => {
    const { code, stderr, stdout } = cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
  test('a bad spec is an input error naming the field', () => {
    const { code, stderr } = cli('estimate', specFile(', writeVolume: { gbPerMonth: -1, writesPerSecond: 1 }'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/data\.writeVolume\.gbPerMonth/);
  });
});

describe('meridian diagram', () => {
  test('regions with roles and CIDRs, replication from the writer, DNS with checks, peerings, keys', () => {
    const { code, stdout } = cli('diagram', ORDERS);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph r_us_east_1["us-east-1 · primary · 10.0.0.0/16"]');
    expect(lines).toContain('    db_orders_eu_west_1[("orders-global: orders-eu-west-1 (read-only, headless)")]');
    expect(lines).toContain('  db_orders_us_east_1 -- "async replication" --> db_orders_us_west_2');
    expect(lines.filter((l) => l.includes('async replication')).every((l) => l.startsWith('  db_orders_us_east_1 '))).toBe(true);
    expect(lines).toContain('  dns_api_example_com -- "PRIMARY · check 10 s × 3" --> r_us_east_1');
    expect(lines).toContain('  dns_api_example_com -. "SECONDARY · check 10 s × 3" .-> r_us_west_2');
    expect(lines.filter((l) => l.includes('"peering"'))).toHaveLength(3);
    // one key per region (the DNS stack's alert-topic key is not a plan fact: it encrypts no data)
    expect(lines.filter((l) => l.includes('{{"KMS ')).map((l) => /KMS (\S+),/.exec(l)?.[1]).sort()).toEqual([
      'alias/meridian/orders@eu-west-1', 'alias/meridian/orders@us-east-1', 'alias/meridian/orders@us-west-2',
    ]);
    // subgraphs balance
    expect(lines.filter((l) => l.trim().startsWith('subgraph')).length).toBe(lines.filter((l) => l.trim() === 'end').length);
  });
});

describe('formatGantt', () => {
  test('a disruption without phases still yields a valid header', () => {
    const d = estimateDisruptions(baseFacts()).disruptions.find((x) => x.kind === 'partition');
    expect(d && formatGantt(d).split('\n').slice(0, 4)).toEqual(['gantt', expect.stringMatching(/^ {2}title network partition/), '  dateFormat X', '  axisFormat %s s']);
  });
});

describe('README recovery section (npm run gen)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  test('is current: run `npm run gen` when this fails', () => {
    expect(withRecoveryBlock(readme, ROOT)).toBe(readme);
  });
  test('embeds the diagram and both timelines', () => {
    const block = readme.slice(readme.indexOf(RECOVERY_START), readme.indexOf(RECOVERY_END));
    expect(block).toContain('flowchart LR');
    expect(block.match(/^gantt$/gm)).toHaveLength(2);
    expect(block).toContain('RTO worst case 700 s :crit, 0, 700');
    expect(block).toContain('RTO worst case 175 s :crit, 0, 175');
    expect(block).toContain('misses the 150 s target by 25 s');
  });
  test('a stale block is detected', () => {
    const stale = readme.replace('RTO worst case 175 s', 'RTO worst case 90 s');
    expect(stale).not.toBe(readme);
    expect(withRecoveryBlock(stale, ROOT)).toBe(readme);
  });
});
