// Searches text, files, SQLite databases and Kafka topics for plaintext personal values, in every
// form a value could take on the way out: as sent, lowercase, NFC or NFD (the haystack is
// normalised to NFC and lowercased, so one needle covers all four), JSON \u escapes (of the NFC
// and the NFD form), URL encoding, HTML numeric entities, the diacritics folded away (a slug or
// a transliteration) and a phone without its spaces; and inside every base64/base64url run of 16+
// characters decoded (a JWS payload or a base64 column would hide a value from a plain search).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kafka, logLevel } from 'kafkajs';
import type { PlainValue } from './leak-values.ts';

export type Needle = { text: string; form: string; value: PlainValue };
export type LeakHit = { place: string; what: string; value: string; form: string; excerpt: string };

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
const utf16Escaped = (text: string) => text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
const htmlEntities = (text: string) => [...text].map((char) => (char.codePointAt(0)! < 0x80 ? char : `&#${char.codePointAt(0)!};`)).join('');
const htmlHexEntities = (text: string) => [...text].map((char) => (char.codePointAt(0)! < 0x80 ? char : `&#x${char.codePointAt(0)!.toString(16)};`)).join('');

/** Every searched form of a value, lowercased (the haystack is NFC-normalised and lowercased). */
export function needlesOf(value: PlainValue): Needle[] {
  const nfc = value.value.normalize('NFC');
  const nfd = value.value.normalize('NFD');
  const forms: [string, string][] = [
    ['exact/lowercase/NFC/NFD', nfc],
    ['JSON \\u escapes (NFC)', utf16Escaped(nfc)],
    ['JSON \\u escapes (NFD)', utf16Escaped(nfd)],
    ['URL-encoded (NFC)', encodeURIComponent(nfc)],
    ['URL-encoded (NFD)', encodeURIComponent(nfd)],
    ['URL-encoded, + for space', encodeURIComponent(nfc).replace(/%20/g, '+')],
    ['HTML entities', htmlEntities(nfc)],
    ['HTML hex entities', htmlHexEntities(nfc)],
    ['diacritics folded', fold(nfc)],
    ['digits only', /^[\d ]+$/.test(nfc) ? nfc.replace(/ /g, '') : nfc],
  ];
  const seen = new Set<string>();
  const needles: Needle[] = [];
  for (const [form, text] of forms) {
    const lower = text.toLowerCase();
    if (lower.length < 4 || seen.has(lower)) continue;
    seen.add(lower);
    needles.push({ text: lower, form, value });
  }
  return needles;
}

export class LeakScanner {
  readonly needles: Needle[];
  readonly hits: LeakHit[] = [];
  readonly places: string[] = [];
  bytes = 0;
  decodedRuns = 0;

  readonly values: readonly PlainValue[];

  constructor(values: readonly PlainValue[]) {
    this.values = values;
    this.needles = values.flatMap(needlesOf);
  }

  /** The hits in one text, without recording them: for checks that a value IS there. */
  find(text: string, place = '(probe)', decode = true): LeakHit[] {
    const found: LeakHit[] = [];
    const hay = text.normalize('NFC').toLowerCase();
    for (const needle of this.needles) {
      const at = hay.indexOf(needle.text);
      if (at >= 0) found.push({ place, what: needle.value.what, value: needle.value.value, form: needle.form, excerpt: hay.slice(Math.max(0, at - 80), at + needle.text.length + 80) });
    }
    if (decode) {
      for (const [run] of text.matchAll(BASE64_RUN)) {
        this.decodedRuns++;
        const decoded = Buffer.from(run, 'base64').toString('utf8');
        for (const hit of this.find(decoded, place, false)) found.push({ ...hit, form: `${hit.form}, inside base64 ${run.slice(0, 24)}…` });
      }
    }
    return found;
  }

  /** Scans and records one place (a log, a column, a file, a message). */
  scan(place: string, text: string): LeakHit[] {
    this.places.push(place);
    this.bytes += text.length;
    const found = this.find(text, place);
    this.hits.push(...found);
    return found;
  }

