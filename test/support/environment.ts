/**
 * The test environment: Jest's Node environment, plus ONE CloudFormation validation engine per worker.
 *
 * aws-cdk-lib's built-in CloudFormation validation builds a WASM engine (`CompositeEngine` of
 * `@aws/cloudformation-validate`) the first time an app is validated, and again whenever an app has a
 * resource type the last engine was not built for. Building it costs about 2.5 s of CPU whatever the
 * types (it loads every resource schema); validating a template afterwards costs tens of milliseconds.
 * Jest gives every test file fresh modules, so every file with a validated synth paid for an engine,
 * often several. This module is loaded once per worker, outside the test files' sandboxes: it loads
 * `@aws/cloudformation-validate` once and keeps one engine per configuration (the configuration is the
 * list of rules and schemas, which the resource types select), so a worker builds one or two engines for
 * the whole run. Test files get this module through `test/support/cloudformation-validate.ts` (jest.config.js
 * maps `@aws/cloudformation-validate` to it). Validation itself is unchanged: the same engine, the same
 * configuration, the same templates and options.
 *
 * It also keeps compiled code for the worker's next test files (`compileWithCache`), formats stack
 * traces more cheaply (`formatStack`), both described below, and turns off aws-cdk-lib's creation
 * stacks in test files' apps (./stack-traces.ts).
 */
import * as crypto from 'crypto';
import * as path from 'path';
// The module object itself (a namespace import is a copy): compileFunction is replaced on it, for jest-runtime.
import vm = require('vm'); // eslint-disable-line @typescript-eslint/no-require-imports
import { TestEnvironment } from 'jest-environment-node';

/** The global through which the sandboxes reach the worker's module. */
export const SHARED_VALIDATE_KEY = '__meridianSharedCloudFormationValidate';

type Module = Record<string, unknown> & { CompositeEngine: new (config: unknown) => Engine };
interface Engine { validateTemplate(template: unknown, config?: unknown): unknown; free(): void; [k: string]: unknown }

/**
 * A copy of a value built of this realm's objects and arrays. The module checks that its inputs are
 * plain objects of its own realm (`Object.getPrototypeOf(x) === Object.prototype`), and objects made in
 * a test file's sandbox are not.
 */
function own(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(own);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return value; // a class instance (TemplateContent): the module's own
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, own(v)]));
}

let shared: Module | undefined;

/**
 * The engine's WebAssembly memory, reserved in one step when the module loads, before any engine is built. The module's
 * allocator grows that memory a little at a time while an engine loads its schemas (to about 170 MB),
 * and V8 accounts each growth as new external memory: past 64 MB of it, every growth starts a full
 * garbage collection of the worker's whole heap (`--trace-incremental-marking` prints "Start (external
 * memory pressure)", 67 to 440 times per engine). In a fresh process those collections are cheap; in a
 * worker holding a few hundred MB of earlier test files' objects each one costs 100-300 ms, and one
 * engine build took 55 s of CPU under a 280 MB heap. Allocating and freeing one 256 MB block first
 * grows the memory once; the engine is then built inside the block (about 0.7 s of CPU, 1-3 collections,
 * whatever the heap). Nothing else changes: same module, same engine, same configuration.
 */
