#!/usr/bin/env node
/** The `meridian` binary: see lib/cli/main.ts. */
import { EXIT, main } from '../lib/cli/main';
import { processOutput } from '../lib/cli/stdio';

// Output goes to the descriptors (lib/cli/stdio.ts): their errors surface in main(). Where it goes
// through process.stdout after all (Windows, or a non-blocking pipe), a pipe or terminal writes
// asynchronously: a reader that goes away (`meridian check ... | head`) or a full disk surfaces as an
// 'error' event after main() returned. End quietly with the output status instead of an
// unhandled-error stack trace, so it never looks like findings (exit 1).
const stdoutStream = (): NodeJS.WriteStream => process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`meridian: cannot write to standard output: ${e.code ?? e.message}\n`);
  process.exit(EXIT.output);
});

process.exitCode = main(process.argv.slice(2), processOutput(stdoutStream, () => process.stderr));
