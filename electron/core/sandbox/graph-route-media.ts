/**
 * Media as Meta serves it (REFERENCE §9): multipart upload to `/{phone-number-id}/media` within Meta's
 * type and size limits, `GET /{media-id}` → a URL that lives 5 minutes and needs the token to download,
 * `DELETE /{media-id}`; and the resumable upload API (`POST /{app-id}/uploads`, then `POST /upload:<id>`
 * with `file_offset`) that gives the handles profile photos and template media samples use.
 * Everything is kept in memory.
 */
import { createHash, createHmac } from 'node:crypto';
import { baseMimeType, mediaUploadRequestSchema, uploadSessionRequestSchema } from '../cloud/graph-schemas';
import { managementValidationError, metaErrors } from './graph-meta-errors';
import type { SandboxContext, SandboxReply, SandboxRequest, StoredMedia, StoredUpload } from './graph-types';

const urlLifetimeMs = 5 * 60 * 1000;

export interface MediaRoute {
  upload(request: SandboxRequest): Promise<SandboxReply>;
  has(id: string): boolean;
  node(request: SandboxRequest, id: string): SandboxReply;
  /** The download URL's handler (no Graph version in the path, like Meta's CDN). */
  download(request: SandboxRequest, authorized: boolean): SandboxReply;
  /** Media a simulated customer sends: stored as if Meta had received it. */
  add(bytes: Uint8Array, mimeType: string, fileName?: string): string;
  get(id: string): StoredMedia | undefined;

  startUpload(request: SandboxRequest): SandboxReply;
  isUploadSession(node: string): boolean;
  uploadNode(request: SandboxRequest, node: string): SandboxReply;
  /** Profile photos are public (`pps.whatsapp.net`): served without a token. */
  profilePicture(id: string): SandboxReply;
}

