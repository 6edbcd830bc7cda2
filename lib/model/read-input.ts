/**
 * Reading input bytes: from a file or standard input (once, bounded, never blocking on a FIFO or device),
 * decoded as UTF-8 with a clear message for UTF-16/32. Every failure is a SpecError naming the file. Its own
 * module, apart from the YAML parser and the spec schema in load.ts, so reading synthesized output (a
 * template, Terraform JSON) loads neither.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'fs';
import { SpecError } from './errors';

/** Largest input read by default (10 MB); the CLI raises it with `--max-input-bytes`. */
export const DEFAULT_MAX_INPUT_BYTES = 10 * 1024 * 1024;

export interface ReadInputOptions {
  /** Refuse inputs larger than this many bytes. Default {@link DEFAULT_MAX_INPUT_BYTES}. */
  readonly maxBytes?: number;
}

function inputError(source: string, message: string, line?: number): SpecError {
  return new SpecError([{ path: '', message, line }], source);
}

function sizeMessage(maxBytes: number): string {
  return `input is larger than ${maxBytes} bytes; raise the limit with --max-input-bytes if this is intended`;
}

/** Reads at most maxBytes + 1 bytes from an open descriptor, so a growing file or stream cannot exhaust memory. */
function readBounded(fd: number, source: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // non-blocking stdin: wait for the writer
      if (code === 'EOF') break;
      throw inputError(source, `cannot read: ${code ?? (e as Error).message}`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw inputError(source, sizeMessage(maxBytes));
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/**
 * The bytes of a spec or artifact: a regular file, or standard input when `file` is `-`. FIFOs, devices
 * and sockets are refused without opening them (opening a FIFO blocks; `/dev/zero` never ends); pipe
 * them into `-` instead, where the size limit applies.
 */
export function readInputBytes(file: string, options: ReadInputOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (file === '-') return readBounded(0, '<stdin>', maxBytes);
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(file, code === 'ENOENT' ? 'file not found' : `cannot read: ${code ?? (e as Error).message}`);
  }
  if (st.isDirectory()) throw inputError(file, 'is a directory; expected a spec file');
  if (!st.isFile()) {
    throw inputError(file, 'is not a regular file (a FIFO, device or socket); pass its content on standard input with "-" instead');
  }
  if (st.size > maxBytes) throw inputError(file, sizeMessage(maxBytes));
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw inputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    // Re-check on the descriptor: the path may have been swapped for something else since the stat.
    if (!fstatSync(fd).isFile()) throw inputError(file, 'is not a regular file');
    return readBounded(fd, file, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Decodes UTF-8 input (a UTF-8 byte-order mark is dropped). UTF-16 and UTF-32, with or without a
 * byte-order mark, and bytes that are not UTF-8 get a message that says so instead of a parse error.
 */
export function decodeInput(bytes: Buffer, source: string): string {
  const b = bytes;
  const bom = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  if (b.length >= 4 && (bom(0xff, 0xfe, 0, 0) || bom(0, 0, 0xfe, 0xff))) {
    throw inputError(source, 'is UTF-32 encoded; save it as UTF-8');
  }
  if (b.length >= 2 && (bom(0xff, 0xfe) || bom(0xfe, 0xff))) throw inputError(source, 'is UTF-16 encoded; save it as UTF-8');
  // No byte-order mark, but ASCII text in UTF-16/32 has a NUL next to every character.
  if (b.length >= 2 && (b[0] === 0 || b[1] === 0)) throw inputError(source, 'looks UTF-16 or UTF-32 encoded (NUL bytes); save it as UTF-8');
  const start = bom(0xef, 0xbb, 0xbf) ? 3 : 0;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(start));
  } catch {
    throw inputError(source, 'is not valid UTF-8 text (binary data?)');
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) throw inputError(source, 'contains a NUL character; expected YAML or JSON text', lineAt(text, nul));
  return text;
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Reads a file (or `-`) as text: bounded, decoded, never blocking. */
export function readInputText(file: string, options: ReadInputOptions = {}): string {
  return decodeInput(readInputBytes(file, options), file === '-' ? '<stdin>' : file);
}
