// <main-screen>: the open, unlocked register. A side bar (the app and file name, the
// pages, Lock) beside the read-only banner and the current page; in a narrow window
// the side bar is a bar with a menu button that opens the list of pages. One keydown
// handler for the window's keyboard shortcuts (ui/lib/shortcuts.js).
// Pages are kept while the side bar re-renders, so they do not reload on every Status.

import { AppElement, messageArea } from '../lib/component.js';
import { baseName, h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { isMac, shortcutFor } from '../lib/shortcuts.js';
import './overview-page.js';
import './subject-list.js';
import './subject-page.js';
import './controller-page.js';
import './activity-list.js';
import './activity-editor.js';
import './csv-import.js';
import './processor-list.js';
import './subject-new.js';
import './request-list.js';
import './request-new.js';
import './request-page.js';
import './breach-list.js';
import './breach-page.js';
import './notice-page.js';
import './retention-page.js';
import './settings-page.js';
import './client-list.js';

const PAGES = Object.freeze({
  overview: { tag: 'overview-page', label: 'nav.overview' },
  requests: { tag: 'request-list', label: 'nav.requests' },
  breaches: { tag: 'breach-list', label: 'nav.breaches' },
  subjects: { tag: 'subject-list', label: 'nav.subjects' },
  activities: { tag: 'activity-list', label: 'nav.activities' },
  retention: { tag: 'retention-page', label: 'nav.retention' },
  processors: { tag: 'processor-list', label: 'nav.processors' },
  notice: { tag: 'notice-page', label: 'nav.notice' },
  clients: { tag: 'client-list', label: 'nav.clients' },
  controller: { tag: 'controller-page', label: 'nav.controller' },
  settings: { tag: 'settings-page', label: 'nav.settings' },
});

class MainScreen extends AppElement {
  /** @type {object|null} */
  status = null;
  page = 'overview';
  header = h('header', { class: 'app-header' });
  navOpen = false; // the list of pages, in a narrow window (the menu button)
  locking = false;
  banner = h('div', { class: 'banner-slot' });
  content = h('main', {
    id: 'content',
    class: 'content',
    tabindex: '-1',
    'onsubject-open': (event) => this.openSubject(event.detail.id),
    'onsubject-back': () => this.backToList(),
    'onsubject-new': () => this.newSubject(),
    'onactivity-open': (event) => this.openActivity({ id: event.detail.id }),
    'onactivity-new': (event) => this.openActivity({ template: event.detail.template }),
    'onactivity-back': () => this.showPage('activities', { reload: true }),
    'oncsv-import': (event) => this.openCsvImport(event.detail ?? {}),
    'onsubjects-show': () => this.showPage('subjects', { reload: true }),
    'onrequest-open': (event) => this.openRequest(event.detail.id),
    'onrequest-new': (event) => this.newRequest(event.detail ?? {}),
    'onrequest-back': () => this.showPage('requests', { reload: true }),
    'onbreach-open': (event) => this.openBreach(event.detail.id),
    'onbreach-new': () => this.openBreach(null),
    'onbreach-back': () => this.showPage('breaches', { reload: true }),
  });
  subjectList = null; // kept while a subject is open, so the search survives
  error = messageArea('shell-error');
  pageEl = null;
  column = h('div', { class: 'main-column' }, this.banner, this.content);
  #onKey = (event) => this.onKey(event);
  #keysFrom = null; // the document the shortcuts listen on while connected

  connectedCallback() {
    if (this.header.parentNode !== this) replace(this, this.header, this.column);
    this.#keysFrom?.removeEventListener('keydown', this.#onKey);
    this.#keysFrom = document;
    this.#keysFrom.addEventListener('keydown', this.#onKey);
    super.connectedCallback();
  }

  disconnectedCallback() {
    this.#keysFrom?.removeEventListener('keydown', this.#onKey);
    this.#keysFrom = null;
    super.disconnectedCallback();
  }

  /** A new Status from the backend: refresh the header and tell the page. */
  update(status) {
    this.status = status;
    if (this.pageEl) this.pageEl.status = status;
    this.rerender();
  }

  render() {
    const status = this.status ?? {};
    const name = status.file_name ?? baseName(status.path);
    const mod = isMac() ? 'Meta' : 'Control';
    replace(this.header,
      h('div', { class: 'brand' },
        h('span', { class: 'app-name' }, t('app.name')),
        name ? h('span', { class: 'file-name', title: status.path ?? '' }, name) : null),
      h('button', {
        type: 'button',
        id: 'nav-toggle',
        class: 'nav-toggle',
        'aria-expanded': String(this.navOpen),
        'aria-controls': 'main-nav',
        onclick: () => this.setNavOpen(!this.navOpen),
      }, h('span', { class: 'nav-toggle-icon', 'aria-hidden': 'true' }, '☰'), t('nav.menu')),
      h('nav', { id: 'main-nav', 'aria-label': t('nav.label') },
        h('ul', { class: 'nav' }, Object.entries(PAGES).map(([page, { label }], i) =>
          h('li', {}, h('button', {
            type: 'button',
            id: `nav-${page}`,
            'aria-current': page === this.page ? 'page' : null,
            'aria-keyshortcuts': i < 9 ? `Alt+${i + 1}` : null,
            onclick: () => this.choosePage(page),
          }, t(label)))))),
      h('button', { type: 'button', id: 'lock-button', class: 'lock', 'aria-keyshortcuts': `${mod}+L`, onclick: () => this.lock() }, t('nav.lock')),
      this.error,
    );
    this.header.classList.toggle('nav-open', this.navOpen);
    const journal = status.journal;
    replace(this.banner,
      status.read_only ? h('p', { class: 'banner warning', role: 'status' }, t('shell.read_only')) : null,
      journal?.reapplied > 0
        ? h('p', { class: 'banner info', id: 'journal-reapplied', role: 'status' }, t('shell.journal_reapplied', { count: journal.reapplied }))
        : null,
      journal?.changes > 0
        ? h('p', { class: 'banner info', id: 'journal-changes', role: 'status' }, t('shell.journal_changes', { count: journal.changes }))
        : null,
      journal?.unopened > 0
        ? h('p', { class: 'banner warning', id: 'journal-unopened', role: 'alert' }, t('shell.journal_unopened', { count: journal.unopened }))
        : null,
      journal && journal.altered + journal.missing + journal.unreadable > 0
        ? h('p', { class: 'banner warning', id: 'journal-problem', role: 'alert' }, t('shell.journal_problem'))
        : null,
    );
    if (!this.pageEl) this.showPage(this.page);
  }

  /** Open or close the list of pages (the menu button of a narrow window). */
  setNavOpen(open) {
    this.navOpen = open;
    this.header.classList.toggle('nav-open', open);
    this.header.querySelector('#nav-toggle')?.setAttribute('aria-expanded', String(open));
  }

  /** A page chosen in the list: a menu that was open closes, and the page has the focus. */
  choosePage(page) {
    const wasOpen = this.navOpen;
    this.setNavOpen(false);
    this.showPage(page);
    if (wasOpen) this.content.focus();
  }

  /**
   * The window's keyboard shortcuts. Ctrl/Cmd combinations work everywhere (also in a
   * text field), Alt+digit and "?" only when not typing; while a dialog of a page is
   * open only Lock and Escape do. Escape closes the open menu and gives its button
   * the focus; otherwise it is left to the page (a dialog closes on it).
   */
  onKey(event) {
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    const { action } = shortcut;
    if (action === 'menu-close') {
      if (!this.navOpen) return;
      event.preventDefault();
      this.setNavOpen(false);
      this.header.querySelector('#nav-toggle')?.focus();
      return;
    }
    const dialogOpen = [...document.querySelectorAll('dialog')].some((d) => d.open);
    if (dialogOpen && action !== 'lock') return;
    if (action === 'page') {
      const page = Object.keys(PAGES)[shortcut.index];
      if (!page) return;
      event.preventDefault();
      this.choosePage(page);
      return;
    }
    event.preventDefault();
    if (event.repeat) return;
    this.setNavOpen(false);
    if (action === 'search') this.focusSearch();
    else if (action === 'new-person') this.newPerson();
    else if (action === 'lock') this.lock();
    else if (action === 'help') this.emit('shortcuts-show');
  }

  /** The people search, focused with its text selected (on the list as it was). */
  focusSearch() {
    if (this.pageEl?.localName !== 'subject-list') this.showPage('subjects');
    const search = this.pageEl?.search;
    search?.focus();
    search?.select?.();
  }

  /** The form for a new person, from any page (Back returns to the people list). */
  newPerson() {
    if (this.pageEl?.localName === 'subject-new') return;
    if (this.pageEl?.localName !== 'subject-list') this.showPage('subjects');
    this.newSubject();
  }

  showPage(page, { reload = false } = {}) {
    if (!PAGES[page]) return;
    if (page === 'subjects' && this.page === 'subjects' && ['subject-page', 'subject-new'].includes(this.pageEl?.localName)) {
      this.backToList();
      return;
    }
    const changed = reload || page !== this.page || !this.pageEl || this.pageEl.localName !== PAGES[page].tag;
    this.page = page;
    if (changed) {
      this.subjectList = null;
      this.pageEl = document.createElement(PAGES[page].tag);
      this.pageEl.status = this.status;
      replace(this.content, this.pageEl);
    }
    this.markCurrent();
  }

  markCurrent() {
    for (const button of this.header.querySelectorAll('nav button')) {
      if (button.id === `nav-${this.page}`) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
  }

  /** Show one data subject in place of the list (which is kept, search and all). */
  openSubject(id) {
    if (this.pageEl?.localName === 'subject-list') this.subjectList = this.pageEl;
    const page = document.createElement('subject-page');
    page.subjectId = id;
    page.status = this.status;
    this.pageEl = page;
    replace(this.content, page);
  }

  /** The activity editor: an existing activity ({id}) or a new one ({template}). */
  openActivity({ id = null, template = null }) {
    const editor = document.createElement('activity-editor');
    editor.activityId = id;
    editor.template = template;
    editor.status = this.status;
    this.page = 'activities';
    this.pageEl = editor;
    replace(this.content, editor);
    this.markCurrent();
  }

  /** The CSV import wizard for one activity ({id, name}), under Processing activities. */
  openCsvImport({ id, name = '' }) {
    const page = document.createElement('csv-import');
    page.activityId = id;
    page.activityName = name;
    this.showInside('activities', page);
  }

  /** One request, in place of the list. */
  openRequest(id) {
    const page = document.createElement('request-page');
    page.requestId = id;
    this.showInside('requests', page);
  }

  /** The form for a new request; for a known person when `subjectId` is given. */
  newRequest({ subjectId = null, subjectName = '' }) {
    const page = document.createElement('request-new');
    page.subjectId = subjectId;
    page.subjectName = subjectName;
    this.showInside('requests', page);
  }

  /** One breach (Art. 33, 34), or the form for a new one (`id` null), in place of the list. */
  openBreach(id) {
    const page = document.createElement('breach-page');
    page.breachId = id;
    this.showInside('breaches', page);
  }

  /** Show `el` as the content of navigation page `page`. */
  showInside(page, el) {
    el.status = this.status;
    this.page = page;
    this.pageEl = el;
    this.subjectList = null;
    replace(this.content, el);
    this.markCurrent();
  }

  /** The form for adding a person, in place of the list (which is kept). */
  newSubject() {
    if (this.pageEl?.localName === 'subject-list') this.subjectList = this.pageEl;
    const page = document.createElement('subject-new');
    page.status = this.status;
    this.pageEl = page;
    replace(this.content, page);
  }

  /** Back to the list as it was; reloaded, since the subject may have changed or gone. */
  backToList() {
    const list = this.subjectList ?? document.createElement('subject-list');
    this.subjectList = null;
    this.page = 'subjects';
    list.status = this.status;
    this.pageEl = list;
    replace(this.content, list);
    if (list.result) list.load();
    list.search?.focus();
  }

  /** File → Export: the overview holds the export buttons. */
  showExport() {
    this.showPage('overview');
    this.pageEl?.focusExport?.();
  }

  async lock() {
    if (this.locking) return;
    this.locking = true;
    const result = await this.run(() => ipc.lock(), { errorEl: this.error, controls: this.header });
    this.locking = false;
    if (result.ok) this.emitStatus(result.value);
  }
}

customElements.define('main-screen', MainScreen);
