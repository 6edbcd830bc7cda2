/**
 * Where a finding's resource is written, for the two callers that place findings in files: the CDK
 * validation plugin (a construct) and the CLI (a file and line). A finding names a fact by its id, a DNS
 * name (the failure-simulation rules speak of the users of a name), or a topology-wide subject such as
 * `dns`; each maps to the fact it is about, never to an unrelated file.
 */
import type { Facts, SourceLocation } from './types';

/** Subjects of findings about the DNS of a topology as a whole (rules' `unknownFinding('dns', ...)`). */
const DNS_SUBJECTS: ReadonlySet<string> = new Set(['dns']);

/**
 * Every fact with an id and a source, by id; then every DNS record name, at its first record (ids win
 * over names); then the topology-wide `dns` subject, at the topology's first DNS fact.
 */
export function factSources(facts: Facts): Map<string, SourceLocation> {
  const index = new Map<string, SourceLocation>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as { id?: unknown; source?: SourceLocation };
    if (typeof o.id === 'string' && o.source && typeof o.source.file === 'string' && !index.has(o.id)) index.set(o.id, o.source);
    for (const x of Object.values(o)) if (x !== null && typeof x === 'object' && x !== o.source) visit(x, depth + 1);
  };
  visit(facts, 0);
  for (const r of facts.dns.records) {
    if (typeof r.name === 'string' && r.source && !index.has(r.name)) index.set(r.name, r.source);
  }
  const dns = dnsSource(facts);
  if (dns) for (const subject of DNS_SUBJECTS) if (!index.has(subject)) index.set(subject, dns);
  return index;
}

/** The source of the topology's DNS: its first record with a source, else its first health check. */
export function dnsSource(facts: Facts): SourceLocation | undefined {
  return facts.dns.records.find((r) => r.source)?.source ?? facts.dns.healthChecks.find((h) => h.source)?.source;
}

/** Files the facts of one topology were read from (from {@link factSources}), in fact order. */
export function factFiles(sources: ReadonlyMap<string, SourceLocation>): string[] {
  return [...new Set([...sources.values()].map((s) => s.file))];
}
