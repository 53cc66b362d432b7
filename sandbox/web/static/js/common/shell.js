/**
 * The global header bar of every signed-in page, as in Fusion:
 *  - "Navigator" opens a panel with the group "Procurement" and its work areas' links. The panel
 *    is part of the header (before the page content), so its links come first in the document.
 *  - "Settings and Actions" is a menu with "Sign Out", which POSTs /signout (the server ends the
 *    session and shows the sign-in page).
 * The signed-in user's name comes from common/session.js.
 */
define(['knockout', 'common/session', 'text!common/shell.html',
  'ojs/ojknockout', 'oj-c/button', 'oj-c/menu-button'],
function (ko, session, template) {
  'use strict';

  function initialsOf(name) {
    var words = String(name || '').split(/[\s,.]+/).filter(Boolean);
    return words.slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join('');
  }

  /** Post a real form so the browser follows the server's redirect to the sign-in page. */
  function signOut() {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = '/signout';
    document.body.appendChild(form);
    form.submit();
  }

  function ShellViewModel() {
    var self = this;
    this.displayName = ko.observable('');
    this.initials = ko.pureComputed(function () { return initialsOf(self.displayName()); });
    this.navigatorOpen = ko.observable(false);
    this.menuItems = [{ type: 'item', key: 'signout', label: 'Sign Out' }];

    this.toggleNavigator = function () {
      self.navigatorOpen(!self.navigatorOpen());
    };
    this.menuAction = function (event) {
      if (event.detail.key === 'signout') {
        signOut();
      }
    };
  }

  /** Render the header into `host` and close the Navigator on Escape or a click elsewhere. */
  function render(host) {
    var vm = new ShellViewModel();
    host.classList.add('sbx-shell');
    host.innerHTML = template;
    ko.applyBindings(vm, host);

    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        vm.navigatorOpen(false);
      }
    });
    document.addEventListener('click', function (event) {
      var button = document.getElementById('sbx-navigator-button');
      var panel = document.getElementById('sbx-navigator');
      if (vm.navigatorOpen() && !panel.contains(event.target) && !button.contains(event.target)) {
        vm.navigatorOpen(false);
      }
    });

    return session.current().then(function (user) {
      vm.displayName(user.displayName || user.user || '');
      return vm;
    });
  }

  return { render: render };
});
