/**
 * The body of `POST /{WABA-ID}/message_templates` with Meta's creation rules (REFERENCE §8, fixtures
 * `template-create-request-*.json`). Component and button types are matched case-insensitively because
 * Meta accepts `body` as well as `BODY` (its own example uses both). An issue that Meta reports with a
 * specific error subcode carries it in `params.subcode`, so the sandbox answers as Meta would.
 */
import { z } from 'zod';

export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

const componentSchema = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  example: z
    .looseObject({
      header_text: z.array(z.string()).optional(),
      header_text_named_params: z.array(z.strictObject({ param_name: z.string(), example: z.string() })).optional(),
      header_handle: z.array(z.string().min(1)).optional(),
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(z.strictObject({ param_name: z.string(), example: z.string() })).optional(),
    })
    .optional(),
  buttons: z.array(z.looseObject({ type: z.string() })).optional(),
});
type Component = z.infer<typeof componentSchema>;

export const templateCreateRequestSchema = z
  .looseObject({
    name: z.string().min(1).max(512).regex(/^[a-z0-9_]+$/, 'Lowercase letters, digits and underscores only'),
    language: z.string().min(2),
    category: z.string().refine((c) => (templateCategories as readonly string[]).includes(c.toUpperCase()), 'MARKETING, UTILITY or AUTHENTICATION'),
    parameter_format: z.enum(['named', 'positional', 'NAMED', 'POSITIONAL']).optional(),
    allow_category_change: z.boolean().optional(),
    message_send_ttl_seconds: z.number().int().optional(),
    components: z.array(componentSchema).min(1),
  })
  .superRefine((template, ctx) => {
    const named = template.parameter_format?.toLowerCase() === 'named';
    const seen = new Map<string, number>();
    template.components.forEach((component, index) => {
      const type = component.type.toUpperCase();
      seen.set(type, (seen.get(type) ?? 0) + 1);
      const at = (...path: Array<string | number>) => ['components', index, ...path];
      if (type === 'HEADER') checkHeader(component, named, ctx, at);
      else if (type === 'BODY') checkBody(component, named, ctx, at);
      else if (type === 'FOOTER') checkFooter(component, ctx, at);
      else if (type === 'BUTTONS') checkButtons(component, ctx, at);
    });
    if (seen.get('BODY') !== 1) ctx.addIssue({ code: 'custom', path: ['components'], message: 'A template needs exactly one BODY' });
    for (const type of ['HEADER', 'FOOTER', 'BUTTONS']) {
      if ((seen.get(type) ?? 0) > 1) ctx.addIssue({ code: 'custom', path: ['components'], message: `A template has at most one ${type}` });
    }
  });
export type TemplateCreateRequest = z.infer<typeof templateCreateRequestSchema>;

type At = (...path: Array<string | number>) => Array<string | number>;

const variablePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variable names in a text, in order: `["1","2"]` or `["first_name"]`. */
export function templateVariables(text: string): string[] {
  return [...text.matchAll(variablePattern)].map((m) => m[1] ?? '');
}

function checkVariables(text: string, named: boolean, example: Component['example'], kind: 'header' | 'body', ctx: z.RefinementCtx, at: At): void {
  const variables = templateVariables(text);
  if (variables.length === 0) return;
  const trimmed = text.trim();
  if (trimmed.startsWith('{{') || trimmed.endsWith('}}') || /\}\}\s*\{\{/.test(text)) {
    ctx.addIssue({ code: 'custom', path: at('text'), message: 'Variables may not start or end the text or sit next to each other', params: { subcode: 2388299 } });
  }
  if (named) {
    const bad = variables.find((v) => !/^[a-z][a-z0-9_]*$/.test(v));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', path: at('text'), message: `{{${bad}}} is not a valid variable name (lowercase letters, digits, underscores)` });
    const examples = kind === 'header' ? example?.header_text_named_params : example?.body_text_named_params;
    const given = new Set((examples ?? []).map((e) => e.param_name));
    const missing = [...new Set(variables)].filter((v) => !given.has(v));
    if (missing.length > 0) ctx.addIssue({ code: 'custom', path: at('example'), message: `Every variable needs an example: ${missing.join(', ')}` });
    return;
  }
  const numbers = variables.map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
  if (numbers.some((n) => Number.isNaN(n))) {
    ctx.addIssue({ code: 'custom', path: at('text'), message: 'Positional templates use {{1}}, {{2}}, …; set parameter_format "named" for names' });
    return;
  }
  const distinct = [...new Set(numbers)].sort((a, b) => a - b);
  if (distinct.some((n, i) => n !== i + 1)) ctx.addIssue({ code: 'custom', path: at('text'), message: 'Positional variables must run {{1}}, {{2}}, … without gaps' });
  const count = kind === 'header' ? example?.header_text?.length : example?.body_text?.[0]?.length;
  if (count !== distinct.length) ctx.addIssue({ code: 'custom', path: at('example'), message: `Give one example for each of the ${distinct.length} variables` });
}

