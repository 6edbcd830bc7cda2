/** The meridian CLI as a function, for tests and embedding: `main(argv, io)` returns the exit code. */
export { main, packageVersion, EXIT, type CliIo } from './main';
