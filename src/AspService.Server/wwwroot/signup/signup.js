// Public signup (利用申込): POST /api/v1/signups. The server is the only validator: it normalizes codes
// (full-width digits, hyphens, 5 digits without the check digit) and answers field errors we show inline.
import { api, busy, calendarDate, clearErrors, initLanguage, jstDate, showProblem, todayJst, values } from '/assets/app.js';

const form = document.getElementById('signup-form');
const submit = document.getElementById('su-submit');
const fields = ['code', 'department', 'contactName', 'email', 'phone', 'preferredStartDate'];

initLanguage(document.getElementById('lang-toggle'));

// A hint for the browser's date picker only; the server decides what is too early.
document.getElementById('su-preferredStartDate').min = todayJst();

form.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(submit, async () => {
    const result = await api('POST', '/api/v1/signups', values(form, fields));
    if (!result.ok) {
      showProblem(form, result.problem);
      return;
    }

    clearErrors(form);
    showConfirmation(result.data);
  });
});

function showConfirmation(application) {
  document.getElementById('done-id').textContent = application.id;
  document.getElementById('done-name').textContent = `${application.name}（${application.code}）`;
  document.getElementById('done-department').textContent = application.department;
  document.getElementById('done-contact').textContent = application.contactName;
  document.getElementById('done-start').textContent = calendarDate(application.preferredStartDate);
  document.getElementById('done-created').textContent = jstDate(application.createdAt);
  document.getElementById('apply').hidden = true;
  document.getElementById('done').hidden = false;
  document.title = `申込を受け付けました | AspService`;
  document.getElementById('done-title').focus();
}
