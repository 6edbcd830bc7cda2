/** Runs the CLI in-process, as the binary would, capturing what it writes (no process, fixed clock). */
import { main, type CliIo } from '../../lib/cli';

export interface CliRun { code: number; stdout: string; stderr: string }

/** `meridian ...argv` with captured streams; `tty` marks stdout a terminal, `env` is the environment it sees. */
export function runCli(argv: string[], opts: { tty?: boolean; env?: Record<string, string> } = {}): CliRun {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => { stdout += s; }, isTTY: opts.tty },
    stderr: { write: (s: string) => { stderr += s; } },
    env: opts.env ?? {},
    now: new Date('2026-06-01T00:00:00Z'),
  };
  const code = main(argv, io);
  return { code, stdout, stderr };
}
