/** The inbox's test controls for end-to-end tests: labels, and the read receipts the demo's sandbox received. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestHost } from './helpers';
import type { TestHost } from './helpers';

async function control(host: TestHost, name: string, body: unknown): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  const response = await rawRequest(host.origin, `/__test/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-token': host.testControlsToken ?? '' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: JSON.parse(response.body) as { ok: boolean; value?: unknown } };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error('Timed out waiting');
}

describe('inbox test controls', () => {
  let host: TestHost;
  const events: Array<{ event: string; payload: unknown }> = [];
  beforeAll(async () => {
    host = await startTestHost({ demo: true, seed: 4, testControls: true, fastKdf: true });
    host.ports.events.subscribe((event, payload) => events.push({ event, payload }));
  });
  afterAll(() => host.close());

  it('labels/create and labels/assign put a label on a conversation and announce the row', async () => {
    const act = await control(host, 'sandbox/customer-act', { kind: 'text', customer: 1 });
    const wamid = (act.json.value as { wamid: string }).wamid;
    const archive = () => host.core.services.workspaces.current()!.archive;
    await until(() => archive().messages.getByWamid(wamid) !== undefined);
    const conversationId = archive().messages.getByWamid(wamid)!.conversationId;

    const created = await control(host, 'labels/create', { name: 'E2E label', colour: 5 });
    expect(created.status).toBe(200);
    const labelId = (created.json.value as { id: number }).id;
    expect(archive().labels.get(labelId)).toMatchObject({ name: 'E2E label', colour: 5 });

    const assigned = await control(host, 'labels/assign', { conversationId, labelId });
    expect(assigned.json).toEqual({ ok: true, value: { conversationId, labelId } });
    expect(archive().labels.ofConversation(conversationId).map((l) => l.id)).toContain(labelId);
    expect(events).toContainEqual({ event: 'conversations:changed', payload: { ids: [conversationId] } });

    expect((await control(host, 'labels/assign', { conversationId: 999_999, labelId })).status).toBe(404);
    expect((await control(host, 'labels/create', { name: 'e2e LABEL', colour: 1 })).json.ok).toBe(false);
  });

  it('sandbox/read-receipts lists the read receipts Meta (the sandbox) received', async () => {
    const act = await control(host, 'sandbox/customer-act', { kind: 'text', customer: 3 });
    const wamid = (act.json.value as { wamid: string }).wamid;
    const archive = () => host.core.services.workspaces.current()!.archive;
    await until(() => archive().messages.getByWamid(wamid) !== undefined);
    const conversationId = archive().messages.getByWamid(wamid)!.conversationId;
    expect(await host.core.invoke('conversations:mark-read', { conversationId })).toMatchObject({ ok: true });
    const reads = async () => ((await control(host, 'sandbox/read-receipts', {})).json.value as { reads: Array<{ messageId: string; typing: boolean }> }).reads;
    for (let i = 0; i < 200 && !(await reads()).some((r) => r.messageId === wamid); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await reads()).filter((r) => r.messageId === wamid)).toEqual([expect.objectContaining({ messageId: wamid, typing: false })]);
  });
});
