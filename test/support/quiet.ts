/**
 * aws-cdk-lib prints the whole validation report to stderr whenever a plugin reports anything, even
 * warnings that do not fail the synth (the Meridian policy plugin's "unknown" findings, say). Tests that
 * synthesize such apps read the report from validation-report.json or assert on it, so the printed copy
 * is held back here; what was printed is returned for tests that want it.
 */
export function quietly<T>(run: () => T): { result: T; printed: string } {
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { printed.push(args.map(String).join(' ')); });
  try {
    return { result: run(), printed: printed.join('\n') };
  } finally {
    spy.mockRestore();
  }
}
