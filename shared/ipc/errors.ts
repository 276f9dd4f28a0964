/**
 * Stable error codes: the renderer maps each to translated text (`errors.<code>`), tests assert on them,
 * and they never change meaning once shipped. Add new codes; never rename one.
 */
export const errorCodes = [
  'invalid_request', // the payload failed the channel's schema; `fields` names what is wrong
  'unknown_channel', // no such channel in the contract
  'forbidden_sender', // the request did not come from the app's own page
  'transport_unavailable', // the bridge to core is down (preview host reconnecting, core restarting)
  'internal', // a bug: logged with detail in core, shown to staff as a generic failure
  // Vault and archive
  'locked', // the workspace is locked: unlock first
  'no_workspace_open', // the request needs an open workspace
  'workspace_not_found',
  'wrong_passphrase',
  'wrong_recovery_key',
  'unlock_throttled', // too many wrong attempts: wait (the message says how long)
  'passphrase_too_weak',
  'keychain_unavailable', // no OS keychain, or only an insecure one (Linux basic_text)
  'wrong_key', // the archive did not open with the key (a damaged vault, or another workspace's file)
  'archive_too_new', // the archive was written by a newer Frontdesk: refused untouched
  'archive_damaged',
  // Meta's Cloud API (the message carries Meta's reason in words; `metaCode` its number)
  'meta_auth_failed', // 190: the access token is wrong, expired or revoked
  'meta_permission_denied', // the token lacks a permission (whatsapp_business_messaging / _management)
  'meta_not_found', // a phone-number id, Business Account id or app id that does not exist for this token
  'meta_throttled', // Meta asks us to slow down; retry later
  'meta_rejected', // any other refusal by Meta
  'meta_unreachable', // no network, DNS, TLS or a timeout on the way to Meta
  'not_connected', // the workspace has no number connected yet
  // The inbox
  'not_found', // the conversation, message, contact or staff member no longer exists
  'invalid_phone', // not a phone number that can have WhatsApp (the message says why)
  'window_closed', // free text outside the 24-hour window (Meta's 131047): only a template may be sent
  'attachment_refused', // type or size outside Meta's limits for that kind of media (the message says which)
  'read_only', // group chats are shown, not answered, from here
  'wrong_pin', // the staff member's 4-digit PIN did not match
  'not_resendable', // only failed or not-confirmed messages can be sent again; only queued ones cancelled
  'opted_out', // a marketing template to a contact who opted out of marketing messages
  // Transcripts and data rights
  'export_failed', // an export could not be written where the user chose (folder gone, read-only or full)
  'print_failed', // the print dialog could not be opened
  'confirmation_stale', // what a confirmation named has changed since (new messages): confirm again
  // Backups (the precise reason is also in `fields`: { path: 'backup', message: <reason> })
  'not_a_backup', // the file is not a Frontdesk backup
  'backup_too_new', // written in a newer backup format than this Frontdesk reads: refused untouched
  'backup_tampered', // a byte of the backup was changed: it fails authentication
  'backup_truncated', // the backup file ends early (cut short while copying or writing)
  'backup_no_unlock_method', // the backup cannot be opened that way (e.g. a demo backup and a passphrase)
  'backup_check_failed', // the restored copy did not pass its integrity or schema check
  'backup_destination_unavailable', // the backup folder is missing, read-only or full
  'backup_cancelled', // the backup, verify or restore was cancelled
  'backup_busy', // another backup, verify or restore is running
  'backup_archive_busy', // the archive stayed too busy for a consistent copy: the backup can be run again
  'backup_replace_state', // confirm / roll back with no replaced copy pending, or one is already pending
  // The relay (issue 10)
  'relay_unreachable', // the relay's URL did not answer (no network, DNS, TLS, a timeout, or not a relay)
  'relay_pairing_code_invalid', // the pairing code is wrong, was already used, or was replaced by the operator
  'relay_workspace_taken', // the relay's workspace already belongs to another desk's keys: link this desk from it
  'relay_unauthorized', // the relay no longer knows this desk (it was unpaired): pair or link again
  'relay_link_not_found', // no desk is waiting with that link code (wrong, or expired after 10 minutes)
  'relay_link_pending', // the other desk has not approved the link yet
  'relay_rejected', // the relay refused the request (rate limit or another reason in the message)
  // Desktop integration (packaging issue)
  'update_not_ready', // restart to update before an update was downloaded
  'update_waiting_for_sends', // a message is on its way to Meta: restarting now could leave it not confirmed
  'desktop_unavailable', // the OS refused (launch at login) or this host has no desktop shell (the preview)
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `websites.1`. Empty for the payload as a whole. */
  path: string;
  message: string;
}

export interface IpcError {
  code: ErrorCode;
  /** An English sentence for logs and developers; the UI shows the translated text for `code`. */
  message: string;
  fields?: FieldIssue[];
  /** Meta's own error code, when Meta refused (e.g. 131047). */
  metaCode?: number;
  /** When the same request may succeed later (a throttled unlock, a rate limit): how long to wait. */
  retryAfterMs?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
