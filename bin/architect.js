#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/cli/main.js';

const argv = process.argv.slice(2);

// `check` and `design` are short single passes over a blueprint: V8's optimizing compilers cost
// them more than they give back. When PostgreSQL's parser (WebAssembly) is needed for a few
// expressions, its optimizing tier would recompile the whole 1.7 MB parser on another thread
// (~250 ms of CPU) and the process would wait for it before exiting; the JavaScript optimizer
// spends ~20 ms of CPU on code that has mostly run by the time it is ready (even for an
// 80-entity blueprint and its 3 MB openapi.yaml). Set before the code they apply to is compiled,
// and only for this process.
if (argv[0] === 'check' || argv[0] === 'design') {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--no-opt');
}

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
