/**
 * `/{WABA-ID}/message_templates` as Meta serves it (REFERENCE §8): creation checked with the client's own
 * schema plus Meta's uniqueness rule (name + language) and media-sample handles; new templates PENDING and
 * reviewed after a delay on the sandbox clock; cursor-paged lists in the fixtures' shape; delete by name
 * (every language) or by name + hsm_id; `GET /{template-id}?fields=status`.
 */
import { templateCreateRequestSchema } from '../cloud/graph-template-schemas';
import { managementValidationError, metaErrors } from './graph-meta-errors';
import type { SandboxContext, SandboxReply, SandboxRequest, SandboxTemplate } from './graph-types';
import { parseJsonBody, requestedFields } from './graph-types';

const defaultFields = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'sub_category', 'id'];
const knownFields = new Set([...defaultFields, 'quality_score', 'rejected_reason', 'previous_category']);
const defaultPageSize = 25;

export interface TemplateStatusChange {
  template: SandboxTemplate;
  previous: string;
}

export interface TemplateRouteOptions {
  reviewMs: number;
  /** Decides a review; approves unless told otherwise. */
  review?(template: SandboxTemplate): { status: 'APPROVED' } | { status: 'REJECTED'; reason: string };
  onStatus?(change: TemplateStatusChange): void;
}

export interface TemplateRoute {
  collection(request: SandboxRequest): SandboxReply;
  has(id: string): boolean;
  node(request: SandboxRequest, id: string): SandboxReply;
  find(name: string, language: string): SandboxTemplate | undefined;
  /** Adds an APPROVED template directly (the demo's ready-made ones, test set-up). */
  seed(template: { name: string; language: string; category: string; components: SandboxTemplate['components']; parameterFormat?: 'POSITIONAL' | 'NAMED' }): SandboxTemplate;
  setStatus(id: string, status: string, reason?: string): void;
  list(): SandboxTemplate[];
}

function encodeCursor(index: number): string {
  return Buffer.from(JSON.stringify({ i: index })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i?: unknown };
    return typeof value.i === 'number' && Number.isInteger(value.i) && value.i >= 0 ? value.i : undefined;
  } catch {
    return undefined;
  }
}

