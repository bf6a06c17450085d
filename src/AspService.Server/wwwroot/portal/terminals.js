// Terminal views of the staff portal: the admin registry (#/admin/terminals and #/admin/terminals/{id}), one-time
// enrollment tokens shown once with the agent's command line, and a staff member's own terminals (#/terminals).
// The page frame (views, messages, confirmation, routing) belongs to portal.js and comes in as `portal`.
import { bi, busy, clearErrors, el, jstDateTime, msg, problemNodes, showProblem } from './assets/app.js';

export const KINDS = { office: ['庁内端末', 'Office terminal'], home: ['自宅端末', 'Home terminal'] };
export const TERMINAL_STATES = {
  pendingApproval: ['承認待ち', 'Pending approval', 's-Pending'],
  active: ['有効', 'Active', 's-Active'],
  disabled: ['無効', 'Disabled', 's-Suspended'],
  unenrolled: ['未登録', 'Not enrolled', 's-Deleted'],
};
const TOKEN_STATUSES = {
  open: ['未使用', 'Open', 's-Pending'],
  used: ['使用済み', 'Used', 's-Active'],
  expired: ['期限切れ', 'Expired', 's-Deleted'],
  revoked: ['取り消し済み', 'Revoked', 's-Deleted'],
};
const REVOCATION_REASONS = {
  revoked_by_admin: ['管理者による失効', 'Revoked by an administrator'],
  terminal_deleted: ['端末の削除', 'Terminal deleted'],
  superseded: ['更新の再試行で置き換え', 'Replaced by a retried renewal'],
  unenrolled: ['端末からの登録解除', 'Unenrolled by the terminal'],
  reenrolled: ['再登録', 'Terminal enrolled again'],
  owner_disabled: ['所有者の無効化', 'Owner disabled'],
  owner_deleted: ['所有者の削除', 'Owner deleted'],
};
// Offered lifetimes in minutes; the server's limit is 5 minutes to 14 days unless the provider changed it.
const TOKEN_LIFETIMES = [
  [60, '1 時間', '1 hour'],
  [1440, '1 日', '1 day'],
  [4320, '3 日', '3 days'],
  [10080, '7 日', '7 days'],
  [20160, '14 日', '14 days'],
];
const DEFAULT_LIFETIME = 1440;
const USERS_TAKE = 500;

/** The tenant's base address as the agent needs it: the portal's own folder, e.g. https://131016.example.jp or …/t/131016. */
export function tenantBaseUrl() {
  return new URL('.', location.href).href.replace(/\/$/, '');
}

/** The full command an agent runs with a new token (a token is base64url, so it needs no quoting in any shell). */
export function enrollCommand(token) {
  return `aspagent enroll --server ${tenantBaseUrl()} --token ${token}`;
}

function pair(map, key) {
  return map[key] || [key, key, ''];
}

function text(map, key) {
  const [ja, en] = pair(map, key);
  return bi(ja, en);
}

function stateBadge(state) {
  const [ja, en, css] = pair(TERMINAL_STATES, state);
  return el('span', { class: `badge ${css}` }, bi(ja, en));
}

function onlineNode(t) {
  return t.online ? el('span', { class: 'badge s-Active' }, bi('オンライン', 'Online')) : bi('オフライン', 'Offline');
}

/** Online state with the last contact under it (JST), for tables. */
function connectionCell(t) {
  return el('td', { class: 'nowrap' }, onlineNode(t), el('span', { class: 'sub' }, t.lastSeenAt ? jstDateTime(t.lastSeenAt) : '—'));
}

/** The live certificate that ends last (the list answer carries only live ones). */
function currentCertificate(t) {
  const now = Date.now();
  return (t.certificates || []).find((c) => !c.revokedAt && Date.parse(c.notAfter) > now) || null;
}

function expiryNode(t) {
  const c = currentCertificate(t);
  return c ? jstDateTime(c.notAfter) : bi('証明書なし', 'No certificate');
}

function userName(users, id) {
  if (!id) return '—';
  const u = users.get(id);
  return u ? [u.displayName, el('span', { class: 'sub' }, u.email)] : el('span', { class: 'tabular' }, id);
}

/** A data table with a caption for screen readers, bilingual column headers and the English line under the Japanese. */
function dataTable(captionJa, captionEn, headers, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'stack' },
    el('caption', { class: 'vh' }, bi(captionJa, captionEn)),
    el('thead', {}, el('tr', {}, headers.map(([ja, en]) => el('th', { scope: 'col' }, bi(ja, en))))),
    el('tbody', {}, rows)));
}

async function copyText(value, status, container) {
  let done = false;
  try {
    await navigator.clipboard.writeText(value);
    done = true;
  } catch {
    // No async clipboard (plain http on another host): select a hidden copy inside the dialog and copy that.
    const area = el('textarea', { class: 'vh', readonly: true, 'aria-hidden': 'true', tabindex: '-1' }, value);
    container.append(area);
    area.select();
    try {
      done = document.execCommand('copy');
    } catch {
      done = false;
    }
    area.remove();
  }
  status.replaceChildren(done
    ? bi('コピーしました。', 'Copied.')
    : bi('コピーできませんでした。表示されている文字を選択してコピーしてください。', 'Could not copy. Select the text and copy it by hand.'));
}

function copyBlock(id, value, ja, en) {
  const status = el('span', { class: 'copy-status', role: 'status' });
  const block = el('div', { class: 'copy-block' });
  const button = el('button', { type: 'button', class: 'btn secondary small', 'aria-describedby': id }, bi(ja, en));
  button.addEventListener('click', () => copyText(value, status, block));
  // Focusable so a keyboard user can scroll a long line; the text stays selectable.
  block.append(el('pre', { class: 'command', id, tabindex: '0' }, el('code', {}, value)), el('div', { class: 'actions inline' }, button, status));
  return block;
}

