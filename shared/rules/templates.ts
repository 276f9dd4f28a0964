/**
 * Message template rules (PRODUCT §9, REFERENCE §8), shared by the create form, core and the composer:
 * Meta's creation rules for a `POST /{WABA}/message_templates` body, returning issues that name the field
 * in the form's words (`header.text`, `body.example.1`, `buttons.0.url`); the variables a template needs to
 * be sent; and the Cloud API send body built from a template and the values staff filled.
 *
 * Pure: no Node, no DOM.
 */

export const templateCategoryList = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof templateCategoryList)[number];

export const headerFormats = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export type HeaderFormat = (typeof headerFormats)[number];
export const mediaHeaderFormats = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;

export const buttonTypes = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'] as const;
export type TemplateButtonType = (typeof buttonTypes)[number];

/** Meta's limits (REFERENCE §8). */
export const templateLimits = {
  name: 512,
  headerText: 60,
  body: 1024,
  footer: 60,
  buttons: 10,
  buttonLabel: 25,
  url: 2000,
  phone: 20,
  copyCode: 20,
  perType: { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1 } as Record<TemplateButtonType, number>,
} as const;

/** The languages offered first in the form (Meta supports more; any `xx` or `xx_YY` code is accepted). */
export const commonTemplateLanguages = ['en', 'en_US', 'en_GB', 'zh_CN', 'zh_HK', 'zh_TW', 'es', 'es_MX', 'pt_BR', 'fr', 'de', 'it', 'ar', 'hi', 'id', 'ja', 'ko', 'ru', 'tr'] as const;

/** A component as Meta holds it (create body, list answer): loose, type matched case-insensitively. */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  example?: {
    header_text?: string[];
    header_text_named_params?: Array<{ param_name: string; example: string }>;
    header_handle?: string[];
    body_text?: string[][];
    body_text_named_params?: Array<{ param_name: string; example: string }>;
    [key: string]: unknown;
  };
  buttons?: TemplateButton[];
  limited_time_offer?: { text?: string; has_expiration?: boolean };
  [key: string]: unknown;
}

export interface TemplateButton {
  type: string;
  text?: string;
  url?: string;
  phone_number?: string;
  example?: string | string[];
  [key: string]: unknown;
}

/** The body of `POST /{WABA}/message_templates`. */
export interface TemplateDefinition {
  name: string;
  language: string;
  category: string;
  parameter_format?: string;
  components: TemplateComponent[];
  [key: string]: unknown;
}

/** One code per creation rule, so the form can say it in the UI language (`templates.issues.<code>`). */
export const templateIssueCodes = [
  'name_required',
  'name_too_long',
  'name_characters',
  'language_invalid',
  'category_invalid',
  'parameter_format_invalid',
  'body_count',
  'duplicate_header',
  'duplicate_footer',
  'duplicate_buttons',
  'duplicate_limited_time_offer',
  'component_unknown',
  'header_text_required',
  'header_text_too_long',
  'header_text_variables',
  'header_sample_required',
  'header_location_category',
  'header_format_invalid',
  'body_required',
  'body_too_long',
  'footer_required',
  'footer_too_long',
  'footer_variables',
  'limited_time_offer_category',
  'variable_at_edge',
  'variables_adjacent',
  'variable_name_invalid',
  'example_required',
  'example_unused',
  'positional_invalid',
  'positional_gaps',
  'examples_extra',
  'buttons_empty',
  'buttons_too_many',
  'button_label_required',
  'button_label_too_long',
  'button_url_invalid',
  'button_url_too_long',
  'button_url_variable',
  'button_url_example_required',
  'button_phone_invalid',
  'button_phone_too_long',
  'button_code_required',
  'button_code_too_long',
  'button_type_invalid',
  'too_many_quick_reply',
  'too_many_url',
  'too_many_phone_number',
  'too_many_copy_code',
  'quick_replies_grouped',
] as const;
export type TemplateIssueCode = (typeof templateIssueCodes)[number];

/** What a message needs besides its code: limits (`max`), counts, a variable as written (`{{1}}`). */
export type TemplateIssueParams = Record<string, string | number>;

