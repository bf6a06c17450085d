// Landing page: only the language switch.
import { initLanguage } from '/assets/app.js';

initLanguage(document.getElementById('lang-toggle'));
