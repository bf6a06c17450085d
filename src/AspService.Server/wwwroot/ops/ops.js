// Operator console (運用コンソール). Talks only to /api/v1/ops/...; the session is the HttpOnly "ops" cookie,
// so this script never sees a credential. Views are switched by the URL hash (#/tenants, #/tenants/{id},
// #/onboard, #/applications) because static files have no server-side fallback route.
import {
  api, bi, busy, calendarDate, clearErrors, el, initLanguage, jstDate, jstDateTime, msg, showProblem, values,
} from '/assets/app.js';

const TENANT_STATES = {
  Applied: ['申込済', 'Applied'],
  Approved: ['承認済', 'Approved'],
  Provisioning: ['準備中', 'Provisioning'],
  Active: ['利用中', 'Active'],
  Suspended: ['停止中', 'Suspended'],
  Decommissioning: ['利用終了処理中', 'Decommissioning'],
  Deleted: ['削除済', 'Deleted'],
};

const APPLICATION_STATES = {
  Pending: ['審査待ち', 'Pending'],
  Approved: ['承認済', 'Approved'],
  Rejected: ['却下', 'Rejected'],
};

const STEPS = {
  'provision/create-database': ['データベースの作成', 'Create the database'],
  'provision/migrate': ['スキーマの適用', 'Apply the schema'],
  'provision/seed-defaults': ['初期設定の登録', 'Seed the defaults'],
  'decommission/export-archive': ['データのエクスポート', 'Export the data'],
  'decommission/drop-database': ['データベースの削除', 'Drop the database'],
};

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const views = ['view-login', 'view-enroll', 'view-verify', 'view-password', 'view-tenants', 'view-tenant', 'view-onboard', 'view-applications'];

let me = null;
let keepFlash = false;
let pollTimer = null;

// ---------- page frame ----------

function show(viewId, title) {
  for (const id of views) $(id).hidden = id !== viewId;
  $('loading').hidden = true;
  document.title = `${title} | ${msg('運用コンソール', 'Operator console')} | AspService`;
  // Move focus to the new heading so keyboard and screen reader users start at the top of the view.
  $(viewId).querySelector('h1')?.focus();
}

function flash(kind, ...content) {
  const box = $('flash');
  box.className = `notice ${kind}`;
  box.replaceChildren(...content);
}

function clearFlash() {
  $('flash').replaceChildren();
}

function problemNodes(problem) {
  const messages = Object.values(problem.errors || {}).flat();
  return [el('strong', {}, problem.title), messages.length ? el('ul', {}, messages.map((m) => el('li', {}, m))) : ''];
}

function badge(states, state) {
  const [ja, en] = states[state] || [state, state];
  return el('span', { class: `badge s-${state}` }, bi(ja, en));
}

function setSignedIn(user) {
  me = user;
  $('nav').hidden = !user;
  $('signout').hidden = !user;
  $('operator').hidden = !user;
  $('operator').textContent = user ? user.email : '';
}

/** API call for signed-in views: a 401 means the session ended, so go back to sign-in. */
async function opsApi(method, path, body) {
  const result = await api(method, path, body);
  if (result.status === 401 && me) {
    setSignedIn(null);
    stopPolling();
    showLogin();
    flash('warning', bi('サインインの有効期限が切れました。もう一度サインインしてください。', 'Your session has ended. Please sign in again.'));
  }

  return result;
}

// ---------- sign-in ----------

function showLogin() {
  for (const id of ['login-form', 'enroll-form', 'verify-form']) {
    $(id).reset();
    clearErrors($(id));
  }
  show('view-login', msg('サインイン', 'Sign in'));
  $('login-email').focus();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('login-submit'), async () => {
    clearFlash();
    const result = await api('POST', '/api/v1/ops/auth/login', values(form, ['email', 'password']));
    if (!result.ok) {
      form.elements.namedItem('password').value = '';
      showProblem(form, result.problem);
      return;
    }

    clearErrors(form);
    if (result.data.next === 'totp-enroll') await startEnrollment();
    else {
      show('view-verify', msg('確認コードの入力', 'Enter your code'));
      $('verify-code').focus();
    }
  });
});

