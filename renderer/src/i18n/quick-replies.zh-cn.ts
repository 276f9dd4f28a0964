import type { quickRepliesEn } from './quick-replies.en';

/** Chinese words of the quickReplies pages and pickers (the same keys as `quick-replies.en.ts`). */
export const quickRepliesZhCN: typeof quickRepliesEn = {};
