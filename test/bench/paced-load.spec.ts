// The HTTP benchmark's load generator, against a stub intake endpoint that stalls one request:
// the paced (open-loop) mode must charge the stall to every request its client was kept from
// sending on time (ADR 0014), where the closed loop charges it once.
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngestionLoad } from './http-ingestion.bench.ts';

const STALL_MS = 200;
const STALLED_REQUEST = 100;

let server: Server;
let url: string;
let received = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const facts = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: { id: string }[] }).events;
      const answer = JSON.stringify({ accepted: facts.length, results: facts.map((fact) => ({ status: 'accepted', events: [{ id: fact.id }] })) });
      const send = () => response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      if (++received === STALLED_REQUEST) setTimeout(send, STALL_MS);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const load = (ratePerSecond?: number) => {
  received = 0;
  return runIngestionLoad({ url, tokens: ['t'], clients: 8, factsPerRequest: 1, requests: 400, ...(ratePerSecond ? { ratePerSecond } : {}) });
};

describe('the HTTP ingestion load generator', () => {
  it('paced: keeps to the offered rate and charges a stall to every request held back behind it', async () => {
    const run = await load(1000);
    expect(run.errorCount).toBe(0);
    expect(run.accepted).toBe(400);
    // 400 requests at 1,000/s cannot finish sooner than the schedule's last slot.
    expect(run.ms).toBeGreaterThanOrEqual(399);
    // The stalled client's requests were due every 8 ms during the 200 ms stall: each waited,
    // and each wait counts from its scheduled moment.
    const heldBack = run.latenciesMs.filter((ms) => ms >= STALL_MS / 2).length;
    expect(heldBack).toBeGreaterThanOrEqual(10);
    // The server's own share saw one slow answer only.
    expect(run.serviceMs.filter((ms) => ms >= STALL_MS / 2).length).toBe(1);
  });

  it('refuses a rate that is not a positive number', async () => {
    for (const ratePerSecond of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(runIngestionLoad({ url, tokens: ['t'], clients: 8, factsPerRequest: 1, requests: 8, ratePerSecond })).rejects.toThrow(/ratePerSecond must be a positive number/);
    }
  });

  it('closed loop: each client sends on the last answer, so the stall counts once', async () => {
    const run = await load();
    expect(run.errorCount).toBe(0);
    expect(run.accepted).toBe(400);
    expect(run.serviceMs).toEqual([]);
    expect(run.latenciesMs.filter((ms) => ms >= STALL_MS / 2).length).toBe(1);
  });
});
