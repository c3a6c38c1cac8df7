/**
 * The embeddable cookie banner: plain JS, no framework, no eval, DOM built with textContent only. The server prepends
 * the brand's config as JSON. It keeps a first-party visitor id cookie, activates `<script type="text/plain"
 * data-consent="analytics">` tags once their category is allowed, exposes `window.PrivacySuiteConsent.get()/open()`,
 * fires `privacysuite:consent` on window, and POSTs each choice to `<script base>/cookies`.
 */
import type { BannerConfig } from './banner-config';

const SOURCE = String.raw`(function (cfg) {
'use strict';
var d = document, w = window, nav = w.navigator, me = d.currentScript;
var base = me && me.src ? me.src.replace(/\/cookie-banner\.js(\?.*)?$/, '') : '';
var token = me ? me.getAttribute('data-subject-token') : null;
var gpc = cfg.honourGpc && nav.globalPrivacyControl === true;
var notice = cfg.mode === 'notice-only';
function getC(n) { var m = d.cookie.match(new RegExp('(?:^|; )' + n + '=([^;]*)')); return m ? decodeURIComponent(m[1]) : null; }
function setC(n, v) { d.cookie = n + '=' + encodeURIComponent(v) + '; Max-Age=34128000; Path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : ''); }
function newId() { var a = new Uint8Array(16); w.crypto.getRandomValues(a); return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join(''); }
var vid = getC('ps_vid');
if (!vid || !/^[a-f0-9]{32}$/.test(vid)) vid = newId();
setC('ps_vid', vid);
var saved = null;
try { saved = JSON.parse(getC('ps_consent') || 'null'); } catch (e) { saved = null; }
if (!saved || saved.v !== cfg.bannerVersion || typeof saved.c !== 'object') saved = null;
var lang = (d.documentElement.lang || nav.language || '').toLowerCase().split('-')[0];
var S = cfg.strings[lang] || cfg.strings[cfg.defaultLang] || cfg.strings.en;
function state() {
  var s = { necessary: true, decided: !!saved, mode: cfg.mode, gpc: gpc, visitorId: vid, bannerVersion: cfg.bannerVersion };
  cfg.categories.forEach(function (c) { s[c] = saved ? saved.c[c] === true : notice; });
  ['analytics', 'marketing', 'social'].forEach(function (c) { if (s[c] === undefined) s[c] = false; });
  if (gpc) s.marketing = false;
  return s;
}
function activate() {
  var s = state(), tags = d.querySelectorAll('script[type="text/plain"][data-consent]');
  Array.prototype.forEach.call(tags, function (old) {
    if (!s[old.getAttribute('data-consent')]) return;
    var n = d.createElement('script');
    Array.prototype.forEach.call(old.attributes, function (a) { if (a.name !== 'type') n.setAttribute(a.name, a.value); });
    n.text = old.text;
    old.parentNode.replaceChild(n, old);
  });
}
function choose(c) {
  if (gpc) c.marketing = false;
  saved = { v: cfg.bannerVersion, c: c };
  setC('ps_consent', JSON.stringify(saved));
  close();
  activate();
  var body = { visitorId: vid, choices: { analytics: !!c.analytics, marketing: !!c.marketing, social: !!c.social }, bannerVersion: cfg.bannerVersion };
  if (token) body.subjectToken = token;
  var done = function (ok) { w.dispatchEvent(new CustomEvent('privacysuite:recorded', { detail: { ok: ok } })); };
  if (base && w.fetch) {
    w.fetch(base + '/cookies', { method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { done(r.ok); }, function () { done(false); });
  }
  w.dispatchEvent(new CustomEvent('privacysuite:consent', { detail: state() }));
}
var box = null;
function el(tag, text, css) { var e = d.createElement(tag); if (text) e.textContent = text; if (css) Object.assign(e.style, css); return e; }
function btn(text, action, fn) { var b = el('button', text, { margin: '4px', padding: '6px 14px', cursor: 'pointer' }); b.type = 'button'; b.setAttribute('data-ps-action', action); b.addEventListener('click', fn); return b; }
function all(v) { var c = {}; cfg.categories.forEach(function (k) { c[k] = v; }); return c; }
function close() { if (box && box.parentNode) box.parentNode.removeChild(box); box = null; }
function open() {
  if (box || !d.body) return;
  box = el('div', null, { position: 'fixed', left: '0', right: '0', bottom: '0', zIndex: '2147483647', background: '#fff', color: '#111', borderTop: '1px solid #ccc', padding: '12px 16px', font: '14px/1.4 sans-serif', boxShadow: '0 -2px 8px rgba(0,0,0,.15)' });
  box.id = 'privacy-suite-banner';
  box.dir = S.dir;
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', S.title);
  box.appendChild(el('strong', S.title));
  var p = el('p', notice ? S.notice : S.optIn, { margin: '6px 0' });
  var href = cfg.policyUrl || (base ? base + '/documents/cookies?lang=' + encodeURIComponent(lang) : '');
  if (href) { var a = el('a', S.policy); a.href = href; a.target = '_blank'; a.rel = 'noopener'; p.appendChild(d.createTextNode(' ')); p.appendChild(a); }
  box.appendChild(p);
  if (gpc) box.appendChild(el('p', S.gpc, { margin: '6px 0', fontSize: '12px' }));
  var row = el('div');
  if (notice) {
    row.appendChild(btn(S.ok, 'ok', function () { choose(all(true)); }));
  } else {
    var boxes = {}, list = el('div', null, { margin: '6px 0' });
    var nec = el('label', null, { marginRight: '12px' }), ni = el('input'); ni.type = 'checkbox'; ni.checked = true; ni.disabled = true;
    nec.appendChild(ni); nec.appendChild(d.createTextNode(' ' + S['category.necessary'])); list.appendChild(nec);
    cfg.categories.forEach(function (k) {
      var l = el('label', null, { marginRight: '12px' }), i = el('input'); i.type = 'checkbox'; i.name = k;
      i.checked = !!(saved && saved.c[k]); if (k === 'marketing' && gpc) i.disabled = true;
      boxes[k] = i; l.appendChild(i); l.appendChild(d.createTextNode(' ' + S['category.' + k])); list.appendChild(l);
    });
    box.appendChild(list);
    row.appendChild(btn(S.rejectAll, 'reject', function () { choose(all(false)); }));
    row.appendChild(btn(S.save, 'save', function () { var c = {}; cfg.categories.forEach(function (k) { c[k] = boxes[k].checked; }); choose(c); }));
    row.appendChild(btn(S.acceptAll, 'accept', function () { choose(all(true)); }));
  }
  box.appendChild(row);
  d.body.appendChild(box);
}
w.PrivacySuiteConsent = { get: state, open: open, version: cfg.bannerVersion };
activate();
if (!saved) { if (d.body) open(); else d.addEventListener('DOMContentLoaded', open); }
})(`;

/** JSON that is safe inside a script: no "</script>", no U+2028/2029 line breaks. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The script for one brand: the fixed source applied to the brand's config. */
export function renderBannerScript(config: BannerConfig): string {
  return `${SOURCE}${scriptJson(config)});\n`;
}
