// Shared helpers for the AspService pages: language switch, API calls that understand problem+json
// (RFC 9457), dates in JST, and form errors placed next to their fields.

const LANG_KEY = 'aspservice.lang';
const JST_OFFSET_MS = 9 * 60 * 60 * 1000; // Japan has no daylight saving time, so a fixed offset is exact.

/** The chosen language: 'ja' (default) or 'en'. */
export function lang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

function applyLang(value) {
  document.documentElement.dataset.lang = value;
  document.documentElement.lang = value;
}

/** One string in the chosen language, for places that cannot hold both (titles, attributes, confirm()). */
export function msg(ja, en) {
  return lang() === 'en' ? en : ja;
}

/**
 * Wires the language button: static texts carry both languages and CSS shows the chosen one; API
 * messages follow the Accept-Language header, so the page asks the caller to re-render if it wants.
 */
export function initLanguage(button, onChange) {
  applyLang(lang());
  const render = () => {
    const english = lang() === 'en';
    button.textContent = english ? '日本語' : 'English';
    button.lang = english ? 'ja' : 'en';
    button.setAttribute('aria-label', english ? '日本語で表示' : 'Show in English');
  };
  render();
  button.addEventListener('click', () => {
    const next = lang() === 'en' ? 'ja' : 'en';
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      // Private mode without storage: the switch still works for this page view.
    }
    applyLang(next);
    render();
    onChange?.(next);
  });
}

/** Builds an element; children are nodes or strings (always inserted as text, never as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * Calls the API with the chosen language (a Blob body is sent raw, anything else as JSON). Resolves to
 * { ok, status, data } or { ok: false, status, problem } where problem is the server's problem+json (or a
 * local one when the network failed).
 */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': lang() };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body instanceof Blob) {
    // A file upload (e.g. a CSV) goes as it is: the server detects its encoding.
    headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return {
      ok: false,
      status: 0,
      problem: { title: msg('サーバーに接続できませんでした。通信環境を確認して、もう一度お試しください。', 'Could not reach the server. Check your connection and try again.') },
    };
  }

  let data = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }

  if (response.ok) return { ok: true, status: response.status, data };
  const problem = data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  problem.title ??= msg(`エラーが発生しました（${response.status}）。`, `Something went wrong (${response.status}).`);
  return { ok: false, status: response.status, problem };
}

function jstParts(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + JST_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes() };
}

/** An instant (DateTimeOffset) as a JST date: 2026年11月26日. */
export function jstDate(iso) {
  const p = iso ? jstParts(iso) : null;
  return p ? `${p.y}年${p.m}月${p.d}日` : '';
}

/** An instant as a JST date and time: 2026年11月26日 12:05. */
export function jstDateTime(iso) {
  const p = iso ? jstParts(iso) : null;
  return p ? `${p.y}年${p.m}月${p.d}日 ${p.h}:${String(p.min).padStart(2, '0')}` : '';
}

/** A calendar date (DateOnly, yyyy-MM-dd) as 2026年12月1日; no time zone involved. */
export function calendarDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : (value || '');
}

/** Today in JST as yyyy-MM-dd (for date inputs). */
export function todayJst() {
  const p = jstParts(new Date().toISOString());
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

function describedBy(input, id, add) {
  const ids = new Set((input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  if (add) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute('aria-describedby', [...ids].join(' '));
  else input.removeAttribute('aria-describedby');
}

function labelFor(input) {
  // A group of checkboxes or radios is named by its fieldset's legend.
  const label = input instanceof HTMLFieldSetElement ? input.querySelector('legend')
    : input.id ? document.querySelector(`label[for="${input.id}"]`) : null;
  if (!label) return input.name;
  const part = label.querySelector(lang() === 'en' ? '.en' : '.ja') ?? label;
  return part.textContent.trim();
}

/** Removes every error shown by showProblem. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((input) => {
    input.removeAttribute('aria-invalid');
    describedBy(input, `${input.id}-error`, false);
  });
  form.querySelectorAll('.field.invalid').forEach((field) => field.classList.remove('invalid'));
  const summary = form.querySelector('.error-summary');
  if (summary) summary.remove();
}

/**
 * Shows a problem+json on a form: each field error right below its input (bound with aria-describedby,
 * input marked aria-invalid) and a summary at the top that links to the fields and receives focus.
 * Errors for names the form does not have (e.g. "$") appear in the summary only.
 */
export function showProblem(form, problem, fieldAliases = {}) {
  clearErrors(form);
  const items = [];
  for (const [name, messages] of Object.entries(problem.errors || {})) {
    const text = [].concat(messages).join(' ');
    const input = form.elements.namedItem(fieldAliases[name] || name);
    if (input instanceof HTMLElement && input.id) {
      const id = `${input.id}-error`;
      input.insertAdjacentElement('afterend', el('p', { class: 'field-error', id }, text));
      input.setAttribute('aria-invalid', 'true');
      describedBy(input, id, true);
      input.closest('.field')?.classList.add('invalid');
      items.push(el('li', {}, el('a', { href: `#${input.id}`, 'data-focus': input.id }, `${labelFor(input)}: ${text}`)));
    } else {
      items.push(el('li', {}, text));
    }
  }

  const summary = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    el('p', { class: 'title' }, problem.title || msg('入力内容を確認してください。', 'Please check your input.')),
    problem.detail ? el('p', {}, problem.detail) : null,
    items.length ? el('ul', {}, items) : null);
  // In-page links would change the hash route of the console: move focus directly instead.
  summary.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-focus]');
    if (!link) return;
    event.preventDefault();
    document.getElementById(link.dataset.focus)?.focus();
  });
  form.prepend(summary);
  summary.focus();
}

/** Disables a submit button while the request runs, so a double click sends one request. */
export async function busy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Reads a form's named text fields into an object (trimming is left to the server). */
export function values(form, names) {
  const result = {};
  for (const name of names) {
    const value = form.elements.namedItem(name)?.value ?? '';
    result[name] = value === '' ? null : value;
  }
  return result;
}

/** A problem+json as nodes for a notice: its title, then every field message (for views without a form). */
export function problemNodes(problem) {
  const messages = Object.values(problem.errors || {}).flat();
  return [el('strong', {}, problem.title), messages.length ? el('ul', {}, messages.map((m) => el('li', {}, m))) : ''];
}

/** People type one-time codes with spaces, hyphens or full-width digits (IME); servers want plain ASCII. */
export function normalizeCode(value) {
  return (value || '').normalize('NFKC').replace(/[\s-]/g, '');
}
