import { createRouter, createWebHashHistory } from 'vue-router';
import type { RouterHistory } from 'vue-router';
import { routes } from './routes';

/** Hash history: the page is served as a file (app://) or from the preview host, never with server routes. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({ history, routes });
}
