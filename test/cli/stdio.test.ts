/**
 * The binary's output to file descriptors (lib/cli/stdio.ts): whole writes, partial writes continued,
 * errors thrown to the caller, and the stream taking over from a non-blocking descriptor that is full.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fdOutput, isTerminal } from '../../lib/cli/stdio';

type Write = typeof writeSync;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

describe('fdOutput', () => {
  test('writes the text to the descriptor as UTF-8, continuing after partial writes', () => {
    // GIVEN a descriptor that takes at most 3 bytes per call
    const written: Buffer[] = [];
    const write = ((_fd: number, buffer: Buffer, offset: number, length: number) => {
      const n = Math.min(3, length);
      written.push(Buffer.from(buffer.subarray(offset, offset + n)));
      return n;
    }) as unknown as Write;
    // WHEN
    fdOutput(1, () => { throw new Error('no stream expected'); }, write).write('région ✓\n');
    // THEN every byte arrives once, in order
    expect(Buffer.concat(written).toString()).toBe('région ✓\n');
    expect(written.length).toBeGreaterThan(3);
  });

  test('throws what the descriptor throws (EPIPE, ENOSPC), for writeStdout to turn into exit 3', () => {
    const write = (() => { throw errno('EPIPE'); }) as unknown as Write;
    expect(() => fdOutput(1, () => process.stdout, write).write('x')).toThrow(/EPIPE/);
  });

  test('on EAGAIN (a non-blocking pipe that is full) the stream writes the rest, and everything after it', () => {
    // GIVEN a descriptor that takes 4 bytes, then answers EAGAIN
    const direct: Buffer[] = [];
    let calls = 0;
    const write = ((_fd: number, buffer: Buffer, offset: number) => {
      if (calls++ > 0) throw errno('EAGAIN');
      direct.push(Buffer.from(buffer.subarray(offset, offset + 4)));
      return 4;
    }) as unknown as Write;
    const streamed: Array<string | Uint8Array> = [];
    let created = 0;
    const out = fdOutput(1, () => { created++; return { write: (c: string | Uint8Array) => streamed.push(c) }; }, write);
    // WHEN
    out.write('abcdé-fgh');
    out.write('next');
    // THEN the first 4 bytes went directly, the rest through one stream, as bytes (é is not split)
    expect(Buffer.concat(direct).toString()).toBe('abcd');
    expect(Buffer.from(streamed[0] as Uint8Array).toString()).toBe('é-fgh');
    expect(streamed[1]).toBe('next');
    expect(created).toBe(1);
  });
});

describe('isTerminal', () => {
  test('a file, /dev/null and a descriptor that is not open are no terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-stdio-'));
    const file = openSync(join(dir, 'out.txt'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
      expect(isTerminal(987654)).toBe(false); // not open
      // AND the writer writes to the file
      fdOutput(file, () => process.stdout).write('ok\n');
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('ok\n');
    } finally {
      closeSync(file);
      closeSync(devNull);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
