/**
 * Loaded with `node --require` into a process whose start-up bench/cli-startup.ts measures: writes the
 * process's own CPU time (user + system, microseconds) to file descriptor 3 as its very last act, after
 * every other 'exit' listener (the CLI writes its code cache in one), so nothing the process does is left
 * out. Node.js reports a child's CPU time only to the child itself.
 */
const { writeSync } = require('fs');

function report() {
  const { user, system } = process.cpuUsage();
  try { writeSync(3, `${user + system}\n`); } catch { /* not measured */ }
}

// Keep `report` the last 'exit' listener whatever registers after it (process.once goes through on).
const on = process.on;
process.on = process.addListener = function (event, listener) {
  const result = on.call(this, event, listener);
  if (event === 'exit' && listener !== report) {
    this.removeListener('exit', report);
    on.call(this, 'exit', report);
  }
  return result;
};
on.call(process, 'exit', report);
