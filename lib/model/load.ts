/**
 * Reading specs: bytes and text through read-input.ts (bounded, never blocking, UTF-8 only), then YAML/JSON
 * parsing and schema validation. Every failure is a SpecError naming the file and, where there is one, the
 * line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { $ZodError, _safeParse } from 'zod/v4/core';
import { formatPath, SpecError, type SpecIssue } from './errors';
import { withPlainEnv } from './plain-env';
import { lineAt, readInputText, type ReadInputOptions } from './read-input';
import { SpecSchema, type GeoSpec, type ValidSpec } from './spec';

export { DEFAULT_MAX_INPUT_BYTES, decodeInput, readInputBytes, readInputText, type ReadInputOptions } from './read-input';

/** How many YAML aliases one spec may expand (billion-laughs guard; the yaml library's default too). */
const MAX_ALIAS_COUNT = 100;

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * zod's safeParse, with the issues of a failure collected in a plain `$ZodError` rather than the
 * `Error` subclass `schema.safeParse` builds: the issues are the same, without a stack trace captured
 * for an error that only ever becomes a SpecError.
 */
const safeParse = _safeParse($ZodError);

/** Validates a spec object; throws SpecError naming every bad field at once. */
export function parseSpec(input: unknown, source?: string, lineOf?: (path: ReadonlyArray<PropertyKey>) => number | undefined): ValidSpec {
  // jitless: zod would otherwise generate and compile (new Function) a fast parser for each object schema
  // on its first parse, which only pays off over many parses; a spec is parsed once (`meridian check`
  // start-up: 4-5 ms less). Same result and issues; local to this call, unlike zod's global config.
  const result = safeParse(SpecSchema, input, { jitless: true });
  if (result.success) return result.data;
  const issues: SpecIssue[] = result.error.issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const keys = (issue as { keys?: string[] }).keys;
    const fullPath = issue.code === 'unrecognized_keys' && keys?.[0] !== undefined ? [...path, keys[0]] : path;
    const message = issue.code === 'unrecognized_keys'
      ? `unknown field${keys && keys.length > 1 ? 's' : ''} ${keys?.map((k) => `"${k}"`).join(', ')}; check the spelling against the schema`
      : issue.message;
    const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(input, path);
    return { path: formatPath(fullPath), message, value, line: lineOf?.(fullPath) };
  });
  throw new SpecError(issues, source);
}

/** Finds the 1-based line of a path (`['regions', 1, 'role']`) in a parsed YAML document: the deepest node that exists. */
export type LineFinder = (path: ReadonlyArray<PropertyKey>) => number | undefined;

function lineFinder(doc: Document, lineCounter: LineCounter): LineFinder {
  return (path) => {
    let node: unknown = doc.contents;
    let last: YamlNode | undefined = doc.contents as YamlNode | undefined;
    for (const key of path) {
      if (isMap(node)) node = node.get(key as string, true);
      else if (isSeq(node)) node = typeof key === 'number' ? node.get(key, true) : undefined;
      else break;
      if (node && typeof node === 'object' && 'range' in (node as object)) last = node as YamlNode;
      else break;
    }
    const offset = last?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

/** The message for input nested so deeply that walking it overflows the stack; undefined for other errors. */
function tooDeep(e: unknown): string | undefined {
  return e instanceof RangeError && /call stack/i.test(e.message) ? TOO_DEEP : undefined;
}

const TOO_DEEP = 'is nested too deeply (thousands of levels of brackets or indentation); a spec is a few levels deep';

/** Throws when the value graph has a cycle (a YAML anchor that contains its own alias, `a: &x [*x]`). */
function assertAcyclic(root: unknown, source: string, lineOf: LineFinder): void {
  const onPath = new Set<object>();
  const done = new Set<object>();
  const path: PropertyKey[] = [];
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || done.has(v)) return;
    if (onPath.has(v)) {
      throw new SpecError([{ path: formatPath(path), message: 'a YAML anchor contains an alias of itself (a cycle); specs must be trees', line: lineOf(path) }], source);
    }
    onPath.add(v);
    for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      path.push(k);
      visit(x);
      path.pop();
    }
    onPath.delete(v);
    done.add(v);
  };
  visit(root);
}

