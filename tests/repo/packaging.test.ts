// Packaging with the real electron-builder.yml: a production build in a staging copy of the project, packaged by
// electron-builder (unpacked Linux x64, offline) around a stand-in Electron, then the app.asar, the unpacked native
// modules, the fuses and the auto-update file are read back. Nothing is written to the repository.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImports } from './imports';
import { closure, installName, names, readLockfile, runtimePackages } from './packaging/lockfile';
import { buildApp, createElectronStandIn, electronVersion, packageApp, repoRoot, stageProject, STAND_IN_FUSE_WIRE } from './packaging/stage';

const DISABLED = '0'.charCodeAt(0);
const ENABLED = '1'.charCodeAt(0);

/** DESIGN.md, Security baseline, plus no extra file:// privileges (pages are served over app://). */
const EXPECTED_FUSES: Array<[string, number, number]> = [
  ['RunAsNode', FuseV1Options.RunAsNode, DISABLED],
  ['EnableCookieEncryption', FuseV1Options.EnableCookieEncryption, ENABLED],
  ['EnableNodeOptionsEnvironmentVariable', FuseV1Options.EnableNodeOptionsEnvironmentVariable, DISABLED],
  ['EnableNodeCliInspectArguments', FuseV1Options.EnableNodeCliInspectArguments, DISABLED],
  ['EnableEmbeddedAsarIntegrityValidation', FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ENABLED],
  ['OnlyLoadAppFromAsar', FuseV1Options.OnlyLoadAppFromAsar, ENABLED],
  ['GrantFileProtocolExtraPrivileges', FuseV1Options.GrantFileProtocolExtraPrivileges, DISABLED],
];

/** Relay-only: PostgreSQL and what only it pulls in. */
const RELAY_ONLY_ROOTS = ['pg'];
/**
 * Never in the app whatever the lockfile says: build and test tools, Electron itself, and what vite bundles into
 * the renderer (Vue and its compiler, the router, the chart library, the preview host's WebSocket server).
 */
const NEVER_PACKAGED = [
  'electron',
  'electron-builder',
  'app-builder-lib',
  'vite',
  'vitest',
  '@playwright/test',
  'playwright',
  '@resvg/resvg-js',
  'typescript',
  'tsx',
  'eslint',
  'pg',
  'vue',
  '@vue/compiler-sfc',
  'vue-router',
  'pinia',
  'echarts',
  'ws',
];

// Set in beforeAll: one temporary folder holds the staging project, the stand-in Electron, the output and a cache.
let work = '';
let stagingDir = '';
let electronDist = '';
let outDir = '';
let cacheDir = '';
let appDir = '';
let resourcesDir = '';
let asarPath = '';

let builderLog = '';
/** Every file and folder in app.asar, relative, with forward slashes (unpacked ones included, flagged in the header). */
let entries: string[] = [];

const read = (path: string) => extractFile(asarPath, path).toString('utf8');

/** Module folders in the asar (node_modules/a, node_modules/a/node_modules/@s/b), from the entries' paths. */
function packagedModules(): Set<string> {
  const modules = new Set<string>();
  for (const entry of entries) {
    for (const match of entry.matchAll(/node_modules\/(?:@[^/]+\/)?[^/]+/g)) modules.add(entry.slice(0, (match.index ?? 0) + match[0].length));
  }
  const all = new Set(entries);
  return new Set([...modules].filter((path) => all.has(`${path}/package.json`)));
}

