import { z } from 'zod';
import { sandboxCredentials } from '../sandbox-credentials';
import { registerTestControl } from '../test-controls';

/** The ids and token the sandbox's number accepts, for tests that fill in "Connect a number". */
registerTestControl('sandbox/credentials', z.object({}).strict(), () => sandboxCredentials);
