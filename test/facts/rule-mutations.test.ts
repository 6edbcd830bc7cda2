/**
 * Every rule fires from synthesized output: the active-passive example is synthesized ONCE with each
 * renderer; each case mutates one property of a JSON copy (as an escape hatch or a hand edit would) and
 * asserts the exact finding, read back through the cloud-assembly reader and the Terraform JSON reader.
 */
import { App } from 'aws-cdk-lib';
import { renderGeoPlanJson } from '../../lib/cdktf';
import { factsFromTemplates, factsFromTerraform, type Facts } from '../../lib/facts';
import { plan } from '../../lib/model';
import { RULES, evaluate, type Finding } from '../../lib/policy';
import { build, spec } from '../../examples/active-passive/app';
import { cdkContextOf } from '../support/cdk-context';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Stack { stackName: string; region: string | undefined; template: Json }

const NOW = new Date('2026-06-01T00:00:00Z');

const cdkStacks: Stack[] = (() => {
  // The example's cdk.json context (the recommended feature flags), as `cdk synth` in its folder has it.
  const app = new App({ context: cdkContextOf('active-passive') });
  build(app);
  return app.synth().stacks.map((s) => ({ stackName: s.stackName, region: s.environment.region, template: s.template as Json }));
})();
const tfJson: Json = renderGeoPlanJson(plan(spec)).json as Json;

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
function cfnFacts(stacks: Stack[]): Facts {
  const set = factsFromTemplates(stacks.map((s) => ({ file: `${s.stackName}.template.json`, stackName: s.stackName, region: s.region, template: s.template })));
  expect(set.facts).toHaveLength(1);
  return set.facts[0] as Facts;
}
function tfFacts(json: Json): Facts {
  const set = factsFromTerraform([{ file: 'cdk.tf.json', json }]);
  expect(set.facts).toHaveLength(1);
  return set.facts[0] as Facts;
}

/** CloudFormation resources of a type (optionally filtered), across stacks. */
function cfn(stacks: Stack[], type: string, pred: (r: Json, s: Stack) => boolean = () => true): Json[] {
  return stacks.flatMap((s) => Object.values(s.template.Resources as Json).filter((r: Json) => r.Type === type && pred(r, s))) as Json[];
}
function tf(json: Json, type: string, pred: (r: Json) => boolean = () => true): Json[] {
  return Object.values((json.resource[type] ?? {}) as Json).filter(pred) as Json[];
}
/** Sets a tag on every resource that carries tags, in either format. */
function setTagCfn(stacks: Stack[], key: string, value: string, pred: (r: Json) => boolean = () => true): void {
  for (const s of stacks) {
    for (const r of Object.values(s.template.Resources as Json) as Json[]) {
      const p = r.Properties ?? {};
      if (!pred(r)) continue;
      for (const tags of [p.Tags, p.HealthCheckTags, p.HostedZoneTags, ...((p.Replicas ?? []) as Json[]).map((x) => x.Tags)]) {
        if (Array.isArray(tags)) {
          for (const t of tags) if (t.Key === key) t.Value = value;
        } else if (tags && typeof tags === 'object' && key in tags) tags[key] = value;
      }
    }
  }
}
function setTagTf(json: Json, key: string, value: string, pred: (r: Json) => boolean = () => true): void {
  for (const byName of Object.values(json.resource as Json) as Json[]) {
    for (const r of Object.values(byName) as Json[]) if (pred(r) && r.tags && key in r.tags) r.tags[key] = value;
  }
}
/** Adds a tag to every tagged resource of a region (by its meridian:region tag), in either format. */
function addTagCfn(stacks: Stack[], region: string, key: string, value: string): void {
  for (const s of stacks) {
    for (const r of Object.values(s.template.Resources as Json) as Json[]) {
      const tags = r.Properties?.Tags ?? r.Properties?.HealthCheckTags;
      if (Array.isArray(tags) && tags.some((t: Json) => t.Key === 'meridian:region' && t.Value === region)) tags.push({ Key: key, Value: value });
      else if (tags && !Array.isArray(tags) && tags['meridian:region'] === region) tags[key] = value;
    }
  }
}
function addTagTf(json: Json, region: string, key: string, value: string): void {
  for (const byName of Object.values(json.resource as Json) as Json[]) {
    for (const r of Object.values(byName) as Json[]) if (r.tags?.['meridian:region'] === region) r.tags[key] = value;
  }
}
const JURISDICTIONS: Record<string, string> = { 'us-east-1': 'US', 'us-west-2': 'US', 'eu-west-1': 'EU' };

