/**
 * Jest global setup: fixes the directory of this run's shared synthesized outputs (keyed by a hash of
 * the sources, see ./outputs.ts) for every worker, and removes the outputs of other source versions.
 * It also gives the run a temporary directory of its own (TMPDIR, which `os.tmpdir()` and child
 * processes follow) that ./global-teardown.ts removes, so the cloud assemblies and folders tests
 * write do not pile up in the machine's temporary directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OUTPUTS_ENV, OUTPUTS_PARENT, sourceKey } from './outputs';

const STALE_AFTER_MS = 15 * 60_000;
/** Prefix of each run's temporary directory; one left by a run that was killed is removed a day later. */
export const RUN_TMP_PREFIX = 'meridian-test-run-';
/** Environment variable naming this run's temporary directory (for the teardown). */
export const RUN_TMP_ENV = 'MERIDIAN_TEST_RUN_TMP';
const RUN_TMP_STALE_AFTER_MS = 24 * 60 * 60_000;

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

  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    if (!entry.startsWith(RUN_TMP_PREFIX)) continue;
    const dir = path.join(tmp, entry);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > RUN_TMP_STALE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch { /* another run removed it */ }
  }
  const runTmp = fs.mkdtempSync(path.join(tmp, RUN_TMP_PREFIX));
  process.env[RUN_TMP_ENV] = runTmp;
  process.env.TMPDIR = runTmp;
}
