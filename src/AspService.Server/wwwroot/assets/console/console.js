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
});