/**
 * Duplicate mapping keys, found in linear time. The yaml library's own `uniqueKeys` check compares each
 * key with every earlier one (quadratic: 64k tags took 20 s), so it is off and this replaces it. The
 * walk visits what the library's `visit` does, in its order (a map's keys, then its pairs' keys and
 * values; a sequence's items), without the frozen path `visit` copies at every collection and pair;
 * a key's line is looked up only when it is reported.
 */
function assertUniqueKeys(doc: Document, lineCounter: LineCounter, source: string): void {
  const issues: SpecIssue[] = [];
  const lineOf = (node: YamlNode): number | undefined => (node.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const checkMap = (map: YAMLMap): void => {
    const seen = new Map<unknown, YamlNode>();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const k = pair.key.value;
      const first = seen.get(k);
      if (first) {
        const firstLine = lineOf(first);
        issues.push({ path: '', message: `duplicate key ${JSON.stringify(String(k))}${firstLine ? ` (first at line ${firstLine})` : ''}; keys must be unique`, line: lineOf(pair.key) });
      } else {
        seen.set(k, pair.key);
      }
    }
  };
  const walk = (node: unknown): void => {
    if (isMap(node)) checkMap(node);
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    }
  };
  walk(doc.contents);
  if (issues.length > 0) throw new SpecError(issues, source);
}

/** A parsed spec and the way back from a field path to its line in the text. */
export interface ParsedSpecText {
  readonly spec: ValidSpec;
  readonly lineOf: LineFinder;
}

/** Parses YAML or JSON text (JSON is YAML) and validates it, keeping the line finder for later messages. */
export function parseSpecDocument(text: string, source = '<spec>'): ParsedSpecText {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = withPlainEnv(() => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }));
  } catch (e) {
    throw new SpecError([{ path: '', message: tooDeep(e) ?? `cannot parse: ${(e as Error).message.split('\n')[0]}` }], source);
  }
  if (doc.errors.length > 0) {
    throw new SpecError(doc.errors.map((e) => ({
      path: '',
      message: /call stack/i.test(e.message) ? TOO_DEEP : e.message.split('\n')[0] ?? '',
      line: lineCounter.linePos(e.pos[0]).line,
    })), source);
  }
  const lineOf = lineFinder(doc, lineCounter);
  let data: unknown;
  try {
    assertUniqueKeys(doc, lineCounter, source);
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const deep = tooDeep(e);
    if (deep) throw new SpecError([{ path: '', message: deep }], source);
    // Undefined aliases and alias bombs surface here, without a position; name the first alias.
    const alias = /alias/i.test((e as Error).message) ? text.search(/(^|[\s[{,:])\*[^\s,\]}]/) : -1;
    throw new SpecError([{
      path: '',
      message: `${(e as Error).message.split('\n')[0]}`,
      line: alias >= 0 ? lineAt(text, alias + 1) : undefined,
    }], source);
  }
  try {
    assertAcyclic(data, source, lineOf);
    return { spec: parseSpec(data, source, lineOf), lineOf };
  } catch (e) {
    const deep = tooDeep(e);
    if (deep) throw new SpecError([{ path: '', message: deep }], source);
    throw e;
  }
}

/** Parses YAML or JSON text (JSON is YAML) and validates it, with line numbers in errors. */
export function parseSpecText(text: string, source = '<spec>'): ValidSpec {
  return parseSpecDocument(text, source).spec;
}

/** Reads and validates a spec file (.yaml, .yml or .json), or standard input for `-`. */
export function loadSpecFile(file: string, options: ReadInputOptions = {}): ValidSpec {
  return parseSpecText(readInputText(file, options), file === '-' ? '<stdin>' : file);
}

export type { GeoSpec, ValidSpec };
