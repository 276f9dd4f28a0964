// `npm start`: build everything, then run Frontdesk in Electron. Where the Electron binary could not be
// downloaded (these build machines), say so in one sentence and point at the browser preview instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));

/**
 * The Electron executable, or null. The package's own entry downloads a missing binary when required, so
 * its path.txt and dist/ are checked first: `npm start` must not hang on a download that cannot succeed.
 */
function electronBinary() {
  try {
    const packageDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const expected = override ? join(override, executable || 'electron') : executable ? join(packageDir, 'dist', executable) : null;
    if (!expected || !existsSync(expected)) return null;
    const resolved = require('electron');
    return typeof resolved === 'string' && existsSync(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error('The Electron binary is not installed and could not be downloaded here; use `npm run preview` to run Frontdesk in a browser.');
  process.exit(1);
}

const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const build = spawnSync(process.execPath, [viteBin, 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('error', (error) => {
  console.error(`Could not start Electron: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