export interface TemplateIssue {
  /** The field in the form's words: `name`, `header.text`, `body.example.0`, `buttons.1.url`, … */
  path: string;
  /** The rule broken (creation rules always set it; send-time issues and core's `fields` may not). */
  code?: TemplateIssueCode;
  params?: TemplateIssueParams;
  /** An English sentence (logs, core's `invalid_request` fields). */
  message: string;
}

/** An issue from `validateTemplate`: always with its code and params. */
export type TemplateRuleIssue = TemplateIssue & { code: TemplateIssueCode; params: TemplateIssueParams };

const variablePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variable names in a text, in order of appearance: `["1","2"]` or `["first_name"]`. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(variablePattern)].map((m) => m[1] ?? '');
}

/** Distinct variables in order of first appearance; positional ones sorted by number. */
export function distinctVariables(text: string, named: boolean): string[] {
  const distinct = [...new Set(variablesIn(text))];
  return named ? distinct : distinct.sort((a, b) => Number(a) - Number(b));
}

const upper = (value: string | undefined) => (value ?? '').toUpperCase();

export function isNamedFormat(format: string | null | undefined): boolean {
  return (format ?? '').toLowerCase() === 'named';
}

export function findComponent(components: readonly TemplateComponent[], type: string): TemplateComponent | undefined {
  return components.find((c) => upper(c.type) === type);
}

export interface ValidateOptions {
  /** A media header's sample is a file to upload (core fills `example.header_handle` from it). */
  mediaSampleGiven?: boolean;
}

/** Meta's creation rules; an empty list when Meta would take it. */
export function validateTemplate(definition: TemplateDefinition, options: ValidateOptions = {}): TemplateRuleIssue[] {
  const issues: TemplateRuleIssue[] = [];
  const add: Add = (path, code, message, params = {}) => {
    issues.push({ path, code, params, message });
  };
  const name = typeof definition.name === 'string' ? definition.name : '';
  if (name.length === 0) add('name', 'name_required', 'A name is required');
  else if (name.length > templateLimits.name) add('name', 'name_too_long', `A name has at most ${templateLimits.name} characters`, { max: templateLimits.name });
  else if (!/^[a-z0-9_]+$/.test(name)) add('name', 'name_characters', 'Lowercase letters, digits and underscores only');

  const language = typeof definition.language === 'string' ? definition.language : '';
  if (!/^[a-z]{2,3}(_[A-Z]{2,4})?$/.test(language)) add('language', 'language_invalid', 'Choose a language (a code such as en or en_US)');

  const category = upper(typeof definition.category === 'string' ? definition.category : '');
  if (!(templateCategoryList as readonly string[]).includes(category)) add('category', 'category_invalid', 'Marketing, utility or authentication');

  const format = definition.parameter_format;
  if (format !== undefined && !['named', 'positional'].includes(String(format).toLowerCase())) add('parameter_format', 'parameter_format_invalid', 'Named or positional');
  const named = isNamedFormat(format);

  const components = Array.isArray(definition.components) ? definition.components : [];
  const counts = new Map<string, number>();
  for (const component of components) counts.set(upper(component.type), (counts.get(upper(component.type)) ?? 0) + 1);
  if (counts.get('BODY') !== 1) add('body.text', 'body_count', 'A template needs exactly one body');
  for (const type of ['HEADER', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER']) {
    if ((counts.get(type) ?? 0) > 1) add('components', `duplicate_${type.toLowerCase()}` as TemplateIssueCode, `A template has at most one ${type.toLowerCase()}`);
  }
  for (const type of counts.keys()) {
    if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER'].includes(type)) add('components', 'component_unknown', `Unknown component ${type}`, { component: type });
  }

  const header = findComponent(components, 'HEADER');
  if (header) checkHeader(header, named, category, options, add);
  const body = findComponent(components, 'BODY');
  if (body) {
    const text = body.text ?? '';
    if (text.trim().length === 0) add('body.text', 'body_required', 'The body is required');
    else if (text.length > templateLimits.body) add('body.text', 'body_too_long', `The body has at most ${templateLimits.body} characters (${text.length} now)`, { max: templateLimits.body, length: text.length });
    checkVariables('body', text, named, body.example, add);
  }
  const footer = findComponent(components, 'FOOTER');
  if (footer) {
    const text = footer.text ?? '';
    if (text.trim().length === 0) add('footer.text', 'footer_required', 'Write the footer or remove it');
    else if (text.length > templateLimits.footer) add('footer.text', 'footer_too_long', `The footer has at most ${templateLimits.footer} characters`, { max: templateLimits.footer });
    if (variablesIn(text).length > 0) add('footer.text', 'footer_variables', 'The footer cannot have variables');
  }
  const buttons = findComponent(components, 'BUTTONS');
  if (buttons) checkButtons(buttons.buttons ?? [], add);
  if (findComponent(components, 'LIMITED_TIME_OFFER') && category !== 'MARKETING') add('category', 'limited_time_offer_category', 'A limited-time offer is a marketing template');
  return issues;
}

type Add = (path: string, code: TemplateIssueCode, message: string, params?: TemplateIssueParams) => void;

function checkHeader(header: TemplateComponent, named: boolean, category: string, options: ValidateOptions, add: Add): void {
  const format = upper(header.format);
  if (format === 'TEXT') {
    const text = header.text ?? '';
    if (text.trim().length === 0) add('header.text', 'header_text_required', 'Write the header text');
    else if (text.length > templateLimits.headerText) add('header.text', 'header_text_too_long', `A text header has at most ${templateLimits.headerText} characters`, { max: templateLimits.headerText });
    if (distinctVariables(text, named).length > 1) add('header.text', 'header_text_variables', 'A text header has at most one variable');
    else checkVariables('header', text, named, header.example, add);
  } else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') {
    if (!options.mediaSampleGiven && !(header.example?.header_handle?.length)) add('header.example', 'header_sample_required', 'A media header needs a sample file');
  } else if (format === 'LOCATION') {
    if (category === 'AUTHENTICATION') add('header.format', 'header_location_category', 'A location header is for marketing and utility templates');
  } else {
    add('header.format', 'header_format_invalid', 'Text, image, video, document or location');
  }
}

