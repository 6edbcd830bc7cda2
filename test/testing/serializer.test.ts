import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  PARSED_JSON_KEY, PLACEHOLDERS, isTemplate, normalizeString, normalizeTemplate, serialize, templateSerializer, templatesOf, test as claims, type TemplateJson,
} from '../../lib/testing';
import * as testingModule from '../../lib/testing';
import { need } from '../../lib/model/lookup';

const HASH_A = 'a'.repeat(40) + '0123456789abcdef01234567';
const HASH_B = 'b'.repeat(40) + '76543210fedcba9876543210';

function appWithAsset(source: string): TemplateJson {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-serializer-'));
  writeFileSync(join(dir, 'index.js'), source);
  const app = new App({
    builtinCloudFormationValidation: false,
    analyticsReporting: true,
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = new Stack(app, 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
  new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(dir) });
  new sns.Topic(stack, 'Topic', { topicName: 'orders' });
  new CfnOutput(stack, 'Out', { value: 'kept' });
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

describe('template snapshot serializer', () => {
  test('replaces asset hashes and the bootstrap bucket in S3 keys', () => {
    // GIVEN
    const raw = appWithAsset('exports.handler = async () => 1;');
    // WHEN
    const clean = normalizeTemplate(raw);
    // THEN
    const fn = Object.values(clean.Resources).find((r) => r.Type === 'AWS::Lambda::Function')!;
    expect((fn.Properties as { Code: unknown }).Code).toEqual({ S3Bucket: PLACEHOLDERS.assetBucket, S3Key: `${PLACEHOLDERS.assetHash}.zip` });
    expect(JSON.stringify(clean)).not.toMatch(/[0-9a-f]{64}/);
  });

  test('two asset contents give the same normalized template', () => {
    // GIVEN / WHEN
    const one = normalizeTemplate(appWithAsset('exports.handler = async () => 1;'));
    const two = normalizeTemplate(appWithAsset('exports.handler = async () => 2;'));
    // THEN
    expect(one).toEqual(two);
  });

  test('drops the bootstrap version check, CDK metadata and aws:cdk:path metadata', () => {
    // GIVEN
    const raw = appWithAsset('exports.handler = async () => 1;');
    expect(raw.Parameters).toHaveProperty('BootstrapVersion');
    expect(raw.Rules).toHaveProperty('CheckBootstrapVersion');
    expect(Object.values(raw.Resources).map((r) => r.Type)).toContain('AWS::CDK::Metadata');
    expect(JSON.stringify(raw)).toMatch(/aws:cdk:path/);
    expect(JSON.stringify(raw)).toMatch(/aws:asset:path/);
    // WHEN
    const clean = normalizeTemplate(raw);
    // THEN
    expect(clean.Parameters).toBeUndefined();
    expect(clean.Rules).toBeUndefined();
    expect(Object.values(clean.Resources).map((r) => r.Type)).not.toContain('AWS::CDK::Metadata');
    expect(JSON.stringify(clean)).not.toMatch(/aws:cdk:path|aws:asset:path/);
    expect(clean.Outputs).toEqual({ Out: { Value: 'kept' } });
  });

  test('keeps user metadata, parameters and everything the user wrote', () => {
    // GIVEN
    const raw: TemplateJson = {
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' }, Env: { Type: 'String' } },
      Conditions: { CDKMetadataAvailable: { 'Fn::Equals': ['a', 'a'] }, IsProd: { 'Fn::Equals': ['a', 'b'] } },
      Mappings: { LatestNodeRuntimeMap: { 'us-east-1': { value: 'nodejs22.x' } }, Sizes: { small: { cpu: '1' } } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'cdk-hnb659fds-assets-111122223333-eu-west-1' }, Metadata: { 'aws:cdk:path': 'S/Bucket', 'team': 'orders' } },
        Image: { Type: 'AWS::ECS::TaskDefinition', Properties: { Image: { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${HASH_B}` } } },
        CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:xyz' } },
      },
    };
    // WHEN
    const clean = normalizeTemplate(raw);
    // THEN
    expect(clean).toEqual({
      Parameters: { Env: { Type: 'String' } },
      Conditions: { IsProd: { 'Fn::Equals': ['a', 'b'] } },
      Mappings: { LatestNodeRuntimeMap: PLACEHOLDERS.latestNodeRuntimeMap, Sizes: { small: { cpu: '1' } } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: PLACEHOLDERS.assetBucket }, Metadata: { team: 'orders' } },
        Image: { Type: 'AWS::ECS::TaskDefinition', Properties: { Image: { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/${PLACEHOLDERS.assetRepository}:${PLACEHOLDERS.assetHash}` } } },
      },
    });
    // the input is not modified
    expect(raw.Resources).toHaveProperty('CDKMetadata');
  });

  test('replaces the runtime of CDK handler functions, not of the user\'s', () => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Stack');
    new s3.Bucket(stack, 'Bucket', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new lambda.Function(stack, 'Mine', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
    // WHEN
    const clean = normalizeTemplate(Template.fromStack(stack).toJSON() as TemplateJson);
    // THEN
    const runtimes = Object.entries(clean.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), (r.Properties as { Runtime: string }).Runtime]);
    expect(runtimes).toEqual(expect.arrayContaining([
      ['CustomS3AutoDeleteObjectsCustomResourceProviderHandler', PLACEHOLDERS.cdkHandlerRuntime],
      ['Mine', 'nodejs20.x'],
    ]));
  });

  test.each([
    [`${HASH_A}.zip`, `${PLACEHOLDERS.assetHash}.zip`],
    [`${HASH_A}.json`, `${PLACEHOLDERS.assetHash}.json`],
    [`cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}`, PLACEHOLDERS.assetBucket],
    ['cdk-custom123-assets-111122223333-ap-southeast-2', PLACEHOLDERS.assetBucket],
    ['orders-table', 'orders-table'],
    ['abc123', 'abc123'],
  ])('normalizeString(%p) = %p', (input, expected) => {
    expect(normalizeString(input)).toBe(expected);
  });

  test('claims templates only, and only once', () => {
    // GIVEN
    const template: TemplateJson = { Resources: { T: { Type: 'AWS::SNS::Topic' } } };
    // WHEN
    let printed: unknown;
    const out = serialize(template, {}, '', 0, [], (value) => { printed = value; return 'printed'; });
    // THEN
    expect(out).toBe('printed');
    expect(claims(template)).toBe(true);
    expect(claims(printed)).toBe(false);
    expect(isTemplate({ Resources: [] })).toBe(false);
    expect(isTemplate({ Resources: { X: { Properties: {} } } })).toBe(false);
    expect(isTemplate('Resources')).toBe(false);
    expect(templateSerializer.test).toBe(claims);
  });

  test('templatesOf normalizes every stack of an app, by stack name', () => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    new sns.Topic(new Stack(app, 'One', { stackName: 'one-eu' }), 'T');
    new sns.Topic(new Stack(app, 'Two'), 'T');
    // WHEN
    const templates = templatesOf(app);
    // THEN
    expect(Object.keys(templates).sort()).toEqual(['Two', 'one-eu']);
    expect(need(templates, 'one-eu', 'template').Parameters).toBeUndefined();
    expect(claims(templates.Two)).toBe(false);
  });

  test('templatesOf rejects a stack without resources', () => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    new Stack(app, 'Empty');
    // WHEN / THEN
    expect(() => templatesOf(app)).toThrow(/stack Empty has no Resources section/);
  });

  describe('with expect.addSnapshotSerializer', () => {
    expect.addSnapshotSerializer(templateSerializer);

    test('snapshots are free of version noise', () => {
      // GIVEN / WHEN / THEN
      expect(appWithAsset('exports.handler = async () => 1;')).toMatchSnapshot();
    });
  });

  describe('with the module itself as serializer (the snapshotSerializers entry)', () => {
    // Jest's snapshotSerializers option requires the module and uses its `test` and `serialize` exports.
    expect.addSnapshotSerializer(testingModule as unknown as Parameters<typeof expect.addSnapshotSerializer>[0]);

    test('the module exports the serializer hooks', () => {
      // GIVEN
      const template: TemplateJson = {
        Parameters: { BootstrapVersion: { Type: 'String' } },
        Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${HASH_A}.zip` } } } },
      };
      // WHEN / THEN
      expect(typeof testingModule.test).toBe('function');
      expect(typeof testingModule.serialize).toBe('function');
      expect(template).toMatchSnapshot();
    });
  });
});

describe('dashboard bodies in snapshots', () => {
  test('an Fn::Join body is printed as parsed JSON with references as ${…}', () => {
    // GIVEN a dashboard body the way the CDK writes it: JSON text joined with a GetAtt and a Ref
    const template: TemplateJson = {
      Resources: {
        Dash: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: {
            DashboardBody: { 'Fn::Join': ['', ['{"widgets":[{"metrics":[["AWS/Route53","HealthCheckStatus","HealthCheckId","', { 'Fn::GetAtt': ['Hc', 'HealthCheckId'] }, '"]],"region":"', { Ref: 'AWS::Region' }, '"}]}']] },
          },
        },
      },
    };
    // WHEN
    const clean = normalizeTemplate(template);
    // THEN the body is an object, one property per line in a snapshot
    expect((need(clean.Resources, 'Dash', 'resource').Properties as { DashboardBody: unknown }).DashboardBody).toEqual({
      [PARSED_JSON_KEY]: { widgets: [{ metrics: [['AWS/Route53', 'HealthCheckStatus', 'HealthCheckId', '${Hc.HealthCheckId}']], region: '${AWS::Region}' }] },
    });
  });

  test('a body that is not JSON once references are text is left as it was', () => {
    const body = { 'Fn::Join': ['', ['{"period":', { 'Fn::GetAtt': ['X', 'Y'] }, '}']] };
    const clean = normalizeTemplate({ Resources: { Dash: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: body } } } });
    expect((need(clean.Resources, 'Dash', 'resource').Properties as { DashboardBody: unknown }).DashboardBody).toEqual(body);
  });
});
