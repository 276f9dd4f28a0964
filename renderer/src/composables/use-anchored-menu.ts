import { nextTick, onBeforeUnmount, onMounted, ref } from 'vue';
import type { Ref } from 'vue';

/**
 * What every small menu of the app does (the conversation menu, the message menu): placed beside its anchor
 * and kept inside the window, first item focused, arrow keys / Home / End move between items, Escape or Tab
 * closes, and so does a pointer down outside it and its anchor.
 */
export function useAnchoredMenu(options: {
  menu: Readonly<Ref<HTMLElement | null>>;
  anchor: () => HTMLElement | null;
  /** Which edge of the anchor the menu lines up with. */
  align: 'start' | 'end';
  /** The focusable items, in order. */
  itemSelector: string;
  close: () => void;
}) {
  const position = ref<Record<string, string>>({ top: '0px', left: '0px' });

  const items = (): HTMLElement[] => [...(options.menu.value?.querySelectorAll<HTMLElement>(options.itemSelector) ?? [])];

  function move(step: number) {
    const all = items();
    if (all.length === 0) return;
    const at = all.indexOf(document.activeElement as HTMLElement);
    all[(at + step + all.length) % all.length]!.focus();
  }

  function onKeydown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') move(1);
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') move(-1);
    else if (event.key === 'Home') items()[0]?.focus();
    else if (event.key === 'End') items().at(-1)?.focus();
    else if (event.key === 'Escape' || event.key === 'Tab') options.close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  function onOutside(event: PointerEvent) {
    const target = event.target as Node | null;
    if (options.menu.value?.contains(target) || options.anchor()?.contains(target)) return;
    options.close();
  }

  onMounted(async () => {
    await nextTick();
    const rect = options.anchor()?.getBoundingClientRect();
    const box = options.menu.value?.getBoundingClientRect();
    const height = window.innerHeight || 800;
    const width = window.innerWidth || 1200;
    const menuHeight = box?.height ?? 0;
    const menuWidth = box?.width ?? 0;
    // Below the anchor, or above it when there is no room below.
    let top = rect ? rect.bottom + 4 : 80;
    if (top + menuHeight > height - 8) top = Math.max(8, (rect?.top ?? height) - menuHeight - 4);
    let left = rect ? (options.align === 'end' ? rect.right - menuWidth : rect.left) : 80;
    left = Math.min(Math.max(8, left), Math.max(8, width - menuWidth - 8));
    position.value = { top: `${Math.round(top)}px`, left: `${Math.round(left)}px` };
    items()[0]?.focus();
    document.addEventListener('pointerdown', onOutside, true);
  });

  onBeforeUnmount(() => document.removeEventListener('pointerdown', onOutside, true));

  return { position, onKeydown };
}