function checkVariables(part: 'header' | 'body', text: string, named: boolean, example: TemplateComponent['example'], add: Add): void {
  const all = variablesIn(text);
  if (all.length === 0) return;
  const trimmed = text.trim();
  if (trimmed.startsWith('{{') || trimmed.endsWith('}}')) add(`${part}.text`, 'variable_at_edge', 'A variable cannot start or end the text');
  else if (/\}\}\s*\{\{/.test(text)) add(`${part}.text`, 'variables_adjacent', 'Two variables cannot sit next to each other');
  const distinct = distinctVariables(text, named);
  if (named) {
    const bad = distinct.find((v) => !/^[a-z_][a-z0-9_]*$/.test(v));
    if (bad !== undefined) {
      add(`${part}.text`, 'variable_name_invalid', `{{${bad}}} is not a valid name: lowercase letters, digits and underscores`, { variable: `{{${bad}}}` });
      return;
    }
    const examples = (part === 'header' ? example?.header_text_named_params : example?.body_text_named_params) ?? [];
    distinct.forEach((v, i) => {
      const given = examples.find((e) => e.param_name === v);
      if (!given || given.example.trim() === '') add(`${part}.example.${i}`, 'example_required', `Give an example for {{${v}}}`, { variable: `{{${v}}}` });
    });
    for (const e of examples) if (!distinct.includes(e.param_name)) add(`${part}.example`, 'example_unused', `{{${e.param_name}}} has an example but is not in the text`, { variable: `{{${e.param_name}}}` });
    return;
  }
  const bad = distinct.find((v) => !/^[1-9]\d*$/.test(v));
  if (bad !== undefined) {
    add(`${part}.text`, 'positional_invalid', `{{${bad}}}: positional variables are {{1}}, {{2}}, …; choose named variables for names`, { variable: `{{${bad}}}`, first: '{{1}}', second: '{{2}}' });
    return;
  }
  if (distinct.some((v, i) => Number(v) !== i + 1)) {
    add(`${part}.text`, 'positional_gaps', 'Positional variables run {{1}}, {{2}}, … from 1 without gaps', { first: '{{1}}', second: '{{2}}' });
    return;
  }
  const examples = (part === 'header' ? example?.header_text : example?.body_text?.[0]) ?? [];
  distinct.forEach((v, i) => {
    if (!examples[i] || examples[i].trim() === '') add(`${part}.example.${i}`, 'example_required', `Give an example for {{${v}}}`, { variable: `{{${v}}}` });
  });
  if (examples.length > distinct.length) add(`${part}.example`, 'examples_extra', `${examples.length} examples for ${distinct.length} variables`, { examples: examples.length, variables: distinct.length });
}

