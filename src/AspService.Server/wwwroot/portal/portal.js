// Staff portal (職員ポータル), served inside one tenant: at /t/{code}/ and at the root of {code}.{BaseDomain}.
// Every API path is relative ("api/v1/...") so it resolves against the tenant base in both forms. The session
// is the tenant's HttpOnly cookie; this script never sees a credential. Views follow the URL hash, as in the
// operator console; the mailed links (/invitation?token=…, /password-reset?token=…) forward to #/invitation
// and #/reset, and the token is taken out of the address bar at once.
import {
  api, bi, busy, clearErrors, el, initLanguage, jstDate, jstDateTime, msg, normalizeCode, problemNodes, showProblem, values,
} from './assets/app.js';
import { policyView } from './policy.js';
import { terminalViews } from './terminals.js';

const ADMIN = 'TenantAdmin';
const ROLES = { TenantAdmin: ['管理者', 'Administrator'], Staff: ['職員', 'Staff'] };
const USER_STATES = {
  active: ['利用中', 'Active', 's-Active'],
  invited: ['招待中', 'Invited', 's-Pending'],
  disabled: ['無効', 'Disabled', 's-Suspended'],
};
const IMPORT_OUTCOMES = { created: ['新規登録', 'New'], updated: ['更新', 'Updated'], unchanged: ['変更なし', 'Unchanged'] };
const IMPORT_COLUMNS = { email: ['メールアドレス', 'Email'], name: ['氏名', 'Name'], department: ['所属', 'Department'], role: ['権限', 'Role'] };
const AUDIT_ACTIONS = {
  'signin.succeeded': ['サインイン', 'Signed in'],
  'signin.failed': ['サインイン失敗', 'Sign-in failed'],
  'signin.locked_out': ['アカウントのロック', 'Account locked'],
  'signin.signed_out': ['サインアウト', 'Signed out'],
  'mfa.recovery_code_used': ['リカバリーコードの使用', 'Recovery code used'],
  'mfa.enrolled': ['2 段階認証の設定', 'Two-step sign-in set up'],
  'mfa.reset': ['2 段階認証のリセット', 'Two-step sign-in reset'],
  'user.invited': ['利用者の招待', 'User invited'],
  'user.invitation_accepted': ['招待の受諾', 'Invitation accepted'],
  'user.changed': ['利用者情報の変更', 'User changed'],
  'user.disabled': ['利用者の無効化', 'User disabled'],
  'user.enabled': ['利用者の有効化', 'User enabled'],
  'user.deleted': ['利用者の削除', 'User deleted'],
  'user.role_changed': ['権限の変更', 'Role changed'],
  'password.reset_requested': ['パスワード再設定の依頼', 'Password reset requested'],
  'password.reset': ['パスワードの再設定', 'Password reset'],
  'users.imported': ['CSV 一括登録', 'CSV import'],
  'terminal.created': ['端末の登録', 'Terminal registered'],
  'terminal.changed': ['端末情報の変更', 'Terminal changed'],
  'terminal.enrolled': ['端末の証明書登録', 'Terminal enrolled'],
  'terminal.approved': ['自宅端末の承認', 'Home device approved'],
  'terminal.disabled': ['端末の無効化', 'Terminal disabled'],
  'terminal.enabled': ['端末の有効化', 'Terminal enabled'],
  'terminal.deleted': ['端末の削除', 'Terminal deleted'],
  'terminal.unenrolled': ['端末の登録解除', 'Terminal unenrolled'],
  'terminal.assigned': ['職員の割り当て', 'Staff assigned'],
  'terminal.unassigned': ['割り当ての解除', 'Staff unassigned'],
  'terminal.handshake_refused': ['端末証明書による接続の拒否', 'Certificate connection refused'],
  'certificate.issued': ['証明書の発行', 'Certificate issued'],
  'certificate.renewed': ['証明書の更新', 'Certificate renewed'],
  'certificate.revoked': ['証明書の失効', 'Certificate revoked'],
  'enrollment_token.created': ['登録トークンの発行', 'Enrollment token created'],
  'enrollment_token.revoked': ['登録トークンの取り消し', 'Enrollment token revoked'],
  'pki.ca_created': ['認証局の作成', 'Certificate authority created'],
  'policy.changed': ['テレワークポリシーの変更', 'Telework policy changed'],
};
const AUDIT_BREAKS = {
  gap: ['記録の欠落または挿入', 'a row was removed or inserted'],
  link: ['前の記録とのつながりの不一致', 'the link to the previous row does not match'],
  content: ['記録内容の改変', 'the row was edited'],
};
const AUDIT_PAGE = 100;

