/** English words of the labels pages and pickers (a section of `en.ts`; `labels.zh-cn.ts` has the same keys). */
export const labelsEn = {};