function checkButtons(buttons: TemplateButton[], add: Add): void {
  if (buttons.length === 0) add('buttons', 'buttons_empty', 'Add a button or remove the buttons');
  if (buttons.length > templateLimits.buttons) add('buttons', 'buttons_too_many', `At most ${templateLimits.buttons} buttons`, { max: templateLimits.buttons });
  const counts = new Map<string, number>();
  buttons.forEach((button, i) => {
    const type = upper(button.type);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const at = (field: string) => `buttons.${i}.${field}`;
    const label = () => {
      const text = button.text ?? '';
      if (text.trim().length === 0) add(at('text'), 'button_label_required', 'A button needs a label');
      else if (text.length > templateLimits.buttonLabel) add(at('text'), 'button_label_too_long', `A button label has at most ${templateLimits.buttonLabel} characters`, { max: templateLimits.buttonLabel });
    };
    if (type === 'QUICK_REPLY') label();
    else if (type === 'URL') {
      label();
      const url = button.url ?? '';
      const vars = variablesIn(url);
      if (!/^https?:\/\/[^\s/]+\S*$/i.test(url)) add(at('url'), 'button_url_invalid', 'An http or https address');
      else if (url.length > templateLimits.url) add(at('url'), 'button_url_too_long', `An address has at most ${templateLimits.url} characters`, { max: templateLimits.url });
      else if (vars.length > 1 || (vars.length === 1 && !url.trimEnd().endsWith('}}'))) add(at('url'), 'button_url_variable', 'One variable at most, at the end of the address');
      else if (vars.length === 1) {
        const example = Array.isArray(button.example) ? button.example[0] : button.example;
        if (!example || example.trim() === '') add(at('example'), 'button_url_example_required', 'Give an example address for the variable');
      }
    } else if (type === 'PHONE_NUMBER') {
      label();
      const phone = button.phone_number ?? '';
      if (!/^\+?\d[\d ]*$/.test(phone)) add(at('phone_number'), 'button_phone_invalid', 'A phone number with its country code');
      else if (phone.length > templateLimits.phone) add(at('phone_number'), 'button_phone_too_long', `A phone number has at most ${templateLimits.phone} characters`, { max: templateLimits.phone });
    } else if (type === 'COPY_CODE') {
      const example = typeof button.example === 'string' ? button.example : '';
      if (example.trim().length === 0) add(at('example'), 'button_code_required', 'Give the code to copy');
      else if (example.length > templateLimits.copyCode) add(at('example'), 'button_code_too_long', `A code has at most ${templateLimits.copyCode} characters`, { max: templateLimits.copyCode });
    } else {
      add(at('type'), 'button_type_invalid', 'Quick reply, URL, phone number or copy code');
    }
  });
  for (const type of buttonTypes) {
    const max = templateLimits.perType[type];
    if ((counts.get(type) ?? 0) > max) add('buttons', `too_many_${type.toLowerCase()}` as TemplateIssueCode, `At most ${max} ${type.toLowerCase().replace('_', ' ')} button${max > 1 ? 's' : ''}`, { max });
  }
  // Quick replies sit together: QR, QR, URL is fine; QR, URL, QR is not.
  const quick = buttons.map((b) => upper(b.type) === 'QUICK_REPLY');
  const first = quick.indexOf(true);
  const last = quick.lastIndexOf(true);
  if (first !== -1 && quick.slice(first, last + 1).includes(false)) add('buttons', 'quick_replies_grouped', 'Quick-reply buttons must be grouped together');
}

// ---- sending --------------------------------------------------------------------------------------------

