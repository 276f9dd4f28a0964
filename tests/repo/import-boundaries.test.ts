import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findImports } from './imports';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(relative(root, path));
    return /\.(ts|mts|cts|js|mjs|cjs|vue)$/.test(name) ? [path] : [];
  });
}

function violations(dirs: string[], forbidden: (specifier: string) => boolean): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      findImports(readFileSync(file, 'utf8'))
        .filter(forbidden)
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    ),
  );
}

const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/') || s === 'electron-store';
const nodeBuiltin = /^(node:|(fs|path|os|child_process|crypto|http|https|net|stream|url|util|worker_threads|module|process|events|buffer)(\/|$))/;

describe('import boundaries (DESIGN: the shape)', () => {
  it('finds every import form, so the checks below can fail', () => {
    const source = `
      import { app } from 'electron';
      import type Store from "electron-store";
      export { x } from 'node:fs';
      const a = require('electron');
      const b = await import('child_process');
      import '../electron/main/index';
    `;
    expect(findImports(source)).toEqual(['electron', 'electron-store', 'node:fs', 'electron', 'child_process', '../electron/main/index']);
  });

  it('keeps electron/core, shared and relay free of Electron', () => {
    expect(violations(['electron/core', 'shared', 'relay'], isElectron)).toEqual([]);
  });

  it('keeps the renderer free of Node, Electron and electron/', () => {
    const forbidden = (s: string) => isElectron(s) || nodeBuiltin.test(s) || /(^|\/)electron\//.test(s);
    expect(violations(['renderer'], forbidden)).toEqual([]);
  });

  it('keeps shared pure: no Node either', () => {
    expect(violations(['shared'], (s) => nodeBuiltin.test(s))).toEqual([]);
  });

  it('has files to check (the folders exist where DESIGN puts them)', () => {
    expect(sourceFiles('electron/core').length).toBeGreaterThan(0);
    expect(sourceFiles('shared').length).toBeGreaterThan(0);
    expect(sourceFiles('renderer').length).toBeGreaterThan(0);
  });
});
