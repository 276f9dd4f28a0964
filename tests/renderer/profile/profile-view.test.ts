import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { ProfileView } from '../../../shared/ipc/automation';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { profileView } from '../automation/automation-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function openProfile(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'profile:get': () => ok(profileView()),
    'profile:save': (fields) => ok(profileView({ fields: { ...fields, websites: [...fields.websites] } })),
    'profile:save-extras': (extras) => ok(profileView({ extras: { contactMethods: extras.contactMethods.map((method) => ({ ...method })) } })),
    'profile:set-photo': () => ok(profileView({ photoMediaId: 42 })),
    ...handlers,
  });
  return mountApp({ frontdesk, locale, path: '/profile' });
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const valueOf = (wrapper: Wrapper, testId: string) => (byId(wrapper, testId).element as HTMLInputElement).value;
/** The text of a select's chosen option (happy-dom has no `:checked` for options). */
const chosen = (wrapper: Wrapper, testId: string) => {
  const select = byId(wrapper, testId).element as HTMLSelectElement;
  return select.options[select.selectedIndex]?.text ?? '';
};
const fieldError = (wrapper: Wrapper, field: string) => wrapper.find(`[data-testid="field-error"][data-field="${field}"]`);

async function save(wrapper: Wrapper) {
  await byId(wrapper, 'profile-save').trigger('click');
  await flushPromises();
}

