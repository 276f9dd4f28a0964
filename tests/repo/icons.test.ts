// The committed icons (made by `node scripts/make-icons.mjs`) are well-formed and complete for packaging and
// the tray. Reads the files only: re-rendering here could differ by machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function paeth(left: number, up: number, upLeft: number): number {
  const [toLeft, toUp, toUpLeft] = [up - upLeft, left - upLeft, left + up - 2 * upLeft].map(Math.abs) as [number, number, number];
  return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
}

/** RGBA pixels of an 8-bit, non-interlaced RGBA PNG (what resvg writes). */
function rgbaPixels(png: Buffer): Uint8Array {
  const { width, height } = pngSize(png);
  expect([png[24], png[25], png[28]]).toEqual([8, 6, 0]); // bit depth, colour type RGBA, no interlace
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = new Uint8Array(stride * height);
  const at = (index: number) => out[index] ?? 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? at(y * stride + x - 4) : 0;
      const up = y > 0 ? at((y - 1) * stride + x) : 0;
      const upLeft = x >= 4 && y > 0 ? at((y - 1) * stride + x - 4) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? 0] ?? 0;
      out[y * stride + x] = ((raw[y * (stride + 1) + 1 + x] ?? 0) + predictor) & 0xff;
    }
  }
  return out;
}

const counts = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9plus'];
const trayImages = ['tray-template', 'tray', ...counts.flatMap((count) => [`tray-${count}`, `overlay-${count}`])];

describe('app icons (build/)', () => {
  it('has the 1024 px master and the Linux icon set', () => {
    expect(pngSize(read('build/icon.png'))).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(read(`build/icons/${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
  });

  it('has a Windows ICO with PNG entries 16–256', () => {
    const ico = read('build/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const sizes = [16, 24, 32, 48, 64, 128, 256];
    sizes.forEach((size, index) => {
      const entry = 6 + 16 * index;
      expect(ico[entry] || 256).toBe(size); // 0 means 256
      expect(ico[entry + 1] || 256).toBe(size);
      expect([ico.readUInt16LE(entry + 4), ico.readUInt16LE(entry + 6)]).toEqual([1, 32]);
      const offset = ico.readUInt32LE(entry + 12);
      const png = ico.subarray(offset, offset + ico.readUInt32LE(entry + 8));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    });
  });

  it('has a macOS ICNS with PNG entries 16–1024 and their @2x types', () => {
    const icns = read('build/icon.icns');
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries: [string, number][] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      const png = icns.subarray(at + 8, at + icns.readUInt32BE(at + 4));
      entries.push([icns.toString('latin1', at, at + 4), pngSize(png).width]);
    }
    expect(entries).toEqual([
      ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
      ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
    ]);
  });
});

describe('tray and badge images (assets/tray/)', () => {
  it('has every image at 16 px and @2x 32 px', () => {
    for (const name of trayImages) {
      expect(pngSize(read(`assets/tray/${name}.png`)), name).toEqual({ width: 16, height: 16 });
      expect(pngSize(read(`assets/tray/${name}@2x.png`)), name).toEqual({ width: 32, height: 32 });
    }
  });

  it('draws a different badge for every count', () => {
    for (const prefix of ['tray', 'overlay']) {
      const images = counts.map((count) => read(`assets/tray/${prefix}-${count}.png`).toString('base64'));
      expect(new Set(images).size, prefix).toBe(counts.length);
    }
  });

  it('keeps the macOS template image black, its shape in the alpha channel only', () => {
    for (const name of ['tray-template.png', 'tray-template@2x.png']) {
      const pixels = rgbaPixels(read(`assets/tray/${name}`));
      const colour = pixels.filter((_, at) => at % 4 !== 3);
      const alpha = pixels.filter((_, at) => at % 4 === 3);
      expect(colour.some((channel) => channel !== 0), name).toBe(false);
      expect(alpha.includes(0) && alpha.includes(255), name).toBe(true);
    }
  });
});
