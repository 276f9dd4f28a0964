import { z } from 'zod';
import { sandboxCredentials } from '../sandbox-credentials';
import { registerTestControl, TestControlError } from '../test-controls';

/** The ids and token the sandbox's number accepts, for tests that fill in "Connect a number". */
registerTestControl('sandbox/credentials', z.object({}).strict(), () => sandboxCredentials);

/** Makes a simulated customer of the open demo workspace send something now. */
registerTestControl(
  'sandbox/customer-act',
  z.object({ kind: z.enum(['text', 'image', 'document', 'reaction']).optional(), customer: z.number().int().min(0).max(11).optional() }).strict(),
  ({ kind, customer }, { core }) => {
    const demo = core.services.demo();
    if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
    return demo.customers.act(kind, customer);
  },
);