describe('the business profile page', () => {
  it('shows what Meta holds: the fields, the category in words, the photo and the extras', async () => {
    const { wrapper } = await openProfile();
    expect(valueOf(wrapper, 'profile-about')).toBe('Gentle dentistry in the heart of town');
    expect(valueOf(wrapper, 'profile-address')).toBe('12 High Street, Cambridge');
    expect(valueOf(wrapper, 'profile-email')).toBe('hello@lotus-dental.example');
    expect(valueOf(wrapper, 'profile-website-0')).toBe('https://lotus-dental.example');
    expect(valueOf(wrapper, 'profile-website-1')).toBe('');
    const vertical = byId(wrapper, 'profile-vertical');
    expect((vertical.element as HTMLSelectElement).value).toBe('HEALTH');
    expect(chosen(wrapper, 'profile-vertical')).toBe('Medical and health');
    expect(vertical.findAll('option')).toHaveLength(21);
    expect(byId(wrapper, 'profile-about-counter').text()).toBe('37 / 139');
    expect(byId(wrapper, 'profile-photo').attributes('src')).toBe('/media/41');
    expect(valueOf(wrapper, 'contact-method-label-0')).toBe('Reception');
    expect(wrapper.find('[data-testid="profile-stale"]').exists()).toBe(false);
  });

  it('shows an unset category as “Not set”, and keeps it unless staff choose another', async () => {
    const { wrapper, frontdesk } = await openProfile({ 'profile:get': () => ok(profileView({ fields: { ...profileView().fields, vertical: 'UNDEFINED' } })) });
    const vertical = byId(wrapper, 'profile-vertical');
    expect(chosen(wrapper, 'profile-vertical')).toBe('Not set');
    expect(vertical.findAll('option')).toHaveLength(22);
    await save(wrapper);
    expect(frontdesk.payloadsOf('profile:save')[0]?.vertical).toBe('UNDEFINED');
  });

  it('says when Meta could not be reached and this is the last copy', async () => {
    const { wrapper } = await openProfile({ 'profile:get': () => ok(profileView({ stale: true, staleReason: 'connect ETIMEDOUT graph.facebook.com' })) });
    const banner = byId(wrapper, 'profile-stale');
    expect(banner.text()).toContain('Meta could not be reached, so this is the last copy Frontdesk read.');
    expect(banner.text()).toContain('connect ETIMEDOUT graph.facebook.com');
    expect(valueOf(wrapper, 'profile-about')).toBe('Gentle dentistry in the heart of town');
  });

  it('names each wrong field beside it and does not call profile:save', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await byId(wrapper, 'profile-about').setValue('   ');
    await byId(wrapper, 'profile-email').setValue('hello at lotus');
    await byId(wrapper, 'profile-website-1').setValue('ftp://files.lotus-dental.example');
    await byId(wrapper, 'profile-description').setValue('x'.repeat(513));
    await save(wrapper);

    expect(frontdesk.callsTo('profile:save')).toBe(0);
    expect(fieldError(wrapper, 'about').text()).toBe('Fill this in.');
    expect(fieldError(wrapper, 'email').text()).toBe('An email address like name@example.com.');
    expect(fieldError(wrapper, 'websites.1').text()).toBe('A web address starting with http:// or https://.');
    expect(fieldError(wrapper, 'description').text()).toBe('At most 512 characters.');
    expect(fieldError(wrapper, 'websites.0').exists()).toBe(false);
    expect(fieldError(wrapper, 'address').exists()).toBe(false);
    expect(byId(wrapper, 'profile-email').attributes('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(byId(wrapper, 'profile-about').element);

    // Fixing a field takes its message away.
    await byId(wrapper, 'profile-email').setValue('hello@lotus-dental.example');
    expect(fieldError(wrapper, 'email').exists()).toBe(false);
  });

  it('counts the about line as people see it, and names it when too long', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await byId(wrapper, 'profile-about').setValue('牙'.repeat(140));
    expect(byId(wrapper, 'profile-about-counter').text()).toBe('140 / 139');
    await save(wrapper);
    expect(fieldError(wrapper, 'about').text()).toBe('At most 139 characters.');
    expect(frontdesk.callsTo('profile:save')).toBe(0);
  });

  it('saves what was typed, leaving out empty websites, and says it is saved', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await byId(wrapper, 'profile-about').setValue('  Open late on Thursdays ');
    await byId(wrapper, 'profile-website-0').setValue('');
    await byId(wrapper, 'profile-website-1').setValue('https://book.lotus-dental.example');
    await byId(wrapper, 'profile-vertical').setValue('PROF_SERVICES');
    await save(wrapper);

    expect(frontdesk.payloadsOf('profile:save')).toEqual([
      {
        about: 'Open late on Thursdays',
        address: '12 High Street, Cambridge',
        description: 'Check-ups, cleaning and emergency appointments.',
        email: 'hello@lotus-dental.example',
        websites: ['https://book.lotus-dental.example'],
        vertical: 'PROF_SERVICES',
      },
    ]);
    expect(byId(wrapper, 'profile-saved').text()).toBe('Saved. Customers now see this profile.');
    expect(valueOf(wrapper, 'profile-website-0')).toBe('https://book.lotus-dental.example');

    await byId(wrapper, 'profile-address').setValue('14 High Street, Cambridge');
    expect(wrapper.find('[data-testid="profile-saved"]').exists()).toBe(false);
  });

  it('keeps what was typed when Meta refuses, and shows Meta’s reason', async () => {
    const { wrapper } = await openProfile({
      'profile:save': () => fail('meta_rejected', 'Param email must be a valid email address', undefined, undefined, 100),
    });
    await byId(wrapper, 'profile-about').setValue('New about line');
    await byId(wrapper, 'profile-address').setValue('99 River Road');
    await save(wrapper);

    const error = byId(wrapper, 'profile-error');
    expect(error.text()).toContain('Meta refused the request.');
    expect(error.get('[data-testid="meta-reason"]').text()).toBe('(100: Param email must be a valid email address)');
    expect(valueOf(wrapper, 'profile-about')).toBe('New about line');
    expect(valueOf(wrapper, 'profile-address')).toBe('99 River Road');
    expect(wrapper.find('[data-testid="profile-saved"]').exists()).toBe(false);
  });

  it('shows core’s field list beside the fields', async () => {
    const { wrapper } = await openProfile({
      'profile:save': () => fail('invalid_request', 'websites.0: a web address', [{ path: 'websites.0', message: 'a web address starting with http:// or https://' }]),
    });
    await byId(wrapper, 'profile-website-0').setValue('');
    await byId(wrapper, 'profile-website-1').setValue('https://ok.example');
    await save(wrapper);
    // The request's first website came from the second box.
    expect(fieldError(wrapper, 'websites.1').text()).toBe('A web address starting with http:// or https://.');
    expect(wrapper.find('[data-testid="profile-error"]').exists()).toBe(false);
  });

  it('says so when the profile cannot be read, with a retry', async () => {
    let calls = 0;
    const { wrapper } = await openProfile({ 'profile:get': () => (++calls === 1 ? fail('not_connected', 'no number') : ok(profileView())) });
    expect(byId(wrapper, 'profile-load-error').text()).toContain('No WhatsApp number is connected to this workspace yet.');
    await byId(wrapper, 'profile-load-error').get('button').trigger('click');
    await flushPromises();
    expect(valueOf(wrapper, 'profile-about')).toBe('Gentle dentistry in the heart of town');
  });

  it('speaks Chinese, categories included', async () => {
    const { wrapper } = await openProfile({}, 'zh-CN');
    expect(chosen(wrapper, 'profile-vertical')).toBe('医疗与健康');
    expect(byId(wrapper, 'profile-save').text()).toBe('保存到 WhatsApp');
  });
});

