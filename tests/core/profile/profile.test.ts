/**
 * The business profile against the sandbox (PRODUCT §4, REFERENCE §7): read from and saved to the Cloud API,
 * validated first with the field named, a Meta failure changing nothing, the photo through the resumable
 * upload API, and the local extras.
 */
import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/ipc';
import { samplePng } from '../../../electron/core/sandbox/webhooks/media-samples';
import { call, openDemoInbox } from '../inbox/inbox-support';

const fields = {
  about: 'Fresh flowers every day 🌷',
  address: '12 Market Street, London',
  description: 'Bouquets, plants and weddings. 鲜花与绿植。',
  email: 'hello@flowers.example',
  websites: ['https://flowers.example/', 'http://shop.flowers.example/'],
  vertical: 'RETAIL' as const,
};

describe('business profile', () => {
  it('saves to Meta and reads back what Meta holds', async () => {
    const inbox = await openDemoInbox();
    const saved = await call<ProfileView>(inbox.core, 'profile:save', fields);
    expect(inbox.demo().graph.account.profile).toMatchObject(fields);
    expect(saved).toMatchObject({ fields, stale: false });
    expect(saved.syncedAt).toBe(inbox.clock.now());

    const read = await call<ProfileView>(inbox.core, 'profile:get');
    expect(read.fields).toEqual(fields);
  });

  it('names the wrong field and sends nothing', async () => {
    const inbox = await openDemoInbox();
    const before = { ...inbox.demo().graph.account.profile };
    const answer = await inbox.core.invoke('profile:save', { ...fields, email: 'not-an-email', websites: ['ftp://flowers.example', 'https://a.example'] });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const paths = (answer as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path);
    expect(paths).toEqual(['email', 'websites.0']);
    const three = await inbox.core.invoke('profile:save', { ...fields, websites: ['https://a.example', 'https://b.example', 'https://c.example'] });
    expect(three).toMatchObject({ ok: false, error: { fields: [{ path: 'websites', message: 'at most 2 websites' }] } });
    expect(await inbox.core.invoke('profile:save', { ...fields, about: 'x'.repeat(140) })).toMatchObject({ ok: false, error: { fields: [{ path: 'about' }] } });
    expect(inbox.demo().graph.account.profile).toEqual(before);
  });

  it('keeps the last copy when Meta fails, and says the copy is stale', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'profile:save', fields);
    inbox.demo().graph.faults.inject('500', 10);
    const failed = await inbox.core.invoke('profile:save', { ...fields, about: 'Closed for refurbishment' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'meta_rejected' } });
    const read = await call<ProfileView>(inbox.core, 'profile:get');
    expect(read).toMatchObject({ stale: true, fields });
    expect(read.staleReason).toBeTruthy();
    inbox.demo().graph.faults.clear();
    expect(await call<ProfileView>(inbox.core, 'profile:get')).toMatchObject({ stale: false, fields });
  });

  it('uploads a photo through the resumable upload API and keeps an encrypted copy to show', async () => {
    const inbox = await openDemoInbox();
    const png = samplePng([200, 40, 90]);
    const view = await call<ProfileView>(inbox.core, 'profile:set-photo', { bytes: png, mimeType: 'image/png', fileName: 'shop.png' });
    expect(inbox.demo().graph.account.profile.profile_picture_url).toMatch(/\/pps\//);
    expect(view.photoMediaId).not.toBeNull();
    const shown = await inbox.core.services.readMedia(view.photoMediaId!);
    expect(Buffer.from(shown.bytes).equals(Buffer.from(png))).toBe(true);
    expect(shown.mime).toBe('image/png');
    // Reading the profile again does not fetch the same photo back.
    expect((await call<ProfileView>(inbox.core, 'profile:get')).photoMediaId).toBe(view.photoMediaId);

    const gif = await inbox.core.invoke('profile:set-photo', { bytes: new TextEncoder().encode('GIF89a…'), mimeType: 'image/gif', fileName: 'a.gif' });
    expect(gif).toMatchObject({ ok: false, error: { code: 'attachment_refused' } });
  });

  it('keeps labelled contact methods, checked by kind', async () => {
    const inbox = await openDemoInbox();
    const methods = [
      { kind: 'phone', label: 'Shop', value: '+44 20 7946 0000' },
      { kind: 'website', label: '预约', value: 'https://book.flowers.example' },
    ];
    expect((await call<ProfileView>(inbox.core, 'profile:save-extras', { contactMethods: methods })).extras.contactMethods).toEqual(methods);
    const wrong = await inbox.core.invoke('profile:save-extras', { contactMethods: [{ kind: 'phone', label: 'Fax', value: 'call us' }] });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'contactMethods.0.value' }] } });
    expect((await call<ProfileView>(inbox.core, 'profile:get')).extras.contactMethods).toEqual(methods);
  });
});
