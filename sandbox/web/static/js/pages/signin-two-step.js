/**
 * Two-step Sign In (IDCS's form when the identity domain asks for the user name first):
 * "User name or email" and "Next"; then the user name shown (not editable), "Password" and
 * "Sign In". Sign In posts the same form as the single-step page (username, password, redirect)
 * to POST /signin, so the server's answer is the same: a session, or /signin?error=1.
 *
 * After a wrong password the page opens on the password step again for the same user (as IDCS
 * does), with the error; "Back" returns to the user name. The user name is kept for that in
 * sessionStorage, never in the URL.
 */
define(['knockout', 'ojs/ojknockout', 'oj-c/input-text', 'oj-c/input-password', 'oj-c/button',
  'oj-c/form-layout'],
function (ko) {
  'use strict';

  var REMEMBERED = 'sbx-signin-username';

  /** What the field shows now, even if the user has not left it yet (no commit on blur). */
  function typed(id, committed) {
    var field = document.getElementById(id);
    var raw = field && field.rawValue;
    return raw !== undefined && raw !== null ? String(raw) : committed || '';
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(REMEMBERED) || '';
    } catch (e) {
      return '';
    }
  }

  function remember(username) {
    try {
      window.sessionStorage.setItem(REMEMBERED, username);
    } catch (e) {
      // No storage (private mode): after a wrong password the user types the name again.
    }
  }

  /** Focus a field once JET has rendered it (the step's content is created on switching). */
  function focusWhenShown(id) {
    window.requestAnimationFrame(function () {
      var field = document.getElementById(id);
      if (field && typeof field.focus === 'function') {
        field.focus();
      }
    });
  }

  function create() {
    var failed = /[?&]error=1(&|$)/.test(window.location.search);
    var again = failed ? remembered() : '';
    var vm = {
      step: ko.observable(again ? 'password' : 'username'),
      username: ko.observable(again),
      password: ko.observable('')
    };
    var form = document.querySelector('form[data-signin]');
    var submitting = false;

    vm.next = function () {
      var username = typed('sbx-signin-username', vm.username()).trim();
      if (!username) {
        document.getElementById('sbx-signin-username').validate();
        return;
      }
      vm.username(username);
      vm.password('');
      vm.step('password');
      focusWhenShown('sbx-signin-password');
    };

    vm.back = function () {
      vm.password('');
      vm.step('username');
      focusWhenShown('sbx-signin-username');
    };

    vm.signIn = function () {
      if (submitting) {
        return;
      }
      var password = typed('sbx-signin-password', vm.password());
      if (!password) {
        document.getElementById('sbx-signin-password').validate();
        return;
      }
      remember(vm.username());
      form.elements.username.value = vm.username();
      form.elements.password.value = password;
      form.elements.redirect.value =
        new URLSearchParams(window.location.search).get('redirect') || '';
      submitting = true;
      form.submit();
    };

    // JET's button renders a native <button>, which would submit the form as it stands: only
    // signIn() submits it, through form.submit(), which fires no event.
    form.addEventListener('submit', function (event) {
      event.preventDefault();
    });
    // Enter goes on: Next on the user name step, Sign In on the password step.
    form.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        if (vm.step() === 'username') {
          vm.next();
        } else {
          vm.signIn();
        }
      }
    });
    return vm;
  }

  return { shell: false, create: create };
});
