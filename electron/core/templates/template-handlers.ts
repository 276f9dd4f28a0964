/**
 * Message templates (PRODUCT §9): the list from the archive, a sync of every page from the Business Account
 * with progress, creation (Meta's rules checked first, a media sample uploaded through the resumable upload
 * API), delete by name (every language) and sending through the outbox — allowed with the window closed,
 * marketing refused to a contact who opted out.
 */
import type { TemplateView } from '../../../shared/ipc/templates';
import type { templateChannels } from '../../../shared/ipc/templates';
import { buildTemplateMessage, findComponent, isSendable, validateTemplate } from '../../../shared/rules/templates';
import type { TemplateComponent, TemplateDefinition, TemplateMessage, TemplateValues } from '../../../shared/rules/templates';
import type { Archive } from '../archive';
import type { Template } from '../archive/repositories/templates';
import { appErrorFromGraph } from '../cloud/connection';
import { localMediaField } from '../cloud/outbound-media';
import type { GraphClient } from '../cloud/graph-client';
import type { MessageTemplate } from '../cloud/graph-schemas';
import type { TemplateCreateRequest } from '../cloud/graph-template-schemas';
import { windowState } from '../cloud/inbound/window';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import { checkAttachment } from '../inbox/attachments';
import { requireConversation } from '../inbox/conversation-handlers';
import { currentStaffId } from '../inbox/staff';
import type { FeatureDeps } from '../feature-deps';

/** Stands for Meta's media id in a header until the outbox's sender uploads the file. */
const pendingUpload = 'pending-upload';

/** Points the header's media parameter at our media row: the outbox's sender uploads it when it sends. */
function markLocalHeaderMedia(message: TemplateMessage, mediaId: number): void {
  for (const component of message.template.components ?? []) {
    if (component.type !== 'header' || !Array.isArray(component.parameters)) continue;
    for (const parameter of component.parameters as Array<Record<string, unknown>>) {
      const media = parameter[parameter.type as string] as Record<string, unknown> | undefined;
      if (media?.id === pendingUpload) {
        delete media.id;
        media[localMediaField] = mediaId;
      }
    }
  }
}

type TemplateChannel = keyof typeof templateChannels;

/** Statuses a template is gone in: left out of the list unless asked for. */
const goneStatuses = new Set(['DELETED', 'PENDING_DELETION']);