const $ = (id) => document.getElementById(id);
const views = ['view-login', 'view-enroll', 'view-verify', 'view-recovery', 'view-codes', 'view-invitation', 'view-reset',
  'view-forgot', 'view-home', 'view-users', 'view-import', 'view-audit', 'view-terminals', 'view-terminal', 'view-my-terminals', 'view-policy'];

let tenant = null;
let me = null;
let keepFlash = false;
let linkToken = '';

// ---------- page frame ----------

function show(viewId, title) {
  // Browser Back with a dialog open: the dialog belonged to the previous view (a token shown once stays).
  document.querySelectorAll('dialog[open]:not([data-keep])').forEach((dialog) => dialog.close());
  for (const id of views) $(id).hidden = id !== viewId;
  $('loading').hidden = true;
  const where = tenant ? tenant.name : 'AspService';
  document.title = `${title} | ${msg('職員ポータル', 'Staff portal')} | ${where}`;
  // Focus the new heading so keyboard and screen reader users start at the top of the view.
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

function label(map, key) {
  const [ja, en] = map[key] || [key, key];
  return bi(ja, en);
}

function setSignedIn(user) {
  me = user;
  $('nav').hidden = !user;
  $('signout').hidden = !user;
  $('user').hidden = !user;
  $('user').textContent = user ? `${user.displayName || user.email}` : '';
  document.querySelectorAll('[data-admin]').forEach((node) => { node.hidden = !user || user.role !== ADMIN; });
}

/** API call for signed-in views: a 401 means the session ended (or was ended by an admin), so sign in again. */
async function userApi(method, path, body) {
  const result = await api(method, path, body);
  if (result.status === 401 && me) {
    setSignedIn(null);
    showLogin();
    flash('warning', bi('サインインの有効期限が切れました。もう一度サインインしてください。', 'Your session has ended. Please sign in again.'));
  }

  return result;
}

// ---------- sign-in ----------

function resetSignInForms() {
  for (const id of ['login-form', 'enroll-form', 'verify-form', 'recovery-form']) {
    $(id).reset();
    clearErrors($(id));
  }
}

function showLogin() {
  resetSignInForms();
  show('view-login', msg('サインイン', 'Sign in'));
  $('login-email').focus();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('login-submit'), async () => {
    clearFlash();
    const result = await api('POST', 'api/v1/auth/login', values(form, ['email', 'password']));
    form.elements.namedItem('password').value = '';
    if (!result.ok) {
      showProblem(form, result.problem);
      return;
    }

    clearErrors(form);
    if (result.data.next === 'totp-enroll') await startEnrollment();
    else showVerify();
  });
});

function showVerify() {
  $('verify-form').reset();
  clearErrors($('verify-form'));
  show('view-verify', msg('確認コードの入力', 'Enter your code'));
  $('verify-code').focus();
}

async function startEnrollment() {
  const result = await api('POST', 'api/v1/auth/totp/enroll');
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

/** The second step (app code or recovery code): on success either the recovery codes (first time) or the portal. */
function secondFactor(formId, buttonId, path) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy($(buttonId), async () => {
      const raw = form.elements.namedItem('code').value;
      const code = path.endsWith('recovery') ? raw.trim() : normalizeCode(raw);
      const result = await api('POST', path, { code });
      form.elements.namedItem('code').value = '';
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) {
          // The password step expired (it lasts a few minutes) or the account is locked: start again.
          showLogin();
          flash('error', ...problemNodes(result.problem));
        } else {
          showProblem(form, result.problem);
        }
        return;
      }

      clearErrors(form);
      // Scrub the one-time secret from the page once it has served its purpose.
      $('enroll-qr').removeAttribute('src');
      $('enroll-secret').textContent = '';
      if (result.data.recoveryCodes?.length) showCodes(result.data.user, result.data.recoveryCodes);
      else enter(result.data.user);
    });
  });
}

secondFactor('enroll-form', 'enroll-submit', 'api/v1/auth/totp');
secondFactor('verify-form', 'verify-submit', 'api/v1/auth/totp');
secondFactor('recovery-form', 'recovery-submit', 'api/v1/auth/recovery');

$('use-recovery').addEventListener('click', () => {
  clearErrors($('recovery-form'));
  show('view-recovery', msg('リカバリーコードでサインイン', 'Sign in with a recovery code'));
  $('recovery-code').focus();
});
$('use-totp').addEventListener('click', showVerify);

document.querySelectorAll('[data-action="restart"]').forEach((button) => button.addEventListener('click', () => {
  clearFlash();
  showLogin();
}));

function enter(user) {
  setSignedIn(user);
  flash('success', bi('サインインしました。', 'Signed in.'));
  keepFlash = true;
  if (!isPrivate(currentRoute().parts)) go('#/home', true);
  else route();
}

// ---------- recovery codes, shown once ----------

let signedInUser = null;

