#!/usr/bin/env node
/** The `meridian` binary: see lib/cli/main.ts. */
import { EXIT, main } from '../lib/cli/main';

// Pipes and terminals write asynchronously: a reader that goes away (`meridian check ... | head`) or a
// full disk surfaces as an 'error' event after main() returned. End quietly with the output status
// instead of an unhandled-error stack trace, so it never looks like findings (exit 1).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`meridian: cannot write to standard output: ${e.code ?? e.message}\n`);
  process.exit(EXIT.output);
});

process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
