/**
 * A Jest snapshot serializer for synthesized CloudFormation templates that keeps snapshots stable
 * across aws-cdk-lib upgrades: what changes with every upgrade (asset hashes, the bootstrap version
 * check, CDK metadata, the custom-resource Node.js runtime map) is replaced by placeholders; what the
 * user wrote is left alone. Works on plain template JSON; loads nothing from aws-cdk-lib.
 */

/** The placeholders the serializer writes. */
export const PLACEHOLDERS = {
  /** A 64-hex asset hash (file and image assets), also inside `<hash>.zip` / `<hash>.json` keys. */
  assetHash: '<asset-hash>',
  /** The bootstrap asset bucket / container repository, `cdk-<qualifier>-assets-…`. */
  assetBucket: '<cdk-assets-bucket>',
  assetRepository: '<cdk-assets-repository>',
  /** The `LatestNodeRuntimeMap` mapping of custom-resource providers. */
  latestNodeRuntimeMap: '<latest-node-runtime-map>',
  /** The Node.js runtime of the CDK's own handler functions (custom-resource providers, singletons). */
  cdkHandlerRuntime: '<cdk-handler-runtime>',
} as const;

/** A CloudFormation template as JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, { readonly Type: string; readonly [key: string]: unknown }>;
  readonly [section: string]: unknown;
}

const ASSET_HASH = /\b[0-9a-f]{64}\b/g;
const ASSET_BUCKET = /cdk-[a-z0-9]+-assets-(?:\$\{AWS::AccountId\}|\d{12})-(?:\$\{AWS::Region\}|[a-z]{2}(?:-[a-z]+)+-\d)/g;
const ASSET_REPOSITORY = /cdk-[a-z0-9]+-container-assets-(?:\$\{AWS::AccountId\}|\d{12})-(?:\$\{AWS::Region\}|[a-z]{2}(?:-[a-z]+)+-\d)/g;
/**
 * Logical ids of the CDK's own handler functions: `…CustomResourceProvider…` (core providers) or a
 * 32-hex singleton UUID (`AWS679f53fac002430cb0da5b7982bd2287`, `LogRetentionaae0aa3c…`).
 */
const CDK_HANDLER_ID = /CustomResourceProvider|[0-9a-f]{32}/;
/** Resource metadata keys the CDK writes (construct paths, asset paths), not the user. */
const CDK_METADATA_KEY = /^aws:(cdk|asset):/;

const normalized = new WeakSet<object>();

/** True for a plain object that looks like a CloudFormation template (has `Resources` with typed entries). */
export function isTemplate(value: unknown): value is TemplateJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const resources = (value as { Resources?: unknown }).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return false;
  return Object.values(resources).every((r) => typeof r === 'object' && r !== null && typeof (r as { Type?: unknown }).Type === 'string');
}

/**
 * A copy of `template` without the noise of a CDK version: `AWS::CDK::Metadata` resources and the
 * `CDKMetadataAvailable` condition, `aws:cdk:*` / `aws:asset:*` resource metadata, the
 * `BootstrapVersion` parameter and `CheckBootstrapVersion` rule, the `LatestNodeRuntimeMap` mapping,
 * the runtime of the CDK's own handler functions, and asset hashes / bootstrap bucket and repository
 * names in every string. Empty sections are dropped.
 */
export function normalizeTemplate<T extends TemplateJson>(template: T): T {
  const out: Record<string, unknown> = {};
  for (const [section, value] of Object.entries(template)) {
    if (section === 'Resources') {
      const resources: Record<string, unknown> = {};
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type === 'AWS::CDK::Metadata') continue;
        resources[id] = normalizeResource(resource, resource.Type === 'AWS::Lambda::Function' && CDK_HANDLER_ID.test(id));
      }
      out.Resources = resources;
    } else if (section === 'Parameters' || section === 'Rules' || section === 'Conditions' || section === 'Mappings') {
      const drop = { Parameters: 'BootstrapVersion', Rules: 'CheckBootstrapVersion', Conditions: 'CDKMetadataAvailable', Mappings: '' }[section];
      const kept: Record<string, unknown> = {};
      for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
        if (name === drop) continue;
        kept[name] = section === 'Mappings' && name === 'LatestNodeRuntimeMap' ? PLACEHOLDERS.latestNodeRuntimeMap : normalizeValue(entry);
      }
      if (Object.keys(kept).length > 0) out[section] = kept;
    } else {
      out[section] = normalizeValue(value);
    }
  }
  return out as T;
}

