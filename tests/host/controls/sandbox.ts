import { z } from 'zod';
import { sandboxCredentials } from '../sandbox-credentials';
import { registerTestControl, TestControlError } from '../test-controls';

/** The ids and token the sandbox's number accepts, for tests that fill in "Connect a number". */
registerTestControl('sandbox/credentials', z.object({}).strict(), () => sandboxCredentials);

/** Makes a simulated customer of the open demo workspace send something now. */
registerTestControl(
  'sandbox/customer-act',
  z.object({ kind: z.enum(['text', 'image', 'document', 'reaction']).optional(), customer: z.number().int().min(0).max(11).optional(), text: z.string().min(1).max(4096).optional() }).strict(),
  ({ kind, customer, text }, { core }) => {
    const demo = core.services.demo();
    if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
    return demo.customers.act(kind, customer, text);
  },
);

/** Makes the open demo's sandbox Graph API fail the next requests: 429, 500, or a timeout before or after accepting. */
registerTestControl(
  'sandbox/fault',
  z.object({ kind: z.enum(['429', '500', 'timeout-before-accept', 'timeout-after-accept']), count: z.number().int().min(1).max(100).optional() }).strict(),
  ({ kind, count }, { core }) => {
    const demo = core.services.demo();
    if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
    demo.graph.faults.inject(kind, count ?? 1);
    return { injected: kind, count: count ?? 1 };
  },
);

/** The read receipts (and typing indicators) the open demo's sandbox Graph API received, oldest first. */
registerTestControl('sandbox/read-receipts', z.object({}).strict(), (_input, { core }) => {
  const demo = core.services.demo();
  if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
  return { reads: demo.graph.reads.map((r) => ({ messageId: r.messageId, typing: r.typing, at: r.at })) };
});

/** The messages the open demo's sandbox Graph API accepted, oldest first (whom, type, text). */
registerTestControl('sandbox/sent', z.object({}).strict(), (_input, { core }) => {
  const demo = core.services.demo();
  if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
  return {
    sent: demo.graph.sent.map((m) => ({
      wamid: m.wamid,
      to: m.waId ?? m.userId ?? m.input,
      type: m.type,
      text: m.request.type === 'text' ? m.request.text.body : null,
      at: m.acceptedAt,
    })),
  };
});

/** The business profile as the open demo's sandbox holds it (what a save reached). */
registerTestControl('sandbox/profile', z.object({}).strict(), (_input, { core }) => {
  const demo = core.services.demo();
  if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
  return { profile: demo.graph.account.profile };
});
