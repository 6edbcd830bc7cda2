/**
 * Reads facts from any path the CLI is given, detecting what it is by content: a spec (YAML or JSON with
 * a spec's shape), a CDK cloud assembly folder (manifest.json), a CloudFormation template, a cdktf.out
 * folder or Terraform JSON. Input it cannot read is a FactsInputError naming the file, in one line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FactsInputError } from './errors';
import { factsFromCloudAssembly, factsFromTemplates, readJsonFile } from './from-cloudformation';
import { factsFromTerraform, terraformFiles } from './from-terraform';
import type { FactsSet, InputKind } from './types';

const defaultRead = (f: string) => fs.readFileSync(f, 'utf8');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether any value of `resources` is an object with a string `Type` (stops at the first; lists no values). */
function someResourceHasType(resources: Record<string, unknown>): boolean {
  for (const id in resources) {
    if (!Object.prototype.hasOwnProperty.call(resources, id)) continue;
    const r = resources[id];
    if (isObject(r) && typeof r.Type === 'string') return true;
  }
  return false;
}

/** What a parsed JSON document is, by its shape; undefined when none fits. */
export function jsonKind(json: unknown): InputKind | undefined {
  if (!isObject(json)) return undefined;
  if (isObject(json.Resources) && (json.AWSTemplateFormatVersion !== undefined || someResourceHasType(json.Resources))) return 'cloudformation-template';
  if (isObject(json.resource) || isObject(json.provider) || isObject(json.terraform)) return 'terraform';
  if (isObject(json.artifacts) && typeof json.version === 'string') return 'cloud-assembly';
  if (typeof json.name === 'string' && Array.isArray(json.regions)) return 'spec';
  return undefined;
}

export function readFactsFromPath(p: string, opts: { readText?: (file: string) => string } = {}): { kind: InputKind; sets: FactsSet } {
  const readText = opts.readText ?? defaultRead;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new FactsInputError(p, 'does not exist');
  }
  if (stat.isDirectory()) {
    const manifest = path.join(p, 'manifest.json');
    // cdktf.out has a manifest.json of its own (with `stacks`); a cloud assembly's has `artifacts`.
    if (fs.existsSync(manifest) && isObject(parse(manifest, readText).json) && 'artifacts' in (parse(manifest, readText).json as object)) {
      return { kind: 'cloud-assembly', sets: factsFromCloudAssembly(p, { readText }) };
    }
    const tf = terraformFiles(p);
    if (tf.length > 0) {
      const inputs = tf.map((file) => ({ file, ...parse(file, readText) })).map(({ file, json, text }) => ({ file, json, text }));
      return { kind: 'terraform', sets: factsFromTerraform(inputs, path.basename(path.resolve(p))) };
    }
    const templates = fs.readdirSync(p).filter((f) => f.endsWith('.template.json')).sort();
    if (templates.length > 0) {
      const inputs = templates.map((f) => path.join(p, f)).map((file) => {
        const { json, text } = parse(file, readText);
        return { file, stackName: path.basename(file, '.template.json'), region: undefined, template: json, text };
      });
      return { kind: 'cloudformation-template', sets: factsFromTemplates(inputs, path.basename(path.resolve(p))) };
    }
    throw new FactsInputError(p, 'holds no cloud assembly (manifest.json), Terraform JSON (*.tf.json, stacks/*/cdk.tf.json) or CloudFormation template (*.template.json)');
  }
  if (/\.ya?ml$/i.test(p)) return { kind: 'spec', sets: specFacts(p) };
  const { json, text } = parse(p, readText);
  const kind = jsonKind(json);
  switch (kind) {
    case 'spec': return { kind, sets: specFacts(p) };
    case 'cloudformation-template':
      return { kind, sets: factsFromTemplates([{ file: p, stackName: path.basename(p).replace(/(\.template)?\.json$/, ''), region: undefined, template: json, text }], path.basename(p)) };
    case 'terraform': return { kind, sets: factsFromTerraform([{ file: p, json, text }], path.basename(p)) };
    case 'cloud-assembly': return readFactsFromPath(path.dirname(p), opts);
    default:
      throw new FactsInputError(p, 'is neither a spec, a CloudFormation template, a cloud assembly manifest nor Terraform JSON');
  }
}

function parse(file: string, readText: (f: string) => string): { json: unknown; text: string } {
  return readJsonFile(file, readText);
}

/**
 * Facts of a spec file. The YAML parser, the spec schema and the planner are required here, on the one path
 * that reads a spec, so reading a template or Terraform JSON loads none of them.
 */
function specFacts(file: string): FactsSet {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadSpecFile } = require('../model/load') as typeof import('../model/load');
  const { planParsed } = require('../model/plan') as typeof import('../model/plan');
  const { factsFromPlan } = require('./from-plan') as typeof import('./from-plan');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // loadSpecFile has run the schema: plan without a second pass, as `meridian check` does.
  return { facts: [factsFromPlan(planParsed(loadSpecFile(file)))], files: [file] };
}
