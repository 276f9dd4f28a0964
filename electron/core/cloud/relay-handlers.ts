/**
 * The relay's IPC channels (issue 10): the workspace's desks, linking a new desk from this one (and this desk
 * from another), primary desk, unpairing. Pairing itself happens on `connection:save` (create-core).
 */
import type { RelayDesksView } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { ClockPort } from '../ports';
import { loadSodium } from '../vault/sodium';
import type { ConnectionService } from './connection';
import type { RelayStatus } from '../../../shared/relay/protocol';
import { applyApprovedLink, approveLink, becomePrimary, lookupLink, relayDesks, requestLink, unpairDesk } from './relay-desks';
import type { ApprovedLink, LinkSession } from './relay-desks';
import { setRelayPrimary } from './relay-state';

type RelayChannels = Pick<
  ChannelHandlers,
  'relay:desks' | 'relay:link-lookup' | 'relay:link-approve' | 'relay:become-primary' | 'relay:unpair' | 'link:start' | 'link:wait' | 'link:cancel'
>;

export interface RelayHandlerDeps {
  archive: () => Archive;
  master: () => Uint8Array;
  workspaceName: () => string;
  connectionFor: (archive: Archive) => ConnectionService;
  clock: Pick<ClockPort, 'now'>;
  /** The relay puller restarts on the new standing (after unpairing this desk). */
  restartRuntime: () => Promise<void>;
}

/** How long one `link:wait` waits for the other desk before answering "pending". */
const linkWaitMs = 25_000;

function desksView(status: RelayStatus): RelayDesksView {
  return { thisDeskId: status.deskId, desks: status.desks.map(({ id, name, primary, pairedAt, lastSeenAt }) => ({ id, name, primary, pairedAt, lastSeenAt })) };
}

export function createRelayHandlers(deps: RelayHandlerDeps) {
  let session: LinkSession | null = null;
  let approved: ApprovedLink | null = null;

  const forget = () => {
    session?.cancel();
    session = null;
    approved?.master.fill(0);
    approved = null;
  };

  const handlers: RelayChannels = {
    'relay:desks': async () => desksView(await relayDesks(deps.archive())),
    'relay:link-lookup': ({ code }) => lookupLink(deps.archive(), code),
    'relay:link-approve': async ({ code }) =>
      approveLink(deps.archive(), { code, master: deps.master(), workspaceName: deps.workspaceName(), connection: deps.connectionFor(deps.archive()), sodium: await loadSodium() }),
    'relay:become-primary': async () => {
      const status = await becomePrimary(deps.archive());
      setRelayPrimary(deps.archive(), true);
      return desksView(status);
    },
    'relay:unpair': async ({ deskId }) => {
      const { self } = await unpairDesk(deps.archive(), deskId);
      if (self) await deps.restartRuntime();
    },
    'link:start': async ({ relayUrl, deskName }) => {
      forget();
      session = await requestLink({ url: relayUrl, deskName, sodium: await loadSodium() });
      return { code: session.code, expiresAt: session.expiresAt };
    },
    'link:wait': async () => {
      if (approved) return { status: 'approved', workspaceName: approved.bundle.workspaceName };
      if (!session) throw new AppError('relay_link_not_found', 'Start linking first');
      if (deps.clock.now() > session.expiresAt) {
        forget();
        throw new AppError('relay_link_not_found', 'The link code expired; start again');
      }
      approved = await session.wait(linkWaitMs);
      return approved ? { status: 'approved', workspaceName: approved.bundle.workspaceName } : { status: 'pending' };
    },
    'link:cancel': () => forget(),
  };

  return {
    handlers,
    /** The master key a `workspace:prepare` with `fromLink` uses, or `relay_link_pending`. */
    linkedMaster(): Uint8Array {
      if (!approved) throw new AppError('relay_link_pending', 'The other desk has not approved the link yet');
      return approved.master;
    },
    /**
     * A workspace was just created: when it holds the linked master key, the connection and relay standing the
     * other desk sent go into its archive, and the link is done.
     */
    created(archive: Archive, master: Uint8Array): boolean {
      if (!approved || !Buffer.from(approved.master).equals(Buffer.from(master))) return false;
      applyApprovedLink(archive, approved, deps.connectionFor(archive), deps.clock.now());
      forget();
      return true;
    },
  };
}