async function startEnrollment() {
  const result = await api('POST', '/api/v1/ops/auth/totp/enroll');
  if (!result.ok) {
    showLogin();
    flash('error', ...problemNodes(result.problem));
    return;
  }

  // The SVG goes in as an image, never as markup, so it cannot run anything.
  $('enroll-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.data.qrSvg)}`;
  $('enroll-secret').textContent = result.data.secret.replace(/(.{4})(?=.)/g, '$1 ');
  show('view-enroll', msg('2 段階認証の設定', 'Set up two-step sign-in'));
}

/** People type codes with spaces or full-width digits (IME); the server wants six ASCII digits. */
function normalizeCode(value) {
  return (value || '').normalize('NFKC').replace(/[\s-]/g, '');
}

for (const [formId, buttonId] of [['enroll-form', 'enroll-submit'], ['verify-form', 'verify-submit']]) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy($(buttonId), async () => {
      const code = normalizeCode(form.elements.namedItem('code').value);
      const result = await api('POST', '/api/v1/ops/auth/totp', { code });
      if (!result.ok) {
        form.elements.namedItem('code').value = '';
        if (result.status === 401) {
          // The password step expired (it lasts a few minutes): start again.
          showLogin();
          flash('error', ...problemNodes(result.problem));
        } else {
          showProblem(form, result.problem);
        }
        return;
      }

      clearErrors(form);
      setSignedIn(result.data);
      flash('success', bi('サインインしました。', 'Signed in.'));
      keepFlash = true;
      route();
    });
  });
}

document.querySelectorAll('[data-action="restart"]').forEach((button) => button.addEventListener('click', () => {
  clearFlash();
  showLogin();
}));

$('signout').addEventListener('click', async () => {
  await api('POST', '/api/v1/ops/auth/logout');
  setSignedIn(null);
  stopPolling();
  showLogin();
  flash('success', bi('サインアウトしました。', 'Signed out.'));
});

// ---------- routing ----------

function currentRoute() {
  const hash = location.hash || '#/tenants';
  const [path, query = ''] = hash.slice(1).split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

async function route() {
  if (!me) return;
  stopPolling();
  if (keepFlash) keepFlash = false;
  else clearFlash();

  const { parts, params } = currentRoute();
  const section = parts[0] || 'tenants';
  document.querySelectorAll('[data-nav]').forEach((link) => {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });

  // A one-time password opens nothing else until it is replaced (the API answers password_change_required).
  if (me.passwordChangeRequired || section === 'password') showPassword();
  else if (section === 'tenants' && parts[1]) await showTenant(parts[1]);
  else if (section === 'onboard') showOnboard();
  else if (section === 'applications') await showApplications(params);
  else await showTenants(params);
}

function showPassword() {
  $('password-form').reset();
  $('password-required').hidden = !me.passwordChangeRequired;
  show('view-password', msg('パスワードの変更', 'Change your password'));
}

$('password-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('password-submit'), async () => {
    const result = await api('POST', '/api/v1/ops/me/password', values(form, ['currentPassword', 'newPassword']));
    if (!result.ok) {
      showProblem(form, result.problem);
      return;
    }

    clearErrors(form);
    setSignedIn(result.data);
    flash('success', bi('パスワードを変更しました。', 'Password changed.'));
    go('#/tenants', true);
  });
});

/** Navigates (or re-renders when already there); keep leaves the current message on screen. */
function go(hash, keep = false) {
  keepFlash = keep;
  if (location.hash === hash) route();
  else location.hash = hash;
}

window.addEventListener('hashchange', route);

// ---------- tenants ----------

function fillStateSelect(select, states, allLabel, selected) {
  select.replaceChildren(el('option', { value: '' }, allLabel),
    ...Object.entries(states).map(([value, [ja, en]]) => el('option', { value, selected: value === selected }, msg(ja, en))));
}

