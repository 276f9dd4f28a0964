import type { labelsEn } from './labels.en';

/** Chinese words of the labels pages and pickers (the same keys as `labels.en.ts`). */
export const labelsZhCN: typeof labelsEn = {};