describe('packaging (electron-builder.yml)', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'frontdesk-packaging-'));
    [stagingDir, electronDist, outDir, cacheDir] = ['project', 'electron', 'release', 'cache'].map((name) => join(work, name)) as [string, string, string, string];
    appDir = join(outDir, 'linux-unpacked');
    resourcesDir = join(appDir, 'resources');
    asarPath = join(resourcesDir, 'app.asar');
    await stageProject(stagingDir);
    await buildApp(stagingDir);
    createElectronStandIn(electronDist, electronVersion());
    const result = await packageApp({ stagingDir, electronDist, outDir, cacheDir });
    builderLog = result.output;
    if (result.code !== 0) throw new Error(`electron-builder failed (exit ${result.code}):\n${result.output}`);
    entries = listPackage(asarPath, { isPack: false }).map((path) => path.replace(/\\/g, '/').replace(/^\//, ''));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packages offline, around the stand-in Electron, without downloading anything', () => {
    expect(builderLog).toContain('using custom unpacked Electron distribution');
    expect(builderLog).not.toMatch(/downloading/i);
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
    expect(readdirSync(appDir).sort()).toEqual(['LICENSE.electron.txt', 'LICENSES.chromium.html', 'frontdesk', 'resources', 'version']);
    expect(readdirSync(resourcesDir).sort()).toEqual(['app-update.yml', 'app.asar', 'app.asar.unpacked']);
  });

  it('ships the built main, core, preload and renderer', () => {
    for (const file of ['dist-electron/main.js', 'dist-electron/core.js', 'dist-electron/preload.cjs', 'dist/renderer/index.html', 'package.json']) {
      expect(entries).toContain(file);
    }
    expect((JSON.parse(read('package.json')) as { main: string }).main).toBe('dist-electron/main.js');
    const html = read('dist/renderer/index.html');
    const referenced = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => `dist/renderer/${match[1]}`);
    expect(referenced.some((path) => path.endsWith('.js'))).toBe(true);
    for (const path of referenced) expect(entries).toContain(path);
  });

  it('ships the tray and badge images', () => {
    const tray = readdirSync(join(repoRoot, 'assets/tray')).filter((name) => name.endsWith('.png'));
    expect(tray).toContain('tray.png');
    for (const name of tray) expect(entries).toContain(`assets/tray/${name}`);
  });

  it('ships no tests, preview host, relay, sources, sourcemaps or build resources', () => {
    const topLevel = new Set(entries.map((path) => path.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['assets', 'dist', 'dist-electron', 'node_modules', 'package.json']);
    expect(entries.filter((path) => /^(tests|relay|electron|renderer|shared|scripts|build)(\/|$)/.test(path))).toEqual([]);
    expect(entries.filter((path) => /\.map$/.test(path))).toEqual([]);
    expect(entries.filter((path) => /\.(ts|mts|cts|tsx|vue)$/.test(path))).toEqual([]);
    expect(entries.filter((path) => /(^|\/)tests?\/host(\/|$)/.test(path))).toEqual([]);
    // They were there to be left out: the staging project is the whole checkout, and the build wrote sourcemaps.
    for (const path of ['tests/host', 'relay', 'electron/main', 'renderer', 'shared', 'scripts', 'build/icon.png', 'README.md']) {
      expect(existsSync(join(stagingDir, path)), path).toBe(true);
    }
    expect(readdirSync(join(stagingDir, 'dist-electron')).filter((name) => name.endsWith('.map')).length).toBeGreaterThan(0);
  });

  it('ships the production dependencies the app imports, and no dev or relay-only package', () => {
    const lock = readLockfile(stagingDir);
    const packaged = names(packagedModules());
    const { dependencies } = JSON.parse(readFileSync(join(stagingDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const appRoots = Object.keys(dependencies).filter((name) => !RELAY_ONLY_ROOTS.includes(name));

    // What main and core load from node_modules at run time (vite externals), with everything those need.
    const imported = runtimePackages(['main.js', 'core.js'].flatMap((file) => findImports(readFileSync(join(stagingDir, 'dist-electron', file), 'utf8'))));
    expect(imported).toEqual(expect.arrayContaining(['better-sqlite3', 'zod']));
    const required = names(closure(lock, imported));
    expect([...required].filter((name) => !packaged.has(name))).toEqual([]);
    expect(entries).toContain('node_modules/better-sqlite3/package.json');
    expect(entries).toContain('node_modules/zod/package.json');

    // Nothing outside the production closure of the app's own dependencies (pg's is the relay's).
    const allowed = names(closure(lock, appRoots, { peers: true }));
    expect([...packaged].filter((name) => !allowed.has(name))).toEqual([]);
    const relayOnly = [...names(closure(lock, RELAY_ONLY_ROOTS))].filter((name) => !allowed.has(name));
    expect(relayOnly).toEqual(expect.arrayContaining(['pg', 'pg-pool', 'pg-protocol', 'pg-types', 'pgpass']));
    expect(relayOnly.filter((name) => packaged.has(name))).toEqual([]);
    expect(NEVER_PACKAGED.filter((name) => packaged.has(name))).toEqual([]);
    const devOnly = Object.entries(lock.packages)
      .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true)
      .map(([path]) => installName(path))
      .filter((name) => !allowed.has(name));
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((name) => packaged.has(name))).toEqual([]);
  });

  it('keeps every native module outside the asar, with only this platform’s SQLite prebuild', () => {
    const natives = entries.filter((path) => path.endsWith('.node'));
    expect(natives).toContain('node_modules/better-sqlite3/prebuilds/linux-x64.node');
    for (const path of natives) {
      const entry = statFile(asarPath, path);
      expect('unpacked' in entry && entry.unpacked, `${path} is unpacked`).toBe(true);
      expect(existsSync(join(resourcesDir, 'app.asar.unpacked', path)), `${path} is in app.asar.unpacked`).toBe(true);
    }
    const prebuilds = readdirSync(join(resourcesDir, 'app.asar.unpacked/node_modules/better-sqlite3/prebuilds'));
    expect(prebuilds).toEqual(['linux-x64.node']);
    // SQLite's and the addon's C/C++ sources are for building from source only.
    expect(entries.filter((path) => /^node_modules\/better-sqlite3\/(deps|src)\//.test(path))).toEqual([]);
  });

  it('flips the fuses DESIGN.md lists on the executable', async () => {
    // The raw wire: one ASCII state per index, including the ninth fuse @electron/fuses 1.8's types do not name.
    const wire = (await getCurrentFuseWire(join(appDir, 'frontdesk'))) as unknown as { version: string } & Record<number, number>;
    expect(wire.version).toBe('1');
    expect(Object.keys(wire).filter((key) => /^\d+$/.test(key))).toHaveLength(STAND_IN_FUSE_WIRE.length);
    for (const [name, index, state] of EXPECTED_FUSES) {
      expect(wire[index], name).toBe(state);
    }
    // Fuses the configuration does not name keep Electron's value (LoadBrowserProcessSpecificV8Snapshot, WasmTrapHandlers).
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(STAND_IN_FUSE_WIRE.charCodeAt(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot));
    expect(wire[8]).toBe(STAND_IN_FUSE_WIRE.charCodeAt(8));
  });

  it('writes the auto-update feed: GitHub releases of the repository', () => {
    const feed = Object.fromEntries(
      readFileSync(join(resourcesDir, 'app-update.yml'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(': '))
        .map((line) => line.split(': ', 2) as [string, string]),
    );
    expect(feed).toMatchObject({ provider: 'github', updaterCacheDirName: 'frontdesk-updater' });
    expect(feed.owner).toMatch(/\S/);
    expect(feed.repo).toMatch(/\S/);
    // Without `repository` in package.json the repository is the checkout's git remote (stageProject's).
    const { repository } = JSON.parse(readFileSync(join(stagingDir, 'package.json'), 'utf8')) as { repository?: unknown };
    if (repository === undefined) expect(feed).toMatchObject({ owner: 'example', repo: 'frontdesk' });
  });

  it('is validated by electron-builder: an unknown option stops it before packaging', async () => {
    const result = await packageApp({ stagingDir, electronDist, outDir: join(work, 'invalid'), cacheDir, extraArgs: ['-c.linux.notAnOption=true'] });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Invalid configuration object');
    expect(result.output).toContain('configuration.linux');
    expect(existsSync(join(work, 'invalid'))).toBe(false);
  });

  it('accepts the documented generic update server override', async () => {
    // The same merge and schema check the CLI applies to `-c.publish.provider=generic -c.publish.url=…`.
    const require = createRequire(join(stagingDir, 'package.json'));
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(projectDir: string, configPath: string | null, configFromOptions: object | null): Promise<{ publish?: unknown }>;
      validateConfiguration(config: object, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
    };
    const logger = { isEnabled: false, add: () => undefined };
    const url = 'https://updates.example.com/frontdesk';
    const generic = await getConfig(stagingDir, null, { publish: { provider: 'generic', url } });
    await validateConfiguration(generic, logger);
    expect(generic.publish).toEqual({ provider: 'generic', url });
    await validateConfiguration(await getConfig(stagingDir, null, null), logger);
    await expect(validateConfiguration(await getConfig(stagingDir, null, { notAnOption: true }), logger)).rejects.toThrow(/Invalid configuration object/);
  });
});
