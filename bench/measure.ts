/** What the benchmark scripts share: a case's shape and the median they report. */
import { at } from '../lib/model/lookup';

/** One benchmark case: the medians of a subject and of the baseline measured in the same run. */
export interface Case { name: string; baseline: string; run: () => { base: number; subject: number } }

/** The median of `xs` (the upper one of an even count), without reordering `xs`. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return at(sorted, Math.floor(sorted.length / 2), 'median sample');
}