function showCodes(user, codes) {
  signedInUser = user;
  $('codes-list').replaceChildren(...codes.map((c) => el('li', {}, el('code', { class: 'secret' }, c))));
  $('codes-form').reset();
  clearErrors($('codes-form'));
  show('view-codes', msg('リカバリーコードを保存してください', 'Save your recovery codes'));
}

$('codes-print').addEventListener('click', () => window.print());

$('codes-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (!$('codes-saved').checked) {
    showProblem(form, {
      title: msg('リカバリーコードを保存してから進んでください。', 'Save the recovery codes before you continue.'),
      errors: { saved: [msg('保存したら、このチェックボックスを選んでください。', 'Tick this box once you have saved them.')] },
    });
    return;
  }

  clearErrors(form);
  // The codes leave the page for good: they cannot be shown again.
  $('codes-list').replaceChildren();
  const user = signedInUser;
  signedInUser = null;
  enter(user);
});

// ---------- invitation and password reset links ----------

function passwordForm(form, prefix, submitJa, submitEn) {
  const hintId = `${prefix}-password-hint`;
  form.replaceChildren(
    el('div', { class: 'field' },
      el('label', { for: `${prefix}-password` }, bi('新しいパスワード', 'New password'), el('span', { class: 'req' }, bi('必須', 'Required'))),
      el('span', { class: 'hint', id: hintId },
        bi('12 文字以上（128 文字まで）。長い文や単語の組み合わせがおすすめです。よく使われるパスワード、同じ文字の繰り返し、メールアドレスを含むものは使えません。',
          '12 to 128 characters. A long phrase or several words works well. Common passwords, repeated characters and your email address are not allowed.')),
      el('input', { type: 'password', id: `${prefix}-password`, name: 'password', autocomplete: 'new-password', minlength: '12', 'aria-describedby': hintId })),
    el('div', { class: 'field' },
      el('label', { for: `${prefix}-confirm` }, bi('新しいパスワード（確認）', 'New password, again'), el('span', { class: 'req' }, bi('必須', 'Required'))),
      el('input', { type: 'password', id: `${prefix}-confirm`, name: 'confirm', autocomplete: 'new-password' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'btn', id: `${prefix}-submit` }, bi(submitJa, submitEn))));
}

passwordForm($('invitation-form'), 'inv-pw', 'パスワードを設定する', 'Set the password');
passwordForm($('reset-form'), 'reset-pw', 'パスワードを変更する', 'Change the password');

function linkSubmit(formId, path, done) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(form.querySelector('button[type="submit"]'), async () => {
      const { password, confirm } = values(form, ['password', 'confirm']);
      if ((password || '') !== (confirm || '')) {
        showProblem(form, {
          title: msg('入力内容を確認してください。', 'Please check your input.'),
          errors: { confirm: [msg('確認のため、同じパスワードをもう一度入力してください。', 'Enter the same password again.')] },
        });
        return;
      }

      const result = await api('POST', path, { token: linkToken, password });
      if (!result.ok) {
        const problem = { ...result.problem };
        if (problem.errors?.token) {
          // An expired or used link: no password can fix that, so say what to do instead.
          problem.detail = msg('管理者に招待の再送を依頼するか、パスワードの再設定をもう一度行ってください。',
            'Ask your administrator to invite you again, or request a new password reset.');
        }
        showProblem(form, problem);
        return;
      }

      linkToken = '';
      form.reset();
      clearErrors(form);
      flash('success', done);
      go('#/login', true);
    });
  });
}

linkSubmit('invitation-form', 'api/v1/auth/invitation/accept',
  bi('パスワードを設定しました。メールアドレスと新しいパスワードでサインインし、2 段階認証を設定してください。',
    'Your password is set. Sign in with your email address and the new password, then set up two-step sign-in.'));
linkSubmit('reset-form', 'api/v1/auth/password/reset',
  bi('パスワードを変更しました。新しいパスワードでサインインしてください。', 'Your password was changed. Sign in with the new password.'));

function showLinkView(viewId, titleJa, titleEn, params) {
  if (params.has('token')) {
    linkToken = params.get('token') || '';
    // Keep the single-use token out of the address bar, history and bookmarks.
    history.replaceState(null, '', `#/${viewId.slice(5)}`);
  }

  const form = viewId === 'view-invitation' ? $('invitation-form') : $('reset-form');
  form.reset();
  clearErrors(form);
  show(viewId, msg(titleJa, titleEn));
  if (!linkToken) {
    flash('error', bi('リンクが正しくありません。メールのリンクをもう一度開いてください。', 'The link is incomplete. Open the link in the mail again.'));
  }
}

// ---------- forgot password ----------