async function showTenants(params) {
  const q = params.get('q') || '';
  const state = params.get('state') || '';
  const page = Math.max(Number(params.get('page')) || 1, 1);
  $('tf-q').value = q;
  fillStateSelect($('tf-state'), TENANT_STATES, msg('すべて', 'All'), state);
  show('view-tenants', msg('団体一覧', 'Tenants'));
  $('tenants-count').replaceChildren();
  $('tenants-results').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));

  const query = new URLSearchParams({ page: String(page), pageSize: '50' });
  if (q) query.set('q', q);
  if (state) query.set('state', state);
  const result = await opsApi('GET', `/api/v1/ops/tenants?${query}`);
  if (!result.ok) {
    if (result.status !== 401) flash('error', ...problemNodes(result.problem));
    return;
  }

  const { total, items, pageSize } = result.data;
  $('tenants-count').replaceChildren(bi(`${total} 件`, `${total} tenant${total === 1 ? '' : 's'}`));
  if (items.length === 0) {
    $('tenants-results').replaceChildren(el('p', {}, bi('該当する団体はありません。', 'No tenants match.')));
    return;
  }

  const rows = items.map((t) => el('tr', {},
    el('td', { class: 'tabular' }, el('a', { href: `#/tenants/${t.id}` }, t.code)),
    el('td', {}, el('a', { href: `#/tenants/${t.id}` }, t.name), el('span', { class: 'sub' }, t.kana)),
    el('td', {}, badge(TENANT_STATES, t.state)),
    el('td', { class: 'tabular' }, t.adminEmail),
    el('td', { class: 'date' }, jstDate(t.createdAt)),
    el('td', { class: 'date' }, jstDate(t.stateChangedAt))));
  const table = el('table', {},
    el('caption', { class: 'vh' }, bi('団体一覧', 'Tenants')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, bi('団体コード', 'Code')),
      el('th', { scope: 'col' }, bi('団体名', 'Name')),
      el('th', { scope: 'col' }, bi('状態', 'State')),
      el('th', { scope: 'col' }, bi('管理者', 'Administrator')),
      el('th', { scope: 'col' }, bi('登録日', 'Created')),
      el('th', { scope: 'col' }, bi('状態の変更日', 'State changed')))),
    el('tbody', {}, rows));
  $('tenants-results').replaceChildren(el('div', { class: 'table-wrap' }, table), pager(page, Math.ceil(total / pageSize), q, state));
}

function pager(page, pages, q, state) {
  if (pages <= 1) return '';
  const link = (p, content) => {
    const query = new URLSearchParams({ page: String(p) });
    if (q) query.set('q', q);
    if (state) query.set('state', state);
    return el('a', { href: `#/tenants?${query}` }, content);
  };
  return el('nav', { class: 'pager', 'aria-label': msg('ページ', 'Pages') },
    page > 1 ? link(page - 1, bi('前へ', 'Previous')) : '',
    el('span', {}, `${page} / ${pages}`),
    page < pages ? link(page + 1, bi('次へ', 'Next')) : '');
}

$('tenant-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = new URLSearchParams();
  // Full-width digits and letters become ASCII, so a code typed with the IME still matches.
  const q = $('tf-q').value.normalize('NFKC').trim();
  if (q) query.set('q', q);
  if ($('tf-state').value) query.set('state', $('tf-state').value);
  go(`#/tenants${query.size ? `?${query}` : ''}`);
});

