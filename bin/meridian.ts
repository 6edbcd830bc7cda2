#!/usr/bin/env node
/** The `meridian` binary: see lib/cli/main.ts. */
import { main } from '../lib/cli/main';

process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