$('forgot-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('forgot-submit'), async () => {
    const result = await api('POST', 'api/v1/auth/password/forgot', values(form, ['email']));
    if (!result.ok) {
      showProblem(form, result.problem);
      return;
    }

    clearErrors(form);
    form.reset();
    // The server answers the same for unknown addresses, and so does this page.
    flash('success', bi('登録されているメールアドレスであれば、パスワード再設定のメールを送りました。メールが届かない場合は管理者にお問い合わせください。',
      'If the address is registered, a password reset mail is on its way. If nothing arrives, contact your administrator.'));
    go('#/login', true);
  });
});

$('signout').addEventListener('click', async () => {
  await api('POST', 'api/v1/auth/logout');
  setSignedIn(null);
  // The next person to sign in on this PC starts at home, not on the previous user's page.
  history.replaceState(null, '', '#/login');
  showLogin();
  flash('success', bi('サインアウトしました。', 'Signed out.'));
});

// ---------- routing ----------

function currentRoute() {
  const hash = location.hash.startsWith('#/') ? location.hash : '#/home';
  const [path, query = ''] = hash.slice(1).split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

function isPrivate(parts) {
  return !['login', 'forgot', 'invitation', 'reset'].includes(parts[0]);
}

async function route() {
  if (keepFlash) keepFlash = false;
  else clearFlash();

  const { parts, params } = currentRoute();
  const section = parts[0] === 'admin' ? parts[1] || 'users' : parts[0] || 'home';
  // #/terminals (staff) and #/admin/terminals (admin) are different pages with the same section name.
  const navKey = parts[0] === 'admin' && section === 'terminals' ? 'admin-terminals' : section;
  document.querySelectorAll('[data-nav]').forEach((link) => {
    if (link.dataset.nav === navKey) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });

  if (section === 'invitation') return showLinkView('view-invitation', 'パスワードの設定', 'Set your password', params);
  if (section === 'reset') return showLinkView('view-reset', '新しいパスワードの設定', 'Set a new password', params);
  if (section === 'forgot') {
    $('forgot-form').reset();
    clearErrors($('forgot-form'));
    return show('view-forgot', msg('パスワードの再設定', 'Reset your password'));
  }
  if (!me) return showLogin();
  if (section === 'login') return go('#/home', true);

  if (parts[0] === 'admin' && me.role !== ADMIN) {
    flash('error', bi('このページは管理者だけが利用できます。', 'Only administrators can open this page.'));
    return showHome();
  }

  if (parts[0] === 'terminals') return terminals.showMyTerminals();
  if (section === 'users') return showUsers(params);
  if (section === 'import') return showImport();
  if (section === 'audit') return showAudit();
  if (section === 'terminals') return parts[2] ? terminals.showTerminal(parts[2]) : terminals.showTerminals(params);
  if (section === 'policy') return policy.showPolicy();
  return showHome();
}

/** Navigates (or re-renders when already there); keep leaves the current message on screen. */
function go(hash, keep = false) {
  keepFlash = keep;
  if (location.hash === hash) route();
  else location.hash = hash;
}

window.addEventListener('hashchange', route);

// The skip link must not change the hash route: move focus instead.
document.querySelector('[data-skip]').addEventListener('click', (event) => {
  event.preventDefault();
  const heading = document.querySelector('main section:not([hidden]) h1');
  (heading || $('main')).focus();
});

// ---------- home ----------

function showHome() {
  const row = (ja, en, value) => (value ? [el('dt', {}, bi(ja, en)), el('dd', {}, value)] : []);
  const parts = [
    el('h2', {}, bi('あなたのアカウント', 'Your account')),
    el('dl', { class: 'facts', id: 'me-facts' },
      row('氏名', 'Name', me.displayName),
      row('メールアドレス', 'Email address', me.email),
      row('所属', 'Department', me.department),
      row('権限', 'Role', label(ROLES, me.role)),
      row('団体', 'Local government', tenant ? `${tenant.name}（${tenant.code}）` : '')),
    el('h2', {}, bi('テレワーク', 'Telework')),
    el('ul', {},
      el('li', {}, el('a', { href: '#/terminals' }, bi('わたしの端末（利用できる庁内端末と自宅端末）', 'My terminals (office terminals you can use, your home devices)')))),
  ];
  if (me.role === ADMIN) {
    parts.push(el('h2', {}, bi('管理者メニュー', 'Administration')), el('ul', {},
      el('li', {}, el('a', { href: '#/admin/users' }, bi('利用者の管理（招待・無効化・権限・2 段階認証のリセット）', 'Users (invite, disable, role, reset two-step sign-in)'))),
      el('li', {}, el('a', { href: '#/admin/import' }, bi('職員の一括登録（CSV）', 'Import staff from CSV'))),
      el('li', {}, el('a', { href: '#/admin/terminals' }, bi('端末の管理（庁内端末・自宅端末の登録、承認、証明書、職員の割り当て）', 'Terminals (register, approve, certificates, staff assignment)'))),
      el('li', {}, el('a', { href: '#/admin/policy' }, bi('テレワークポリシー（曜日・時間帯、接続元、リダイレクト）', 'Telework policy (days and hours, networks, redirection)'))),
      el('li', {}, el('a', { href: '#/admin/audit' }, bi('監査ログ', 'Audit log')))));
  }
  $('home-body').replaceChildren(...parts);
  show('view-home', msg('ホーム', 'Home'));
}

// ---------- admin: users ----------

function fillRoleSelect(select, allLabel, selected) {
  select.replaceChildren(
    ...(allLabel ? [el('option', { value: '' }, allLabel)] : []),
    ...Object.entries(ROLES).map(([value, [ja, en]]) => el('option', { value, selected: value === selected }, msg(ja, en))));
}

async function showUsers(params) {
  const q = params.get('q') || '';
  const role = params.get('role') || '';
  const page = Math.max(Number(params.get('page')) || 1, 1);
  const size = 50;
  $('uf-q').value = q;
  fillRoleSelect($('uf-role'), msg('すべて', 'All'), role);
  show('view-users', msg('利用者の管理', 'Users'));
  $('users-count').replaceChildren();
  $('users-results').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));

  const query = new URLSearchParams({ skip: String((page - 1) * size), take: String(size) });
  if (q) query.set('q', q);
  if (role) query.set('role', role);
  const result = await userApi('GET', `api/v1/users?${query}`);
  if (!result.ok) {
    if (result.status !== 401) flash('error', ...problemNodes(result.problem));
    return;
  }

  const { total, items } = result.data;
  $('users-count').replaceChildren(bi(`${total} 人`, `${total} user${total === 1 ? '' : 's'}`));
  if (items.length === 0) {
    $('users-results').replaceChildren(el('p', {}, bi('該当する利用者はいません。', 'No users match.')));
    return;
  }

  const rows = items.map((u) => {
    const [ja, en, css] = USER_STATES[u.status] || [u.status, u.status, ''];
    return el('tr', {},
      el('td', {}, u.displayName, el('span', { class: 'sub' }, u.department || '')),
      el('td', { class: 'tabular' }, u.email),
      el('td', {}, label(ROLES, u.role)),
      el('td', {}, el('span', { class: `badge ${css}` }, bi(ja, en))),
      el('td', {}, u.mfaEnrolled ? bi('設定済み', 'Set up') : bi('未設定', 'Not set up')),
      el('td', { class: 'date' }, jstDate(u.createdAt)),
      el('td', {}, u.id === me.id ? el('span', { class: 'sub' }, bi('あなた', 'You')) : userActions(u)));
  });
  const table = el('table', {},
    el('caption', { class: 'vh' }, bi('利用者', 'Users')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, bi('氏名・所属', 'Name, department')),
      el('th', { scope: 'col' }, bi('メールアドレス', 'Email')),
      el('th', { scope: 'col' }, bi('権限', 'Role')),
      el('th', { scope: 'col' }, bi('状態', 'State')),
      el('th', { scope: 'col' }, bi('2 段階認証', 'Two-step')),
      el('th', { scope: 'col' }, bi('登録日', 'Created')),
      el('th', { scope: 'col' }, bi('操作', 'Actions')))),
    el('tbody', {}, rows));
  $('users-results').replaceChildren(el('div', { class: 'table-wrap' }, table), pager(page, Math.ceil(total / size), q, role));
}

