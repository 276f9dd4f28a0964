/**
 * The create form's state and the Meta create body built from it (PRODUCT §9). Issues from
 * `validateTemplate` use the same field paths the form's inputs carry.
 */
import { distinctVariables } from '../../../../shared/rules/templates';
import type { TemplateButton, TemplateComponent, TemplateDefinition } from '../../../../shared/rules/templates';

export type DraftHeader = 'NONE' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type DraftButtonType = 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE';

export interface DraftButton {
  type: DraftButtonType;
  text: string;
  url: string;
  urlExample: string;
  phone: string;
  code: string;
}

export interface TemplateDraft {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameterFormat: 'positional' | 'named';
  header: DraftHeader;
  headerText: string;
  headerExample: string;
  body: string;
  /** Examples by variable name (`1`, `first_name`). */
  bodyExamples: Record<string, string>;
  footer: string;
  buttons: DraftButton[];
}

export function emptyDraft(): TemplateDraft {
  return {
    name: '',
    language: 'en_US',
    category: 'UTILITY',
    parameterFormat: 'positional',
    header: 'NONE',
    headerText: '',
    headerExample: '',
    body: '',
    bodyExamples: {},
    footer: '',
    buttons: [],
  };
}

export function emptyButton(type: DraftButtonType): DraftButton {
  return { type, text: '', url: '', urlExample: '', phone: '', code: '' };
}

export const bodyVariables = (draft: TemplateDraft): string[] => distinctVariables(draft.body, draft.parameterFormat === 'named');
export const headerVariables = (draft: TemplateDraft): string[] => (draft.header === 'TEXT' ? distinctVariables(draft.headerText, draft.parameterFormat === 'named') : []);

/** The next variable to insert into the body: `{{n+1}}` or a placeholder name. */
export function nextVariable(draft: TemplateDraft): string {
  const existing = bodyVariables(draft);
  if (draft.parameterFormat === 'named') {
    let n = existing.length + 1;
    while (existing.includes(`value_${n}`)) n++;
    return `{{value_${n}}}`;
  }
  return `{{${existing.length + 1}}}`;
}

function button(b: DraftButton): TemplateButton {
  switch (b.type) {
    case 'QUICK_REPLY':
      return { type: 'QUICK_REPLY', text: b.text };
    case 'URL':
      return { type: 'URL', text: b.text, url: b.url, ...(b.url.includes('{{') ? { example: [b.urlExample] } : {}) };
    case 'PHONE_NUMBER':
      return { type: 'PHONE_NUMBER', text: b.text, phone_number: b.phone };
    case 'COPY_CODE':
      return { type: 'COPY_CODE', example: b.code };
  }
}

export function draftToDefinition(draft: TemplateDraft): TemplateDefinition {
  const named = draft.parameterFormat === 'named';
  const components: TemplateComponent[] = [];
  if (draft.header === 'TEXT') {
    const vars = headerVariables(draft);
    const header: TemplateComponent = { type: 'HEADER', format: 'TEXT', text: draft.headerText };
    if (vars.length > 0) {
      header.example = named ? { header_text_named_params: vars.map((v) => ({ param_name: v, example: draft.headerExample })) } : { header_text: [draft.headerExample] };
    }
    components.push(header);
  } else if (draft.header !== 'NONE') {
    components.push({ type: 'HEADER', format: draft.header });
  }
  const vars = bodyVariables(draft);
  const body: TemplateComponent = { type: 'BODY', text: draft.body };
  if (vars.length > 0) {
    body.example = named
      ? { body_text_named_params: vars.map((v) => ({ param_name: v, example: draft.bodyExamples[v] ?? '' })) }
      : { body_text: [vars.map((v) => draft.bodyExamples[v] ?? '')] };
  }
  components.push(body);
  if (draft.footer.trim() !== '') components.push({ type: 'FOOTER', text: draft.footer });
  if (draft.buttons.length > 0) components.push({ type: 'BUTTONS', buttons: draft.buttons.map(button) });
  return {
    name: draft.name.trim(),
    language: draft.language,
    category: draft.category,
    ...(named ? { parameter_format: 'named' } : {}),
    components,
  };
}
