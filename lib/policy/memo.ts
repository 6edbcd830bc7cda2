/**
 * Work several rules of one evaluation need, done once. GEO-FAILURE-001 and -002 both simulate the
 * healthy day and each region down; GEO-RESILIENCE-001 and -002 both estimate every disruption. The
 * engine passes one memo per evaluate() in `RuleContext.memo`; a rule called without it does the work
 * itself. Results are kept per facts object and read, never changed, by the rules that share them;
 * the facts do not change during an evaluation.
 */
import type { Facts } from '../facts/types';

export class EvaluationMemo {
  private readonly byFacts = new WeakMap<Facts, Map<string, unknown>>();

  /** The value `compute` gives for these facts under `key`, computed on the first call only. */
  get<T>(facts: Facts, key: string, compute: () => T): T {
    let values = this.byFacts.get(facts);
    if (!values) this.byFacts.set(facts, values = new Map());
    if (!values.has(key)) values.set(key, compute());
    return values.get(key) as T;
  }
}