export function terminalViews(portal) {
  const $ = (id) => document.getElementById(id);
  const api = portal.api;

  // ---------- shared: users for owner and assignment pickers ----------

  async function loadUsers(q) {
    const query = new URLSearchParams({ take: String(USERS_TAKE) });
    if (q) query.set('q', q);
    const result = await api('GET', `api/v1/users?${query}`);
    return result.ok ? result.data : { total: 0, items: [] };
  }

  /**
   * A user picker: a search box (the tenant may have thousands of staff) and a select of the matches.
   * Returns the field nodes and a function that fills the select.
   */
  function userPicker(prefix, name, labelJa, labelEn, required, exclude = () => false) {
    const search = el('input', { type: 'search', id: `${prefix}-search`, autocomplete: 'off' });
    const find = el('button', { type: 'button', class: 'btn secondary small' }, bi('検索', 'Search'));
    const hintId = `${prefix}-hint`;
    const hint = el('span', { class: 'hint', id: hintId });
    const select = el('select', { id: `${prefix}-select`, name, 'aria-describedby': hintId });
    const fill = async (selected) => {
      const { total, items } = await loadUsers(search.value.trim());
      const usable = items.filter((u) => u.status !== 'disabled' && !exclude(u));
      select.replaceChildren(
        el('option', { value: '' }, usable.length ? msg('選んでください', 'Choose a person') : msg('該当する職員がいません', 'Nobody matches')),
        ...usable.map((u) => el('option', { value: u.id, selected: u.id === selected }, `${u.displayName}（${u.email}）`)));
      hint.replaceChildren(total > items.length
        ? bi(`${total} 人のうち先頭 ${items.length} 人を表示しています。氏名やメールアドレスで絞り込んでください。`,
          `Showing the first ${items.length} of ${total}. Search by name or email to narrow the list.`)
        : bi('無効になっている利用者は選べません。', 'Disabled users cannot be chosen.'));
    };
    find.addEventListener('click', () => busy(find, () => fill(select.value)));
    search.addEventListener('keydown', (event) => {
      // Enter searches instead of submitting the surrounding form.
      if (event.key === 'Enter') {
        event.preventDefault();
        busy(find, () => fill(select.value));
      }
    });
    const nodes = [
      el('div', { class: 'field' },
        el('label', { for: `${prefix}-search` }, bi('氏名・メールアドレスで検索', 'Search by name or email')),
        el('div', { class: 'inline-field' }, search, find)),
      el('div', { class: 'field' },
        el('label', { for: `${prefix}-select` }, bi(labelJa, labelEn),
          required ? el('span', { class: 'req' }, bi('必須', 'Required')) : el('span', { class: 'opt' }, bi('任意', 'Optional'))),
        hint, select),
    ];
    return { nodes, fill, select };
  }

  // ---------- shared: confirmed actions ----------

  async function act(button, action) {
    if (!await portal.confirm(action, button)) return;
    await busy(button, async () => {
      const result = await action.call();
      if (!result.ok) {
        if (result.status !== 401) portal.flash('error', ...problemNodes(result.problem));
        return;
      }

      portal.flash('success', bi(action.doneJa, action.doneEn));
      if (action.then) action.then(result);
      else await portal.refresh();
    });
  }

  function actionButton(t, ja, en, css, action) {
    const b = el('button', { type: 'button', class: `btn small ${css}`, 'aria-label': msg(`${t.name}: ${ja}`, `${t.name}: ${en}`) }, bi(ja, en));
    b.addEventListener('click', () => (typeof action === 'function' ? action(b) : act(b, action)));
    return b;
  }

  const approveAction = (t) => ({
    titleJa: '自宅端末の承認', titleEn: 'Approve the home device',
    textJa: `「${t.name}」を承認します。所有者の職員がこの端末から接続できるようになります。`,
    textEn: `Approve "${t.name}". Its owner can then connect from this device.`,
    okJa: '承認する', okEn: 'Approve', danger: false,
    call: () => api('POST', `api/v1/terminals/${t.id}/approve`),
    doneJa: `「${t.name}」を承認しました。`, doneEn: `Approved "${t.name}".`,
  });

  // ---------- admin: terminal list ----------

  function fillSelect(select, map, selected, allJa, allEn) {
    select.replaceChildren(el('option', { value: '' }, msg(allJa, allEn)),
      ...Object.entries(map).map(([value, [ja, en]]) => el('option', { value, selected: value === selected }, msg(ja, en))));
  }

  let listed = [];

  async function showTerminals(params) {
    const q = params.get('q') || '';
    const kind = params.get('kind') || '';
    const state = params.get('state') || '';
    $('tf-q').value = q;
    fillSelect($('tf-kind'), KINDS, kind, 'すべて', 'All');
    fillSelect($('tf-state'), TERMINAL_STATES, state, 'すべて', 'All');
    portal.show('view-terminals', msg('端末の管理', 'Terminals'));
    $('terminals-count').replaceChildren();
    $('terminals-pending').replaceChildren();
    $('terminals-results').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));
    $('tokens-results').replaceChildren();

    const query = new URLSearchParams();
    if (q) query.set('q', q);
    if (kind) query.set('kind', kind);
    if (state) query.set('state', state);
    const filtered = query.size > 0;
    const [list, all, users] = await Promise.all([
      api('GET', `api/v1/terminals${filtered ? `?${query}` : ''}`),
      filtered ? api('GET', 'api/v1/terminals') : null,
      loadUsers(''),
    ]);
    if (!list.ok) {
      if (list.status !== 401) {
        $('terminals-results').replaceChildren();
        portal.flash('error', ...problemNodes(list.problem));
      }
      return;
    }

    listed = (filtered ? all?.data : list.data) || [];
    const names = new Map(users.items.map((u) => [u.id, u]));
    const pending = listed.filter((t) => t.state === 'pendingApproval').length;
    if (pending > 0 && state !== 'pendingApproval') {
      $('terminals-pending').replaceChildren(el('div', { class: 'notice warning' }, el('p', {},
        bi(`承認待ちの自宅端末が ${pending} 台あります。`, `${pending} home device${pending === 1 ? ' is' : 's are'} waiting for approval.`),
        el('a', { href: '#/admin/terminals?state=pendingApproval' }, bi('承認待ちの端末を表示する', 'Show devices waiting for approval')))));
    }

    const items = list.data;
    $('terminals-count').replaceChildren(bi(`${items.length} 台`, `${items.length} terminal${items.length === 1 ? '' : 's'}`));
    if (items.length === 0) {
      $('terminals-results').replaceChildren(el('p', {}, filtered
        ? bi('該当する端末はありません。', 'No terminals match.')
        : bi('端末はまだ登録されていません。「庁内端末を登録」または「登録トークンを発行」から始めてください。',
          'No terminals yet. Start with "Register an office terminal" or "Create an enrollment token".')));
    } else {
      const rows = items.map((t) => el('tr', {},
        el('th', { scope: 'row', class: 'name' }, el('a', { href: `#/admin/terminals/${t.id}` }, t.name)),
        el('td', { class: 'nowrap' }, text(KINDS, t.kind)),
        el('td', { class: 'place' }, t.kind === 'home' ? userName(names, t.ownerUserId) : (t.location || '—')),
        el('td', {}, stateBadge(t.state)),
        connectionCell(t),
        el('td', { class: 'date' }, expiryNode(t)),
        el('td', { class: 'nowrap' }, t.state === 'pendingApproval'
          ? actionButton(t, '承認', 'Approve', '', approveAction(t))
          : el('a', { href: `#/admin/terminals/${t.id}`, 'aria-label': msg(`${t.name} の管理`, `Manage ${t.name}`) }, bi('管理', 'Manage')))));
      $('terminals-results').replaceChildren(dataTable('端末', 'Terminals', [
        ['端末名', 'Name'], ['種類', 'Kind'], ['設置場所・所有者', 'Location or owner'], ['状態', 'State'],
        ['接続・最終接続（日本時間）', 'Online, last seen (JST)'], ['証明書の期限（日本時間）', 'Certificate expires (JST)'], ['操作', 'Actions'],
      ], rows));
    }

    await loadTokens(names);
  }

  $('terminal-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    const q = $('tf-q').value.trim();
    if (q) query.set('q', q);
    if ($('tf-kind').value) query.set('kind', $('tf-kind').value);
    if ($('tf-state').value) query.set('state', $('tf-state').value);
    portal.go(`#/admin/terminals${query.size ? `?${query}` : ''}`);
  });

  let tokenNames = new Map();

  async function loadTokens(names = tokenNames) {
    tokenNames = names;
    const box = $('tokens-results');
    const all = $('tokens-all').checked;
    const result = await api('GET', `api/v1/enrollment-tokens${all ? '' : '?open=true'}`);
    if (!result.ok) {
      if (result.status !== 401) box.replaceChildren(el('div', { class: 'notice error' }, ...problemNodes(result.problem)));
      return;
    }

    const tokens = result.data;
    if (tokens.length === 0) {
      box.replaceChildren(el('p', {}, all ? bi('登録トークンはありません。', 'No enrollment tokens.') : bi('未使用の登録トークンはありません。', 'No open enrollment tokens.')));
      return;
    }

    const terminals = new Map(listed.map((t) => [t.id, t]));
    const rows = tokens.map((t) => {
      const [ja, en, css] = pair(TOKEN_STATUSES, t.status);
      const target = t.terminalId ? terminals.get(t.terminalId) : null;
      const used = t.usedByTerminalId ? terminals.get(t.usedByTerminalId) : null;
      let revoke = '';
      if (t.status === 'open') {
        const label = t.name || msg(KINDS[t.kind]?.[0] || t.kind, KINDS[t.kind]?.[1] || t.kind);
        revoke = el('button', { type: 'button', class: 'btn small secondary', 'aria-label': msg(`${label} のトークンを取り消す`, `Revoke the token for ${label}`) },
          bi('取り消す', 'Revoke'));
        revoke.addEventListener('click', () => act(revoke, {
          titleJa: '登録トークンの取り消し', titleEn: 'Revoke the enrollment token',
          textJa: 'このトークンでは端末を登録できなくなります。', textEn: 'No terminal can enroll with this token any more.',
          okJa: '取り消す', okEn: 'Revoke', danger: true,
          call: () => api('DELETE', `api/v1/enrollment-tokens/${t.id}`),
          doneJa: '登録トークンを取り消しました。', doneEn: 'Revoked the enrollment token.',
          then: () => loadTokens(),
        }));
      }
      return el('tr', {},
        el('td', {}, text(KINDS, t.kind)),
        el('td', {}, t.name || '—',
          target ? el('span', { class: 'sub' }, bi(`再登録: ${target.name}`, `Re-enrolls: ${target.name}`)) : '',
          used ? el('span', { class: 'sub' }, el('a', { href: `#/admin/terminals/${used.id}` }, bi(`登録された端末: ${used.name}`, `Enrolled: ${used.name}`))) : ''),
        el('td', {}, t.kind === 'home' ? userName(tokenNames, t.ownerUserId) : '—'),
        el('td', {}, el('span', { class: `badge ${css}` }, bi(ja, en)),
          t.requiresApproval ? el('span', { class: 'sub' }, bi('承認が必要', 'Needs approval')) : ''),
        el('td', { class: 'date' }, jstDateTime(t.createdAt)),
        el('td', { class: 'date' }, jstDateTime(t.expiresAt)),
        el('td', {}, revoke));
    });
    box.replaceChildren(dataTable('登録トークン', 'Enrollment tokens', [
      ['種類', 'Kind'], ['端末名', 'Name'], ['所有者', 'Owner'], ['状態', 'State'], ['発行（日本時間）', 'Created (JST)'],
      ['有効期限（日本時間）', 'Expires (JST)'], ['操作', 'Actions'],
    ], rows));
  }

  $('tokens-all').addEventListener('change', () => loadTokens());

  // ---------- admin: register or rename a terminal ----------

  let terminalOpener = null;
  let editing = null;

  function openTerminalDialog(opener, terminal) {
    terminalOpener = opener;
    editing = terminal;
    const form = $('terminal-form');
    form.reset();
    clearErrors(form);
    $('terminal-dialog-title').replaceChildren(terminal ? bi('名前・設置場所の変更', 'Rename or move') : bi('庁内端末を登録', 'Register an office terminal'));
    $('terminal-dialog-text').replaceChildren(terminal
      ? bi('端末の証明書と割り当てはそのまま変わりません。', 'The terminal keeps its certificate and its assigned staff.')
      : bi('先に台帳へ登録しておき、次に「この端末の登録トークンを発行」で端末に証明書を入れます。', 'Register the PC in the list first, then create a token for it to give it a certificate.'));
    $('td-submit').replaceChildren(terminal ? bi('変更する', 'Save') : bi('登録する', 'Register'));
    if (terminal) {
      $('td-name').value = terminal.name;
      $('td-location').value = terminal.location || '';
    }
    $('terminal-dialog').showModal();
    $('td-name').focus();
  }

  $('terminal-new').addEventListener('click', (event) => openTerminalDialog(event.currentTarget, null));
  $('terminal-dialog').addEventListener('close', () => terminalOpener?.isConnected && terminalOpener.focus());

  $('terminal-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy($('td-submit'), async () => {
      // An empty location clears it; the server keeps a field that is left out.
      const body = { name: $('td-name').value, location: $('td-location').value };
      const result = editing
        ? await api('PUT', `api/v1/terminals/${editing.id}`, body)
        : await api('POST', 'api/v1/terminals', { kind: 'office', ...body });
      if (!result.ok) {
        if (result.status === 401) $('terminal-dialog').close();
        else showProblem(form, result.problem);
        return;
      }

      $('terminal-dialog').close();
      const t = result.data;
      if (editing) {
        portal.flash('success', bi(`「${t.name}」を変更しました。`, `Saved "${t.name}".`));
        await portal.refresh();
      } else {
        portal.flash('success', bi(`「${t.name}」を登録しました。次に「この端末の登録トークンを発行」で、端末に証明書を入れてください。`,
          `Registered "${t.name}". Next, create an enrollment token for it to give the PC its certificate.`));
        portal.go(`#/admin/terminals/${t.id}`, true);
      }
    });
  });

  // ---------- enrollment tokens: create, then show once ----------

  let tokenOpener = null;
  let tokenMode = null; // { self, kind, terminalId, ownerUserId }
  let tokenCreated = false;
  let ownerPicker = null;

  function lifetimeField() {
    return el('div', { class: 'field' },
      el('label', { for: 'tk-ttl' }, bi('有効期間', 'Valid for')),
      el('span', { class: 'hint', id: 'tk-ttl-hint' }, bi('この期間内に一度だけ使えます。', 'It works once within this time.')),
      el('select', { id: 'tk-ttl', name: 'ttlMinutes', 'aria-describedby': 'tk-ttl-hint' },
        TOKEN_LIFETIMES.map(([minutes, ja, en]) => el('option', { value: String(minutes), selected: minutes === DEFAULT_LIFETIME }, msg(ja, en)))));
  }

  function nameField(hintJa, hintEn) {
    return el('div', { class: 'field' },
      el('label', { for: 'tk-name' }, bi('端末名', 'Terminal name'), el('span', { class: 'opt' }, bi('任意', 'Optional'))),
      el('span', { class: 'hint', id: 'tk-name-hint' }, bi(hintJa, hintEn)),
      el('input', { type: 'text', id: 'tk-name', name: 'name', autocomplete: 'off', 'aria-describedby': 'tk-name-hint' }));
  }

  function kindRadio(value, checked) {
    const [ja, en] = KINDS[value];
    return el('div', { class: 'check' },
      el('input', { type: 'radio', id: `tk-kind-${value}`, name: 'kindChoice', value, checked }),
      el('label', { for: `tk-kind-${value}` }, bi(ja, en)));
  }

  function terminalOptions(kind, selected) {
    const select = $('tk-terminal');
    const candidates = listed.filter((t) => t.kind === kind && t.state !== 'disabled');
    select.replaceChildren(el('option', { value: '' }, msg('新しい端末として登録する', 'Enroll as a new terminal')),
      ...candidates.map((t) => el('option', { value: t.id, selected: t.id === selected }, `${t.name}${t.location ? `（${t.location}）` : ''}`)));
  }

  function syncKind() {
    const kind = $('token-form').querySelector('input[name="kindChoice"]:checked')?.value || 'office';
    terminalOptions(kind, $('tk-terminal').value);
    $('tk-owner-fields').hidden = kind !== 'home';
  }

  async function openTokenDialog(opener, mode) {
    tokenOpener = opener;
    tokenMode = mode;
    tokenCreated = false;
    const form = $('token-form');
    clearErrors(form);
    form.hidden = false;
    $('token-result').hidden = true;
    $('token-result').replaceChildren();
    const submit = el('button', { type: 'submit', class: 'btn', id: 'tk-submit' }, bi('発行する', 'Create'));
    const cancel = el('button', { type: 'button', class: 'btn secondary' }, bi('キャンセル', 'Cancel'));
    cancel.addEventListener('click', () => $('token-dialog').close());

    if (mode.self) {
      $('token-dialog-title').replaceChildren(bi('自宅端末の登録トークン', 'Token for your home device'));
      form.replaceChildren(
        el('p', {}, bi('自宅のパソコンに証明書を入れるための、1 回だけ使えるトークンを発行します。', 'Create a one-time token that gives your home PC its certificate.')),
        lifetimeField(),
        nameField('100 文字まで。例: 自宅のノート PC。空欄なら自動で名前を付けます。', 'Up to 100 characters, e.g. Home laptop. Left empty, a name is chosen for you.'),
        el('div', { class: 'actions' }, submit, cancel));
    } else {
      $('token-dialog-title').replaceChildren(mode.terminalId ? bi('この端末の登録トークンを発行', 'Create a token for this terminal') : bi('登録トークンを発行', 'Create an enrollment token'));
      ownerPicker = userPicker('tk-owner', 'ownerUserId', '所有者（職員）', 'Owner (staff member)', true);
      form.replaceChildren(
        el('div', { class: 'field' }, el('fieldset', { class: 'group', name: 'kind', id: 'tk-kind', tabindex: '-1' },
          el('legend', {}, bi('端末の種類', 'Kind of terminal')),
          kindRadio('office', (mode.kind || 'office') === 'office'),
          kindRadio('home', mode.kind === 'home'))),
        lifetimeField(),
        nameField('100 文字まで。空欄なら、端末側で指定した名前か自動の名前になります。', 'Up to 100 characters. Left empty, the name given on the terminal or an automatic one is used.'),
        el('div', { class: 'field' },
          el('label', { for: 'tk-terminal' }, bi('再登録する端末', 'Terminal to enroll again'), el('span', { class: 'opt' }, bi('任意', 'Optional'))),
          el('span', { class: 'hint', id: 'tk-terminal-hint' },
            bi('登録済みの端末（PC の交換や再インストール、証明書の失効後）に証明書を入れ直すときに選びます。このトークンで登録した時点で、その端末の今の証明書は失効します。',
              'Choose a registered terminal to give it a new certificate (new PC, reinstall, or after revocation). Its current certificates are revoked when the token is used.')),
          el('select', { id: 'tk-terminal', name: 'terminalId', 'aria-describedby': 'tk-terminal-hint' })),
        el('div', { id: 'tk-owner-fields' }, ownerPicker.nodes),
        el('div', { class: 'actions' }, submit, cancel));
      form.querySelectorAll('input[name="kindChoice"]').forEach((r) => r.addEventListener('change', syncKind));
      terminalOptions(mode.kind || 'office', mode.terminalId);
      $('tk-owner-fields').hidden = mode.kind !== 'home';
      await ownerPicker.fill(mode.ownerUserId);
    }

    $('token-dialog').showModal();
    form.querySelector('input, select')?.focus();
  }

  $('token-new').addEventListener('click', (event) => openTokenDialog(event.currentTarget, {}));

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy($('tk-submit'), async () => {
      const ttlMinutes = Number($('tk-ttl').value);
      const name = $('tk-name').value.trim() || null;
      let result;
      if (tokenMode.self) {
        result = await api('POST', 'api/v1/me/enrollment-tokens', { ttlMinutes, name });
      } else {
        const kind = form.querySelector('input[name="kindChoice"]:checked')?.value || 'office';
        result = await api('POST', 'api/v1/enrollment-tokens', {
          kind, ttlMinutes, name, terminalId: $('tk-terminal').value || null, ownerUserId: kind === 'home' ? ($('tk-owner-select').value || null) : null,
        });
      }
      if (!result.ok) {
        if (result.status === 401) $('token-dialog').close();
        else showProblem(form, result.problem);
        return;
      }

      tokenCreated = true;
      showCreatedToken(result.data);
    });
  });

  function showCreatedToken(t) {
    const form = $('token-form');
    form.hidden = true;
    // The value leaves the form at once; it lives only in the result below until the dialog closes.
    form.replaceChildren();
    const close = el('button', { type: 'button', class: 'btn', id: 'tk-close' }, bi('閉じる（トークンは再表示できません）', 'Close (the token cannot be shown again)'));
    close.addEventListener('click', () => $('token-dialog').close());
    const target = t.terminalId ? listed.find((x) => x.id === t.terminalId) : null;
    const row = (ja, en, value) => (value ? [el('dt', {}, bi(ja, en)), el('dd', {}, value)] : []);
    $('token-dialog-title').replaceChildren(bi('登録トークンを発行しました', 'Enrollment token created'));
    $('token-result').replaceChildren(
      el('div', { class: 'notice warning', id: 'tk-warning', tabindex: '-1' },
        el('p', {}, el('strong', {}, bi('このトークンは今しか表示されません。', 'This token is shown only now.'))),
        el('p', {}, bi('閉じると二度と表示できません。端末での登録が終わるまでこの画面を開いておくか、安全な方法で端末の担当者に渡してください。なくした場合は取り消して、新しく発行してください。',
            'Once closed it cannot be shown again. Keep this window open until the terminal is enrolled, or pass it on safely. If it gets lost, revoke it and create a new one.'))),
      el('dl', { class: 'facts' },
        row('種類', 'Kind', text(KINDS, t.kind)),
        row('端末名', 'Terminal name', t.name || ''),
        row('再登録する端末', 'Enrolls again', target ? target.name : ''),
        row('有効期限（日本時間）', 'Expires (JST)', jstDateTime(t.expiresAt)),
        row('承認', 'Approval', t.requiresApproval ? bi('登録後、管理者の承認が必要です', 'An administrator approves it after enrollment') : '')),
      el('h3', {}, bi('端末で実行するコマンド', 'Command to run on the terminal')),
      el('p', {}, bi('端末に aspagent をインストールし、次のコマンドを実行します。鍵は端末の中で作られ、外には出ません。',
        'Install aspagent on the terminal and run this command. The key is made on the terminal and never leaves it.')),
      copyBlock('tk-command', enrollCommand(t.token), 'コマンドをコピー', 'Copy the command'),
      el('h3', {}, bi('登録トークン', 'Enrollment token')),
      copyBlock('tk-token', t.token, 'トークンをコピー', 'Copy the token'),
      el('div', { class: 'actions' }, close));
    $('token-result').hidden = false;
    $('token-dialog').dataset.keep = 'token';
    $('tk-warning').focus();
  }

  // Escape must not throw away a token by accident: the close button says what closing means. The key itself is
  // stopped (a dialog's cancel event may only be refused once per user action), the cancel event as a fallback.
  const keepToken = (event) => {
    if ($('token-result').hidden) return;
    event.preventDefault();
    $('tk-close')?.focus();
  };
  $('token-dialog').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') keepToken(event);
  });
  $('token-dialog').addEventListener('cancel', keepToken);

  $('token-dialog').addEventListener('close', async () => {
    delete $('token-dialog').dataset.keep;
    $('token-result').replaceChildren();
    $('token-result').hidden = true;
    $('token-form').replaceChildren();
    if (tokenOpener?.isConnected) tokenOpener.focus();
    if (tokenCreated) {
      tokenCreated = false;
      await portal.refresh();
    }
  });

  // ---------- admin: one terminal ----------

  async function showTerminal(id) {
    $('terminal-title').replaceChildren(bi('端末', 'Terminal'));
    $('terminal-body').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));
    portal.show('view-terminal', msg('端末', 'Terminal'));
    const [result, users, all] = await Promise.all([api('GET', `api/v1/terminals/${encodeURIComponent(id)}`), loadUsers(''), api('GET', 'api/v1/terminals')]);
    if (!result.ok) {
      if (result.status === 401) return;
      $('terminal-body').replaceChildren(el('div', { class: 'notice error' }, ...problemNodes(result.problem)));
      return;
    }

    if (all.ok) listed = all.data;
    const t = result.data;
    const names = new Map(users.items.map((u) => [u.id, u]));
    $('terminal-title').replaceChildren(t.name);
    portal.show('view-terminal', t.name);

    const row = (ja, en, value) => [el('dt', {}, bi(ja, en)), el('dd', {}, value)];
    const current = currentCertificate(t);
    const parts = [
      t.state === 'pendingApproval' ? el('div', { class: 'notice warning' },
        el('p', {}, bi('この自宅端末は承認待ちです。所有者と端末を確認してから承認してください。承認するまで、この端末からは接続できません。',
          'This home device is waiting for approval. Check the owner and the device, then approve it. Until then it cannot be used to connect.'))) : '',
      el('dl', { class: 'facts' },
        row('種類', 'Kind', text(KINDS, t.kind)),
        row('状態', 'State', stateBadge(t.state)),
        t.kind === 'home' ? row('所有者', 'Owner', userName(names, t.ownerUserId)) : [],
        row('設置場所・所属', 'Location', t.location || '—'),
        row('接続', 'Online', onlineNode(t)),
        row('最終接続（日本時間）', 'Last seen (JST)', t.lastSeenAt ? jstDateTime(t.lastSeenAt) : '—'),
        row('証明書の有効期限（日本時間）', 'Certificate expires (JST)', current ? jstDateTime(current.notAfter) : bi('有効な証明書はありません', 'No valid certificate')),
        row('登録日（日本時間）', 'Registered (JST)', jstDateTime(t.createdAt)),
        t.approvedAt ? row('承認日（日本時間）', 'Approved (JST)', jstDateTime(t.approvedAt)) : []),
      el('h2', {}, bi('操作', 'Actions')),
      terminalActions(t, current),
    ];
    if (t.kind === 'office') parts.push(...assignmentSection(t, names));
    parts.push(...certificateSection(t));
    $('terminal-body').replaceChildren(...parts);
  }

  function terminalActions(t, current) {
    const rename = actionButton(t, '名前・設置場所の変更', 'Rename or move', 'secondary', (b) => openTerminalDialog(b, t));
    const token = actionButton(t, 'この端末の登録トークンを発行', 'Create a token for this terminal', 'secondary',
      (b) => openTokenDialog(b, { kind: t.kind, terminalId: t.id, ownerUserId: t.ownerUserId }));
    return el('div', { class: 'actions toolbar' },
      t.state === 'pendingApproval' ? actionButton(t, '承認', 'Approve', '', approveAction(t)) : '',
      rename,
      t.state !== 'disabled' ? token : '',
      t.state === 'disabled'
        ? actionButton(t, '有効化', 'Enable', 'secondary', {
          titleJa: '端末の有効化', titleEn: 'Enable the terminal',
          textJa: `「${t.name}」を再び使えるようにします。有効な証明書がなければ、登録トークンで登録し直す必要があります。`,
          textEn: `"${t.name}" can be used again. Without a valid certificate it must be enrolled again with a token.`,
          okJa: '有効にする', okEn: 'Enable', danger: false,
          call: () => api('POST', `api/v1/terminals/${t.id}/enable`),
          doneJa: `「${t.name}」を有効にしました。`, doneEn: `Enabled "${t.name}".`,
        })
        : actionButton(t, '無効化', 'Disable', 'secondary', {
          titleJa: '端末の無効化', titleEn: 'Disable the terminal',
          textJa: `「${t.name}」は次の接続から拒否されます。証明書は失効しないので、あとで有効に戻せます。`,
          textEn: `"${t.name}" is refused from its next connection on. Its certificate is kept, so you can enable it again later.`,
          okJa: '無効にする', okEn: 'Disable', danger: true,
          call: () => api('POST', `api/v1/terminals/${t.id}/disable`),
          doneJa: `「${t.name}」を無効にしました。`, doneEn: `Disabled "${t.name}".`,
        }),
      current ? actionButton(t, '証明書の失効', 'Revoke certificates', 'secondary', {
        titleJa: '証明書の失効', titleEn: 'Revoke the certificates',
        textJa: `「${t.name}」のすべての証明書を失効させます。次の接続から拒否され、使うには登録トークンで登録し直す必要があります。この操作は取り消せません。`,
        textEn: `Every certificate of "${t.name}" is revoked. It is refused from its next connection on and must be enrolled again with a token. This cannot be undone.`,
        okJa: '失効させる', okEn: 'Revoke', danger: true,
        call: () => api('POST', `api/v1/terminals/${t.id}/revoke`),
        doneJa: `「${t.name}」の証明書を失効させました。`, doneEn: `Revoked the certificates of "${t.name}".`,
      }) : '',
      actionButton(t, '削除', 'Delete', 'danger', {
        titleJa: '端末の削除', titleEn: 'Delete the terminal',
        textJa: `「${t.name}」を削除します。証明書はすべて失効し、職員の割り当ても外れます。監査ログの記録は残ります。この操作は取り消せません。`,
        textEn: `"${t.name}" is deleted. All its certificates are revoked and its staff assignments removed. The audit history stays. This cannot be undone.`,
        okJa: '削除する', okEn: 'Delete', danger: true,
        call: () => api('DELETE', `api/v1/terminals/${t.id}`),
        doneJa: `「${t.name}」を削除しました。`, doneEn: `Deleted "${t.name}".`,
        then: () => portal.go('#/admin/terminals', true),
      }));
  }

  function assignmentSection(t, names) {
    const assignees = t.assignees || [];
    const assigned = new Set(assignees.map((a) => a.userId));
    const list = assignees.length
      ? dataTable('割り当てられた職員', 'Assigned staff', [
        ['氏名', 'Name'], ['メールアドレス', 'Email'], ['操作', 'Actions'],
      ], assignees.map((a) => {
          const who = a.displayName || a.email || a.userId;
          const b = el('button', { type: 'button', class: 'btn small secondary', 'aria-label': msg(`${who} の割り当てを解除`, `Unassign ${who}`) }, bi('割り当て解除', 'Unassign'));
          b.addEventListener('click', () => act(b, {
            titleJa: '割り当ての解除', titleEn: 'Unassign',
            textJa: `${who} は「${t.name}」に接続できなくなります。`, textEn: `${who} can no longer connect to "${t.name}".`,
            okJa: '解除する', okEn: 'Unassign', danger: true,
            call: () => api('DELETE', `api/v1/terminals/${t.id}/assignments/${a.userId}`),
            doneJa: `${who} の割り当てを解除しました。`, doneEn: `Unassigned ${who}.`,
          }));
          return el('tr', {},
            el('td', {}, a.displayName || names.get(a.userId)?.displayName || '—'),
            el('td', { class: 'tabular' }, a.email || ''),
            el('td', {}, b));
        }))
      : el('p', {}, bi('まだ誰も割り当てられていません。割り当てられた職員だけが、自宅からこの端末に接続できます。',
        'Nobody is assigned yet. Only assigned staff can connect to this terminal from home.'));

    const picker = userPicker('as-user', 'userId', '割り当てる職員', 'Staff member to assign', true, (u) => assigned.has(u.id));
    const submit = el('button', { type: 'submit', class: 'btn', id: 'as-submit' }, bi('割り当てる', 'Assign'));
    const form = el('form', { id: 'assign-form', novalidate: true }, picker.nodes, el('div', { class: 'actions' }, submit));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(submit, async () => {
        if (!picker.select.value) {
          showProblem(form, {
            title: msg('入力内容を確認してください。', 'Please check your input.'),
            errors: { userId: [msg('割り当てる職員を選んでください。', 'Choose a staff member.')] },
          });
          return;
        }
        const chosen = picker.select.selectedOptions[0]?.textContent || '';
        const result = await api('POST', `api/v1/terminals/${t.id}/assignments`, { userId: picker.select.value });
        if (!result.ok) {
          if (result.status !== 401) showProblem(form, result.problem);
          return;
        }
        portal.flash('success', bi(`${chosen} を割り当てました。`, `Assigned ${chosen}.`));
        await portal.refresh();
      });
    });
    picker.fill('');
    return [
      el('h2', {}, bi('割り当てられた職員', 'Assigned staff')),
      list,
      el('h3', {}, bi('職員を割り当てる', 'Assign a staff member')),
      form,
    ];
  }

  function certificateSection(t) {
    const certificates = t.certificates || [];
    return [
      el('h2', {}, bi('証明書', 'Certificates')),
      el('p', {}, bi('端末の証明書は自動で更新されます（有効期間の 3 分の 2 を過ぎると更新できます）。',
        'Terminal certificates renew automatically (renewal opens after two thirds of their lifetime).')),
      certificates.length === 0
        ? el('p', {}, bi('この端末にはまだ証明書がありません。「この端末の登録トークンを発行」で登録してください。',
          'This terminal has no certificate yet. Enroll it with "Create a token for this terminal".'))
        : dataTable('証明書', 'Certificates', [
          ['シリアル番号', 'Serial number'], ['有効期間（日本時間）', 'Valid (JST)'], ['更新開始（日本時間）', 'Renewal opens (JST)'],
          ['状態', 'State'],
        ], certificates.map((c) => {
            const expired = Date.parse(c.notAfter) <= Date.now();
            const state = c.revokedAt
              ? [el('span', { class: 'badge s-Decommissioning' }, bi('失効', 'Revoked')),
                el('span', { class: 'sub' }, jstDateTime(c.revokedAt)), c.revocationReason ? el('span', { class: 'sub' }, text(REVOCATION_REASONS, c.revocationReason)) : '']
              : expired ? el('span', { class: 'badge s-Deleted' }, bi('期限切れ', 'Expired'))
                : el('span', { class: 'badge s-Active' }, bi('有効', 'Valid'));
            return el('tr', {},
              el('td', { class: 'tabular serial' }, c.serial),
              el('td', { class: 'date' }, `${jstDateTime(c.notBefore)} 〜`, el('br'), jstDateTime(c.notAfter)),
              el('td', { class: 'date' }, jstDateTime(c.renewalOpensAt)),
              el('td', {}, state));
          })),
    ];
  }

  // ---------- staff: my terminals ----------

  async function showMyTerminals() {
    portal.show('view-my-terminals', msg('わたしの端末', 'My terminals'));
    const body = $('my-terminals-body');
    body.replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));
    const [mine, policy] = await Promise.all([api('GET', 'api/v1/me/terminals'), api('GET', 'api/v1/policy')]);
    if (!mine.ok) {
      if (mine.status !== 401) body.replaceChildren(el('div', { class: 'notice error' }, ...problemNodes(mine.problem)));
      return;
    }

    const { office, home } = mine.data;
    const rules = policy.ok ? policy.data.policy : null;
    const officeTable = office.length
      ? dataTable('利用できる庁内端末', 'Office terminals you can use', [
        ['端末名', 'Name'], ['設置場所', 'Location'], ['状態', 'State'], ['接続・最終接続（日本時間）', 'Online, last seen (JST)'],
      ], office.map((t) => el('tr', {},
          el('th', { scope: 'row' }, t.name),
          el('td', {}, t.location || '—'),
          el('td', {}, stateBadge(t.state)),
          connectionCell(t))))
      : el('p', {}, bi('割り当てられた庁内端末はありません。接続したい端末があれば、管理者に割り当てを依頼してください。',
        'No office terminal is assigned to you. Ask your administrator to assign the one you need.'));
    const homeTable = home.length
      ? dataTable('あなたの自宅端末', 'Your home devices', [
        ['端末名', 'Name'], ['状態', 'State'], ['証明書の期限（日本時間）', 'Certificate expires (JST)'],
        ['接続・最終接続（日本時間）', 'Online, last seen (JST)'],
      ], home.map((t) => el('tr', {},
          el('th', { scope: 'row' }, t.name),
          el('td', {}, stateBadge(t.state),
            t.state === 'pendingApproval' ? el('span', { class: 'sub' }, bi('管理者が承認すると使えるようになります。', 'Usable once an administrator approves it.')) : ''),
          el('td', { class: 'date' }, expiryNode(t)),
          connectionCell(t))))
      : el('p', {}, bi('登録されている自宅端末はありません。', 'You have no registered home device.'));

    const parts = [
      el('h2', {}, bi('利用できる庁内端末', 'Office terminals you can use')),
      officeTable,
      el('h2', {}, bi('あなたの自宅端末', 'Your home devices')),
      homeTable,
      el('h2', {}, bi('自宅端末の登録', 'Register a home device')),
    ];
    if (rules?.allowHomeSelfRegistration) {
      const open = el('button', { type: 'button', class: 'btn', id: 'my-token-new' }, bi('自宅端末の登録トークンを発行', 'Create a token for my home device'));
      open.addEventListener('click', () => openTokenDialog(open, { self: true }));
      parts.push(el('ol', { class: 'steps' },
        el('li', {}, bi('下のボタンで、1 回だけ使える登録トークンを発行します。', 'Create a one-time enrollment token with the button below.')),
        el('li', {}, bi('自宅のパソコンに aspagent をインストールし、表示されたコマンドを実行します。', 'Install aspagent on your home PC and run the command shown.')),
        rules.homeRegistrationRequiresApproval
          ? el('li', {}, bi('管理者が承認すると、その端末から接続できるようになります。', 'Once an administrator approves it, you can connect from it.'))
          : ''),
      el('div', { class: 'actions' }, open));
    } else {
      parts.push(el('p', {}, bi('自宅端末の登録は管理者が行います。登録を希望する場合は、管理者に連絡してください。',
        'Home devices are registered by your administrator. Contact them if you need one.')));
    }
    body.replaceChildren(...parts);
  }

  return { showTerminals, showTerminal, showMyTerminals };
}
