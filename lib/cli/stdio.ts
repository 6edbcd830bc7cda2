/**
 * Standard output and error for the `meridian` binary as plain writes to file descriptors 1 and 2.
 *
 * `process.stdout` is a stream, and so is what `tty.isatty` loads: the first touch of either loads
 * Node's net and stream modules, 3-4 ms of every start, measured against `node -e 0` (CPU, medians of
 * 21 runs: `process.stdout` +2.8 ms on a file, +4.2 ms on a pipe; `require('tty')` +3.5 ms; a write to
 * the descriptor +0.2 ms). The CLI writes each report whole, once, so a blocking write is all it needs:
 * process.stdout writes synchronously to files and, on POSIX, to terminals too, and to a pipe it
 * queues the text and writes it before the process ends (https://nodejs.org/api/process.html#a-note-on-process-io).
 * Errors (EPIPE from `| head`, ENOSPC) are thrown by `write`, where `writeStdout` turns them into exit 3.
 *
 * A pipe another process made non-blocking (a Node.js parent that shares it) answers a full pipe with
 * EAGAIN: the rest of the output then goes through the stream after all, as before. Windows keeps the
 * streams: its console takes UTF-16 text through libuv, not bytes.
 */
import { fstatSync, statSync, writeSync } from 'fs';

/** What the CLI writes to (see CliIo). */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** process.stdout or process.stderr, created on first use. */
export type StreamFallback = () => { write(chunk: string | Uint8Array): unknown };

/**
 * Whether `fd` is a terminal, without loading `tty` where the answer is plain: a pipe, a file or
 * /dev/null is none; any other character device is asked about (`tty.isatty`).
 */
export function isTerminal(fd: number): boolean {
  let st;
  try {
    st = fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  try {
    if (st.rdev === statSync('/dev/null').rdev) return false;
  } catch { /* no /dev/null: ask tty */ }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a character device
  return (require('tty') as typeof import('tty')).isatty(fd);
}

/**
 * A writer for descriptor `fd` that falls back to `stream()` (process.stdout or process.stderr) once
 * the descriptor is non-blocking and full. `write` is the system call, replaceable in tests.
 */
export function fdOutput(fd: number, stream: StreamFallback, write: typeof writeSync = writeSync): OutputStream {
  let fallback: ReturnType<StreamFallback> | undefined;
  let tty: boolean | undefined;
  return {
    get isTTY(): boolean {
      tty ??= isTerminal(fd);
      return tty;
    },
    write(text: string): boolean {
      if (fallback) return fallback.write(text) !== false;
      const bytes = Buffer.from(text);
      let done = 0;
      while (done < bytes.length) {
        try {
          done += write(fd, bytes, done, bytes.length - done);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          fallback = stream();
          fallback.write(bytes.subarray(done)); // bytes: `done` may split a character
          return true;
        }
      }
      return true;
    },
  };
}

/** Standard output and error for the binary: the descriptors on POSIX, the process streams on Windows. */
export function processOutput(stdout: () => NodeJS.WriteStream, stderr: () => NodeJS.WriteStream): { stdout: OutputStream; stderr: OutputStream } {
  if (process.platform === 'win32') return { stdout: stdout(), stderr: stderr() };
  return { stdout: fdOutput(1, stdout), stderr: fdOutput(2, stderr) };
}
