// `nrm desk` reads its command line into one API request, and refuses bad usage before
// anything is sent: a missing file or desk id, an unknown subcommand, a private key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.ts';
import { deskRequestOf, problemMessage } from './desk.ts';

const dir = mkdtempSync(join(tmpdir(), 'nrm-desk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const publicJwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'sig-2', use: 'sig' }, { kty: 'OKP', crv: 'X25519', x: 'def', kid: 'enc-2', use: 'enc' }] };
const parse = (positionals: string[], values: Record<string, string> = {}) => deskRequestOf({ positionals, values });
const refusal = (positionals: string[], values: Record<string, string> = {}) => {
  try {
    parse(positionals, values);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }
  throw new Error('expected a CliError');
};

describe('nrm desk: the command line', () => {
  it('turns each subcommand into its request', () => {
    const desk = { deskId: 'kh-bavet', keys: publicJwks };
    expect(parse(['register'], { file: file('desk.json', desk) })).toEqual({ method: 'POST', path: '/desks', body: desk });
    expect(parse(['list'])).toEqual({ method: 'GET', path: '/desks' });
    expect(parse(['show', 'kh-bavet'])).toEqual({ method: 'GET', path: '/desks/kh-bavet' });
    expect(parse(['rotate-keys', 'kh-bavet'], { file: file('jwks.json', publicJwks), 'if-match': '3' })).toEqual({ method: 'PUT', path: '/desks/kh-bavet/keys', body: { keys: publicJwks }, ifMatch: '"3"' });
    expect(parse(['profile', 'kh-bavet'], { file: file('profile.json', { language: 'km' }) })).toEqual({ method: 'PUT', path: '/desks/kh-bavet/profile', body: { language: 'km' } });
  });

  it('refuses bad usage, saying what is wrong', () => {
    expect(refusal([])).toMatch(/a subcommand is required/);
    expect(refusal(['remove', 'kh-bavet'])).toMatch(/unknown desk subcommand "remove"/);
    expect(refusal(['show'])).toMatch(/the desk id is missing/);
    expect(refusal(['show', 'Bavet'])).toMatch(/not a desk id/);
    expect(refusal(['list', 'extra'])).toMatch(/unexpected "extra"/);
    expect(refusal(['register'])).toMatch(/--file is required/);
    expect(refusal(['register'], { file: join(dir, 'missing.json') })).toMatch(/cannot read .*ENOENT/);
    expect(refusal(['register'], { file: file('broken.json', '{ not json') })).toMatch(/is not JSON/);
    expect(refusal(['rotate-keys', 'kh-bavet'], { file: file('jwks.json', publicJwks), 'if-match': '"3"' })).toMatch(/--if-match/);
    expect(refusal(['show', 'kh-bavet'], { 'if-match': '3' })).toMatch(/--if-match applies to profile and rotate-keys only/);
  });

  it('never sends a private key', () => {
    const [sig, enc] = publicJwks.keys;
    const leaked = file('private.json', { keys: [sig, { ...enc, d: 'secret' }] });
    expect(refusal(['rotate-keys', 'kh-bavet'], { file: leaked })).toMatch(/key 1 holds private key material \(d\)/);
    expect(refusal(['register'], { file: file('desk-private.json', { deskId: 'kh-bavet', keys: { keys: [{ ...sig, d: 'secret' }, enc] } }) })).toMatch(/key 0 holds private key material/);
  });

  it('prints a refusal with its rule or each field at fault', () => {
    const request = { method: 'POST' as const, path: '/desks' };
    expect(problemMessage(request, 422, { title: 'A domain rule refuses the command', rule: 'gate-not-on-border', detail: 'Hữu Nghị is not on the border with KH' })).toBe(
      'POST /v1/liaison/desks → 422 A domain rule refuses the command (gate-not-on-border)\n  Hữu Nghị is not on the border with KH',
    );
    expect(problemMessage(request, 400, { title: 'The request is not valid', errors: [{ field: 'body.deskId', message: 'must be "<country>-<name>"' }, { field: 'body.keys.keys', message: 'needs at least one key with use "enc"' }] })).toBe(
      'POST /v1/liaison/desks → 400 The request is not valid\n  body.deskId: must be "<country>-<name>"\n  body.keys.keys: needs at least one key with use "enc"',
    );
  });
});
