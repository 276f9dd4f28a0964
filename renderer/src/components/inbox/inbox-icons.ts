/**
 * The inbox's icon shapes (24×24 line drawings, drawn for Frontdesk), shared by InboxIcon and the conversation
 * rows, which draw them inline (one <path> each: the sub-paths joined) to stay cheap to mount.
 */
export type InboxIconName =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'button'
  | 'template'
  | 'reaction'
  | 'order'
  | 'system'
  | 'unsupported'
  | 'pin'
  | 'mute'
  | 'archive'
  | 'clock'
  | 'star'
  | 'reply'
  | 'emoji'
  | 'attach'
  | 'send'
  | 'more'
  | 'close'
  | 'lock'
  | 'plus'
  | 'copy'
  | 'download'
  | 'down'
  | 'alert'
  | 'bot'
  | 'back'
  | 'card';

export function inboxCircle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
}

export const inboxIcons: Record<InboxIconName, string[]> = {
  text: ['M4 6h16', 'M4 12h16', 'M4 18h10'],
  image: ['M3 5h18v14H3z', inboxCircle(8.5, 9.5, 1.5), 'M21 15l-5-5L5 19'],
  video: ['M3 6h13v12H3z', 'M16 10l5-3v10l-5-3'],
  audio: ['M9 18V5l12-2v13', inboxCircle(6, 18, 3), inboxCircle(18, 16, 3)],
  voice: ['M9 2h6v11a3 3 0 0 1-6 0z', 'M5 10v2a7 7 0 0 0 14 0v-2', 'M12 19v3'],
  document: ['M6 2h9l5 5v15H6z', 'M14 2v6h6'],
  sticker: ['M21 12a9 9 0 1 1-9-9h9z', 'M12 3v6a3 3 0 0 0 3 3h6'],
  location: ['M12 22s-7-7.5-7-13a7 7 0 0 1 14 0c0 5.5-7 13-7 13z', inboxCircle(12, 9, 2.5)],
  contacts: [inboxCircle(12, 8, 4), 'M4 21c0-4 3.5-6.5 8-6.5s8 2.5 8 6.5'],
  interactive: ['M4 4h16v10H4z', 'M8 18h8', 'M10 22h4'],
  button: ['M3 8h18v8H3z', 'M8 12h8'],
  template: ['M6 2h9l5 5v15H6z', 'M9 13h8', 'M9 17h6', 'M9 9h3'],
  reaction: [inboxCircle(12, 12, 9), 'M8 14s1.5 2 4 2 4-2 4-2', 'M9 9h.01', 'M15 9h.01'],
  order: ['M6 6h15l-2 9H8z', 'M6 6 5 2H2', inboxCircle(9, 20, 1), inboxCircle(18, 20, 1)],
  system: [inboxCircle(12, 12, 9), 'M12 8v5', 'M12 16h.01'],
  unsupported: [inboxCircle(12, 12, 9), 'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7', 'M12 17h.01'],
  pin: ['M9 3h6l-1 6 4 4H6l4-4z', 'M12 13v8'],
  mute: ['M11 5 6 9H2v6h4l5 4z', 'M22 9l-6 6', 'M16 9l6 6'],
  archive: ['M3 4h18v4H3z', 'M5 8v12h14V8', 'M10 12h4'],
  clock: [inboxCircle(12, 12, 9), 'M12 7v5l3 2'],
  star: ['M12 2l3 6.5 7 .8-5.2 4.8 1.4 7L12 17.7 5.8 21.1l1.4-7L2 9.3l7-.8z'],
  reply: ['M9 14 4 9l5-5', 'M4 9h11a5 5 0 0 1 5 5v6'],
  emoji: [inboxCircle(12, 12, 9), 'M8 14s1.5 2 4 2 4-2 4-2', 'M9 9h.01', 'M15 9h.01'],
  attach: ['M21 11l-9 9a6 6 0 0 1-8.5-8.5l9-9a4 4 0 0 1 5.7 5.7l-9 9a2 2 0 0 1-2.9-2.9l8.5-8.5'],
  send: ['M22 2 11 13', 'M22 2 15 22l-4-9-9-4z'],
  more: ['M5 12h.01', 'M12 12h.01', 'M19 12h.01'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  lock: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  plus: ['M12 5v14', 'M5 12h14'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  download: ['M12 3v12', 'M7 10l5 5 5-5', 'M4 21h16'],
  down: ['M6 9l6 6 6-6'],
  alert: [inboxCircle(12, 12, 9), 'M12 7v6', 'M12 16.5h.01'],
  bot: ['M5 8h14v11H5z', 'M12 4v4', inboxCircle(9, 13, 1), inboxCircle(15, 13, 1), 'M9 17h6'],
  back: ['M15 18l-6-6 6-6'],
  card: ['M3 5h18v14H3z', inboxCircle(8.5, 10.5, 2), 'M5.5 16.5c.6-1.6 1.7-2.5 3-2.5s2.4.9 3 2.5', 'M14 10h5', 'M14 14h4'],
};

/** An icon's sub-paths as one `d`: one <path> element instead of several. */
export const inboxIconPath = Object.fromEntries(Object.entries(inboxIcons).map(([name, paths]) => [name, paths.join('')])) as Record<InboxIconName, string>;
