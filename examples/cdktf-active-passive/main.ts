/**
 * Active-passive deployment of examples/specs/orders.yaml rendered with CDK for Terraform.
 *
 *   npx ts-node --transpile-only -r ./examples/from-source.ts examples/cdktf-active-passive/main.ts
 *
 * writes examples/cdktf-active-passive/cdktf.out/stacks/orders/cdk.tf.json — offline, with no terraform
 * binary and no cdktf CLI. `cdktf synth` in this folder runs the same file (see cdktf.json).
 */
import * as path from 'path';
// The one entry point a CDK for Terraform project needs: it re-exports loadSpecFile and plan.
import { loadSpecFile, plan, synthesizeGeoPlan } from 'meridian-geo/cdktf';

const here = __dirname;
const specFile = process.env.MERIDIAN_SPEC ?? path.join(here, '..', 'specs', 'orders.yaml');
const outdir = process.env.CDKTF_OUTDIR ?? path.join(here, 'cdktf.out');

const started = Date.now();
const geoPlan = plan(loadSpecFile(specFile));
// The default local state lives next to cdktf.out (relative, so the output is the same in every checkout),
// never inside the build output.
const { file, json } = synthesizeGeoPlan(geoPlan, { outdir });
const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
console.log(`synthesized ${geoPlan.name}: ${resources} resources -> ${path.relative(process.cwd(), file)} (${Date.now() - started} ms)`);