export function createMediaRoute(ctx: SandboxContext): MediaRoute {
  const media = new Map<string, StoredMedia>();
  const uploads = new Map<string, StoredUpload>();
  // Signs download URLs so a guessed or altered one is refused, as Meta's signed CDN links are.
  const urlKey = ctx.random.token(32);

  function add(bytes: Uint8Array, mimeType: string, fileName?: string): string {
    const id = ctx.random.digits(16);
    media.set(id, { id, bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex'), fileName });
    return id;
  }

  const sign = (mid: string, ext: string) => createHmac('sha256', urlKey).update(`${mid}:${ext}`).digest('hex').slice(0, 32);

  async function upload(request: SandboxRequest): Promise<SandboxReply> {
    if (request.method !== 'POST') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.phoneNumberId}/media`));
    const contentType = String(request.headers['content-type'] ?? '');
    if (!contentType.startsWith('multipart/form-data')) return ctx.error(400, metaErrors.invalidParameter('Media must be sent as multipart/form-data.'));
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': contentType } }).formData();
    } catch {
      return ctx.error(400, metaErrors.invalidParameter('The multipart body could not be read.'));
    }
    const file = form.get('file');
    const type = form.get('type');
    const candidate = {
      messaging_product: form.get('messaging_product') ?? undefined,
      type: typeof type === 'string' ? type : undefined,
      file: typeof file === 'object' && file !== null ? { size: file.size, type: file.type, name: file.name || 'file' } : undefined,
    };
    const parsed = mediaUploadRequestSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Type and size problems are Meta's media upload error; a missing field is a plain parameter error.
      const isMediaProblem = issue?.code === 'custom';
      return ctx.error(400, isMediaProblem ? metaErrors.mediaUpload(issue.message) : managementValidationError(parsed.error));
    }
    if (!(file instanceof Blob)) return ctx.error(400, metaErrors.invalidParameter('Param file is required.'));
    const bytes = new Uint8Array(await file.arrayBuffer());
    const id = add(bytes, baseMimeType(parsed.data.type), parsed.data.file.name);
    return ctx.ok({ id });
  }

  function node(request: SandboxRequest, id: string): SandboxReply {
    const stored = media.get(id);
    if (!stored) return ctx.error(400, metaErrors.unsupported(request.method, id));
    const phoneNumberId = request.query.get('phone_number_id');
    if (phoneNumberId !== null && phoneNumberId !== ctx.phoneNumberId) {
      return ctx.error(400, metaErrors.invalidParameter('Media does not belong to the phone number in phone_number_id.'));
    }
    if (request.method === 'DELETE') {
      media.delete(id);
      return ctx.ok({ success: true });
    }
    if (request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, id));
    const ext = String(Math.floor((ctx.clock.now() + urlLifetimeMs) / 1000));
    const url = `${ctx.baseUrl()}/whatsapp_business/attachments/?mid=${id}&ext=${ext}&hash=${sign(id, ext)}`;
    return ctx.ok({
      messaging_product: 'whatsapp',
      url,
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      // A string, as in Meta's example.
      file_size: String(stored.bytes.byteLength),
      id,
    });
  }

  function download(request: SandboxRequest, authorized: boolean): SandboxReply {
    if (!authorized) return ctx.error(401, metaErrors.badToken());
    const mid = request.query.get('mid') ?? '';
    const ext = request.query.get('ext') ?? '';
    const stored = media.get(mid);
    const expired = Number(ext) * 1000 <= ctx.clock.now();
    if (!stored || expired || request.query.get('hash') !== sign(mid, ext)) return { status: 404, bytes: new Uint8Array(), contentType: 'text/plain' };
    return { status: 200, bytes: stored.bytes, contentType: stored.mimeType };
  }

  function startUpload(request: SandboxRequest): SandboxReply {
    if (request.method !== 'POST') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.appId}/uploads`));
    const query = Object.fromEntries([...request.query].filter(([key]) => key !== 'access_token'));
    const parsed = uploadSessionRequestSchema.safeParse(query);
    if (!parsed.success) return ctx.error(400, managementValidationError(parsed.error));
    const sessionId = `upload:${Buffer.from(`${ctx.random.token(24)}?file_length=${parsed.data.file_length}`).toString('base64url')}`;
    const sig = ctx.random.token(22);
    uploads.set(sessionId, {
      sessionId,
      sig,
      fileName: parsed.data.file_name,
      fileType: parsed.data.file_type,
      length: parsed.data.file_length,
      chunks: [],
      offset: 0,
      handle: undefined,
    });
    // Meta's session ids carry a signature as a query string; clients append the id to the URL as it is.
    return ctx.ok({ id: `${sessionId}?sig=${sig}` });
  }

  function uploadNode(request: SandboxRequest, node: string): SandboxReply {
    const session = uploads.get(node);
    if (!session || request.query.get('sig') !== session.sig) return ctx.error(400, metaErrors.unsupported(request.method, node));
    if (request.method === 'GET') return ctx.ok({ id: session.sessionId, file_offset: session.offset });
    if (request.method !== 'POST') return ctx.error(400, metaErrors.unsupported(request.method, node));
    const offset = Number(request.headers['file_offset'] ?? NaN);
    if (offset !== session.offset) return ctx.error(400, metaErrors.invalidParameter(`file_offset must be ${session.offset}.`));
    if (session.offset + request.body.length > session.length) return ctx.error(400, metaErrors.invalidParameter('More bytes than file_length.'));
    session.chunks.push(Buffer.from(request.body));
    session.offset += request.body.length;
    if (session.offset < session.length) return ctx.ok({ id: session.sessionId, file_offset: session.offset });
    session.handle ??= `4::${Buffer.from(`${ctx.random.token(16)}:${session.fileType}`).toString('base64')}`;
    ctx.uploadsByHandle.set(session.handle, session);
    return ctx.ok({ h: session.handle });
  }

  function profilePicture(id: string): SandboxReply {
    const session = [...ctx.uploadsByHandle.values()].find((u) => u.sessionId.endsWith(id));
    if (!session) return { status: 404, bytes: new Uint8Array(), contentType: 'text/plain' };
    return { status: 200, bytes: Buffer.concat(session.chunks), contentType: session.fileType };
  }

  return {
    upload,
    has: (id) => media.has(id),
    node,
    download,
    add,
    get: (id) => media.get(id),
    startUpload,
    isUploadSession: (node) => node.startsWith('upload:'),
    uploadNode,
    profilePicture,
  };
}
