import type { ChannelHandlers } from '../dispatcher';
import type { ArchiveHandle, WorkspaceManager } from './workspace-manager';

type WorkspaceChannels = Pick<
  ChannelHandlers,
  | 'app:activity'
  | 'workspace:list'
  | 'workspace:state'
  | 'workspace:open-demo'
  | 'workspace:prepare'
  | 'workspace:create'
  | 'workspace:discard-draft'
  | 'workspace:close'
  | 'vault:unlock'
  | 'vault:lock'
  | 'vault:change-passphrase'
  | 'vault:reset-passphrase'
  | 'vault:set-keychain-unlock'
  | 'vault:set-auto-lock'
>;

export function createWorkspaceHandlers<A extends ArchiveHandle>(manager: WorkspaceManager<A>): WorkspaceChannels {
  return {
    'app:activity': () => manager.activity(),
    'workspace:list': () => manager.list(),
    'workspace:state': () => manager.state(),
    'workspace:open-demo': () => manager.openDemo(),
    'workspace:prepare': (request) => manager.prepare(request),
    'workspace:create': (request) => manager.create(request),
    'workspace:discard-draft': ({ draftId }) => manager.discardDraft(draftId),
    'workspace:close': () => manager.close(),
    'vault:unlock': (request) => manager.unlock(request),
    'vault:lock': () => manager.lock(),
    'vault:change-passphrase': (request) => manager.changePassphrase(request),
    'vault:reset-passphrase': (request) => manager.resetPassphrase(request),
    'vault:set-keychain-unlock': ({ enabled }) => manager.setKeychainUnlock(enabled),
    'vault:set-auto-lock': ({ minutes }) => manager.setAutoLock(minutes),
  };
}
