/**
 * The synth-time policy gate: a CDK policy-validation plugin (the interface cdk-nag 3 implements) that
 * reads the templates CDK has just written, turns them into facts (lib/facts) and runs the policy rules.
 * Because it judges the output, not the plan, an escape hatch that breaks a rule
 * (`(record.node.defaultChild as CfnRecordSet).ttl = '300'`) fails `cdk synth`, and every stack of the
 * app is checked, including a user's own. Findings appear in CDK's validation report next to cdk-nag's.
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.IPolicyValidationPluginBeta1.html
 */
import { readFileSync } from 'fs';
import { basename } from 'path';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type {
  IPolicyValidationContext, IPolicyValidationContextBeta1, IPolicyValidationPlugin, IPolicyValidationPluginBeta1,
  PolicyValidationPluginReport, PolicyViolation,
} from 'aws-cdk-lib';
import { factsFromTemplates, type TemplateInput } from '../facts/from-cloudformation';
import { dnsSource, factFiles, factSources } from '../facts/sources';
import type { SourceLocation } from '../facts/types';
import { PolicyViolationError } from '../model/errors';
import { evaluate, RULES, summarise } from '../policy';
import type { Finding, Report, Rule, Severity } from '../policy/types';

/** Thrown by library callers that turn a report into an exception (one class for the library). */
export { PolicyViolationError };

/** Props of {@link MeridianPolicyValidation}. */
export interface MeridianPolicyValidationProps {
  /**
   * The rules to run.
   *
   * @default - every rule of the registry (`RULES` of `meridian-geo/policy`)
   */
  readonly rules?: readonly Rule[];
  /**
   * Severity of findings the rules could not decide (a value the templates do not resolve).
   *
   * @default 'warning'
   */
  readonly unknown?: Severity;
  /**
   * Evaluation time, for suppression expiry.
   *
   * @default - now
   */
  readonly now?: Date;
}

/** The validation-report id of a rule, for `Validations.of(scope).acknowledge({ id, reason })`: `Meridian::GEO-DNS-001`. */
export function ruleValidationId(ruleId: string): string {
  return `${MeridianPolicyValidation.PLUGIN_NAME}::${ruleId}`;
}

function describe(f: Finding): string {
  const where = f.region && !f.resource.includes(f.region) ? `${f.resource} (${f.region})` : f.resource;
  const value = f.value !== undefined ? `; value ${String(f.value)}${f.limit !== undefined ? `, limit ${String(f.limit)}` : ''}` : '';
  return `${f.unknown ? '(unknown) ' : ''}${where}: ${f.message}${value}`;
}

/**
 * Registers with `Validations.of(app).addPlugins(new MeridianPolicyValidation())` ({@link GeoDeployment}
 * does it for its stage). At synth it:
 *
 * - reads every template of the stage with each stack's region and stack-level tags, and groups resources
 *   into topologies, one per deployment, by their `meridian:topology` tag or their stack's (see
 *   `factsFromTemplates`; a user's untagged resources that belong to no deployment form one more group);
 * - reports each unsuppressed error and warning finding as a violation named by its rule id, pointing
 *   at the resource's logical id in its template (the stack's template when the finding is about a
 *   region or the whole topology); info findings stay in `meridian check`;
 * - fails synthesis when an error finding remains. Suppressions written in the spec travel in each
 *   stack's template metadata (`Metadata.meridian.suppressions`) and are applied by the engine; a
 *   warning (or any finding) can also be acknowledged the CDK way, per construct:
 *   `Validations.of(scope).acknowledge({ id: 'Meridian::GEO-CAPACITY-001', reason })`.
 */
export class MeridianPolicyValidation implements IPolicyValidationPlugin, IPolicyValidationPluginBeta1 {
  /** The plugin's name in CDK's validation report, and the namespace of its rule ids. */
  public static readonly PLUGIN_NAME = 'Meridian';

  public readonly name = MeridianPolicyValidation.PLUGIN_NAME;
  public readonly ruleIds: string[];
  /** The engine's reports of the last validation, one per topology (for programmatic callers and tests). */
  public reports: readonly Report[] = [];
  private readonly rules: readonly Rule[];

  constructor(private readonly props: MeridianPolicyValidationProps = {}) {
    this.rules = props.rules ?? RULES;
    this.ruleIds = this.rules.map((r) => r.id);
  }

