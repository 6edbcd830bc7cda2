/** Input errors: what the user wrote is wrong. Reported as one line per problem, never a stack trace. */
import { clip, ECHO_MAX_LENGTH, MAX_REPORTED_ISSUES } from './limits';

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

/**
 * A received value as a short, single-line text: never throws (cycles, BigInt, getters that throw,
 * huge arrays), never longer than {@link ECHO_MAX_LENGTH} characters plus the length note, and with
 * control characters escaped so an echoed value cannot forge report lines.
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value, boundedReplacer()) ?? String(value);
  } catch {
    try {
      text = Object.prototype.toString.call(value);
    } catch {
      text = '(unprintable value)';
    }
  }
  return clip(escapeControl(text));
}

/** Escapes C0/C1 control characters (and DEL) as `\u001b`-style sequences. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON.stringify replacer that stops early: cycles become "[Circular]", BigInt a string, big containers are cut. */
function boundedReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  let budget = ECHO_MAX_LENGTH * 4;
  return function (_key, value) {
    if (--budget < 0) return undefined;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'string' && value.length > ECHO_MAX_LENGTH) return `${value.slice(0, ECHO_MAX_LENGTH)}…`;
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
      if (Array.isArray(value) && value.length > 20) return [...value.slice(0, 20), `… ${value.length - 20} more`];
    }
    return value;
  };
}

export class SpecError extends Error {
  constructor(readonly issues: readonly SpecIssue[], readonly source?: string) {
    super(SpecError.format(issues, source));
    this.name = 'SpecError';
  }

  /**
   * One line per issue, at most {@link MAX_REPORTED_ISSUES} of them then "… and N more"; values
   * echoed short. Never throws, whatever the issues hold.
   */
  static format(issues: readonly SpecIssue[], source?: string): string {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => {
      try {
        const where = source ? `${escapeControl(clip(String(source)))}${i.line ? `:${i.line}` : ''}: ` : '';
        const got = i.value === undefined ? '' : ` (got ${describeValue(i.value)})`;
        return `${where}${escapeControl(clip(String(i.path || '(root)')))}: ${escapeControl(clip(String(i.message), 1000))}${got}`;
      } catch {
        return '(an issue that cannot be printed)';
      }
    });
    const rest = issues.length - shown.length;
    if (rest > 0) shown.push(`… and ${rest.toLocaleString('en-US')} more`);
    return shown.join('\n');
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
  /**
   * The sentence shown after the construct, when the standard `<prop> must be <allowed>, got <value>`
   * does not say it well (it must still name the value and what is allowed).
   */
  readonly message?: string;
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
      if (p.message !== undefined) return `${p.construct}: ${p.message}`;
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
