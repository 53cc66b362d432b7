/**
 * The sandbox's imitation of an ADF Faces page's client runtime: its behaviour as automation
 * sees it, written for the sandbox (Oracle's ADF JavaScript is not open source; none of it is
 * here). Loaded in the <head> of the sandbox's ADF pages (Home), with no JET and no RequireJS.
 *
 *  - window.AdfPage.PAGE.isSynchronizedWithServer(): false while the page is loading or a
 *    partial-page request is in flight; whyIsNotSynchronizedWithServer() then says why (null
 *    once synchronized), as ADF's public JavaScript API documents them.
 *  - While a request is in flight a blocking glass pane, div.AFBlockingGlassPane, covers the
 *    page and takes every click (cursor "wait").
 *  - A partial-page request (ADF's PPR) POSTs the event's component id to the page's own URL
 *    and applies the server's JSF partial response: each <update id="…"> replaces that element
 *    (so handles to the old element go stale, as after a real PPR); <redirect url="…"/> sends the
 *    browser there (a session that has ended goes to the sign-in page).
 *
 * Pages use it through window.SandboxAdf: partialRequest(componentId) -> Promise, and
 * track(reason) -> done() for other work the page must finish before it is "synchronized".
 */
(function () {
  'use strict';

  var pending = []; // why the page is not synchronized: one entry per piece of work in flight
  var glass = null;

  function glassPane() {
    if (!glass) {
      glass = document.createElement('div');
      glass.className = 'AFBlockingGlassPane';
      glass.setAttribute('aria-hidden', 'true');
      document.body.appendChild(glass);
    }
    return glass;
  }

  /** Register work in flight; the returned function ends it (once). */
  function track(reason) {
    var entry = { reason: reason };
    pending.push(entry);
    if (document.body) {
      glassPane().style.display = 'block';
    }
    var ended = false;
    return function done() {
      if (ended) {
        return;
      }
      ended = true;
      pending.splice(pending.indexOf(entry), 1);
      if (!pending.length && glass) {
        glass.style.display = 'none';
      }
    };
  }

  function AdfPage() {}

  AdfPage.prototype.isSynchronizedWithServer = function () {
    return document.readyState === 'complete' && pending.length === 0;
  };

  AdfPage.prototype.whyIsNotSynchronizedWithServer = function () {
    if (document.readyState !== 'complete') {
      return 'The page is still loading.';
    }
    if (!pending.length) {
      return null;
    }
    return pending.map(function (entry) { return entry.reason; }).join('; ');
  };

  AdfPage.PAGE = new AdfPage();
  window.AdfPage = AdfPage;

  /** Show a message in the page's message region (an ADF page's error popup stands here). */
  function showMessage(text) {
    var region = document.getElementById('pt1:_UISmsg');
    if (region) {
      region.textContent = text;
    }
  }

  /** Apply a JSF partial response; resolves once every update is in the page. */
  function applyPartialResponse(text) {
    var xml = new DOMParser().parseFromString(text, 'text/xml');
    if (xml.getElementsByTagName('parsererror').length) {
      throw new Error('The server sent an answer the page could not read.');
    }
    var redirect = xml.getElementsByTagName('redirect')[0];
    if (redirect) {
      window.location.assign(redirect.getAttribute('url'));
      return new Promise(function () {}); // the page is leaving: never "synchronized" again
    }
    Array.prototype.forEach.call(xml.getElementsByTagName('update'), function (update) {
      var target = document.getElementById(update.getAttribute('id'));
      if (target) {
        target.outerHTML = update.textContent;
      }
    });
    return Promise.resolve();
  }

  /**
   * A partial-page request for the component `componentId` (e.g. 'pt1:_UISmmLink'): the page is
   * not synchronized, and the glass pane blocks it, until the answer has been applied.
   */
  function partialRequest(componentId) {
    var done = track('A partial-page request for ' + componentId + ' is in flight.');
    var body = new URLSearchParams({ event: componentId });
    return fetch(window.location.pathname + window.location.search, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Adf-Rich-Message': 'true' },
      body: body
    })
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) {
            throw new Error(text || 'The server returned an error (HTTP ' + response.status + ').');
          }
          return applyPartialResponse(text);
        });
      })
      .catch(function (err) {
        showMessage(String((err && err.message) || err));
        throw err;
      })
      .finally(done);
  }

  window.SandboxAdf = { partialRequest: partialRequest, track: track };
}());