/** Meta's webhook times are whole seconds: a sync or create at 10:00:00.500 must not hide a webhook of 10:00:00. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

export function toTemplateView(t: Template): TemplateView {
  let components: TemplateComponent[] = [];
  try {
    const parsed: unknown = JSON.parse(t.componentsJson);
    if (Array.isArray(parsed)) components = parsed as TemplateComponent[];
  } catch {
    components = [];
  }
  return {
    id: t.id,
    metaId: t.metaId,
    name: t.name,
    language: t.language,
    category: t.category,
    subCategory: t.subCategory,
    status: t.status,
    quality: t.quality,
    rejectionReason: t.rejectionReason,
    parameterFormat: t.parameterFormat,
    components,
    syncedAt: t.syncedAt,
    updatedAt: t.updatedAt,
  };
}

function parameterFormatOf(value: string | undefined | null): 'positional' | 'named' | null {
  const lower = (value ?? '').toLowerCase();
  return lower === 'named' ? 'named' : lower === 'positional' ? 'positional' : null;
}

const mediaKinds: Record<string, string> = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' };

export function createTemplateHandlers(deps: FeatureDeps): Pick<ChannelHandlers, TemplateChannel> {
  let syncing: Promise<{ count: number; at: number }> | null = null;

  function graph(): GraphClient {
    return deps.connection.client();
  }

  function changed(archive: Archive, t: Template): void {
    deps.events.emit('templates:changed', {
      templateId: t.id,
      metaId: t.metaId,
      name: t.name,
      language: t.language,
      status: t.status,
      quality: t.quality,
      category: t.category,
    });
    void archive;
  }

  async function sync(): Promise<{ count: number; at: number }> {
    const archive = deps.archive();
    const client = graph();
    // Meta gives no total: while pages come, the total is "at least one more".
    deps.events.emit('task:progress', { task: 'template-sync', done: 0, total: 1 });
    let listed: MessageTemplate[];
    try {
      listed = await client.listTemplates({ limit: 100, onPage: (loaded) => deps.events.emit('task:progress', { task: 'template-sync', done: loaded, total: loaded + 1 }) });
    } catch (error) {
      throw appErrorFromGraph(error);
    }
    const now = deps.clock.now();
    const syncedAt = wholeSecond(now);
    const seen = new Set<string>();
    for (const t of listed) {
      if (!t.name || !t.language) continue;
      seen.add(t.id);
      const stored = archive.templates.upsertSynced(
        {
          metaId: t.id,
          name: t.name,
          language: t.language,
          category: (t.category ?? 'UNKNOWN').toUpperCase(),
          subCategory: t.sub_category ?? null,
          status: (t.status ?? 'UNKNOWN').toUpperCase(),
          quality: t.quality_score?.score ?? null,
          rejectionReason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
          parameterFormat: parameterFormatOf(t.parameter_format),
          components: t.components ?? [],
        },
        syncedAt,
      );
      changed(archive, stored);
    }
    // Gone from the Business Account (deleted elsewhere): kept in the archive as deleted, for the history.
    for (const t of archive.templates.list()) {
      if (t.metaId && !seen.has(t.metaId) && !goneStatuses.has(t.status)) {
        const { template } = archive.templates.applyWebhook({ metaId: t.metaId, name: t.name, language: t.language, at: now, status: { value: 'DELETED', rejectionReason: null } });
        changed(archive, template);
      }
    }
    deps.events.emit('task:progress', { task: 'template-sync', done: seen.size, total: seen.size });
    deps.logger.info('Templates synced', { count: seen.size });
    return { count: seen.size, at: now };
  }

  return {
    'templates:list': (filter) => {
      const archive = deps.archive();
      const status = filter?.status?.toUpperCase();
      const category = filter?.category?.toUpperCase();
      return archive.templates
        .list()
        .filter((t) => (status ? t.status === status : !goneStatuses.has(t.status)))
        .filter((t) => !category || t.category === category)
        .filter((t) => !filter?.language || t.language === filter.language)
        .map(toTemplateView);
    },

    'templates:sync': async () => {
      // One sync at a time: a second click joins the one running.
      syncing ??= sync().finally(() => {
        syncing = null;
      });
      return syncing;
    },

    'templates:create': async ({ definition, headerSample }) => {
      const archive = deps.archive();
      const body = structuredClone(definition) as TemplateDefinition;
      const issues = validateTemplate(body, { mediaSampleGiven: headerSample !== undefined });
      if (issues.length > 0) throw new AppError('invalid_request', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
      const client = graph();
      const header = findComponent(body.components, 'HEADER');
      const kind = mediaKinds[(header?.format ?? '').toUpperCase()];
      if (header && kind && headerSample) {
        const file = checkAttachment(headerSample, undefined);
        if (file.category !== kind) {
          throw new AppError('attachment_refused', `The header is a ${kind}; ${file.fileName} is a ${file.category}`, [{ path: 'header.example', message: `a ${kind} file` }]);
        }
        try {
          const handle = await client.uploadResumable({ bytes: file.bytes, mimeType: file.mime, fileName: file.fileName });
          header.example = { ...header.example, header_handle: [handle] };
        } catch (error) {
          throw appErrorFromGraph(error);
        }
      } else if (header && !kind && header.example?.header_handle) {
        delete header.example.header_handle;
      }
      let created: { id: string; status: string; category?: string };
      try {
        created = await client.createTemplate(body as TemplateCreateRequest);
      } catch (error) {
        throw appErrorFromGraph(error);
      }
      const stored = archive.templates.upsertSynced(
        {
          metaId: created.id,
          name: body.name,
          language: body.language,
          category: (created.category ?? body.category).toUpperCase(),
          status: created.status.toUpperCase(),
          parameterFormat: parameterFormatOf(body.parameter_format) ?? 'positional',
          components: body.components.map((c) => ({ ...c, type: c.type.toUpperCase() })),
        },
        wholeSecond(deps.clock.now()),
      );
      archive.audit.append('template.created', null, { name: stored.name, language: stored.language, category: stored.category });
      changed(archive, stored);
      return toTemplateView(stored);
    },

    'templates:delete': async ({ name }) => {
      const archive = deps.archive();
      const client = graph();
      try {
        await client.deleteTemplate({ name });
      } catch (error) {
        throw appErrorFromGraph(error);
      }
      const now = deps.clock.now();
      let deleted = 0;
      for (const t of archive.templates.list()) {
        if (t.name !== name || goneStatuses.has(t.status)) continue;
        const { template } = archive.templates.applyWebhook({
          metaId: t.metaId ?? `local-${t.id}`,
          name: t.name,
          language: t.language,
          at: now,
          status: { value: 'DELETED', rejectionReason: null },
        });
        deleted++;
        changed(archive, template);
      }
      archive.audit.append('template.deleted', null, { name, languages: deleted });
      return { deleted };
    },

    'templates:send': async (request) => {
      const archive = deps.archive();
      const template = archive.templates.get(request.templateId);
      if (!template || goneStatuses.has(template.status)) throw new AppError('not_found', 'This template no longer exists');
      if (!isSendable(template.status)) {
        throw new AppError('invalid_request', `Only approved templates can be sent; this one is ${template.status}`, [{ path: 'templateId', message: 'not approved' }]);
      }
      const conversation = requireConversation(archive, request.conversationId);
      if (windowState(conversation, deps.clock.now()).state === 'read_only') throw new AppError('read_only', 'Group chats are read-only here');
      const contact = conversation.contactId !== null ? archive.contacts.get(conversation.contactId) : undefined;
      if (template.category === 'MARKETING' && contact?.marketingOptOut) {
        throw new AppError('opted_out', 'This contact opted out of marketing messages: marketing templates are not sent to them');
      }
      const outbox = deps.outbox();
      if (!outbox) throw new AppError('not_connected', 'Connect a WhatsApp number first');
      const view = toTemplateView(template);
      const values: TemplateValues = { text: request.values, ...(request.headerLocation ? { headerLocation: request.headerLocation } : {}) };
      const header = findComponent(view.components, 'HEADER');
      const kind = mediaKinds[(header?.format ?? '').toUpperCase()];
      // Everything else is checked before the file is stored or uploaded: a refused send leaves no trace.
      const dry = buildTemplateMessage(view, { ...values, ...(kind ? { headerMedia: { id: 'pending' } } : {}) });
      if (!dry.ok) throw new AppError('invalid_request', `${dry.issues[0]!.path}: ${dry.issues[0]!.message}`, dry.issues);
      let mediaId: number | undefined;
      if (kind) {
        if (!request.headerFile) throw new AppError('invalid_request', `Choose the header ${kind}`, [{ path: 'header.media', message: `choose the ${kind}` }]);
        const file = checkAttachment(request.headerFile, undefined);
        if (file.category !== kind) throw new AppError('attachment_refused', `The header is a ${kind}; ${file.fileName} is a ${file.category}`, [{ path: 'header.media', message: `a ${kind} file` }]);
        const store = deps.media();
        if (!store) throw new AppError('not_connected', 'The media store is not open');
        const stored = await store.put(file.bytes);
        const row = archive.media.create({ state: 'stored', mime: file.mime, size: stored.size, fileName: file.fileName, contentHash: stored.hash });
        mediaId = row.id;
        values.headerMedia = { id: pendingUpload, ...(kind === 'document' ? { filename: file.fileName } : {}) };
      }
      const built = buildTemplateMessage(view, values);
      if (!built.ok) throw new AppError('invalid_request', `${built.issues[0]!.path}: ${built.issues[0]!.message}`, built.issues);
      // The header's file is uploaded by the outbox's sender when it sends (offline, it waits in the queue).
      if (mediaId !== undefined) markLocalHeaderMedia(built.message, mediaId);
      const messageId = outbox.queue({
        conversationId: conversation.id,
        request: { ...built.message },
        senderStaffId: currentStaffId(archive),
        ...(mediaId !== undefined ? { mediaId } : {}),
      });
      return { messageId };
    },
  };
}
