/** Test controls for templates (PRODUCT §9). */
import { z } from 'zod';
import { signBody } from '../../../electron/core/cloud/signature';
import { demoIds } from '../../../electron/core/sandbox/demo';
import { templateStatusWebhook } from '../../../electron/core/sandbox/graph-route-templates';
import type { SignedWebhook, WebhookBody } from '../../../electron/core/sandbox/webhooks/payloads';
import { registerTestControl, TestControlError } from '../test-controls';

/**
 * Meta reviews a template: the open demo's sandbox sets its status (APPROVED, REJECTED, PAUSED, …) and
 * delivers Meta's `message_template_status_update` webhook, signed, to the workspace's receiver — the demo
 * sandbox itself only flips the status.
 */
registerTestControl(
  'templates/set-status',
  z
    .object({
      name: z.string().min(1),
      language: z.string().min(2).optional(),
      status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', 'PENDING', 'FLAGGED', 'REINSTATED']),
      reason: z.string().optional(),
    })
    .strict(),
  ({ name, language, status, reason }, { core, ports }) => {
    const demo = core.services.demo();
    if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
    const template = demo.graph.templates.list().find((t) => t.name === name && (!language || t.language === language));
    if (!template) throw new TestControlError('not_found', `No template ${name} in the sandbox`, 404);
    demo.graph.templates.setStatus(template.id, status, reason);
    const { body, bytes } = templateStatusWebhook(template, demoIds.wabaId, ports.clock.now());
    const signed: SignedWebhook = { body: body as unknown as WebhookBody, bytes, signature: signBody(bytes, demo.credentials.appSecret) };
    demo.poster.post(signed);
    return { id: template.id, status: template.status };
  },
);

/** The template messages the open demo's sandbox Graph API accepted, oldest first, with their bodies. */
registerTestControl('templates/sent', z.object({}).strict(), (_input, { core }) => {
  const demo = core.services.demo();
  if (!demo) throw new TestControlError('invalid_request', 'Open the demo workspace first', 409);
  return { sent: demo.graph.sent.filter((m) => m.type === 'template').map((m) => ({ wamid: m.wamid, to: m.waId ?? m.userId ?? m.input, request: m.request })) };
});
