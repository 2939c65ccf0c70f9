// Runs the growth benchmark alone and prints its results: quick mode by default (10k and 100k
// events), `--full` for 10k, 100k and 1M. Writes bench/growth.svg; not bench/results.json.
//   node test/bench/growth.smoke.ts [--full]
import { benchGrowth, GROWTH_CHART_PATH } from './growth.bench.ts';
import { meets } from './measure.ts';

const quick = !process.argv.includes('--full');
const start = performance.now();
const results = await benchGrowth({ quick });
for (const result of results) {
  const target = result.target ? `${result.target.better === 'higher' ? '≥' : '≤'} ${result.target.value}` : '';
  const met = meets(result);
  console.log(`${result.name.padEnd(40)} ${String(result.value).padStart(10)} ${result.unit.padEnd(4)} ${target.padEnd(8)} ${met === null ? '' : met ? 'met' : 'MISSED'}`);
  if (result.detail) console.log(`  ${JSON.stringify(result.detail)}`);
}
console.log(`${quick ? 'quick' : 'full'} growth run: ${((performance.now() - start) / 1000).toFixed(1)} s; chart: ${GROWTH_CHART_PATH}`);
