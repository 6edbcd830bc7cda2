import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegionalKeys, regionalKeyAliasArn } from '../../lib/cdk';
import { fastApp, ORDERS, onlyId, planOf, tpl } from './geo-fixtures';
import { need } from '../../lib/model/lookup';

describe('RegionalKeys', () => {
  // Each region's key on a bare stack of its region, as GeoDeployment lays it out in the region's key stack
  // (a unit test of the construct; deployment.test.ts checks the key stacks of a whole deployment).
  const plan = planOf(ORDERS);
  const templates = Object.fromEntries(plan.regions.map((r) => {
    const stack = new Stack(fastApp(), 'Keys', { env: { region: r.name } });
    new RegionalKeys(stack, 'Key', { plan, region: r.name });
    return [r.name, tpl(stack)];
  }));

  test.each(['us-east-1', 'us-west-2', 'eu-west-1'])('%s: one rotating, retained key under the planned alias', (region) => {
    // THEN
    const t = need(templates, region, 'region template');
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    t.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/meridian/orders',
      TargetKeyId: { 'Fn::GetAtt': [onlyId(t, 'AWS::KMS::Key'), 'Arn'] },
    });
  });

  test('the key policy lets the region\'s own services use the key', () => {
    // THEN
    need(templates, 'us-west-2', 'region template').hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowRegionalServicesOnBehalfOfTheAccount',
            Condition: {
              StringEquals: Match.objectLike({
                'kms:ViaService': ['rds.us-west-2.amazonaws.com', 'dynamodb.us-west-2.amazonaws.com', 'secretsmanager.us-west-2.amazonaws.com', 'sns.us-west-2.amazonaws.com'],
              }),
            },
          }),
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisRegion',
            Principal: { Service: 'logs.us-west-2.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('only AWS services may create grants on the key (CT.KMS.PR.3)', () => {
    need(templates, 'us-east-1', 'region template').hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyGrantsExceptForAwsResources', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*',
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        })]),
      },
    });
  });

  test('no key policy names another region\'s services', () => {
    // THEN
    const policy = JSON.stringify(need(templates, 'eu-west-1', 'region template').findResources('AWS::KMS::Key'));
    expect(policy).toContain('eu-west-1.amazonaws.com');
    expect(policy).not.toMatch(/us-east-1\.amazonaws\.com|us-west-2\.amazonaws\.com/);
  });

  test('a custom pending window is kept', () => {
    // GIVEN
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-west-2' } });
    // WHEN
    new RegionalKeys(stack, 'Key', { plan: planOf(ORDERS), region: 'us-west-2', pendingWindow: Duration.days(7) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
  });

  test.each([6, 31])('pendingWindow of %d days throws', (days) => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-west-2' } });
    expect(() => new RegionalKeys(stack, 'Key', { plan: planOf(ORDERS), region: 'us-west-2', pendingWindow: Duration.days(days) }))
      .toThrow(new RegExp(`pendingWindow must be a whole number of days between 7 and 30, got ${days}`));
  });

  test('a pendingWindow that is not a whole number of days throws, naming the field', () => {
    // GIVEN
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-west-2' } });
    // WHEN / THEN
    expect(() => new RegionalKeys(stack, 'Key', { plan: planOf(ORDERS), region: 'us-west-2', pendingWindow: Duration.hours(200) }))
      .toThrow(/pendingWindow must be a whole number of days between 7 and 30, got 8\.33/);
  });

  test('a key for another region than the stack\'s throws', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new RegionalKeys(stack, 'Key', { plan: planOf(ORDERS), region: 'us-west-2' }))
      .toThrow(/region is us-west-2 but the stack is in us-east-1/);
  });

  test('a region outside the plan throws, naming the plan\'s regions', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'ap-south-1' } });
    expect(() => new RegionalKeys(stack, 'Key', { plan: planOf(ORDERS), region: 'ap-south-1' }))
      .toThrow(/"ap-south-1" is not a region of plan "orders"; allowed: us-east-1, us-west-2, eu-west-1/);
  });

  test('regionalKeyAliasArn names the alias in the other region, from the plan', () => {
    // GIVEN
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1', account: '111111111111' } });
    // WHEN
    const arn = stack.resolve(regionalKeyAliasArn(stack, planOf({ ...ORDERS, account: '222222222222' }), 'eu-west-1'));
    // THEN
    expect(arn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:222222222222:alias/meridian/orders']] });
  });
});
