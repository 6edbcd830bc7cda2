/**
 * The artifact readers on their own: apps not built with Meridian (a hand-written aws-cdk-lib app and a
 * hand-written Terraform JSON), reference resolution, and bad input (clear one-line errors or unknowns,
 * never a crash), with a fuzz test over mutated templates.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  FactsInputError, factsFromTemplates, factsFromTerraform, readFactsFromPath, type Facts,
} from '../../lib/facts';
import { evaluate } from '../../lib/policy';
import { keyLines } from '../../lib/facts/resolve';
import { buildThirdPartyApp } from '../fixtures/facts/third-party-app';
import { referenceIndex } from './key-lines-reference';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'facts');
const NOW = new Date('2026-06-01T00:00:00Z');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-facts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const only = (set: { facts: readonly Facts[] }): Facts => {
  expect(set.facts).toHaveLength(1);
  return set.facts[0] as Facts;
};
const findings = (f: Facts, rule: string) => evaluate(f, { now: NOW }).findings.filter((x) => x.ruleId === rule).map((x) => ({ resource: x.resource, message: x.message, unknown: x.unknown }));

describe('a hand-written aws-cdk-lib app (no Meridian constructs), read from its cloud assembly', () => {
  const out = path.join(tmp, 'cdk.out');
  buildThirdPartyApp(out).synth();
  const { kind, sets } = readFactsFromPath(out);
  const f = only(sets);

  test('the stage\'s nested assembly is read too, each stack in its own region; the group is named after the folder', () => {
    expect(kind).toBe('cloud-assembly');
    expect(sets.files.map((x) => path.relative(out, x)).sort()).toEqual(['ShopUs.template.json', expect.stringMatching(/^assembly-Europe\/EuropeShopEu[0-9A-F]{8}\.template\.json$/)]);
    expect(f.topology).toBe('cdk.out');
    expect(f.regions.map((r) => r.name)).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('the global table: one replica per region, each with the key its ARN or reference names', () => {
    expect(f.databases.map((d) => [d.id, d.engine, d.members.map((m) => [m.id, m.region, m.role, m.keyRegion, m.deletionProtection])])).toEqual([
      ['shop-carts', 'dynamodb', [
        ['shop-carts@us-east-1', 'us-east-1', 'replica', 'us-east-1', true],
        ['shop-carts@eu-west-1', 'eu-west-1', 'replica', 'eu-west-1', true],
      ]],
    ]);
    // The EU replica names its key by alias ARN; the EU stack's alias gives the key the same id.
    expect(f.databases[0]?.members[1]?.keyId).toBe('alias/shop@eu-west-1');
    expect(f.keys.find((k) => k.id === 'alias/shop@eu-west-1')).toMatchObject({ region: 'eu-west-1', rotation: false });
  });

  test('latency records with health checks; classification, residency and mode from the meridian:* tags', () => {
    expect(f.dns.records.map((r) => [r.id, r.routing, r.region, r.ttlSeconds, typeof r.healthCheckId])).toEqual([
      ['shop-us-east-1', 'latency', 'us-east-1', 60, 'string'], ['shop-eu-west-1', 'latency', 'eu-west-1', 60, 'string'],
    ]);
    expect(f.data).toMatchObject({ engine: 'dynamodb', classification: 'pii', residency: ['EU'] });
    expect(f.mode).toBe('active-active');
  });

  test('the rules judge it: the US replica is outside the EU residency, the EU key does not rotate', () => {
    expect(findings(f, 'GEO-RESIDENCY-001')).toContainEqual({
      resource: 'shop-carts@us-east-1', message: 'replica shop-carts@us-east-1 is in us-east-1, hosted in US, outside the data residency EU', unknown: false,
    });
    expect(findings(f, 'GEO-KMS-002')).toEqual([{ resource: 'alias/shop@eu-west-1', message: 'KMS key alias/shop@eu-west-1 does not rotate', unknown: false }]);
    // What no tag declares stays unknown, and the rules that need it say so.
    expect(findings(f, 'GEO-RESILIENCE-001')).toEqual([{ resource: 'objectives.rtoSeconds', message: 'the RTO objective is unknown (unresolved); cannot check', unknown: true }]);
  });

  test('every fact from the artifact says where it came from (file, line of the logical id)', () => {
    const record = f.dns.records[0];
    expect(record?.source).toMatchObject({ file: path.join(out, 'ShopUs.template.json'), id: expect.stringMatching(/^RecordUs/) });
    const text = fs.readFileSync(path.join(out, 'ShopUs.template.json'), 'utf8').split('\n');
    expect(text[(record?.source?.line ?? 0) - 1]).toContain(`"${record?.source?.id}"`);
  });
});

describe('a hand-written Terraform JSON (no Meridian constructs)', () => {
  const file = path.join(FIXTURES, 'payments.tf.json');
  const { kind, sets } = readFactsFromPath(file);
  const f = only(sets);

  test('regions from the default provider and the aliased one; the group is named after the file', () => {
    expect(kind).toBe('terraform');
    expect(f.topology).toBe('payments.tf.json');
    expect(f.regions.map((r) => r.name)).toEqual(['us-east-1', 'us-west-2']);
    expect(f.keys.map((k) => [k.id, k.region, k.removal])).toEqual([['alias/payments@us-east-1', 'us-east-1', 'retain'], ['alias/payments@us-west-2', 'us-west-2', 'delete']]);
  });

  test('references followed: locals, resource attributes, the global cluster; a cycle of locals and a variable stay unknown', () => {
    expect(f.keys.map((k) => k.rotation)).toEqual([true, undefined]);
    expect(f.databases.map((d) => [d.id, d.members.map((m) => [m.id, m.role, m.keyId, m.deletionProtection, m.instances, m.removal])])).toEqual([
      ['payments-global', [
        ['payments-east', 'primary', 'alias/payments@us-east-1', true, 1, 'retain'],
        ['payments-west', 'secondary', 'alias/payments@us-west-2', false, 1, 'delete'],
      ]],
    ]);
    expect(f.dns.records.map((r) => [r.id, r.ttlSeconds, r.region, r.healthCheckId])).toEqual([['east', undefined, 'us-east-1', 'payments-east'], ['west', 300, 'us-west-2', 'payments-west']]);
  });

  test('the rules that were hard-wired to pass now fire: deletion protection, routes, rotation (unknown)', () => {
    expect(findings(f, 'GEO-DATA-001')).toEqual([{ resource: 'payments-west', message: 'payments-west has no deletion protection', unknown: false }]);
    expect(findings(f, 'GEO-NETWORK-002')).toEqual([{ resource: 'payments-east-west', message: 'peering payments-east-west has no route in us-west-2 to us-east-1; traffic cannot cross it', unknown: false }]);
    expect(findings(f, 'GEO-KMS-002')).toEqual([{ resource: 'alias/payments@us-west-2', message: 'key rotation is unknown (unresolved); cannot check', unknown: true }]);
    expect(findings(f, 'GEO-DNS-001')).toEqual([
      { resource: 'east', message: 'the TTL is unknown (unresolved); cannot check', unknown: true },
      { resource: 'west', message: 'failover record api.pay.example.com has TTL 300 s, more than 60 s; clients keep using a failed region that long', unknown: false },
    ]);
  });

  test('the line of each resource\'s address in the file', () => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const west = f.databases[0]?.members[1]?.source;
    expect(west).toMatchObject({ file, id: 'aws_rds_cluster.west' });
    expect(lines[(west?.line ?? 0) - 1]).toContain('"west": {');
    expect(lines.slice(0, (west?.line ?? 0) - 1).some((l) => l.includes('"aws_rds_cluster": {'))).toBe(true);
  });
});

describe('reference resolution in CloudFormation', () => {
  const base = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Resources: resources, ...extra });
  const read = (stacks: { name: string; region?: string; template: unknown }[]) =>
    only(factsFromTemplates(stacks.map((s) => ({ file: `${s.name}.json`, stackName: s.name, region: s.region, template: s.template }))));

  test('Ref, Fn::GetAtt, Fn::Join, Fn::Sub and Fn::Select resolve; parameters and Fn::If stay unknown', () => {
    const f = read([{ name: 'a', region: 'eu-west-1', template: base({
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { 'Fn::If': ['Prod', true, false] } } },
      Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: { 'Fn::Join': ['/', ['alias', 'data']] }, TargetKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      Db: { Type: 'AWS::RDS::DBCluster', Properties: {
        DBClusterIdentifier: { 'Fn::Sub': 'db-${AWS::Region}' }, Engine: { 'Fn::Select': [1, ['x', 'aurora-mysql']] }, StorageEncrypted: true,
        KmsKeyId: { Ref: 'Key' }, DeletionProtection: { Ref: 'Protect' },
      } },
    }, { Parameters: { Protect: { Type: 'String', Default: 'true' } } }) }]);
    expect(f.keys).toMatchObject([{ id: 'alias/data@eu-west-1', rotation: undefined }]);
    expect(f.databases[0]).toMatchObject({ id: 'db-eu-west-1', engine: 'aurora-mysql', members: [{ id: 'db-eu-west-1', keyId: 'alias/data@eu-west-1', deletionProtection: undefined }] });
  });

  test('Fn::GetStackOutput and Fn::ImportValue cross stacks; a cycle of outputs is unknown and ends', () => {
    const f = read([
      { name: 'net', region: 'us-east-1', template: base({ Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'net' }] } } }, {
        Outputs: {
          VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net-vpc' } },
          Loop: { Value: { 'Fn::GetStackOutput': { StackName: 'peer', Region: 'us-west-2', OutputName: 'Loop' } } },
        },
      }) },
      { name: 'peer', region: 'us-west-2', template: base({
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16', Tags: [{ Key: 'Name', Value: 'peer' }] } },
        Pcx: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'Vpc' }, PeerVpcId: { 'Fn::ImportValue': 'net-vpc' }, PeerRegion: 'us-east-1', Tags: [{ Key: 'Name', Value: 'pcx' }] } },
        Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { 'Fn::GetStackOutput': { StackName: 'net', Region: 'us-east-1', OutputName: 'Loop' } }, DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: { Ref: 'Pcx' } } },
      }, { Outputs: { Loop: { Value: { 'Fn::GetStackOutput': { StackName: 'net', Region: 'us-east-1', OutputName: 'Loop' } } } } }) },
    ]);
    expect(f.peerings).toEqual([expect.objectContaining({ id: 'pcx', requesterRegion: 'us-west-2', accepterRegion: 'us-east-1', requesterCidr: '10.1.0.0/16', accepterCidr: '10.0.0.0/16' })]);
    // The route's table is a cycle of outputs (unknown, and resolving it ends), but its stack's region,
    // destination and peering are known: the requester side has its route, the accepter side none.
    expect(f.peerings[0]?.routes).toEqual({ requester: true, accepter: false });
  });
});

describe('bad input: one-line errors that name the file, or unknowns; never a crash', () => {
  const write = (rel: string, text: string) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const oneLine = (fn: () => unknown, re: RegExp) => {
    let err: unknown;
    try { fn(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FactsInputError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  };

  test('an empty folder', () => {
    fs.mkdirSync(path.join(tmp, 'empty'));
    oneLine(() => readFactsFromPath(path.join(tmp, 'empty')), /empty: holds no cloud assembly \(manifest\.json\), Terraform JSON/);
  });
  test('a path that does not exist', () => oneLine(() => readFactsFromPath(path.join(tmp, 'nope')), /nope: does not exist$/));
  test('a truncated template inside a cloud assembly names the template', () => {
    write('trunc/manifest.json', JSON.stringify({ version: '40.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://1/us-east-1', properties: { templateFile: 'S.template.json' } } } }));
    write('trunc/S.template.json', '{"Resources": {"A": {"Type": "AWS::KMS::K');
    oneLine(() => readFactsFromPath(path.join(tmp, 'trunc')), /S\.template\.json: is not valid JSON/);
  });
  test('an empty file and JSON that is no known input', () => {
    oneLine(() => readFactsFromPath(write('blank.json', '  \n')), /blank\.json: is empty$/);
    oneLine(() => readFactsFromPath(write('other.json', '{"hello": 1}')), /other\.json: is neither a spec, a CloudFormation template/);
    oneLine(() => factsFromTerraform([{ file: 'x.tf.json', json: [1, 2] }]), /x\.tf\.json: is not a Terraform JSON configuration/);
  });
  test('a template of unknown resource types gives no facts but no error', () => {
    const f = only(readFactsFromPath(write('unknown.template.json', JSON.stringify({ Resources: { A: { Type: 'Custom::Thing', Properties: { X: { 'Fn::Foo': 1 } } }, B: { Type: 'AWS::New::Service' } } }))).sets);
    expect([f.databases, f.keys, f.dns.records, f.regions]).toEqual([[], [], [], []]);
    expect(() => evaluate(f)).not.toThrow();
  });
  test('each record set of an AWS::Route53::RecordSetGroup is a record, in the group\'s zone', () => {
    // AWS CDK writes geoproximity records as groups (CfnRecordSet has no GeoProximityLocation).
    const f = only(factsFromTemplates([{ file: 'g.json', stackName: 'g', region: 'us-east-1', template: { Resources: {
      Group: { Type: 'AWS::Route53::RecordSetGroup', Properties: { HostedZoneName: 'example.com.', RecordSets: [
        { Name: 'api.example.com.', Type: 'CNAME', TTL: '60', SetIdentifier: 'east', ResourceRecords: ['east.example.com'], GeoProximityLocation: { AWSRegion: 'us-east-1', Bias: 10 } },
        { Name: 'api.example.com.', Type: 'CNAME', TTL: '60', SetIdentifier: 'west', ResourceRecords: ['west.example.com'], GeoProximityLocation: { AWSRegion: 'us-west-2', Bias: 0 } },
      ] } },
    } } }]));
    expect(f.dns.records.map((r) => [r.setIdentifier, r.routing, r.ttlSeconds, r.geoproximity])).toEqual([
      ['east', 'geoproximity', 60, { awsRegion: 'us-east-1', bias: 10 }],
      ['west', 'geoproximity', 60, { awsRegion: 'us-west-2', bias: 0 }],
    ]);
  });
  test('values whose toString is not a function do not crash the readers', () => {
    // Found by the template fuzz: String({ toString: '' }) throws.
    const odd = [{ toString: '' }];
    const f = only(factsFromTemplates([{ file: 'o.json', stackName: 'o', region: 'eu-west-1', template: { Resources: {
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'M', Namespace: 'N', Dimensions: [{ Name: odd, Value: 'v' }] } },
    } } }]));
    expect(f.alarms).toHaveLength(1);
    expect(() => evaluate(f)).not.toThrow();
  });
  test('a resource that is not an object (null, a string) is read as a resource of no known type', () => {
    // Found by the template fuzz: `"Cluster": null` used to end in a TypeError.
    const f = only(factsFromTemplates([{ file: 'n.json', stackName: 'n', region: 'eu-west-1', template: { Resources: {
      Cluster: null, Odd: 'text', Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    } } }]));
    expect(f.keys.map((k) => [k.region, k.rotation])).toEqual([['eu-west-1', true]]);
    expect(f.databases).toEqual([]);
    expect(() => evaluate(f)).not.toThrow();
  });
  test('intrinsics everywhere: every value unknown, every rule that needs one says so', () => {
    const unknown = { 'Fn::If': ['C', 1, 2] };
    const f = only(factsFromTemplates([{ file: 'i.json', stackName: 'i', region: unknown as unknown as string, template: { Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: unknown, MultiRegion: unknown } },
      Db: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: unknown, StorageEncrypted: unknown, DeletionProtection: unknown, KmsKeyId: unknown, Tags: unknown } },
      Hc: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: unknown } },
      Rec: { Type: 'AWS::Route53::RecordSet', Properties: unknown },
    } } }]));
    const rules = new Set(evaluate(f).findings.filter((x) => x.unknown).map((x) => x.ruleId));
    expect([...rules]).toEqual(expect.arrayContaining(['GEO-KMS-002', 'GEO-KMS-003', 'GEO-DATA-001', 'GEO-HEALTH-001', 'GEO-HEALTH-002']));
  });
  test('a 50 MB template is read in seconds', () => {
    // 100,000 custom resources, each referring to the one before, and one key, as
    // JSON.stringify({ Resources }, null, 1) writes them: the text is built directly, because building and
    // stringifying 100,000 objects cost more CPU than reading them back.
    const filler = 'x'.repeat(400);
    const things = Array.from({ length: 100_000 }, (_, i) =>
      `  "Thing${i}": {\n   "Type": "Custom::Thing",\n   "Properties": {\n    "Note": "${filler}",\n    "Ref": {\n     "Ref": "Thing${i - 1}"\n    }\n   }\n  },\n`);
    const key = '  "Key": {\n   "Type": "AWS::KMS::Key",\n   "Properties": {\n    "EnableKeyRotation": true\n   }\n  }\n';
    const file = write('big.template.json', `{\n "Resources": {\n${things.join('')}${key} }\n}`);
    expect(fs.statSync(file).size).toBeGreaterThan(50_000_000);
    const started = Date.now();
    const f = only(readFactsFromPath(file).sets);
    expect(f.keys).toHaveLength(1);
    // Generous: the machine is shared; bench/check-scale.ts measures speed, this guards against a hang.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
  test('a Terraform configuration of 150,000 resources is read, not a stack overflow', () => {
    // The reader once gathered every configuration's nodes with push(...nodes): past about 100,000
    // arguments that is a RangeError (call stack exceeded), and `meridian check` judged nothing.
    const groups = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`g${i}`, { name: `g${i}`, retention_in_days: 365 }]));
    const file = write('big.tf.json', JSON.stringify({
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_cloudwatch_log_group: groups, aws_kms_key: { key: { enable_key_rotation: true } } },
    }));
    const f = only(readFactsFromPath(file).sets);
    expect(f.keys.map((k) => [k.region, k.rotation])).toEqual([['eu-west-1', true]]);
  }, 60_000);
});

describe('fuzz: mutated templates and configurations never crash the readers or the rules', () => {
  const template = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'orders-eu.template.json'), 'utf8')) as Record<string, unknown>;
  const terraform = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'payments.tf.json'), 'utf8')) as Record<string, unknown>;

  /** Paths to every value of a JSON document. */
  const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] => {
    if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => paths(x, [...at, i]))];
    if (v && typeof v === 'object') return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
    return [at];
  };
  const replaceAt = (doc: unknown, at: (string | number)[], value: unknown): unknown => {
    if (at.length === 0) return value;
    const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<string | number, unknown>;
    const [head, ...rest] = at as [string | number, ...(string | number)[]];
    copy[head] = replaceAt(copy[head], rest, value);
    return copy;
  };
  const intrinsic = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom({ Ref: 'Key' }, { Ref: 'Nope' }, { 'Fn::GetAtt': ['Cluster', 'Arn'] }, { 'Fn::Sub': '${Key.Arn}-${AWS::Region}' }, { 'Fn::Join': [',', { Ref: 'Key' }] }, { 'Fn::Select': [9, []] }, '${aws_kms_key.east.arn}', '${local.loop_a}', '${var.x}'),
  );
  const check = (run: () => { facts: readonly Facts[] }) => {
    try {
      for (const f of run().facts) evaluate(f, { now: NOW });
    } catch (e) {
      // Only a clear input error is allowed.
      expect(e).toBeInstanceOf(FactsInputError);
    }
  };

  // A fixed seed keeps CI repeatable; TEMPLATE_FUZZ_SEED=random (or a number) explores further.
  const seedEnv = process.env.TEMPLATE_FUZZ_SEED;
  const FUZZ = {
    numRuns: Number(process.env.TEMPLATE_FUZZ_RUNS ?? 2_500),
    ...(seedEnv === 'random' ? {} : { seed: Number(seedEnv ?? 20_261_129) }),
  };

  test('CloudFormation: one value replaced anywhere', () => {
    const all = paths(template);
    fc.assert(fc.property(fc.nat(all.length - 1), intrinsic, (i, value) => {
      const doc = replaceAt(template, all[i] as (string | number)[], value);
      check(() => factsFromTemplates([{ file: 't.json', stackName: 't', region: 'eu-west-1', template: doc }]));
    }), FUZZ);
  });

  test('Terraform: one value replaced anywhere', () => {
    const all = paths(terraform);
    fc.assert(fc.property(fc.nat(all.length - 1), intrinsic, (i, value) => {
      const doc = replaceAt(terraform, all[i] as (string | number)[], value);
      check(() => factsFromTerraform([{ file: 'p.tf.json', json: doc }]));
    }), FUZZ);
  });
});