function pager(page, pages, q, role) {
  if (pages <= 1) return '';
  const link = (p, content) => {
    const query = new URLSearchParams({ page: String(p) });
    if (q) query.set('q', q);
    if (role) query.set('role', role);
    return el('a', { href: `#/admin/users?${query}` }, content);
  };
  return el('nav', { class: 'pager', 'aria-label': msg('ページ', 'Pages') },
    page > 1 ? link(page - 1, bi('前へ', 'Previous')) : '',
    el('span', {}, `${page} / ${pages}`),
    page < pages ? link(page + 1, bi('次へ', 'Next')) : '');
}

$('user-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = new URLSearchParams();
  const q = $('uf-q').value.trim();
  if (q) query.set('q', q);
  if ($('uf-role').value) query.set('role', $('uf-role').value);
  go(`#/admin/users${query.size ? `?${query}` : ''}`);
});

function userActions(u) {
  const who = u.displayName || u.email;
  const button = (ja, en, css, handler) => {
    const b = el('button', { type: 'button', class: `btn small ${css}`, 'aria-label': msg(`${who}: ${ja}`, `${who}: ${en}`) }, bi(ja, en));
    b.addEventListener('click', () => handler(b));
    return b;
  };
  const otherRole = u.role === ADMIN ? 'Staff' : ADMIN;
  return el('div', { class: 'actions inline wrap' },
    button('権限の変更', 'Change role', 'secondary', (b) => act(b, u, {
      titleJa: '権限の変更', titleEn: 'Change role',
      textJa: `${who} の権限を「${ROLES[otherRole][0]}」に変更します。変更するとこの利用者はサインアウトされます。`,
      textEn: `${who} becomes ${ROLES[otherRole][1]}. The user is signed out.`,
      okJa: '変更する', okEn: 'Change', danger: false,
      call: () => userApi('PUT', `api/v1/users/${u.id}/role`, { role: otherRole }),
      doneJa: `${who} の権限を変更しました。`, doneEn: `Changed the role of ${who}.`,
    })),
    u.status === 'disabled'
      ? button('有効化', 'Enable', 'secondary', (b) => act(b, u, {
        titleJa: '利用者の有効化', titleEn: 'Enable the user',
        textJa: `${who} が再びサインインできるようにします。`, textEn: `${who} can sign in again.`,
        okJa: '有効にする', okEn: 'Enable', danger: false,
        call: () => userApi('POST', `api/v1/users/${u.id}/enable`),
        doneJa: `${who} を有効にしました。`, doneEn: `Enabled ${who}.`,
      }))
      : button('無効化', 'Disable', 'secondary', (b) => act(b, u, {
        titleJa: '利用者の無効化', titleEn: 'Disable the user',
        textJa: `${who} はサインインできなくなり、利用中のセッションもすぐに終了します。あとで有効に戻せます。`,
        textEn: `${who} can no longer sign in; current sessions end at once. You can enable the user again later.`,
        okJa: '無効にする', okEn: 'Disable', danger: true,
        call: () => userApi('POST', `api/v1/users/${u.id}/disable`),
        doneJa: `${who} を無効にしました。`, doneEn: `Disabled ${who}.`,
      })),
    button('2 段階認証のリセット', 'Reset two-step', 'secondary', (b) => act(b, u, {
      titleJa: '2 段階認証のリセット', titleEn: 'Reset two-step sign-in',
      textJa: `${who} の認証アプリとリカバリーコードを無効にします。次回のサインインで設定し直します（機種変更や紛失のとき）。`,
      textEn: `${who}'s authenticator app and recovery codes stop working; the user sets them up again at the next sign-in (new or lost phone).`,
      okJa: 'リセットする', okEn: 'Reset', danger: true,
      call: () => userApi('POST', `api/v1/users/${u.id}/mfa/reset`),
      doneJa: `${who} の 2 段階認証をリセットしました。`, doneEn: `Reset two-step sign-in of ${who}.`,
    })),
    button('削除', 'Delete', 'danger', (b) => act(b, u, {
      titleJa: '利用者の削除', titleEn: 'Delete the user',
      textJa: `${who}（${u.email}）を削除します。監査ログの記録は残ります。この操作は取り消せません。`,
      textEn: `${who} (${u.email}) is deleted. The audit history stays. This cannot be undone.`,
      okJa: '削除する', okEn: 'Delete', danger: true,
      call: () => userApi('DELETE', `api/v1/users/${u.id}`),
      doneJa: `${who} を削除しました。`, doneEn: `Deleted ${who}.`,
    })));
}

