/**
 * The 20 label colours (PRODUCT §8). A label stores an index into this list; every screen that shows a label
 * takes its colour from here. Each colour is strong enough to read as a swatch on a light and on a dark
 * background; a label's name is always written beside it in the normal text colour, so no text sits on it.
 */
export const labelPalette = [
  '#d9534f', // red
  '#e8743b', // orange
  '#f0a30a', // amber
  '#c9b400', // mustard
  '#8cbf26', // lime
  '#3fa34d', // green
  '#1f8a70', // teal
  '#17a2b8', // cyan
  '#3b8fd9', // sky
  '#2f5fd0', // blue
  '#5b4fcf', // indigo
  '#8e44ad', // purple
  '#c0399f', // magenta
  '#e0609a', // pink
  '#a0522d', // brown
  '#7f8c8d', // grey
  '#34495e', // slate
  '#b8860b', // gold
  '#6b8e23', // olive
  '#c0392b', // crimson
] as const;

export const labelPaletteSize = labelPalette.length;

/** The colour of a label's index; an index out of range (a newer palette) wraps round rather than failing. */
export function labelColour(index: number): string {
  const i = Number.isInteger(index) ? ((index % labelPaletteSize) + labelPaletteSize) % labelPaletteSize : 0;
  return labelPalette[i]!;
}
