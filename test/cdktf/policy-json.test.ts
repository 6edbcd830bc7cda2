/**
 * The cdktf renderer checks its own synthesized Terraform JSON (read back into facts) as well as the
 * plan: an override that breaks a rule fails synthesis with the rule id, and warnings, silent before,
 * become stack annotations (printed by `synthesizeGeoPlan` and the cdktf CLI).
 */
import { Testing } from 'cdktf';
import { GeoTerraformStack } from '../../lib/cdktf';
import { checkTerraformJson } from '../../lib/cdktf/policy';
import { plan } from '../../lib/model';
import { ordersSpec } from './helpers';
import { at } from '../../lib/model/lookup';

function stackOf(spec = ordersSpec()) {
  const app = Testing.app();
  return new GeoTerraformStack(app, 'orders', { plan: plan(spec) });
}

describe('policy on the synthesized Terraform JSON', () => {
  test('the orders stack passes: no error; anything left is an unknown, not a violation', () => {
    const stack = stackOf();
    expect(() => Testing.synth(stack, true)).not.toThrow();
    const result = checkTerraformJson(stack.toTerraform(), 'cdk.tf.json');
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => !/^GEO-[A-Z]+-\d+ \(unknown\) /.test(w))).toEqual([]);
  });

  test('an override of a routed TTL to 300 fails synthesis with GEO-DNS-001', () => {
    // GIVEN an escape hatch on one record, after the renderer built it from a compliant plan
    const stack = stackOf();
    const record = at(Object.values(stack.dns.records), 0, 'DNS record');
    record.addOverride('ttl', 300);
    // THEN
    expect(() => Testing.synth(stack, true)).toThrow(/meridian policy \(synthesized Terraform JSON\): GEO-DNS-001 \[[^\]]+\]: .*TTL 300 s.*\(value 300, limit 60\)/);
  });

  test('a suppression in the spec covers the same finding in the JSON', () => {
    const spec = { ...ordersSpec(), suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy resolvers pin the TTL until the migration' }] };
    const stack = stackOf(spec);
    at(Object.values(stack.dns.records), 0, 'DNS record').addOverride('ttl', 300);
    let message = '';
    try { Testing.synth(stack, true); } catch (e) { message = (e as Error).message; }
    expect(message).not.toMatch(/GEO-DNS-001/);
    // The JSON check did see the TTL: without the suppressions (the "//" block) it reports it.
    const { '//': _meta, ...bare } = stack.toTerraform() as Record<string, unknown>;
    expect(checkTerraformJson(bare, 'cdk.tf.json').errors).toEqual(expect.arrayContaining([expect.stringMatching(/^GEO-DNS-001 /)]));
  });

  test('warnings of the JSON become annotations, once', () => {
    const stack = stackOf();
    // An unresolvable health-check interval: the rule cannot decide, an unknown finding (a warning).
    at(Object.values(stack.dns.healthChecks), 0, 'health check').addOverride('request_interval', '${var.interval}');
    Testing.synth(stack, true);
    Testing.synth(stack, true);
    const warnings = stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.filter((w) => w.startsWith('GEO-HEALTH-001 (unknown)'))).toHaveLength(1);
  });
});

test('the spec suppressions are written into the Terraform JSON for `meridian check`', () => {
  const suppressions = [{ rule: 'GEO-DNS-001', reason: 'legacy resolvers pin the TTL until the migration' }];
  // (Testing.synth drops the "//" block; toTerraform is what app.synth writes to cdk.tf.json.)
  const json = stackOf({ ...ordersSpec(), suppressions }).toTerraform() as { '//'?: { meridian?: unknown } };
  expect(json['//']?.meridian).toEqual({ suppressions });
  expect((stackOf().toTerraform() as { '//'?: { meridian?: unknown } })['//']?.meridian).toBeUndefined();
});
