import {
  businessProfileFieldsSchema,
  characters,
  contactMethodSchema,
  maxContactLabel,
  maxContactMethods,
  maxContactValue,
  profileLimits,
  profilePhotoLimits,
  readOnlyVerticals,
  settableVerticals,
} from '../../../shared/rules/business-profile';
import type { BusinessProfileFields, ContactMethod, ContactMethodKind } from '../../../shared/rules/business-profile';
import type { FieldIssue } from '../../../shared/ipc/errors';

/**
 * The business profile form as typed, checked with the shared schema core validates with (PRODUCT §4), and
 * what is wrong with each field as a translation key (`profile.problems.*`) and its values: the schema decides
 * that a field is wrong, this file says why in words staff can read in either language.
 */
export interface ProfileForm {
  about: string;
  address: string;
  description: string;
  email: string;
  /** Always two inputs; empty ones are left out of the request. */
  websites: [string, string];
  vertical: string;
}

export type ProblemKey = 'required' | 'tooLong' | 'email' | 'website' | 'phone' | 'invalid';

export interface FieldProblem {
  /** Dotted path of the form field: `about`, `websites.1`, `contactMethods.2.value`. */
  path: string;
  key: ProblemKey;
  max?: number;
}

export function formFromFields(fields: BusinessProfileFields): ProfileForm {
  return {
    about: fields.about,
    address: fields.address,
    description: fields.description,
    email: fields.email,
    websites: [fields.websites[0] ?? '', fields.websites[1] ?? ''],
    vertical: fields.vertical,
  };
}

/** The request for a form, and which input each sent website came from (`websites.0` may be the second box). */
export function toProfileRequest(form: ProfileForm): { request: BusinessProfileFields; websiteInputs: number[] } {
  const websiteInputs: number[] = [];
  const websites: string[] = [];
  form.websites.forEach((site, index) => {
    if (site.trim() === '') return;
    websiteInputs.push(index);
    websites.push(site.trim());
  });
  const request = {
    about: form.about.trim(),
    address: form.address.trim(),
    description: form.description.trim(),
    email: form.email.trim(),
    websites,
    vertical: form.vertical as BusinessProfileFields['vertical'],
  };
  return { request, websiteInputs };
}

function tooLong(text: string, max: number): boolean {
  return characters(text.trim()) > max;
}

const profileFieldNames = ['about', 'address', 'description', 'email', 'vertical'];

/** Why a profile field is wrong, from what it holds (the schema has already said that it is). */
function profileProblem(form: ProfileForm, path: string): FieldProblem {
  const [field, index] = path.split('.');
  switch (field) {
    case 'about':
      if (form.about.trim() === '') return { path, key: 'required' };
      return { path, key: 'tooLong', max: profileLimits.aboutMax };
    case 'address':
      return { path, key: 'tooLong', max: profileLimits.address };
    case 'description':
      return { path, key: 'tooLong', max: profileLimits.description };
    case 'email':
      return tooLong(form.email, profileLimits.email) ? { path, key: 'tooLong', max: profileLimits.email } : { path, key: 'email' };
    case 'websites': {
      const site = form.websites[Number(index)] ?? '';
      return tooLong(site, profileLimits.website) ? { path, key: 'tooLong', max: profileLimits.website } : { path, key: 'website' };
    }
    default:
      return { path, key: 'invalid' };
  }
}

/** Request paths (`websites.0`) → the form's (`websites.1` when the first box was empty); one problem per field. */
export function profileProblemsFromPaths(form: ProfileForm, paths: readonly string[], websiteInputs: readonly number[]): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const raw of paths) {
    const parts = raw.split('.');
    // `websites` itself (too many) can only be the second box; anything unknown is the form's as a whole ('').
    const path =
      parts[0] === 'websites'
        ? `websites.${parts[1] === undefined ? 1 : (websiteInputs[Number(parts[1])] ?? 1)}`
        : profileFieldNames.includes(parts[0] ?? '')
          ? parts[0]!
          : '';
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push(profileProblem(form, path));
  }
  return problems;
}

/** Every wrong field of the form, checked with the schema core uses; empty when it can be saved. */
export function checkProfileForm(form: ProfileForm): { problems: FieldProblem[]; request: BusinessProfileFields } {
  const { request, websiteInputs } = toProfileRequest(form);
  const parsed = businessProfileFieldsSchema.safeParse(request);
  if (parsed.success) return { problems: [], request: parsed.data };
  return { problems: profileProblemsFromPaths(form, parsed.error.issues.map((issue) => issue.path.join('.')), websiteInputs), request };
}

