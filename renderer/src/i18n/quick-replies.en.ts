/** English words of the quickReplies pages and pickers (a section of `en.ts`; `quick-replies.zh-cn.ts` has the same keys). */
export const quickRepliesEn = {};
