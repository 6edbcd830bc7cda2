/**
 * Builds the CLI once per test file for subprocess tests: swc transpiles bin/ and the pure libraries the
 * CLI loads (lib/cli, lib/model, lib/policy, lib/facts) into a temporary folder in about a second,
 * where ts-node would spend several seconds in every spawned process.
 */
import { transformFileSync } from '@swc/core';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

export interface BuiltCli {
  /** Folder of the build (dist layout: bin/, lib/, package.json). */
  readonly dir: string;
  /** `node <bin> ...args` for spawn. */
  readonly argv: (...args: string[]) => string[];
  /** Environment for spawned processes: NODE_PATH finds yaml and zod in the repository's node_modules. */
  readonly env: NodeJS.ProcessEnv;
  readonly cleanup: () => void;
}

export function buildCli(): BuiltCli {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-cli-'));
  const sources = [join(ROOT, 'bin', 'meridian.ts'), ...['cli', 'model', 'policy', 'facts'].flatMap((d) => tsFiles(join(ROOT, 'lib', d)))];
  for (const src of sources) {
    const out = join(dir, relative(ROOT, src)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    const { code } = transformFileSync(src, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    writeFileSync(out, code);
  }
  // The model reads the region catalog and schema from disk only through imports; package.json gives --version.
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const bin = join(dir, 'bin', 'meridian.js');
  return {
    dir,
    argv: (...args) => [bin, ...args],
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NO_COLOR: '1', FORCE_COLOR: '' },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
