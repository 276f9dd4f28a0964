// First: no schema may be built before zod is told not to probe `new Function` (CSP).
import './zod-jitless';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createAppI18n } from './i18n';
import { loadSavedLocale } from './i18n/locales';
import { createAppRouter } from './router';
import './styles/base.css';

createApp(App).use(createPinia()).use(createAppI18n(loadSavedLocale())).use(createAppRouter()).mount('#app');