describe('keyLines: the line of each object-valued key, as the character-by-character scanner found it', () => {
  /** Every answer of the reference for `text`, and of keyLines for the same questions (throws count as answers). */
  function answers(text: string): { expected: unknown[]; actual: unknown[] } {
    const attempt = <T>(fn: () => T): T | string => {
      try {
        return fn();
      } catch (e) {
        return `throws ${(e as Error).name}`;
      }
    };
    const reference = attempt(() => referenceIndex(text));
    const lookup = keyLines(text);
    // Keys the reference found, every piece between quotes (escaped or not) and one that is nowhere.
    const candidates = new Set<string>([...(typeof reference === 'string' ? [] : reference.keys()), ...text.split('"'), 'no such key']);
    const afters = [0, 2, 5];
    const expected: unknown[] = [];
    const actual: unknown[] = [];
    for (const key of candidates) {
      for (const after of afters) {
        expected.push(typeof reference === 'string' ? reference : reference.get(key)?.find((l) => l >= after));
        actual.push(attempt(() => lookup(key, after)));
      }
    }
    return { expected, actual };
  }

  const key = fc.oneof(
    fc.constantFrom('Resources', 'Properties', 'Key', 'a"b', 'back\\slash', 'new\nline', 'tab\t', 'uni\u00e9', '', ' '),
    fc.string({ maxLength: 6 }),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 1 }), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  })).object;

  test('JSON of any indentation: the same line for every key as the character scanner', () => {
    fc.assert(fc.property(json, fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r'), (doc, indent) => {
      const { expected, actual } = answers(JSON.stringify(doc, null, indent));
      expect(actual).toEqual(expected);
    }), { numRuns: 200, seed: 20_261_130 });
  });

  test('text that is not JSON (stray quotes, backslash runs, unterminated strings): the same answers', () => {
    const piece = fc.constantFrom('"', '\\', '\\\\', '\\"', ':', ' ', '\t', '\r', '\n', '{', '}', 'k', '"k"', '"k": {', '"k":\n{', 'x');
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const { expected, actual } = answers(pieces.join(''));
      expect(actual).toEqual(expected);
    }), { numRuns: 500, seed: 20_261_130 });
  });

  test('a key on line 3 of a pretty-printed template, repeated keys in order, escapes decoded', () => {
    const text = '{\n "Resources": {\n  "Key": {\n   "Type": "AWS::KMS::Key"\n  },\n  "a\\"b": {},\n  "Key": {}\n }\n}';
    const lines = keyLines(text);
    expect(lines('Resources')).toBe(2);
    expect(lines('Key')).toBe(3);
    expect(lines('Key', 4)).toBe(7);
    expect(lines('a"b')).toBe(6);
    // A string value is no key; nor is a key whose value is not an object.
    expect(lines('AWS::KMS::Key')).toBeUndefined();
    expect(lines('Type')).toBeUndefined();
    expect(keyLines(undefined)('Resources')).toBeUndefined();
  });
});
