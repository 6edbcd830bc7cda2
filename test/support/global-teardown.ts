/**
 * Jest global teardown: removes this run's temporary directory (see ./global-setup.ts). Set
 * MERIDIAN_TEST_KEEP_TMP=1 to keep it for a look at what the tests wrote.
 */
import * as fs from 'fs';
import { RUN_TMP_ENV } from './global-setup';

export default function globalTeardown(): void {
  const dir = process.env[RUN_TMP_ENV];
  if (!dir || process.env.MERIDIAN_TEST_KEEP_TMP === '1') return;
  fs.rmSync(dir, { recursive: true, force: true });
}
