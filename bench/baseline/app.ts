/**
 * The synth-overhead baseline: a deployment's stacks and resources declared directly with aws-cdk-lib,
 * no Meridian code. Every resource is an L1 `CfnResource` with its type, properties, deletion and
 * replacement policies and in-stack dependencies; every stack has its name, environment, termination
 * protection, description, tags, outputs and cross-stack dependencies. That is the least any
 * aws-cdk-lib app declaring the same resources does at synth (an app written with L2 constructs does
 * more), so Meridian's synth time over this baseline's is an upper bound of its overhead.
 *
 * The description comes from a cloud assembly (`describeAssembly`), so the baseline follows the
 * default deployment as it changes; bench/run.ts checks that both synthesize the same resources
 * before it times them. This file imports aws-cdk-lib and Node only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, CfnResource, Lazy, Stack, Tags, Token, type CfnDeletionPolicy } from 'aws-cdk-lib';
import { need } from '../../lib/model/lookup';

/** One resource of a template. */
export interface BaselineResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | string[];
}

/** One stack: what its template and its manifest entry say. */
export interface BaselineStack {
  readonly id: string;
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly terminationProtection: boolean;
  readonly description?: string;
  readonly tags: Record<string, string>;
  readonly resources: Record<string, BaselineResource>;
  readonly outputs: Record<string, { readonly Value: unknown }>;
  /** Ids of the stacks this one deploys after. */
  readonly dependsOn: string[];
}

interface Manifest {
  readonly artifacts: Record<string, {
    type: string; environment?: string; dependencies?: string[];
    properties?: { templateFile?: string; stackName?: string; terminationProtection?: boolean; tags?: Record<string, string> };
  }>;
}

/** The stacks of a cloud assembly, as the baseline declares them (CDK's own metadata left out). */
export function describeAssembly(dir: string): BaselineStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const ids = new Set(stacks.map(([id]) => id));
  return stacks.map(([id, a]) => {
    const template = JSON.parse(fs.readFileSync(path.join(dir, a.properties?.templateFile ?? `${id}.template.json`), 'utf8')) as {
      Description?: string; Resources: Record<string, BaselineResource & { Metadata?: unknown }>; Outputs?: Record<string, { Value: unknown }>;
    };
    const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment ?? '') ?? [];
    const resources = Object.fromEntries(Object.entries(template.Resources)
      .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
      // DependsOn as a sorted list: its order means nothing to CloudFormation.
      .map(([logicalId, { Metadata: _metadata, DependsOn, ...r }]) => [logicalId, DependsOn === undefined ? r : { ...r, DependsOn: [DependsOn].flat().sort() }]));
    return {
      id,
      stackName: a.properties?.stackName ?? id,
      account: account === 'unknown-account' ? undefined : account,
      region: region === 'unknown-region' ? undefined : region,
      terminationProtection: a.properties?.terminationProtection ?? false,
      description: template.Description,
      tags: a.properties?.tags ?? {},
      resources,
      outputs: template.Outputs ?? {},
      dependsOn: (a.dependencies ?? []).filter((d) => ids.has(d)).sort(),
    };
  });
}

/** Declares the stacks in `app`; returns them by id. */
export function buildBaseline(app: App, stacks: readonly BaselineStack[]): Record<string, Stack> {
  const built: Record<string, Stack> = {};
  for (const s of stacks) {
    const stack = new Stack(app, s.id, {
      stackName: s.stackName,
      env: { account: s.account, region: s.region },
      terminationProtection: s.terminationProtection,
      description: s.description,
    });
    for (const [key, value] of Object.entries(s.tags)) Tags.of(stack).add(key, value);
    const resources: Record<string, CfnResource> = {};
    for (const [logicalId, r] of Object.entries(s.resources)) {
      const resource = new CfnResource(stack, logicalId, { type: r.Type, properties: r.Properties });
      resource.overrideLogicalId(logicalId);
      if (r.DeletionPolicy) resource.cfnOptions.deletionPolicy = r.DeletionPolicy as CfnDeletionPolicy;
      if (r.UpdateReplacePolicy) resource.cfnOptions.updateReplacePolicy = r.UpdateReplacePolicy as CfnDeletionPolicy;
      resources[logicalId] = resource;
    }
    for (const [logicalId, r] of Object.entries(s.resources)) {
      for (const on of r.DependsOn === undefined ? [] : [r.DependsOn].flat()) need(resources, logicalId, 'resource').addResourceDependency(need(resources, on, 'DependsOn target'));
    }
    for (const [outputId, o] of Object.entries(s.outputs)) {
      // Values are intrinsics ({ Ref }, { Fn::GetAtt }); a lazy token hands them to the template as they are.
      const output = new CfnOutput(stack, outputId, { value: Token.asString(Lazy.any({ produce: () => o.Value })) });
      output.overrideLogicalId(outputId);
    }
    built[s.id] = stack;
  }
  for (const s of stacks) for (const d of s.dependsOn) need(built, s.id, 'stack').addStackDependency(need(built, d, 'stack dependency'));
  return built;
}
