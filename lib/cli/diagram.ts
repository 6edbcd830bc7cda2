/**
 * `meridian diagram PATH`: a Mermaid flowchart of a topology, drawn from its facts — regions with roles
 * and CIDRs, database members and the replication direction, DNS routing with its health checks, VPC
 * peerings, and the KMS key of each region. Works on whatever facts a reader produces; what is unknown is
 * drawn as `?`.
 */
import { parseArgs } from 'util';
import type { Facts } from '../facts/types';
import { SpecError } from '../model/errors';
import { formatInputError } from './common';
import { CommandUsageError, readInputFacts, type CommandIo } from './estimate';
import { at } from '../model/lookup';

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');
/** Mermaid label text: quotes become entities so any name is safe inside `"..."`. */
const label = (s: string) => s.replace(/"/g, '#quot;');

/** The Mermaid flowchart of one topology. */
export function formatDiagram(facts: Facts): string {
  const lines = ['flowchart LR'];
  const dbByRegion = new Map<string, string[]>();
  for (const db of facts.databases) {
    for (const m of db.members) {
      if (!m.region) continue;
      const role = m.role === 'primary' ? 'writer' : m.role === 'replica' ? 'replica, writes' : 'read-only';
      const inst = m.instances === null ? '' : m.instances === undefined ? ', ? instances' : m.instances === 0 ? ', headless' : `, ${m.instances} instance${m.instances === 1 ? '' : 's'}`;
      const node = `  ${id(`db_${m.id}`)}[("${label(`${db.id}: ${m.id} (${role}${inst})`)}")]`;
      dbByRegion.set(m.region, [...(dbByRegion.get(m.region) ?? []), node]);
    }
  }
  for (const r of facts.regions) {
    const cidr = facts.networks.find((n) => n.region === r.name)?.cidr ?? '?';
    const role = r.role ?? '?';
    const extra = r.jurisdiction ? `, ${r.jurisdiction}` : '';
    lines.push(`  subgraph ${id(`r_${r.name}`)}["${label(`${r.name} · ${role}${extra} · ${cidr}`)}"]`);
    lines.push(...(dbByRegion.get(r.name) ?? []).map((n) => `  ${n}`));
    for (const k of facts.keys.filter((key) => key.region === r.name)) {
      lines.push(`    ${id(`key_${k.id}`)}{{"${label(`KMS ${k.id}${k.rotation === true ? ', rotation on' : ''}`)}"}}`);
    }
    lines.push('  end');
  }
  // Replication: from the writer to every other member (Aurora); between every replica pair (DynamoDB).
  for (const db of facts.databases) {
    const writer = db.members.find((m) => m.role === 'primary');
    if (writer) {
      for (const m of db.members) if (m !== writer) lines.push(`  ${id(`db_${writer.id}`)} -- "async replication" --> ${id(`db_${m.id}`)}`);
    } else {
      const replicas = db.members.filter((m) => m.role === 'replica');
      for (const [i, a] of replicas.entries()) {
        for (const b of replicas.slice(i + 1)) lines.push(`  ${id(`db_${a.id}`)} <-- "replication, last writer wins" --> ${id(`db_${b.id}`)}`);
      }
    }
  }
  // DNS: one node per record name, an edge per record set to its region, labelled with routing and check.
  const names = [...new Set(facts.dns.records.map((r) => r.name ?? '?'))];
  for (const name of names) {
    const records = facts.dns.records.filter((r) => (r.name ?? '?') === name);
    const ttl = [...new Set(records.map((r) => r.ttlSeconds))].map((t) => (t === null ? 'alias' : t === undefined ? '?' : `${t} s`)).join('/');
    const routing = [...new Set(records.map((r) => r.routing ?? '?'))].join('/');
    const dnsId = id(`dns_${name}`);
    lines.push(`  ${dnsId}(["${label(`${name} · ${routing} · TTL ${ttl}`)}"])`);
    for (const r of records) {
      if (!r.region) continue;
      const hc = r.healthCheckId ? facts.dns.healthChecks.find((h) => h.id === r.healthCheckId) : undefined;
      const check = r.healthCheckId === null ? 'no health check' : hc ? `check ${hc.intervalSeconds ?? '?'} s × ${hc.failureThreshold ?? '?'}` : 'check ?';
      const policy = r.failover ?? r.geolocation?.countryCode ?? r.geolocation?.continentCode ?? r.routing ?? '';
      const arrow = r.failover === 'SECONDARY' ? '-.' : '--';
      lines.push(`  ${dnsId} ${arrow} "${label(`${policy} · ${check}`)}" ${arrow === '-.' ? '.->' : '-->'} ${id(`r_${r.region}`)}`);
    }
  }
  for (const p of facts.peerings) {
    if (!p.requesterRegion || !p.accepterRegion) continue;
    lines.push(`  ${id(`r_${p.requesterRegion}`)} <-. "peering" .-> ${id(`r_${p.accepterRegion}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

export const DIAGRAM_USAGE = `Usage:
  meridian diagram PATH

Prints a Mermaid flowchart of the topology in PATH (a spec, a cloud assembly or template, a cdktf.out
folder or Terraform JSON): regions with roles and CIDRs,
database members and replication direction, DNS routing with health checks, peerings, keys per region.
`;

/** `meridian diagram`; returns the exit code. */
export function diagramCommand(args: string[], io: CommandIo): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
    } catch (e) {
      throw new CommandUsageError((e as Error).message.split('\n')[0]);
    }
    if (parsed.values.help) { io.stdout.write(DIAGRAM_USAGE); return 0; }
    if (parsed.positionals.length !== 1) throw new CommandUsageError(`diagram needs exactly one PATH, got ${parsed.positionals.length}`);
    const input = readInputFacts(at(parsed.positionals, 0, 'PATH'));
    io.stdout.write(input.facts.map(formatDiagram).join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof SpecError) { io.stderr.write(formatInputError(e)); return 2; }
    if (e instanceof CommandUsageError) { io.stderr.write(`meridian: ${e.message} (see meridian diagram --help)\n`); return 2; }
    throw e;
  }
}
