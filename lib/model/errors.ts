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

/** One invalid construct prop: which construct, which prop, the value received and what is allowed. */
export interface ValidationProblem {
  /** The construct (type and path) that refuses the value, e.g. `RegionalNetwork App/use1/Network`. */
  readonly construct: string;
  /** The prop (or dotted plan field) that holds the value. */
  readonly prop: string;
  /** The value received. */
  readonly value?: unknown;
  /** What is allowed, e.g. `between 2 and 6` or `one of 0, 1, 5`. */
  readonly allowed: string;
}

function describeValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A construct refused a value a user gave it (a prop, or the plan it was given). The library's one error
 * for user mistakes in constructs; the message names the construct, the prop, the value and what is
 * allowed, one line per problem.
 */
export class MeridianValidationError extends Error {
  public readonly problems: readonly ValidationProblem[];

  constructor(problems: ValidationProblem | readonly ValidationProblem[]) {
    const list = Array.isArray(problems) ? problems as readonly ValidationProblem[] : [problems as ValidationProblem];
    super(list.map((p) => {
      const got = p.value === undefined ? '' : `, got ${describeValue(p.value)}`;
      return `${p.construct}: ${p.prop} must be ${p.allowed}${got}`;
    }).join('\n'));
    this.name = 'MeridianValidationError';
    this.problems = list;
  }
}

/** What a policy violation reports of each finding. */
export interface PolicyViolationFinding {
  readonly ruleId: string;
  readonly resource?: string;
  readonly message: string;
}

/** The policy engine reported unsuppressed error findings; synthesis stops. The library's one policy error. */
export class PolicyViolationError<F extends PolicyViolationFinding = PolicyViolationFinding> extends Error {
  public readonly findings: readonly F[];

  constructor(message: string, findings: readonly F[]) {
    super(message);
    this.name = 'PolicyViolationError';
    this.findings = findings;
  }

  /** The standard message for a plan's unsuppressed error findings. */
  static forPlan<F extends PolicyViolationFinding>(planName: string, findings: readonly F[]): PolicyViolationError<F> {
    const lines = findings.map((f) => `  ${f.ruleId}${f.resource ? ` [${f.resource}]` : ''}: ${f.message}`);
    return new PolicyViolationError(
      `meridian policy: plan "${planName}" has ${findings.length} unsuppressed error finding${findings.length === 1 ? '' : 's'}; ` +
      `fix the spec or add a suppression with a reason:\n${lines.join('\n')}`,
      findings,
    );
  }
}
