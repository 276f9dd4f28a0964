/**
 * `POST /{phone-number-id}/messages` as Meta runs it: the body checked with the client's own schema, the
 * number's throughput (80/s) and the pair rate (1 message per 6 s per customer, bursts of 45) enforced on
 * the sandbox clock, templates looked up, and the 24-hour window applied the way Meta applies it — a
 * free-form message outside the window is accepted (it gets a wamid) and fails afterwards with 131047 in
 * its status webhook; it is not refused synchronously.
 */
import { markReadRequestSchema } from '../cloud/graph-schemas';
import { sendMessageRequestSchema } from '../cloud/graph-send-schemas';
import type { SendMessageRequest } from '../cloud/graph-send-schemas';
import { templateVariables } from '../cloud/graph-template-schemas';
import { makeWamid } from './graph-ids';
import { metaErrors, reEngagementFailure, sendValidationError } from './graph-meta-errors';
import type { SandboxContext, SandboxReply, SandboxRequest, SandboxSentMessage, SandboxTemplate } from './graph-types';
import { parseJsonBody } from './graph-types';

const windowMs = 24 * 60 * 60 * 1000;
const pairIntervalMs = 6_000;
const pairBurst = 45;

export interface MessageRouteOptions {
  throughputPerSecond: number;
  /** Our own number in digits: a message to it is refused (131021). */
  ownNumberDigits: string;
  findTemplate(name: string, language: string): SandboxTemplate | undefined;
  onSent(message: SandboxSentMessage): void;
}

export interface MessageRoute {
  handle(request: SandboxRequest): SandboxReply;
  noteInbound(customer: string, at: number): void;
  isWindowOpen(customer: string): boolean;
  readonly sent: SandboxSentMessage[];
  readonly reads: Array<{ messageId: string; typing: boolean; at: number }>;
}

function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** A media or location header takes one parameter; text takes one per variable. */
function expectedParameters(template: SandboxTemplate, part: 'header' | 'body'): number {
  const stored = template.components.find((c) => c.type.toUpperCase() === part.toUpperCase());
  if (!stored) return 0;
  if (part === 'header' && String(stored.format ?? '').toUpperCase() !== 'TEXT') return 1;
  return new Set(templateVariables(String(stored.text ?? ''))).size;
}

export function createMessageRoute(ctx: SandboxContext, options: MessageRouteOptions): MessageRoute {
  const sent: SandboxSentMessage[] = [];
  const reads: MessageRoute['reads'] = [];
  const lastInbound = new Map<string, number>();
  const recentSends: number[] = [];
  // Pair rate as a token bucket per customer: 45 to start with, one back every 6 s.
  const buckets = new Map<string, { tokens: number; at: number }>();

  const isWindowOpen = (customer: string) => {
    const at = lastInbound.get(customer);
    return at !== undefined && ctx.clock.now() - at < windowMs;
  };

  function takePairToken(customer: string): boolean {
    const now = ctx.clock.now();
    const bucket = buckets.get(customer) ?? { tokens: pairBurst, at: now };
    bucket.tokens = Math.min(pairBurst, bucket.tokens + (now - bucket.at) / pairIntervalMs);
    bucket.at = now;
    buckets.set(customer, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function overThroughput(): boolean {
    const now = ctx.clock.now();
    while (recentSends.length > 0 && (recentSends[0] ?? 0) <= now - 1000) recentSends.shift();
    return recentSends.length >= options.throughputPerSecond;
  }

  /** Meta checks a template send against the approved template: it must exist and get its parameters. */
  function checkTemplate(body: Extract<SendMessageRequest, { type: 'template' }>): SandboxReply | undefined {
    const { name, language, components = [] } = body.template;
    const template = options.findTemplate(name, language.code);
    if (!template || template.status !== 'APPROVED') return ctx.error(400, metaErrors.templateMissing(name, language.code));
    for (const part of ['header', 'body'] as const) {
      const expected = expectedParameters(template, part);
      const given = components.filter((c) => c.type === part).flatMap((c) => c.parameters).length;
      if (given !== expected) return ctx.error(400, metaErrors.templateParams(part, given, expected));
    }
    return undefined;
  }

  function markRead(value: unknown): SandboxReply {
    const parsed = markReadRequestSchema.safeParse(value);
    if (!parsed.success) return ctx.error(400, sendValidationError(value, parsed.error));
    reads.push({ messageId: parsed.data.message_id, typing: parsed.data.typing_indicator !== undefined, at: ctx.clock.now() });
    return ctx.ok({ success: true });
  }

  function handle(request: SandboxRequest): SandboxReply {
    if (request.method !== 'POST') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.phoneNumberId}/messages`));
    const json = parseJsonBody(request);
    if (!json.ok) return ctx.error(400, metaErrors.invalidParameter('The request body is not valid JSON.'));
    if ((json.value as { status?: unknown }).status !== undefined) return markRead(json.value);

    const parsed = sendMessageRequestSchema.safeParse(json.value);
    if (!parsed.success) return ctx.error(400, sendValidationError(json.value, parsed.error));
    const body = parsed.data;
    const waId = body.to !== undefined ? digitsOf(body.to) : undefined;
    const customer = waId ?? body.recipient ?? '';
    if (waId !== undefined && waId === options.ownNumberDigits) return ctx.error(400, metaErrors.selfRecipient());
    if (overThroughput()) return ctx.error(400, metaErrors.throughput());
    if (body.type === 'template') {
      const refused = checkTemplate(body);
      if (refused) return refused;
    }
    if (!takePairToken(customer)) return ctx.error(400, metaErrors.pairRate());

    const now = ctx.clock.now();
    recentSends.push(now);
    const message: SandboxSentMessage = {
      wamid: makeWamid(ctx.random, customer),
      input: body.to ?? body.recipient ?? '',
      waId,
      userId: body.to === undefined ? body.recipient : undefined,
      type: body.type,
      clientId: body.biz_opaque_callback_data,
      acceptedAt: now,
      request: body,
      // Only templates may open a conversation; anything else outside the window fails after acceptance.
      failure: body.type !== 'template' && !isWindowOpen(customer) ? reEngagementFailure() : undefined,
    };
    sent.push(message);
    options.onSent(message);

    const contact = waId !== undefined ? { input: message.input, wa_id: waId } : { input: message.input, user_id: message.userId };
    return ctx.ok({
      messaging_product: 'whatsapp',
      contacts: [contact],
      messages: [{ id: message.wamid, ...(body.type === 'template' ? { message_status: 'accepted' } : {}) }],
    });
  }

  return {
    handle,
    noteInbound(customer, at) {
      const key = /^[+\d\s()-]+$/.test(customer) ? digitsOf(customer) : customer;
      lastInbound.set(key, Math.max(at, lastInbound.get(key) ?? at));
    },
    isWindowOpen: (customer) => isWindowOpen(/^[+\d\s()-]+$/.test(customer) ? digitsOf(customer) : customer),
    sent,
    reads,
  };
}