/** Core's `invalid_request` field list → problems under the fields it names. */
export function profileProblemsFromFields(form: ProfileForm, fields: readonly FieldIssue[] | undefined): FieldProblem[] {
  const { websiteInputs } = toProfileRequest(form);
  return profileProblemsFromPaths(
    form,
    (fields ?? []).map((field) => field.path),
    websiteInputs,
  );
}

export function isProfileDirty(form: ProfileForm, fields: BusinessProfileFields | null): boolean {
  if (!fields) return false;
  const saved = formFromFields(fields);
  return (
    form.about.trim() !== saved.about.trim() ||
    form.address.trim() !== saved.address.trim() ||
    form.description.trim() !== saved.description.trim() ||
    form.email.trim() !== saved.email.trim() ||
    form.websites.some((site, index) => site.trim() !== saved.websites[index]!.trim()) ||
    form.vertical !== saved.vertical
  );
}

/** The options of the category select: the current read-only value first (or "not set"), then what can be set. */
export function verticalOptions(current: string): string[] {
  const settable: readonly string[] = settableVerticals;
  if (settable.includes(current)) return [...settableVerticals];
  const first = (readOnlyVerticals as readonly string[]).includes(current) ? current : '';
  return [first, ...settableVerticals];
}

// Contact methods (the local extras).

export interface ContactMethodForm extends ContactMethod {
  /** A stable key for the list while rows are added and removed. */
  key: number;
}

let nextKey = 1;
export function newContactMethod(method: Partial<ContactMethod> = {}): ContactMethodForm {
  return { key: nextKey++, kind: method.kind ?? 'phone', label: method.label ?? '', value: method.value ?? '' };
}

function contactMethodProblem(method: ContactMethod, index: number, field: string): FieldProblem {
  const path = `contactMethods.${index}.${field}`;
  if (field === 'label') {
    if (method.label.trim() === '') return { path, key: 'required' };
    return { path, key: 'tooLong', max: maxContactLabel };
  }
  if (field !== 'value') return { path: `contactMethods.${index}.kind`, key: 'invalid' };
  const value = method.value.trim();
  if (value === '') return { path, key: 'required' };
  if (characters(value) > maxContactValue) return { path, key: 'tooLong', max: maxContactValue };
  const formatKey: Record<ContactMethodKind, ProblemKey> = { phone: 'phone', fax: 'phone', email: 'email', website: 'website', other: 'invalid' };
  return { path, key: formatKey[method.kind] };
}

/** Each row checked with `contactMethodSchema`; the methods to save when nothing is wrong. */
export function checkContactMethods(rows: readonly ContactMethodForm[]): { problems: FieldProblem[]; methods: ContactMethod[] } {
  const problems: FieldProblem[] = [];
  const methods: ContactMethod[] = [];
  rows.forEach((row, index) => {
    const method: ContactMethod = { kind: row.kind, label: row.label.trim(), value: row.value.trim() };
    const parsed = contactMethodSchema.safeParse(method);
    if (parsed.success) {
      methods.push(parsed.data);
      return;
    }
    const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'value')));
    for (const field of ['kind', 'label', 'value']) if (fields.has(field)) problems.push(contactMethodProblem(method, index, field));
  });
  return { problems, methods };
}

/** Core's field list for `profile:save-extras` (`contactMethods.2.value`) → problems on those rows. */
export function contactProblemsFromFields(rows: readonly ContactMethodForm[], fields: readonly FieldIssue[] | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of fields ?? []) {
    const match = /^contactMethods\.(\d+)\.(kind|label|value)/.exec(issue.path);
    const row = match ? rows[Number(match[1])] : undefined;
    if (match && row) problems.push(contactMethodProblem(row, Number(match[1]), match[2]!));
  }
  return problems;
}

export { maxContactMethods };

// The profile photo.

export type PhotoVerdict = { ok: true; mimeType: string } | { ok: false; reason: 'type' | 'size' | 'empty'; size: number };

/** JPEG or PNG, at most 5 MB — checked before the file is read, so a refused one is never sent. */
export function checkProfilePhoto(file: Pick<File, 'name' | 'type' | 'size'>): PhotoVerdict {
  const byName = /\.jpe?g$/i.test(file.name) ? 'image/jpeg' : /\.png$/i.test(file.name) ? 'image/png' : '';
  const mimeType = (file.type || byName).toLowerCase();
  if (!(profilePhotoLimits.mimeTypes as readonly string[]).includes(mimeType)) return { ok: false, reason: 'type', size: file.size };
  if (file.size === 0) return { ok: false, reason: 'empty', size: 0 };
  if (file.size > profilePhotoLimits.maxBytes) return { ok: false, reason: 'size', size: file.size };
  return { ok: true, mimeType };
}
