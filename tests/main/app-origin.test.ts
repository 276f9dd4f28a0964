import { describe, expect, it } from 'vitest';
import { appEntryUrl, appOrigin, isOnOrigin } from '../../electron/main/app-origin';

describe('isOnOrigin', () => {
  it('recognises the app page', () => {
    expect(appOrigin).toBe('app://frontdesk');
    expect(appEntryUrl).toBe('app://frontdesk/index.html');
    expect(isOnOrigin('app://frontdesk/index.html#/settings')).toBe(true);
    expect(isOnOrigin('APP://FRONTDESK/index.html')).toBe(true);
  });

  it.each([
    'app://frontdesk.evil.example/index.html',
    'app://evil/frontdesk',
    'app://frontdesk@evil/index.html',
    'app://user:pass@frontdesk/index.html',
    'app://frontdesk:8080/index.html',
    'https://frontdesk/index.html',
    'file:///app/frontdesk/index.html',
    'app:frontdesk',
    'about:blank',
    '',
    'null',
  ])('refuses %j', (url) => {
    expect(isOnOrigin(url)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(isOnOrigin(undefined)).toBe(false);
    expect(isOnOrigin({ toString: () => 'app://frontdesk/' })).toBe(false);
  });
});