/** Asks for confirmation in a modal dialog; resolves true on OK. Focus returns to the opener. */
function confirmDialog({ titleJa, titleEn, textJa, textEn, okJa, okEn, danger }, opener) {
  const dialog = $('confirm-dialog');
  $('confirm-title').replaceChildren(bi(titleJa, titleEn));
  $('confirm-text').replaceChildren(bi(textJa, textEn));
  $('confirm-ok').className = danger ? 'btn danger' : 'btn';
  $('confirm-ok').replaceChildren(bi(okJa, okEn));
  dialog.returnValue = '';
  dialog.showModal();
  $('confirm-ok').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
  });
}

async function act(button, user, action) {
  if (!await confirmDialog(action, button)) return;
  await busy(button, async () => {
    const result = await action.call();
    if (!result.ok) {
      if (result.status !== 401) flash('error', ...problemNodes(result.problem));
      return;
    }

    flash('success', bi(action.doneJa, action.doneEn));
    keepFlash = true;
    await route();
  });
}

document.querySelectorAll('dialog [data-close]').forEach((b) => b.addEventListener('click', () => b.closest('dialog').close()));

let inviteOpener = null;

$('invite-open').addEventListener('click', (event) => {
  inviteOpener = event.currentTarget;
  const form = $('invite-form');
  form.reset();
  clearErrors(form);
  fillRoleSelect($('inv-role'), null, 'Staff');
  $('invite-dialog').showModal();
  $('inv-email').focus();
});

$('invite-dialog').addEventListener('close', () => inviteOpener?.isConnected && inviteOpener.focus());

