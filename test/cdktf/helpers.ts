import * as path from 'path';
import { Testing } from 'cdktf';
import { GeoTerraformStack, extractFamilies, type GeoTerraformStackProps, type TerraformFamilies } from '../../lib/cdktf';
import { loadSpecFile, plan, type GeoPlan, type GeoSpec, type ValidSpec } from '../../lib/model';
import { synthesizingOnce } from '../../lib/cdktf/synthesize-once';

export const SPECS_DIR = path.join(__dirname, '..', '..', 'examples', 'specs');

/** The example spec, parsed (a fresh copy each call, safe to mutate). */
export function ordersSpec(): ValidSpec {
  return loadSpecFile(path.join(SPECS_DIR, 'orders.yaml'));
}

/** A partitioned deployment: EU and US users each in two regions of their own jurisdiction, geolocation routing. */
export function bankSpec(overrides: Partial<GeoSpec> = {}): GeoSpec {
  return {
    name: 'bank',
    mode: 'partitioned',
    regions: [
      { name: 'eu-west-1', role: 'active', jurisdiction: 'EU' },
      { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' },
      { name: 'us-east-1', role: 'active', jurisdiction: 'US' },
      { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
    ],
    data: { engine: 'aurora-postgresql', classification: 'financial' },
    dns: { zoneName: 'example.com', recordName: 'bank.example.com', routing: 'geolocation', defaultRegion: 'us-east-1' },
    ...overrides,
  };
}

/** An active-active DynamoDB spec in three regions with latency routing. */
export function dynamoSpec(overrides: Partial<GeoSpec> = {}): GeoSpec {
  return {
    name: 'carts',
    mode: 'active-active',
    regions: [
      { name: 'us-east-1', role: 'active' },
      { name: 'us-east-2', role: 'active' },
      { name: 'us-west-2', role: 'active' },
    ],
    data: { engine: 'dynamodb', classification: 'internal' },
    dns: { zoneName: 'example.com', recordName: 'carts.example.com', routing: 'latency', zoneId: 'Z0123456789ABC' },
    ...overrides,
  };
}

export interface Rendered {
  readonly plan: GeoPlan;
  readonly stack: GeoTerraformStack;
  /** Testing.synth output (validations run, metadata removed). */
  readonly synthesized: string;
  readonly json: { resource: Record<string, Record<string, Record<string, unknown>>>; [k: string]: unknown };
  readonly families: TerraformFamilies;
}

/** Renders a spec with the cdktf renderer and synthesizes it with validations on. */
export function render(spec: GeoSpec | ValidSpec | GeoPlan, props: Omit<GeoTerraformStackProps, 'plan'> = {}): Rendered {
  // A GeoPlan passes through as is: tests of checks that the schema already makes on specs use plans built by hand.
  const p = 'stackName' in spec.dns ? (spec as GeoPlan) : plan(spec as GeoSpec);
  const app = Testing.app();
  const stack = new GeoTerraformStack(app, p.name, { ...props, plan: p });
  // The policy gate's validation and the output read one synthesis of the stack, as in renderGeoPlanJson
  // and synthesizeGeoPlan (lib/cdktf/synthesize-once.ts); Testing.synth changes nothing in between.
  const synthesized = synthesizingOnce(stack, () => Testing.synth(stack, true));
  const json = JSON.parse(synthesized);
  return { plan: p, stack, synthesized, json, families: extractFamilies(json, p.dns.homeRegion) };
}

/** Resources of one Terraform type, as [logical id, block] pairs. */
export function resourcesOf(r: Rendered, type: string): [string, Record<string, unknown>][] {
  return Object.entries(r.json.resource[type] ?? {});
}
