// `nrm desk` against an HTTP server standing in for the backbone: the request it sends (token,
// If-Match, JSON body) and a problem+json refusal turned into a CliError that exits 1.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.ts';
import { sendDeskRequest } from './desk.ts';

let server: Server;
let baseUrl: string;
const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (request.url === '/v1/liaison/desks/kh-bavet/keys') {
        response.writeHead(422, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'https://nrm.gov.vn/problems/domain-rule', title: 'A domain rule refuses the command', status: 422, detail: 'kid k1 already named another key', rule: 'kid-reused' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ desks: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe('nrm desk: talking to the backbone', () => {
  it('sends the token and answers the JSON', async () => {
    expect(await sendDeskRequest(baseUrl, 'a-token', { method: 'GET', path: '/desks' })).toEqual({ desks: [] });
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/v1/liaison/desks', headers: { authorization: 'Bearer a-token' } });
  });

  it('turns a refusal into a CliError with exit code 1 naming the rule', async () => {
    const sending = sendDeskRequest(baseUrl, 'a-token', { method: 'PUT', path: '/desks/kh-bavet/keys', body: { keys: { keys: [] } }, ifMatch: '"2"' });
    await expect(sending).rejects.toThrow(CliError);
    await sending.catch((error: CliError) => {
      expect(error.exitCode).toBe(1);
      expect(error.message).toBe('PUT /v1/liaison/desks/kh-bavet/keys → 422 A domain rule refuses the command (kid-reused)\n  kid k1 already named another key');
    });
    expect(received.at(-1)).toMatchObject({ method: 'PUT', headers: { 'if-match': '"2"', 'content-type': 'application/json' }, body: JSON.stringify({ keys: { keys: [] } }) });
  });

  it('says so when no backbone answers', async () => {
    await expect(sendDeskRequest('http://127.0.0.1:9', 't', { method: 'GET', path: '/desks' })).rejects.toThrow(/no backbone answers at http:\/\/127.0.0.1:9/);
  });
});
