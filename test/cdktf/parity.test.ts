/**
 * Parity: the AWS CDK renderer (lib/cdk) and the CDK for Terraform renderer (lib/cdktf) must build the
 * same deployment from the same plan — per family, the same count and the same key properties (the
 * `meridian:*` tags included, which the facts reader relies on), name by
 * name. Differences the two tools force on us are listed once, with reasons, in DIFFERENCES.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Testing } from 'cdktf';
import { GeoDeployment } from '../../lib/cdk';
import { GeoTerraformStack, extractFamilies, type TerraformFamilies } from '../../lib/cdktf';
import { loadSpecFile, plan, type GeoPlan } from '../../lib/model';
import { extractCfnFamilies, type CfnAssembly } from './cfn-families';
import { SPECS_DIR, bankSpec, dynamoSpec } from './helpers';

/** Differences between the renderers that are intended, and why. The projections below apply them. */
export const DIFFERENCES: readonly { family: keyof TerraformFamilies; aspect: string; cdk: string; terraform: string; reason: string }[] = [
  {
    family: 'clusters', aspect: 'master password',
    cdk: 'Secrets Manager secret generated at deploy, passed as a {{resolve:secretsmanager}} dynamic reference',
    terraform: 'ephemeral aws_secretsmanager_random_password written write-only (secret_string_wo) into the replicated secret, read back through an ephemeral aws_secretsmanager_secret_version into master_password_wo, so the secret is the single source',
    reason: 'neither puts a secret in the template, and Terraform keeps it out of state too; RDS-managed passwords (manage_master_user_password) are not supported for Aurora global database members',
  },
  {
    family: 'clusters', aspect: 'lifecycle ignore_changes',
    cdk: 'none (CloudFormation has no equivalent)', terraform: 'engine_version, replication_source_identifier',
    reason: 'the AWS provider docs ask global-cluster members to ignore both; CloudFormation does not diff them that way',
  },
  {
    family: 'keys', aspect: 'deletion window', cdk: 'PendingWindowInDays unset (KMS default 30)', terraform: 'deletion_window_in_days = 30',
    reason: 'same value; Terraform states it explicitly. Compared after applying the KMS default',
  },
  {
    family: 'peerings', aspect: 'acceptance', cdk: 'one AWS::EC2::VPCPeeringConnection (same-account peering is accepted by CloudFormation)',
    terraform: 'aws_vpc_peering_connection (auto_accept = false, peer_region) + aws_vpc_peering_connection_accepter (auto_accept = true)',
    reason: 'the provider refuses auto_accept with peer_region; the accepter side must be its own resource in the accepter region',
  },
  {
    family: 'routes', aspect: 'route count', cdk: 'one route per isolated subnet route table (CDK gives each subnet its own table)',
    terraform: 'one route per region and peer on a shared data route table',
    reason: 'same destinations through the same peering per region; compared as the set of (region, destination, peering)',
  },
  {
    family: 'roles', aspect: 'role names', cdk: 'FIS roles named by the plan; flow-log and monitoring roles get generated names',
    terraform: 'every role named (`<vpc>-flow-logs`, `<cluster>-rds-monitoring`, plan names for FIS)',
    reason: 'IAM names in Terraform must be given or random; FIS roles are compared by name, flow-log roles by count and trust',
  },
  {
    family: 'roles', aspect: 'enhanced-monitoring roles', cdk: 'one per cluster, also for a headless secondary',
    terraform: 'one per cluster that has instances',
    reason: 'a headless cluster has no instance to monitor; not compared',
  },
];

type Fact<K extends keyof TerraformFamilies> = TerraformFamilies[K][number];
interface Family<K extends keyof TerraformFamilies> {
  readonly key: K;
  /** The key properties compared (after applying DIFFERENCES). */
  readonly project: (f: Fact<K>) => unknown;
  /** Compare the set of projections, not the list (see DIFFERENCES). */
  readonly unique?: boolean;
  /** Only these facts are compared. */
  readonly only?: (f: Fact<K>) => boolean;
}
type AnyFamily = { [K in keyof TerraformFamilies]: Family<K> }[keyof TerraformFamilies];

const FAMILIES: AnyFamily[] = [
  { key: 'globalClusters', project: (g) => g },
  {
    key: 'clusters',
    project: ({ managedMasterPassword: _m, masterSecretKeyRegion: _s, ignoreChanges: _i, ...rest }) => rest,
  },
  { key: 'keys', project: (k) => ({ region: k.region, alias: k.alias, rotation: k.rotation, multiRegion: k.multiRegion, deletionWindowInDays: k.deletionWindowInDays ?? 30 }) },
  { key: 'tables', project: (t) => t },
  { key: 'healthChecks', project: (h) => h },
  { key: 'records', project: (r) => r },
  { key: 'peerings', project: (p) => ({ name: p.name, requesterRegion: p.requesterRegion, accepterRegion: p.accepterRegion }) },
  { key: 'routes', project: (r) => r, unique: true },
  { key: 'dbIngress', project: (x) => x },
  { key: 'alarms', project: (a) => a },
  { key: 'topics', project: (t) => t },
  { key: 'experimentTemplates', project: (e) => e },
  {
    key: 'roles',
    project: (r) => ({ name: r.trustedServices.includes('fis.amazonaws.com') ? r.name : '(generated)', trustedServices: r.trustedServices }),
    only: (r) => r.trustedServices.includes('fis.amazonaws.com') || r.trustedServices.includes('vpc-flow-logs.amazonaws.com'),
  },
];