function stopPolling() {
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

async function showTenant(key, { refreshOnly = false } = {}) {
  const result = await opsApi('GET', `/api/v1/ops/tenants/${encodeURIComponent(key)}`);
  if (!result.ok) {
    if (result.status === 401) return;
    $('tenant-title').replaceChildren(bi('団体', 'Tenant'));
    $('tenant-body').replaceChildren();
    $('tenant-progress').hidden = true;
    if (!refreshOnly) show('view-tenant', msg('団体', 'Tenant'));
    flash('error', ...problemNodes(result.problem));
    return;
  }

  const t = result.data;
  $('tenant-title').replaceChildren(`${t.name}（${t.code}）`, ' ', badge(TENANT_STATES, t.state));
  if (refreshOnly) {
    // Polling: update facts and progress but leave forms alone, so typing is not lost.
    renderProgress(t);
    $('tenant-facts').replaceWith(facts(t));
    $('tenant-steps').replaceWith(steps(t));
    if (!isWorking(t)) $('tenant-actions').replaceWith(actions(t));
  } else {
    renderProgress(t);
    $('tenant-body').replaceChildren(facts(t), steps(t), actions(t));
    show('view-tenant', `${t.name}（${t.code}）`);
  }

  if (isWorking(t)) {
    pollTimer = setTimeout(() => {
      if (currentRoute().parts[1] === key) showTenant(key, { refreshOnly: true });
    }, POLL_MS);
  }
}

/** Provisioning, or decommissioning whose export has not been written yet: the worker is busy. */
function isWorking(t) {
  return t.state === 'Provisioning' || (t.state === 'Decommissioning' && !t.archiveFile);
}

function renderProgress(t) {
  const box = $('tenant-progress');
  const done = t.completedSteps.length;
  if (t.state === 'Provisioning') {
    box.className = 'notice';
    box.replaceChildren(bi(`環境を準備しています（完了した手順: ${done}）。この画面は自動で更新されます。`,
      `Provisioning (${done} step${done === 1 ? '' : 's'} done). This page refreshes by itself.`));
  } else if (t.state === 'Decommissioning') {
    box.className = 'notice warning';
    box.replaceChildren(t.archiveFile
      ? bi(`データのエクスポートが完了しました。${jstDate(t.dropAfter)} 以降にデータベースを削除します。`,
        `The data export is written. The database is dropped after ${jstDate(t.dropAfter)}.`)
      : bi('データをエクスポートしています。この画面は自動で更新されます。', 'Exporting the data. This page refreshes by itself.'));
  } else if (t.state === 'Suspended') {
    box.className = 'notice warning';
    box.replaceChildren(bi('この団体は利用停止中です。職員はサインインできません。データは保持されています。',
      'This tenant is suspended: nobody can sign in. Its data is kept.'));
  } else {
    box.replaceChildren();
  }
  box.hidden = box.childNodes.length === 0;
}

function facts(t) {
  const row = (ja, en, value) => (value ? [el('dt', {}, bi(ja, en)), el('dd', {}, value)] : []);
  return el('dl', { class: 'facts', id: 'tenant-facts' },
    row('団体コード', 'Code', t.code),
    row('団体名', 'Name', t.name),
    row('ふりがな', 'Reading', t.kana),
    row('都道府県コード', 'Prefecture code', t.prefectureCode),
    row('状態', 'State', badge(TENANT_STATES, t.state)),
    row('停止の理由', 'Suspension reason', t.suspendReason),
    row('管理者のメールアドレス', "Administrator's email", t.adminEmail),
    row('担当部署', 'Department', t.department),
    row('登録日時', 'Created', jstDateTime(t.createdAt)),
    row('状態の変更日時', 'State changed', jstDateTime(t.stateChangedAt)),
    row('データベース削除予定日', 'Database drop date', jstDate(t.dropAfter)),
    row('エクスポートファイル', 'Export archive', t.archiveFile),
    row('スキーマのバージョン', 'Schema version', t.schemaVersion || bi('未適用', 'not migrated yet')),
    row('団体 ID', 'Tenant id', t.id));
}

function steps(t) {
  const items = t.completedSteps.map((s) => {
    const [ja, en] = STEPS[s] || [s, s];
    return el('li', { class: 'done' }, bi(`${ja}（完了）`, `${en} (done)`), el('span', { class: 'sub tabular' }, s));
  });
  return el('section', { id: 'tenant-steps', 'aria-labelledby': 'steps-title' },
    el('h2', { id: 'steps-title' }, bi('完了した手順', 'Completed steps')),
    items.length ? el('ol', { class: 'steps' }, items) : el('p', {}, bi('まだありません。', 'None yet.')));
}

function actions(t) {
  const parts = [];
  if (t.state === 'Active') parts.push(suspendPanel(t));
  if (t.state === 'Suspended') parts.push(resumePanel(t));
  if (t.state === 'Active' || t.state === 'Suspended') parts.push(decommissionPanel(t));
  return el('section', { id: 'tenant-actions', 'aria-label': msg('操作', 'Actions') },
    parts.length ? el('h2', {}, bi('操作', 'Actions')) : '', parts);
}

/** A form bound to one tenant action: shows the server's field errors, then reloads the tenant. */
function actionForm(t, { id, path, fields, button, done, body }) {
  const submit = el('button', { type: 'submit', class: button.class }, bi(button.ja, button.en));
  const form = el('form', { id, novalidate: true }, fields, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const result = await opsApi('POST', `/api/v1/ops/tenants/${t.id}/${path}`, body(form));
      if (!result.ok) {
        if (result.status !== 401) showProblem(form, result.problem);
        return;
      }

      flash('success', bi(done.ja, done.en));
      await showTenant(t.id);
    });
  });
  return form;
}

