/** The page layer every server-rendered page uses (docs/pages.md): renderer, locale, branding, CSRF. */
export { renderPage, sendPage, type PageOptions } from './renderer';
export { pageLocale, pageDir } from './locale';
export { brandingOf, pageBasics } from './branding';
export { csrfToken, csrfValid, requireCsrf, bindCsrfSession, CSRF_COOKIE, CSRF_FIELD } from './csrf';
export { registerSuiteHelpers } from './helpers';
