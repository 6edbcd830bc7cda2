/**
 * Reads CloudFormation templates (the AWS CDK renderer's output) into the same per-family facts that
 * `extractFamilies` reads from Terraform JSON, so the parity test compares like with like.
 * References (Ref, Fn::GetAtt, Fn::GetStackOutput, Fn::Join around a Ref) resolve to the resource
 * they point at, in whichever stack it lives.
 */
import { meridianTags } from '../../lib/cdktf';
import type {
  AlarmFact, ClusterFact, DbIngressFact, ExperimentFact, GlobalClusterFact, HealthCheckFact, KeyFact, PeeringFact, RecordFact, RoleFact, RouteFact,
  TableFact, TerraformFamilies, TopicFact,
} from '../../lib/cdktf';

type Json = Record<string, unknown>;
export interface CfnStack { readonly region: string; readonly template: { Resources?: Record<string, Json>; Outputs?: Record<string, Json> } }
export type CfnAssembly = Readonly<Record<string, CfnStack>>;

interface Located { readonly stack: string; readonly id: string; readonly type: string; readonly props: Json }

const list = <T = Json>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v === undefined || v === null ? [] : [v as T]);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const tagsOf = (p: Json, key = 'Tags'): Record<string, string> => {
  const t = p[key];
  if (Array.isArray(t)) return Object.fromEntries((t as { Key: string; Value: string }[]).map((x) => [x.Key, x.Value]));
  return (t as Record<string, string>) ?? {};
};

