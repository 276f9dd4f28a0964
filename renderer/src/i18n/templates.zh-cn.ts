import type { templatesEn } from './templates.en';

/** Chinese words of the templates pages and pickers (the same keys as `templates.en.ts`). */
export const templatesZhCN: typeof templatesEn = {};
