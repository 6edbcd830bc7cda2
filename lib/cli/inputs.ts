/**
 * What a PATH given to `meridian check` or `meridian facts` is, decided by content: a spec (YAML, or JSON
 * with spec fields), or synthesized output (a cloud assembly folder, a template, a cdktf.out folder or a
 * Terraform JSON file) read by lib/facts. Each input yields one or more fact sets (one per topology) and
 * a way to place a finding in the file the user wrote.
 */
import { statSync } from 'fs';
import { FactsInputError } from '../facts/errors';
import { factSources } from '../facts/sources';
import type { Facts, FactsSet, InputKind, SourceLocation } from '../facts/types';
import { SpecError, type SpecIssue } from '../model/errors';
import { MAX_REPORTED_ISSUES } from '../model/limits';
import { readInputText, type ReadInputOptions } from '../model/read-input';
import type { Finding, FindingLocation } from '../policy/types';
import { pathKeys, specLocator } from './spec-locations';

export type { InputKind };

/** One input, read. */
export interface LoadedInput {
  /** The path as given (`<stdin>` for `-`). */
  readonly file: string;
  readonly kind: InputKind;
  /** One fact set per topology the input holds. */
  readonly facts: readonly Facts[];
  /**
   * The file and line a finding's resource is written at; `facts` (one of {@link facts}) narrows the
   * search to the topology the finding belongs to, as ids may repeat across deployments of one app.
   */
  readonly locate: (f: Finding, facts?: Facts) => FindingLocation;
}

/** The reader of synthesized output, loaded on first use only: a spec check never pays for it. */
function factsReader(): typeof import('../facts/read').readFactsFromPath {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../facts/read') as typeof import('../facts/read')).readFactsFromPath;
}

/** JSON top-level keys that mark synthesized output rather than a spec. */
const ARTIFACT_KEYS = ['Resources', 'AWSTemplateFormatVersion', 'resource', 'terraform', 'provider', 'artifacts', 'version'];

/**
 * What a JSON file holds: synthesized output (a template, Terraform JSON, a manifest) or a spec. A `.json`
 * file that is not JSON is one input error with the line of the syntax error, not a cascade of YAML errors.
 */
function isArtifactJson(file: string, text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    if (!/\.json$/i.test(file)) return false; // YAML without a .yaml name: the spec parser reports it
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : text.split('\n').length;
    throw new SpecError([{ path: '', message: `is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '').split('\n')[0]})`, line }], file);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  if (keys.includes('regions') && keys.includes('mode')) return false;
  return ARTIFACT_KEYS.some((k) => keys.includes(k));
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The YAML parser, the spec schema and the planner, loaded on first use only: a check of synthesized
 * output never pays for them (yaml, zod and building the schema are most of a spec check's start-up).
 */
function specReader() {
  return {
    parseSpecDocument: (require('../model/load') as typeof import('../model/load')).parseSpecDocument,
    planParsed: (require('../model/plan') as typeof import('../model/plan')).planParsed,
    factsFromPlan: (require('../facts/from-plan') as typeof import('../facts/from-plan')).factsFromPlan,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

function loadSpec(file: string, text: string): LoadedInput {
  const { parseSpecDocument, planParsed, factsFromPlan } = specReader();
  const { spec, lineOf } = parseSpecDocument(text, file);
  let geoPlan;
  try {
    geoPlan = planParsed(spec);
  } catch (e) {
    // plan() checks what the schema cannot, on parsed data: its issues carry paths but no lines.
    if (e instanceof SpecError && !e.source) {
      // Every issue keeps its line, but only the ones printed (the first MAX_REPORTED_ISSUES) look it up
      // now; the rest on first read. A flood of 100,000 duplicate regions prints 50.
      const lineAt = (i: SpecIssue) => i.line ?? (i.path ? lineOf(pathKeys(i.path)) : undefined);
      throw new SpecError(e.issues.map((i, n) => (n < MAX_REPORTED_ISSUES ? { ...i, line: lineAt(i) } : { ...i, get line() { return lineAt(i); } })), file);
    }
    throw e;
  }
  return { file, kind: 'spec', facts: [factsFromPlan(geoPlan)], locate: specLocator(file, spec, lineOf) };
}

function loadArtifact(path: string, readOptions: ReadInputOptions, cached?: { file: string; text: string }): LoadedInput {
  const read = factsReader();
  // Every file the reader opens goes through the same bounded, non-blocking reader as a spec; the reader
  // names the file, so only the reason travels.
  const readText = (f: string) => {
    if (cached && f === cached.file) return cached.text;
    try {
      return readInputText(f, readOptions);
    } catch (e) {
      throw e instanceof SpecError ? new Error(e.issues[0]?.message ?? 'cannot be read') : e;
    }
  };
  let result: { kind: InputKind; sets: FactsSet };
  try {
    result = read(path, { readText });
  } catch (e) {
    if (e instanceof FactsInputError) throw new SpecError([{ path: '', message: e.reason, line: e.line }], e.file);
    throw e;
  }
  const { kind, sets } = result;
  // Fact ids, then DNS record names (findings about the users of a name), then `dns` at the topology's DNS.
  const indexes = sets.facts.map(factSources);
  const merged = new Map<string, SourceLocation>();
  for (const ix of indexes) for (const [k, v] of ix) if (!merged.has(k)) merged.set(k, v);
  const fallback = sets.files.length === 1 ? sets.files[0] ?? path : path;
  return {
    file: path,
    kind,
    facts: sets.facts,
    locate: (f, facts) => {
      const own = facts ? indexes[sets.facts.indexOf(facts)] : undefined;
      const s = (own ?? merged).get(f.resource);
      return s ? { file: s.file, ...(s.line ? { line: s.line } : {}) } : { file: fallback };
    },
  };
}

/** Reads one PATH: a spec file or `-`, or synthesized output (folder or JSON file), decided by content. */
export function loadInput(path: string, readOptions: ReadInputOptions = {}): LoadedInput {
  if (path === '-') return loadSpec('<stdin>', readInputText('-', readOptions));
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // readInputText reports a missing or unreadable file with its name
  }
  if (isDir) return loadArtifact(path, readOptions);
  const text = readInputText(path, readOptions);
  if (!/\.ya?ml$/i.test(path) && isArtifactJson(path, text)) return loadArtifact(path, readOptions, { file: path, text });
  return loadSpec(path, text);
}