export function createTemplateRoute(ctx: SandboxContext, options: TemplateRouteOptions): TemplateRoute {
  // Insertion order is list order.
  const templates = new Map<string, SandboxTemplate>();

  function setStatus(id: string, status: string, reason?: string): void {
    const template = templates.get(id);
    if (!template || template.status === status) return;
    const previous = template.status;
    template.status = status;
    template.rejectedReason = status === 'REJECTED' ? (reason ?? 'INVALID_FORMAT') : undefined;
    options.onStatus?.({ template, previous });
  }

  function render(template: SandboxTemplate, fields: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      name: template.name,
      parameter_format: template.parameterFormat,
      components: template.components,
      language: template.language,
      status: template.status,
      category: template.category,
      sub_category: template.subCategory,
      quality_score: { score: template.status === 'APPROVED' ? 'GREEN' : 'UNKNOWN' },
      rejected_reason: template.rejectedReason ?? 'NONE',
    };
    const out: Record<string, unknown> = {};
    for (const field of fields) if (all[field] !== undefined) out[field] = all[field];
    out.id = template.id; // Graph always answers the id.
    return out;
  }

  function list(request: SandboxRequest): SandboxReply {
    const fields = requestedFields(request, defaultFields);
    const unknown = fields.find((f) => !knownFields.has(f));
    if (unknown) return ctx.error(400, metaErrors.unknownField(unknown, 'WhatsAppMessageTemplate'));
    const status = request.query.get('status')?.toUpperCase();
    const name = request.query.get('name');
    const matching = [...templates.values()].filter((t) => (!status || t.status === status) && (!name || t.name.includes(name)));
    const limit = Math.min(Math.max(Number(request.query.get('limit') ?? defaultPageSize) || defaultPageSize, 1), 1000);
    const afterParam = request.query.get('after');
    const start = afterParam === null ? 0 : (decodeCursor(afterParam) ?? -1) + 1;
    if (start <= 0 && afterParam !== null) return ctx.error(400, metaErrors.invalidParameter('The after cursor is not valid.'));
    const page = matching.slice(start, start + limit);
    const body: Record<string, unknown> = { data: page.map((t) => render(t, fields)) };
    if (page.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(start + page.length - 1) } };
      if (start + page.length < matching.length) {
        const next = new URL(`${ctx.baseUrl()}/${request.version ?? 'v25.0'}/${ctx.wabaId}/message_templates`);
        for (const [key, value] of request.query) if (key !== 'after') next.searchParams.set(key, value);
        next.searchParams.set('limit', String(limit));
        next.searchParams.set('after', encodeCursor(start + page.length - 1));
        paging.next = next.toString();
      }
      body.paging = paging;
    }
    return ctx.ok(body);
  }

  function create(request: SandboxRequest): SandboxReply {
    const json = parseJsonBody(request);
    if (!json.ok) return ctx.error(400, metaErrors.invalidParameter('The request body is not valid JSON.'));
    const parsed = templateCreateRequestSchema.safeParse(json.value);
    if (!parsed.success) return ctx.error(400, managementValidationError(parsed.error));
    const body = parsed.data;
    if ([...templates.values()].some((t) => t.name === body.name && t.language === body.language)) {
      return ctx.error(400, {
        ...metaErrors.invalidParameter(`There is already ${body.language} content for this template.`, 2388024),
        userTitle: 'Content in This Language Already Exists',
      });
    }
    for (const component of body.components) {
      for (const handle of component.example?.header_handle ?? []) {
        if (!ctx.uploadsByHandle.has(handle)) return ctx.error(400, metaErrors.invalidParameter(`Param example.header_handle: ${handle} is not an uploaded file handle.`));
      }
    }
    const template: SandboxTemplate = {
      id: ctx.random.digits(16),
      name: body.name,
      language: body.language,
      category: body.category.toUpperCase(),
      subCategory: undefined,
      parameterFormat: body.parameter_format?.toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
      components: body.components.map((c) => ({ ...c, type: c.type.toUpperCase() })),
      status: 'PENDING',
      rejectedReason: undefined,
    };
    templates.set(template.id, template);
    ctx.clock.setTimer(options.reviewMs, () => {
      if (template.status !== 'PENDING') return;
      const verdict = options.review?.(template) ?? { status: 'APPROVED' as const };
      setStatus(template.id, verdict.status, verdict.status === 'REJECTED' ? verdict.reason : undefined);
    });
    return ctx.ok({ id: template.id, status: template.status, category: template.category });
  }

  function remove(request: SandboxRequest): SandboxReply {
    const name = request.query.get('name');
    const hsmId = request.query.get('hsm_id');
    if (!name) return ctx.error(400, { code: 100, message: '(#100) The parameter name is required' });
    const doomed = [...templates.values()].filter((t) => t.name === name && (!hsmId || t.id === hsmId));
    if (doomed.length === 0) return ctx.error(400, metaErrors.invalidParameter(`Message template "${name}" was not found.`));
    for (const template of doomed) {
      templates.delete(template.id);
      options.onStatus?.({ template: { ...template, status: 'DELETED' }, previous: template.status });
    }
    return ctx.ok({ success: true });
  }

  return {
    collection(request) {
      if (request.method === 'GET') return list(request);
      if (request.method === 'POST') return create(request);
      if (request.method === 'DELETE') return remove(request);
      return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.wabaId}/message_templates`));
    },
    has: (id) => templates.has(id),
    node(request, id) {
      const template = templates.get(id);
      if (!template || request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, id));
      const fields = requestedFields(request, defaultFields);
      const unknown = fields.find((f) => !knownFields.has(f));
      if (unknown) return ctx.error(400, metaErrors.unknownField(unknown, 'WhatsAppMessageTemplate'));
      return ctx.ok(render(template, fields));
    },
    find: (name, language) => [...templates.values()].find((t) => t.name === name && t.language === language),
    seed(input) {
      const template: SandboxTemplate = {
        id: ctx.random.digits(16),
        name: input.name,
        language: input.language,
        category: input.category.toUpperCase(),
        subCategory: undefined,
        parameterFormat: input.parameterFormat ?? 'POSITIONAL',
        components: input.components,
        status: 'APPROVED',
        rejectedReason: undefined,
      };
      templates.set(template.id, template);
      return template;
    },
    setStatus,
    list: () => [...templates.values()],
  };
}

/**
 * Meta's `message_template_status_update` webhook for a template (REFERENCE §8: no `metadata`, `object`
 * after `entry`, the language as `en-US`, the id a JSON number — written from its digits, as a 16-digit id
 * does not fit a double). `bytes` are what to sign and post.
 */
export function templateStatusWebhook(template: Pick<SandboxTemplate, 'id' | 'name' | 'language' | 'category' | 'status' | 'rejectedReason'>, wabaId: string, atMs: number): { body: Record<string, unknown>; bytes: Buffer } {
  const idMarker = '"__template_id__"';
  const value: Record<string, unknown> = {
    event: template.status,
    message_template_id: '__template_id__',
    message_template_name: template.name,
    message_template_language: template.language.replace('_', '-'),
    reason: template.status === 'REJECTED' ? (template.rejectedReason ?? 'INVALID_FORMAT') : 'NONE',
    message_template_category: template.category,
  };
  const body = { entry: [{ id: wabaId, time: Math.floor(atMs / 1000), changes: [{ value, field: 'message_template_status_update' }] }], object: 'whatsapp_business_account' };
  if (!/^\d+$/.test(template.id)) throw new Error(`Template id ${template.id} is not numeric`);
  const text = JSON.stringify(body).replace(idMarker, template.id);
  value.message_template_id = template.id;
  return { body, bytes: Buffer.from(text, 'utf8') };
}
