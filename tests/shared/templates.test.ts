/**
 * Template rules (PRODUCT §9, REFERENCE §8) against Meta's own payloads: every create request in the
 * fixtures passes, broken ones name the field, and the send body built from a template and staff's values
 * reproduces each `send-request-template-*.json`.
 */
import { describe, expect, it } from 'vitest';
import { buildTemplateMessage, fillTemplateText, templateIssueCodes, templateSendVariables, validateTemplate } from '../../shared/rules/templates';
import type { SendableTemplate, TemplateComponent, TemplateDefinition, TemplateValues } from '../../shared/rules/templates';
import { describeWithFixtures, fixture, fixtureNames } from '../core/cloud/graph-fixtures';

describeWithFixtures('template create requests from the fixtures', () => {
  for (const name of fixtureNames('template-create-request-')) {
    it(`accepts ${name}`, () => {
      expect(validateTemplate(fixture<TemplateDefinition>(name))).toEqual([]);
    });
  }
});

const base: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}} news', example: { header_text: ['A1'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships today.', example: { body_text: [['Ann', 'A1']] } },
    { type: 'FOOTER', text: 'Lucky Shrub' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }, { type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}', example: ['https://example.com/t/A1'] }] },
  ],
};

function broken(change: (t: TemplateDefinition) => void): TemplateDefinition {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
const comp = (t: TemplateDefinition, type: string) => t.components.find((c) => c.type === type)!;
const buttons = (t: TemplateDefinition) => comp(t, 'BUTTONS').buttons!;

describe('template validation', () => {
  it('accepts the base template', () => {
    expect(validateTemplate(base)).toEqual([]);
  });

  const cases: Array<[string, (t: TemplateDefinition) => void, string]> = [
    ['an uppercase name', (t) => (t.name = 'Order_Update'), 'name'],
    ['an empty name', (t) => (t.name = ''), 'name'],
    ['a name over 512 characters', (t) => (t.name = 'a'.repeat(513)), 'name'],
    ['no language', (t) => (t.language = ''), 'language'],
    ['an unknown category', (t) => (t.category = 'PROMO'), 'category'],
    ['no body', (t) => (t.components = t.components.filter((c) => c.type !== 'BODY')), 'body.text'],
    ['a body over 1024 characters', (t) => (comp(t, 'BODY').text = `Hi {{1}} ${'x'.repeat(1024)} {{2}} ok`), 'body.text'],
    ['a body variable gap', (t) => (comp(t, 'BODY').text = 'Hi {{1}}, order {{3}} ships.'), 'body.text'],
    ['a body starting with a variable', (t) => (comp(t, 'BODY').text = '{{1}}, your order {{2}} ships.'), 'body.text'],
    ['adjacent variables', (t) => (comp(t, 'BODY').text = 'Hi {{1}}{{2}} ships.'), 'body.text'],
    ['a missing body example', (t) => (comp(t, 'BODY').example = { body_text: [['Ann']] }), 'body.example.1'],
    ['a named variable without format', (t) => (comp(t, 'BODY').text = 'Hi {{first_name}}, order {{2}} ships.'), 'body.text'],
    ['a named variable with no example', (t) => {
      t.parameter_format = 'named';
      comp(t, 'HEADER').text = 'Order news';
      delete comp(t, 'HEADER').example;
      comp(t, 'BODY').text = 'Hi {{first_name}}, order {{order}} ships.';
      comp(t, 'BODY').example = { body_text_named_params: [{ param_name: 'first_name', example: 'Ann' }] };
    }, 'body.example.1'],
    ['a text header over 60 characters', (t) => (comp(t, 'HEADER').text = `Order {{1}} ${'x'.repeat(60)}`), 'header.text'],
    ['two header variables', (t) => (comp(t, 'HEADER').text = 'Order {{1}} and {{2}} news'), 'header.text'],
    ['a header variable without example', (t) => delete comp(t, 'HEADER').example, 'header.example.0'],
    ['an image header without sample', (t) => Object.assign(comp(t, 'HEADER'), { format: 'IMAGE', text: undefined, example: undefined }), 'header.example'],
    ['an unknown header format', (t) => (comp(t, 'HEADER').format = 'AUDIO'), 'header.format'],
    ['a location header on authentication', (t) => {
      t.category = 'AUTHENTICATION';
      Object.assign(comp(t, 'HEADER'), { format: 'LOCATION', text: undefined, example: undefined });
    }, 'header.format'],
    ['a footer over 60 characters', (t) => (comp(t, 'FOOTER').text = 'x'.repeat(61)), 'footer.text'],
    ['a footer variable', (t) => (comp(t, 'FOOTER').text = 'By {{1}} shop'), 'footer.text'],
    ['a button label over 25 characters', (t) => (buttons(t)[0]!.text = 'x'.repeat(26)), 'buttons.0.text'],
    ['a URL button with a bad address', (t) => (buttons(t)[1]!.url = 'example.com'), 'buttons.1.url'],
    ['a URL variable in the middle', (t) => (buttons(t)[1]!.url = 'https://example.com/{{1}}/x'), 'buttons.1.url'],
    ['a URL variable without example', (t) => delete buttons(t)[1]!.example, 'buttons.1.example'],
    ['three URL buttons', (t) => buttons(t).push({ type: 'URL', text: 'A', url: 'https://a.com' }, { type: 'URL', text: 'B', url: 'https://b.com' }), 'buttons'],
    ['two phone buttons', (t) => buttons(t).push({ type: 'PHONE_NUMBER', text: 'A', phone_number: '+15550001' }, { type: 'PHONE_NUMBER', text: 'B', phone_number: '+15550002' }), 'buttons'],
    ['a phone number over 20 characters', (t) => buttons(t).push({ type: 'PHONE_NUMBER', text: 'Call', phone_number: '1'.repeat(21) }), 'buttons.2.phone_number'],
    ['a copy code over 20 characters', (t) => buttons(t).push({ type: 'COPY_CODE', example: 'X'.repeat(21) }), 'buttons.2.example'],
    ['eleven buttons', (t) => (comp(t, 'BUTTONS').buttons = Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `Q${i}` }))), 'buttons'],
    ['quick replies apart', (t) => buttons(t).push({ type: 'QUICK_REPLY', text: 'Again' }), 'buttons'],
    ['two bodies', (t) => t.components.push({ type: 'BODY', text: 'More' }), 'body.text'],
  ];
  for (const [what, change, path] of cases) {
    it(`refuses ${what}, naming ${path}`, () => {
      const issues = validateTemplate(broken(change));
      expect(issues.map((i) => i.path)).toContain(path);
      for (const issue of issues) expect(issue.message.length).toBeGreaterThan(3);
      for (const issue of issues) expect(templateIssueCodes).toContain(issue.code);
    });
  }

  it('takes a media header whose sample is a file core will upload', () => {
    const t = broken((x) => Object.assign(comp(x, 'HEADER'), { format: 'VIDEO', text: undefined, example: undefined }));
    expect(validateTemplate(t, { mediaSampleGiven: true })).toEqual([]);
  });
});

