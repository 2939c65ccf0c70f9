// The growth benchmark's chart: append and case-history latency (p50 and p99) against the size
// of the log, on a log-scale x axis (10k, 100k, 1M events). A self-contained SVG — no external
// fonts, scripts or styles — so it can be committed to bench/ and opened anywhere.
import { cpus, totalmem } from 'node:os';

export type GrowthPoint = {
  /** Events in the log when this point was measured. */
  events: number;
  append: { p50: number; p99: number };
  caseHistory: { p50: number; p99: number };
};

export type GrowthChartInfo = {
  /** ISO date of the run; defaults to now. */
  date?: string;
  /** The machine, as shown in the title; defaults to this one (CPU, cores, memory, Node). */
  machine?: string;
  /** A line under the title, e.g. what exactly was measured. */
  note?: string;
};

const WIDTH = 900;
const HEIGHT = 560;
const PLOT = { left: 80, right: 640, top: 96, bottom: 470 };
const X_TICKS = [10_000, 100_000, 1_000_000];
const COLORS = { append: '#1d5fbf', caseHistory: '#d0530f' };

type Series = { label: string; color: string; dashed: boolean; marker: 'circle' | 'square'; values: { x: number; y: number }[] };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function defaultMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

function eventsLabel(events: number): string {
  if (events >= 1_000_000) return `${Number((events / 1_000_000).toFixed(1))}M`;
  if (events >= 1_000) return `${Number((events / 1_000).toFixed(0))}k`;
  return String(events);
}

/** A round step (1, 2 or 5 × 10^n) giving about `count` intervals up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
}

function formatMs(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** The note in at most two lines of about 110 characters, split at '; '. */
function noteLines(note: string): string[] {
  if (note.length <= 110) return note ? [note] : [];
  const parts = note.split('; ');
  let first = '';
  let index = 0;
  while (index < parts.length && (first.length === 0 || first.length + parts[index]!.length + 2 <= 110)) first += (first ? '; ' : '') + parts[index++];
  const rest = parts.slice(index).join('; ');
  return rest ? [first, rest] : [first];
}

function marker(series: Series, x: number, y: number): string {
  const stroke = `stroke="${series.color}" stroke-width="2"`;
  if (series.marker === 'circle') return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5" fill="${series.dashed ? '#ffffff' : series.color}" ${stroke}/>`;
  return `<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="${series.dashed ? '#ffffff' : series.color}" ${stroke}/>`;
}

