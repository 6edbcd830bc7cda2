import { App, Aspects, DefaultTokenResolver, type IAspect, StringConcat, Testing, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { GeoTerraformStack } from '../../lib/cdktf';
import { AWS_PROVIDER_GENERATOR, LeanResource, type BindingClass } from '../../lib/cdktf/lean';
import * as leanTypes from '../../lib/cdktf/lean-types';
import { plan, type GeoSpec } from '../../lib/model';
import { bankSpec, dynamoSpec, ordersSpec } from './helpers';

type Json = Record<string, Record<string, Record<string, unknown>>>;

/** Every lean resource of the stack, with the binding twin built from the same config beside it. */
function twins(stack: TerraformStack): Array<{ lean: LeanResource<BindingClass>; twinId: string }> {
  const leans = stack.node.findAll().filter((c): c is LeanResource<BindingClass> => c instanceof LeanResource);
  const scope = new Construct(stack, 'Twins');
  return leans.map((lean, i) => {
    const twin = new lean.leanType.binding(scope, `Twin${i}`, lean.config);
    return { lean, twinId: twin.friendlyUniqueId };
  });
}

// The lean resources exist for speed alone: each must render, byte for byte, what the provider binding
// renders for the same config (attribute order included), in every kind of deployment.
describe('LeanResource renders what its provider binding renders', () => {
  const compared = new Set<string>();
  const o = (): GeoSpec => ordersSpec() as unknown as GeoSpec;
  test.each<[string, GeoSpec]>([
    ['orders (failover, Aurora PostgreSQL, metric-math alarms, two experiments)', o()],
    ['orders with public and private application subnets', { ...o(), network: { ...o().network, applicationSubnets: 'public-and-private' } } as GeoSpec],
    ['bank (partitioned, geolocation)', bankSpec()],
    ['carts (DynamoDB, latency, replication-pause experiment)', dynamoSpec({ experiments: ['region-isolation', 'dynamodb-replication-pause'] } as Partial<GeoSpec>)],
    ['shop (Aurora MySQL, geoproximity)', {
      name: 'shop', mode: 'active-active', regions: [{ name: 'eu-west-1', role: 'active' }, { name: 'eu-central-1', role: 'active' }],
      data: { engine: 'aurora-mysql', classification: 'pii', residency: ['EU'] }, dns: { zoneName: 'example.eu', recordName: 'shop.example.eu', routing: 'geoproximity' },
    }],
    ['weighted', {
      name: 'rweighted', mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active', weight: 3 }, { name: 'eu-west-1', role: 'active', weight: 1 }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'x.example.com', routing: 'weighted' },
    }],
  ])('%s', (_name, spec) => {
    const app = Testing.app();
    const p = plan(spec);
    const stack = new GeoTerraformStack(app, p.name, { plan: p, policyChecker: false });
    const pairs = twins(stack);
    // The stack's resolved configuration before cdktf writes it with sorted keys (renderGeoPlanJson returns
    // this object as it is): the key order is the renderer's here.
    const json = stack.toTerraform() as { resource: Json };
    const text = (block: Record<string, unknown> | undefined) => JSON.stringify({ ...block, '//': undefined });
    const types = new Set<string>();
    for (const { lean, twinId } of pairs) {
      const byId = json.resource[lean.terraformResourceType] ?? {};
      // THEN the same JSON text: same attributes, nested blocks, meta-arguments and key order
      expect([lean.node.path, text(byId[lean.friendlyUniqueId])]).toEqual([lean.node.path, text(byId[twinId])]);
      types.add(lean.terraformResourceType);
      compared.add(lean.terraformResourceType);
    }
    expect(pairs.length).toBeGreaterThan(0);
    expect([...types].sort()).toEqual(expect.arrayContaining(['aws_cloudwatch_metric_alarm', 'aws_route53_record']));
  });

  test('HCL output (cdktf synth --hcl): each lean resource writes its binding twin\'s HCL, attributes and blocks typed alike', () => {
    const app = Testing.app();
    const p = plan(bankSpec());
    const stack = new GeoTerraformStack(app, p.name, { plan: p, policyChecker: false });
    const pairs = twins(stack);
    // The body resolved (each resource makes its own depends_on tokens), without its `//` metadata
    // (construct path and unique id, which differ between twins).
    const hcl = (r: TerraformResource) => {
      const body = (r.toHclTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource[r.terraformResourceType]?.[r.friendlyUniqueId];
      return JSON.stringify(Tokenization.resolve({ ...body, '//': undefined }, { scope: r, resolver: new DefaultTokenResolver(new StringConcat()) }));
    };
    const byId = new Map(stack.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource).map((r) => [r.friendlyUniqueId, r]));
    for (const { lean, twinId } of pairs) {
      const twin = byId.get(twinId);
      if (!twin) throw new Error(`no twin ${twinId}`);
      const text = hcl(lean);
      // THEN a non-empty HCL body, the twin's
      expect(text.length).toBeGreaterThan(20);
      expect([lean.node.path, text]).toEqual([lean.node.path, hcl(twin)]);
    }
    // AND the written cdk.tf names a lean resource's attribute (a Route 53 record's set identifier)
    const written = Testing.synthHcl(stack);
    expect(written).toMatch(/resource "aws_route53_record"[\s\S]*set_identifier/);
  });

  // Runs after the deployments above (Jest runs a file's tests in order).
  test('every lean type of lean-types.ts was compared in one of the deployments above', () => {
    const declared = Object.values(leanTypes).map((t) => t.binding.tfResourceType).sort();
    expect(declared.length).toBeGreaterThan(15);
    expect([...compared].sort()).toEqual(declared);
  });

  test('the provider generator metadata is the binding\'s (the provider-presence validation reads it)', () => {
    const stack = new TerraformStack(new App(), 'meta');
    const subnet = new Subnet(stack, 'Subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' });
    expect(subnet.terraformGeneratorMetadata).toEqual(AWS_PROVIDER_GENERATOR);
  });
});

