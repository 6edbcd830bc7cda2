export { main, packageVersion, type CliIo } from './main';
