/**
 * Which topology a resource belongs to, decided in one place per reader: hand-written templates of an
 * app with two deployments (`x` and `y`), so each rule of the decision is seen on its own; and Terraform
 * JSON of two cdktf stacks in one app.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { factsFromTemplates, factsFromTerraform, readFactsFromPath, type Facts } from '../../lib/facts';
import type { TemplateInput } from '../../lib/facts/from-cloudformation';
import { GeoTerraformStack } from '../../lib/cdktf';
import { evaluate } from '../../lib/policy';
import { plan } from '../../lib/model';
import { productSpec } from '../support/products';

const NOW = new Date('2026-06-01T00:00:00Z');
const tag = (topology: string) => [{ Key: 'meridian:topology', Value: topology }];

/** A VPC tagged with its topology, exporting its id as a stack output. */
function vpcStack(name: string, topology: string, cidr: string): TemplateInput {
  return {
    file: `${name}.template.json`, stackName: name, region: 'us-east-1',
    template: {
      Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr, Tags: tag(topology) } } },
      Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: `${name}-vpc` } } },
    },
  };
}

/** An untagged security group in the VPC a `Fn::GetStackOutput` (or `Fn::ImportValue`) names. */
function groupReading(name: string, vpc: unknown): TemplateInput {
  return {
    file: `${name}.template.json`, stackName: name, region: 'us-east-1',
    template: { Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: name, VpcId: vpc, SecurityGroupIngress: [] } } } },
  };
}

const topologies = (facts: readonly Facts[]) => facts.map((f) => f.topology).sort();
const of = (facts: readonly Facts[], name: string) => facts.find((f) => f.topology === name);
const outputOf = (stack: string) => ({ 'Fn::GetStackOutput': { StackName: stack, Region: 'us-east-1', OutputName: 'VpcId' } });

