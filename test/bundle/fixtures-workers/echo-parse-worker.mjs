// A parsing worker whose prepare step hands every element back unchanged: with it, the reader's
// calls through the worker can be compared one for one with the calls it makes parsing inline.
// Runs the built code (dist/, made by `npm test`'s pretest).
import { parentPort } from 'node:worker_threads';
import { serveJsonParsing } from '../../../dist/bundle/json-worker.js';

serveJsonParsing(parentPort, (element) => element);
