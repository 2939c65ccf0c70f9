// A worker thread of the HTTP fuzz: its own fuzz backbone, the routes it was given fuzzed one
// after another, each result posted back as it comes; then whether the server still answers
// /health, the known bugs' minimal requests replayed, and the backbone closed. Threads share the fuzz across the machine's cores; each
// route's cases depend only on the seed, whichever thread runs them.
import { parentPort, workerData } from 'node:worker_threads';
import { ACCESS_MATRIX, routeKey } from './access-matrix.ts';
import { startFuzzBackbone } from './fuzz-backbone.ts';
import { createRouteFuzzer } from './fuzz-http-route.ts';
import { KNOWN_BUGS } from './fuzz-known-bugs.ts';
import type { RouteResult } from './fuzz-http-route.ts';

export type FuzzWorkerData = { routes: string[]; seed: number; runs: number };
export type FuzzWorkerMessage =
  | { type: 'result'; result: RouteResult }
  | { type: 'done'; healthStatus: number; knownBugStatuses: Record<string, number> }
  | { type: 'failed'; error: string };

const { routes, seed, runs } = workerData as FuzzWorkerData;
const post = (message: FuzzWorkerMessage) => parentPort!.postMessage(message);

try {
  const backbone = await startFuzzBackbone();
  try {
    const fuzzer = await createRouteFuzzer(backbone);
    for (const key of routes) {
      const route = ACCESS_MATRIX.find((each) => routeKey(each) === key);
      if (!route) throw new Error(`no route ${key} in the access matrix`);
      post({ type: 'result', result: await fuzzer.fuzz(route, { seed, runs }) });
    }
    const knownBugStatuses: Record<string, number> = {};
    for (const bug of KNOWN_BUGS) {
      const token = await backbone.token(bug.minimal.caller);
      knownBugStatuses[bug.id] = (await backbone.app.inject({ method: bug.minimal.method, url: bug.minimal.url, headers: { authorization: `Bearer ${token}` } })).statusCode;
    }
    post({ type: 'done', healthStatus: (await backbone.app.inject({ method: 'GET', url: '/health' })).statusCode, knownBugStatuses });
  } finally {
    await backbone.close();
  }
} catch (error) {
  post({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
