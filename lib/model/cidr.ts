/** IPv4 CIDR arithmetic on plain numbers; enough for VPC planning and overlap checks. */

import { at } from './lookup';

export interface Cidr {
  /** The block as written, normalised (`10.1.0.0/16`). */
  readonly text: string;
  /** First address as an unsigned 32-bit integer. */
  readonly start: number;
  /** Last address, inclusive. */
  readonly end: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/p`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (start % size !== 0) return undefined;
  return { text: `${octets.join('.')}/${prefix}`, start, end: start + size - 1, prefix };
}

/** Why a CIDR string is rejected, or undefined when it is valid. */
export function cidrProblem(text: string): string | undefined {
  const m = CIDR_RE.exec(text.trim());
  if (!m) return 'expected an IPv4 CIDR block such as 10.0.0.0/16';
  if (m.slice(1, 5).some((o) => Number(o) > 255)) return 'each octet must be between 0 and 255';
  if (Number(m[5]) > 32) return 'the prefix length must be between 0 and 32';
  if (!parseCidr(text)) return 'host bits are set; the address must be the first of its block';
  return undefined;
}

export function formatAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function cidrFromStart(start: number, prefix: number): Cidr {
  const size = 2 ** (32 - prefix);
  return { text: `${formatAddress(start)}/${prefix}`, start, end: start + size - 1, prefix };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Every pair of overlapping blocks, found by sorting on start address and sweeping, so the cost is
 * O(n log n + k) for k overlaps rather than O(n²) comparisons.
 */
export function findOverlaps<T extends { cidr: Cidr }>(items: readonly T[]): Array<[T, T]> {
  const sorted = [...items].sort((x, y) => x.cidr.start - y.cidr.start || y.cidr.end - x.cidr.end);
  const pairs: Array<[T, T]> = [];
  const open: T[] = [];
  for (const item of sorted) {
    for (let i = open.length - 1; i >= 0; i--) {
      if (at(open, i, 'open block').cidr.end < item.cidr.start) open.splice(i, 1);
    }
    for (const o of open) pairs.push([o, item]);
    open.push(item);
  }
  return pairs;
}

/**
 * Allocates `count` blocks of `/prefix` from `base`, in address order, that overlap none of `taken`.
 * Returns as many blocks as fit, at most `count` (fewer means the base is full). A candidate that hits a
 * taken block jumps past that block, so there are at most `count + taken` candidates whatever the size
 * of `base` (a `/8` base has 65,536 `/24` candidates; with one taken `/9` this looks at a handful), and
 * a base too small for `count` fails at once instead of after a scan.
 */
export function allocateBlocks(base: Cidr, prefix: number, taken: readonly Cidr[], count: number): Cidr[] {
  if (prefix < base.prefix || prefix > 32) return [];
  const size = 2 ** (32 - prefix);
  const sorted = taken.filter((t) => overlaps(t, base)).sort((a, b) => a.start - b.start);
  const out: Cidr[] = [];
  let next = base.start;
  let i = 0;
  while (out.length < count) {
    if (next + size - 1 > base.end) break;
    const candidate = cidrFromStart(next, prefix);
    // Skip taken blocks that end before the candidate; the first one left decides.
    while (i < sorted.length && at(sorted, i, 'taken block').end < candidate.start) i++;
    const hit = sorted.slice(i).find((t) => overlaps(t, candidate));
    if (hit) {
      next = Math.ceil((hit.end + 1) / size) * size;
      continue;
    }
    out.push(candidate);
    next += size;
  }
  return out;
}