/** A template as the archive holds it (Meta's list shape). */
export interface SendableTemplate {
  name: string;
  language: string;
  parameterFormat: string | null;
  components: readonly TemplateComponent[];
}

export type TemplateVariableKind = 'text' | 'image' | 'video' | 'document' | 'location' | 'coupon_code' | 'url_suffix' | 'expiration';

export interface TemplateVariable {
  /** Where staff's value goes in `TemplateValues.text`: `header.1`, `body.first_name`, `button.1`, `lto.expiration`. */
  key: string;
  part: 'header' | 'body' | 'button' | 'limited_time_offer';
  kind: TemplateVariableKind;
  /** The variable's name (`1`, `first_name`); for a button its label; empty for a media header. */
  name: string;
  /** Meta's example, a sensible placeholder. */
  example: string | null;
  /** Buttons: the button's position among all buttons. */
  index?: number;
}

export interface TemplateValues {
  /** Text values by variable key. */
  text?: Record<string, string>;
  /** A media header by Meta's id or an https link (core puts an uploaded file's id here). */
  headerMedia?: { id: string; filename?: string } | { link: string; filename?: string };
  headerLocation?: { latitude: number; longitude: number; name?: string; address?: string };
}

function namedExample(list: Array<{ param_name: string; example: string }> | undefined, name: string): string | null {
  return list?.find((e) => e.param_name === name)?.example ?? null;
}

/** Every value staff must fill to send the template, header first, then body, offer and buttons. */
export function templateSendVariables(template: SendableTemplate): TemplateVariable[] {
  const named = isNamedFormat(template.parameterFormat);
  const out: TemplateVariable[] = [];
  const header = findComponent(template.components, 'HEADER');
  if (header) {
    const format = upper(header.format);
    if (format === 'TEXT') {
      distinctVariables(header.text ?? '', named).forEach((name, i) => {
        const example = named ? namedExample(header.example?.header_text_named_params, name) : (header.example?.header_text?.[i] ?? null);
        out.push({ key: `header.${name}`, part: 'header', kind: 'text', name, example });
      });
    } else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') {
      out.push({ key: 'header.media', part: 'header', kind: format.toLowerCase() as 'image' | 'video' | 'document', name: '', example: null });
    } else if (format === 'LOCATION') {
      out.push({ key: 'header.location', part: 'header', kind: 'location', name: '', example: null });
    }
  }
  const body = findComponent(template.components, 'BODY');
  if (body) {
    distinctVariables(body.text ?? '', named).forEach((name, i) => {
      const example = named ? namedExample(body.example?.body_text_named_params, name) : (body.example?.body_text?.[0]?.[i] ?? null);
      out.push({ key: `body.${name}`, part: 'body', kind: 'text', name, example });
    });
  }
  const offer = findComponent(template.components, 'LIMITED_TIME_OFFER');
  if (offer?.limited_time_offer?.has_expiration) {
    out.push({ key: 'lto.expiration', part: 'limited_time_offer', kind: 'expiration', name: 'expiration_time_ms', example: null });
  }
  const buttons = findComponent(template.components, 'BUTTONS')?.buttons ?? [];
  buttons.forEach((button, index) => {
    const type = upper(button.type);
    if (type === 'COPY_CODE') {
      out.push({ key: `button.${index}`, part: 'button', kind: 'coupon_code', name: button.text ?? 'code', example: typeof button.example === 'string' ? button.example : null, index });
    } else if (type === 'URL' && variablesIn(button.url ?? '').length === 1) {
      const example = Array.isArray(button.example) ? (button.example[0] ?? null) : (button.example ?? null);
      const prefix = (button.url ?? '').replace(variablePattern, '');
      out.push({ key: `button.${index}`, part: 'button', kind: 'url_suffix', name: button.text ?? 'url', example: example && example.startsWith(prefix) ? example.slice(prefix.length) : example, index });
    }
  });
  return out;
}

/** `{ type: 'template', template: { name, language: { code }, components } }` for the outbox. */
export interface TemplateMessage {
  type: 'template';
  template: { name: string; language: { code: string }; components?: Array<Record<string, unknown>> };
}

