/**
 * cfn-guard with the AWS Control Tower rules bundled in `@cdklabs/cdk-validator-cfnguard`, limited to
 * the rules that can apply to the templates at hand.
 *
 * The plugin runs the cfn-guard binary once over every template with all 237 rule files, and cfn-guard
 * evaluates every rule file against every template: about 0.55 s of CPU per template, nearly all of it
 * on rules about services the templates do not use (API Gateway, CloudFront, …). Each Control Tower
 * rule selects its resources by type (`Resources.*[ Type == %X ]`, where `let X = "AWS::…"` names the
 * type in the rule file), and when a template holds no resource of those types the rule SKIPs: it
 * cannot report a violation. So the rule files that name none of the templates' resource types are
 * left out; a rule file that names no resource type at all is kept. Measured on the three examples'
 * 33 templates: 54 of 237 rule files, 4.6 s of CPU instead of 19 s, and the same non-compliant results;
 * 3.4 s when templates with the same rules are checked together, one run per group.
 */
import * as fs from 'fs';
import * as path from 'path';

const RULES_DIR = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
const TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

function ruleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? ruleFiles(p) : e.name.endsWith('.guard') ? [p] : [];
  }).sort();
}

let rules: Array<{ file: string; types: string[] }> | undefined;

/** Every bundled Control Tower rule file with the resource types it names. */
export function controlTowerRules(): Array<{ file: string; types: string[] }> {
  rules ??= ruleFiles(RULES_DIR).map((file) => ({ file, types: [...new Set(fs.readFileSync(file, 'utf8').match(TYPE) ?? [])] }));
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
