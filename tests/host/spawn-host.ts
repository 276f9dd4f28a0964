/**
 * Starts tests/host/cli.ts under tsx as a child process, and waits for its printed lines. Used by the CLI test
 * and the Playwright fixture.
 *
 * As `node --import tsx`, one process, rather than `node_modules/.bin/tsx`: that binary runs the script in a
 * second process and relays signals to it, and when the machine is busy its relay gives up after 30 ms and
 * SIGKILLs the script — so a SIGTERM would sometimes skip the host's clean close.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
export const cliPath = resolve(repoRoot, 'tests/host/cli.ts');

export interface SpawnedHost {
  url: string;
  origin: string;
  testControlsToken?: string;
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

export async function spawnHost(args: string[], options: { timeoutMs?: number } = {}): Promise<SpawnedHost> {
  const child = runCli(args);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const wantsToken = args.includes('--test-controls');

  const stop = async (graceMs = 8_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const done = exited(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await done;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    const lines = await new Promise<{ url: string; token?: string }>((resolveLines, reject) => {
      const timer = setTimeout(() => reject(new Error(`The preview host printed no URL in time.\nstderr:\n${err}`)), options.timeoutMs ?? 30_000);
      const check = () => {
        const url = /^Frontdesk preview: (\S+)$/m.exec(out)?.[1];
        const token = /^Test controls token: (\S+)$/m.exec(out)?.[1];
        if (url && (!wantsToken || token)) {
          clearTimeout(timer);
          resolveLines({ url, token });
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The preview host exited (${code}) before printing its URL.\nstderr:\n${err}`));
      });
    });
    return {
      url: lines.url,
      origin: new URL(lines.url).origin,
      testControlsToken: lines.token,
      child,
      stdout: () => out,
      stderr: () => err,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
