/**
 * What a page tells the user, in the shapes Fusion uses:
 *
 *  - showError(errorOrText): the error dialog, an oj-c-dialog whose accessible name is "Error",
 *    with the message as its body and an "OK" button. Nothing on the page is reset, so what the
 *    user typed is still there when the dialog closes. Messages that arrive while it is open
 *    are added to it.
 *  - confirm(text): a confirmation toast (oj-c-message-toast), mirrored into the page's
 *    always-present role=status region (#sbx-status), which keeps the text after the toast goes.
 *  - ask({title, text, yes, no}): a question, as Fusion's Warning dialogs ask one: an
 *    oj-c-dialog whose accessible name is `title`, `text` as its body and the buttons `yes` and
 *    `no` (the UI variant's words). Resolves true for Yes, false for No or Escape.
 *
 * mount() is called once per page by common/page.js.
 */
define(['knockout', 'ojs/ojcontext', 'ojs/ojmutablearraydataprovider', 'common/popups',
  'text!common/messages.html', 'ojs/ojknockout', 'oj-c/dialog', 'oj-c/button',
  'oj-c/message-toast'],
function (ko, Context, MutableArrayDataProvider, popups, template) {
  'use strict';

  var state = {
    errorOpened: ko.observable(false),
    errorLines: ko.observableArray([]),
    toasts: new MutableArrayDataProvider([], { keyAttributes: 'id' }),
    statusText: ko.observable(''),
    question: {
      opened: ko.observable(false),
      title: ko.observable(''),
      text: ko.observable(''),
      yes: ko.observable(''),
      no: ko.observable('')
    }
  };
  var answer = null; // resolves the open question's promise
  popups.busyWhileOpening(state.question.opened, 'sbx-question');
  var nextToastId = 1;
  var SHOWING_ERROR = 'Showing an error';
  var SETTLE_LIMIT_MS = 3000;

  state.closeError = function () {
    state.errorOpened(false);
  };
  state.errorClosed = function () {
    // Escape closes the dialog inside the component: keep the observable in step.
    state.errorOpened(false);
    state.errorLines([]);
  };
  function answerQuestion(value) {
    var resolve = answer;
    answer = null;
    state.question.opened(false);
    if (resolve) {
      resolve(value);
    }
  }
  state.answerYes = function () { answerQuestion(true); };
  state.answerNo = function () { answerQuestion(false); };
  // Escape closes the dialog inside the component: that is a No.
  state.questionClosed = function () { answerQuestion(false); };

  state.toastClosed = function (event) {
    var closed = event.detail.key;
    state.toasts.data = state.toasts.data.filter(function (t) { return t.id !== closed; });
  };

  function messageOf(error) {
    if (typeof error === 'string') {
      return error;
    }
    return (error && error.message) || 'Something went wrong. Try again.';
  }

  function mount() {
    var host = document.createElement('div');
    host.id = 'sbx-messages';
    host.innerHTML = template;
    document.body.appendChild(host);
    ko.applyBindings(state, host);

    var status = document.getElementById('sbx-status');
    if (!status) {
      status = document.createElement('div');
      status.id = 'sbx-status';
      document.body.appendChild(status);
    }
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    status.classList.add('sbx-status');
    state.statusText.subscribe(function (text) {
      status.textContent = text;
      status.classList.toggle('sbx-status--shown', Boolean(text));
    });
  }

  // A drawer's opening animation is not a busy state of JET's, and the drawer, once open, hides
  // every other layer from assistive technology as a modal does: wait for it to finish.
  var popupAnimating = popups.animating;

  function showError(error) {
    if (error && error.name === 'AbortError') {
      return; // an abandoned request is not an error anyone needs to see
    }
    var text = messageOf(error);
    if (state.errorLines.indexOf(text) < 0) {
      state.errorLines.push(text);
    }
    if (state.errorOpened()) {
      return;
    }
    // Opened once whatever else is busy has settled: a drawer opening in the same moment (its
    // defaults failed to load) is laid out first, so the dialog stacks above it, as Fusion's
    // does. The page stays busy meanwhile, so nobody sees it "ready" without its error.
    var busy = Context.getPageContext().getBusyContext();
    var shown = busy.addBusyState({ description: SHOWING_ERROR });
    var started = Date.now();
    (function openWhenSettled() {
      var others = busy.getBusyStates().filter(function (s) {
        return s.description !== SHOWING_ERROR;
      });
      if ((others.length > 0 || popupAnimating()) && Date.now() - started < SETTLE_LIMIT_MS) {
        setTimeout(openWhenSettled, 20);
        return;
      }
      state.errorOpened(true);
      shown();
    })();
  }

  function confirm(text) {
    state.toasts.data = state.toasts.data.concat([{
      id: nextToastId++, severity: 'confirmation', summary: text, autoTimeout: 'on'
    }]);
    state.statusText(text);
  }

  function ask(question) {
    if (answer) {
      answerQuestion(false); // one question at a time: a new one answers the old with No
    }
    state.question.title(question.title);
    state.question.text(question.text);
    state.question.yes(question.yes);
    state.question.no(question.no);
    return new Promise(function (resolve) {
      answer = resolve;
      state.question.opened(true);
    });
  }

  return { mount: mount, showError: showError, confirm: confirm, ask: ask };
});