$('invite-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('inv-submit'), async () => {
    const result = await userApi('POST', 'api/v1/users', values(form, ['email', 'displayName', 'department', 'role']));
    if (!result.ok) {
      if (result.status === 401) $('invite-dialog').close();
      else showProblem(form, result.problem);
      return;
    }

    $('invite-dialog').close();
    const u = result.data;
    flash('success', bi(`${u.displayName}（${u.email}）に招待メールを送りました。`, `Sent an invitation to ${u.displayName} (${u.email}).`));
    keepFlash = true;
    await route();
  });
});

// ---------- admin: CSV import ----------

let importFile = null;

function showImport() {
  $('import-form').reset();
  clearErrors($('import-form'));
  $('import-result').replaceChildren();
  importFile = null;
  show('view-import', msg('職員の一括登録', 'Import staff'));
}

$('import-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  busy($('import-check'), async () => {
    const file = $('import-file').files[0];
    if (!file) {
      showProblem(form, {
        title: msg('入力内容を確認してください。', 'Please check your input.'),
        errors: { file: [msg('CSV ファイルを選んでください。', 'Choose a CSV file.')] },
      });
      return;
    }

    clearErrors(form);
    importFile = file;
    await runImport(true);
  });
});

async function runImport(dryRun) {
  const box = $('import-result');
  const result = await userApi('POST', `api/v1/users/import?dryRun=${dryRun}`, importFile);
  if (!result.ok) {
    if (result.status === 401) return;
    const problems = Array.isArray(result.problem.problems) ? result.problem.problems : [];
    box.replaceChildren(
      el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', id: 'import-problems' },
        el('p', { class: 'title' }, result.problem.title),
        problems.length
          ? el('p', {}, bi(`${problems.length} 件の問題があります。ファイルを直してから、もう一度確認してください。何も登録されていません。`,
            `${problems.length} problem${problems.length === 1 ? '' : 's'} found. Fix the file and check it again. Nothing was written.`))
          : (result.problem.detail ? el('p', {}, result.problem.detail) : '')),
      problems.length ? el('div', { class: 'table-wrap' }, el('table', {},
        el('caption', {}, bi('問題のある行', 'Problems by line')),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col' }, bi('行', 'Line')),
          el('th', { scope: 'col' }, bi('列', 'Column')),
          el('th', { scope: 'col' }, bi('内容', 'Problem')))),
        el('tbody', {}, problems.map((p) => el('tr', {},
          el('td', { class: 'num' }, String(p.line)),
          el('td', {}, p.column ? label(IMPORT_COLUMNS, p.column) : '—'),
          el('td', {}, p.message)))))) : '');
    $('import-problems').focus();
    return;
  }

  const r = result.data;
  const changes = r.created + r.updated;
  const summary = bi(`新規 ${r.created} 人、更新 ${r.updated} 人、変更なし ${r.unchanged} 人`,
    `${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged`);
  const head = dryRun
    ? el('div', { class: 'notice', id: 'import-summary', tabindex: '-1' },
      el('p', {}, el('strong', {}, bi('確認結果（まだ登録していません）', 'Check result (nothing written yet)'))), el('p', {}, summary))
    : el('div', { class: 'notice success', id: 'import-summary', tabindex: '-1' },
      el('p', {}, el('strong', {}, bi('登録しました', 'Imported'))), el('p', {}, summary),
      r.created ? el('p', {}, bi('新しい利用者に招待メールを送りました。', 'New users were sent an invitation mail.')) : '');
  const table = el('div', { class: 'table-wrap' }, el('table', {},
    el('caption', {}, bi('行ごとの結果', 'Result by line')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, bi('行', 'Line')),
      el('th', { scope: 'col' }, bi('メールアドレス', 'Email')),
      el('th', { scope: 'col' }, bi('結果', 'Outcome')))),
    el('tbody', {}, r.rows.map((row) => el('tr', {},
      el('td', { class: 'num' }, String(row.line)),
      el('td', { class: 'tabular' }, row.email),
      el('td', {}, label(IMPORT_OUTCOMES, row.outcome)))))));
  let confirm = '';
  if (dryRun && changes > 0) {
    const go2 = el('button', { type: 'button', class: 'btn', id: 'import-run' }, bi('この内容で登録する', 'Import these rows'));
    go2.addEventListener('click', () => busy(go2, () => runImport(false)));
    confirm = el('div', { class: 'actions' }, go2);
  } else if (dryRun) {
    confirm = el('p', {}, bi('すべての行が登録済みの内容と同じです。登録する必要はありません。', 'Every row matches what is already registered: nothing to import.'));
  }
  box.replaceChildren(head, confirm, table);
  $('import-summary').focus();
}

// ---------- admin: audit log ----------

let auditNames = new Map();

