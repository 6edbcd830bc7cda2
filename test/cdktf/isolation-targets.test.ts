/**
 * FIS region isolation cuts every subnet of the deployment in the region, not the data tier alone: the
 * experiment selects by the plan's topology tag, every subnet the CDK for Terraform renderer lays out
 * carries it (with its tier), and no other resource type carries a tier.
 */
import { factsFromTerraform, type Facts } from '../../lib/facts';
import type { ValidSpec } from '../../lib/model';
import { at } from '../../lib/model/lookup';
import { ordersSpec, render, resourcesOf, type Rendered } from './helpers';
import { plannedTiers, withEveryApplicationLayout } from '../support/application-subnets';

type Block = Record<string, unknown>;

/** orders.yaml with public + private subnets everywhere except eu-west-1, which is private with endpoints. */
const servicesSpec = (): ValidSpec => withEveryApplicationLayout(ordersSpec());

describe('CDK for Terraform: region isolation covers every subnet Meridian lays out', () => {
  let r: Rendered;
  beforeAll(() => {
    // GIVEN / WHEN orders.yaml with application subnets, rendered with validations on
    r = render(servicesSpec());
  });

  test('the isolation template selects subnets by the plan\'s topology tag alone', () => {
    const [, iso] = at(resourcesOf(r, 'aws_fis_experiment_template').filter(([, b]) => (b.tags as Block).Name === 'orders-use1-region-isolation'), 0, 'isolation template');
    expect(iso.target).toEqual([{ name: 'Subnets', resource_type: 'aws:ec2:subnet', selection_mode: 'ALL', resource_tag: [{ key: 'meridian:topology', value: 'orders' }] }]);
    expect(iso.description).toMatch(/^Cut us-east-1's data and application subnets \(public and private\) off from us-west-2, then eu-west-1/);
  });

  test('every subnet carries the topology and its planned tier, region by region', () => {
    for (const planned of r.plan.regions) {
      const tiers = plannedTiers(planned);
      const subnets = resourcesOf(r, 'aws_subnet').filter(([, b]) => b.region === planned.name).map(([, b]) => b);
      expect(subnets.map((s) => s.cidr_block).sort()).toEqual(Object.keys(tiers).sort());
      for (const s of subnets) expect(s.tags).toMatchObject({ 'meridian:topology': 'orders', 'meridian:subnet-tier': tiers[s.cidr_block as string] });
    }
  });

  test('no resource but a subnet carries a tier', () => {
    const tiered = Object.entries(r.json.resource)
      .flatMap(([type, blocks]) => Object.values(blocks).filter((b) => (b.tags as Block | undefined)?.['meridian:subnet-tier'] !== undefined).map(() => type));
    expect(new Set(tiered)).toEqual(new Set(['aws_subnet']));
  });

  test('the facts read back from the Terraform JSON show the target as planned, and each subnet\'s tier', () => {
    const f = at(factsFromTerraform([{ file: 'cdk.tf.json', json: r.json }]).facts, 0, 'facts') as Facts;
    const iso = f.experiments.find((e) => e.id.includes('region-isolation'));
    expect(iso?.targets).toEqual([{ key: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: { 'meridian:topology': 'orders' }, resourceArns: null }]);
    expect((f.subnets ?? []).length).toBe(r.plan.regions.reduce((n, x) => n + Object.keys(plannedTiers(x)).length, 0));
    expect(new Set((f.subnets ?? []).map((s) => s.tier))).toEqual(new Set(['data', 'public', 'application']));
  });
});