/** Canonical JSON (sorted keys, undefined dropped) so equal facts print equally. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined).sort(([a], [b]) => a.localeCompare(b)))
    : x));
}

function renderCdk(p: GeoPlan): CfnAssembly {
  const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' }, builtinCloudFormationValidation: false });
  new GeoDeployment(app, 'Meridian', { plan: p });
  const asm = app.synth();
  return Object.fromEntries(asm.stacks.map((s) => [s.stackName, { region: s.environment.region, template: s.template }]));
}

function renderTerraform(p: GeoPlan): TerraformFamilies {
  const stack = new GeoTerraformStack(Testing.app(), p.name, { plan: p });
  return extractFamilies(JSON.parse(Testing.synth(stack)), p.dns.homeRegion);
}

/** Example specs, plus inline specs for what the examples do not cover (DynamoDB, MySQL write forwarding). */
const CASES: [string, () => GeoPlan][] = [
  ...fs.readdirSync(SPECS_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
    .map((f): [string, () => GeoPlan] => [`examples/specs/${f}`, () => plan(loadSpecFile(path.join(SPECS_DIR, f)))]),
  ['inline: DynamoDB active-active, latency routing', () => plan(dynamoSpec())],
  ['inline: Aurora MySQL active-active, write forwarding, geoproximity', () => plan({
    name: 'shop',
    mode: 'active-active',
    regions: [{ name: 'eu-west-1', role: 'active' }, { name: 'eu-central-1', role: 'active' }],
    data: { engine: 'aurora-mysql', classification: 'pii', residency: ['EU'] },
    dns: { zoneName: 'example.eu', recordName: 'shop.example.eu', routing: 'geoproximity' },
  })],
  ['inline: partitioned by jurisdiction, geolocation routing, hub-and-spoke', () => plan(bankSpec({ network: { peering: 'hub-and-spoke', hub: 'us-east-1' } }))],
  ['inline: weighted active-active Aurora with alarm email', () => plan({
    name: 'media',
    mode: 'active-active',
    regions: [{ name: 'ap-southeast-2', role: 'active', weight: 3 }, { name: 'ap-northeast-1', role: 'active', weight: 1 }],
    data: { engine: 'aurora-postgresql', classification: 'internal' },
    dns: { zoneName: 'example.com', recordName: 'media.example.com', routing: 'weighted' },
    alarms: { email: 'oncall@example.com' },
  })],
];

describe.each(CASES)('parity of the CDK and CDK for Terraform renderers on %s', (_label, makePlan) => {
  const p = makePlan();
  let cdk: TerraformFamilies;
  let tf: TerraformFamilies;
  beforeAll(() => {
    cdk = extractCfnFamilies(renderCdk(p));
    tf = renderTerraform(p);
  });

  test.each(FAMILIES.map((f) => [f.key, f] as const))('%s: same count and key properties', (_name, fam) => {
    const f = fam as Family<keyof TerraformFamilies>;
    const side = (facts: TerraformFamilies) => {
      const items = (facts[f.key] as Fact<keyof TerraformFamilies>[]).filter((x) => (f.only ? f.only(x) : true)).map((x) => canonical(f.project(x)));
      return (f.unique ? [...new Set(items)] : items).sort();
    };
    const a = side(cdk);
    const b = side(tf);
    const onlyInCdk = a.filter((x) => !b.includes(x));
    const onlyInTerraform = b.filter((x) => !a.includes(x));
    // A readable diff: the facts one renderer has and the other lacks, then the counts.
    expect({ family: fam.key, onlyInCdk, onlyInTerraform, counts: { cdk: a.length, terraform: b.length } })
      .toEqual({ family: fam.key, onlyInCdk: [], onlyInTerraform: [], counts: { cdk: a.length, terraform: a.length } });
  });

  test('the comparison is not vacuous: each renderer builds what the plan asks for', () => {
    const aurora = p.data.engine !== 'dynamodb';
    const expected: Partial<Record<keyof TerraformFamilies, number>> = {
      globalClusters: aurora ? p.data.partitions.length : 0,
      clusters: aurora ? p.regions.length : 0,
      tables: aurora ? 0 : p.data.partitions.length,
      healthChecks: p.dns.healthChecks.length,
      records: p.dns.records.length,
      peerings: p.network.peerings.length,
      alarms: p.alarms.list.length,
      topics: p.regions.length + 1,
      experimentTemplates: p.experiments.length,
    };
    for (const facts of [cdk, tf]) {
      const counts = Object.fromEntries(Object.keys(expected).map((k) => [k, (facts[k as keyof TerraformFamilies] as unknown[]).length]));
      expect(counts).toEqual(expected);
    }
  });

  test('both renderers encrypt each cluster, table and topic with a key of its own region', () => {
    for (const facts of [cdk, tf]) {
      for (const c of facts.clusters) expect([c.identifier, c.kmsKeyRegion]).toEqual([c.identifier, c.region]);
      for (const t of facts.topics) expect([t.name, t.kmsKeyRegion]).toEqual([t.name, t.region]);
      for (const t of facts.tables) for (const r of t.replicas) expect([t.name, r.kmsKeyRegion]).toEqual([t.name, r.region]);
    }
  });

  test('the table of intended differences names only compared families', () => {
    const keys = new Set(FAMILIES.map((f) => f.key));
    for (const d of DIFFERENCES) expect(keys.has(d.family)).toBe(true);
  });
});
