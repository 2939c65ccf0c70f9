// Runs the HTTP ingestion and memory benchmarks in quick mode and prints their results:
// `node test/bench/http-ingestion.smoke.ts` (Node 24 from node_modules/.bin).
import { benchHttpIngestion } from './http-ingestion.bench.ts';
import { benchMemory } from './memory.bench.ts';
import { meets } from './measure.ts';

const quick = !process.argv.includes('--full');
for (const result of [...(await benchHttpIngestion({ quick })), ...(await benchMemory({ quick }))]) {
  const verdict = meets(result);
  console.log(`${result.name.padEnd(52)} ${String(result.value).padStart(10)} ${result.unit.padEnd(9)} ${verdict === null ? '' : verdict ? 'met' : 'MISSED'}`);
  console.log(`  ${JSON.stringify(result.detail)}`);
}