export type BuildResult = { ok: true; message: TemplateMessage } | { ok: false; issues: TemplateIssue[] };

/** URL button values are percent-encoded (REFERENCE §8); already encoded ones are left as they are. */
function encodeUrlSuffix(value: string): string {
  return /%[0-9a-f]{2}/i.test(value) ? value : encodeURIComponent(value);
}

/** The Cloud API send body from a template and staff's values; every variable must have a value. */
export function buildTemplateMessage(template: SendableTemplate, values: TemplateValues): BuildResult {
  const named = isNamedFormat(template.parameterFormat);
  const issues: TemplateIssue[] = [];
  const text = values.text ?? {};
  const valueOf = (v: TemplateVariable): string | null => {
    const value = text[v.key];
    if (value === undefined || value.trim() === '') {
      issues.push({ path: v.key, message: v.name ? `Fill {{${v.name}}}` : 'Fill this value' });
      return null;
    }
    return value;
  };
  const textParam = (v: TemplateVariable, value: string) => ({ type: 'text', ...(named ? { parameter_name: v.name } : {}), text: value });

  const variables = templateSendVariables(template);
  const components: Array<Record<string, unknown>> = [];
  const headerVars = variables.filter((v) => v.part === 'header');
  if (headerVars.length > 0) {
    const parameters: Array<Record<string, unknown>> = [];
    for (const v of headerVars) {
      if (v.kind === 'text') {
        const value = valueOf(v);
        if (value !== null) parameters.push(textParam(v, value));
      } else if (v.kind === 'location') {
        const location = values.headerLocation;
        if (!location || !Number.isFinite(location.latitude) || !Number.isFinite(location.longitude)) issues.push({ path: v.key, message: 'Give the location' });
        else parameters.push({ type: 'location', location: { ...location } });
      } else {
        const media = values.headerMedia;
        if (!media) issues.push({ path: v.key, message: `Choose the header ${v.kind}` });
        else {
          const { filename, ...source } = media;
          parameters.push({ type: v.kind, [v.kind]: { ...source, ...(v.kind === 'document' && filename ? { filename } : {}) } });
        }
      }
    }
    components.push({ type: 'header', parameters });
  }
  const bodyVars = variables.filter((v) => v.part === 'body');
  if (bodyVars.length > 0) {
    const parameters: Array<Record<string, unknown>> = [];
    for (const v of bodyVars) {
      const value = valueOf(v);
      if (value !== null) parameters.push(textParam(v, value));
    }
    components.push({ type: 'body', parameters });
  }
  for (const v of variables.filter((x) => x.part === 'limited_time_offer')) {
    const value = valueOf(v);
    if (value === null) continue;
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms <= 0) issues.push({ path: v.key, message: 'The offer ends at a time in milliseconds' });
    else components.push({ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: ms } }] });
  }
  for (const v of variables.filter((x) => x.part === 'button')) {
    const value = valueOf(v);
    if (value === null) continue;
    if (v.kind === 'coupon_code') {
      if (value.length > templateLimits.copyCode) issues.push({ path: v.key, message: `A code has at most ${templateLimits.copyCode} characters` });
      components.push({ type: 'button', sub_type: 'copy_code', index: v.index, parameters: [{ type: 'coupon_code', coupon_code: value }] });
    } else {
      components.push({ type: 'button', sub_type: 'url', index: v.index, parameters: [{ type: 'text', text: encodeUrlSuffix(value) }] });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    message: { type: 'template', template: { name: template.name, language: { code: template.language }, ...(components.length > 0 ? { components } : {}) } },
  };
}

/** The text a template shows with the values filled in (or its examples, or the bare `{{name}}`). */
export function fillTemplateText(text: string, part: 'header' | 'body', values: Record<string, string>, fallback?: (name: string) => string | null): string {
  return text.replace(variablePattern, (whole, name: string) => {
    const value = values[`${part}.${name.trim()}`];
    if (value !== undefined && value !== '') return value;
    return fallback?.(name.trim()) ?? whole;
  });
}

/** Only approved templates can be sent (REFERENCE §8). */
export function isSendable(status: string): boolean {
  return status === 'APPROVED';
}
