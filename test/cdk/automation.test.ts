/**
 * Automated region failover in the AWS CDK renderer: the Region switch plan with its trigger, guards and
 * Aurora step, the execution role, the notification rule, the trigger alarm, the FIS rehearsal, cdk-nag,
 * the CloudFormation reader, and the CDK for Terraform renderer's refusal.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Testing } from 'cdktf';
import { GeoDeployment, RegionFailoverAutomation } from '../../lib/cdk';
import { GeoTerraformStack } from '../../lib/cdktf';
import { factsFromTemplates } from '../../lib/facts/from-cloudformation';
import { MeridianValidationError, plan, type GeoSpec } from '../../lib/model';
import { estimateDisruptions } from '../../lib/policy/estimate';
import { deploy, ORDERS, withSpec } from './geo-fixtures';
import { at, need } from '../../lib/model/lookup';

const AUTOMATED: GeoSpec = withSpec(ORDERS, { automation: { regionFailover: { enabled: true, sustainedSeconds: 120 } } });

// One app of AUTOMATED for the whole file, with cdk-nag's packs as validation plugins: they only read the
// templates, so the tests of the plan read the same templates the cdk-nag test judges, from one synth.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-nag-automation-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir, builtinCloudFormationValidation: false });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
const geo = new GeoDeployment(app, 'Geo', { spec: AUTOMATED });

describe('Region switch plan in the DNS stack', () => {
  const dns = Template.fromStack(geo.dnsStack);

  test('one plan: active/passive from us-east-1 to us-west-2 (eu-west-1 is headless)', () => {
    dns.resourceCountIs('AWS::ARCRegionSwitch::Plan', 1);
    dns.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Name: 'orders-main-failover',
      RecoveryApproach: 'activePassive',
      PrimaryRegion: 'us-east-1',
      Regions: ['us-east-1', 'us-west-2'],
      RecoveryTimeObjectiveMinutes: 15,
    });
  });

  test('triggers: activate us-west-2 when the 2-minute alarm (or the writer alarm) is red and the target health and lag are green; once a day', () => {
    const guards = [
      { AssociatedAlarmName: 'orders-usw2-endpoint-unhealthy', Condition: 'green' },
      { AssociatedAlarmName: 'orders-usw2-replication-lag-critical', Condition: 'green' },
    ];
    dns.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Triggers: [
        {
          Action: 'activate', TargetRegion: 'us-west-2', MinDelayMinutesBetweenExecutions: 1440,
          Conditions: [{ AssociatedAlarmName: 'orders-use1-failover-trigger', Condition: 'red' }, ...guards],
          Description: Match.stringLikeRegexp('sustained failure.*target healthy.*target lag known'),
        },
        {
          Action: 'activate', TargetRegion: 'us-west-2', MinDelayMinutesBetweenExecutions: 1440,
          Conditions: [{ AssociatedAlarmName: 'orders-use1-writer-unavailable', Condition: 'red' }, ...guards],
          Description: Match.stringLikeRegexp('writer lost.*target healthy.*target lag known'),
        },
      ],
    });
    // No trigger ever activates the old primary: failback is manual.
    const plans = dns.findResources('AWS::ARCRegionSwitch::Plan');
    const triggers = Object.values(plans).flatMap((r) => (r as { Properties: { Triggers: Array<{ TargetRegion: string }> } }).Properties.Triggers);
    expect(new Set(triggers.map((t) => t.TargetRegion))).toEqual(new Set(['us-west-2']));
  });

  test('every trigger condition names an associated trigger alarm whose ARN is in the alarm\'s own region', () => {
    const plans = dns.findResources('AWS::ARCRegionSwitch::Plan');
    const props = (Object.values(plans)[0] as { Properties: { AssociatedAlarms: Record<string, { AlarmType: string; ResourceIdentifier: unknown }> } }).Properties;
    expect(Object.keys(props.AssociatedAlarms).sort()).toEqual(['orders-use1-failover-trigger', 'orders-use1-writer-unavailable', 'orders-usw2-endpoint-unhealthy', 'orders-usw2-replication-lag-critical']);
    for (const a of Object.values(props.AssociatedAlarms)) expect(a.AlarmType).toBe('trigger');
    expect(JSON.stringify(need(props.AssociatedAlarms, 'orders-usw2-replication-lag-critical', 'associated alarm').ResourceIdentifier)).toContain(':cloudwatch:us-west-2:');
    expect(JSON.stringify(need(props.AssociatedAlarms, 'orders-use1-failover-trigger', 'associated alarm').ResourceIdentifier)).toContain(':cloudwatch:us-east-1:');
  });

  test('the Aurora step: switchover when graceful, failover (data loss allowed) when ungraceful, on this global cluster', () => {
    dns.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Workflows: [{
        WorkflowTargetAction: 'activate',
        Steps: [{
          Name: 'promote-global-database',
          ExecutionBlockType: 'AuroraGlobalDatabase',
          ExecutionBlockConfiguration: {
            GlobalAuroraConfig: {
              Behavior: 'switchoverOnly',
              Ungraceful: { Ungraceful: 'failover' },
              GlobalClusterIdentifier: 'orders-global',
              TimeoutMinutes: 15,
              DatabaseClusterArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':rds:us-west-2:']) ]) })]),
            },
          },
        }],
      }],
    });
  });

  test('the trigger alarm: Route 53 health of us-east-1 unhealthy in each of 2 consecutive minutes', () => {
    dns.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-use1-failover-trigger',
      MetricName: 'HealthCheckStatus',
      Namespace: 'AWS/Route53',
      Period: 60,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
  });

  test('execution role: trusted by Region switch of this account only; promotion limited to the global cluster and its members', () => {
    dns.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'orders-main-failover',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'arc-region-switch.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        })],
      },
    });
    const policies = dns.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('AutomationmainRole') }] } });
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Sid: string; Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement);
    expect(statements.map((s) => s.Sid).sort()).toEqual(['DescribeGlobalDatabase', 'PromoteThisGlobalDatabase', 'ReadTriggerAlarms']);
    const promote = statements.find((s) => s.Sid === 'PromoteThisGlobalDatabase');
    expect(promote?.Action).toEqual(['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster']);
    expect(JSON.stringify(promote?.Resource)).not.toContain('"*"');
    expect(JSON.stringify(promote?.Resource)).toContain(':global-cluster:orders-global');
  });

  test('notifications: every plan execution event to the DNS alert topic', () => {
    dns.hasResourceProperties('AWS::Events::Rule', {
      Name: 'orders-main-failover-events',
      EventPattern: { 'source': ['aws.arc-region-switch'], 'detail-type': ['ARC Region Switch Plan Execution'] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('DnsTopic') } })],
    });
  });

  test('the rehearsal: a FIS template in us-east-1 that cuts the data subnets for 7 minutes and stops on the writer alarm', () => {
    const use1 = Template.fromStack(geo.region('us-east-1').stack);
    use1.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Actions: { 'disrupt-all-connectivity': { ActionId: 'aws:network:disrupt-connectivity', Parameters: { scope: 'all', duration: 'PT7M' }, Targets: { Subnets: 'Subnets' } } },
      Targets: { Subnets: Match.objectLike({ ResourceType: 'aws:ec2:subnet', ResourceTags: { 'meridian:topology': 'orders', 'meridian:subnet-tier': 'data' } }) },
      StopConditions: [Match.objectLike({ Source: 'aws:cloudwatch:alarm' })],
    });
    use1.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CreateManagedNetworkAcl', Action: 'ec2:CreateNetworkAcl', Condition: { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } } })]) },
    });
  });

  test('the CloudFormation reader sees the automation and its window; the estimator uses it', () => {
    const inputs = [geo.dnsStack, ...Object.values(geo.regions).map((r) => r?.stack)].filter((s): s is Stack => s !== undefined)
      .map((s) => ({ file: `${s.stackName}.template.json`, stackName: s.stackName, region: s.region, template: Template.fromStack(s).toJSON() }));
    const facts = at(factsFromTemplates(inputs).facts, 0, 'facts of the deployment');
    expect(facts.automation).toEqual({ regionFailover: true, writerFailover: true, sustainedSeconds: 120 });
    expect(estimateDisruptions(facts).automation).toBe(true);
  });

  test('without automation the DNS stack has none of it, and the reader says so', () => {
    const plain = deploy(ORDERS).geo;
    const t = Template.fromStack(plain.dnsStack);
    t.resourceCountIs('AWS::ARCRegionSwitch::Plan', 0);
    t.resourceCountIs('AWS::Events::Rule', 0);
    expect(plain.automation).toBeUndefined();
    const facts = at(factsFromTemplates([{ file: 'dns.json', stackName: 'orders-dns', region: 'us-east-1', template: t.toJSON() }]).facts, 0, 'facts of the DNS stack');
    expect(facts.automation).toEqual({ regionFailover: false, writerFailover: false });
  });
});

describe('validation', () => {
  test('RegionFailoverAutomation outside the DNS home region is refused, naming both regions', () => {
    const p = plan(AUTOMATED);
    const build = () => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Wrong', { env: { region: 'eu-west-1' } });
      return new RegionFailoverAutomation(stack, 'Automation', { plan: p, topic: undefined as never });
    };
    expect(build).toThrow(MeridianValidationError);
    expect(build).toThrow(/the stack is in eu-west-1 but the Region switch plan orders-main-failover .* live in us-east-1/);
  });

  test('CDK for Terraform refuses the option instead of dropping it', () => {
    const p = plan(AUTOMATED);
    const build = () => new GeoTerraformStack(Testing.app(), 'G', { plan: p });
    expect(build).toThrow(MeridianValidationError);
    expect(build).toThrow(/plan\.automation\.regionFailover \(orders-main-failover\) cannot be rendered with CDK for Terraform: AWS provider 6\.25 has no ARC Region switch plan resource/);
  });
});

describe('cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 R5 report no unacknowledged error with automation on', () => {
    // (the file's app, synthesized already by the tests above when they ran)
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations?: Array<{ severity?: string; ruleName?: string }> }> };
    const errors = report.pluginReports.flatMap((r) => r.violations ?? []).filter((v) => (v.severity ?? 'error').toLowerCase() === 'error');
    expect(report.pluginReports.length).toBe(2); // both rule packs ran
    expect(errors).toEqual([]);
  });
});
