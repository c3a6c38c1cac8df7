/** A tiny XML builder: elements are data, rendering escapes every text and attribute value (never concatenated raw). */

/** One XML element: a qualified name, attributes, and children (elements or text). */
export interface XmlElement { name: string; attrs: Record<string, string | undefined>; children: XmlNode[] }

/** An element or a text value. */
export type XmlNode = XmlElement | string;

/** Builds an element; `undefined`/`null`/`false` children are dropped so optional parts read naturally. */
export function el(name: string, attrs: Record<string, string | undefined> = {}, ...children: (XmlNode | XmlNode[] | undefined | null | false)[]): XmlElement {
  if (!/^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/.test(name)) throw new Error(`invalid XML element name "${name}"`);
  const flat: XmlNode[] = [];
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) flat.push(...c);
    else flat.push(c);
  }
  return { name, attrs, children: flat };
}

/** Escapes text content (and attribute values: quotes too); strips characters XML 1.0 cannot carry. */
export function escapeXml(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Renders a node to a string. */
export function renderXml(node: XmlNode): string {
  if (typeof node === 'string') return escapeXml(node);
  let attrs = '';
  for (const [k, v] of Object.entries(node.attrs)) {
    if (v === undefined) continue;
    if (!/^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/.test(k)) throw new Error(`invalid XML attribute name "${k}"`);
    attrs += ` ${k}="${escapeXml(v)}"`;
  }
  if (!node.children.length) return `<${node.name}${attrs}/>`;
  return `<${node.name}${attrs}>${node.children.map(renderXml).join('')}</${node.name}>`;
}

/** Renders a whole document with the XML declaration. */
export function renderDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>${renderXml(root)}`;
}
