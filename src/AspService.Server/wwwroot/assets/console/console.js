// Progressive enhancement only; every page works without it.
// An error summary takes the focus so screen readers announce it; its links move to the field.
document.addEventListener('DOMContentLoaded', () => {
  const first = document.querySelector('[data-autofocus]');
  if (first) {
    first.focus();
  }

  // Buttons that need a second thought (e.g. reporting a device lost) ask before they submit.
  document.querySelectorAll('[data-confirm]').forEach((button) => {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });

  // A form marked data-unsaved-warning (the policy) asks before the page is left with edits not saved.
  document.querySelectorAll('form[data-unsaved-warning]').forEach((form) => {
    let dirty = false;
    const mark = () => { dirty = true; };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', () => { dirty = false; });
    window.addEventListener('beforeunload', (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = form.getAttribute('data-unsaved-warning');
      }
    });
  });
});
