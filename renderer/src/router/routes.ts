import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import InboxView from '../views/InboxView.vue';
import SearchView from '../views/SearchView.vue';
import ContactsView from '../views/ContactsView.vue';
import TemplatesView from '../views/TemplatesView.vue';
import QuickRepliesView from '../views/QuickRepliesView.vue';
import LabelsView from '../views/LabelsView.vue';
import AutomationView from '../views/AutomationView.vue';
import ProfileView from '../views/ProfileView.vue';
import BackupsView from '../views/BackupsView.vue';
import SettingsView from '../views/SettingsView.vue';

/** A page of the app: its key names the route, the nav message (`nav.<key>`) and its icon. */
export type PageKey =
  | 'inbox'
  | 'search'
  | 'contacts'
  | 'templates'
  | 'quickReplies'
  | 'labels'
  | 'automation'
  | 'profile'
  | 'statistics'
  | 'backups'
  | 'settings';

export interface NavItem {
  key: PageKey;
  path: `/${string}`;
  /** The end-to-end tests find the links by these; do not rename. */
  testId: `nav-${string}`;
  /** A page, or a loader for one kept out of the main bundle (the statistics page brings the chart library). */
  component: Component | (() => Promise<Component>);
}

/** The navigation, in the order the side bar shows it. */
export const navItems: readonly NavItem[] = [
  { key: 'inbox', path: '/inbox', testId: 'nav-inbox', component: InboxView },
  { key: 'search', path: '/search', testId: 'nav-search', component: SearchView },
  { key: 'contacts', path: '/contacts', testId: 'nav-contacts', component: ContactsView },
  { key: 'templates', path: '/templates', testId: 'nav-templates', component: TemplatesView },
  { key: 'quickReplies', path: '/quick-replies', testId: 'nav-quick-replies', component: QuickRepliesView },
  { key: 'labels', path: '/labels', testId: 'nav-labels', component: LabelsView },
  { key: 'automation', path: '/automation', testId: 'nav-automation', component: AutomationView },
  { key: 'profile', path: '/profile', testId: 'nav-profile', component: ProfileView },
  { key: 'statistics', path: '/statistics', testId: 'nav-statistics', component: () => import('../views/StatisticsView.vue') },
  { key: 'backups', path: '/backups', testId: 'nav-backups', component: BackupsView },
  { key: 'settings', path: '/settings', testId: 'nav-settings', component: SettingsView },
];

declare module 'vue-router' {
  interface RouteMeta {
    /** Which page this is: gives the document title (`nav.<page>`). */
    page?: PageKey;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inbox' },
  ...navItems.map((item): RouteRecordRaw => ({ path: item.path, name: item.key, component: item.component, meta: { page: item.key } })),
  // An address that no longer exists (an old bookmark, a typo) lands on the inbox rather than a blank page.
  { path: '/:unknown(.*)*', redirect: '/inbox' },
];
