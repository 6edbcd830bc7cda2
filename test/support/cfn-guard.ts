/**
 * cfn-guard with the AWS Control Tower rules bundled in `@cdklabs/cdk-validator-cfnguard`, limited to
 * the rules that can apply to the templates at hand.
 *
 * The plugin runs the cfn-guard binary once over every template with all 237 rule files, and cfn-guard
 * evaluates every rule file against every template: about 12 ms of CPU per rule file and template,
 * whatever the rule is about. A Control Tower rule file has one shape: top-level selections
 * (`let x = Resources.*[ Type == %X ]`, where `let X = "AWS::…"` names the type), rules on templates
 * that run only `when is_cfn_template(…) %x not empty`, rules on hook documents
 * (`when is_cfn_hook(doc, T)`: the document's top-level `T.resourceProperties`, which no template has),
 * and helper rules with parameters that only those call. So a rule file whose selections find nothing
 * in a template SKIPs it: it cannot report a violation (each file's own header says so, "Scenario 1 …
 * does not contain any … resources, Then: SKIP"; Guard's rule syntax:
 * https://docs.aws.amazon.com/cfn-guard/latest/ug/writing-rules.html). The rule files are kept for the types their
 * template rules select (`selectedTypes`); a file not in that shape is kept for every type it names.
 * Neither the "Reports on" header (ct-autoscaling-pr-6 spells its type "AutoscalingGroup") nor every
 * type a file names (ct-apigateway-pr-4 names log groups, which its stage rule only looks up) is the
 * selection. Measured on the examples' 33 templates and with-services' 11: 67 of 237 rule files kept
 * for with-services, 48 by selection; the same non-compliant results, and every rule file left out
 * SKIPs every template it was left out for.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

const RULES_DIR = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
const TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

function ruleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? ruleFiles(p) : e.name.endsWith('.guard') ? [p] : [];
  }).sort();
}

/**
 * The resource types that the rules on templates in a Control Tower rule file select (see the header),
 * or undefined when the file is not in that shape.
 */
export function selectedTypes(source: string): string[] | undefined {
  const code = source.replace(/^\s*#.*$/gm, '');
  const constants = new Map([...code.matchAll(/^let\s+(\w+)\s*=\s*["'](AWS::[^"']+)["']/gm)].map((m) => [m[1], m[2]]));
  const selections = new Map<string, string[] | undefined>();
  for (const [, name, filter = ''] of code.matchAll(/^let\s+(\w+)\s*=\s*Resources(?:\.\*)?\[([^\]]*)\]/gm)) {
    const named = [...filter.matchAll(/%(\w+)/g)].map(([, c]) => constants.get(c ?? ''));
    selections.set(name ?? '', named.some((t) => t === undefined) ? undefined : [...(filter.match(TYPE) ?? []), ...named as string[]]);
  }
  const types = new Set<string>();
  for (const [, params, when = ''] of code.matchAll(/^rule\s+\w+\s*(\([^)]*\))?\s*(?:when\b([^{]*))?\{/gm)) {
    if (params !== undefined || /^\s*is_cfn_hook\(/.test(when)) continue;
    const guard = /^\s*is_cfn_template\((?:%INPUT_DOCUMENT|this)\)\s+%(\w+)\s+not\s+empty\s*$/.exec(when);
    const selected = guard === null ? undefined : selections.get(guard[1] ?? '');
    if (selected === undefined || selected.length === 0) return undefined;
    selected.forEach((t) => types.add(t));
  }
  return types.size > 0 ? [...types] : undefined;
}

let rules: Array<{ file: string; types: string[] }> | undefined;

/** Every bundled Control Tower rule file with the resource types it selects (or, out of shape, names). */
export function controlTowerRules(): Array<{ file: string; types: string[] }> {
  rules ??= ruleFiles(RULES_DIR).map((file) => {
    const source = fs.readFileSync(file, 'utf8');
    return { file, types: selectedTypes(source) ?? [...new Set(source.match(TYPE) ?? [])] };
  });
  return rules;
}

/**
 * The Control Tower rule files that can apply to templates holding resources of `types`, for
 * `new CfnGuardValidator({ controlTowerRulesEnabled: false, rules })`.
 */
export function controlTowerRulesFor(types: Iterable<string>): string[] {
  const present = new Set(types);
  return controlTowerRules().filter((r) => r.types.length === 0 || r.types.some((t) => present.has(t))).map((r) => r.file);
}

/** The resource types of CloudFormation templates. */
export function resourceTypes(templates: Iterable<{ Resources?: Record<string, { Type?: unknown }> }>): Set<string> {
  const out = new Set<string>();
  for (const t of templates) for (const r of Object.values(t.Resources ?? {})) if (typeof r.Type === 'string') out.add(r.Type);
  return out;
}

/** The templates of `templatePaths` by the Control Tower rule files that can apply to each (templates no rule file can apply to are left out). */
export function controlTowerRuns(templatePaths: readonly string[]): Array<{ rules: string[]; templatePaths: string[] }> {
  const runs = new Map<string, { rules: string[]; templatePaths: string[] }>();
  for (const file of templatePaths) {
    const rules = controlTowerRulesFor(resourceTypes([JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, { Type?: unknown }> }]));
    if (rules.length === 0) continue;
    const key = rules.join('\n');
    const run = runs.get(key) ?? { rules, templatePaths: [] };
    run.templatePaths.push(file);
    runs.set(key, run);
  }
  return [...runs.values()];
}

/**
 * `CfnGuardValidator` with the Control Tower rules as a synth-time plugin, each template checked with the
 * rule files about its own resource types (`controlTowerRuns`: one cfn-guard run per set of rules) instead
 * of every template with the rules about any type of the app. Its report is the plugin's: the same name,
 * the violations of each run, a violation of several runs (same rule, description and fix) as one.
 */
export class ControlTowerGuard implements IPolicyValidationPluginBeta1 {
  public readonly name: string;
  public readonly version: string | undefined;
  /** The cfn-guard runs of the last validation. */
  public runs: Array<{ rules: string[]; templatePaths: string[] }> = [];
  constructor() {
    const plugin = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [] });
    this.name = plugin.name;
    this.version = plugin.version;
  }
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    this.runs = controlTowerRuns(context.templatePaths);
    const violations = new Map<string, PolicyValidationPluginReportBeta1['violations'][number]>();
    let success = true;
    for (const { rules, templatePaths } of this.runs) {
      const report = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate({ ...context, templatePaths });
      success &&= report.success;
      for (const v of report.violations) {
        const key = JSON.stringify([v.ruleName, v.description, v.fix, v.severity]);
        const seen = violations.get(key);
        violations.set(key, seen === undefined ? v : { ...seen, violatingResources: [...seen.violatingResources, ...v.violatingResources] });
      }
    }
    return { success, violations: [...violations.values()] };
  }
}
