/**
 * The one error the fact readers throw: the input cannot be read at all (missing, empty, not JSON, not a
 * template). It names the file and the reason in one line. Values the readers cannot resolve are not
 * errors: they become unknown facts.
 */
export class FactsInputError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'FactsInputError';
  }
}
