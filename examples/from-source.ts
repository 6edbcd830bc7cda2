/**
 * Lets the examples import `meridian-geo` (and `meridian-geo/<entry>`) from this checkout's `lib/`, so
 * they read exactly like an app that installed the package. An installed package needs none of this:
 * copy an example out of the repository and delete the `-r ../from-source.ts` from its cdk.json.
 * TypeScript resolves the same names through `paths` in tsconfig.json, jest through `moduleNameMapper`.
 */
import * as path from 'path';
import Module from 'module';

const LIB = path.join(__dirname, '..', 'lib');
const PACKAGE = 'meridian-geo';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  const mapped = request === PACKAGE || request.startsWith(`${PACKAGE}/`) ? path.join(LIB, request.slice(PACKAGE.length)) : request;
  return resolve.call(this, mapped, ...rest);
};