function checkHeader(component: Component, named: boolean, ctx: z.RefinementCtx, at: At): void {
  const format = component.format?.toUpperCase();
  if (format === 'TEXT') {
    const text = component.text ?? '';
    if (text.length < 1 || text.length > 60) ctx.addIssue({ code: 'custom', path: at('text'), message: 'A text header has 1 to 60 characters' });
    if (templateVariables(text).length > 1) ctx.addIssue({ code: 'custom', path: at('text'), message: 'A text header has at most one variable' });
    checkVariables(text, named, component.example, 'header', ctx, at);
  } else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT' || format === 'GIF') {
    // Media headers need a sample uploaded through the resumable upload API.
    if (!component.example?.header_handle?.length) ctx.addIssue({ code: 'custom', path: at('example', 'header_handle'), message: 'A media header needs a sample handle from the resumable upload API' });
  } else if (format !== 'LOCATION') {
    ctx.addIssue({ code: 'custom', path: at('format'), message: 'Header format is TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION' });
  }
}

function checkBody(component: Component, named: boolean, ctx: z.RefinementCtx, at: At): void {
  const text = component.text ?? '';
  if (text.length < 1 || text.length > 1024) ctx.addIssue({ code: 'custom', path: at('text'), message: 'The body has 1 to 1024 characters' });
  checkVariables(text, named, component.example, 'body', ctx, at);
}

function checkFooter(component: Component, ctx: z.RefinementCtx, at: At): void {
  const text = component.text ?? '';
  if (text.length < 1 || text.length > 60) ctx.addIssue({ code: 'custom', path: at('text'), message: 'The footer has 1 to 60 characters' });
  if (templateVariables(text).length > 0) ctx.addIssue({ code: 'custom', path: at('text'), message: 'The footer cannot have variables' });
}

const buttonLimits: Record<string, number> = { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1 };

function checkButtons(component: Component, ctx: z.RefinementCtx, at: At): void {
  const buttons = (component.buttons ?? []) as Array<Record<string, unknown> & { type: string }>;
  if (buttons.length < 1 || buttons.length > 10) {
    ctx.addIssue({ code: 'custom', path: at('buttons'), message: 'A template has 1 to 10 buttons' });
    return;
  }
  const counts = new Map<string, number>();
  buttons.forEach((button, i) => {
    const type = button.type.toUpperCase();
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const text = typeof button.text === 'string' ? button.text : undefined;
    const label = () => {
      if (!text || text.length > 25) ctx.addIssue({ code: 'custom', path: at('buttons', i, 'text'), message: 'A button label has 1 to 25 characters' });
    };
    if (type === 'QUICK_REPLY') label();
    else if (type === 'URL') {
      label();
      const url = typeof button.url === 'string' ? button.url : '';
      if (!/^https?:\/\/\S+$/i.test(url) || url.length > 2000) ctx.addIssue({ code: 'custom', path: at('buttons', i, 'url'), message: 'A URL button needs an http(s) URL of at most 2000 characters' });
      if (templateVariables(url).length > 1 || (templateVariables(url).length === 1 && !url.trimEnd().endsWith('}}'))) {
        ctx.addIssue({ code: 'custom', path: at('buttons', i, 'url'), message: 'A URL button may have one variable, at the end' });
      }
    } else if (type === 'PHONE_NUMBER') {
      label();
      const phone = typeof button.phone_number === 'string' ? button.phone_number : '';
      if (phone.length < 1 || phone.length > 20) ctx.addIssue({ code: 'custom', path: at('buttons', i, 'phone_number'), message: 'A phone button needs a number of at most 20 characters' });
    } else if (type === 'COPY_CODE') {
      const example = typeof button.example === 'string' ? button.example : '';
      if (example.length < 1 || example.length > 20) ctx.addIssue({ code: 'custom', path: at('buttons', i, 'example'), message: 'A copy-code button needs an example of at most 20 characters' });
    }
  });
  for (const [type, max] of Object.entries(buttonLimits)) {
    if ((counts.get(type) ?? 0) > max) ctx.addIssue({ code: 'custom', path: at('buttons'), message: `At most ${max} ${type} button${max > 1 ? 's' : ''}` });
  }
  // Quick replies must sit together: QR,QR,URL is fine, QR,URL,QR is not.
  const quick = buttons.map((b) => b.type.toUpperCase() === 'QUICK_REPLY');
  const first = quick.indexOf(true);
  const last = quick.lastIndexOf(true);
  if (first !== -1 && quick.slice(first, last + 1).includes(false)) {
    ctx.addIssue({ code: 'custom', path: at('buttons'), message: 'Quick-reply buttons must be grouped together' });
  }
}