async function showAudit() {
  show('view-audit', msg('監査ログ', 'Audit log'));
  $('audit-verify').replaceChildren(el('p', {}, bi('改ざんの有無を確認しています…', 'Checking the chain…')));
  $('audit-results').replaceChildren(el('p', {}, bi('読み込み中…', 'Loading…')));
  const [verify, users] = await Promise.all([userApi('GET', 'api/v1/audit/verify'), userApi('GET', 'api/v1/users?take=500')]);
  if (verify.status === 401) return;
  // Entries name users by id; show their addresses where we know them (deleted users stay ids).
  auditNames = new Map(users.ok ? users.data.items.map((u) => [u.id, u.email]) : []);
  if (verify.ok) {
    const v = verify.data;
    const [ja, en] = AUDIT_BREAKS[v.reason] || [v.reason, v.reason];
    $('audit-verify').replaceChildren(
      el('h2', {}, bi('改ざん検知（ハッシュチェーンの検証）', 'Tamper check (hash chain verification)')),
      v.intact
        ? el('p', { class: 'notice success' }, bi(`異常はありません。全 ${v.rows} 件の記録がつながっています。`, `Intact: all ${v.rows} entries are linked.`))
        : el('p', { class: 'notice error' }, bi(`番号 ${v.brokenAt} の記録で異常を検出しました（${ja}）。運用担当者に連絡してください。`,
          `Broken at entry ${v.brokenAt} (${en}). Contact the service operator.`)));
  } else {
    $('audit-verify').replaceChildren(...problemNodes(verify.problem));
  }

  $('audit-results').replaceChildren();
  await loadAudit(null);
}

async function loadAudit(before) {
  const query = new URLSearchParams({ take: String(AUDIT_PAGE) });
  if (before) query.set('before', String(before));
  const result = await userApi('GET', `api/v1/audit?${query}`);
  if (!result.ok) {
    if (result.status !== 401) flash('error', ...problemNodes(result.problem));
    return;
  }

  const box = $('audit-results');
  box.querySelector('#audit-more')?.remove();
  const entries = result.data;
  if (!before && entries.length === 0) {
    box.replaceChildren(el('p', {}, bi('記録はまだありません。', 'No entries yet.')));
    return;
  }

  const who = (id) => (id === 'system' ? bi('システム', 'System') : auditNames.get(id) || id || '');
  const rows = entries.map((a) => el('tr', {},
    el('td', { class: 'num' }, String(a.sequence)),
    el('td', { class: 'date' }, jstDateTime(a.at)),
    el('td', {}, label(AUDIT_ACTIONS, a.action), el('span', { class: 'sub tabular' }, a.action)),
    el('td', { class: 'tabular' }, who(a.actor)),
    el('td', { class: 'tabular' }, who(a.subject)),
    el('td', { class: 'tabular' }, a.detail || '')));
  let tbody = box.querySelector('tbody');
  if (!tbody) {
    tbody = el('tbody', {});
    box.append(el('div', { class: 'table-wrap' }, el('table', {},
      el('caption', {}, bi('新しい順', 'Newest first')),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, bi('番号', 'No.')),
        el('th', { scope: 'col' }, bi('日時（日本時間）', 'Time (JST)')),
        el('th', { scope: 'col' }, bi('操作', 'Action')),
        el('th', { scope: 'col' }, bi('実行者', 'Actor')),
        el('th', { scope: 'col' }, bi('対象', 'Subject')),
        el('th', { scope: 'col' }, bi('詳細', 'Detail')))),
      tbody)));
  }
  tbody.append(...rows);
  if (entries.length === AUDIT_PAGE) {
    const more = el('button', { type: 'button', class: 'btn secondary', id: 'audit-more' }, bi('さらに表示', 'Show more'));
    more.addEventListener('click', () => busy(more, () => loadAudit(entries[entries.length - 1].sequence)));
    box.append(more);
  }
}

// ---------- terminals and policy (their own modules; the page frame is lent to them) ----------

const portal = {
  api: userApi,
  show,
  flash,
  go,
  confirm: confirmDialog,
  /** Draws the current view again, keeping the message just shown. */
  refresh: () => {
    keepFlash = true;
    return route();
  },
};
const terminals = terminalViews(portal);
const policy = policyView(portal);

// ---------- start ----------

initLanguage($('lang-toggle'), () => {
  // Labels switch by CSS; lists and option texts come from code, so draw the view again.
  if (me) {
    keepFlash = true;
    route();
  }
});

const [tenantResult, session] = await Promise.all([api('GET', 'api/v1/tenant'), api('GET', 'api/v1/me')]);
if (tenantResult.ok) {
  tenant = tenantResult.data;
  $('tenant-name').textContent = tenant.name;
}
if (session.ok) setSignedIn(session.data);
route();