describe('CloudFormation: the topology of a stack', () => {
  test('a stack-level meridian:topology tag decides for a stack whose resources take no tags', () => {
    // GIVEN two tagged VPC stacks and an untagged stack of one group that reads neither, tagged at stack level
    const inputs = [vpcStack('x-net', 'x', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16'), { ...groupReading('y-extra', 'vpc-0123'), tags: { 'meridian:topology': 'y' } }];
    // THEN the group belongs to y (and no leftover group exists)
    const facts = factsFromTemplates(inputs, 'leftovers').facts;
    expect(topologies(facts)).toEqual(['x', 'y']);
    expect(of(facts, 'y')?.securityGroups?.map((g) => g.id)).toEqual(['Sg']);
    expect(of(facts, 'x')?.securityGroups).toEqual([]);
  });

  test('a resource\'s own tag wins over its stack\'s tag', () => {
    const stack = vpcStack('x-net', 'x', '10.0.0.0/16');
    const facts = factsFromTemplates([{ ...stack, tags: { 'meridian:topology': 'y' } }], 'leftovers').facts;
    expect(topologies(facts)).toEqual(['x']);
  });

  test.each([
    ['Fn::GetStackOutput', outputOf('x-net')],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'x-net-vpc' }],
  ])('an untagged stack that reads from one deployment\'s stack (%s) joins it', (_how, vpc) => {
    const inputs = [vpcStack('x-net', 'x', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16'), groupReading('x-extra', vpc)];
    const facts = factsFromTemplates(inputs, 'leftovers').facts;
    expect(topologies(facts)).toEqual(['x', 'y']);
    expect(of(facts, 'x')?.securityGroups?.map((g) => [g.id, g.networkId])).toEqual([['Sg', 'Vpc']]);
    expect(of(facts, 'y')?.securityGroups).toEqual([]);
  });

  test('reads are followed along a chain, past a stack that stays undecided', () => {
    // GIVEN x-net (tagged x) <- mid (untagged, re-exports the VPC id) <- tail (untagged), and odd (untagged,
    // reads nothing) which tail reads too
    const mid = {
      file: 'mid.template.json', stackName: 'mid', region: 'us-east-1',
      template: { Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'mid', VpcId: outputOf('x-net'), SecurityGroupIngress: [] } } },
        Outputs: { VpcId: { Value: outputOf('x-net') } } },
    };
    const odd = {
      file: 'odd.template.json', stackName: 'odd', region: 'us-east-1',
      template: { Resources: { R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'odd.example.com', Type: 'CNAME', TTL: '60', ResourceRecords: ['o.example.net'] } } },
        Outputs: { VpcId: { Value: 'vpc-0odd' } } },
    };
    const tail = {
      file: 'tail.template.json', stackName: 'tail', region: 'us-east-1',
      template: { Resources: {
        A: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'a', VpcId: outputOf('mid'), SecurityGroupIngress: [] } },
        B: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'b', VpcId: outputOf('odd'), SecurityGroupIngress: [] } },
      } },
    };
    const facts = factsFromTemplates([tail, mid, odd, vpcStack('x-net', 'x', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16')], 'leftovers').facts;
    // THEN mid and tail join x; odd, which reads nothing and is read by a stack of x only, is part of x too
    expect(topologies(facts)).toEqual(['x', 'y']);
    expect(of(facts, 'x')?.securityGroups?.map((g) => g.id).sort()).toEqual(['A', 'B', 'Sg']);
    expect(of(facts, 'x')?.dns.records.map((r) => r.id)).toEqual(['R']);
  });

  test('an untagged stack that reads from both deployments stays a group of its own (named after the input)', () => {
    const both = {
      file: 'both.template.json', stackName: 'both', region: 'us-east-1',
      template: { Resources: {
        A: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'a', VpcId: outputOf('x-net'), SecurityGroupIngress: [] } },
        B: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'b', VpcId: outputOf('y-net'), SecurityGroupIngress: [] } },
      } },
    };
    const facts = factsFromTemplates([vpcStack('x-net', 'x', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16'), both], 'leftovers').facts;
    expect(topologies(facts)).toEqual(['leftovers', 'x', 'y']);
    expect(of(facts, 'leftovers')?.securityGroups?.map((g) => g.id).sort()).toEqual(['A', 'B']);
  });

  test('a stack both deployments read from (a shared key) is part of each, and each judges it', () => {
    // GIVEN a key without rotation in an untagged stack, used by a log group of x and one of y
    const shared = {
      file: 'shared.template.json', stackName: 'shared', region: 'us-east-1',
      template: {
        Resources: {
          Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } },
          Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/shared', TargetKeyId: { Ref: 'Key' } } },
        },
        Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      },
    };
    const logs = (topology: string): TemplateInput => ({
      file: `${topology}-logs.template.json`, stackName: `${topology}-logs`, region: 'us-east-1',
      template: { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: {
        LogGroupName: `/${topology}/app`, RetentionInDays: 30, Tags: tag(topology),
        KmsKeyId: { 'Fn::GetStackOutput': { StackName: 'shared', Region: 'us-east-1', OutputName: 'KeyArn' } },
      } } } },
    });
    const facts = factsFromTemplates([shared, logs('x'), logs('y')], 'leftovers').facts;
    // THEN no third topology; the key is a fact of both, and the rotation rule fires in both
    expect(topologies(facts)).toEqual(['x', 'y']);
    for (const t of ['x', 'y']) {
      const f = of(facts, t) as Facts;
      expect(f.keys.map((k) => [k.id, k.rotation])).toEqual([['alias/shared@us-east-1', false]]);
      expect(f.logGroups?.map((l) => [l.id, l.keyRegion])).toEqual([[`/${t}/app`, 'us-east-1']]);
      expect(evaluate(f, { now: NOW }).findings.filter((x) => x.ruleId === 'GEO-KMS-002').map((x) => x.resource)).toEqual(['alias/shared@us-east-1']);
    }
  });

  test('an untagged stack with nothing the rules read forms no topology beside deployments; one with something does', () => {
    const bucket = { file: 'b.template.json', stackName: 'b', region: 'us-east-1', template: { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } } } };
    const record = {
      file: 'r.template.json', stackName: 'r', region: 'us-east-1',
      template: { Resources: { R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'a.example.com', Type: 'CNAME', TTL: '900', ResourceRecords: ['b.example.net'] } } } },
    };
    const two = [vpcStack('x-net', 'x', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16')];
    expect(topologies(factsFromTemplates([...two, bucket], 'leftovers').facts)).toEqual(['x', 'y']);
    expect(topologies(factsFromTemplates([...two, record], 'leftovers').facts)).toEqual(['leftovers', 'x', 'y']);
    // Alone, an app of nothing the rules read is still one (empty) topology: a reader always answers.
    expect(topologies(factsFromTemplates([bucket], 'leftovers').facts)).toEqual(['leftovers']);
  });

  test('with one deployment, an untagged stack that reads nothing joins it (as before)', () => {
    const facts = factsFromTemplates([vpcStack('x-net', 'x', '10.0.0.0/16'), groupReading('extra', 'vpc-0123')], 'leftovers').facts;
    expect(topologies(facts)).toEqual(['x']);
    expect(of(facts, 'x')?.securityGroups?.map((g) => g.id)).toEqual(['Sg']);
  });

  test('a fallback name that is also a deployment\'s name is told apart', () => {
    const record = {
      file: 'r.template.json', stackName: 'r', region: 'us-east-1',
      template: { Resources: { R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'a.example.com', Type: 'CNAME', TTL: '900', ResourceRecords: ['b.example.net'] } } } },
    };
    const facts = factsFromTemplates([vpcStack('app-net', 'app', '10.0.0.0/16'), vpcStack('y-net', 'y', '10.1.0.0/16'), record], 'app').facts;
    expect(topologies(facts)).toEqual(['app', 'app (untagged)', 'y']);
    expect(of(facts, 'app (untagged)')?.dns.records.map((r) => r.id)).toEqual(['R']);
    expect(of(facts, 'app')?.dns.records).toEqual([]);
  });

  test('each stack\'s suppressions reach its own topology only', () => {
    const suppress = { Metadata: { meridian: { suppressions: [{ rule: 'GEO-KMS-003', reason: 'rotation is done by the key owner; ticket SEC-7' }] } } };
    const x = vpcStack('x-net', 'x', '10.0.0.0/16');
    const facts = factsFromTemplates([{ ...x, template: { ...(x.template as object), ...suppress } }, vpcStack('y-net', 'y', '10.1.0.0/16')], 'leftovers').facts;
    expect(of(facts, 'x')?.suppressions.map((s) => s.rule)).toEqual(['GEO-KMS-003']);
    expect(of(facts, 'y')?.suppressions).toEqual([]);
  });
});