function textField(id, name, ja, en, { hintJa, hintEn, textarea = false, inputClass } = {}) {
  const hintId = hintJa ? `${id}-hint` : null;
  const control = textarea
    ? el('textarea', { id, name, 'aria-describedby': hintId })
    : el('input', { type: 'text', id, name, class: inputClass, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': hintId });
  return el('div', { class: 'field' },
    el('label', { for: id }, bi(ja, en), el('span', { class: 'req' }, bi('必須', 'Required'))),
    hintId ? el('span', { class: 'hint', id: hintId }, bi(hintJa, hintEn)) : '',
    control);
}

function suspendPanel(t) {
  return el('div', { class: 'panel' },
    el('h3', {}, bi('利用停止', 'Suspend')),
    el('p', {}, bi('停止中は団体の職員がサインインや接続をできなくなります。データは保持され、いつでも再開できます。',
      'While suspended, the tenant\'s staff cannot sign in or connect. Data is kept; you can resume at any time.')),
    actionForm(t, {
      id: 'suspend-form',
      path: 'suspend',
      fields: textField('sus-reason', 'reason', '停止の理由', 'Reason', {
        textarea: true, hintJa: '記録に残ります（500 文字以内）。例: 利用料金の未払い', hintEn: 'Kept on record (at most 500 characters).',
      }),
      button: { class: 'btn danger', ja: '利用を停止する', en: 'Suspend' },
      done: { ja: '利用を停止しました。', en: 'The tenant is suspended.' },
      body: (form) => values(form, ['reason']),
    }));
}

function resumePanel(t) {
  return el('div', { class: 'panel' },
    el('h3', {}, bi('利用再開', 'Resume')),
    el('p', {}, bi('団体の職員が再びサインインできるようになります。', 'The tenant\'s staff can sign in again.')),
    actionForm(t, {
      id: 'resume-form',
      path: 'resume',
      fields: [],
      button: { class: 'btn', ja: '利用を再開する', en: 'Resume' },
      done: { ja: '利用を再開しました。', en: 'The tenant is active again.' },
      body: () => undefined,
    }));
}

function decommissionPanel(t) {
  return el('div', { class: 'panel danger-zone' },
    el('h3', {}, bi('利用終了（団体の廃止）', 'Decommission')),
    el('p', {}, bi('団体のデータをエクスポートした後、保存期間が過ぎるとデータベースを削除します。この操作は取り消せません。',
      'The tenant\'s data is exported, and the database is dropped after the retention period. This cannot be undone.')),
    actionForm(t, {
      id: 'decommission-form',
      path: 'decommission',
      fields: textField('dec-code', 'confirmCode', '確認のための団体コード', 'Code, to confirm', {
        inputClass: 'code', hintJa: `確認のため、団体コード ${t.code} を入力してください。`, hintEn: `Type the tenant's code ${t.code} to confirm.`,
      }),
      button: { class: 'btn danger', ja: '利用を終了する', en: 'Decommission' },
      done: { ja: '利用終了の手続きを開始しました。', en: 'Decommissioning has started.' },
      body: (form) => ({ confirmCode: normalizeCode(form.elements.namedItem('confirmCode').value) }),
    }));
}

// ---------- onboarding ----------

function showOnboard() {
  $('onboard-form').reset();
  clearErrors($('onboard-form'));
  show('view-onboard', msg('団体の登録', 'Onboard a tenant'));
}

$('onboard-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('ob-submit'), async () => {
    const result = await opsApi('POST', '/api/v1/ops/tenants', values(form, ['code', 'adminEmail', 'department']));
    if (!result.ok) {
      if (result.status !== 401) showProblem(form, result.problem);
      return;
    }

    const t = result.data;
    flash('success', bi(`${t.name}（${t.code}）を登録しました。環境の準備を始めています。`,
      `${t.name} (${t.code}) is onboarded; provisioning has started.`));
    go(`#/tenants/${t.id}`, true);
  });
});

// ---------- applications ----------

