/**
 * What a page tells the user, in the shapes Fusion uses:
 *
 *  - showError(errorOrText): the error dialog, an oj-c-dialog whose accessible name is "Error",
 *    with the message as its body and an "OK" button. Nothing on the page is reset, so what the
 *    user typed is still there when the dialog closes. Messages that arrive while it is open
 *    are added to it.
 *  - confirm(text): a confirmation toast (oj-c-message-toast), mirrored into the page's
 *    always-present role=status region (#sbx-status), which keeps the text after the toast goes.
 *
 * mount() is called once per page by common/page.js.
 */
define(['knockout', 'ojs/ojcontext', 'ojs/ojmutablearraydataprovider',
  'text!common/messages.html', 'ojs/ojknockout', 'oj-c/dialog', 'oj-c/button',
  'oj-c/message-toast'],
function (ko, Context, MutableArrayDataProvider, template) {
  'use strict';

  var state = {
    errorOpened: ko.observable(false),
    errorLines: ko.observableArray([]),
    toasts: new MutableArrayDataProvider([], { keyAttributes: 'id' }),
    statusText: ko.observable('')
  };
  var nextToastId = 1;
  var SHOWING_ERROR = 'Showing an error';
  var SETTLE_LIMIT_MS = 3000;
  var POPUP_LAYERS = '#__oj_zorder_container, #__root_layer_host';

  state.closeError = function () {
    state.errorOpened(false);
  };
  state.errorClosed = function () {
    // Escape closes the dialog inside the component: keep the observable in step.
    state.errorOpened(false);
    state.errorLines([]);
  };
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

  // A drawer's opening animation is not a busy state, and the drawer, once open, hides every
  // other layer from assistive technology as a modal does: wait for it to finish.
  function popupAnimating() {
    return document.getAnimations().some(function (animation) {
      var target = animation.effect && animation.effect.target;
      return animation.playState === 'running' && target instanceof Element &&
        target.closest(POPUP_LAYERS) !== null;
    });
  }

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

  return { mount: mount, showError: showError, confirm: confirm };
});
