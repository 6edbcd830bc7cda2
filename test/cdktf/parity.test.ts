/**
 * Parity through the facts: for every example, the facts from the plan, from the AWS CDK cloud assembly
 * and from the CDK for Terraform JSON must agree on every family. Every difference is listed ONCE, with its
 * reason, in DIFFERENCES; rows marked `drift: issue 8` are renderer drift that issue 8 fixes (delete the row
 * with the fix). A row that no longer changes any comparison fails the test, so the table stays honest.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { renderGeoPlanJson, type TerraformJson } from '../../lib/cdktf';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromPlan, factsFromTemplates, factsFromTerraform, type Facts } from '../../lib/facts';
import { loadSpecFile, plan, type GeoPlan, type GeoSpec } from '../../lib/model';
import { spec as activeActive } from '../../examples/active-active/app';
import { spec as activePassive } from '../../examples/active-passive/app';
import { spec as partitioned } from '../../examples/partitioned-residency/app';
import { spec as withServices } from '../../examples/with-services/app';
import { SPECS_DIR, dynamoSpec } from './helpers';
import { cdkContextOf } from '../support/cdk-context';
import { withEveryApplicationLayout } from '../support/application-subnets';
import { quietly } from '../support/quiet';
import { cdkStacks, examplePlan, terraformJson, type ExampleName } from '../support/outputs';

type Side = 'plan' | 'cdk' | 'terraform';
type Family = 'regions' | 'records' | 'healthChecks' | 'keys' | 'databases' | 'networks' | 'peerings' | 'alarms' | 'experiments'
  | 'securityGroups' | 'routeTables' | 'subnets' | 'secrets' | 'logGroups' | 'data' | 'objectives' | 'mode' | 'fisRoles' | 'vpcEndpoints';
type Item = Record<string, unknown>;

interface Difference {
  readonly family: Family;
  readonly aspect: string;
  /** The sides whose facts differ on this aspect. */
  readonly between: readonly Side[];
  readonly reason: string;
  /** Renderer drift to be fixed by issue 8 (then this row goes). */
  readonly drift?: 'issue 8';
  /** Makes the aspect comparable (drops it, maps it to what both sides mean, or drops the item: undefined). Applied to every side. */
  readonly normalize: (x: Item) => Item | undefined;
}

const drop = (...keys: string[]) => (x: Item): Item => Object.fromEntries(Object.entries(x).filter(([k]) => !keys.includes(k)));

export const DIFFERENCES: readonly Difference[] = [
  // ---- what the tools or the plan cannot express alike ----
  {
    family: 'securityGroups', aspect: 'identity', between: ['cdk', 'terraform'], normalize: drop('id', 'source'),
    reason: 'CDK security groups get generated names; Terraform names them. Compared by region, network and ingress',
  },
  {
    family: 'routeTables', aspect: 'route tables', between: ['cdk', 'terraform'], normalize: (x) => ({ region: x.region, routes: x.routes }),
    reason: 'CDK gives each subnet its own route table; Terraform shares one per tier (data, public, private without NAT) and has one per zone only where the routes differ (private subnets, each to its zone\'s NAT gateway). Compared as the set of (region, routes)',
  },
  {
    family: 'subnets', aspect: 'identity and zone', between: ['cdk', 'terraform'], normalize: drop('id', 'source', 'availabilityZone'),
    reason: 'logical ids differ; the zone is Fn::GetAZs (CDK) or a data source (Terraform): deploy-time values, unknown in both',
  },
  {
    family: 'logGroups', aspect: 'flow-log group name', between: ['cdk', 'terraform'],
    normalize: (x) => (String(x.name ?? '').includes('vpc-flow-logs') || x.name === undefined ? { ...drop('id', 'name', 'source')(x), flowLogs: true } : drop('source')(x)),
    reason: 'CDK names the VPC flow-log group itself (generated); Terraform names it /meridian/<name>/vpc-flow-logs/<region>',
  },
  {
    family: 'records', aspect: 'zone of a record in an imported zone', between: ['cdk'], normalize: drop('zoneName'),
    reason: 'with dns.zoneId the CloudFormation record names its zone by id only (HostedZoneId), so its zone name is unknown there',
  },
  {
    family: 'experiments', aspect: 'role permissions', between: ['plan', 'cdk', 'terraform'], normalize: drop('role'),
    reason: 'the plan names the FIS role but not its statements yet (issue 8 moves them into the plan); the two renderers\' roles are compared as fisRoles',
  },
  {
    family: 'fisRoles', aspect: 'role region', between: ['cdk', 'terraform'], normalize: drop('region'),
    reason: 'IAM is global: a CDK role sits in its region\'s stack, a Terraform role with the default provider (the region carries no meaning)',
  },
  {
    family: 'keys', aspect: 'the DNS stack\'s key', between: ['plan'], normalize: (x) => (String(x.id).includes('/dns@') ? undefined : x),
    reason: 'both renderers create a key for the DNS alert topic in the DNS home region (us-east-1); plan facts list only the regional data keys, because GEO-RESIDENCY-001 counts every key as a place data lives (open question for the policy: a key that encrypts no data)',
  },
  // ---- renderer drift (issue 8): a fix deletes its row; none is left ----
];

