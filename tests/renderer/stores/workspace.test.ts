import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { fail, ok } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import type { WorkspaceState } from '../../../shared/ipc/contract';
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace';
import { cleanUpAfterEach } from '../support/cleanup';
import { businessWorkspace, closedState, createFakeFrontdesk, lockedState, unlockedState } from '../support/fake-frontdesk';

cleanUpAfterEach();

describe('useWorkspaceStore', () => {
  it('follows the workspace:state events core pushes', async () => {
    const frontdesk = createFakeFrontdesk().install();
    setActivePinia(createPinia());
    const store = useWorkspaceStore();
    expect(store.screen).toBe('connecting');

    await store.load();
    expect(store.screen).toBe('app');
    expect(store.unlocked).toBe(true);

    frontdesk.emit('workspace:state', lockedState());
    expect(store.screen).toBe('unlock');
    expect(store.unlockTarget).toEqual(businessWorkspace);

    frontdesk.emit('workspace:state', closedState);
    expect(store.screen).toBe('picker');
    expect(store.unlockTarget).toBeNull();
  });

  it('keeps an event that arrives while its own question is on the way', async () => {
    let answer: (result: Result<WorkspaceState>) => void = () => {};
    const frontdesk = createFakeFrontdesk({ 'workspace:state': () => new Promise((resolve) => (answer = resolve)) }).install();
    setActivePinia(createPinia());
    const store = useWorkspaceStore();

    const loading = store.load();
    frontdesk.emit('workspace:state', lockedState());
    answer(ok(unlockedState()));
    await loading;

    expect(store.locked).toBe(true);
  });

  it('a workspace chosen in the picker is the one to unlock, until one opens', () => {
    const frontdesk = createFakeFrontdesk().install();
    setActivePinia(createPinia());
    const store = useWorkspaceStore();
    frontdesk.emit('workspace:state', closedState);

    store.choose(businessWorkspace);
    expect(store.screen).toBe('unlock');
    expect(store.unlockTarget).toEqual(businessWorkspace);

    frontdesk.emit('workspace:state', unlockedState());
    expect(store.chosen).toBeNull();
    expect(store.screen).toBe('app');
  });

  it('keeps the reason when core cannot be reached, and unsubscribes when disposed', async () => {
    const frontdesk = createFakeFrontdesk({ 'workspace:state': () => fail('transport_unavailable', 'down') }).install();
    setActivePinia(createPinia());
    const store = useWorkspaceStore();

    await store.load();
    expect(store.error?.code).toBe('transport_unavailable');
    expect(store.screen).toBe('connecting');
    expect(frontdesk.listenerCount('workspace:state')).toBe(1);

    store.$dispose();
    expect(frontdesk.listenerCount('workspace:state')).toBe(0);
  });
});
