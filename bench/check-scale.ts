/**
 * Scale of the checks on synthesized output (not a timed test): generated cloud assemblies of 1,000,
 * 10,000 and 100,000 resources go through readFactsFromPath + evaluate, each size in a fresh process so
 * the resident set size (RSS) is its own. Targets: 10,000 resources in under 1 s, linear growth, under
 * 500 MB at 100,000. Record results in bench/RESULTS.md with the machine they came from.
 *
 *   npm run bench:check              1,000 / 10,000 / 100,000
 *   npm run bench:check -- 5000      one size
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readFactsFromPath } from '../lib/facts/read';
import { evaluate } from '../lib/policy';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
/** Resources per cell: a key with its alias, a network, a database with its instance, logs and an alarm. */
const CELL = 12;
const PER_STACK = 1200;

/** One cell: the resource mix of a regional stack, with the references between them. */
function cell(i: number, region: string): Record<string, unknown> {
  const tags = [{ Key: 'meridian:topology', Value: 'scale' }, { Key: 'meridian:data-classification', Value: 'internal' }, { Key: 'meridian:residency', Value: 'none' }];
  return {
    [`Key${i}`]: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, Tags: tags }, DeletionPolicy: 'Retain' },
    [`Alias${i}`]: { Type: 'AWS::KMS::Alias', Properties: { AliasName: `alias/scale/${i}`, TargetKeyId: { 'Fn::GetAtt': [`Key${i}`, 'Arn'] } } },
    [`Vpc${i}`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: `10.${(i >> 8) % 256}.${i % 256}.0/24`, Tags: [...tags, { Key: 'Name', Value: `vpc-${region}-${i}` }] } },
    [`Subnet${i}`]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: `Vpc${i}` }, CidrBlock: `10.${(i >> 8) % 256}.${i % 256}.0/26`, AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, Tags: tags } },
    [`Table${i}`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `Vpc${i}` }, Tags: tags } },
    [`Sg${i}`]: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'db', VpcId: { Ref: `Vpc${i}` }, Tags: tags } },
    [`Ingress${i}`]: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [`Sg${i}`, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/8' } },
    [`Db${i}`]: {
      Type: 'AWS::RDS::DBCluster', DeletionPolicy: 'Snapshot',
      Properties: {
        DBClusterIdentifier: { 'Fn::Sub': `db-\${AWS::Region}-${i}` }, Engine: 'aurora-postgresql', StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [`Key${i}`, 'Arn'] }, DeletionProtection: true, MasterUsername: 'admin', ManageMasterUserPassword: true,
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [`Sg${i}`, 'GroupId'] }], Tags: tags,
      },
    },
    [`Instance${i}`]: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: `Db${i}` }, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql' } },
    [`Logs${i}`]: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: `/scale/${region}/${i}`, RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [`Key${i}`, 'Arn'] } } },
    [`Alarm${i}`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `scale-${region}-${i}-writer`, AlarmDescription: 'critical: writer down', Namespace: 'AWS/RDS', MetricName: 'EngineUptime',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: { Ref: `Db${i}` } }], Statistic: 'Minimum', Threshold: 0,
        ComparisonOperator: 'LessThanOrEqualToThreshold', Period: 60, EvaluationPeriods: 5, TreatMissingData: 'breaching',
      },
    },
    [`Policy${i}`]: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rds:DescribeDBClusters', Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:db-${i}` } }] } } },
  };
}

/** Writes a cloud assembly of about `resources` resources (stacks of PER_STACK, spread over REGIONS). */
function generate(dir: string, resources: number): number {
  fs.mkdirSync(dir, { recursive: true });
  const cells = Math.ceil(resources / CELL);
  const perStack = PER_STACK / CELL;
  const artifacts: Record<string, unknown> = {};
  let written = 0;
  for (let s = 0; s * perStack < cells; s++) {
    const region = REGIONS[s % REGIONS.length] as string;
    const res: Record<string, unknown> = {};
    for (let c = s * perStack; c < Math.min(cells, (s + 1) * perStack); c++) Object.assign(res, cell(c, region));
    written += Object.keys(res).length;
    const file = `Scale${s}.template.json`;
    fs.writeFileSync(path.join(dir, file), JSON.stringify({ Resources: res }, null, 1));
    artifacts[`Scale${s}`] = { type: 'aws:cloudformation:stack', environment: `aws://111111111111/${region}`, properties: { templateFile: file, stackName: `scale-${s}` } };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '40.0.0', artifacts }));
  return written;
}

function child(size: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `meridian-scale-${size}-`));
  try {
    const resources = generate(dir, size);
    const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    const t0 = process.hrtime.bigint();
    const { sets } = readFactsFromPath(dir);
    const t1 = process.hrtime.bigint();
    let findings = 0;
    for (const f of sets.facts) findings += evaluate(f).findings.length;
    const t2 = process.hrtime.bigint();
    const rss = process.memoryUsage().rss;
    console.log(JSON.stringify({ resources, mb: bytes / 1e6, readMs: Number(t1 - t0) / 1e6, evaluateMs: Number(t2 - t1) / 1e6, rssMb: rss / 1e6, findings }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const arg = process.argv.indexOf('--child');
  if (arg !== -1) return child(Number(process.argv[arg + 1]));
  const sizes = process.argv.slice(2).filter((x) => /^\d+$/.test(x)).map(Number);
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg()[0]?.toFixed(1)}`);
  console.log('resources   template MB   read ms   evaluate ms   total ms   ms per 1,000   RSS MB   findings');
  for (const size of sizes.length ? sizes : [1_000, 10_000, 100_000]) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as { resources: number; mb: number; readMs: number; evaluateMs: number; rssMb: number; findings: number };
    const total = r.readMs + r.evaluateMs;
    console.log([
      String(r.resources).padStart(9), r.mb.toFixed(1).padStart(13), r.readMs.toFixed(0).padStart(9), r.evaluateMs.toFixed(0).padStart(13),
      total.toFixed(0).padStart(10), (total / (r.resources / 1000)).toFixed(1).padStart(14), r.rssMb.toFixed(0).padStart(8), String(r.findings).padStart(10),
    ].join(' '));
  }
}

main();