const WASM_RESERVE_BYTES = 256 * 1024 * 1024;
interface BindgenExports { __wbindgen_malloc?: unknown; __wbindgen_free?: unknown }
type InstanceConstructor = new (module: unknown, imports?: unknown) => { exports: unknown };
/** The global WebAssembly namespace (the compiler options here have no WebAssembly types). */
const wasmNamespace = (globalThis as unknown as { WebAssembly: { Instance: InstanceConstructor } }).WebAssembly;
function withReservedWasmMemory<T>(build: () => T): T {
  const Instance = wasmNamespace.Instance;
  // The module instantiates its WebAssembly when it loads: catch that instance.
  function ReservingInstance(module: unknown, imports?: unknown): { exports: unknown } {
    const instance = new Instance(module, imports);
    const { __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports as BindgenExports;
    if (typeof malloc === 'function' && typeof free === 'function') {
      try {
        const at = (malloc as (size: number, align: number) => number)(WASM_RESERVE_BYTES, 1);
        (free as (at: number, size: number, align: number) => void)(at, WASM_RESERVE_BYTES, 1);
      } catch {
        // No room to reserve: the engine grows its memory as it would have.
      }
    }
    return instance;
  }
  ReservingInstance.prototype = Instance.prototype;
  wasmNamespace.Instance = ReservingInstance as unknown as InstanceConstructor;
  try {
    return build();
  } finally {
    wasmNamespace.Instance = Instance;
  }
}

function sharedModule(): Module {
  if (shared !== undefined) return shared;
  // The copy aws-cdk-lib itself loads (its own dependency).
  const file = require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded once per worker, outside the sandboxes
  const real = withReservedWasmMemory(() => require(file) as Module);
  const engines = new Map<string, Engine>();
  /** An engine for a configuration: built once per worker, never freed (aws-cdk-lib frees its engine when it builds another). */
  class CompositeEngine {
    private readonly engine: Engine;
    constructor(config: unknown) {
      const ownConfig = own(config);
      const key = JSON.stringify(ownConfig);
      let engine = engines.get(key);
      if (engine === undefined) {
        engine = new real.CompositeEngine(ownConfig);
        engines.set(key, engine);
      }
      this.engine = engine;
    }
    validateTemplate(template: unknown, config?: unknown): unknown {
      return this.engine.validateTemplate(template, own(config));
    }
    free(): void {
      // Kept for the next test file of this worker.
    }
  }
  shared = { ...real, CompositeEngine: CompositeEngine as unknown as Module['CompositeEngine'] };
  return shared;
}

/**
 * Stack traces: Jest formats every stack through its source maps (`Error.prepareStackTrace`, set for
 * the worker by jest-runner), cloning each call site, even for frames of node_modules that have no map
 * worth reading. cdktf captures a full-depth stack for every token it creates and aws-cdk-lib one for
 * every CloudFormation element, so formatting stacks was about a tenth of the suite's CPU. Here only
 * frames of this repository's sources (what Jest transformed: lib, test, examples, bin) go through
 * Jest's formatter; other frames are printed as V8 prints them. A failing test's stack reads as before
 * where it points into our code; library frames show their JavaScript positions.
 */
type Format = (error: Error, frames: NodeJS.CallSite[]) => string;
let jestFormat: Format | undefined;
const ONE_FRAME = { name: 'frame', message: '' } as Error;
const fromSource = (frame: NodeJS.CallSite): boolean => {
  const file = frame.getFileName();
  return file !== undefined && file !== null && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith('node:') && !frame.isNative();
};
/** Mapped frames by V8's rendering of the frame (function, file, line, column): the same few call sites recur. */
const mapped = new Map<string, string>();
function mapFrame(format: Format, frame: NodeJS.CallSite): string {
  const plain = String(frame);
  let line = mapped.get(plain);
  if (line === undefined) {
    line = format(ONE_FRAME, [frame]).slice('frame: '.length);
    if (mapped.size > 100_000) mapped.clear();
    mapped.set(plain, line);
  }
  return line;
}
function formatStack(error: Error, frames: NodeJS.CallSite[]): string {
  const format = jestFormat;
  if (format === undefined) return `${error.name}: ${error.message}${frames.map((f) => `\n    at ${String(f)}`).join('')}`;
  return format(error, []) + frames.map((f) => (fromSource(f) ? mapFrame(format, f) : `\n    at ${String(f)}`)).join('');
}
/** Jest's formatter (jest-runner installs `SourceMapSupport#formatStackTrace`, bound, for each test file). */
const isJestFormat = (f: unknown): f is Format => typeof f === 'function' && f.name === 'bound formatStackTrace';
/**
 * `Error.prepareStackTrace` behaves as a plain property, except that while it holds Jest's formatter it
 * reads as `formatStack`. Code that swaps in its own formatter for a moment (the `callsites` idiom:
 * save, assign, read a stack, restore) gets exactly its own, and restoring what it read restores Jest's.
 */
let assigned: Format | undefined;
Object.defineProperty(Error, 'prepareStackTrace', {
  configurable: true,
  get: () => (assigned !== undefined && assigned === jestFormat ? formatStack : assigned),
  set: (format: Format | undefined) => {
    if (format === formatStack) {
      assigned = jestFormat;
      return;
    }
    assigned = format;
    if (isJestFormat(format)) jestFormat = format;
  },
});

/**
 * Compiled code, shared by the test files of a worker and kept between runs. Jest compiles every module
 * again for every test file (`vm.compileFunction` in the file's context), and V8 compiles each function
 * again the first time it runs: aws-cdk-lib, cdktf and the provider bindings are megabytes of code, so
 * compiling was about a tenth of the suite's CPU. Here a module is compiled as a script that wraps its
 * code in the function Jest asked for (same parameters, same line and column positions), and once a
 * test file is done its compiled code — including the functions that ran, compiled lazily — is kept as
 * V8 code cache for the worker's next file that loads the same code. The key is the file name and a
 * hash of the code, so a changed source never meets an old cache, and V8 itself checks the cache and
 * compiles afresh when it does not fit. Each file still gets fresh module instances: only compiled code
 * is shared, never state. The cache stays in memory: kept on disk for the next run as well, it made a
 * whole run slower (125 against 112 s of CPU, measured twice each way), so it is not.
 */
const codeCache = new Map<string, Buffer>();
/** Scripts compiled without a usable cache during the current test file, cached at its teardown. */
const uncached: Array<{ key: string; script: vm.Script }> = [];
const compileFunction = vm.compileFunction;
type CompileFunctionOptions = NonNullable<Parameters<typeof vm.compileFunction>[2]>;
function compileWithCache(code: string, params: readonly string[], options: CompileFunctionOptions & { parsingContext: vm.Context }): ReturnType<typeof vm.compileFunction> {
  const key = crypto.createHash('sha1').update(options.filename ?? '').update('\0').update(code).digest('hex');
  const cachedData = codeCache.get(key);
  const prefix = `(function (${params.join(', ')}) {`;
  const script = new vm.Script(`${prefix}${code}\n})`, {
    filename: options.filename,
    lineOffset: options.lineOffset,
    // Columns of the first line as if the wrapper were not there (error positions, source maps).
    columnOffset: (options.columnOffset ?? 0) - prefix.length,
    cachedData,
    importModuleDynamically: options.importModuleDynamically as vm.ScriptOptions['importModuleDynamically'],
  });
  if (cachedData === undefined || script.cachedDataRejected === true) uncached.push({ key, script });
  return script.runInContext(options.parsingContext) as ReturnType<typeof vm.compileFunction>;
}
(vm as { compileFunction: typeof vm.compileFunction }).compileFunction = function compileFunctionWithCache(code, params, options) {
  // Jest's calls (always in a test file's context); anything else as Node does it.
  if (options?.parsingContext === undefined || options.cachedData !== undefined || options.produceCachedData === true || options.contextExtensions !== undefined) {
    return compileFunction(code, params, options);
  }
  return compileWithCache(code, params ?? [], { ...options, parsingContext: options.parsingContext });
};

/** aws-cdk-lib calls the function at this global symbol with every App it constructs (before any child). */
const APP_INIT_HOOK = Symbol.for('@aws-cdk/core.App#initHook');
const DISABLE_CREATION_STACK_TRACES = 'aws:cdk:disable-creation-stack-traces';
/** Same symbol as ./stack-traces.ts's (not imported: that module belongs to the test files' sandboxes). */
const REAL_STACK_TRACES = Symbol.for('meridian.test.realStackTraces');
interface AppNode {
  node: { tryGetContext(key: string): unknown; setContext(key: string, value: unknown): void };
  /** aws-cdk-lib's copy of `AppProps.treeMetadata` (default true), read when the app synthesizes. */
  _treeMetadata?: boolean;
}

export default class MeridianTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    const sandbox = this.global as unknown as Record<symbol | string, unknown>;
    sandbox[SHARED_VALIDATE_KEY] = sharedModule;
    // Apps of test files record no creation stacks (see ./stack-traces.ts), unless the test decides.
    sandbox[APP_INIT_HOOK] = (app: AppNode) => {
      if (sandbox[REAL_STACK_TRACES] === true) return;
      // Nor tree.json, the construct tree for the CDK's tooling (Construct Hub, the console's tree view):
      // nothing under test reads it (facts come from templates; validation reports trace constructs in
      // memory), and writing it was about 5 % of a synth. No test sets `treeMetadata`.
      if (app._treeMetadata === true) app._treeMetadata = false;
      if (app.node.tryGetContext(DISABLE_CREATION_STACK_TRACES) !== undefined) return;
      app.node.setContext(DISABLE_CREATION_STACK_TRACES, true);
    };
  }
  override async teardown(): Promise<void> {
    for (const { key, script } of uncached.splice(0)) codeCache.set(key, script.createCachedData());
    await super.teardown();
  }
}