describe('LeanResource under a tagging aspect (cdktf\'s Aspects guide)', () => {
  type Taggable = IConstruct & { tags?: Record<string, string>; tagsInput?: Record<string, string> };
  const isTaggable = (x: IConstruct): x is Taggable => 'tags' in x && 'tagsInput' in x;
  class TagsAddingAspect implements IAspect {
    constructor(private readonly add: Record<string, string>) {}
    visit(node: IConstruct): void {
      if (isTaggable(node)) node.tags = { ...this.add, ...(node.tagsInput ?? {}) };
    }
  }

  test('taggable lean resources take the tag beside their own; untaggable ones are not offered it', () => {
    const app = Testing.app();
    const p = plan(ordersSpec());
    const stack = new GeoTerraformStack(app, p.name, { plan: p, policyChecker: false });
    Aspects.of(stack).add(new TagsAddingAspect({ team: 'platform' }));
    const json = JSON.parse(Testing.synth(stack)) as { resource: Json };
    const leans = stack.node.findAll().filter((c): c is LeanResource<BindingClass> => c instanceof LeanResource);
    const taggable = leans.filter((l) => 'tagsInput' in l.leanType.binding.prototype);
    const untaggable = leans.filter((l) => !('tagsInput' in l.leanType.binding.prototype));
    expect(taggable.length).toBeGreaterThan(20);
    expect(new Set(untaggable.map((l) => l.terraformResourceType))).toContain('aws_route');
    for (const l of taggable) {
      const tags = json.resource[l.terraformResourceType]?.[l.friendlyUniqueId]?.tags as Record<string, string> | undefined;
      // THEN the aspect's tag, and Meridian's own tags kept
      expect([l.node.path, tags?.team, tags?.['meridian:topology']]).toEqual([l.node.path, 'platform', 'orders']);
    }
    for (const l of untaggable) {
      expect([l.node.path, 'tags' in l, json.resource[l.terraformResourceType]?.[l.friendlyUniqueId]?.tags]).toEqual([l.node.path, false, undefined]);
    }
  });
});

describe('LeanResource attributes', () => {
  const app = Testing.app();
  const p = plan(ordersSpec());
  const geo = new GeoTerraformStack(app, 'orders', { plan: p, policyChecker: false });
  const cluster = Object.values(geo.databases)[0]?.clusters['us-east-1'];

  test('one token per attribute name, rendering the Terraform name of the binding\'s getter', () => {
    if (!cluster) throw new Error('orders has an Aurora cluster in us-east-1');
    expect(cluster.attr('readerEndpoint')).toBe(cluster.attr('readerEndpoint'));
    expect(cluster.id).toBe(cluster.attr('id'));
    expect(cluster.attr('arn')).not.toBe(cluster.id);
    // The deployment's output of the reader endpoint reads it through attr().
    const json = JSON.parse(Testing.synth(geo)) as { output: Record<string, { value: string }> };
    expect(json.output.cluster_reader_endpoint_use1?.value).toBe(`\${aws_rds_cluster.${cluster.friendlyUniqueId}.reader_endpoint}`);
  });

  test('regionInput is the region argument, as the bindings\' (the stack\'s region check reads it)', () => {
    expect(cluster?.regionInput).toBe('us-east-1');
    expect(Object.values(geo.dns.records)[0]?.regionInput).toBeUndefined();
  });
});
