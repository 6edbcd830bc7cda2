/** Internal to the spec loader (not exported from the package): a plain process.env for the yaml parse. */

/**
 * Runs `fn` with `process.env` replaced by a plain copy of itself. The yaml package reads a debug switch
 * from process.env for every token it parses (`LOG_TOKENS` in its parser, `LOG_STREAM` in its composer),
 * and each read of the real process.env asks the C++ environment (100-170 ns here): over the two million
 * tokens of a 4 MB spec, a tenth of the parse. The copy answers the same reads from a plain object; the
 * real one is back before this returns or throws, and nothing else runs in between (it is synchronous).
 */
export function withPlainEnv<T>(fn: () => T): T {
  const env = process.env;
  let swapped = false;
  try {
    process.env = { ...env };
    swapped = true;
  } catch {
    // A process.env that cannot be replaced (a frozen process object): parse with the real one.
  }
  try {
    return fn();
  } finally {
    if (swapped) process.env = env;
  }
}
