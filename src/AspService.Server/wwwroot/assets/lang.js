// Loaded synchronously in <head> so a page chosen in English never flashes in Japanese first.
try {
  if (localStorage.getItem('aspservice.lang') === 'en') {
    document.documentElement.dataset.lang = 'en';
    document.documentElement.lang = 'en';
  }
} catch {
  // No storage: Japanese, the default.
}
