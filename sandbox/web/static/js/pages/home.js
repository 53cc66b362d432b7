/**
 * Home (Fusion's FuseWelcome), an ADF page: the greeting "Good day, <display name>", the
 * springboard, and the global header's Navigator and Settings and Actions links.
 *
 * - Navigator (the link pt1:_UISmmLink, title "Navigator") asks the server for its menu with a
 *   partial-page request (common to ADF pages: adf/page.js); the answer replaces pt1:_UISnvr with
 *   the group "Procurement" and the links "Purchase Orders" and "Suppliers". Clicking the link
 *   again, pressing Escape or clicking elsewhere closes the menu.
 * - Settings and Actions (pt1:_UIScmil1u) opens a menu with "Sign Out" (pt1:_UISlg1), which
 *   POSTs /signout (the server ends the session and shows the sign-in page).
 * - The signed-in user's name comes from GET /sandbox/session; the page is not synchronized
 *   with the server until it has arrived.
 */
(function () {
  'use strict';

  var adf = window.SandboxAdf;
  var NAVIGATOR_LINK = 'pt1:_UISmmLink';
  var NAVIGATOR = 'pt1:_UISnvr';
  var SETTINGS_LINK = 'pt1:_UIScmil1u';
  var SETTINGS = 'pt1:_UISsettings';

  function byId(id) {
    return document.getElementById(id);
  }

  function initialsOf(name) {
    var words = String(name || '').split(/[\s,.]+/).filter(Boolean);
    return words.slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join('');
  }

  function signInAgain() {
    window.location.assign('/signin?redirect=' + encodeURIComponent(window.location.pathname));
  }

  /** Who is signed in: the greeting, the header's name and initials. */
  function greet() {
    var done = adf.track('Reading the signed-in user.');
    return fetch('/sandbox/session', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' }
    })
      .then(function (response) {
        if (response.status === 401) {
          signInAgain();
          return new Promise(function () {}); // leaving: stay unsynchronized
        }
        return response.json();
      })
      .then(function (user) {
        var name = user.displayName || user.user || '';
        byId('pt1:r1:0:userName').textContent = name;
        byId('pt1:_UISuserName').textContent = name;
        byId('pt1:_UISinitials').textContent = initialsOf(name);
      })
      .finally(done);
  }

  function setOpen(linkId, popupId, open) {
    var popup = byId(popupId);
    if (popup) {
      popup.hidden = !open;
    }
    byId(linkId).setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  function isOpen(linkId) {
    return byId(linkId).getAttribute('aria-expanded') === 'true';
  }

  function closeAll() {
    setOpen(NAVIGATOR_LINK, NAVIGATOR, false);
    setOpen(SETTINGS_LINK, SETTINGS, false);
  }

  /** Open the Navigator: its menu comes from the server each time, as a partial page. */
  function toggleNavigator(event) {
    event.preventDefault();
    if (isOpen(NAVIGATOR_LINK)) {
      setOpen(NAVIGATOR_LINK, NAVIGATOR, false);
      return;
    }
    setOpen(SETTINGS_LINK, SETTINGS, false);
    byId(NAVIGATOR_LINK).setAttribute('aria-expanded', 'true');
    adf.partialRequest(NAVIGATOR_LINK).then(function () {
      // The answer replaced the menu's element: show it unless it was closed meanwhile (Escape).
      byId(NAVIGATOR).hidden = !isOpen(NAVIGATOR_LINK);
    }, function () {
      setOpen(NAVIGATOR_LINK, NAVIGATOR, false);
    });
  }

  function toggleSettings(event) {
    event.preventDefault();
    var open = !isOpen(SETTINGS_LINK);
    setOpen(NAVIGATOR_LINK, NAVIGATOR, false);
    setOpen(SETTINGS_LINK, SETTINGS, open);
  }

  /** Post a real form so the browser follows the server's redirect to the sign-in page. */
  function signOut(event) {
    event.preventDefault();
    adf.track('Signing out.'); // never ends: the page is leaving
    var form = document.createElement('form');
    form.method = 'post';
    form.action = '/signout';
    document.body.appendChild(form);
    form.submit();
  }

  function start() {
    byId(NAVIGATOR_LINK).addEventListener('click', toggleNavigator);
    byId(SETTINGS_LINK).addEventListener('click', toggleSettings);
    byId('pt1:_UISlg1').addEventListener('click', signOut);
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        closeAll();
      }
    });
    document.addEventListener('click', function (event) {
      var inside = [NAVIGATOR_LINK, NAVIGATOR, SETTINGS_LINK, SETTINGS].some(function (id) {
        var element = byId(id);
        return element && element.contains(event.target);
      });
      if (!inside) {
        closeAll();
      }
    });
    greet();
    document.body.dataset.page = 'home';
  }

  start();
}());
