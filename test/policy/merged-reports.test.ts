/**
 * Reports of several topologies (the deployments of one app) merged into one document keep whose each
 * finding is: JSON names the topology per finding, SARIF fingerprints tell the same resource id of two
 * deployments apart, and a lone report keeps the fingerprints it always had.
 */
import { createHash } from 'crypto';
import { formatJson, mergeReports, toSarif, type Finding, type Report } from '../../lib/policy';

const finding: Finding = {
  ruleId: 'GEO-DNS-001', title: 'Routed records have a TTL of 60 s or less', severity: 'error', message: 'TTL 300 s',
  resource: 'Primary', region: 'us-east-1', value: 300, limit: 60, unknown: false, suppressed: false,
  location: { file: 'Dns.template.json', line: 4 },
};

function report(topology: string): Report {
  return { topology, findings: [finding], summary: { error: 1, warning: 0, info: 0, unknown: 0, suppressed: 0, total: 1, rulesEvaluated: 1 } };
}

function fingerprints(doc: Record<string, unknown>): string[] {
  const runs = doc.runs as Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }>;
  return runs.flatMap((r) => r.results.map((x) => x.partialFingerprints['meridianFinding/v1'] as string));
}

describe('merging the reports of two deployments', () => {
  test('JSON: the document has no single topology, each finding names its own', () => {
    const doc = JSON.parse(formatJson(mergeReports([report('orders'), report('billing')]))) as { topology: unknown; findings: Array<{ topology: unknown; resource: unknown }>; summary: { error: number } };
    expect(doc.topology).toBeNull();
    expect(doc.findings.map((f) => [f.topology, f.resource])).toEqual([['orders', 'Primary'], ['billing', 'Primary']]);
    expect(doc.summary.error).toBe(2);
  });

  test('SARIF: the same resource id in two deployments gets two fingerprints; a lone report keeps its own', () => {
    const [a, b] = fingerprints(toSarif([report('orders'), report('billing')]));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    // A lone topology's fingerprint is the one code scanning already knows: rule, resource, region, file.
    const before = createHash('sha256').update(JSON.stringify(['GEO-DNS-001', 'Primary', 'us-east-1', 'Dns.template.json'])).digest('hex').slice(0, 32);
    expect(fingerprints(toSarif(report('orders')))).toEqual([before]);
    expect(fingerprints(toSarif([report('orders')]))).toEqual([before]);
    expect([a, b]).not.toContain(before);
  });
});
