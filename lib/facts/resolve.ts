/**
 * Resolved values shared by both readers. A resolved value is plain JSON, a `Node` (a reference to a
 * resource of the artifact), a `Composite` (a string built from parts, some not literal), or `undefined`
 * (unknown: a parameter, a data source, an Availability Zone lookup, a reference that leads nowhere).
 */
import type { Node } from './graph';

export class Composite {
  constructor(readonly parts: readonly unknown[]) {}
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'kind' in v && 'p' in v && 'source' in v;
}

/** A literal string (numbers become strings, as CloudFormation does); undefined otherwise. */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The string with every unknown part replaced by `*`: only for reading a region out of an ARN. */
export function looseString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Composite) return v.parts.map((p) => (typeof p === 'string' ? p : typeof p === 'number' ? String(p) : '*')).join('');
  return undefined;
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/**
 * A link to another resource: the node, a literal id/ARN, or undefined. A string built around exactly one
 * node (an ARN joined from the partition, the account and a Ref) links to that node, even when the account
 * is unknown: the resource it names is still that one.
 */
export function linkOf(v: unknown): Node | string | undefined {
  if (isNode(v) || typeof v === 'string') return v;
  if (v instanceof Composite) {
    const nodes = v.parts.filter(isNode);
    if (nodes.length === 1) return nodes[0];
  }
  return undefined;
}

/** A list of strings; undefined when the list or any entry is unresolved. */
export function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return undefined;
  const out = v.map(asString);
  return out.every((x): x is string => x !== undefined) ? out : undefined;
}

/** Record of string values; undefined values for unresolved entries. */
export function stringRecord(v: unknown): Record<string, string | undefined> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v) || isNode(v) || v instanceof Composite) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asString(x)]));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isNode(v) && !(v instanceof Composite);
}

/** Line numbers (1-based) of the first `"key":` of each key in a JSON text, built in one pass. */
export function keyLines(text: string | undefined): (key: string, after?: number) => number | undefined {
  if (text === undefined) return () => undefined;
  let index: Map<string, number[]> | undefined;
  const build = () => {
    index = new Map();
    const re = /"((?:[^"\\\n]|\\.)*)"\s*:/g;
    let line = 1;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      last = m.index;
      const key = m[1] ?? '';
      const lines = index.get(key);
      if (lines) { if (lines[lines.length - 1] !== line) lines.push(line); } else index.set(key, [line]);
    }
  };
  return (key, after = 0) => {
    if (!index) build();
    return index?.get(key)?.find((l) => l >= after);
  };
}
