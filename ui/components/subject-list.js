// <subject-list>: the data subjects. Empty search → a sorted, paged list
// (list_subjects); typing searches (search_subjects) at each keystroke, one search at a
// time: keys typed while one runs are searched together when it ends (a search takes
// milliseconds even at a million people, so no delay is added). Clicking a row
// (data-subject-id) emits "subject-open" {id}; <main-screen> then shows <subject-page>.

import { AppElement, messageArea } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const PAGE_SIZE = 50;
const SEARCH_LIMIT = 200;
/** Search results drawn at first: a table of 200 rows takes the window longer to lay
 * out than the search takes to run, at every keystroke. */
const SEARCH_SHOWN = 50;
const DASH = '—';

class SubjectList extends AppElement {
  status = null;
  query = '';
  offset = 0;
  sort = 'name';
  descending = false;
  relevance = true; // search results stay in the backend's order until a header is clicked
  result = null; // {mode: 'list'|'search', total, offset, items, query}
  #request = 0;
  /** A search is running; `#again`: the box changed meanwhile. */
  #searching = false;
  #again = false;
  /** All the search's results are drawn, not only the first SEARCH_SHOWN. */
  showAll = false;
  error = messageArea('subjects-error');
  summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  results = h('div', { class: 'results' });
  // Kept across renders so typing is never interrupted.
  search = h('input', {
    id: 'subject-search',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    oninput: () => this.queueSearch(),
    onkeydown: (event) => { if (event.key === 'Enter') this.searchNow(); },
  });

  connectedCallback() {
    super.connectedCallback();
    if (!this.result) this.load();
  }

  render() {
    this.search.placeholder = t('subjects.search_placeholder');
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('subjects.title')),
        h('button', { type: 'button', id: 'subject-add', class: 'primary', onclick: () => this.emit('subject-new') }, t('subjects.add'))),
      h('div', { class: 'field search', role: 'search' },
        h('label', { for: 'subject-search' }, t('subjects.search')),
        this.search),
      this.error,
      this.summary,
      this.results,
    );
    this.renderResults();
  }

  queueSearch() {
    if (this.#searching) this.#again = true;
    else this.searchNow();
  }

  async searchNow() {
    const query = this.search.value.trim();
    if (query === this.query && this.result) return;
    this.query = query;
    this.offset = 0;
    this.relevance = true;
    this.showAll = false;
    this.#searching = true;
    try {
      await this.load();
    } finally {
      this.#searching = false;
    }
    if (this.#again) {
      this.#again = false;
      this.searchNow();
    }
  }

  async load() {
    const request = ++this.#request;
    const query = this.query;
    const pager = this.querySelector('.pager');
    const result = await this.run(
      () => query
        ? ipc.searchSubjects({ query, limit: SEARCH_LIMIT })
        : ipc.listSubjects({ offset: this.offset, limit: PAGE_SIZE, sort: this.sort, descending: this.descending }),
      { errorEl: this.error, progress: t('subjects.loading'), controls: pager },
    );
    if (request !== this.#request || !result.ok) return; // a newer request has taken over
    const value = result.value;
    this.result = query
      ? { mode: 'search', query, total: value.length, offset: 0, items: value }
      : { mode: 'list', query, total: value.total, offset: value.offset, items: value.items };
    this.renderResults();
  }

  sortBy(column) {
    if (this.sort === column && !(this.result?.mode === 'search' && this.relevance)) {
      this.descending = !this.descending;
    } else {
      this.sort = column;
      this.descending = false;
    }
    this.relevance = false;
    if (this.result?.mode === 'search') this.renderResults();
    else {
      this.offset = 0;
      this.load();
    }
  }

  page(step) {
    this.offset = Math.max(0, this.offset + step * PAGE_SIZE);
    this.load();
  }

  /** The items in display order: search results sorted locally once a header was clicked. */
  visibleItems() {
    const { mode, items } = this.result;
    if (mode !== 'search') return items;
    let shown = items;
    if (!this.relevance) {
      shown = [...items].sort((a, b) =>
        String(a[this.sort] ?? '').localeCompare(String(b[this.sort] ?? ''), undefined, { sensitivity: 'base' }));
      if (this.descending) shown.reverse();
    }
    return this.showAll ? shown : shown.slice(0, SEARCH_SHOWN);
  }

  renderResults() {
    if (!this.result) {
      this.summary.textContent = t('subjects.loading');
      replace(this.results);
      return;
    }
    const { mode, total, offset, items, query } = this.result;
    this.summary.textContent = this.summaryText();
    if (!items.length) {
      replace(this.results, h('p', { class: 'muted' }, mode === 'search' ? t('subjects.no_matches', { query }) : t('subjects.none')));
      return;
    }
    replace(this.results,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'subjects', 'aria-label': t('subjects.title') },
          h('thead', {}, h('tr', {},
            this.sortHeader('name', t('subjects.col_name')),
            this.sortHeader('email', t('subjects.col_email')),
            h('th', { scope: 'col' }, t('subjects.col_phone')),
            h('th', { scope: 'col', class: 'num' }, t('subjects.col_records')),
            h('th', { scope: 'col' }, t('subjects.col_flags')))),
          h('tbody', {}, this.visibleItems().map((s) => h('tr', {
            'data-subject-id': s.id,
            class: 'clickable',
            onclick: () => this.emit('subject-open', { id: s.id }),
          },
            // The name is a button so the row can be opened from the keyboard; its click bubbles to the row.
            h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link' }, s.name || DASH)),
            h('td', {}, s.email || DASH),
            h('td', { class: 'nowrap' }, s.phone || DASH),
            h('td', { class: 'num' }, formatNumber(s.records ?? 0)),
            h('td', {}, h('div', { class: 'badges' },
              s.restricted ? h('span', { class: 'badge warning' }, t('subjects.restricted')) : null,
              s.marketing_objection ? h('span', { class: 'badge' }, t('subjects.marketing_objection')) : null))))))),
      mode === 'search' && !this.showAll && items.length > SEARCH_SHOWN
        ? h('div', { class: 'actions' },
            h('button', { type: 'button', id: 'subjects-show-all', onclick: () => {
              this.showAll = true; this.renderResults();
            } }, t('subjects.show_all', { count: items.length })))
        : null,
      mode === 'list'
        ? h('div', { class: 'pager' },
            h('button', { type: 'button', disabled: offset <= 0, onclick: () => this.page(-1) }, t('subjects.previous')),
            h('button', { type: 'button', disabled: offset + items.length >= total, onclick: () => this.page(1) }, t('subjects.next')))
        : null,
    );
  }

  summaryText() {
    const { mode, total, offset, items } = this.result;
    if (mode === 'search') {
      return total >= SEARCH_LIMIT ? t('subjects.matches_capped', { limit: SEARCH_LIMIT }) : t('subjects.matches', { count: total });
    }
    if (!total) return '';
    return t('subjects.showing', { from: offset + 1, to: offset + items.length, total });
  }

  sortHeader(column, label) {
    const sorted = this.sort === column && !(this.result?.mode === 'search' && this.relevance);
    const direction = this.descending ? 'descending' : 'ascending';
    return h('th', { scope: 'col', 'aria-sort': sorted ? direction : null },
      h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(column) },
        label,
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (this.descending ? ' ▼' : ' ▲') : '')));
  }
}

customElements.define('subject-list', SubjectList);
