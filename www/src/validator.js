// The validator panel: paste one call's JSON and see its issues as you type (safeParseCall), each highlighted in
// the text by its JSON Pointer or, for broken JSON, at its byte offset.

import { h, replace, debounce } from './dom.js';
import { fc } from './fncalls.js';
import { jsonView, issueList } from './jsonview.js';

const EXAMPLE = `{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","image":"fnproject/hello","memory":1e3,"completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28 17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","error":"should be empty on success"}`;

export function createValidator(root) {
  let mode = 'observed';
  const textarea = h('textarea', {
    id: 'validator-input',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-label': 'Call JSON',
    placeholder: 'Paste one call as JSON (or the v1 envelope {"message":…,"call":{…}})',
  });
  const verdict = h('div', { class: 'verdict', id: 'validator-verdict', 'aria-live': 'polite' });
  const issuesBox = h('div', { id: 'validator-issues' });
  const viewBox = h('div', { id: 'validator-view' });
  const toggle = h('div', { class: 'mode-toggle', role: 'group', 'aria-label': 'Mode' });

  function run() {
    const text = textarea.value;
    if (!text.trim()) {
      verdict.className = 'verdict';
      replace(verdict, 'Paste a call to check it.');
      replace(issuesBox);
      replace(viewBox);
      return;
    }
    const result = fc.safeParseCall(text, { mode });
    const issues = result.success ? result.warnings : result.issues;
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.length - errors;
    verdict.className = `verdict ${errors ? 'bad' : warnings ? 'warn' : 'ok'}`;
    replace(
      verdict,
      errors
        ? `Not a call the Go server would read: ${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`
        : warnings
          ? `Reads as a call, with ${warnings} warning${warnings === 1 ? '' : 's'}`
          : 'Valid call: it reads exactly as the Go server reads it',
    );
    const view = jsonView(text, issues);
    replace(issuesBox, issueList(issues, view));
    replace(viewBox, view.element);
  }
  const runSoon = debounce(run, 120);
  textarea.addEventListener('input', runSoon);

  const drawToggle = () =>
    replace(
      toggle,
      [
        ['observed', 'Observed'],
        ['strict', 'Strict'],
      ].map(([m, label]) =>
        h('button', { type: 'button', 'aria-pressed': String(m === mode), onclick: () => ((mode = m), drawToggle(), run()) }, label),
      ),
    );
  drawToggle();

  replace(
    root,
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'validator-bar' },
        h('h2', { class: 'card-title', text: 'Validate one call' }),
        h('span', { class: 'spacer' }),
        toggle,
        h('button', { type: 'button', class: 'btn btn-small', id: 'validator-example', onclick: () => ((textarea.value = EXAMPLE), run()) }, 'Example with issues'),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => ((textarea.value = ''), run()) }, 'Clear'),
      ),
      textarea,
      h('p', { class: 'muted small', text: 'Checked as you type with safeParseCall. Observed: what real servers wrote is clean. Strict: the model exactly as declared.' }),
    ),
    h('section', { class: 'card' }, verdict, issuesBox, h('div', { class: 'spacer-v' }), viewBox),
  );
  run();

  return {
    set(text) {
      textarea.value = text;
      run();
    },
  };
}
