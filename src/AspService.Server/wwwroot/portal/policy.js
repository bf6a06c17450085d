// Telework policy form of the staff portal (#/admin/policy): every field of the tenant's policy, saved whole with
// PUT api/v1/policy (a field left out would fall back to its default). Field errors of the answer appear next to
// their fields; list entries (allowedSourceNetworks[3]) are shown on the list's own field with the entry named.
import { bi, busy, clearErrors, el, jstDateTime, msg, problemNodes, showProblem } from './assets/app.js';

const WEEKDAYS = [
  ['Monday', '月曜日', 'Monday'],
  ['Tuesday', '火曜日', 'Tuesday'],
  ['Wednesday', '水曜日', 'Wednesday'],
  ['Thursday', '木曜日', 'Thursday'],
  ['Friday', '金曜日', 'Friday'],
  ['Saturday', '土曜日', 'Saturday'],
  ['Sunday', '日曜日', 'Sunday'],
];
const CHANNELS = [
  ['clipboard', 'クリップボード', 'Clipboard'],
  ['drives', 'ドライブ（自宅端末のディスク）', 'Drives (the home device\'s disks)'],
  ['printers', 'プリンター', 'Printers'],
  ['ports', 'シリアル・パラレルポート', 'Serial and parallel ports'],
];
// The LGWAN-safe defaults (TeleworkPolicy.LgwanDefault on the server; docs/decisions/0030): offered as a starting point.
const DEFAULTS = {
  requireMfa: true,
  requireHomeCertificate: true,
  redirection: { clipboard: false, drives: false, printers: false, ports: false },
  redirectionCheck: 'Strict',
  allowedWeekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  allowedFrom: '08:00:00',
  allowedUntil: '20:00:00',
  allowOnClosedDays: false,
  extraClosedDays: [],
  allowedSourceNetworks: [],
  maxSessionLength: '08:00:00',
  idleTimeout: '00:30:00',
  maxConcurrentSessionsPerUser: 1,
  allowHomeSelfRegistration: false,
  homeRegistrationRequiresApproval: true,
};

/** "08:00:00" or "1.00:00:00" (a TimeSpan as JSON) as minutes; null when it cannot be read. */
export function spanMinutes(span) {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(span || '');
  return m ? (Number(m[1] || 0) * 24 + Number(m[2])) * 60 + Number(m[3]) + Math.round(Number(m[4] || 0) / 60) : null;
}

/** Minutes as a TimeSpan for JSON: 1440 → "1.00:00:00" (24:00, the end of the day). */
export function minutesSpan(total) {
  const days = Math.floor(total / 1440);
  const rest = total % 1440;
  const hh = String(Math.floor(rest / 60)).padStart(2, '0');
  const mm = String(rest % 60).padStart(2, '0');
  return `${days ? `${days}.` : ''}${hh}:${mm}:00`;
}