  public validate(context: IPolicyValidationContext | IPolicyValidationContextBeta1): PolicyValidationPluginReport & { violations: Array<PolicyViolation & { violatingResources: Array<{ resourceLogicalId: string; templatePath: string; locations: string[] }> }> } {
    const stacks = 'stackTemplates' in context && context.stackTemplates
      ? context.stackTemplates
      : context.templatePaths.map((templatePath) => ({ templatePath, region: undefined, accountId: undefined, stackConstructPath: undefined }));
    // Each stack by its construct path: its CloudFormation name (what Fn::GetStackOutput names) and its
    // stack-level tags (the topology of a stack whose resources take no tags). Looked up along the path
    // (construct ids never contain '/') rather than by walking every construct of the app.
    const stackAt = (path: string | undefined): Stack | undefined => {
      let c: IConstruct | undefined = path ? context.appConstruct : undefined;
      for (const id of path?.split('/') ?? []) c = c?.node.tryFindChild(id);
      return c !== undefined && Stack.isStack(c) ? c : undefined;
    };
    const inputs: TemplateInput[] = stacks.map((s) => {
      const stack = stackAt(s.stackConstructPath);
      return {
        file: s.templatePath,
        stackName: stack?.stackName || basename(s.templatePath).replace(/\.template\.json$/, ''),
        // Environment-agnostic stacks have no region; the facts then say unknown, never a guess.
        region: s.region,
        account: s.accountId,
        // No `text`: violations point at logical ids, so line numbers (a scan of every template) are not needed.
        template: JSON.parse(readFileSync(s.templatePath, 'utf8')) as unknown,
        tags: stack?.tags.tagValues(),
      };
    });
    const set = factsFromTemplates(inputs);
    const level = this.props.unknown ?? 'warning';
    this.reports = set.facts.map((facts) => {
      const report = evaluate(facts, { now: this.props.now, rules: this.rules });
      const findings = report.findings.map((f) => (f.unknown ? { ...f, severity: level } : f));
      return { ...report, findings, summary: summarise(findings, report.summary.rulesEvaluated) };
    });

    const remediation = new Map(this.rules.map((r) => [r.id, r.remediation]));
    const stackOf = (file: string | undefined) => (file === undefined ? undefined : stacks.find((i) => i.templatePath === file));
    const violations = this.reports.flatMap((report, i) => {
      const reported = report.findings.filter((f) => !f.suppressed && f.severity !== 'info');
      // Nothing to place (the common case): the index of where facts are written is not needed.
      if (reported.length === 0) return [];
      const facts = set.facts[i];
      const byId = facts ? factSources(facts) : new Map<string, SourceLocation>();
      // The topology's own stacks: a finding never points into another deployment's (or a user's unrelated) stack.
      const files = factFiles(byId);
      const own = stacks.filter((x) => files.includes(x.templatePath));
      const dnsStack = facts ? stackOf(dnsSource(facts)?.file) : undefined;
      return reported.map((f) => {
        const found = byId.get(f.resource) ?? (f.region ? byId.get(f.region) : undefined);
        const src = found?.id ? found : undefined;
        // Findings about a region or the whole topology point at a stack of that region, else the
        // topology's DNS stack (or its first), whose construct path lets `Validations.of(scope).acknowledge` match them.
        const stack = src ? undefined : stackOf(found?.file) ?? own.find((x) => x.region !== undefined && x.region === f.region)
          ?? dnsStack ?? own[0] ?? stacks[0];
        return {
          ruleName: f.ruleId,
          description: `${f.title}: ${describe(f)}`,
          fix: remediation.get(f.ruleId),
          severity: f.severity,
          ruleMetadata: { resource: f.resource, ...(f.region ? { region: f.region } : {}), ...(report.topology ? { topology: report.topology } : {}) },
          violatingResources: [{
            resourceLogicalId: src?.id ?? '',
            templatePath: src?.file ?? stack?.templatePath ?? '',
            ...(stack?.stackConstructPath ? { constructPath: stack.stackConstructPath } : {}),
            locations: [],
          }],
        };
      });
    });
    return {
      success: !this.reports.some((r) => r.findings.some((f) => !f.suppressed && f.severity === 'error')),
      violations,
    };
  }
}
