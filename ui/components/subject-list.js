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
  /** The results' table, kept between results (see buildTable). */
  #table = null;
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
    this.#table = null; // its headers are in the language of the moment
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
    const table = this.#table ??= this.buildTable();
    if (this.results.firstChild !== table.wrap) replace(this.results, table.wrap, table.after);
    this.updateHeaders();
    this.fillRows(table.tbody, this.visibleItems());
    replace(table.after,
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

  /** The table, built once per render(): each new result changes the text of its rows
   * (adding or removing rows at the end) instead of building a new table, so the window
   * lays out and paints only what changed at each keystroke. */
  buildTable() {
    const tbody = h('tbody', {
      onclick: (event) => {
        const row = event.target.closest('tr[data-subject-id]');
        if (row) this.emit('subject-open', { id: Number(row.dataset.subjectId) });
      },
    });
    const headers = [
      this.sortHeader('name', t('subjects.col_name')),
      this.sortHeader('email', t('subjects.col_email')),
    ];
    const wrap = h('div', { class: 'table-wrap' },
      h('table', { class: 'subjects', 'aria-label': t('subjects.title') },
        h('thead', {}, h('tr', {},
          headers,
          h('th', { scope: 'col' }, t('subjects.col_phone')),
          h('th', { scope: 'col', class: 'num' }, t('subjects.col_records')),
          h('th', { scope: 'col' }, t('subjects.col_flags')))),
        tbody));
    return { wrap, tbody, headers, after: h('div', {}) };
  }

  updateHeaders() {
    const searchOrder = this.result?.mode === 'search' && this.relevance;
    for (const th of this.#table.headers) {
      const sorted = this.sort === th.dataset.column && !searchOrder;
      if (sorted) th.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      setText(th.querySelector('.sort-mark'), sorted ? (this.descending ? ' ▼' : ' ▲') : '');
    }
  }

  /** The rows show `items`: the rows there are keep their elements and change their text. */
  fillRows(tbody, items) {
    for (const extra of [...tbody.children].slice(items.length)) extra.remove();
    items.forEach((s, i) => {
      const row = tbody.children[i] ?? tbody.appendChild(newRow());
      row.setAttribute('data-subject-id', s.id);
      const [name, email, phone, records, flags] = row.children;
      setText(name.firstChild, s.name || DASH);
      setText(email, s.email || DASH);
      setText(phone, s.phone || DASH);
      setText(records, formatNumber(s.records ?? 0));
      const badges = `${s.restricted ? 1 : 0}${s.marketing_objection ? 1 : 0}`;
      if (flags.dataset.badges !== badges) {
        flags.dataset.badges = badges;
        replace(flags.firstChild,
          s.restricted ? h('span', { class: 'badge warning' }, t('subjects.restricted')) : null,
          s.marketing_objection ? h('span', { class: 'badge' }, t('subjects.marketing_objection')) : null);
      }
    });
  }

  summaryText() {
    const { mode, total, offset, items } = this.result;
    if (mode === 'search') {
      return total >= SEARCH_LIMIT ? t('subjects.matches_capped', { limit: SEARCH_LIMIT }) : t('subjects.matches', { count: total });
    }
    if (!total) return '';
    return t('subjects.showing', { from: offset + 1, to: offset + items.length, total });
  }

  /** A sortable column's header; updateHeaders marks the one the list is sorted by. */
  sortHeader(column, label) {
    return h('th', { scope: 'col', 'data-column': column },
      h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(column) },
        label,
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' })));
  }
}

/** A row of the table, its cells empty (fillRows writes them). The name is a button so
 * the row can be opened from the keyboard; its click bubbles to the row. */
function newRow() {
  return h('tr', { class: 'clickable' },
    h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link' })),
    h('td', {}),
    h('td', { class: 'nowrap' }),
    h('td', { class: 'num' }),
    h('td', {}, h('div', { class: 'badges' })));
}

/** Change a node's text only when it differs, so an unchanged cell is not laid out again. */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

customElements.define('subject-list', SubjectList);