const FAMILIES: readonly Family[] = ['mode', 'data', 'objectives', 'regions', 'records', 'healthChecks', 'keys', 'databases', 'networks', 'peerings', 'alarms', 'experiments', 'fisRoles', 'securityGroups', 'routeTables', 'subnets', 'secrets', 'logGroups', 'vpcEndpoints'];
/** Families the plan does not describe (absent from plan facts): compared between the two renderers only. */
const OUTPUT_ONLY: ReadonlySet<Family> = new Set(['securityGroups', 'routeTables', 'subnets', 'secrets', 'logGroups', 'fisRoles']);

function itemsOf(f: Facts, family: Family): Item[] {
  switch (family) {
    case 'mode': return [{ mode: f.mode }];
    case 'data': return [{ data: f.data }];
    case 'objectives': return [{ objectives: f.objectives }];
    case 'records': return f.dns.records as unknown as Item[];
    case 'healthChecks': return f.dns.healthChecks as unknown as Item[];
    case 'fisRoles': return f.experiments.map((e) => ({ experiment: e.id, ...(e.role ?? {}) }));
    default: return (f[family] ?? []) as unknown as Item[];
  }
}

/**
 * Canonical JSON: sorted keys, lists compared as sets (member, rule, route and action order carries no
 * meaning in these families), unknown spelled out, `source` dropped (where a fact came from is not what it says).
 * Keys in code-unit order: any fixed order makes equal values equal strings, and this one needs no
 * locale-aware comparison (what the earlier `localeCompare` order cost, a tenth of this file's own time).
 */