export function renderGrowthChart(points: readonly GrowthPoint[], info: GrowthChartInfo = {}): string {
  const date = info.date ?? new Date().toISOString();
  const machine = info.machine ?? defaultMachine();
  const sorted = [...points].filter((point) => point.events > 0).sort((a, b) => a.events - b.events);

  // x: log10 of the events, with half a decade of margin around 10k … 1M (or the points, if wider).
  const decades = [...X_TICKS, ...sorted.map((point) => point.events)].map((events) => Math.log10(events));
  const xMin = Math.min(...decades) - 0.25;
  const xMax = Math.max(...decades) + 0.25;
  const xOf = (events: number) => PLOT.left + ((Math.log10(events) - xMin) / (xMax - xMin)) * (PLOT.right - PLOT.left);

  const series: Series[] = [
    { label: 'append p50', color: COLORS.append, dashed: false, marker: 'circle', values: sorted.map((p) => ({ x: p.events, y: p.append.p50 })) },
    { label: 'append p99', color: COLORS.append, dashed: true, marker: 'circle', values: sorted.map((p) => ({ x: p.events, y: p.append.p99 })) },
    { label: 'case history p50', color: COLORS.caseHistory, dashed: false, marker: 'square', values: sorted.map((p) => ({ x: p.events, y: p.caseHistory.p50 })) },
    { label: 'case history p99', color: COLORS.caseHistory, dashed: true, marker: 'square', values: sorted.map((p) => ({ x: p.events, y: p.caseHistory.p99 })) },
  ];
  for (const line of series) line.values = line.values.filter((value) => Number.isFinite(value.y));

  // y: linear from 0, in milliseconds, to a round value above the highest point.
  const highest = Math.max(0, ...series.flatMap((line) => line.values.map((value) => value.y)));
  const step = niceStep(highest > 0 ? highest * 1.1 : 1, 5);
  const yMax = Math.max(step, Math.ceil((highest * 1.1) / step) * step);
  const yOf = (ms: number) => PLOT.bottom - (ms / yMax) * (PLOT.bottom - PLOT.top);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="growth-title">`,
    `<title id="growth-title">NRM Backbone: append and case-history latency as the log grows (${escapeXml(date)}, ${escapeXml(machine)})</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="30" text-anchor="middle" font-size="19" font-weight="bold" fill="#1a1a1a">Latency as the log grows: append and case history (durable SQLite)</text>`,
    `<text x="${WIDTH / 2}" y="52" text-anchor="middle" font-size="13" fill="#444444">${escapeXml(date)} · ${escapeXml(machine)}</text>`,
  );
  noteLines(info.note ?? '').forEach((line, index) => {
    parts.push(`<text x="${WIDTH / 2}" y="${70 + index * 14}" text-anchor="middle" font-size="11.5" fill="#666666">${escapeXml(line)}</text>`);
  });

  // Grid and y axis.
  const tickDecimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let ms = 0; ms <= yMax + step / 1000; ms += step) {
    const y = yOf(ms).toFixed(1);
    parts.push(
      `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="${ms === 0 ? '#333333' : '#e2e2e2'}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 8}" y="${y}" dy="4" text-anchor="end" font-size="12" fill="#333333">${ms.toFixed(tickDecimals)}</text>`,
    );
  }
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333333" stroke-width="1"/>`,
    `<text transform="translate(${PLOT.left - 54} ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13" fill="#1a1a1a">latency (ms)</text>`,
  );

  // x axis: the decades, log scale.
  for (const tick of X_TICKS) {
    const x = xOf(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${PLOT.top}" x2="${x}" y2="${PLOT.bottom}" stroke="#eeeeee" stroke-width="1"/>`,
      `<line x1="${x}" y1="${PLOT.bottom}" x2="${x}" y2="${PLOT.bottom + 6}" stroke="#333333" stroke-width="1"/>`,
      `<text x="${x}" y="${PLOT.bottom + 22}" text-anchor="middle" font-size="12" fill="#333333">${eventsLabel(tick)}</text>`,
    );
  }
  parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 48}" text-anchor="middle" font-size="13" fill="#1a1a1a">events in the log (log scale)</text>`);

  // The series: a line through the points and a marker at each; then the values, right of their
  // markers, pushed apart where two would overlap, on a white halo so lines do not cross them.
  const labels = new Map<number, { y: number; text: string; color: string }[]>();
  for (const line of series) {
    if (line.values.length === 0) continue;
    const path = line.values.map((value, index) => `${index === 0 ? 'M' : 'L'}${xOf(value.x).toFixed(1)} ${yOf(value.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2.2"${line.dashed ? ' stroke-dasharray="7 4"' : ''}/>`);
    for (const value of line.values) {
      parts.push(marker(line, xOf(value.x), yOf(value.y)));
      const at = labels.get(value.x) ?? [];
      at.push({ y: yOf(value.y), text: formatMs(value.y), color: line.color });
      labels.set(value.x, at);
    }
  }
  for (const [events, at] of labels) {
    at.sort((a, b) => a.y - b.y);
    for (let i = 1; i < at.length; i++) at[i]!.y = Math.max(at[i]!.y, at[i - 1]!.y + 13);
    for (const label of at) {
      parts.push(`<text x="${(xOf(events) + 9).toFixed(1)}" y="${label.y.toFixed(1)}" dy="4" font-size="11" fill="${label.color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(label.text)}</text>`);
    }
  }

  // Legend, to the right of the plot.
  const legendX = PLOT.right + 24;
  parts.push(`<rect x="${legendX - 10}" y="${PLOT.top - 6}" width="236" height="${series.length * 26 + 40}" fill="#fafafa" stroke="#cccccc" rx="4"/>`);
  parts.push(`<text x="${legendX}" y="${PLOT.top + 14}" font-size="13" font-weight="bold" fill="#1a1a1a">Legend</text>`);
  series.forEach((line, index) => {
    const y = PLOT.top + 40 + index * 26;
    parts.push(
      `<line x1="${legendX}" y1="${y}" x2="${legendX + 34}" y2="${y}" stroke="${line.color}" stroke-width="2.2"${line.dashed ? ' stroke-dasharray="7 4"' : ''}/>`,
      marker(line, legendX + 17, y),
      `<text x="${legendX + 44}" y="${y}" dy="4" font-size="12.5" fill="#1a1a1a">${escapeXml(line.label)}</text>`,
    );
  });
  const tableY = PLOT.top + series.length * 26 + 64;
  parts.push(`<text x="${legendX}" y="${tableY}" font-size="12" font-weight="bold" fill="#1a1a1a">Measured at (events in the log)</text>`);
  sorted.forEach((point, index) => {
    parts.push(`<text x="${legendX}" y="${tableY + 20 + index * 18}" font-size="12" fill="#333333">${escapeXml(point.events.toLocaleString('en-US'))}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
