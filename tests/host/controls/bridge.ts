import { z } from 'zod';
import { registerTestControl } from '../test-controls';

/** Drops every page's WebSocket, as a crashed or restarted host would: the pages must reconnect on their own. */
registerTestControl('bridge/drop', z.object({}).strict(), (_input, { host }) => ({ dropped: host.dropBridgeConnections() }));
