// Helpers for tests/repo/packaging.test.ts: a staging copy of the project, a production build into it, a stand-in
// Electron distribution (the real binary cannot be downloaded here), and electron-builder run offline on them.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../..');

/** Electron's fuse sentinel (@electron/fuses constants.ts); the fuse wire follows it: version byte, length byte, states. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;
/**
 * Electron 45's wire as shipped (electron/build/fuses/fuses.json5), one ASCII '0'/'1' per fuse in FuseV1Options order:
 * RunAsNode 1, EnableCookieEncryption 0, EnableNodeOptionsEnvironmentVariable 1, EnableNodeCliInspectArguments 1,
 * EnableEmbeddedAsarIntegrityValidation 0, OnlyLoadAppFromAsar 0, LoadBrowserProcessSpecificV8Snapshot 0,
 * GrantFileProtocolExtraPrivileges 1, and a ninth, WasmTrapHandlers 1, that @electron/fuses 1.8 has no name for.
 */
export const STAND_IN_FUSE_WIRE = '101100011';

export interface RunResult {
  code: number | null;
  output: string;
}

/** The environment of a child build: no npm-script, vitest or Node-option leftovers of this process; no network. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|VITE_|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$|ELECTRON_RUN_AS_NODE$|GH_TOKEN$|GITHUB_TOKEN$|CSC_)/i.test(key)) continue;
    env[key] = value;
  }
  // Any download attempt (Electron zips, electron-builder's tool binaries) goes to a closed port and fails loudly.
  const nowhere = 'http://127.0.0.1:9';
  return {
    ...env,
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    ELECTRON_GET_USE_PROXY: '1',
    ELECTRON_MIRROR: `${nowhere}/`,
    ELECTRON_BUILDER_BINARIES_MIRROR: `${nowhere}/`,
    npm_config_offline: 'true',
    ...extra,
  };
}

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export async function runOrThrow(what: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.output}`);
  return result.output;
}

/** Top-level entries of the checkout that are outputs or local state, not part of what a release build starts from. */
const NOT_STAGED = new Set(['node_modules', '.git', 'dist', 'dist-electron', 'dist-host', 'release', 'test-results', 'playwright-report', 'bench-results', 'coverage']);

/**
 * A project directory electron-builder can package without touching the repository: a copy of the checkout (sources,
 * tests, the relay and all, so the configuration's file patterns meet everything they must leave out) with
 * node_modules as a hard-linked copy. A symlink does not do: `npm ls`, which electron-builder runs to collect the
 * production dependencies, then reports every package as extraneous and the app ships half its dependencies. A plain
 * copy when hard links cannot cross filesystems. A git remote like the one a GitHub Actions checkout has lets the
 * GitHub publish provider resolve owner and repo.
 */
export async function stageProject(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    if (NOT_STAGED.has(entry.name) || entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) cpSync(join(repoRoot, entry.name), join(dir, entry.name), { recursive: true });
    else if (entry.isFile()) copyFileSync(join(repoRoot, entry.name), join(dir, entry.name));
  }
  const env = childEnv();
  const linked = await run('cp', ['-al', join(repoRoot, 'node_modules'), join(dir, 'node_modules')], { cwd: dir, env });
  if (linked.code !== 0) await runOrThrow('copying node_modules', 'cp', ['-a', join(repoRoot, 'node_modules'), join(dir, 'node_modules')], { cwd: dir, env });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), '[remote "origin"]\n\turl = https://github.com/example/frontdesk.git\n');
}

/** `vite build` in production mode with both outDirs moved into the staging project (vite.config.ts FRONTDESK_BUILD_ROOT). */
export function buildApp(stagingDir: string): Promise<string> {
  return runOrThrow('vite build', process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'production'], {
    cwd: repoRoot,
    env: childEnv({ FRONTDESK_BUILD_ROOT: stagingDir, NODE_ENV: 'production' }),
  });
}

export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
}

/**
 * An unpacked Linux Electron distribution as electron-builder's electronDist (a directory without the release zip is
 * copied as is): the `electron` executable, which electron-builder renames to linux.executableName and whose fuse
 * wire it flips, the license files it moves, the version file, and resources/ where app.asar goes. The executable is
 * a shell script that refuses to run, followed by the sentinel and Electron 45's fuse wire.
 */
export function createElectronStandIn(dir: string, version: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "Electron stand-in for packaging tests: not runnable" >&2\nexit 1\n');
  const wire = Buffer.from([FUSE_WIRE_VERSION, STAND_IN_FUSE_WIRE.length, ...Buffer.from(STAND_IN_FUSE_WIRE, 'latin1')]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, Buffer.from(`# ${FUSE_SENTINEL}`, 'latin1'), wire, Buffer.from('\n')]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), version);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for Electron’s MIT license.\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<!doctype html><title>Stand-in</title>\n');
}

/** electron-builder's CLI from node_modules on the staging project: the real electron-builder.yml, unpacked Linux x64. */
export function packageApp(options: { stagingDir: string; electronDist: string; outDir: string; cacheDir: string; extraArgs?: string[] }): Promise<RunResult> {
  return run(
    process.execPath,
    [
      join(options.stagingDir, 'node_modules/electron-builder/cli.js'),
      '--dir',
      '--linux',
      '--x64',
      '--publish',
      'never',
      '--projectDir',
      options.stagingDir,
      `-c.electronDist=${options.electronDist}`,
      `-c.directories.output=${options.outDir}`,
      ...(options.extraArgs ?? []),
    ],
    { cwd: options.stagingDir, env: childEnv({ ELECTRON_BUILDER_CACHE: options.cacheDir, ELECTRON_CACHE: options.cacheDir }) },
  );
}
