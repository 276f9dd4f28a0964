// `node scripts/make-icons.mjs`: render every app, tray and badge icon from build/icon-source.svg.
// Each size is rendered from the vector at that size (not downscaled) so 16 px stays crisp. Digits are
// drawn as stroked paths, not text, so the output does not depend on the fonts of the machine.
// Files whose bytes would not change are left alone, so running it twice is a no-op.
import { Resvg } from '@resvg/resvg-js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const source = readFileSync(join(root, 'build/icon-source.svg'), 'utf8');

// Framings of the source (viewBoxes). macOS draws icons on a grid with a transparent margin; Windows,
// Linux and the tray need every pixel, so they crop to the tile; the menu-bar template crops to the bubble.
const APPLE_GRID = '0 0 1024 1024';
const TILE = '100 100 824 824';
const BUBBLE = '222 232 580 580';

const BADGE_RED = '#e0352b';
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS types that hold PNG data, with their pixel size (ic11–ic14 are the @2x variants).
const ICNS_ENTRIES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];
const BADGE_COUNTS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9+'];

/** Set (or add) one attribute on the element with this id: how the variants edit the one source. */
function setAttribute(svg, id, name, value) {
  const tag = new RegExp(`<[a-zA-Z]+ id="${id}"[^>]*>`);
  const match = svg.match(tag);
  if (!match) throw new Error(`icon-source.svg has no element with id="${id}"`);
  const attribute = new RegExp(`\\s${name}="[^"]*"`);
  const edited = attribute.test(match[0])
    ? match[0].replace(attribute, ` ${name}="${value}"`)
    : match[0].replace(`id="${id}"`, `id="${id}" ${name}="${value}"`);
  return svg.replace(match[0], edited);
}

/** The source's drawing (defs included) without its root element, for nesting in a composed SVG. */
function sourceBody(svg) {
  return svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
}

function withViewBox(svg, viewBox) {
  return svg.replace(/<svg([^>]*?)viewBox="[^"]*"/, `<svg$1viewBox="${viewBox}"`);
}

const colourIcon = source;
// Template images are drawn by macOS from their alpha channel alone: black bubble, bell left as a hole.
const templateIcon = setAttribute(setAttribute(source, 'tile', 'display', 'none'), 'bubble', 'fill', '#000000');

// Digit strokes on a 6×10 grid (plus sign included), drawn with round caps and joins.
const GLYPHS = {
  0: { width: 6, d: 'M3 0C1 0 0 2 0 5s1 5 3 5 3-2 3-5-1-5-3-5Z' },
  1: { width: 4.2, d: 'M0 2.2 2.8 0v10' },
  2: { width: 6, d: 'M0.2 2.4C0.6 0.8 1.7 0 3.1 0 4.8 0 5.8 1.1 5.8 2.7 5.8 4.6 4.2 5.8 0 10h6' },
  3: { width: 6, d: 'M0.4 0H5.6L2.6 3.9C4.6 3.9 6 5.1 6 7 6 8.8 4.7 10 3 10 1.8 10 0.8 9.6 0 8.8' },
  4: { width: 6, d: 'M4.6 10V0L0 7h6' },
  5: { width: 6, d: 'M5.6 0H1.1L0.6 4.4C1.3 3.9 2.1 3.7 3 3.7 4.8 3.7 6 5 6 6.8 6 8.7 4.7 10 3 10 1.8 10 0.8 9.6 0 8.8' },
  6: { width: 6, d: 'M5.2 0.2C2.4 0.6 0 2.6 0 7.1M0 7.1a3 2.9 0 1 0 6 0 3 2.9 0 1 0-6 0' },
  7: { width: 6, d: 'M0 0h6L2.2 10' },
  8: { width: 6, d: 'M3 4.6a2.5 2.3 0 1 1 0-4.6 2.5 2.3 0 1 1 0 4.6ZM3 4.6a2.9 2.7 0 1 0 0 5.4 2.9 2.7 0 1 0 0-5.4Z' },
  9: { width: 6, d: 'M0.8 9.8C3.6 9.4 6 7.4 6 2.9M6 2.9a3 2.9 0 1 0-6 0 3 2.9 0 1 0 6 0' },
  '+': { width: 6, d: 'M0 5h6M3 2v6' },
};
const GLYPH_GAP = 0.8;

/** White stroked digits centred on (cx, cy), `height` tall, in the caller's coordinates. */
function countPaths(count, cx, cy, height, strokeWidth) {
  const scale = height / 10;
  const glyphs = [...count].map((char) => GLYPHS[char]);
  const width = glyphs.reduce((sum, glyph) => sum + glyph.width, 0) + GLYPH_GAP * (glyphs.length - 1);
  let x = cx - (width * scale) / 2;
  const paths = glyphs.map((glyph) => {
    const path = `<path transform="translate(${x} ${cy - height / 2}) scale(${scale})" d="${glyph.d}"/>`;
    x += (glyph.width + GLYPH_GAP) * scale;
    return path;
  });
  return `<g fill="none" stroke="#ffffff" stroke-width="${strokeWidth / scale}" stroke-linecap="round" stroke-linejoin="round">${paths.join('')}</g>`;
}