/** A template that fits a send request (what Meta holds) and the values staff would fill, from the fixture. */
function templateFromSend(request: { template: { name: string; language: { code: string }; components?: Array<Record<string, unknown>> } }): { template: SendableTemplate; values: TemplateValues } {
  const components: TemplateComponent[] = [];
  const text: Record<string, string> = {};
  const values: TemplateValues = { text };
  let named = false;
  const buttons: TemplateComponent['buttons'] = [];
  let body: TemplateComponent = { type: 'BODY', text: 'Thanks for shopping with us.' };
  for (const part of request.template.components ?? []) {
    const parameters = (part.parameters ?? []) as Array<Record<string, unknown>>;
    if (part.type === 'header') {
      const p = parameters[0]!;
      if (p.type === 'text') {
        components.push({ type: 'HEADER', format: 'TEXT', text: 'News for {{1}} today' });
        text['header.1'] = p.text as string;
      } else {
        components.push({ type: 'HEADER', format: String(p.type).toUpperCase() });
        values.headerMedia = p[p.type as string] as { id: string };
      }
    } else if (part.type === 'body') {
      named = parameters.some((p) => p.parameter_name !== undefined);
      const names = parameters.map((p, i) => (named ? (p.parameter_name as string) : String(i + 1)));
      names.forEach((n, i) => (text[`body.${n}`] = parameters[i]!.text as string));
      body = { type: 'BODY', text: `Hello ${names.map((n) => `{{${n}}}`).join(' and ')} here.` };
    } else if (part.type === 'limited_time_offer') {
      components.push({ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Offer', has_expiration: true } });
      text['lto.expiration'] = String((parameters[0]!.limited_time_offer as { expiration_time_ms: number }).expiration_time_ms);
    } else if (part.type === 'button') {
      const index = part.index as number;
      while (buttons.length < index) buttons.push({ type: 'QUICK_REPLY', text: `Reply ${buttons.length}` });
      if (part.sub_type === 'copy_code') buttons[index] = { type: 'COPY_CODE', example: 'CODE' };
      else buttons[index] = { type: 'URL', text: 'Open', url: 'https://example.com/{{1}}' };
      const p = parameters[0]!;
      text[`button.${index}`] = (p.coupon_code ?? p.text) as string;
    }
  }
  components.push(body);
  if (buttons.length > 0) components.push({ type: 'BUTTONS', buttons });
  return { template: { name: request.template.name, language: request.template.language.code, parameterFormat: named ? 'named' : 'positional', components }, values };
}

describeWithFixtures('template send bodies from the fixtures', () => {
  for (const name of fixtureNames('send-request-template-')) {
    it(`reproduces ${name}`, () => {
      const request = fixture<{ type: string; template: { name: string; language: { code: string }; components?: Array<Record<string, unknown>> } }>(name);
      const { template, values } = templateFromSend(request);
      const built = buildTemplateMessage(template, values);
      expect(built.ok).toBe(true);
      if (!built.ok) return;
      expect(built.message).toEqual({ type: request.type, template: request.template });
    });
  }
});

describe('template variables and sending', () => {
  const approved: SendableTemplate = {
    name: 'order_update',
    language: 'en_US',
    parameterFormat: 'positional',
    components: base.components,
  };

  it('lists every variable with its example, header first', () => {
    expect(templateSendVariables(approved)).toEqual([
      { key: 'header.1', part: 'header', kind: 'text', name: '1', example: 'A1' },
      { key: 'body.1', part: 'body', kind: 'text', name: '1', example: 'Ann' },
      { key: 'body.2', part: 'body', kind: 'text', name: '2', example: 'A1' },
      { key: 'button.1', part: 'button', kind: 'url_suffix', name: 'Track', example: 'A1', index: 1 },
    ]);
  });

  it('refuses a send with an empty variable, naming it', () => {
    const built = buildTemplateMessage(approved, { text: { 'header.1': 'A1', 'body.1': 'Ann', 'body.2': ' ', 'button.1': 'A1' } });
    expect(built).toEqual({ ok: false, issues: [{ path: 'body.2', message: 'Fill {{2}}' }] });
  });

  it('percent-encodes a URL button value and sends a document header with its file name', () => {
    const doc: SendableTemplate = { ...approved, components: [{ type: 'HEADER', format: 'DOCUMENT' }, ...approved.components.slice(1)] };
    const built = buildTemplateMessage(doc, { text: { 'body.1': 'Ann', 'body.2': 'A1', 'button.1': 'a b/c' }, headerMedia: { id: '42', filename: 'receipt.pdf' } });
    expect(built.ok && built.message.template.components).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { id: '42', filename: 'receipt.pdf' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'A1' }] },
      { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'a%20b%2Fc' }] },
    ]);
  });

  it('fills the preview text with values, then examples', () => {
    expect(fillTemplateText('Hi {{1}}, order {{2}}', 'body', { 'body.1': 'Ann' }, (n) => (n === '2' ? '[2]' : null))).toBe('Hi Ann, order [2]');
  });
});
