#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/cli/main.js';

const argv = process.argv.slice(2);

// `check` and `design` run PostgreSQL's parser (WebAssembly) on a handful of short expressions.
// V8's baseline compiler handles those in microseconds; its optimizing tier would recompile the
// 1.7 MB parser on another thread (~250 ms of CPU) and the process would wait for it before
// exiting. Set before the parser's module is compiled, and only for this process.
if (argv[0] === 'check' || argv[0] === 'design') setFlagsFromString('--liftoff-only');

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
