import * as path from 'path';

/**
 * Node arguments that let a child process of a test run the TypeScript sources (lib/, bin/): swc,
 * transpile only, as Jest runs them (./swc-register.js), about 0.25 s of CPU per process where
 * `-r ts-node/register/transpile-only` costs 2.5 s (it loads the TypeScript compiler).
 */
export const RUN_TS = ['-r', path.join(__dirname, 'swc-register.js')] as const;
