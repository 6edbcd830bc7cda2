/**
 * `meridian check` and `meridian facts` on synthesized output: a CDK cloud assembly and a cdktf.out
 * folder of the default `orders` deployment (shared test outputs), each unchanged (no finding) and with
 * one property changed (the exact finding, located at the resource in the file).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../support/cli';
import { cdkAssemblyDir, outputsRoot, terraformJson } from '../support/outputs';

const cli = (argv: string[]) => runCli(argv);

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'meridian-outputs-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 1-based line of the first occurrence of `needle` in a file. */
function lineOf(file: string, needle: string): number {
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('a CDK cloud assembly', () => {
  test('the orders assembly breaks no rule', () => {
    const r = cli(['check', cdkAssemblyDir('orders'), '--format', 'json']);
    expect(r.stderr).toBe('');
    // No violation; values the output leaves unresolved are unknown findings (warnings), never a pass.
    const open = JSON.parse(r.stdout).findings.filter((f: { severity: string; suppressed: boolean }) => f.severity !== 'info' && !f.suppressed);
    expect(open.filter((f: { unknown: boolean }) => !f.unknown)).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('a record TTL changed to 300 in the template is GEO-DNS-001 at the line of its logical id', () => {
    const dir = join(tmp, 'cdk.out');
    cpSync(cdkAssemblyDir('orders'), dir, { recursive: true });
    const file = join(dir, readdirSync(dir).find((f) => /orders-?dns.*\.template\.json$|dns.*\.template\.json$/i.test(f)) ?? '');
    const template = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [logicalId, record] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Route53::RecordSet' && r.Properties.Failover === 'PRIMARY') ?? [];
    expect(record).toBeDefined();
    if (!record || !logicalId) return;
    record.Properties.TTL = '300';
    writeFileSync(file, JSON.stringify(template, null, 1));
    const r = cli(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const dns = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'GEO-DNS-001');
    expect(dns).toHaveLength(1);
    expect(dns[0]).toMatchObject({ severity: 'error', value: 300, limit: 60, location: { file, line: lineOf(file, `"${logicalId}"`) } });
  });

  test('a finding about the users of a DNS name is located at its first record, in the DNS template', () => {
    // GIVEN the PRIMARY record probes the SECONDARY's endpoint: both answer from us-west-2
    const dir = join(tmp, 'cdk-failure.out');
    cpSync(cdkAssemblyDir('orders'), dir, { recursive: true });
    const file = join(dir, readdirSync(dir).find((f) => /dns.*\.template\.json$/i.test(f)) ?? '');
    const template = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const records = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Route53::RecordSet');
    const [primaryId, primary] = records.find(([, r]) => r.Properties.Failover === 'PRIMARY') ?? [];
    const [, secondary] = records.find(([, r]) => r.Properties.Failover === 'SECONDARY') ?? [];
    if (!primary || !secondary || !primaryId) throw new Error('no failover pair in the orders DNS template');
    primary.Properties.HealthCheckId = secondary.Properties.HealthCheckId;
    writeFileSync(file, JSON.stringify(template, null, 1));
    // WHEN checked
    const r = cli(['check', dir, '--format', 'json']);
    // THEN GEO-FAILURE-002 names the record name, located at the first record of that name
    const failure = JSON.parse(r.stdout).findings.filter((f: { ruleId: string; unknown: boolean }) => f.ruleId === 'GEO-FAILURE-002' && !f.unknown);
    expect(failure).toEqual([expect.objectContaining({ resource: 'api.example.com', region: 'us-west-2', location: { file, line: lineOf(file, `"${primaryId}"`) } })]);
  });

  test('meridian facts prints the facts with sorted keys', () => {
    const r = cli(['facts', cdkAssemblyDir('orders')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('cloud-assembly');
    expect(doc.facts.map((f: { topology: string }) => f.topology)).toEqual(['orders']);
    const keys = Object.keys(doc.facts[0]);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('a cdktf.out folder', () => {
  test('the orders Terraform JSON breaks no rule', () => {
    terraformJson('orders'); // synthesized once per run
    const r = cli(['check', join(outputsRoot(), 'terraform', 'orders'), '--format', 'json']);
    expect(r.stderr).toBe('');
    // No violation; values the output leaves unresolved are unknown findings (warnings), never a pass.
    const open = JSON.parse(r.stdout).findings.filter((f: { severity: string; suppressed: boolean }) => f.severity !== 'info' && !f.suppressed);
    expect(open.filter((f: { unknown: boolean }) => !f.unknown)).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('a TTL changed to 300 in cdk.tf.json is GEO-DNS-001 at the line of the resource address', () => {
    const json = terraformJson('orders') as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const records = json.resource.aws_route53_record;
    const [name, record] = Object.entries(records ?? {}).find(([, r]) => (r.failover_routing_policy as { type?: string } | undefined)?.type === 'PRIMARY') ?? [];
    expect(record).toBeDefined();
    if (!record || !name) return;
    record.ttl = 300;
    const file = join(tmp, 'main.tf.json');
    writeFileSync(file, JSON.stringify(json, null, 2));
    const r = cli(['check', file, '--format', 'json']);
    expect(r.code).toBe(1);
    const dns = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'GEO-DNS-001');
    expect(dns).toHaveLength(1);
    expect(dns[0]).toMatchObject({ severity: 'error', value: 300, location: { file, line: lineOf(file, `"${name}"`) } });
  });
});

describe('bad synthesized input is a one-line input error naming the file', () => {
  test.each([
    ['an empty folder', () => { const d = join(tmp, 'empty'); mkdirSync(d, { recursive: true }); return d; }, /empty: holds no cloud assembly/],
    ['truncated JSON', () => { const f = join(tmp, 'cut.template.json'); writeFileSync(f, '{"Resources": {"A": {"Type": "AWS::'); return f; }, /cut\.template\.json:1: is not valid JSON \(/],
    ['a template over the size limit', () => { const f = join(tmp, 'big.template.json'); writeFileSync(f, `{"Resources": {}, "Padding": "${'x'.repeat(2048)}"}`); return f; }, /big\.template\.json: input is larger than 1024 bytes; raise the limit with --max-input-bytes/],
    ['a cloud assembly whose template is over the limit', () => {
      const d = join(tmp, 'big.out');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/us-east-1', properties: { templateFile: 'S.template.json' } } } }));
      writeFileSync(join(d, 'S.template.json'), `{"Resources": {}, "Padding": "${'x'.repeat(2048)}"}`);
      return d;
    }, /S\.template\.json: .*larger than 1024 bytes/],
  ])('%s', (_name, make, message) => {
    const r = cli(['check', make(), '--max-input-bytes', '1024']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