  scanBytes(place: string, bytes: Uint8Array): LeakHit[] {
    return this.scan(place, Buffer.from(bytes).toString('utf8'));
  }

  /** Every file under `dir`, byte for byte (SQLite files, WAL, key files, desk keys…). */
  scanFiles(dir: string): number {
    let files = 0;
    const walk = (path: string) => {
      for (const entry of readdirSync(path)) {
        const full = join(path, entry);
        if (statSync(full).isDirectory()) walk(full);
        else {
          files++;
          this.scanBytes(`file ${relative(dir, full)}`, readFileSync(full));
        }
      }
    };
    walk(dir);
    return files;
  }

  /** Every text and blob column of every table (and its row count) of one SQLite database. */
  scanSqlite(file: string, label: string): { tables: string[]; rows: number; columns: number } {
    const db = new DatabaseSync(file, { readOnly: true });
    let rows = 0;
    let columns = 0;
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
      for (const table of tables) {
        const byColumn = new Map<string, string[]>();
        for (const row of db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).iterate() as Iterable<Record<string, unknown>>) {
          rows++;
          for (const [column, value] of Object.entries(row)) {
            const text = typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : null;
            if (text === null) continue;
            let cells = byColumn.get(column);
            if (!cells) byColumn.set(column, (cells = []));
            cells.push(text);
          }
        }
        for (const [column, cells] of byColumn) {
          columns++;
          this.scan(`${label} ${table}.${column} (${cells.length} cells)`, cells.join('\n\u0000\n'));
        }
      }
      return { tables, rows, columns };
    } finally {
      db.close();
    }
  }

  /** Every message (key, value, every header) of every topic whose name starts with `namespace`, from the beginning. */
  async scanKafka(brokers: string[], namespace: string, timeoutMs = 30_000): Promise<{ topics: Record<string, number>; messages: number }> {
    const kafka = new Kafka({ clientId: 'leak-scan', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const expected = new Map<string, number>();
    try {
      for (const topic of (await admin.listTopics()).filter((name) => name.startsWith(namespace))) {
        let count = 0;
        for (const partition of await admin.fetchTopicOffsets(topic)) count += Number(partition.high) - Number(partition.low);
        expected.set(topic, count);
      }
    } finally {
      await admin.disconnect();
    }
    const total = [...expected.values()].reduce((sum, count) => sum + count, 0);
    const seen = new Map<string, number>([...expected.keys()].map((topic) => [topic, 0]));
    if (total === 0) return { topics: Object.fromEntries(seen), messages: 0 };
    const consumer = kafka.consumer({ groupId: `leak-scan-${namespace}${Date.now()}` });
    let messages = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...expected.keys()], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`read ${messages} of ${total} messages of ${namespace} within ${timeoutMs} ms`)), timeoutMs);
        void consumer.run({
          eachMessage: async ({ topic, partition, message }) => {
            const place = `kafka ${topic}/${partition}@${message.offset}`;
            const parts = [`key: ${message.key?.toString('utf8') ?? ''}`, `value: ${message.value?.toString('utf8') ?? ''}`];
            for (const [name, header] of Object.entries(message.headers ?? {})) {
              for (const item of Array.isArray(header) ? header : [header]) parts.push(`header ${name}: ${item === undefined ? '' : item.toString()}`);
            }
            this.scan(place, parts.join('\n'));
            seen.set(topic, (seen.get(topic) ?? 0) + 1);
            if (++messages >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return { topics: Object.fromEntries(seen), messages };
  }
}

/** A readable account of the hits, for an assertion message. */
export function describeHits(hits: readonly LeakHit[]): string {
  return hits
    .slice(0, 20)
    .map((hit) => `${hit.place}: ${hit.what} (${JSON.stringify(hit.value)}) as ${hit.form}\n    …${hit.excerpt}…`)
    .join('\n');
}
