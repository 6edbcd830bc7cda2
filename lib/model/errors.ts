/** Input errors: what the user wrote is wrong. Reported as one line per problem, never a stack trace. */

export interface SpecIssue {
  /** Dotted path of the field, e.g. `regions[1].cidr`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The value received, when there is one. */
  readonly value?: unknown;
  /** 1-based line in the source file, when the spec came from a file. */
  readonly line?: number;
}

export class SpecError extends Error {
  constructor(readonly issues: readonly SpecIssue[], readonly source?: string) {
    super(SpecError.format(issues, source));
    this.name = 'SpecError';
  }

  static format(issues: readonly SpecIssue[], source?: string): string {
    return issues.map((i) => {
      const where = source ? `${source}${i.line ? `:${i.line}` : ''}: ` : '';
      const got = i.value === undefined ? '' : ` (got ${JSON.stringify(i.value)})`;
      return `${where}${i.path || '(root)'}: ${i.message}${got}`;
    }).join('\n');
  }
}

/** Formats a path array the way users read it: `regions[1].cidr`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
