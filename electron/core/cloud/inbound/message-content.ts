/**
 * What the archive keeps of an inbound message's content: the text search and previews use, the caption of
 * media, the media reference to download, and Meta's error for unsupported messages. The whole original
 * message object is stored beside these (payload_json); this only picks the parts other code queries.
 */
import type { InboundMessage } from '../webhook-schemas';

export interface MediaReference {
  metaMediaId: string;
  mime: string | null;
  sha256: string | null;
  url: string | null;
  fileName: string | null;
}

export interface MessageContent {
  text: string | null;
  caption: string | null;
  media: MediaReference | null;
  errorCode: number | null;
  errorTitle: string | null;
}

const mediaTypes = new Set(['image', 'video', 'audio', 'document', 'sticker']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const joined = (parts: Array<string | null>, separator: string) => parts.filter((p): p is string => p !== null).join(separator) || null;

function mediaOf(content: Obj): MediaReference | null {
  const id = str(content.id);
  if (!id) return null;
  return { metaMediaId: id, mime: str(content.mime_type), sha256: str(content.sha256), url: str(content.url), fileName: str(content.filename) };
}

/**
 * Text, caption and media of a content object named by its type. Also used for the message inside an
 * `edit`, which has the same shape without the envelope. Schemas have already checked the known types;
 * this reads defensively so an edit's inner message (checked loosely) cannot throw.
 */
export function contentOf(type: string, content: unknown): Omit<MessageContent, 'errorCode' | 'errorTitle'> {
  const none = { text: null, caption: null, media: null };
  if (type === 'contacts' && Array.isArray(content)) {
    const names = content.filter(isObj).map((card) => {
      const name = isObj(card.name) ? card.name : {};
      return str(name.formatted_name) ?? joined([str(name.first_name), str(name.last_name)], ' ');
    });
    return { ...none, text: joined(names, ', ') };
  }
  if (!isObj(content)) return none;
  if (mediaTypes.has(type)) return { ...none, caption: str(content.caption), media: mediaOf(content) };
  switch (type) {
    case 'text':
      return { ...none, text: str(content.body) };
    case 'location':
      return { ...none, text: joined([str(content.name), str(content.address)], '\n') };
    case 'button':
      return { ...none, text: str(content.text) };
    case 'order':
      return { ...none, text: str(content.text) };
    case 'system':
      return { ...none, text: str(content.body) };
    case 'interactive': {
      const reply = isObj(content.button_reply) ? content.button_reply : isObj(content.list_reply) ? content.list_reply : null;
      if (reply) return { ...none, text: joined([str(reply.title), str(reply.description)], '\n') };
      if (isObj(content.nfm_reply)) return { ...none, text: str(content.nfm_reply.body) };
      return none;
    }
    default:
      return none;
  }
}

export function messageContent(message: InboundMessage): MessageContent {
  const content = contentOf(message.type, (message as Obj)[message.type]);
  const error = message.errors?.[0];
  return { ...content, errorCode: error?.code ?? null, errorTitle: error ? (error.title ?? error.message ?? null) : null };
}
