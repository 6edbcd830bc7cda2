/**
 * `GeoSpec` (lib/model/spec-types.ts, documented interfaces) and the zod schema (lib/model/spec.ts, what
 * validates at run time) describe the same spec. This test keeps them in step:
 * - at the type level: the same keys at every level, the same required keys, and every GeoSpec is
 *   accepted by the schema's input type;
 * - at run time: the interfaces' source, read with the TypeScript compiler, against the schema's
 *   shapes: the same fields, the same optionality, a summary on every field, `@default` on every
 *   optional field, and that `@default` equal to the schema's default where the schema has one.
 * A field added to one side only fails here, naming it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';
import { z } from 'zod';
import { REGION_CODES, ROUTE53_HEALTH_CHECKER_REGIONS, SpecSchema, type SpecInput } from '../../lib/model';
import type {
  GeoAlarmsSpec, GeoAutomationSpec, GeoDataSpec, GeoDnsSpec, GeoHealthCheckSpec, GeoNetworkSpec, GeoObjectivesSpec, GeoQuorumSpec,
  GeoRegionFailoverSpec, GeoRegionSpec, GeoSpec, GeoSuppressionSpec, GeoWriteVolumeSpec, HealthCheckerRegion, RegionCode,
} from '../../lib/model';

// ---- type level -------------------------------------------------------------------------------
type Eq<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Same keys and same required keys. */
type SameShape<A, B> = Eq<keyof A, keyof B> extends true ? Eq<RequiredKeys<A>, RequiredKeys<B>> : false;
type In = SpecInput;
type Data = In['data'];
type Dns = In['dns'];

const typeLevel: Record<string, true> = {
  GeoSpec: true as SameShape<GeoSpec, In>,
  GeoRegionSpec: true as SameShape<GeoRegionSpec, In['regions'][number]>,
  GeoNetworkSpec: true as SameShape<GeoNetworkSpec, NonNullable<In['network']>>,
  GeoDataSpec: true as SameShape<GeoDataSpec, Data>,
  GeoQuorumSpec: true as SameShape<GeoQuorumSpec, NonNullable<Data['quorum']>>,
  GeoDnsSpec: true as SameShape<GeoDnsSpec, Dns>,
  GeoHealthCheckSpec: true as SameShape<GeoHealthCheckSpec, NonNullable<Dns['healthCheck']>>,
  GeoObjectivesSpec: true as SameShape<GeoObjectivesSpec, NonNullable<In['objectives']>>,
  GeoAlarmsSpec: true as SameShape<GeoAlarmsSpec, NonNullable<In['alarms']>>,
  GeoAutomationSpec: true as SameShape<GeoAutomationSpec, NonNullable<In['automation']>>,
  GeoRegionFailoverSpec: true as SameShape<GeoRegionFailoverSpec, NonNullable<NonNullable<In['automation']>['regionFailover']>>,
  GeoSuppressionSpec: true as SameShape<GeoSuppressionSpec, NonNullable<In['suppressions']>[number]>,
  GeoWriteVolumeSpec: true as SameShape<GeoWriteVolumeSpec, NonNullable<Data['writeVolume']>>,
  'GeoSpec is accepted by the schema input': true as GeoSpec extends In ? true : false,
  'RegionCode lists the catalog': true as Eq<RegionCode, (typeof REGION_CODES)[number]>,
};

test('type level: every interface has the keys and required keys of its schema part', () => {
  // THEN (a mismatch is a compile error above; this lists what was checked)
  expect(Object.keys(typeLevel)).toHaveLength(15);
});

test('the literal unions list the catalog', () => {
  // GIVEN values typed by the unions
  const checkers: HealthCheckerRegion[] = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
  // THEN they are the catalog's
  expect(checkers).toEqual(ROUTE53_HEALTH_CHECKER_REGIONS);
  // @ts-expect-error a misspelt region is a compile error
  const typo: RegionCode = 'us-east-l';
  expect(REGION_CODES).not.toContain(typo);
});

// ---- run time ---------------------------------------------------------------------------------
interface DocumentedProp {
  readonly optional: boolean;
  readonly summary: string;
  readonly defaultTag?: string;
  /** The interface this property's type names (`GeoQuorumSpec`, also for `GeoRegionSpec[]`). */
  readonly typeName: string;
}

function readInterfaces(): Map<string, Map<string, DocumentedProp>> {
  const file = join(__dirname, '..', '..', 'lib', 'model', 'spec-types.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Map<string, DocumentedProp>>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const props = new Map<string, DocumentedProp>();
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const summary = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join(' ').trim();
      const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
      const typeText = member.type.getText(source);
      props.set(member.name.getText(source), {
        optional: member.questionToken !== undefined,
        summary,
        defaultTag: tag ? (ts.getTextOfJSDocComment(tag.comment) ?? '').trim() : undefined,
        typeName: typeText.replace(/\[\]$/, ''),
      });
    }
    out.set(node.name.text, props);
  });
  return out;
}

