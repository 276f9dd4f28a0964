import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fail } from '../../../shared/ipc/result';
import { useCoreClockStore } from '../../../renderer/src/stores/core-clock';
import { en } from '../../../renderer/src/i18n/en';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

/** 13:45:30 local time: both "1:45:30 PM" and "13:45:30" contain "45:30". */
const quarterToTwo = new Date(2025, 0, 2, 13, 45, 30).getTime();

describe('useCoreClockStore', () => {
  it('follows the latest app:tick from core', () => {
    const frontdesk = createFakeFrontdesk().install();
    setActivePinia(createPinia());
    const clock = useCoreClockStore();
    expect(clock.seq).toBeNull();

    frontdesk.emit('app:tick', { at: 1_000, seq: 1 });
    frontdesk.emit('app:tick', { at: 2_000, seq: 2 });

    expect(clock.at).toBe(2_000);
    expect(clock.seq).toBe(2);
  });

  it('unsubscribes when disposed, and later ticks change nothing', () => {
    const frontdesk = createFakeFrontdesk().install();
    setActivePinia(createPinia());
    const clock = useCoreClockStore();
    expect(frontdesk.listenerCount('app:tick')).toBe(1);
    frontdesk.emit('app:tick', { at: 1_000, seq: 1 });

    clock.$dispose();
    frontdesk.emit('app:tick', { at: 9_000, seq: 9 });

    expect(frontdesk.listenerCount('app:tick')).toBe(0);
    expect(clock.seq).toBe(1);
  });
});

describe('core clock in the status bar', () => {
  it('shows each tick as it arrives: core time and sequence number', async () => {
    const { wrapper, frontdesk } = await mountApp({ locale: 'en' });
    expect(wrapper.get('[data-testid="core-tick-seq"]').text()).toBe('—');

    frontdesk.emit('app:tick', { at: quarterToTwo, seq: 41 });
    await flushPromises();
    expect(wrapper.get('[data-testid="core-tick-seq"]').text()).toBe('41');
    expect(wrapper.get('[data-testid="core-clock"]').text()).toContain('45:30');

    frontdesk.emit('app:tick', { at: quarterToTwo + 1_000, seq: 42 });
    await flushPromises();
    expect(wrapper.get('[data-testid="core-tick-seq"]').text()).toBe('42');
    expect(wrapper.get('[data-testid="core-clock"]').text()).toContain('45:31');
  });

  it('says it is waiting for core until core answers or ticks', async () => {
    const frontdesk = createFakeFrontdesk({ 'app:info': () => fail('transport_unavailable', 'not yet') });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });
    expect(wrapper.get('[data-testid="core-status"]').text()).toBe(en.status.waiting);

    frontdesk.emit('app:tick', { at: quarterToTwo, seq: 0 });
    await flushPromises();

    expect(wrapper.get('[data-testid="core-status"]').text()).toBe(en.status.connected);
  });

  it('says connected as soon as core has answered', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    expect(wrapper.get('[data-testid="core-status"]').text()).toBe(en.status.connected);
  });
});
