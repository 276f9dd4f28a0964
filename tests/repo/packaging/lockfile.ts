// Which npm packages the packaged app may, must and must not contain, from package-lock.json (lockfileVersion 3).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export function readLockfile(projectDir: string): Lockfile {
  return JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8')) as Lockfile;
}

/** The install name of a lock path or of a module folder: node_modules/a/node_modules/@s/b → @s/b. */
export function installName(modulePath: string): string {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(modulePath);
  if (!match?.[1]) throw new Error(`not a module path: ${modulePath}`);
  return match[1];
}

/** Node's lookup: the nearest node_modules/<name> from the requiring package's folder up to the root. */
function resolveFrom(lock: Lockfile, fromPath: string, name: string): string | undefined {
  let base = fromPath;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** Lock paths of the given root dependencies and everything they need at run time (optional ones if installed). */
export function closure(lock: Lockfile, roots: string[], options: { peers?: boolean } = {}): Set<string> {
  const seen = new Set<string>();
  const visit = (fromPath: string, name: string) => {
    const found = resolveFrom(lock, fromPath, name);
    if (found === undefined || seen.has(found)) return;
    seen.add(found);
    const entry = lock.packages[found] ?? {};
    const peers = options.peers
      ? Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional)
      : [];
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]) visit(found, dep);
  };
  for (const root of roots) visit('', root);
  return seen;
}

export const names = (paths: Iterable<string>): Set<string> => new Set([...paths].map(installName));

/** Bare package specifiers a built bundle imports at run time (not Node built-ins, not 'electron'): the package names. */
export function runtimePackages(imports: string[]): string[] {
  const builtins = new Set(builtinModules);
  const packages = imports
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('node:'))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'))
    .filter((name) => !builtins.has(name) && name !== 'electron');
  return [...new Set(packages)].sort();
}
