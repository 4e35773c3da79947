// Tiny DOM helpers shared by the pages. Every value reaches the page through
// textContent or setAttribute, never through innerHTML, so nothing served by the
// server (style names, attributes of features) can inject markup.

/**
 * Where this server's root is, as the browser sees it: the pages' modules live
 * in <root>/viewer/, so behind a reverse proxy under a path prefix (/tiles/)
 * every URL is built from here rather than from '/'. No trailing slash.
 */
export const ROOT = new URL('../', import.meta.url).href.replace(/\/$/, '');

/** Creates an element: el('a', { href: u, class: 'x' }, 'text', childNode, …). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A read-only field with the URL and a copy button. */
export function copyField(label, value) {
  const input = el('input', { type: 'text', readonly: 'readonly', value, 'aria-label': label });
  const button = el('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
      } catch {
        input.select();
        document.execCommand('copy');
      }
      button.textContent = 'Copied';
      setTimeout(() => { button.textContent = 'Copy'; }, 1200);
    },
  }, 'Copy');
  return el('div', { class: 'copy' }, el('label', {}, label), el('div', { class: 'copy-row' }, input, button));
}

export async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/** True when the server answers a GET for `url` with 2xx (used to offer optional services). */
export async function exists(url) {
  try {
    const r = await fetch(url, { method: 'GET' });
    return r.ok;
  } catch {
    return false;
  }
}