interface Unwrapped { readonly schema: z.core.$ZodType; readonly optional: boolean; readonly defaultValue?: unknown }

/** Strips optional / default wrappers, noting optionality and the default value. */
function unwrap(schema: z.core.$ZodType): Unwrapped {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType; defaultValue?: unknown };
    if (def.type === 'optional' && def.innerType) {
      optional = true;
      current = def.innerType;
    } else if (def.type === 'default' && def.innerType) {
      optional = true;
      defaultValue = def.defaultValue;
      current = def.innerType;
    } else {
      return { schema: current, optional, defaultValue };
    }
  }
}

/** The object schema inside `schema` (through arrays), if any. */
function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  const def = schema._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
  if (def.type === 'object') return def.shape;
  if (def.type === 'array' && def.element) return objectShape(unwrap(def.element).schema);
  return undefined;
}

/** A leading literal of a `@default` tag: `'eventual'`, `60`, `[]`, `{}`, `true`; undefined for `- prose`. */
function literalDefault(tag: string): unknown {
  const m = /^('[^']*'|-?\d+(?:\.\d+)?|\[\]|\{\}|true|false)(?:\s|$)/.exec(tag);
  if (!m) return undefined;
  // The pattern's one group is mandatory, so a match carries it.
  const [, literal = ''] = m;
  return JSON.parse(literal.replace(/^'(.*)'$/, '"$1"'));
}

interface Mismatch { readonly where: string; readonly problem: string }

function compare(name: string, shape: Record<string, z.core.$ZodType>, interfaces: Map<string, Map<string, DocumentedProp>>, out: Mismatch[], seen: string[]): void {
  seen.push(name);
  const props = interfaces.get(name);
  if (!props) {
    out.push({ where: name, problem: 'no such interface in spec-types.ts' });
    return;
  }
  for (const field of Object.keys(shape)) {
    if (!props.has(field)) out.push({ where: `${name}.${field}`, problem: 'in the schema, missing from the interface' });
  }
  for (const [field, prop] of props) {
    const where = `${name}.${field}`;
    const zodField = shape[field];
    if (!zodField) {
      out.push({ where, problem: 'in the interface, missing from the schema' });
      continue;
    }
    const { schema, optional, defaultValue } = unwrap(zodField);
    if (prop.optional !== optional) out.push({ where, problem: `optional in ${optional ? 'the schema' : 'the interface'} only` });
    if (prop.summary.length < 10) out.push({ where, problem: 'no summary comment' });
    if (prop.optional && prop.defaultTag === undefined) out.push({ where, problem: 'optional without @default' });
    if (defaultValue !== undefined && prop.defaultTag !== undefined && !prop.defaultTag.startsWith('-')) {
      const documented = literalDefault(prop.defaultTag);
      if (JSON.stringify(documented) !== JSON.stringify(defaultValue)) {
        out.push({ where, problem: `@default ${prop.defaultTag} but the schema defaults to ${JSON.stringify(defaultValue)}` });
      }
    }
    const nested = objectShape(schema);
    if (nested) compare(prop.typeName, nested, interfaces, out, seen);
  }
}

test('run time: the interfaces document exactly the schema fields, optionality and defaults', () => {
  // GIVEN
  const interfaces = readInterfaces();
  const mismatches: Mismatch[] = [];
  const seen: string[] = [];
  // WHEN
  compare('GeoSpec', SpecSchema.shape, interfaces, mismatches, seen);
  // THEN
  expect(mismatches).toEqual([]);
  // every nested object of the schema was reached through an interface (the walk is not empty)
  expect(seen.sort()).toEqual([
    'GeoAlarmsSpec', 'GeoAutomationSpec', 'GeoDataSpec', 'GeoDnsSpec', 'GeoHealthCheckSpec', 'GeoNetworkSpec', 'GeoObjectivesSpec',
    'GeoQuorumSpec', 'GeoRegionFailoverSpec', 'GeoRegionSpec', 'GeoSpec', 'GeoSuppressionSpec', 'GeoWriteVolumeSpec',
  ]);
});

test('run time: a field documented with the wrong default is caught', () => {
  // GIVEN the real interfaces with dns.ttlSeconds documented as 300
  const interfaces = readInterfaces();
  const dns = interfaces.get('GeoDnsSpec') as Map<string, DocumentedProp>;
  dns.set('ttlSeconds', { ...(dns.get('ttlSeconds') as DocumentedProp), defaultTag: '300' });
  const mismatches: Mismatch[] = [];
  // WHEN
  compare('GeoSpec', SpecSchema.shape, interfaces, mismatches, []);
  // THEN
  expect(mismatches).toEqual([{ where: 'GeoDnsSpec.ttlSeconds', problem: '@default 300 but the schema defaults to 60' }]);
});