describe('the profile photo', () => {
  async function choose(wrapper: Wrapper, file: File) {
    const input = byId(wrapper, 'profile-photo-input');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
  }

  it('refuses a photo over 5 MB before sending it, and says why', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await choose(wrapper, new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'team.jpg', { type: 'image/jpeg' }));
    expect(byId(wrapper, 'profile-photo-refused').text()).toBe('“team.jpg” is 5 MB; a profile photo can be at most 5 MB.');
    expect(frontdesk.callsTo('profile:set-photo')).toBe(0);
  });

  it('refuses what is not a JPEG or PNG', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await choose(wrapper, new File(['GIF89a'], 'logo.gif', { type: 'image/gif' }));
    expect(byId(wrapper, 'profile-photo-refused').text()).toContain('“logo.gif” is not a JPEG or PNG picture');
    expect(frontdesk.callsTo('profile:set-photo')).toBe(0);
  });

  it('sends an accepted photo as bytes with its type and name, then shows the new one', async () => {
    const { wrapper, frontdesk } = await openProfile();
    await choose(wrapper, new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'front-desk.jpg', { type: 'image/jpeg' }));

    const [sent] = frontdesk.payloadsOf('profile:set-photo');
    expect(sent).toMatchObject({ mimeType: 'image/jpeg', fileName: 'front-desk.jpg' });
    expect(sent!.bytes).toBeInstanceOf(Uint8Array);
    expect([...sent!.bytes]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    expect(byId(wrapper, 'profile-photo').attributes('src')).toBe('/media/42');
    expect(byId(wrapper, 'profile-photo-saved').text()).toBe('The new profile photo is saved.');
    expect(wrapper.find('[data-testid="profile-photo-refused"]').exists()).toBe(false);
  });

  it('shows why Meta refused the photo', async () => {
    const { wrapper } = await openProfile({ 'profile:set-photo': () => fail('meta_rejected', 'Image too small', undefined, undefined, 131053) });
    await choose(wrapper, new File([new Uint8Array([137, 80, 78, 71])], 'tiny.png', { type: 'image/png' }));
    expect(byId(wrapper, 'profile-photo-error').text()).toContain('(131053: Image too small)');
  });
});

describe('the extra contact methods', () => {
  it('checks each row before saving, names the wrong ones, then saves the list', async () => {
    const saved: ProfileView[] = [];
    const { wrapper, frontdesk } = await openProfile({
      'profile:save-extras': (extras) => {
        const view = profileView({ extras: { contactMethods: extras.contactMethods.map((method) => ({ ...method })) } });
        saved.push(view);
        return ok(view);
      },
    });
    await byId(wrapper, 'contact-method-add').trigger('click');
    await byId(wrapper, 'contact-method-kind-1').setValue('fax');
    await byId(wrapper, 'contact-method-value-1').setValue('call us');
    await byId(wrapper, 'profile-extras-save').trigger('click');
    await flushPromises();

    expect(frontdesk.callsTo('profile:save-extras')).toBe(0);
    expect(fieldError(wrapper, 'contactMethods.1.label').text()).toBe('Fill this in.');
    expect(fieldError(wrapper, 'contactMethods.1.value').text()).toBe('A phone number: digits, spaces and + ( ) - . only.');

    await byId(wrapper, 'contact-method-label-1').setValue('Office fax');
    await byId(wrapper, 'contact-method-value-1').setValue('+44 1223 555 011');
    await byId(wrapper, 'contact-method-remove-0').trigger('click');
    await byId(wrapper, 'profile-extras-save').trigger('click');
    await flushPromises();

    expect(frontdesk.payloadsOf('profile:save-extras')).toEqual([{ contactMethods: [{ kind: 'fax', label: 'Office fax', value: '+44 1223 555 011' }] }]);
    expect(byId(wrapper, 'profile-extras-saved').text()).toBe('Saved.');
    expect(saved).toHaveLength(1);
  });

  it('stops at ten', async () => {
    const { wrapper } = await openProfile();
    for (let count = 1; count < 10; count++) await byId(wrapper, 'contact-method-add').trigger('click');
    expect(wrapper.findAll('[data-testid="contact-method"]')).toHaveLength(10);
    expect(byId(wrapper, 'contact-method-add').attributes('disabled')).toBeDefined();
  });
});
