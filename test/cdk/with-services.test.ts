/**
 * examples/with-services: a team's load balancer and function per region on a Meridian deployment that
 * runs on the team's own VPCs. One synth with every check the other examples pass: aws-cdk-lib's
 * built-in CloudFormation validation, cdk-nag (AwsSolutions, NIST 800-53 R5) and cfn-guard (Control
 * Tower), plus the policy; then what the example is about, resource by resource.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { checkPlan } from '../../lib/policy';
import { installMeridianMatchers } from '../../lib/testing';
import { ControlTowerGuard, controlTowerRulesFor, resourceTypes } from '../support/cfn-guard';
import { build } from '../../examples/with-services/app';
import { cdkContextOf } from '../support/cdk-context';

installMeridianMatchers();

interface Violation { readonly ruleName: string; readonly severity?: string; readonly violatingConstructs?: Array<{ readonly constructPath: string }> }

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-with-services-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
// The example's cdk.json context (the recommended feature flags), as `cdk synth` in its folder has it.
const app = new App({ outdir, context: cdkContextOf('with-services') });
const { deployment } = build(app);
// cfn-guard with the Control Tower rules, each template with the rules about its own resource types (the
// others can only skip, test/support/cfn-guard.ts); a test checks every template was checked with them.
const guard = new ControlTowerGuard();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), guard);
let reports: Array<{ pluginName: string; violations?: Violation[] }> = [];
let missingContext: unknown[] = [];

beforeAll(() => {
  // aws-cdk-lib prints the whole report when any plugin reports anything; the test reads the file.
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    missingContext = app.synth().manifest.missing ?? [];
  } finally {
    spy.mockRestore();
  }
  reports = (JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: typeof reports }).pluginReports;
}, 120_000);

const errorsOf = (plugin: RegExp) => reports.filter((r) => plugin.test(r.pluginName))
  .flatMap((r) => r.violations ?? [])
  .filter((v) => (v.severity ?? 'error').toLowerCase() === 'error' && (v.violatingConstructs ?? []).some((c) => c.constructPath !== ''))
  .map((v) => `${v.ruleName} on ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`);

describe('examples/with-services passes the checks of the other examples', () => {
  test('built-in CloudFormation validation, cdk-nag and cfn-guard leave no unacknowledged error', () => {
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(errorsOf(/CloudFormation/)).toEqual([]);
    expect(errorsOf(/AwsSolutions|NIST/)).toEqual([]);
    expect(errorsOf(/cfnguard/)).toEqual([]);
  });

  test('cfn-guard checked every template with the rules about every resource type it holds', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
    const files = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack').map((a) => path.join(outdir, a.properties?.templateFile ?? ''));
    expect(files.length).toBeGreaterThan(5);
    const checked = new Map(guard.runs.flatMap((run) => run.templatePaths.map((t): [string, string[]] => [path.resolve(t), run.rules])));
    for (const file of files) {
      const rules = controlTowerRulesFor(resourceTypes([JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, { Type?: unknown }> }]));
      expect({ file: path.basename(file), rules: checked.get(file) ?? [] }).toEqual({ file: path.basename(file), rules });
    }
    // and the load balancers, functions and certificates of the services were among them
    expect(guard.runs.flatMap((run) => run.rules).some((r) => /elasticloadbalancing/.test(r))).toBe(true);
  });

  test('its plan passes every rule, warnings included', () => {
    expect(checkPlan(deployment.plan)).toPassMeridianPolicy({ failOn: 'warning' });
  });

  test('the policy at synth (on the templates) reports nothing: the aliases to the load balancers are not unknown', () => {
    // The records alias each region's ALB through Fn::GetStackOutput; the facts follow it to the load
    // balancer and its region, so the failure simulation routes every population (no unknown warning).
    const meridian = reports.filter((r) => r.pluginName === 'Meridian').flatMap((r) => r.violations ?? [])
      .map((v) => `${v.ruleName} on ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`);
    expect(meridian).toEqual([]);
    const policy = deployment.policy;
    expect(policy?.reports.length).toBeGreaterThan(0);
    const open = (policy?.reports ?? []).flatMap((r) => r.findings).filter((f) => !f.suppressed && f.severity !== 'info');
    expect(open.map((f) => `${f.ruleId} ${f.resource}`)).toEqual([]);
  });

  test('a finding about the records points at the DNS stack: the primary probing the secondary\'s load balancer', () => {
    // GIVEN a second synth (no other plugin, no built-in validation) whose PRIMARY record probes us-west-2
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-with-services-mutated-'));
    try {
      const { app: mutatedApp, deployment: mutated } = build(new App({ outdir: dir, context: cdkContextOf('with-services'), builtinCloudFormationValidation: false }));
      const records = mutated.dnsStack.node.findAll().filter((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet);
      const primary = records.find((r) => r.failover === 'PRIMARY');
      const secondary = records.find((r) => r.failover === 'SECONDARY');
      if (!primary || !secondary) throw new Error('no failover pair');
      primary.healthCheckId = secondary.healthCheckId;
      // WHEN synthesized
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        mutatedApp.synth();
      } finally {
        spy.mockRestore();
      }
      // THEN us-east-1's users stay on its load balancer while it is down (the record does not evaluate its
      // target and its health check probes us-west-2), and the report points at that record in the DNS stack
      const findings = (mutated.policy?.reports ?? []).flatMap((r) => r.findings).filter((f) => f.ruleId === 'GEO-FAILURE-002');
      expect(findings.map((f) => ({ resource: f.resource, region: f.region, unknown: f.unknown }))).toEqual([
        { resource: 'api.shop.example.com', region: 'us-east-1', unknown: false },
      ]);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; violations?: Violation[] }> };
      const paths = report.pluginReports.filter((r) => r.pluginName === 'Meridian').flatMap((r) => r.violations ?? [])
        .filter((v) => v.ruleName === 'GEO-FAILURE-002').flatMap((v) => (v.violatingConstructs ?? []).map((c) => c.constructPath));
      expect(paths).toEqual([primary.node.path]);
      expect(primary.node.path.startsWith(`${mutated.dnsStack.node.path}/`)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('synthesizes offline: no context lookup, which `cdk synth` could only do with credentials', () => {
    // In-process synth records a missing lookup and carries on with dummy values; the CLI fails on it.
    expect(missingContext).toEqual([]);
  });
});

describe('the services', () => {
  const t = (name: string) => Template.fromStack(app.node.findAll().find((c) => (c as { stackName?: string }).stackName === name) as never);

  test('Meridian runs on the team\'s VPCs: the region stacks create none', () => {
    for (const r of deployment.plan.regions) {
      Template.fromStack(deployment.region(r.name).stack).resourceCountIs('AWS::EC2::VPC', 0);
      t(`platform-${r.name}`).resourceCountIs('AWS::EC2::VPC', 1);
    }
  });

  test('per region: an internet-facing HTTPS load balancer in front of the function, in the team\'s VPC', () => {
    for (const r of deployment.plan.regions) {
      const api = t(`${r.stackName}-api`);
      api.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      api.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
      api.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'lambda' });
      api.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: r.endpoint });
      api.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }) });
    }
  });

  test('credentials in every region: each function may connect to its own region\'s cluster with IAM authentication', () => {
    for (const r of deployment.plan.regions) {
      const statements = JSON.stringify(Object.values(t(`${r.stackName}-api`).findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument.Statement));
      expect(statements).toContain('rds-db:connect');
      expect(statements).toContain(`:${r.name}:`);
      expect(statements).toContain('app_user');
      // and the function's network reaches the database port only
      const api = t(`${r.stackName}-api`);
      const egress = Object.values(api.findResources('AWS::EC2::SecurityGroupEgress')).map((e) => [e.Properties.FromPort, e.Properties.ToPort]);
      expect(egress).toEqual([[deployment.plan.data.port, deployment.plan.data.port]]);
      const handlerGroups = Object.values(api.findResources('AWS::EC2::SecurityGroup')).filter((g) => String(g.Properties.GroupDescription).includes('Lambda'));
      expect(handlerGroups.map((g) => g.Properties.SecurityGroupEgress)).toEqual([undefined]);
    }
  });

  test('the function logs to a group encrypted with its region\'s key and kept for the plan\'s retention', () => {
    for (const r of deployment.plan.regions) {
      const api = t(`${r.stackName}-api`);
      const groups = api.findResources('AWS::Logs::LogGroup');
      expect(Object.keys(groups)).toHaveLength(1);
      const [[id, group]] = Object.entries(groups) as [[string, { Properties: Record<string, unknown>; DeletionPolicy?: string }]];
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.Properties.RetentionInDays).toBe(deployment.plan.retention.logRetentionDays);
      // The key is the region's, read from its key stack (a weak reference).
      expect(JSON.stringify(group.Properties.KmsKeyId)).toContain(`${r.stackName}-keys`);
      api.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: id } } });
    }
  });

  test('the team\'s VPCs get their default security group closed (the recommended flag in cdk.json)', () => {
    for (const r of deployment.plan.regions) t(`platform-${r.name}`).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('the region-isolation rehearsal cuts the services\' subnets too: every subnet of the team\'s VPC carries the topology it selects by', () => {
    const iso = Object.values(Template.fromStack(deployment.region('us-east-1').stack).findResources('AWS::FIS::ExperimentTemplate'))
      .find((e) => (e.Properties.Tags as Record<string, string>).Name === 'shop-use1-region-isolation');
    const selected = iso?.Properties.Targets.Subnets.ResourceTags as Record<string, string>;
    expect(selected).toEqual({ 'meridian:topology': 'shop' });
    for (const r of deployment.plan.regions) {
      const subnets = Object.values(t(`platform-${r.name}`).findResources('AWS::EC2::Subnet'));
      // isolated (database), public (load balancer), private with egress (functions), two zones each
      expect(subnets).toHaveLength(6);
      for (const s of subnets) {
        const tags = Object.fromEntries((s.Properties.Tags as { Key: string; Value: string }[]).map((x) => [x.Key, x.Value]));
        expect(tags).toMatchObject(selected);
      }
    }
  });

  test('the records alias the load balancers, and the health checks probe them', () => {
    const dns = Template.fromStack(deployment.dnsStack);
    const probed = Object.values(dns.findResources('AWS::Route53::HealthCheck')).map((h) => JSON.stringify(h.Properties.HealthCheckConfig.FullyQualifiedDomainName));
    expect(probed).toHaveLength(deployment.plan.regions.length);
    for (const r of deployment.plan.regions) {
      expect(probed.some((p) => p.includes(`${r.stackName}-api`) && p.includes('dualstack.'))).toBe(true);
    }
    const records = Object.values(dns.findResources('AWS::Route53::RecordSet')).filter((x) => x.Properties.Failover !== undefined);
    expect(records.map((x) => x.Properties.Type)).toEqual(['A', 'A']);
    expect(records.every((x) => JSON.stringify(x.Properties.AliasTarget).includes('-api'))).toBe(true);
  });
});