/** The region inside a KMS ARN written literally or built with Fn::Join (`arn:…:kms:<region>:…`). */
function kmsRegionInArn(v: unknown): string | undefined {
  const flat = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (x && typeof x === 'object' && Array.isArray((x as Json)['Fn::Join'])) {
      const [sep, parts] = (x as Json)['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
    return '?';
  };
  return /:kms:([a-z0-9-]+):/.exec(flat(v))?.[1];
}

export function extractCfnFamilies(asm: CfnAssembly): TerraformFamilies {
  const all: Located[] = [];
  for (const [stack, s] of Object.entries(asm)) {
    for (const [id, r] of Object.entries(s.template.Resources ?? {})) all.push({ stack, id, type: String(r.Type), props: (r.Properties as Json) ?? {} });
  }
  const byType = (type: string): Located[] => all.filter((r) => r.type === type).sort((a, b) => `${a.stack}/${a.id}`.localeCompare(`${b.stack}/${b.id}`));
  const regionOf = (r: Located): string => asm[r.stack].region;

  /** The resource a value points at, or undefined for literals. */
  const resolve = (v: unknown, stack: string): Located | undefined => {
    if (!v || typeof v !== 'object') return undefined;
    const o = v as Json;
    if (typeof o.Ref === 'string') return all.find((r) => r.stack === stack && r.id === o.Ref);
    if (Array.isArray(o['Fn::GetAtt'])) return all.find((r) => r.stack === stack && r.id === (o['Fn::GetAtt'] as string[])[0]);
    if (o['Fn::GetStackOutput']) {
      const g = o['Fn::GetStackOutput'] as { StackName: string; OutputName: string };
      const out = asm[g.StackName]?.template.Outputs?.[g.OutputName];
      return out ? resolve(out.Value, g.StackName) : undefined;
    }
    if (Array.isArray(o['Fn::Join'])) {
      for (const part of (o['Fn::Join'] as [string, unknown[]])[1]) {
        const found = resolve(part, stack);
        if (found) return found;
      }
    }
    return undefined;
  };
  const aliasOf = (key: Located): string | undefined =>
    byType('AWS::KMS::Alias').find((a) => a.stack === key.stack && resolve(a.props.TargetKeyId, a.stack)?.id === key.id)?.props.AliasName as string | undefined;
  const keyInfo = (v: unknown, stack: string): { region?: string; alias?: string } => {
    const k = resolve(v, stack);
    if (!k || k.type !== 'AWS::KMS::Key') return {};
    return { region: regionOf(k), alias: aliasOf(k) };
  };
  const nameTag = (r: Located | undefined, key = 'Tags'): string | undefined => (r ? tagsOf(r.props, key).Name : undefined);

  const instances = new Map<string, number>();
  for (const i of byType('AWS::RDS::DBInstance')) {
    const c = resolve(i.props.DBClusterIdentifier, i.stack);
    const id = c ? str(c.props.DBClusterIdentifier) : str(i.props.DBClusterIdentifier);
    if (id) instances.set(id, (instances.get(id) ?? 0) + 1);
  }

  const keys: KeyFact[] = byType('AWS::KMS::Key').map((k) => ({
    ref: `${k.stack}/${k.id}`, region: regionOf(k), tags: meridianTags(tagsOf(k.props)), alias: aliasOf(k), rotation: k.props.EnableKeyRotation === true,
    multiRegion: k.props.MultiRegion === true, deletionWindowInDays: num(k.props.PendingWindowInDays),
  }));
  const globalClusters: GlobalClusterFact[] = byType('AWS::RDS::GlobalCluster').map((g) => ({
    identifier: String(g.props.GlobalClusterIdentifier), region: regionOf(g), tags: meridianTags(tagsOf(g.props)), engine: String(g.props.Engine), engineVersion: String(g.props.EngineVersion),
    storageEncrypted: g.props.StorageEncrypted === true, deletionProtection: g.props.DeletionProtection === true,
  }));
  const clusters: ClusterFact[] = byType('AWS::RDS::DBCluster').map((c) => {
    const p = c.props;
    const k = keyInfo(p.KmsKeyId, c.stack);
    const gc = resolve(p.GlobalClusterIdentifier, c.stack);
    const id = String(p.DBClusterIdentifier);
    return {
      identifier: id, region: regionOf(c), tags: meridianTags(tagsOf(p)),
      globalCluster: gc ? str(gc.props.GlobalClusterIdentifier) : str(p.GlobalClusterIdentifier),
      hasMasterCredentials: p.MasterUsername !== undefined || p.MasterUserPassword !== undefined,
      managedMasterPassword: p.ManageMasterUserPassword === true,
      masterSecretKeyRegion: keyInfo((p.MasterUserSecret as Json | undefined)?.KmsKeyId, c.stack).region,
      storageEncrypted: p.StorageEncrypted === true, kmsKeyRegion: k.region, kmsKeyAlias: k.alias,
      deletionProtection: p.DeletionProtection === true, writeForwarding: p.EnableGlobalWriteForwarding === true,
      backupRetentionDays: num(p.BackupRetentionPeriod), iamAuth: p.EnableIAMDatabaseAuthentication === true,
      logExports: list<string>(p.EnableCloudwatchLogsExports), instances: instances.get(id) ?? 0, ignoreChanges: [],
    };
  });
  const tables: TableFact[] = [
    ...byType('AWS::DynamoDB::GlobalTable').map((t) => {
      const reps = list(t.props.Replicas);
      const home = reps.find((r) => r.Region === regionOf(t)) ?? reps[0];
      const sseKey = (r: Json | undefined) => (r?.SSESpecification as Json | undefined)?.KMSMasterKeyId;
      return {
        name: String(t.props.TableName), region: regionOf(t), tags: meridianTags(tagsOf(home ?? {})), kmsKeyRegion: keyInfo(sseKey(home), t.stack).region ?? str(home?.Region),
        pitr: ((home?.PointInTimeRecoverySpecification as Json | undefined)?.PointInTimeRecoveryEnabled) === true,
        deletionProtection: home?.DeletionProtectionEnabled === true,
        replicas: reps.filter((r) => r !== home).map((r) => ({
          region: String(r.Region),
          // A replica's key lives in another stack's region: CloudFormation names it by an ARN it builds.
          kmsKeyRegion: keyInfo(sseKey(r), t.stack).region ?? kmsRegionInArn(sseKey(r)),
          pitr: ((r.PointInTimeRecoverySpecification as Json | undefined)?.PointInTimeRecoveryEnabled) === true,
          deletionProtection: r.DeletionProtectionEnabled === true,
        })),
      };
    }),
  ];
  const healthChecks: HealthCheckFact[] = byType('AWS::Route53::HealthCheck').map((h) => {
    const c = (h.props.HealthCheckConfig as Json) ?? {};
    return {
      name: nameTag(h, 'HealthCheckTags') ?? h.id, tags: meridianTags(tagsOf(h.props, 'HealthCheckTags')), type: String(c.Type), fqdn: String(c.FullyQualifiedDomainName), port: num(c.Port),
      path: str(c.ResourcePath), intervalSeconds: num(c.RequestInterval) ?? 30, failureThreshold: num(c.FailureThreshold) ?? 3,
    };
  });
  const recordOf = (p: Json, stack: string): RecordFact => {
    const geo = p.GeoLocation as Json | undefined;
    const prox = p.GeoProximityLocation as Json | undefined;
    return {
      name: String(p.Name).replace(/\.$/, ''), type: String(p.Type), ttl: num(p.TTL), setIdentifier: str(p.SetIdentifier),
      healthCheck: nameTag(resolve(p.HealthCheckId, stack), 'HealthCheckTags'),
      failover: str(p.Failover), latencyRegion: str(p.Region),
      geolocation: geo ? Object.fromEntries(Object.entries({ continent: geo.ContinentCode, country: geo.CountryCode, subdivision: geo.SubdivisionCode }).filter(([, v]) => v !== undefined)) : undefined,
      geoproximity: prox ? { aws_region: prox.AWSRegion, bias: num(prox.Bias) } : undefined,
      weight: num(p.Weight), values: list<string>(p.ResourceRecords),
      alias: ((a) => (a ? { name: String(a.DNSName).replace(/\.$/, ''), evaluateTargetHealth: a.EvaluateTargetHealth === true } : undefined))(p.AliasTarget as Json | undefined),
    };
  };
  const records: RecordFact[] = [
    ...byType('AWS::Route53::RecordSet').map((r) => recordOf(r.props, r.stack)),
    ...byType('AWS::Route53::RecordSetGroup').flatMap((g) => list(g.props.RecordSets).map((p) => recordOf(p, g.stack))),
  ];
  const peerings: PeeringFact[] = byType('AWS::EC2::VPCPeeringConnection').map((p) => ({
    name: nameTag(p) ?? p.id, tags: meridianTags(tagsOf(p.props)), requesterRegion: regionOf(p), accepterRegion: str(p.props.PeerRegion) ?? regionOf(p),
    requesterAutoAccept: false, acceptedBy: undefined,
  }));
  const routes: RouteFact[] = byType('AWS::EC2::Route').filter((r) => r.props.VpcPeeringConnectionId !== undefined).map((r) => ({
    region: regionOf(r), destination: String(r.props.DestinationCidrBlock), peering: nameTag(resolve(r.props.VpcPeeringConnectionId, r.stack)),
  }));
  const dbIngress: DbIngressFact[] = [
    ...byType('AWS::EC2::SecurityGroupIngress').map((x) => ({ region: regionOf(x), p: x.props })),
    ...byType('AWS::EC2::SecurityGroup').flatMap((g) => list(g.props.SecurityGroupIngress).map((p) => ({ region: regionOf(g), p }))),
  ].filter(({ p }) => p.CidrIp !== undefined).map(({ region, p }) => ({
    region, cidr: String(p.CidrIp), protocol: String(p.IpProtocol), fromPort: num(p.FromPort), toPort: num(p.ToPort),
  }));
  const alarms: AlarmFact[] = byType('AWS::CloudWatch::Alarm').map((a) => {
    const p = a.props;
    const dims: Record<string, string> = {};
    for (const d of list<{ Name: string; Value: unknown }>(p.Dimensions)) {
      const t = resolve(d.Value, a.stack);
      dims[d.Name] = t ? `{{${nameTag(t, 'HealthCheckTags') ?? nameTag(t) ?? 'ref'}}}` : String(d.Value);
    }
    return {
      name: String(p.AlarmName), region: regionOf(a), tags: meridianTags(tagsOf(p)), namespace: String(p.Namespace), metricName: String(p.MetricName), dimensions: dims,
      statistic: String(p.Statistic), threshold: Number(p.Threshold), comparison: String(p.ComparisonOperator),
      periodSeconds: Number(p.Period), evaluationPeriods: Number(p.EvaluationPeriods), treatMissingData: str(p.TreatMissingData),
      topics: list(p.AlarmActions).map((v) => str(resolve(v, a.stack)?.props.TopicName) ?? JSON.stringify(v)),
    };
  });
  const topics: TopicFact[] = byType('AWS::SNS::Topic').map((t) => {
    const k = keyInfo(t.props.KmsMasterKeyId, t.stack);
    return { name: String(t.props.TopicName), region: regionOf(t), tags: meridianTags(tagsOf(t.props)), kmsKeyRegion: k.region, kmsKeyAlias: k.alias };
  });
  const experimentTemplates: ExperimentFact[] = byType('AWS::FIS::ExperimentTemplate').map((e) => {
    const p = e.props;
    const logs = ((p.LogConfiguration as Json | undefined)?.CloudWatchLogsConfiguration as Json | undefined)?.LogGroupArn;
    const logGroup = resolve(logs, e.stack);
    return {
      name: nameTag(e) ?? e.id, region: regionOf(e), tags: meridianTags(tagsOf(p)), role: str(resolve(p.RoleArn, e.stack)?.props.RoleName),
      logGroup: str(logGroup?.props.LogGroupName), logKeyRegion: logGroup ? keyInfo(logGroup.props.KmsKeyId, e.stack).region : undefined,
      actions: Object.entries((p.Actions as Record<string, Json>) ?? {}).map(([name, a]) => ({
        name, actionId: String(a.ActionId), target: Object.values((a.Targets as Record<string, string>) ?? {})[0],
        parameters: Object.fromEntries(Object.entries((a.Parameters as Record<string, string>) ?? {}).sort(([x], [y]) => x.localeCompare(y))),
      })),
      targets: Object.entries((p.Targets as Record<string, Json>) ?? {}).map(([name, t]) => ({
        name, resourceType: String(t.ResourceType), selectionMode: String(t.SelectionMode),
        resourceTags: t.ResourceTags ? Object.fromEntries(Object.entries(t.ResourceTags as Record<string, string>).sort(([x], [y]) => x.localeCompare(y))) : undefined,
        resources: t.ResourceArns ? list(t.ResourceArns).map((v) => {
          const r = resolve(v, e.stack);
          return str(r?.props.DBClusterIdentifier) ?? str(r?.props.TableName) ?? JSON.stringify(v);
        }) : undefined,
      })),
      stopConditions: list(p.StopConditions).map((s) => ({ source: String(s.Source), alarm: str(resolve(s.Value, e.stack)?.props.AlarmName) })),
    };
  });
  const roles: RoleFact[] = byType('AWS::IAM::Role').map((r) => {
    const doc = r.props.AssumeRolePolicyDocument as { Statement: { Principal?: { Service?: unknown } }[] };
    return {
      name: str(r.props.RoleName) ?? `${r.stack}/${r.id}`, tags: meridianTags(tagsOf(r.props)),
      trustedServices: doc.Statement.flatMap((s) => list<string>(s.Principal?.Service)).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).sort(),
    };
  });
  return { keys, globalClusters, clusters, tables, healthChecks, records, peerings, routes, dbIngress, alarms, topics, experimentTemplates, roles };
}