function normalizeResource(resource: Record<string, unknown>, cdkHandler: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'Metadata' && typeof value === 'object' && value !== null) {
      const kept = Object.fromEntries(Object.entries(value).filter(([k]) => !CDK_METADATA_KEY.test(k)).map(([k, v]) => [k, normalizeValue(v)]));
      if (Object.keys(kept).length > 0) out.Metadata = kept;
      continue;
    }
    out[key] = normalizeValue(value);
  }
  const props = out.Properties as Record<string, unknown> | undefined;
  if (cdkHandler && props && typeof props.Runtime === 'string') {
    out.Properties = { ...props, Runtime: PLACEHOLDERS.cdkHandlerRuntime };
  }
  if (resource.Type === 'AWS::CloudWatch::Dashboard' && props && props.DashboardBody !== undefined) {
    const parsed = parsedDashboardBody(props.DashboardBody);
    if (parsed !== undefined) out.Properties = { ...(out.Properties as object), DashboardBody: { [PARSED_JSON_KEY]: parsed } };
  }
  return out;
}

/** Key under which a dashboard body is printed as parsed JSON (references written `${Logical.Attr}`). */
export const PARSED_JSON_KEY = '<parsed JSON>';

/** A `Ref` / `Fn::GetAtt` as the `${…}` text Fn::Sub would use; undefined for anything else. */
function referenceText(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const o = node as Record<string, unknown>;
  if (typeof o.Ref === 'string') return `\${${o.Ref}}`;
  const att = o['Fn::GetAtt'];
  if (Array.isArray(att) && att.every((x) => typeof x === 'string')) return `\${${att.join('.')}}`;
  return undefined;
}

/**
 * A dashboard body (one JSON document, often an `Fn::Join` of text and references) as a parsed
 * object, so a snapshot prints one widget property per line and a change is a readable diff instead
 * of one multi-kilobyte line. Undefined when the body is not JSON once references become `${…}` text.
 */
function parsedDashboardBody(body: unknown): unknown {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  const join = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['Fn::Join'] : undefined;
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) {
    const parts = (join[1] as unknown[]).map((p) => (typeof p === 'string' ? p : referenceText(p)));
    if (parts.every((p) => p !== undefined)) text = parts.join('');
  }
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeString(value);
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeValue(v)]));
  }
  return value;
}

/** Replaces asset hashes and bootstrap bucket / repository names in one string. */
export function normalizeString(value: string): string {
  return value
    .replace(ASSET_REPOSITORY, PLACEHOLDERS.assetRepository)
    .replace(ASSET_BUCKET, PLACEHOLDERS.assetBucket)
    .replace(ASSET_HASH, PLACEHOLDERS.assetHash);
}

/**
 * pretty-format's printer callback, as Jest passes it to `serialize`. `config` and `refs` are
 * pretty-format's own types, passed through untouched (typed loosely so that this module needs no
 * pretty-format types).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Printer = (value: unknown, config: any, indentation: string, depth: number, refs: any) => string;

/** Jest serializer hook: claims templates that have not been normalized yet. */
export function test(value: unknown): boolean {
  return isTemplate(value) && !normalized.has(value);
}

/** Jest serializer hook: prints the normalized template with Jest's own printer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function serialize(value: unknown, config: any, indentation: string, depth: number, refs: any, printer: Printer): string {
  const clean = normalizeTemplate(value as TemplateJson);
  normalized.add(clean);
  return printer(clean, config, indentation, depth, refs);
}

/** What {@link templatesOf} needs of an app: an aws-cdk-lib `App` (or `Stage`) fits. */
export interface SynthesizableApp {
  synth(): { readonly stacks: ReadonlyArray<{ readonly stackName: string; readonly template: unknown }> };
}

/**
 * The normalized template of every stack of `app`, by stack name: one snapshot for a whole
 * multi-region deployment, `expect(templatesOf(app)).toMatchSnapshot()`.
 */
export function templatesOf(app: SynthesizableApp): Record<string, TemplateJson> {
  const out: Record<string, TemplateJson> = {};
  for (const stack of app.synth().stacks) {
    if (!isTemplate(stack.template)) {
      throw new Error(`templatesOf: stack ${stack.stackName} has no Resources section; a CloudFormation template needs at least one resource`);
    }
    const clean = normalizeTemplate(stack.template);
    normalized.add(clean);
    out[stack.stackName] = clean;
  }
  return out;
}

/**
 * The serializer as one object, for `expect.addSnapshotSerializer(templateSerializer)`. For the
 * `snapshotSerializers` option of the Jest config, name the module instead:
 * `snapshotSerializers: ['meridian-geo/testing']` (it exports `test` and `serialize`).
 */
export const templateSerializer = { test, serialize };