async function showApplications(params) {
  const state = params.has('state') ? params.get('state') : 'Pending';
  fillStateSelect($('af-state'), APPLICATION_STATES, msg('すべて', 'All'), state);
  show('view-applications', msg('利用申込の審査', 'Applications'));
  $('apps-count').replaceChildren();
  $('apps-results').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));
  const result = await opsApi('GET', `/api/v1/ops/applications${state ? `?state=${encodeURIComponent(state)}` : ''}`);
  if (!result.ok) {
    if (result.status !== 401) flash('error', ...problemNodes(result.problem));
    return;
  }

  const items = result.data;
  $('apps-count').replaceChildren(bi(`${items.length} 件`, `${items.length} application${items.length === 1 ? '' : 's'}`));
  if (items.length === 0) {
    $('apps-results').replaceChildren(el('p', {}, state === 'Pending'
      ? bi('審査待ちの申込はありません。', 'No applications are waiting for review.')
      : bi('該当する申込はありません。', 'No applications match.')));
    return;
  }

  const rows = items.map((a) => el('tr', {},
    el('td', {}, a.name, el('span', { class: 'sub tabular' }, a.code)),
    el('td', {}, a.department, el('span', { class: 'sub' }, a.contactName),
      el('span', { class: 'sub tabular' }, a.email), el('span', { class: 'sub tabular' }, a.phone)),
    el('td', { class: 'date' }, calendarDate(a.preferredStartDate)),
    el('td', { class: 'date' }, jstDate(a.createdAt)),
    el('td', {}, badge(APPLICATION_STATES, a.state),
      a.decidedAt ? el('span', { class: 'sub date' }, jstDate(a.decidedAt)) : '',
      a.rejectionReason ? el('span', { class: 'sub' }, a.rejectionReason) : ''),
    el('td', {}, applicationActions(a))));
  $('apps-results').replaceChildren(el('div', { class: 'table-wrap' }, el('table', {},
    el('caption', { class: 'vh' }, bi('利用申込', 'Applications')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, bi('団体', 'Local government')),
      el('th', { scope: 'col' }, bi('申込者', 'Applicant')),
      el('th', { scope: 'col' }, bi('利用開始希望日', 'Preferred start')),
      el('th', { scope: 'col' }, bi('受付日', 'Received')),
      el('th', { scope: 'col' }, bi('状態', 'State')),
      el('th', { scope: 'col' }, bi('操作', 'Actions')))),
    el('tbody', {}, rows))));
}

$('app-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  // An empty state means "all"; no state at all means the default, pending applications.
  go(`#/applications?state=${encodeURIComponent($('af-state').value)}`);
});

function applicationActions(a) {
  if (a.state === 'Approved' && a.tenantId) {
    return el('a', { href: `#/tenants/${a.tenantId}` }, bi('団体を表示', 'View tenant'));
  }
  if (a.state !== 'Pending') return '';

  const approve = el('button', { type: 'button', class: 'btn small', 'aria-label': msg(`${a.name}の申込を承認`, `Approve ${a.name}`) }, bi('承認', 'Approve'));
  approve.addEventListener('click', () => busy(approve, async () => {
    const result = await opsApi('POST', `/api/v1/ops/applications/${a.id}/approve`);
    if (!result.ok) {
      if (result.status !== 401) flash('error', ...problemNodes(result.problem));
      return;
    }

    flash('success', bi(`${a.name}（${a.code}）の申込を承認しました。環境の準備を始めています。`,
      `Approved ${a.name} (${a.code}); provisioning has started.`), ' ',
    el('a', { href: `#/tenants/${result.data.tenantId}` }, bi('団体を表示', 'View tenant')));
    keepFlash = true;
    await route();
  }));

  const reject = el('button', { type: 'button', class: 'btn small secondary', 'aria-label': msg(`${a.name}の申込を却下`, `Reject ${a.name}`) }, bi('却下', 'Reject'));
  reject.addEventListener('click', () => openReject(a, reject));
  return el('div', { class: 'actions inline' }, approve, reject);
}

let rejecting = null;

function openReject(application, opener) {
  rejecting = { application, opener };
  const form = $('reject-form');
  form.reset();
  clearErrors(form);
  $('reject-target').textContent = `${application.name}（${application.code}） ${application.department}`;
  $('reject-dialog').showModal();
  $('rj-reason').focus();
}

$('rj-cancel').addEventListener('click', () => $('reject-dialog').close());
$('reject-dialog').addEventListener('close', () => rejecting?.opener?.isConnected && rejecting.opener.focus());

$('reject-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const { application } = rejecting;
  busy($('rj-submit'), async () => {
    const result = await opsApi('POST', `/api/v1/ops/applications/${application.id}/reject`, values(form, ['reason']));
    if (!result.ok) {
      if (result.status === 401) $('reject-dialog').close();
      else showProblem(form, result.problem);
      return;
    }

    rejecting.opener = null;
    $('reject-dialog').close();
    flash('success', bi(`${application.name}（${application.code}）の申込を却下しました。`, `Rejected ${application.name} (${application.code}).`));
    keepFlash = true;
    await route();
  });
});

// ---------- start ----------

initLanguage($('lang-toggle'), () => {
  // Labels switch by CSS; lists and option texts come from code, so draw the view again.
  if (me) {
    keepFlash = true;
    route();
  }
});

const session = await api('GET', '/api/v1/ops/me');
if (session.ok) {
  setSignedIn(session.data);
  route();
} else {
  showLogin();
}