const tagged = (key: string, value: string) => (r: Json) => {
  const p = r.Properties ?? r;
  const tags = p.Tags ?? p.HealthCheckTags ?? p.tags;
  return Array.isArray(tags) ? tags.some((t: Json) => t.Key === key && t.Value === value) : tags?.[key] === value;
};

interface Case {
  readonly rule: string;
  readonly what: string;
  readonly cfn: (stacks: Stack[]) => void;
  readonly tf: (json: Json) => void;
  readonly finding: { resource: string; message: string | ReturnType<typeof expect.stringMatching>; region?: string };
}

const PRIMARY_RECORD_CFN = (r: Json) => r.Properties.Failover === 'PRIMARY';
const SECONDARY_RECORD_CFN = (r: Json) => r.Properties.Failover === 'SECONDARY';
const isFailover = (type: string) => (r: Json) => r.failover_routing_policy?.type === type;

const CASES: readonly Case[] = [
  {
    rule: 'GEO-QUORUM-001', what: 'meridian:quorum with W > N',
    cfn: (s) => setTagCfn(s, 'meridian:quorum', 'n=3 w=4 r=1'), tf: (j) => setTagTf(j, 'meridian:quorum', 'n=3 w=4 r=1'),
    finding: { resource: 'data.quorum.writeQuorum', message: 'writeQuorum (W) must be a whole number between 1 and N=3, got 4' },
  },
  {
    rule: 'GEO-QUORUM-002', what: 'strong consistency with W + R = N',
    cfn: (s) => { setTagCfn(s, 'meridian:quorum', 'n=4 w=3 r=1'); setTagCfn(s, 'meridian:consistency', 'strong'); },
    tf: (j) => { setTagTf(j, 'meridian:quorum', 'n=4 w=3 r=1'); setTagTf(j, 'meridian:consistency', 'strong'); },
    finding: { resource: 'data.quorum', message: 'strong consistency needs W + R > N, but W=3 + R=1 = 4 is not greater than N=4; a read quorum can miss the latest write' },
  },
  {
    rule: 'GEO-QUORUM-003', what: 'strong consistency, three writing regions, W not a majority',
    cfn: (s) => { setTagCfn(s, 'meridian:quorum', 'n=3 w=1 r=3'); setTagCfn(s, 'meridian:consistency', 'strong'); },
    tf: (j) => { setTagTf(j, 'meridian:quorum', 'n=3 w=1 r=3'); setTagTf(j, 'meridian:consistency', 'strong'); },
    finding: { resource: 'data.quorum.writeQuorum', message: '3 writing regions with strong consistency need W > N/2 so concurrent writes intersect, but W=1 is not greater than 1.5; use W >= 2' },
  },
  {
    rule: 'GEO-QUORUM-004', what: 'a declared quorum (informational)',
    cfn: (s) => setTagCfn(s, 'meridian:quorum', 'n=3 w=2 r=2'), tf: (j) => setTagTf(j, 'meridian:quorum', 'n=3 w=2 r=2'),
    finding: { resource: 'data.quorum.writeQuorum', message: 'writes tolerate 1 of 3 replicas failing (N − W = 3 − 2)' },
  },
  {
    rule: 'GEO-QUORUM-005', what: 'W = N',
    cfn: (s) => setTagCfn(s, 'meridian:quorum', 'n=3 w=3 r=1'), tf: (j) => setTagTf(j, 'meridian:quorum', 'n=3 w=3 r=1'),
    finding: { resource: 'data.quorum.writeQuorum', message: 'W=3 equals N=3: every write waits for every replica and fails if one is down' },
  },
  {
    rule: 'GEO-RESIDENCY-001', what: 'meridian:residency narrowed to EU',
    cfn: (s) => setTagCfn(s, 'meridian:residency', 'EU'), tf: (j) => setTagTf(j, 'meridian:residency', 'EU'),
    finding: { resource: 'ledger-us-west-2', region: 'us-west-2', message: 'secondary ledger-us-west-2 is in us-west-2, hosted in US, outside the data residency EU' },
  },
  {
    rule: 'GEO-RESIDENCY-002', what: 'meridian:mode says partitioned, but nothing carries a jurisdiction',
    cfn: (s) => setTagCfn(s, 'meridian:mode', 'partitioned'), tf: (j) => setTagTf(j, 'meridian:mode', 'partitioned'),
    finding: { resource: 'ledger-global', message: 'ledger-global belongs to no jurisdiction; partitioned mode keeps each database in one jurisdiction' },
  },
  {
    rule: 'GEO-RESIDENCY-003', what: 'meridian:residency none on financial data',
    cfn: (s) => setTagCfn(s, 'meridian:residency', 'none'), tf: (j) => setTagTf(j, 'meridian:residency', 'none'),
    finding: { resource: 'data.residency', message: 'financial data has no data.residency; declare where it may live so replicas, backups and keys can be checked' },
  },
  {
    rule: 'GEO-DNS-001', what: 'TTL 300 on the PRIMARY record (escape hatch)',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::RecordSet', PRIMARY_RECORD_CFN)) r.Properties.TTL = '300'; },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('PRIMARY'))) r.ttl = 300; },
    finding: { resource: 'ledger-us-east-1-primary', region: 'us-east-1', message: 'failover record api.ledger.example.com has TTL 300 s, more than 60 s; clients keep using a failed region that long' },
  },
  {
    rule: 'GEO-DNS-002', what: 'PRIMARY record without its health check',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::RecordSet', PRIMARY_RECORD_CFN)) delete r.Properties.HealthCheckId; },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('PRIMARY'))) delete r.health_check_id; },
    // Without its health check nothing in the output says which region the CNAME answers for.
    finding: { resource: 'ledger-us-east-1-primary', message: 'failover PRIMARY record api.ledger.example.com has no health check; Route 53 will never fail over to the SECONDARY' },
  },
  {
    rule: 'GEO-DNS-003', what: 'the SECONDARY record turned into a geolocation record for US only',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::RecordSet', SECONDARY_RECORD_CFN)) { delete r.Properties.Failover; r.Properties.GeoLocation = { CountryCode: 'US' }; } },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('SECONDARY'))) { delete r.failover_routing_policy; r.geolocation_routing_policy = { country: 'US' }; } },
    finding: { resource: 'api.ledger.example.com', message: 'geolocation records for api.ledger.example.com have no default (CountryCode "*"); users outside the listed locations get no answer' },
  },
  {
    rule: 'GEO-DNS-004', what: 'the SECONDARY record marked PRIMARY',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::RecordSet', SECONDARY_RECORD_CFN)) r.Properties.Failover = 'PRIMARY'; },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('SECONDARY'))) r.failover_routing_policy.type = 'PRIMARY'; },
    finding: { resource: 'api.ledger.example.com', message: 'api.ledger.example.com has 2 failover PRIMARY records; exactly one is needed' },
  },
  {
    rule: 'GEO-DNS-005', what: 'the SECONDARY record made weighted, without a health check',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::RecordSet', SECONDARY_RECORD_CFN)) { delete r.Properties.Failover; delete r.Properties.HealthCheckId; r.Properties.Weight = 1; r.Properties.Region = undefined; } },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('SECONDARY'))) { delete r.failover_routing_policy; delete r.health_check_id; r.weighted_routing_policy = { weight: 1 }; } },
    finding: { resource: 'ledger-us-west-2-secondary', message: 'weighted record ledger-us-west-2-secondary has no health check; users keep being sent to its region when it is down' },
  },
  {
    rule: 'GEO-HEALTH-001', what: 'request interval 20 s',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::HealthCheck', tagged('Name', 'ledger-us-east-1-health'))) r.Properties.HealthCheckConfig.RequestInterval = 20; },
    tf: (j) => { for (const r of tf(j, 'aws_route53_health_check', tagged('Name', 'ledger-us-east-1-health'))) r.request_interval = 20; },
    finding: { resource: 'ledger-us-east-1-health', region: 'us-east-1', message: 'health check ledger-us-east-1-health has interval 20 s; Route 53 allows 10 or 30' },
  },
  {
    rule: 'GEO-HEALTH-002', what: 'failure threshold 11',
    cfn: (s) => { for (const r of cfn(s, 'AWS::Route53::HealthCheck', tagged('Name', 'ledger-us-east-1-health'))) r.Properties.HealthCheckConfig.FailureThreshold = 11; },
    tf: (j) => { for (const r of tf(j, 'aws_route53_health_check', tagged('Name', 'ledger-us-east-1-health'))) r.failure_threshold = 11; },
    finding: { resource: 'ledger-us-east-1-health', region: 'us-east-1', message: 'health check ledger-us-east-1-health has failure threshold 11; Route 53 allows 1 to 10' },
  },
  {
    rule: 'GEO-NETWORK-001', what: 'eu-west-1 VPC CIDR inside us-east-1\'s',
    cfn: (s) => { for (const r of cfn(s, 'AWS::EC2::VPC', (_r, st) => st.region === 'eu-west-1')) r.Properties.CidrBlock = '10.20.128.0/17'; },
    tf: (j) => { for (const r of tf(j, 'aws_vpc', (r) => r.region === 'eu-west-1')) r.cidr_block = '10.20.128.0/17'; },
    finding: { resource: 'ledger-eu-west-1', region: 'eu-west-1', message: 'ledger-us-east-1 (us-east-1) 10.20.0.0/16 contains ledger-eu-west-1 (eu-west-1) 10.20.128.0/17' },
  },
  {
    rule: 'GEO-NETWORK-002', what: 'no routes in eu-west-1 (accepter side)',
    cfn: (s) => { for (const st of s.filter((x) => x.region === 'eu-west-1')) for (const [id, r] of Object.entries(st.template.Resources as Json)) if ((r as Json).Type === 'AWS::EC2::Route') delete st.template.Resources[id]; },
    tf: (j) => { for (const [id, r] of Object.entries(j.resource.aws_route as Json)) if ((r as Json).region === 'eu-west-1') delete j.resource.aws_route[id]; },
    finding: { resource: 'ledger-use1-euw1', region: 'eu-west-1', message: 'peering ledger-use1-euw1 has no route in eu-west-1 to us-east-1; traffic cannot cross it' },
  },
  {
    rule: 'GEO-KMS-001', what: 'eu-west-1 key replaced by a us-west-2 key ARN',
    cfn: (s) => {
      for (const st of s.filter((x) => x.region === 'eu-west-1')) {
        for (const [id, r] of Object.entries(st.template.Resources as Json)) if (['AWS::KMS::Key', 'AWS::KMS::Alias'].includes((r as Json).Type)) delete st.template.Resources[id];
      }
      for (const r of cfn(s, 'AWS::RDS::DBCluster', (_r, st) => st.region === 'eu-west-1')) r.Properties.KmsKeyId = 'arn:aws:kms:us-west-2:111111111111:alias/meridian/ledger';
    },
    tf: (j) => {
      for (const t of ['aws_kms_key', 'aws_kms_alias']) for (const [id, r] of Object.entries(j.resource[t] as Json)) if ((r as Json).region === 'eu-west-1') delete j.resource[t][id];
      for (const r of tf(j, 'aws_rds_cluster', (r) => r.region === 'eu-west-1')) r.kms_key_id = 'arn:aws:kms:us-west-2:111111111111:alias/meridian/ledger';
    },
    finding: { resource: 'eu-west-1', region: 'eu-west-1', message: 'eu-west-1 holds data but has no KMS key of its own' },
  },
  {
    rule: 'GEO-KMS-002', what: 'key rotation off in us-west-2',
    cfn: (s) => { for (const r of cfn(s, 'AWS::KMS::Key', (_r, st) => st.region === 'us-west-2')) r.Properties.EnableKeyRotation = false; },
    tf: (j) => { for (const r of tf(j, 'aws_kms_key', (r) => r.region === 'us-west-2')) r.enable_key_rotation = false; },
    finding: { resource: 'alias/meridian/ledger@us-west-2', region: 'us-west-2', message: 'KMS key alias/meridian/ledger@us-west-2 does not rotate' },
  },
  {
    rule: 'GEO-KMS-003', what: 'storage encryption off on the us-west-2 cluster',
    cfn: (s) => { for (const r of cfn(s, 'AWS::RDS::DBCluster', (_r, st) => st.region === 'us-west-2')) { r.Properties.StorageEncrypted = false; delete r.Properties.KmsKeyId; } },
    tf: (j) => { for (const r of tf(j, 'aws_rds_cluster', (r) => r.region === 'us-west-2')) { r.storage_encrypted = false; delete r.kms_key_id; } },
    finding: { resource: 'ledger-us-west-2', region: 'us-west-2', message: 'ledger-us-west-2 stores data unencrypted' },
  },
  {
    rule: 'GEO-DATA-001', what: 'deletion protection off on the eu-west-1 cluster',
    cfn: (s) => { for (const r of cfn(s, 'AWS::RDS::DBCluster', (_r, st) => st.region === 'eu-west-1')) r.Properties.DeletionProtection = false; },
    tf: (j) => { for (const r of tf(j, 'aws_rds_cluster', (r) => r.region === 'eu-west-1')) r.deletion_protection = false; },
    finding: { resource: 'ledger-eu-west-1', region: 'eu-west-1', message: 'ledger-eu-west-1 has no deletion protection' },
  },
  {
    rule: 'GEO-ALARM-001', what: 'the eu-west-1 lag alarms removed',
    cfn: (s) => { for (const st of s) for (const [id, r] of Object.entries(st.template.Resources as Json)) if ((r as Json).Type === 'AWS::CloudWatch::Alarm' && /^ledger-euw1-(replication|rpo)-lag/.test((r as Json).Properties.AlarmName)) delete st.template.Resources[id]; },
    tf: (j) => { for (const [id, r] of Object.entries(j.resource.aws_cloudwatch_metric_alarm as Json)) if (/^ledger-euw1-(replication|rpo)-lag/.test((r as Json).alarm_name)) delete j.resource.aws_cloudwatch_metric_alarm[id]; },
    finding: { resource: 'ledger-eu-west-1', region: 'eu-west-1', message: 'secondary ledger-eu-west-1 in eu-west-1 has no replication-lag alarm' },
  },
  {
    rule: 'GEO-ALARM-002', what: 'warning threshold above the critical one',
    cfn: (s) => { for (const r of cfn(s, 'AWS::CloudWatch::Alarm', (x) => x.Properties.AlarmName === 'ledger-usw2-replication-lag-warning')) r.Properties.Threshold = 600000; },
    tf: (j) => { for (const r of tf(j, 'aws_cloudwatch_metric_alarm', (x) => x.alarm_name === 'ledger-usw2-replication-lag-warning')) r.threshold = 600000; },
    finding: { resource: 'ledger-usw2-replication-lag-warning', region: 'us-west-2', message: 'warning alarm ledger-usw2-replication-lag-warning fires at 600 s, after critical alarm ledger-usw2-replication-lag-critical at 300 s' },
  },
  {
    rule: 'GEO-RESILIENCE-001', what: 'meridian:rto-seconds 30',
    cfn: (s) => setTagCfn(s, 'meridian:rto-seconds', '30'), tf: (j) => setTagTf(j, 'meridian:rto-seconds', '30'),
    // The estimate itself is the estimator's (test/policy); here: the lowered objective read from the tag is what fails.
    finding: { resource: 'ledger-global', region: 'us-east-1', message: expect.stringMatching(/^loss of us-east-1: worst-case RTO \d+ s exceeds objective 30 s \(recovery in us-west-2\)/) },
  },
  {
    rule: 'GEO-RESILIENCE-002', what: 'meridian:rpo-seconds 0',
    cfn: (s) => setTagCfn(s, 'meridian:rpo-seconds', '0'), tf: (j) => setTagTf(j, 'meridian:rpo-seconds', '0'),
    finding: { resource: 'ledger-global', region: 'us-east-1', message: expect.stringMatching(/^loss of us-east-1: worst-case RPO \d+ s exceeds objective 0 s/) },
  },
  {
    rule: 'GEO-CAPACITY-001', what: 'us-west-2 capacity tag lowered to 700 rps',
    cfn: (s) => setTagCfn(s, 'meridian:capacity-rps', '700', tagged('meridian:region', 'us-west-2')),
    tf: (j) => setTagTf(j, 'meridian:capacity-rps', '700', tagged('meridian:region', 'us-west-2')),
    finding: { resource: 'us-east-1', region: 'us-east-1', message: 'if us-east-1 fails, its 1200 rps go to us-west-2 (capacity 700 rps, own peak 600 rps, 100 rps spare): short by 1100 rps' },
  },
  {
    rule: 'GEO-FIS-001', what: 'stop condition source none',
    cfn: (s) => { for (const r of cfn(s, 'AWS::FIS::ExperimentTemplate', (x) => x.Properties.Tags.Name === 'ledger-use1-database-failover')) r.Properties.StopConditions = [{ Source: 'none' }]; },
    tf: (j) => { for (const r of tf(j, 'aws_fis_experiment_template', (x) => x.tags.Name === 'ledger-use1-database-failover')) r.stop_condition = [{ source: 'none' }]; },
    finding: { resource: 'ledger-use1-database-failover', region: 'us-east-1', message: 'experiment ledger-use1-database-failover has no CloudWatch alarm stop condition; nothing stops it if production degrades' },
  },
  {
    rule: 'GEO-FIS-002', what: 'stop condition on an alarm of another region (literal ARN)',
    cfn: (s) => { for (const r of cfn(s, 'AWS::FIS::ExperimentTemplate', (x) => x.Properties.Tags.Name === 'ledger-use1-database-failover')) r.Properties.StopConditions = [{ Source: 'aws:cloudwatch:alarm', Value: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:ledger-usw2-replication-lag-critical' }]; },
    tf: (j) => { for (const r of tf(j, 'aws_fis_experiment_template', (x) => x.tags.Name === 'ledger-use1-database-failover')) r.stop_condition = [{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:ledger-usw2-replication-lag-critical' }]; },
    finding: { resource: 'ledger-use1-database-failover', region: 'us-east-1', message: 'experiment ledger-use1-database-failover in us-east-1 stops on alarm ledger-usw2-replication-lag-critical in us-west-2; FIS only sees alarms in its own region' },
  },
  {
    rule: 'GEO-FAILURE-001', what: 'residency narrowed to US and the SECONDARY record answering for eu-west-1',
    cfn: (s) => {
      setTagCfn(s, 'meridian:residency', 'US');
      const euHealth = Object.entries(s.find((x) => x.region === 'us-east-1' && Object.values(x.template.Resources as Json).some((r: Json) => r.Type === 'AWS::Route53::HealthCheck'))?.template.Resources as Json)
        .find(([, r]) => tagged('Name', 'ledger-eu-west-1-health')(r as Json))?.[0];
      for (const r of cfn(s, 'AWS::Route53::RecordSet', SECONDARY_RECORD_CFN)) r.Properties.HealthCheckId = { 'Fn::GetAtt': [euHealth, 'HealthCheckId'] };
    },
    tf: (j) => {
      setTagTf(j, 'meridian:residency', 'US');
      const euHealth = Object.entries(j.resource.aws_route53_health_check as Json).find(([, r]) => tagged('Name', 'ledger-eu-west-1-health')(r as Json))?.[0];
      for (const r of tf(j, 'aws_route53_record', isFailover('SECONDARY'))) r.health_check_id = `\${aws_route53_health_check.${euHealth}.id}`;
    },
    // Failover sends everyone to the SECONDARY, which now answers for eu-west-1: outside a US-only residency.
    finding: { resource: 'api.ledger.example.com', region: 'eu-west-1', message: 'all users -> eu-west-1 when us-east-1 is down: eu-west-1 is outside the residency US, so financial data would be served from the wrong place' },
  },
  {
    rule: 'GEO-FAILURE-002', what: 'the SECONDARY record tied to the us-east-1 health check (it answers for us-east-1 too)',
    cfn: (s) => {
      for (const r of cfn(s, 'AWS::Route53::RecordSet', SECONDARY_RECORD_CFN)) {
        r.Properties.HealthCheckId = cfn(s, 'AWS::Route53::RecordSet', PRIMARY_RECORD_CFN)[0]?.Properties.HealthCheckId;
      }
    },
    tf: (j) => { for (const r of tf(j, 'aws_route53_record', isFailover('SECONDARY'))) r.health_check_id = tf(j, 'aws_route53_record', isFailover('PRIMARY'))[0]?.health_check_id; },
    // Both records now go unhealthy together, so Route 53 keeps answering with the failed region.
    finding: { resource: 'api.ledger.example.com', region: 'us-east-1', message: 'all users -> us-east-1 when us-east-1 is down, although eu-west-1 or us-west-2 could serve them' },
  },
  {
    rule: 'GEO-FAILURE-003', what: 'partitioned by US and EU, eu-west-1 alone in the EU',
    cfn: (s) => { setTagCfn(s, 'meridian:mode', 'partitioned'); for (const [r, j] of Object.entries(JURISDICTIONS)) addTagCfn(s, r, 'meridian:jurisdiction', j); },
    tf: (j) => { setTagTf(j, 'meridian:mode', 'partitioned'); for (const [r, x] of Object.entries(JURISDICTIONS)) addTagTf(j, r, 'meridian:jurisdiction', x); },
    finding: { resource: 'EU', region: 'eu-west-1', message: 'jurisdiction EU is served by eu-west-1 alone: when it is down, EU users have no region to fail over to inside EU' },
  },
  {
    rule: 'GEO-META-001', what: 'an expired suppression in template / configuration metadata',
    cfn: (s) => { (s[0] as Stack).template.Metadata = { meridian: { suppressions: [{ rule: 'GEO-DNS-001', reason: 'TTL raised during the migration', expires: '2026-01-31' }] } }; },
    tf: (j) => { j['//'].meridian = { suppressions: [{ rule: 'GEO-DNS-001', reason: 'TTL raised during the migration', expires: '2026-01-31' }] }; },
    finding: { resource: 'suppression:GEO-DNS-001', message: 'suppression of GEO-DNS-001 expired on 2026-01-31; its findings are reported again' },
  },
  {
    rule: 'GEO-META-002', what: 'a suppression without a reason',
    cfn: (s) => { (s[0] as Stack).template.Metadata = { meridian: { suppressions: [{ rule: 'GEO-DNS-001' }] } }; },
    tf: (j) => { j['//'].meridian = { suppressions: [{ rule: 'GEO-DNS-001' }] }; },
    finding: { resource: 'suppression:GEO-DNS-001', message: 'suppression of GEO-DNS-001 has no reason; it is ignored' },
  },
  {
    rule: 'GEO-META-003', what: 'a suppression of a rule that does not exist',
    cfn: (s) => { (s[0] as Stack).template.Metadata = { meridian: { suppressions: [{ rule: 'GEO-DNS-999', reason: 'typo in the rule id' }] } }; },
    tf: (j) => { j['//'].meridian = { suppressions: [{ rule: 'GEO-DNS-999', reason: 'typo in the rule id' }] }; },
    finding: { resource: 'suppression:GEO-DNS-999', message: 'suppression names rule GEO-DNS-999, which does not exist; it suppresses nothing' },
  },
];

const findingsOf = (facts: Facts, rule: string): Pick<Finding, 'resource' | 'message' | 'region' | 'unknown'>[] =>
  evaluate(facts, { now: NOW }).findings.filter((f) => f.ruleId === rule).map((f) => ({ resource: f.resource, message: f.message, region: f.region, unknown: f.unknown }));

test('every rule of the registry has a mutation case', () => {
  expect(CASES.map((c) => c.rule).sort()).toEqual(RULES.map((r) => r.id).sort());
});

describe.each([
  ['cloud assembly', () => cfnFacts(copy(cdkStacks)), (m: Case) => { const s = copy(cdkStacks); m.cfn(s); return cfnFacts(s); }],
  ['Terraform JSON', () => tfFacts(copy(tfJson)), (m: Case) => { const j = copy(tfJson); m.tf(j); return tfFacts(j); }],
] as const)('from the %s', (_source, baseline, mutated) => {
  const base = baseline();

  test.each(CASES.map((c) => [c.rule, c.what, c] as const))('%s fires on %s', (rule, _what, c) => {
    // The unmutated example does not have this finding ...
    expect(findingsOf(base, rule)).not.toContainEqual({ ...c.finding, region: c.finding.region, unknown: false });
    // ... one mutation produces exactly it.
    const got = findingsOf(mutated(c), rule);
    expect(got).toContainEqual({ ...c.finding, region: c.finding.region, unknown: false });
  });
});
