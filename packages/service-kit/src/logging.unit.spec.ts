// Personal data never reaches a log line: values under personal field names are redacted at
// any depth we log, and so are credentials.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { REDACTED, createLogger } from './logging.ts';
import { createTestAuth } from './testing/test-auth.ts';

function capture(): { lines: string[]; stream: { write: (line: string) => void } } {
  const lines: string[] = [];
  return { lines, stream: { write: (line) => lines.push(line) } };
}

describe('logging', () => {
  let app: NrmApp | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('redacts personal fields at the top level and nested in objects and arrays', () => {
    const { lines, stream } = capture();
    const log = createLogger({ stream });
    log.info({
      fullName: 'Nguyễn Thị Hoa',
      body: { person: { dateOfBirth: '2009-02-01', idNumber: '079209001234' }, contacts: [{ phone: '+84901234567', address: 'Phường Bến Thành' }] },
      case: { victim: { names: { fullName: 'Trần Văn Nam' } } },
      photoRef: 'vault://photos/1',
      status: 'received',
    }, 'tip received');
    const output = lines.join('');
    for (const secret of ['Nguyễn Thị Hoa', '2009-02-01', '079209001234', '+84901234567', 'Bến Thành', 'Trần Văn Nam', 'vault://photos/1']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain(REDACTED);
    expect(JSON.parse(output).status).toBe('received');
  });

  it('keeps personal data in request bodies and credentials out of an app\'s log', async () => {
    const { lines, stream } = capture();
    const testAuth = await createTestAuth();
    app = await buildApp({ serviceName: 'test', auth: testAuth.auth, logger: { stream, level: 'debug' } });
    app.post('/tips', async (request) => {
      request.log.info({ body: request.body, headers: request.headers }, 'tip body');
      return { ok: true };
    });
    const token = await testAuth.token({ agency: 'intake' });
    const response = await app.inject({
      method: 'POST',
      url: '/tips?phone=0901234567',
      headers: { authorization: `Bearer ${token}` },
      payload: { victim: { fullName: 'Lê Thị Mai', phone: '0909999999' } },
    });
    expect(response.statusCode).toBe(200);
    const output = lines.join('');
    expect(output).toContain('tip body');
    expect(output).not.toContain('Lê Thị Mai');
    expect(output).not.toContain('0909999999');
    expect(output).not.toContain(token);
    // The request line logs the path only: a query string may hold what someone searched for.
    expect(output).not.toContain('0901234567');
    expect(output).toContain('"path":"/tips"');
  });
});
