/**
 * Worker thread entry: the architect rules on their own parse of a large document, so they run
 * beside Spectral's rules (on the main thread) instead of after them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ARCHITECT_RULES } from './rules/index.js';
import { runArchitectRules } from './run-rules.js';
import { parseOpenApiSource } from './source.js';

const { file, text, ruleIds } = workerData as { file: string; text: string; ruleIds: string[] };
const wanted = new Set(ruleIds);
const source = parseOpenApiSource(file, text);
parentPort?.postMessage(
  runArchitectRules(
    source,
    ARCHITECT_RULES.filter((rule) => wanted.has(rule.id)),
  ),
);
