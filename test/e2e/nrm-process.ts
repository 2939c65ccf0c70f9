// Runs the real `nrm` command as a child process, as an operator would, with bounded waits so a
// test can never hang on a process that does not start or stop.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export const NRM_BIN = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'src', 'bin.ts');

export type NrmProcess = { child: ChildProcessWithoutNullStreams; output: () => string; url: string; adminToken: string | null; stop(): Promise<number | null> };

export function runNrm(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NRM_BIN, ...args], { env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nrm ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function startNrm(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<NrmProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NRM_BIN, 'start', ...args], { env: { ...process.env, NRM_LOG_LEVEL: 'warn', ...options.env } });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nrm start did not report where it listens within ${options.timeoutMs ?? 20_000} ms:\n${output}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const tokenComplete = !output.includes('Admin token') || /Admin token[^\n]*\n(\S+)\n/.test(output);
      if (url && tokenComplete) {
        clearTimeout(timer);
        resolve({
          child,
          url,
          output: () => output,
          adminToken: /Admin token[^\n]*\n(\S+)\n/.exec(output)?.[1] ?? null,
          async stop() {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            const code = await exited;
            clearTimeout(killer);
            return code;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nrm start exited with ${code} before listening:\n${output}`));
    });
  });
}
