import { readFileSync } from 'fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { formatPath, SpecError, type SpecIssue } from './errors';
import { clip } from './limits';
import { SpecSchema, type GeoSpec, type ValidSpec } from './spec';
import { duplicateKeys } from './yaml-keys';

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Validates a spec object; throws SpecError naming every bad field at once. */
export function parseSpec(input: unknown, source?: string, lineOf?: (path: ReadonlyArray<PropertyKey>) => number | undefined): ValidSpec {
  const result = SpecSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: SpecIssue[] = result.error.issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const keys = (issue as { keys?: string[] }).keys;
    const fullPath = issue.code === 'unrecognized_keys' && keys?.length ? [...path, keys[0]] : path;
    const message = issue.code === 'unrecognized_keys'
      ? `unknown field${keys && keys.length > 1 ? 's' : ''} ${keys?.map((k) => `"${k}"`).join(', ')}; check the spelling against the schema`
      : issue.message;
    const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(input, path);
    return { path: formatPath(fullPath), message, value, line: lineOf?.(fullPath) };
  });
  throw new SpecError(issues, source);
}

/** Parses YAML or JSON text (JSON is YAML) and validates it, with line numbers in errors. */
export function parseSpecText(text: string, source = '<spec>'): ValidSpec {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by duplicateKeys() in linear time; the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new SpecError(doc.errors.map((e) => ({
      path: '',
      message: e.message.split('\n')[0],
      line: lineCounter.linePos(e.pos[0]).line,
    })), source);
  }
  const dups = duplicateKeys(doc, lineCounter);
  if (dups.length > 0) {
    throw new SpecError(dups.map((d) => ({ path: '', message: `Map keys must be unique: "${clip(d.key)}" repeats the key on line ${d.firstLine}`, line: d.line })), source);
  }
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    let node: unknown = doc.contents;
    let last: YamlNode | undefined = doc.contents as YamlNode | undefined;
    for (const key of path) {
      if (isMap(node)) node = node.get(key as string, true);
      else if (isSeq(node)) node = node.get(key as number, true);
      else break;
      if (node && typeof node === 'object' && 'range' in (node as object)) last = node as YamlNode;
      else break;
    }
    const offset = last?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return parseSpec(doc.toJS(), source, lineOf);
}

/** Reads and validates a spec file (.yaml, .yml or .json). */
export function loadSpecFile(file: string): ValidSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError([{ path: '', message: `cannot read spec file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], file);
  }
  return parseSpecText(text, file);
}

export type { GeoSpec, ValidSpec };
