/** A minimal DOM for running the embedded cookie banner in node:vm (elements, cookies, events, fetch forwarded to the suite). */
import crypto from 'node:crypto';
import vm from 'node:vm';

/** An element (or a text node, tagName '#text') with just what the banner script uses. */
export class FakeElement {
  children: FakeElement[] = [];
  parentNode: FakeElement | null = null;
  attributes: { name: string; value: string }[] = [];
  style: Record<string, string> = {};
  listeners: Record<string, (() => void)[]> = {};
  textContent = '';
  text = '';
  type = '';
  name = '';
  href = '';
  target = '';
  rel = '';
  id = '';
  dir = '';
  checked = false;
  disabled = false;
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: string): void {
    this.attributes = this.attributes.filter((a) => a.name !== name).concat({ name, value });
    if (name === 'type') this.type = value;
  }
  getAttribute(name: string): string | null {
    return this.attributes.find((a) => a.name === name)?.value ?? null;
  }
  appendChild(c: FakeElement): FakeElement {
    c.parentNode = this;
    this.children.push(c);
    return c;
  }
  removeChild(c: FakeElement): void {
    this.children = this.children.filter((x) => x !== c);
    c.parentNode = null;
  }
  replaceChild(n: FakeElement, old: FakeElement): void {
    this.children[this.children.indexOf(old)] = n;
    n.parentNode = this;
    old.parentNode = null;
  }
  addEventListener(type: string, fn: () => void): void {
    (this.listeners[type] ??= []).push(fn);
  }
  click(): void {
    for (const fn of this.listeners.click ?? []) fn();
  }
  /** This element and every descendant. */
  all(): FakeElement[] {
    return [this, ...this.children.flatMap((c) => c.all())];
  }
  /** Visible text of the subtree. */
  innerText(): string {
    return this.all().map((e) => e.textContent).join(' ');
  }
}

/** What a page looks like to the script: language, GPC, blocked script tags, the script tag's attributes. */
export interface PageOptions { lang?: string; gpc?: boolean; subjectToken?: string; blocked?: ('analytics' | 'marketing' | 'social')[]; cookies?: Record<string, string> }

/** A page with the banner script run in it. */
export interface FakePage {
  window: Record<string, unknown> & { PrivacySuiteConsent: { get: () => Record<string, unknown>; open: () => void; version: string } };
  body: FakeElement;
  cookies: Map<string, string>;
  events: { type: string; detail: unknown }[];
  posts: { url: string; body: Record<string, unknown> }[];
  /** Waits for every request the script sent. */
  settle: () => Promise<void>;
  banner: () => FakeElement | undefined;
  button: (action: string) => FakeElement;
  checkbox: (name: string) => FakeElement;
  /** Script tags that were activated (no longer type text/plain). */
  activeScripts: () => string[];
}

/** Runs `source` (as served from `scriptUrl`) in a fresh fake page. */
export function runBanner(source: string, scriptUrl: string, o: PageOptions = {}): FakePage {
  const body = new FakeElement('BODY');
  for (const c of o.blocked ?? []) {
    const s = new FakeElement('SCRIPT');
    s.setAttribute('type', 'text/plain');
    s.setAttribute('data-consent', c);
    s.text = `/* ${c} */`;
    body.appendChild(s);
  }
  const cookies = new Map(Object.entries(o.cookies ?? {}));
  const events: FakePage['events'] = [];
  const posts: FakePage['posts'] = [];
  const pending: Promise<unknown>[] = [];
  const document = {
    get cookie() { return [...cookies].map(([k, v]) => `${k}=${v}`).join('; '); },
    set cookie(v: string) { const [pair] = v.split(';'); const i = pair.indexOf('='); cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1)); },
    currentScript: { src: scriptUrl, getAttribute: (n: string) => (n === 'data-subject-token' ? o.subjectToken ?? null : null) },
    documentElement: { lang: o.lang ?? 'en' },
    body,
    createElement: (tag: string) => new FakeElement(tag.toUpperCase()),
    createTextNode: (text: string) => Object.assign(new FakeElement('#text'), { textContent: text }),
    querySelectorAll: () => body.all().filter((e) => e.tagName === 'SCRIPT' && e.type === 'text/plain' && e.getAttribute('data-consent')),
    addEventListener: () => undefined,
  };
  class CustomEvent { constructor(readonly type: string, readonly init: { detail: unknown }) {} }
  const window: Record<string, unknown> = {
    document, location: { protocol: 'https:' }, navigator: { language: o.lang ?? 'en', globalPrivacyControl: o.gpc === true },
    crypto: { getRandomValues: (a: Uint8Array) => crypto.randomFillSync(a) },
    CustomEvent,
    dispatchEvent: (e: CustomEvent) => { events.push({ type: e.type, detail: e.init.detail }); return true; },
    fetch: (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
      posts.push({ url, body: JSON.parse(init.body) as Record<string, unknown> });
      const headers: Record<string, string> = { ...init.headers, 'user-agent': 'FakeBrowser/1.0 (banner test)', origin: 'https://shop.example' };
      if (o.gpc) headers['sec-gpc'] = '1';
      const p = fetch(url, { method: init.method, headers, body: init.body });
      pending.push(p);
      return p;
    },
  };
  window.window = window;
  vm.runInContext(source, vm.createContext({ window, document, location: window.location, navigator: window.navigator, CustomEvent }));
  const banner = (): FakeElement | undefined => body.children.find((c) => c.id === 'privacy-suite-banner');
  const find = (pred: (e: FakeElement) => boolean, what: string): FakeElement => {
    const e = banner()?.all().find(pred);
    if (!e) throw new Error(`no ${what} in the banner`);
    return e;
  };
  return {
    window: window as FakePage['window'], body, cookies, events, posts,
    settle: async () => { await Promise.all(pending); },
    banner,
    button: (action) => find((e) => e.getAttribute('data-ps-action') === action, `button ${action}`),
    checkbox: (name) => find((e) => e.tagName === 'INPUT' && e.name === name, `checkbox ${name}`),
    activeScripts: () => body.all().filter((e) => e.tagName === 'SCRIPT' && e.type !== 'text/plain').map((e) => e.getAttribute('data-consent') ?? ''),
  };
}
