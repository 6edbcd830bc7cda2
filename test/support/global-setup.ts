/**
 * Jest global setup: fixes the directory of this run's shared synthesized outputs (keyed by a hash of
 * the sources, see ./outputs.ts) for every worker, and removes the outputs of other source versions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUTS_ENV, OUTPUTS_PARENT, sourceKey } from './outputs';

const STALE_AFTER_MS = 15 * 60_000;

export default function globalSetup(): void {
  const key = sourceKey();
  const root = path.join(OUTPUTS_PARENT, key);
  fs.mkdirSync(OUTPUTS_PARENT, { recursive: true });
  for (const entry of fs.readdirSync(OUTPUTS_PARENT)) {
    // Outputs of other source versions of this checkout, unless a run may still be using them.
    const dir = path.join(OUTPUTS_PARENT, entry);
    if (entry !== key && Date.now() - fs.statSync(dir).mtimeMs > STALE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.MERIDIAN_TEST_OUTPUTS_FRESH === '1') fs.rmSync(root, { recursive: true, force: true });
  // Workers start after the global setup and inherit its environment.
  process.env[OUTPUTS_ENV] = root;
}
