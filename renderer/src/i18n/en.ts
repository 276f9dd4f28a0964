import type { ErrorCode } from '../../../shared/ipc/errors';

/**
 * English messages: the reference set. `zh-cn.ts` must have exactly these keys (the type and a test check it).
 * vue-i18n syntax applies: `{name}` is a placeholder; `@`, `|`, `{` and `}` are special and need `{'@'}` etc.
 */
export const en = {
  app: {
    name: 'Frontdesk',
    documentTitle: '{page} · Frontdesk',
    skipToContent: 'Skip to main content',
  },
  nav: {
    label: 'Main',
    inbox: 'Inbox',
    search: 'Search',
    contacts: 'Contacts',
    templates: 'Templates',
    quickReplies: 'Quick replies',
    labels: 'Labels',
    automation: 'Automation',
    profile: 'Business profile',
    statistics: 'Statistics',
    backups: 'Backups & privacy',
    settings: 'Settings',
  },
  pages: {
    inbox: 'Your customers’ conversations will be here, newest first, with filters, labels and a composer to answer them.',
    search: 'Search every message ever received or sent, in Chinese and English, even without a network.',
    contacts: 'Everyone who has written to the business will be listed here, with saved names, notes and labels, and CSV or vCard import and export.',
    templates: 'The message templates of your WhatsApp Business Account will be here, to sync, create, preview and send.',
    quickReplies: 'Saved answers you insert in a chat by typing / and their shortcut will be managed here.',
    labels: 'Coloured labels to organise conversations and messages will be managed here, with a count for each.',
    automation: 'Business hours and the greeting and away messages that are sent automatically will be set up here.',
    profile: 'The profile customers see on WhatsApp — about, address, description, email, websites and category — will be edited here.',
    statistics: 'Messages sent, delivered, read and received, response times and the busiest hours will be shown here, computed from your archive.',
    backups: 'Encrypted backups of the whole workspace, retention, per-contact export and erasure, and the audit log will be here.',
    settings: 'Language, and information about this copy of Frontdesk.',
  },
  status: {
    label: 'Status',
    connected: 'Connected to core',
    waiting: 'Waiting for core…',
    coreTime: 'Core time',
    tick: 'Tick',
    none: '—',
    loadingInfo: 'Loading…',
    appInfo: '{name} {version} · {platform} · {transport}',
  },
  language: {
    label: 'Language',
  },
  settings: {
    about: {
      title: 'About',
      name: 'Application',
      version: 'Version',
      platform: 'Platform',
      transport: 'Running as',
      retry: 'Try again',
    },
    language: {
      title: 'Language',
      hint: 'The whole window switches at once, and this computer remembers the choice.',
    },
  },
  platforms: {
    win32: 'Windows',
    darwin: 'macOS',
    linux: 'Linux',
    other: 'Other',
  },
  transports: {
    electron: 'Desktop app',
    preview: 'Preview in a browser',
  },
  common: {
    errorCode: 'Error code: {code}',
  },
  /** One sentence per code in shared/ipc/errors.ts, no more, no less. */
  errors: {
    invalid_request: 'Some of the information sent was not valid.',
    unknown_channel: 'This version of Frontdesk asked its core for something it does not know. Restart Frontdesk; if it happens again, update it.',
    forbidden_sender: 'The request was refused because it did not come from Frontdesk’s own window.',
    transport_unavailable: 'Frontdesk cannot reach its core right now. It keeps trying.',
    internal: 'Something went wrong inside Frontdesk. Try again; if it happens again, restart Frontdesk.',
    locked: 'Frontdesk is locked. Unlock it to continue.',
    no_workspace_open: 'No workspace is open. Open or create one first.',
    workspace_not_found: 'That workspace no longer exists on this computer.',
    wrong_passphrase: 'That passphrase is not correct.',
    wrong_recovery_key: 'That recovery key is not correct. Check each group of four digits.',
    unlock_throttled: 'Too many wrong attempts. Wait a moment, then try again.',
    passphrase_too_weak: 'That passphrase is too weak. Use at least 10 characters — a few unrelated words work well.',
    keychain_unavailable: 'This computer has no secure keychain Frontdesk can use, so it cannot unlock automatically. Use your passphrase.',
    wrong_key: 'The archive did not open with this key. It may belong to another workspace, or the vault is damaged.',
    archive_too_new: 'This archive was written by a newer version of Frontdesk. Update Frontdesk to open it; nothing was changed.',
    archive_damaged: 'The archive is damaged and cannot be opened. Restore it from a backup.',
  } satisfies Record<ErrorCode, string>,
};

/** The shape every locale must have: the same keys, any strings. */
export type MessageSchema = typeof en;
