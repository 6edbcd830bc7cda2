/**
 * Applies the plan's tags to a construct tree. Tags carry meaning into the synthesized templates
 * (`meridian:topology`, `meridian:region-role`, …): the facts reader of the policy engine uses them.
 */
import { RemovalPolicy, Tags, Token, type TagProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { MeridianValidationError, type GeoPlan, type PlannedRegion, type PlannedRemoval } from '../model';

const REMOVAL: Readonly<Record<PlannedRemoval, RemovalPolicy>> = { retain: RemovalPolicy.RETAIN, snapshot: RemovalPolicy.SNAPSHOT };

/** The CloudFormation removal policy of a planned removal (`plan.retention`). */
export function removalPolicy(removal: PlannedRemoval): RemovalPolicy {
  return REMOVAL[removal];
}

/** The tags `applyTags` gave each scope (to every taggable resource below it, at the default priority). */
const APPLIED = new WeakMap<IConstruct, ReadonlyMap<string, string>>();

/**
 * Adds every tag to `scope` and all taggable resources below it (`props` narrows the resources). A tag
 * that an enclosing scope already got from here with the same value is skipped: that scope's tag
 * reaches the same resources with the same value and priority, and each `Tags.of(...).add` is an
 * aspect that visits every construct below its scope at synth (a deployment's stacks and the
 * constructs inside them carry the same plan and region tags).
 */
export function applyTags(scope: IConstruct, tags: Readonly<Record<string, string>>, props?: TagProps): void {
  const inherited = new Map<string, string>();
  // Outermost first, so that a nearer scope's value wins, as the nearer aspect does at synth.
  for (const s of scope.node.scopes) if (s !== scope) for (const [k, v] of APPLIED.get(s) ?? []) inherited.set(k, v);
  for (const [key, value] of Object.entries(tags)) {
    if (inherited.get(key) !== value) Tags.of(scope).add(key, value, props);
  }
  // Only tags that reach every taggable resource below can stand in for a nearer scope's own.
  if (props === undefined) APPLIED.set(scope, new Map([...(APPLIED.get(scope) ?? []), ...Object.entries(tags)]));
}

/** The planned region named `region`, or a clear error naming the allowed regions. */
export function findRegion(plan: GeoPlan, region: string, who: string): PlannedRegion {
  const found = plan.regions.find((r) => r.name === region);
  if (!found) {
    throw new MeridianValidationError({ construct: who, prop: 'region', value: region, allowed: plan.regions.map((r) => r.name).join(', '), message: `region "${region}" is not a region of plan "${plan.name}"; allowed: ${plan.regions.map((r) => r.name).join(', ')}` });
  }
  return found;
}

/**
 * Throws unless `key` is a key of `region`: every regional resource is encrypted with its own region's
 * key, never with another region's. A key whose region is an unresolved token is not judged.
 *
 * @param what the resource the key encrypts, e.g. `the alert topic`
 */
export function checkKeyRegion(key: kms.IKey, region: string, who: string, what: string): void {
  const keyRegion = key.env.region;
  if (!Token.isUnresolved(keyRegion) && keyRegion !== region) {
    throw new MeridianValidationError({ construct: who, prop: 'key', value: keyRegion, allowed: `a key of ${region}`, message: `key is a key of ${keyRegion}; ${what} in ${region} must be encrypted with ${region}'s own key` });
  }
}
