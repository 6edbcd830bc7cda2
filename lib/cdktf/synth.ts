import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import type { GeoPlan } from '../model/plan-types';
import { GeoTerraformStack, type GeoTerraformStackProps } from './deployment';
import { synthesizingOnce } from './synthesize-once';

export interface SynthesizeOptions extends Omit<GeoTerraformStackProps, 'plan'> {
  /** Output directory of the cdktf app (`cdktf.out` layout: `stacks/<plan name>/cdk.tf.json`). */
  readonly outdir: string;
}

export interface SynthesizeResult {
  readonly stack: GeoTerraformStack;
  /** Path of the synthesized `cdk.tf.json`. */
  readonly file: string;
  /** The synthesized Terraform JSON. */
  readonly json: TerraformJson;
}

/** Terraform JSON configuration as cdktf writes it. */
export type TerraformJson = {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, unknown>;
  readonly terraform?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly [k: string]: unknown;
};

/**
 * Renders a plan as one Terraform stack named after the plan and writes it to `outdir` (no terraform
 * binary, no cdktf CLI, no network). Validations run; policy errors throw before anything is written.
 */
export function synthesizeGeoPlan(plan: GeoPlan, options: SynthesizeOptions): SynthesizeResult {
  const { outdir, ...stackProps } = options;
  const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: false });
  const stack = new GeoTerraformStack(app, plan.name, { ...stackProps, plan });
  // The policy gate's check and the file read one synthesis of the stack (./synthesize-once.ts).
  synthesizingOnce(stack, () => app.synth());
  // Policy warnings (of the plan and of the synthesized JSON) are annotations; without the cdktf CLI
  // nobody would show them.
  for (const m of stack.node.metadata) {
    if (m.type === '@cdktf/warn' && /^GEO-/.test(String(m.data))) process.stderr.write(`meridian: warning: ${String(m.data)}\n`);
  }
  const file = path.join(outdir, 'stacks', plan.name, 'cdk.tf.json');
  return { stack, file, json: JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson };
}

/**
 * Renders a plan to Terraform JSON in memory (nothing written): the same document `synthesizeGeoPlan`
 * writes to `cdk.tf.json`. Validations run; policy errors throw. For pipelines and facts readers.
 */
export function renderGeoPlanJson(plan: GeoPlan, props: Omit<GeoTerraformStackProps, 'plan'> = {}): { stack: GeoTerraformStack; json: TerraformJson } {
  const app = new App({ stackTraces: false, hclOutput: false, skipValidation: false });
  const stack = new GeoTerraformStack(app, plan.name, { ...props, plan });
  // No `prepareStack()`: its resolve pass only registers references to other stacks (cdktf's
  // `Reference.resolve` when preparing), and this app has none; the JSON is the same without it
  // (test/cdktf/variants.test.ts compares it with synthesizeGeoPlan's file). The policy gate's check and
  // the result read one synthesis of the stack (./synthesize-once.ts).
  const json = synthesizingOnce(stack, () => {
    stack.runAllValidations();
    return stack.toTerraform() as unknown;
  });
  return { stack, json: JSON.parse(JSON.stringify(json)) as TerraformJson };
}