function canonical(v: unknown): string {
  if (v === undefined) return '"<unknown>"';
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(',')}]`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const keys = Object.keys(v).filter((k) => k !== 'source').sort();
  const o = v as Record<string, unknown>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

function compare(sides: Record<Side, Facts>, family: Family, rows: readonly Difference[]): { only: Record<string, string[]> } {
  const norm = (x: Item) => rows.filter((d) => d.family === family).reduce<Item | undefined>((acc, d) => (acc === undefined ? undefined : d.normalize(acc)), x);
  const list = (s: Side) => [...new Set(itemsOf(sides[s], family).map(norm).filter((x) => x !== undefined).map((x) => canonical(x)))].sort();
  const used: Side[] = OUTPUT_ONLY.has(family) ? ['cdk', 'terraform'] : ['plan', 'cdk', 'terraform'];
  const lists = Object.fromEntries(used.map((s) => [s, list(s)])) as Record<Side, string[]>;
  const sets = Object.fromEntries(used.map((s) => [s, new Set(lists[s])])) as Record<Side, Set<string>>;
  const all = new Set(used.flatMap((s) => lists[s]));
  const only: Record<string, string[]> = {};
  for (const item of all) {
    const missing = used.filter((s) => !sets[s].has(item));
    if (missing.length > 0) (only[`missing from ${missing.join(' and ')}`] ??= []).push(item);
  }
  return { only };
}

/**
 * Where the cloud assemblies of this file go: a memory file system where the machine has one. A synth
 * writes about 25 files (templates, metadata, asset manifests), read back once and deleted; creating
 * them on a disk file system cost more system time than on tmpfs.
 */
const ASSEMBLY_PARENT = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function synthCdk(p: GeoPlan, policy = true): Facts {
  const outdir = fs.mkdtempSync(path.join(ASSEMBLY_PARENT, 'meridian-parity-'));
  try {
    // The default app's cdk.json context: the recommended feature flags a user's app has.
    const app = new App({ outdir, context: cdkContextOf('orders'), builtinCloudFormationValidation: false });
    new GeoDeployment(app, 'Meridian', { plan: p, policy });
    const asm = quietly(() => app.synth()).result;
    const set = factsFromTemplates(asm.stacks.map((s) => ({ file: s.templateFile, stackName: s.stackName, region: s.environment.region, template: s.template })));
    expect(set.facts.map((f) => f.topology)).toEqual([p.name]);
    return set.facts[0] as Facts;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function synthTerraform(p: GeoPlan, policy = true): Facts {
  const { json } = renderGeoPlanJson(p, policy ? {} : { policyChecker: false });
  const set = factsFromTerraform([{ file: 'cdk.tf.json', json }]);
  expect(set.facts.map((f) => f.topology)).toEqual([p.name]);
  return set.facts[0] as Facts;
}

/**
 * The examples' outputs as the run shares them (test/support/outputs.ts, synthesized once per run): the
 * example app's own synth (its cdk.json context, built-in validation on) and its cdktf render, of the
 * same plan (checked below). Their facts are those of a synth of the plan in this file (compared as sets,
 * as here, when this was introduced), without a second synth of each example.
 */
function sharedCdk(example: ExampleName, p: GeoPlan): Facts {
  const set = factsFromTemplates(cdkStacks(example).map((s) => ({ file: s.file, stackName: s.stackName, region: s.region, template: s.template })));
  expect(set.facts.map((f) => f.topology)).toEqual([p.name]);
  return set.facts[0] as Facts;
}

function sharedTerraform(example: ExampleName, p: GeoPlan): Facts {
  const set = factsFromTerraform([{ file: 'cdk.tf.json', json: terraformJson(example) as TerraformJson }]);
  expect(set.facts.map((f) => f.topology)).toEqual([p.name]);
  return set.facts[0] as Facts;
}

/** The example whose shared outputs hold a spec file's rendering (examples/specs/orders.yaml is bin/app.ts's spec). */
const SHARED_SPEC_FILES: Readonly<Record<string, ExampleName>> = { 'orders.yaml': 'orders' };

/**
 * Every example (the three CDK apps' specs and the cdktf example's spec file), plus DynamoDB, which no
 * example covers, application subnets and the spec matrix. Label, plan, whether the policy gates run (the matrix judges rendering, not design: its designs may
 * fail rules), and the example whose shared outputs are this plan's rendering.
 */
const CASES: [string, () => GeoPlan, boolean?, ExampleName?][] = [
  ['examples/active-passive', () => plan(activePassive), true, 'active-passive'],
  ['examples/active-active', () => plan(activeActive as GeoSpec), true, 'active-active'],
  ['examples/partitioned-residency', () => plan(partitioned as GeoSpec), true, 'partitioned-residency'],
  ...fs.readdirSync(SPECS_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
    .map((f): [string, () => GeoPlan, boolean, ExampleName?] => [`examples/specs/${f} (examples/cdktf-active-passive)`, () => plan(loadSpecFile(path.join(SPECS_DIR, f))), true, SHARED_SPEC_FILES[f]]),
  ['inline: DynamoDB active-active, latency routing', () => plan(dynamoSpec())],
  ...applicationSubnetCases(),
  ...specMatrix(),
];

/**
 * Application subnets, every layout: orders.yaml with public + private subnets (a NAT gateway per zone)
 * in two regions and private subnets with interface endpoints in the third; and the spec of
 * examples/with-services (its services run on VPCs the team brings, so its plan has none).
 */
function applicationSubnetCases(): [string, () => GeoPlan][] {
  const orders = () => loadSpecFile(path.join(SPECS_DIR, 'orders.yaml'));
  return [
    ['application subnets: public-and-private (us-east-1, us-west-2) and private-with-endpoints (eu-west-1)', () => {
      return plan(withEveryApplicationLayout(orders()));
    }],
    ['examples/with-services (spec)', () => plan(withServices)],
  ];
}

/**
 * The spec matrix: every mode × engine × routing kind that plan() accepts, two regions each (one per
 * jurisdiction when partitioned). Which combinations exist is the plan's decision, so the filter is
 * plan() itself; the renderers must agree on every one of them.
 */
function specMatrix(): [string, () => GeoPlan, boolean][] {
  const modes = ['active-passive', 'active-active', 'partitioned'] as const;
  const engines = ['aurora-postgresql', 'aurora-mysql', 'dynamodb'] as const;
  const routings = ['failover', 'latency', 'geolocation', 'geoproximity', 'weighted'] as const;
  const out: [string, () => GeoPlan, boolean][] = [];
  for (const mode of modes) {
    for (const engine of engines) {
      for (const routing of routings) {
        const spec: GeoSpec = {
          name: `m-${mode.split('-').map((w) => w[0]).join('')}-${engine.replace('aurora-', '').slice(0, 2)}-${routing.slice(0, 4)}`,
          mode,
          regions: mode === 'active-passive'
            ? [{ name: 'us-east-1', role: 'primary' }, { name: 'eu-west-1', role: 'secondary' }]
            : mode === 'active-active'
              ? [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }]
              : [{ name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }],
          data: { engine, classification: 'internal' },
          dns: { zoneName: 'example.com', recordName: 'api.example.com', routing, ...(routing === 'geolocation' ? { defaultRegion: 'us-east-1' as const } : {}) },
        };
        let planned: GeoPlan;
        try {
          planned = plan(spec);
        } catch {
          continue;
        }
        out.push([`matrix: ${mode} × ${engine} × ${routing}`, () => planned, false]);
      }
    }
  }
  return out;
}

const used = new Set<Difference>();

describe.each(CASES)('facts from plan, cdk.out and Terraform JSON agree on %s', (_label, makePlan, policy = true, example) => {
  const p = makePlan();
  let sides: Record<Side, Facts>;
  beforeAll(() => {
    if (example !== undefined) {
      // The shared outputs are of this very plan.
      expect(examplePlan(example)).toEqual(p);
      sides = { plan: factsFromPlan(p), cdk: sharedCdk(example, p), terraform: sharedTerraform(example, p) };
    } else {
      sides = { plan: factsFromPlan(p), cdk: synthCdk(p, policy), terraform: synthTerraform(p, policy) };
    }
  });

  test.each(FAMILIES.map((f) => [f]))('%s', (family) => {
    // Which rows this case needs: a row is needed when leaving it out makes the family differ.
    for (const d of DIFFERENCES.filter((x) => x.family === family)) {
      if (Object.keys(compare(sides, family, DIFFERENCES.filter((x) => x !== d)).only).length > 0) used.add(d);
    }
    const { only } = compare(sides, family, DIFFERENCES);
    expect({ family, only }).toEqual({ family, only: {} });
  });

  test('the network comparison is not vacuous: each output has every planned subnet, gateway route, endpoint and endpoint rule', () => {
    const subnets = p.regions.flatMap((r) => [...r.dataSubnets, ...r.applicationSubnets.public, ...r.applicationSubnets.private].map((x) => `${r.name} ${x.cidr}`)).sort();
    const gateways = p.regions.flatMap((r) => [
      ...(r.applicationSubnets.public.length > 0 ? [`${r.name} 0.0.0.0/0 internet-gateway`] : []),
      ...(r.applicationSubnets.natGateways > 0 ? [`${r.name} 0.0.0.0/0 nat-gateway`] : []),
    ]).sort();
    const plannedEndpoints = p.regions.flatMap((r) => Object.values(r.applicationSubnets.endpointAccess?.serviceNames ?? {}).map((n) => `${r.name} ${n} ${r.applicationSubnets.endpointAccess?.privateDns}`)).sort();
    const endpointRules = p.regions.flatMap((r) => (r.applicationSubnets.endpointAccess?.clientCidrs ?? []).map((c) => `${r.name} ${r.applicationSubnets.endpointAccess?.port} ${c}`)).sort();
    for (const s of ['cdk', 'terraform'] as const) {
      const f = sides[s];
      const routes = (f.routeTables ?? []).flatMap((t) => (t.routes ?? []).filter((x) => x.peeringId === null).map((x) => `${t.region} ${x.destinationCidr} ${x.target}`));
      const rules = (f.securityGroups ?? []).flatMap((g) => (g.ingress ?? []).filter((i) => endpointRules.length > 0 && i.fromPort === p.regions.find((r) => r.name === g.region)?.applicationSubnets.endpointAccess?.port).map((i) => `${g.region} ${i.fromPort} ${i.cidr}`));
      const endpoints = (f.vpcEndpoints ?? []).map((e) => `${e.region} ${e.serviceName} ${e.privateDns}`).sort();
      expect([s, (f.subnets ?? []).map((x) => `${x.region} ${x.cidr}`).sort(), [...new Set(routes)].sort(), rules.sort(), endpoints])
        .toEqual([s, subnets, gateways, endpointRules, plannedEndpoints]);
    }
  });

  test('the comparison is not vacuous: each side has the plan\'s databases, records, alarms and experiments', () => {
    for (const s of ['plan', 'cdk', 'terraform'] as const) {
      const f = sides[s];
      expect([s, f.databases.length, f.dns.records.length, f.alarms.length, f.experiments.length])
        .toEqual([s, p.data.partitions.length, p.dns.records.length, p.alarms.list.length, p.experiments.length]);
    }
  });
});

test('every row of DIFFERENCES is still needed by some example (delete rows the renderers no longer need)', () => {
  const stale = DIFFERENCES.filter((d) => !used.has(d)).map((d) => `${d.family}: ${d.aspect}`);
  expect(stale).toEqual([]);
});
