import { z } from 'zod';
import { registerTestControl } from '../test-controls';

/** What was sent to the print port (the preview host's stands in for the system print dialog), oldest first. */
registerTestControl('print/requests', z.object({}).strict(), (_input, { ports }) => ({
  requests: ports.print.requests.map((r) => ({ title: r.title, bytes: r.bytes, html: r.html })),
}));

/** What the next print dialogs answer: printed, or cancelled. */
registerTestControl('print/answer', z.object({ printed: z.boolean() }).strict(), ({ printed }, { ports }) => {
  ports.print.answer(printed);
  return { printed };
});