describe('Terraform: two cdktf stacks (one per deployment) in one app', () => {
  const product = productSpec;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-tf-multi-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('a cdktf.out folder gives one topology per stack; a finding of one names that one only', () => {
    // GIVEN orders and billing in one cdktf app; billing's us-west-2 record changed by an override
    const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
    const orders = new GeoTerraformStack(app, 'orders', { plan: plan(product('orders', ['us-east-1', 'eu-west-1'])), policyChecker: false });
    const billing = new GeoTerraformStack(app, 'billing', { plan: plan(product('billing', ['us-east-1', 'us-west-2'])), policyChecker: false });
    expect(orders.node.id).toBe('orders');
    const records = billing.node.findAll().filter((c) => (c as { terraformResourceType?: string }).terraformResourceType === 'aws_route53_record');
    const usw2 = records.find((c) => JSON.stringify((c as unknown as { toTerraform(): unknown }).toTerraform()).includes('billing-us-west-2'));
    expect(usw2).toBeDefined();
    (usw2 as unknown as { addOverride(path: string, value: unknown): void }).addOverride('ttl', 300);
    app.synth();
    // WHEN read from the folder
    const { kind, sets } = readFactsFromPath(outdir);
    // THEN
    expect(kind).toBe('terraform');
    expect(topologies(sets.facts)).toEqual(['billing', 'orders']);
    expect(of(sets.facts, 'orders')?.regions.map((r) => r.name)).toEqual(['eu-west-1', 'us-east-1']);
    expect(of(sets.facts, 'billing')?.regions.map((r) => r.name)).toEqual(['us-east-1', 'us-west-2']);
    expect(of(sets.facts, 'billing')?.dns.records.map((r) => [r.id, r.ttlSeconds]).sort()).toEqual([['billing-us-east-1', 60], ['billing-us-west-2', 300]]);
    const dns001 = (t: string) => evaluate(of(sets.facts, t) as Facts, { now: NOW }).findings.filter((f) => f.ruleId === 'GEO-DNS-001' && !f.suppressed).map((f) => f.resource);
    expect(dns001('billing')).toEqual(['billing-us-west-2']);
    expect(dns001('orders')).toEqual([]);
    // Each configuration's sources are its own file.
    expect(new Set(of(sets.facts, 'orders')?.dns.records.map((r) => path.relative(outdir, r.source?.file ?? '')))).toEqual(new Set([path.join('stacks', 'orders', 'cdk.tf.json')]));
  });

  test('a configuration\'s suppressions reach its own topology only', () => {
    const config = (topology: string, suppressions: unknown[]) => ({
      file: `${topology}.tf.json`,
      json: {
        '//': { meridian: { suppressions } },
        provider: { aws: [{ region: 'us-east-1' }] },
        resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16', tags: { 'meridian:topology': topology } } } },
      },
    });
    const facts = factsFromTerraform([config('x', [{ rule: 'GEO-DNS-001', reason: 'x answers a legacy resolver; ticket OPS-9' }]), config('y', [])], 'leftovers').facts;
    expect(topologies(facts)).toEqual(['x', 'y']);
    expect(of(facts, 'x')?.suppressions.map((s) => s.rule)).toEqual(['GEO-DNS-001']);
    expect(of(facts, 'y')?.suppressions).toEqual([]);
  });
});
