/** English words of the templates pages and pickers (a section of `en.ts`; `templates.zh-cn.ts` has the same keys). */
export const templatesEn = {};
