/**
 * The choice of Control Tower rule files in ./cfn-guard.ts: each is kept for the resource types its rules
 * on templates select, and a rule file left out of a template's run could only have skipped it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { controlTowerRules, controlTowerRulesFor, selectedTypes } from './cfn-guard';

const rule = (id: string) => {
  const found = controlTowerRules().find((r) => path.basename(r.file) === `${id}.guard`);
  if (found === undefined) throw new Error(`no bundled rule file ${id}.guard`);
  return found;
};

test('every bundled rule file is in the shape read there: its selections decide, not the fallback to every type it names', () => {
  const files = controlTowerRules();
  expect(files.length).toBeGreaterThan(200);
  const outOfShape = files.filter((r) => selectedTypes(fs.readFileSync(r.file, 'utf8')) === undefined).map((r) => path.basename(r.file));
  expect(outOfShape).toEqual([]);
});

test('a rule file is kept for the types it selects: not for a type it only looks up, nor for its header\'s spelling', () => {
  // ct-apigateway-pr-4 selects API Gateway V2 stages and looks log groups up by reference from them
  expect(rule('ct-apigateway-pr-4').types).toEqual(['AWS::ApiGatewayV2::Stage']);
  expect(controlTowerRulesFor(['AWS::Logs::LogGroup'])).not.toContain(rule('ct-apigateway-pr-4').file);
  expect(controlTowerRulesFor(['AWS::Logs::LogGroup'])).toContain(rule('ct-cloudwatch-pr-3').file);
  // ct-autoscaling-pr-6's header says "AWS::AutoScaling::AutoscalingGroup"; its selection has the real type
  expect(rule('ct-autoscaling-pr-6').types).toEqual(['AWS::AutoScaling::AutoScalingGroup']);
  // two selections, one template rule each
  expect(rule('ct-ec2-pr-3').types.sort()).toEqual(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress']);
});

test('a rule file out of shape is not read by its selections', () => {
  const selection = 'let X = "AWS::SNS::Topic"\nlet topics = Resources.*[ Type == %X ]\n';
  expect(selectedTypes(`${selection}rule r when is_cfn_template(this) %topics not empty {\n  %topics.Properties exists\n}\n`)).toEqual(['AWS::SNS::Topic']);
  // a rule on templates that runs whatever the template holds
  expect(selectedTypes(`${selection}rule r when is_cfn_template(this) {\n  Resources exists\n}\n`)).toBeUndefined();
  expect(selectedTypes(`${selection}rule r {\n  Resources exists\n}\n`)).toBeUndefined();
  // a selection by a name that is not a type constant
  expect(selectedTypes('let t = Resources.*[ Type == %UNKNOWN ]\nrule r when is_cfn_template(this) %t not empty {\n  %t exists\n}\n')).toBeUndefined();
  // hook rules and helpers with parameters are not rules on templates
  expect(selectedTypes(`${selection}rule r when is_cfn_hook(%INPUT_DOCUMENT, %X) {\n  x exists\n}\nrule h(doc) {\n  %doc exists\n}\nrule r when is_cfn_template(%INPUT_DOCUMENT) %topics not empty {\n  x exists\n}\n`)).toEqual(['AWS::SNS::Topic']);
});

test('cfn-guard: a rule file reports on the type it selects, and has nothing to say about a template without it', () => {
  // GIVEN a template with an API Gateway V2 stage without access logs, and one with only a log group
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-cfn-guard-'));
  try {
    const write = (name: string, resources: Record<string, unknown>) => {
      const file = path.join(dir, `${name}.template.json`);
      fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
      return file;
    };
    const logs = { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } };
    const stage = write('stage', { ...logs, Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: 'api', StageName: 'prod' } } });
    const onlyLogs = write('logs', logs);
    const guard = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [rule('ct-apigateway-pr-4').file] });
    // WHEN / THEN
    const ruleNames = (templatePath: string) => guard.validate({ templatePaths: [templatePath] } as unknown as Parameters<CfnGuardValidator['validate']>[0]).violations.map((v) => v.ruleName);
    expect(ruleNames(stage)).toEqual(['api_gw_v2_access_logs_enabled_check']);
    expect(ruleNames(onlyLogs)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