/** A red badge: a circle for one digit, a pill for "9+", its right edge at `right`. */
function badgeShape(count, right, cy, radius) {
  const width = count.length > 1 ? radius * 2.6 : radius * 2;
  return { x: right - width, y: cy - radius, width, height: radius * 2, cx: right - width / 2 };
}

// Tray and overlay images are composed on a 32×32 canvas and rendered at 16 and 32 px (@2x).
function trayWithBadge(count) {
  const badge = count && badgeShape(count, 32, 10, 10);
  // A transparent ring around the badge separates it from the icon underneath at 16 px.
  const ring = 2;
  const cutout = badge
    ? `<mask id="badge-ring" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32">` +
      `<rect width="32" height="32" fill="#ffffff"/>` +
      `<rect x="${badge.x - ring}" y="${badge.y - ring}" width="${badge.width + 2 * ring}" height="${badge.height + 2 * ring}" rx="${badge.height / 2 + ring}" fill="#000000"/></mask>`
    : '';
  const icon = `<svg x="0" y="0" width="32" height="32" viewBox="${TILE}">${sourceBody(colourIcon)}</svg>`;
  const badgeSvg = badge
    ? `<rect x="${badge.x}" y="${badge.y}" width="${badge.width}" height="${badge.height}" rx="${badge.height / 2}" fill="${BADGE_RED}"/>` +
      countPaths(count, badge.cx, 10, 11, 2.6)
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    `<defs>${cutout}</defs><g${badge ? ' mask="url(#badge-ring)"' : ''}>${icon}</g>${badgeSvg}</svg>`
  );
}

function overlay(count) {
  const badge = badgeShape(count, 32, 16, count.length > 1 ? 12.3 : 16);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    `<rect x="${badge.x}" y="${badge.y}" width="${badge.width}" height="${badge.height}" rx="${badge.height / 2}" fill="${BADGE_RED}"/>` +
    `${countPaths(count, 16, 16, 17, 3.8)}</svg>`
  );
}

function render(svg, size) {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  if (png.width !== size || png.height !== size) throw new Error(`rendered ${png.width}×${png.height}, wanted ${size}`);
  return png.asPng();
}

/** ICO with PNG-encoded entries (Windows Vista and later read these). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map(({ png }) => png)]);
}

/** ICNS: 'icns' + big-endian total length, then type + big-endian entry length (header included) + PNG. */
function icns(entries) {
  const blocks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + blocks.reduce((sum, block) => sum + block.length, 0), 4);
  return Buffer.concat([head, ...blocks]);
}

function write(path, bytes, note) {
  const absolute = join(root, path);
  const unchanged = existsSync(absolute) && readFileSync(absolute).equals(bytes);
  if (!unchanged) {
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, bytes);
  }
  process.stdout.write(`${unchanged ? 'unchanged' : 'wrote    '} ${relative(root, absolute)} (${note}, ${bytes.length} bytes)\n`);
}

// Renders are cached per framing and size: the ICO, ICNS and PNG set share most of them.
const cache = new Map();
function rendered(svg, viewBox, size) {
  const key = `${viewBox}@${size}@${svg === colourIcon ? 'colour' : 'template'}`;
  if (!cache.has(key)) cache.set(key, render(withViewBox(svg, viewBox), size));
  return cache.get(key);
}

write('build/icon.png', rendered(colourIcon, APPLE_GRID, 1024), '1024×1024');
for (const size of LINUX_SIZES) write(`build/icons/${size}x${size}.png`, rendered(colourIcon, TILE, size), `${size}×${size}`);
write('build/icon.ico', ico(ICO_SIZES.map((size) => ({ size, png: rendered(colourIcon, TILE, size) }))), `sizes ${ICO_SIZES.join(', ')}`);
write(
  'build/icon.icns',
  icns(ICNS_ENTRIES.map(([type, size]) => ({ type, png: rendered(colourIcon, APPLE_GRID, size) }))),
  ICNS_ENTRIES.map(([type, size]) => `${type} ${size}`).join(', '),
);

const variants = [
  ['tray-template', rendered(templateIcon, BUBBLE, 16), rendered(templateIcon, BUBBLE, 32)],
  ['tray', render(trayWithBadge(null), 16), render(trayWithBadge(null), 32)],
  ...BADGE_COUNTS.flatMap((count) => {
    const name = count.replace('+', 'plus');
    return [
      [`tray-${name}`, render(trayWithBadge(count), 16), render(trayWithBadge(count), 32)],
      [`overlay-${name}`, render(overlay(count), 16), render(overlay(count), 32)],
    ];
  }),
];
for (const [name, x1, x2] of variants) {
  write(`assets/tray/${name}.png`, x1, '16×16');
  write(`assets/tray/${name}@2x.png`, x2, '32×32');
}