/** A time of day as people type it (08:00, 8:00, ０８：００) as minutes since midnight; 24:00 is allowed. */
export function clockMinutes(value) {
  const m = /^(\d{1,2}):(\d{2})$/.exec((value || '').normalize('NFKC').trim());
  if (!m || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

function clockText(span) {
  const minutes = spanMinutes(span);
  return minutes === null ? '' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function wholeNumber(value) {
  const text = (value || '').normalize('NFKC').trim();
  return /^\d{1,5}$/.test(text) ? Number(text) : null;
}

export function policyView(portal) {
  const $ = (id) => document.getElementById(id);
  const form = $('policy-form');
  let dirty = false;
  // The municipality's own closed days are edited on the server-rendered policy page; kept as loaded here.
  let extraClosedDays = [];

  const req = () => el('span', { class: 'req' }, bi('必須', 'Required'));
  const hint = (id, ja, en) => el('span', { class: 'hint', id }, bi(ja, en));
  const check = (id, name, ja, en, hintJa, hintEn) => el('div', { class: 'check-field' },
    el('div', { class: 'check' },
      el('input', { type: 'checkbox', id, name, 'aria-describedby': hintJa ? `${id}-hint` : null }),
      el('label', { for: id }, bi(ja, en))),
    hintJa ? hint(`${id}-hint`, hintJa, hintEn) : '');
  const textField = (id, name, ja, en, hintJa, hintEn, attrs = {}) => el('div', { class: 'field' },
    el('label', { for: id }, bi(ja, en), req()),
    hint(`${id}-hint`, hintJa, hintEn),
    el('input', { type: 'text', id, name, class: 'short', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-hint`, ...attrs }));

  // Built once: the texts switch language by CSS, so a language switch keeps what the admin has typed.
  form.replaceChildren(
    el('h2', {}, bi('利用できる曜日と時間帯', 'Days and hours')),
    el('div', { class: 'field' }, el('fieldset', { class: 'group', id: 'pol-weekdays', name: 'allowedWeekdays', tabindex: '-1', 'aria-describedby': 'pol-weekdays-hint' },
      el('legend', {}, bi('曜日', 'Weekdays'), req()),
      hint('pol-weekdays-hint', '1 つ以上選んでください。', 'Choose at least one.'),
      el('div', { class: 'check-row' }, WEEKDAYS.map(([value, ja, en]) => el('div', { class: 'check' },
        el('input', { type: 'checkbox', id: `pol-wd-${value}`, name: 'weekday', value }),
        el('label', { for: `pol-wd-${value}` }, bi(ja, en))))))),
    el('div', { class: 'field-row' },
      textField('pol-from', 'allowedFrom', '開始時刻（日本時間）', 'From (JST)', '例 08:00（00:00〜23:59）', 'e.g. 08:00 (00:00 to 23:59)', { inputmode: 'numeric', placeholder: '08:00' }),
      textField('pol-until', 'allowedUntil', '終了時刻（日本時間）', 'Until (JST)', '例 20:00（00:01〜24:00）。この時刻の前まで', 'e.g. 20:00 (00:01 to 24:00), not included', { inputmode: 'numeric', placeholder: '20:00' })),
    el('p', { class: 'hint' }, bi('終了を開始より前にすると、日付をまたぐ時間帯になります（例 22:00〜06:00。開始した日の曜日で判断します）。',
      'An end before the start makes the window cross midnight (e.g. 22:00 to 06:00; the day it starts on counts).')),
    check('pol-closed', 'allowOnClosedDays', '閉庁日も利用を許可する', 'Allow on days the office is closed',
      '閉庁日: 国民の祝日・振替休日・国民の休日と、年末年始（12 月 29 日〜1 月 3 日）。オフにすると、許可した曜日でもこれらの日は接続できません。',
      'Closed days: national holidays, substitute and citizens\' holidays, and the year-end break (29 December to 3 January). When off, these days are refused even on allowed weekdays.'),

    el('h2', {}, bi('接続元ネットワーク', 'Source networks')),
    el('div', { class: 'field' },
      el('label', { for: 'pol-networks' }, bi('許可する接続元（CIDR、1 行に 1 つ）', 'Allowed source networks (CIDR, one per line)'), el('span', { class: 'opt' }, bi('任意', 'Optional'))),
      hint('pol-networks-hint', 'IPv4・IPv6 のどちらも指定できます（例 203.0.113.0/24、2001:db8::/32）。閉域 SIM の割り当て範囲などを指定します。空欄にすると、すべての接続元を許可します。100 件まで。',
        'IPv4 and IPv6 both work (e.g. 203.0.113.0/24, 2001:db8::/32), such as a closed-SIM range. Empty allows any source network. Up to 100.'),
      el('textarea', { id: 'pol-networks', name: 'allowedSourceNetworks', rows: '5', spellcheck: 'false', autocomplete: 'off', class: 'mono', 'aria-describedby': 'pol-networks-hint' })),

    el('h2', {}, bi('接続の制限', 'Session limits')),
    el('div', { class: 'field-row' },
      textField('pol-max', 'maxSessionLength', '1 回の接続の最大時間（分）', 'Longest session (minutes)', '1〜1440 分（24 時間）。例 480 = 8 時間', '1 to 1440 minutes (24 hours), e.g. 480 = 8 hours', { inputmode: 'numeric' }),
      textField('pol-idle', 'idleTimeout', '無操作で切断するまで（分）', 'Idle timeout (minutes)', '1〜1440 分。画面も入力も流れない状態が続くと切断します', '1 to 1440 minutes with no traffic either way', { inputmode: 'numeric' }),
      textField('pol-concurrent', 'maxConcurrentSessionsPerUser', '1 人あたりの同時接続数', 'Sessions per person at once', '1〜10', '1 to 10', { inputmode: 'numeric' })),

    el('h2', {}, bi('リダイレクト（自宅端末との共有）', 'Redirection (sharing with the home device)')),
    el('div', { class: 'notice' }, el('p', {},
      bi('LGWAN 接続系のデータが自宅端末に残らないよう、すべてオフ（初期値）をおすすめします。オンにした項目だけが、自宅端末の接続ファイル（.rdp）で有効になります。',
        'We recommend all off (the default), so no data of the LGWAN-connected segment stays on the home device. Only channels turned on here are enabled in the home device\'s connection file (.rdp).'))),
    el('div', { class: 'field' }, el('fieldset', { class: 'group', id: 'pol-redirection', name: 'redirection', tabindex: '-1' },
      el('legend', {}, bi('許可するリダイレクト', 'Allowed redirection')),
      CHANNELS.map(([key, ja, en]) => el('div', { class: 'check' },
        el('input', { type: 'checkbox', id: `pol-rd-${key}`, name: `redirection.${key}` }),
        el('label', { for: `pol-rd-${key}` }, bi(ja, en)))))),
    el('div', { class: 'field' }, el('fieldset', { class: 'group', id: 'pol-check', name: 'redirectionCheck', tabindex: '-1' },
      el('legend', {}, bi('庁内端末の設定の確認', 'Checking the office PC\'s settings')),
      hint('pol-check-hint', '庁内端末のエージェントは、その PC のリダイレクト設定を報告します。', 'The office PC\'s agent reports its own redirection settings.'),
      el('div', { class: 'check' },
        el('input', { type: 'radio', id: 'pol-check-strict', name: 'redirectionCheckChoice', value: 'Strict', 'aria-describedby': 'pol-check-strict-hint' }),
        el('label', { for: 'pol-check-strict' }, bi('厳格（推奨）', 'Strict (recommended)'))),
      hint('pol-check-strict-hint', 'ポリシーで禁止した項目が、庁内端末でも無効と報告されている必要があります。設定を報告できない端末には接続できません。',
        'Every channel the policy forbids must be reported as off by the office PC. A PC that cannot report its settings is refused.'),
      el('div', { class: 'check' },
        el('input', { type: 'radio', id: 'pol-check-lenient', name: 'redirectionCheckChoice', value: 'Lenient', 'aria-describedby': 'pol-check-lenient-hint' }),
        el('label', { for: 'pol-check-lenient' }, bi('緩和', 'Lenient'))),
      hint('pol-check-lenient-hint', '庁内端末が「有効」と報告したときだけ拒否します。設定が不明な端末にも接続できます。',
        'Refused only when the office PC reports a forbidden channel as on. A PC with unknown settings is accepted.'))),

    el('h2', {}, bi('本人確認と端末の確認', 'Sign-in and device checks')),
    check('pol-mfa', 'requireMfa', '2 段階認証を必須にする（推奨）', 'Require two-step sign-in (recommended)'),
    check('pol-cert', 'requireHomeCertificate', '自宅端末の証明書を必須にする（推奨）', 'Require a home device certificate (recommended)',
      'オフにすると、登録されていない端末からも接続を受け付けます。', 'When off, connections from unregistered devices are accepted too.'),

    el('h2', {}, bi('自宅端末の登録', 'Home device registration')),
    check('pol-self', 'allowHomeSelfRegistration', '職員が自分の自宅端末を登録できるようにする', 'Let staff register their own home devices',
      'オンにすると、職員は「わたしの端末」から自宅端末の登録トークンを発行できます。オフのときは管理者だけが登録します。',
      'When on, staff create tokens for their own home devices under "My terminals". When off, only administrators register them.'),
    check('pol-approval', 'homeRegistrationRequiresApproval', '職員が登録した自宅端末は、管理者の承認後に使えるようにする（推奨）',
      'Home devices registered by staff need an administrator\'s approval (recommended)'),

    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'btn', id: 'pol-submit' }, bi('保存する', 'Save')),
      el('button', { type: 'button', class: 'btn secondary', id: 'pol-defaults' }, bi('初期値（LGWAN 推奨）を入れる', 'Fill in the defaults (LGWAN-safe)')),
      el('span', { class: 'sub-inline', id: 'pol-dirty', 'aria-live': 'polite' })));

  const field = (name) => form.elements.namedItem(name);

  function markDirty(value) {
    dirty = value;
    $('pol-dirty').replaceChildren(value ? bi('保存していない変更があります。', 'You have unsaved changes.') : '');
  }

  function fill(p) {
    extraClosedDays = p.extraClosedDays || [];
    const weekdays = new Set(p.allowedWeekdays || []);
    for (const [value] of WEEKDAYS) $(`pol-wd-${value}`).checked = weekdays.has(value);
    field('allowedFrom').value = clockText(p.allowedFrom);
    field('allowedUntil').value = clockText(p.allowedUntil);
    $('pol-closed').checked = !!p.allowOnClosedDays;
    $('pol-networks').value = (p.allowedSourceNetworks || []).join('\n');
    field('maxSessionLength').value = String(spanMinutes(p.maxSessionLength) ?? '');
    field('idleTimeout').value = String(spanMinutes(p.idleTimeout) ?? '');
    field('maxConcurrentSessionsPerUser').value = String(p.maxConcurrentSessionsPerUser ?? '');
    for (const [key] of CHANNELS) $(`pol-rd-${key}`).checked = !!p.redirection?.[key];
    $('pol-check-strict').checked = p.redirectionCheck !== 'Lenient';
    $('pol-check-lenient').checked = p.redirectionCheck === 'Lenient';
    $('pol-mfa').checked = !!p.requireMfa;
    $('pol-cert').checked = !!p.requireHomeCertificate;
    $('pol-self').checked = !!p.allowHomeSelfRegistration;
    $('pol-approval').checked = !!p.homeRegistrationRequiresApproval;
    syncApproval();
  }

  function syncApproval() {
    // Approval only matters for devices staff register themselves.
    $('pol-approval').disabled = !$('pol-self').checked;
  }

  $('pol-self').addEventListener('change', syncApproval);
  form.addEventListener('input', () => markDirty(true));
  form.addEventListener('change', () => markDirty(true));

  /** The form as the API's document, or the local format errors (the server checks ranges and CIDRs). */
  function read() {
    const errors = {};
    const need = (name, ja, en) => { errors[name] = [msg(ja, en)]; };
    const from = clockMinutes(field('allowedFrom').value);
    const until = clockMinutes(field('allowedUntil').value);
    if (from === null) need('allowedFrom', '時刻を 08:00 の形で入力してください。', 'Enter a time like 08:00.');
    if (until === null) need('allowedUntil', '時刻を 20:00 の形で入力してください。', 'Enter a time like 20:00.');
    const numbers = {};
    for (const name of ['maxSessionLength', 'idleTimeout', 'maxConcurrentSessionsPerUser']) {
      numbers[name] = wholeNumber(field(name).value);
      if (numbers[name] === null) need(name, '半角の数字で入力してください。', 'Enter a whole number.');
    }
    const weekdays = WEEKDAYS.map(([value]) => value).filter((value) => $(`pol-wd-${value}`).checked);
    if (Object.keys(errors).length) return { errors };

    const policy = {
      requireMfa: $('pol-mfa').checked,
      requireHomeCertificate: $('pol-cert').checked,
      redirection: Object.fromEntries(CHANNELS.map(([key]) => [key, $(`pol-rd-${key}`).checked])),
      redirectionCheck: $('pol-check-lenient').checked ? 'Lenient' : 'Strict',
      allowedWeekdays: weekdays,
      allowedFrom: minutesSpan(from),
      allowedUntil: minutesSpan(until),
      allowOnClosedDays: $('pol-closed').checked,
      extraClosedDays,
      allowedSourceNetworks: $('pol-networks').value.split(/\r?\n/).map((line) => line.normalize('NFKC').trim()).filter(Boolean),
      maxSessionLength: minutesSpan(numbers.maxSessionLength),
      idleTimeout: minutesSpan(numbers.idleTimeout),
      maxConcurrentSessionsPerUser: numbers.maxConcurrentSessionsPerUser,
      allowHomeSelfRegistration: $('pol-self').checked,
      homeRegistrationRequiresApproval: $('pol-approval').checked,
    };
    return { policy };
  }

  /** List entries ("allowedSourceNetworks[2]") go on the list's own field; the server's messages name the entry. */
  function onFields(problem) {
    const errors = {};
    for (const [key, messages] of Object.entries(problem.errors || {})) {
      const name = key.replace(/\[\d+\]$/, '');
      errors[name] = [...(errors[name] || []), ...[].concat(messages)];
    }
    return { ...problem, errors };
  }

  function showVersion(view) {
    $('policy-version').replaceChildren(view.version > 0
      ? bi(`第 ${view.version} 版・最終更新 ${jstDateTime(view.updatedAt)}（日本時間）`, `Version ${view.version}, last changed ${jstDateTime(view.updatedAt)} (JST)`)
      : bi('初期値のままです（まだ変更されていません）。', 'The defaults, never changed yet.'));
  }

  $('pol-defaults').addEventListener('click', () => {
    clearErrors(form);
    fill(DEFAULTS);
    markDirty(true);
    portal.flash('info', bi('初期値を入れました。「保存する」を押すまで反映されません。', 'The defaults are filled in. Nothing changes until you save.'));
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy($('pol-submit'), async () => {
      const { policy, errors } = read();
      if (errors) {
        showProblem(form, { title: msg('入力内容を確認してください。', 'Please check your input.'), errors });
        return;
      }

      const result = await portal.api('PUT', 'api/v1/policy', policy);
      if (!result.ok) {
        if (result.status !== 401) showProblem(form, onFields(result.problem));
        return;
      }

      clearErrors(form);
      fill(result.data.policy);
      showVersion(result.data);
      markDirty(false);
      portal.flash('success', bi('テレワークポリシーを保存しました。次の接続から適用されます。', 'Saved the telework policy. It applies from the next connection on.'));
      $('policy-title').focus();
    });
  });

  async function showPolicy() {
    const already = !$('view-policy').hidden;
    portal.show('view-policy', msg('テレワークポリシー', 'Telework policy'));
    // A language switch redraws the view: keep what the admin typed and has not saved.
    if (already && dirty) return;
    clearErrors(form);
    $('policy-version').replaceChildren(bi('読み込み中…', 'Loading…'));
    const result = await portal.api('GET', 'api/v1/policy');
    if (!result.ok) {
      if (result.status !== 401) portal.flash('error', ...problemNodes(result.problem));
      $('policy-version').replaceChildren();
      return;
    }

    fill(result.data.policy);
    showVersion(result.data);
    markDirty(false);
  }

  return { showPolicy };
}
